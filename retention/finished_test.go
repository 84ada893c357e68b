package retention

import (
	"context"
	"testing"
	"time"
)

// A report's finished is when the run ended, on started's clock: as long
// after started as the run took, for real and dry runs, with the real
// clock and with a given Now (the server's clock; audit 2, F13: a real run
// reported finished equal to started).
func TestReportFinishedIsTheEnd(t *testing.T) {
	for _, c := range []struct {
		name string
		now  time.Time
		dry  bool
	}{
		{"real run, real clock", time.Time{}, false},
		{"real run, given clock", t0, false},
		{"dry run, real clock", time.Time{}, true},
		{"dry run, given clock", t0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := openStore(t)
			var said []time.Time // real times of the progress lines, all within the run
			before := time.Now()
			rep, err := Run(context.Background(), st, Policy{Mail: time.Hour}, Options{Now: c.now, DryRun: c.dry, Progress: func(string) { said = append(said, time.Now()) }})
			after := time.Now()
			if err != nil {
				t.Fatal(err)
			}
			if len(said) < 2 {
				t.Fatalf("%d progress lines; the test needs two", len(said))
			}
			took := rep.Finished.Sub(rep.Started)
			if span := said[len(said)-1].Sub(said[0]); took < span || took > after.Sub(before) {
				t.Errorf("finished - started = %v; want the run's length: at least the %v between its first and last progress lines, at most the %v around it",
					took, span, after.Sub(before))
			}
			if c.now.IsZero() {
				if rep.Started.Before(before) || rep.Finished.Before(said[len(said)-1]) || rep.Finished.After(after) {
					t.Errorf("started %v, finished %v; want both within %v … %v, finished after the last progress line %v",
						rep.Started, rep.Finished, before, after, said[len(said)-1])
				}
			} else if !rep.Started.Equal(c.now) {
				t.Errorf("started %v; want the given clock's %v", rep.Started, c.now)
			}
			if c.dry {
				return
			}
			last, err := LastRun(st)
			if err != nil || last == nil || !last.Finished.Equal(rep.Finished) {
				t.Errorf("last run recorded %+v, %v; want finished %v", last, err, rep.Finished)
			}
		})
	}
}
