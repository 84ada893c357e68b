package sla

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// This file checks Due, Between, NextOpen and IsOpen against a deliberately
// naive reference that knows nothing of the implementation's segment walk:
// it steps minute by minute in UTC and asks, for every minute, "does the
// local clock read a time inside an open range of the local date it
// reads?", exactly as docs/design.md defines business time. The random
// calendars have whole-minute ranges, the starts are whole minutes and all
// zones used have whole-minute offsets, so the open/closed state is constant
// on each minute and minute stepping is exact.

// refCal is the reference's own view of a calendar: plain data.
type refCal struct {
	loc      *time.Location
	weekly   [7][][2]int // minutes since local midnight, [start, end)
	holidays map[[3]int]bool
	workdays map[[3]int][][2]int
}

// ranges returns the reference's open ranges of a local date.
func (r *refCal) ranges(y int, m time.Month, d int) [][2]int {
	k := [3]int{y, int(m), d}
	if r.holidays[k] {
		return nil
	}
	if w, ok := r.workdays[k]; ok {
		return w
	}
	return r.weekly[time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Weekday()]
}

// refStepper answers "is t open?" minute by minute.
type refStepper struct{ r *refCal }

func (s *refStepper) open(t time.Time) bool {
	l := t.In(s.r.loc)
	y, m, d := l.Date()
	wall := l.Hour()*60 + l.Minute()
	for _, rg := range s.r.ranges(y, m, d) {
		if rg[0] <= wall && wall < rg[1] {
			return true
		}
	}
	return false
}

const refMaxSteps = 120 * 24 * 60 // the reference gives up after 120 days

// refDueBusiness returns the first instant at which d of open time has
// passed since start, or ok=false when the reference gives up.
func refDueBusiness(r *refCal, start time.Time, d time.Duration) (time.Time, bool) {
	s := &refStepper{r: r}
	var acc time.Duration
	t := start.UTC()
	for i := 0; i < refMaxSteps; i++ {
		if s.open(t) {
			acc += time.Minute
		}
		t = t.Add(time.Minute)
		if acc == d {
			return t, true
		}
	}
	return time.Time{}, false
}

// refNextOpen returns the first open minute at or after t.
func refNextOpen(r *refCal, t time.Time) (time.Time, bool) {
	s := &refStepper{r: r}
	t = t.UTC()
	for i := 0; i < refMaxSteps; i++ {
		if s.open(t) {
			return t, true
		}
		t = t.Add(time.Minute)
	}
	return time.Time{}, false
}

// refDueDays implements the Nd definition literally on the reference data.
func refDueDays(r *refCal, start time.Time, n int) (time.Time, bool) {
	s, ok := refNextOpen(r, start)
	if !ok {
		return time.Time{}, false
	}
	y, m, d := s.In(r.loc).Date()
	for i := 1; i < 400; i++ {
		yy, mm, dd := time.Date(y, m, d+i, 12, 0, 0, 0, time.UTC).Date()
		rs := r.ranges(yy, mm, dd)
		if len(rs) == 0 {
			continue
		}
		if n--; n == 0 {
			// where the clock leaves the date's last open minute; a
			// date whose ranges the clock never reads (a DST gap):
			// where the clock jumps past the closing
			st := &refStepper{r: r}
			var end time.Time
			for t := time.Date(yy, mm, dd, 0, 0, 0, 0, r.loc).Add(-3 * time.Hour); t.Before(time.Date(yy, mm, dd+1, 3, 0, 0, 0, r.loc)); t = t.Add(time.Minute) {
				if ly, lm, ld := t.In(r.loc).Date(); ly == yy && lm == mm && ld == dd && st.open(t) {
					end = t.Add(time.Minute)
				}
			}
			if end.IsZero() {
				// the first minute of the date at which the clock
				// reads the closing or later: the jump past it
				last := rs[len(rs)-1][1]
				for t := time.Date(yy, mm, dd, 0, 0, 0, 0, r.loc).Add(-3 * time.Hour); t.Before(time.Date(yy, mm, dd+1, 3, 0, 0, 0, r.loc)); t = t.Add(time.Minute) {
					lt := t.In(r.loc)
					if ly, lm, ld := lt.Date(); ly == yy && lm == mm && ld == dd && lt.Hour()*60+lt.Minute() >= last {
						end = t
						break
					}
				}
				if end.IsZero() {
					end = time.Date(yy, mm, dd, last/60, last%60, 0, 0, r.loc)
				}
			}
			return end, true
		}
	}
	return time.Time{}, false
}

func refBetween(r *refCal, a, b time.Time) time.Duration {
	s := &refStepper{r: r}
	var acc time.Duration
	for t := a.UTC(); t.Before(b); t = t.Add(time.Minute) {
		if s.open(t) {
			acc += time.Minute
		}
	}
	return acc
}

// Zones for the random calendars: the usual ones, half- and
// quarter-hour offsets, and zones whose DST changes happen at midnight
// (America/Sao_Paulo until 2019, America/Havana, America/Santiago,
// Asia/Beirut), where a local date can begin at 01:00 or have 25 hours that
// straddle midnight.
var refZones = []string{
	"UTC", "Asia/Shanghai", "America/New_York", "Europe/Berlin",
	"Australia/Sydney", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns",
	"America/Sao_Paulo", "America/Havana", "America/Santiago", "Asia/Beirut",
	"Pacific/Chatham", "Australia/Lord_Howe", "Asia/Amman", "Asia/Damascus", "Asia/Gaza",
}

// randRanges returns 0..3 ascending ranges on whole minutes, biased to hour
// boundaries, 00:00 and 24:00, and DST-sensitive hours (00:00-03:00), with
// touching ranges now and then.
func randRanges(rng *rand.Rand) [][2]int {
	n := rng.IntN(4)
	if n == 0 {
		return nil
	}
	pts := map[int]bool{}
	for len(pts) < 2*n {
		var p int
		switch rng.IntN(6) {
		case 0:
			p = rng.IntN(1441)
		case 1:
			p = []int{0, 1440, 60, 90, 105, 120, 135, 150, 180}[rng.IntN(9)]
		default:
			p = 60 * rng.IntN(25)
		}
		pts[p] = true
	}
	var sorted []int
	for p := 0; p <= 1440; p++ {
		if pts[p] {
			sorted = append(sorted, p)
		}
	}
	var out [][2]int
	for i := 0; i < len(sorted); i += 2 {
		a, b := sorted[i], sorted[i+1]
		if len(out) > 0 && rng.IntN(4) == 0 {
			a = out[len(out)-1][1] // touch the previous range
		}
		out = append(out, [2]int{a, b})
	}
	return out
}

func toRanges(rs [][2]int) []Range {
	var out []Range
	for _, r := range rs {
		out = append(out, Range{time.Duration(r[0]) * time.Minute, time.Duration(r[1]) * time.Minute})
	}
	return out
}

// randCal builds the same random calendar as a *Calendar and as refCal,
// with holidays and workdays scattered around base.
func randCal(rng *rand.Rand, loc *time.Location, base time.Time) (*Calendar, *refCal) {
	c := &Calendar{Name: "random", Location: loc, Holidays: map[Date]bool{}, Workdays: map[Date][]Range{}}
	r := &refCal{loc: loc, holidays: map[[3]int]bool{}, workdays: map[[3]int][][2]int{}}
	for wd := range 7 {
		rs := randRanges(rng)
		if wd >= 1 && wd <= 5 && rs == nil && rng.IntN(2) == 0 {
			rs = randRanges(rng) // most calendars open on most weekdays
		}
		r.weekly[wd] = rs
		c.Weekly[wd] = toRanges(rs)
	}
	for range rng.IntN(6) {
		y, m, d := base.AddDate(0, 0, rng.IntN(14)-3).Date()
		if rng.IntN(2) == 0 {
			c.Holidays[Date{y, m, d}] = true
			r.holidays[[3]int{y, int(m), d}] = true
			delete(c.Workdays, Date{y, m, d})
			delete(r.workdays, [3]int{y, int(m), d})
		} else if !c.Holidays[Date{y, m, d}] {
			rs := randRanges(rng)
			c.Workdays[Date{y, m, d}] = toRanges(rs)
			r.workdays[[3]int{y, int(m), d}] = rs
		}
	}
	if err := c.Validate(); err != nil {
		panic(fmt.Sprintf("random calendar invalid: %v", err))
	}
	return c, r
}

// randStart is a whole-minute instant in 2017..2027, often within three
// days before a zone transition (DST change), near a local midnight, or in
// the DST months.
func randStart(rng *rand.Rand, loc *time.Location) time.Time {
	if rng.IntN(2) == 0 {
		t := time.Date(2017+rng.IntN(11), time.Month(1+rng.IntN(12)), 1, 0, 0, 0, 0, loc)
		if _, end := t.ZoneBounds(); !end.IsZero() && end.Sub(t) < 400*24*time.Hour {
			return end.Add(-time.Duration(rng.IntN(3*24*60)) * time.Minute)
		}
	}
	y := 2017 + rng.IntN(11)
	m := time.Month(1 + rng.IntN(12))
	if rng.IntN(2) == 0 {
		m = []time.Month{3, 4, 9, 10, 11}[rng.IntN(5)]
	}
	t := time.Date(y, m, 1+rng.IntN(28), 0, 0, 0, 0, loc)
	if rng.IntN(3) == 0 {
		return t.Add(time.Duration(rng.IntN(180)-60) * time.Minute)
	}
	return t.Add(time.Duration(rng.IntN(24*60)) * time.Minute)
}

func fmtCal(c *Calendar) string {
	s := c.Location.String()
	for wd, rs := range c.Weekly {
		s += fmt.Sprintf(" %s%v", weekdayKeys[wd], rs)
	}
	return s + fmt.Sprintf(" holidays%v workdays%v", c.Holidays, c.Workdays)
}

func TestDifferentialAgainstMinuteStepper(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 11))
	cases := 3000
	if testing.Short() {
		cases = 300
	}
	checked := map[string]int{}
	for i := 0; i < cases; i++ {
		loc, err := time.LoadLocation(refZones[rng.IntN(len(refZones))])
		if err != nil {
			t.Fatal(err)
		}
		start := randStart(rng, loc)
		c, r := randCal(rng, loc, start)
		ctx := func() string { return fmt.Sprintf("case %d: %s start %s", i, fmtCal(c), start) }

		// IsOpen and NextOpen.
		if got, want := c.IsOpen(start), (&refStepper{r: r}).open(start); got != want {
			t.Fatalf("%s: IsOpen = %v, reference %v", ctx(), got, want)
		}
		if want, ok := refNextOpen(r, start); ok {
			got, gok := c.NextOpen(start)
			if !gok || !got.Equal(want) {
				t.Fatalf("%s: NextOpen = %s %v, reference %s", ctx(), got, gok, want)
			}
			checked["NextOpen"]++
		}

		// Business time.
		d := time.Duration(1+rng.IntN(16*60)) * time.Minute
		if rng.IntN(4) == 0 {
			d = time.Duration(1+rng.IntN(90)) * time.Minute
		}
		if want, ok := refDueBusiness(r, start, d); ok {
			got := c.Due(start, Duration{Business: d})
			if !got.Equal(want) {
				t.Fatalf("%s: Due(%s) = %s, reference %s", ctx(), d, got, want)
			}
			if got.Location() != c.Location {
				t.Fatalf("%s: Due in %s, want %s", ctx(), got.Location(), c.Location)
			}
			if b := c.Between(start, got); b != d {
				t.Fatalf("%s: Between(start, Due(%s)) = %s", ctx(), d, b)
			}
			checked["Due h/m"]++
		}

		// Days.
		n := 1 + rng.IntN(5)
		if want, ok := refDueDays(r, start, n); ok {
			if got := c.Due(start, Duration{Days: n}); !got.Equal(want) {
				t.Fatalf("%s: Due(%dd) = %s, reference %s", ctx(), n, got, want)
			}
			checked["Due Nd"]++
		}

		// Between over a random window of up to 10 days.
		b := start.Add(time.Duration(rng.IntN(10*24*60)) * time.Minute)
		if got, want := c.Between(start, b), refBetween(r, start, b); got != want {
			t.Fatalf("%s: Between(start, %s) = %s, reference %s", ctx(), b, got, want)
		}
		checked["Between"]++
	}
	t.Logf("checked: %v", checked)
	for _, k := range []string{"NextOpen", "Due h/m", "Due Nd", "Between"} {
		if checked[k] < cases/2 {
			t.Errorf("only %d of %d cases checked %s; the generator is off", checked[k], cases, k)
		}
	}
}
