package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/sla"
)

// Due takes "none" as an sla's "calendar: none" means it (README: 24×7
// wall-clock time), the same arithmetic as the tracker's nil calendar; other
// names are looked up in the rules, and an unknown one lists what exists.
func TestDueCalendarNone(t *testing.T) {
	r, err := Parse("t.yaml", []byte(head+"  - {name: x, if: {subject: x}, then: {priority: high}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	cst := time.FixedZone("CST", 8*3600)
	fri := time.Date(2026, 11, 20, 17, 30, 0, 0, cst)
	cases := []struct {
		name, cal string
		start     time.Time
		d         sla.Duration
		want      string // RFC 3339, or the error's text
	}{
		{"none, business hours are wall-clock hours", "none", fri, sla.Duration{Business: 4 * time.Hour}, "2026-11-20T21:30:00+08:00"},
		{"none, over the weekend", "none", fri, sla.Duration{Business: 30 * time.Hour}, "2026-11-21T23:30:00+08:00"},
		{"none, days are 24h", "none", fri, sla.Duration{Days: 3}, "2026-11-23T17:30:00+08:00"},
		{"none, sub-second start truncated", "none", fri.Add(500 * time.Millisecond), sla.Duration{Business: time.Hour}, "2026-11-20T18:30:00+08:00"},
		{"none, UTC start stays UTC", "none", time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC), sla.Duration{Business: 90 * time.Minute}, "2026-11-20T11:00:00Z"},
		{"office, for contrast", "office", fri, sla.Duration{Business: 4 * time.Hour}, "2026-11-23T13:30:00+08:00"},
		{"unknown names the choices", "nope", fri, sla.Duration{Business: time.Hour}, `no calendar "nope" (the rules define: office; "none" is 24×7 wall-clock time)`},
		{"None is not none", "None", fri, sla.Duration{Business: time.Hour}, `no calendar "None"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			due, err := r.Due(c.cal, c.start, c.d)
			got := ""
			if err != nil {
				got = err.Error()
			} else {
				got = due.Format(time.RFC3339Nano)
			}
			if !strings.HasPrefix(got, c.want) {
				t.Errorf("Due(%q, %s, %s) = %s; want %s", c.cal, c.start, c.d, got, c.want)
			}
		})
	}
}
