// Package sla is business-time arithmetic: calendars of opening hours with
// holidays and make-up working days, and the SLA deadline that a duration
// counted in such a calendar ends at. It is pure (no clocks, no I/O) so that
// what `frontdesk sla due` prints, what an acknowledgement promises and what
// the escalation scanner enforces are one computation. An instant is open
// when its local wall clock lies inside an open range [opening, closing) of
// its own local date, read on the clock (24:00 is midnight of the next
// date): across a DST change a range lasts the real time the clock spends
// in it, and an opening or closing that falls into a DST gap or overlap is
// where the clock passes it (see Calendar). A nil *Calendar is 24×7
// wall-clock time. A *Calendar must not be
// modified once in use; all its methods only read it and are safe for
// concurrent use.
package sla

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// Range is one open range of a local day, as offsets from local midnight
// in wall-clock terms: [Start, End), End may be 24h.
type Range struct{ Start, End time.Duration }

// Date is a local calendar date.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Duration is an SLA duration: either business time (Go duration syntax,
// "4h", "90m", "1h30m") or whole working days ("3d").
type Duration struct {
	Business time.Duration // set when Days == 0
	Days     int
}

// Calendar is a compiled business calendar. A nil *Calendar means 24×7
// wall-clock time.
//
// The open ranges of a local date are: none if the date is in Holidays
// (a holiday wins over a Workdays entry for the same date; rules check
// rejects such a file, see Validate); else the Workdays entry if there is one
// (it replaces the weekly hours; an empty entry means closed); else
// Weekly[weekday]. A nil Location means UTC.
//
// DST: an instant is open when the local clock reads a time inside one of
// the ranges of the local date it reads, as docs/design.md defines business
// time; a range is open for as long, in real time, as the clock spends in
// it. So `00:00-24:00` lasts 23 h on a spring-forward day and 25 h on a
// fall-back day; a range that opens inside the spring-forward gap (02:30
// in New York or Berlin, where the clock jumps from 02:00 to 03:00) opens
// when the clock jumps past its opening (03:00), and one that closes inside
// it (01:00-02:30) closes at the jump; a range that the fall-back overlap
// runs through is open during both passes of the repeated hour (02:00-03:00
// in Berlin on the last Sunday of October: two hours). This is the same on
// both sides of Greenwich. (Before audit 4 the instants were time.Date's,
// which normalises a time in the gap by the length of the gap, backwards
// west of Greenwich and forwards east of it, and picks one of the two
// occurrences of an ambiguous time, the first in New York and the second in
// Berlin: a 02:30 opening opened at 01:30 EST in New York, with the clock
// reading 01:30, and Berlin's repeated 02:00-03:00 counted once.) A range
// that the clock never reads (02:00-03:00 on a spring-forward day) is never
// open, though it still makes its date an open day for Nd deadlines, whose
// end is then the jump (closing).
type Calendar struct {
	Name     string
	Location *time.Location
	Weekly   [7][]Range // indexed by time.Weekday
	Holidays map[Date]bool
	Workdays map[Date][]Range
}

// Limits of the searches, so that a calendar that never opens cannot make a
// call loop forever.
const (
	// ClosedHorizonDays is how many consecutive days without an opening a
	// search scans before it gives up (Due returns the zero Time, NextOpen
	// false).
	ClosedHorizonDays = 3660
	// MaxHorizonDays bounds every search absolutely: a deadline more than
	// about 100 years after its start is not computed (Due returns the zero
	// Time).
	MaxHorizonDays = 36600
)

const day = 24 * time.Hour

// DateOf returns the local date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Weekday returns the day of the week of the date.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// AddDays returns the date n days later (earlier when n < 0).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Before reports whether d is an earlier date than e.
func (d Date) Before(e Date) bool {
	if d.Year != e.Year {
		return d.Year < e.Year
	}
	if d.Month != e.Month {
		return d.Month < e.Month
	}
	return d.Day < e.Day
}

// valid reports whether d names a real date (not normalised by time.Date).
func (d Date) valid() bool {
	return DateOf(time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)) == d
}

// String formats a day count as "3d" and business time compactly in Go
// duration syntax without zero units ("4h", "1h30m", "90s"), so that
// ParseDuration(d.String()) == d for every valid d. The zero Duration is "0s".
func (d Duration) String() string {
	if d.Days != 0 {
		return fmt.Sprintf("%dd", d.Days)
	}
	b := d.Business
	if b <= 0 || b%time.Second != 0 {
		return b.String()
	}
	h, m, s := b/time.Hour, (b%time.Hour)/time.Minute, (b%time.Minute)/time.Second
	out := ""
	if h != 0 {
		out += fmt.Sprintf("%dh", h)
	}
	if m != 0 {
		out += fmt.Sprintf("%dm", m)
	}
	if s != 0 {
		out += fmt.Sprintf("%ds", s)
	}
	return out
}

func (c *Calendar) loc() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// RangesOn returns the open ranges of local date d (holidays and workdays
// applied). The result must not be modified.
func (c *Calendar) RangesOn(d Date) []Range {
	if c.Holidays[d] {
		return nil
	}
	if r, ok := c.Workdays[d]; ok {
		return r
	}
	return c.Weekly[d.Weekday()]
}

// at returns the instant of wall-clock offset off on local date d.
func (c *Calendar) at(d Date, off time.Duration) time.Time {
	h := off / time.Hour
	off -= h * time.Hour
	m := off / time.Minute
	off -= m * time.Minute
	s := off / time.Second
	off -= s * time.Second
	return time.Date(d.Year, d.Month, d.Day, int(h), int(m), int(s), int(off), c.loc())
}

// IsOpen reports whether t lies inside an open range of its local date.
// A nil calendar is always open.
func (c *Calendar) IsOpen(t time.Time) bool {
	if c == nil {
		return true
	}
	t = t.In(c.loc())
	wall := wallClock(t)
	for _, r := range c.RangesOn(DateOf(t)) {
		if r.Start <= wall && wall < r.End {
			return true
		}
	}
	return false
}

// wallClock is t's local time of day, as an offset from local midnight.
func wallClock(t time.Time) time.Duration {
	hh, mm, ss := t.Clock()
	return time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute +
		time.Duration(ss)*time.Second + time.Duration(t.Nanosecond())
}

// walk calls fn with the open intervals [s, e) of the calendar that lie at
// or after from, in time order, disjoint, with s < e (adjacent intervals are
// not merged). It stops when fn returns false (and then returns true). With a
// zero until it also stops after ClosedHorizonDays without an open interval
// or MaxHorizonDays in all, and returns false; with a non-zero until it scans
// up to until (intervals are not clipped to it) and returns false.
//
// It walks segments of time in which the local date and the zone offset are
// constant: from the current instant to the next local midnight or zone
// transition, whichever comes first. Within a segment an instant is open iff
// it lies inside one of the ranges of the segment's local date, which is the
// definition of business time even in zones whose DST change crosses
// midnight. There the clock runs evenly, so a range's instants are those at
// which the clock reads its opening and closing, clipped to the segment.
func (c *Calendar) walk(from, until time.Time, fn func(s, e time.Time) bool) bool {
	loc := c.loc()
	t := from.In(loc)
	limit, idleUntil := until, until
	if until.IsZero() {
		limit = t.Add(MaxHorizonDays * day)
		idleUntil = t.Add(ClosedHorizonDays * day)
	}
	var last time.Time // end of the last interval yielded
	for t.Before(limit) && t.Before(idleUntil) {
		wall := wallClock(t)
		end := t.Add(day - wall)
		if _, zend := t.ZoneBounds(); !zend.IsZero() && zend.Before(end) {
			end = zend
		}
		d := DateOf(t)
		for _, r := range c.RangesOn(d) {
			s, e := t.Add(r.Start-wall), t.Add(r.End-wall)
			if s.Before(t) {
				s = t
			}
			if s.Before(last) {
				s = last
			}
			if e.After(end) {
				e = end
			}
			if !s.Before(e) {
				continue
			}
			if !fn(s, e) {
				return true
			}
			last = e
			if until.IsZero() {
				idleUntil = e.Add(ClosedHorizonDays * day)
			}
		}
		t = end.In(loc)
	}
	return false
}

// NextOpen returns t if the calendar is open at t, else the next opening
// after t, both in the calendar's location. It returns false when there is
// no opening within ClosedHorizonDays. A nil calendar returns t, true.
func (c *Calendar) NextOpen(t time.Time) (time.Time, bool) {
	if c == nil {
		return t, true
	}
	var next time.Time
	found := c.walk(t, time.Time{}, func(s, _ time.Time) bool {
		next = s
		return false
	})
	return next, found
}

// Between returns the business time elapsed in [a, b): the real time during
// which the calendar is open. It is 0 when b is not after a. A nil calendar
// returns b - a. The cost is linear in the number of days between a and b.
func (c *Calendar) Between(a, b time.Time) time.Duration {
	if !a.Before(b) {
		return 0
	}
	if c == nil {
		return b.Sub(a)
	}
	var sum time.Duration
	c.walk(a, b, func(s, e time.Time) bool {
		if !s.Before(b) {
			return false
		}
		if e.After(b) {
			e = b
		}
		sum += e.Sub(s)
		return true
	})
	return sum
}

// Due returns the deadline of an SLA duration d counted from start, in the
// calendar's location.
//
// For business time (d.Days == 0) it is the earliest instant at which
// d.Business of open time has passed since start; a count that completes
// exactly at a closing time ends there, not at the next opening.
//
// For d.Days = N > 0 let S be start if the calendar is open then, else the
// next opening. The deadline is the end of the last range of the Nth open
// day strictly after S's local date, where an open day is a date with at
// least one range (after holidays and workdays). A last range ending at
// 24:00 gives 00:00 of the following date. S itself only fixes the date
// counted from: 1d from 10:00 Monday and from 17:59 Monday are both Tuesday's
// closing.
//
// A d of zero or less returns start. The zero Time means there is no
// deadline within the horizon: no opening for ClosedHorizonDays, a deadline
// more than MaxHorizonDays after start, or d.Days > MaxHorizonDays.
//
// A nil calendar counts wall-clock time in start's location: start + d for
// business time and start + N×24h (real hours, so 23 or 25 wall-clock hours
// per day across a DST change) for N days.
func (c *Calendar) Due(start time.Time, d Duration) time.Time {
	if d.Days > MaxHorizonDays {
		return time.Time{}
	}
	if c == nil {
		if d.Days > 0 {
			return start.Add(time.Duration(d.Days) * day)
		}
		if d.Business <= 0 {
			return start
		}
		return start.Add(d.Business)
	}
	if d.Days > 0 {
		return c.dueDays(start, d.Days)
	}
	if d.Business <= 0 {
		return start.In(c.loc())
	}
	rest := d.Business
	var due time.Time
	c.walk(start, time.Time{}, func(s, e time.Time) bool {
		if n := e.Sub(s); n < rest {
			rest -= n
			return true
		}
		due = s.Add(rest)
		return false
	})
	return due
}

func (c *Calendar) dueDays(start time.Time, n int) time.Time {
	s, ok := c.NextOpen(start)
	if !ok {
		return time.Time{}
	}
	d := DateOf(s)
	idle := 0
	for i := 0; i < MaxHorizonDays; i++ {
		d = d.AddDays(1)
		r := c.RangesOn(d)
		if len(r) == 0 {
			if idle++; idle >= ClosedHorizonDays {
				break
			}
			continue
		}
		idle = 0
		if n--; n == 0 {
			return c.closing(d, r[len(r)-1].End)
		}
	}
	return time.Time{}
}

// closing returns the end of the last open interval of local date d: where
// the clock leaves its last range, whose closing is end. When the clock
// never reads a time of d's ranges (they lie in a DST gap) it is where the
// clock jumps past end, as a range that closes inside the gap closes at
// the jump (New York's 02:00-02:30 on its spring-forward day: 03:00 EDT).
// time.Date's instant for a closing in the gap is an hour off, before the
// date's hours in New York (01:30 EST, the clock reading 01:30) and an hour
// after them in Berlin (02:45 read as 03:45 CEST).
func (c *Calendar) closing(d Date, end time.Duration) time.Time {
	// A local date begins at most a few hours away from time.Date's
	// midnight (a DST change at midnight); its intervals are the ones the
	// walk yields with a start on that date.
	const margin = 3 * time.Hour
	from, until := c.at(d, 0).Add(-margin), c.at(d.AddDays(1), 0).Add(margin)
	var last time.Time
	c.walk(from, until, func(s, e time.Time) bool {
		if !s.Before(until) {
			return false
		}
		if DateOf(s.In(c.loc())) == d {
			last = e
		}
		return true
	})
	if !last.IsZero() {
		return last
	}
	t := c.at(d, end)
	if end >= day || wallClock(t) == end && DateOf(t) == d {
		return t // the clock reads end
	}
	// end lies in a gap: time.Date moved it by the gap's length, back
	// (the zone before the jump ends at the jump) or forward (the zone
	// after it begins there).
	zstart, zend := t.ZoneBounds()
	if wallClock(t) < end && DateOf(t) == d && !zend.IsZero() {
		return zend.In(c.loc())
	}
	if !zstart.IsZero() {
		return zstart.In(c.loc())
	}
	return t
}

// Validate checks what the parsers guarantee for a calendar built by hand:
// every range list ascending, non-overlapping, with 0 ≤ start < end ≤ 24h;
// holidays and workdays are real dates; and no date is both a holiday and a
// workday.
func (c *Calendar) Validate() error {
	var errs []error
	for wd, rs := range c.Weekly {
		if err := checkRanges(rs); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", weekdayKeys[wd], err))
		}
	}
	var dates []Date
	for d := range c.Holidays {
		dates = append(dates, d)
	}
	for d := range c.Workdays {
		if !c.Holidays[d] {
			dates = append(dates, d)
		}
	}
	sort.Slice(dates, func(i, j int) bool { return dates[i].Before(dates[j]) })
	for _, d := range dates {
		if !d.valid() {
			errs = append(errs, fmt.Errorf("%s: not a date", d))
		}
		rs, work := c.Workdays[d]
		if work && c.Holidays[d] {
			errs = append(errs, fmt.Errorf("%s: both a holiday and a workday", d))
		}
		if work {
			if err := checkRanges(rs); err != nil {
				errs = append(errs, fmt.Errorf("workday %s: %w", d, err))
			}
		}
	}
	return errors.Join(errs...)
}

func checkRanges(rs []Range) error {
	for i, r := range rs {
		switch {
		case r.Start < 0 || r.End > day:
			return fmt.Errorf("range %s outside 00:00-24:00", r)
		case r.Start >= r.End:
			return fmt.Errorf("range %s: start not before end", r)
		case i > 0 && r.Start < rs[i-1].End:
			return fmt.Errorf("range %s overlaps or precedes %s", r, rs[i-1])
		}
	}
	return nil
}

// String formats the range as HH:MM-HH:MM (with seconds when it has any).
func (r Range) String() string { return clock(r.Start) + "-" + clock(r.End) }

func clock(d time.Duration) string {
	if d < 0 {
		return "-" + clock(-d)
	}
	h, m, s := d/time.Hour, (d%time.Hour)/time.Minute, d%time.Minute
	if s != 0 {
		return fmt.Sprintf("%02d:%02d:%02d", h, m, s/time.Second)
	}
	return fmt.Sprintf("%02d:%02d", h, m)
}
