// Package sla is business-time arithmetic: calendars of opening hours with
// holidays and make-up working days, and the SLA deadline that a duration
// counted in such a calendar ends at. It is pure (no clocks, no I/O) so that
// what `frontdesk sla due` prints, what an acknowledgement promises and what
// the escalation scanner enforces are one computation.
//
// CONTRACT (implemented by the sla helper; signatures are fixed because rules
// and cmd call them):
package sla

import "time"

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
type Calendar struct {
	Name     string
	Location *time.Location
	Weekly   [7][]Range // indexed by time.Weekday
	Holidays map[Date]bool
	Workdays map[Date][]Range
}
