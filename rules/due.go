package rules

import (
	"fmt"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/sla"
)

// Due is the deadline d of business time after start on the named
// calendar, in the calendar's zone to the second: what `sla due` prints,
// from the function the SLA tracker enforces and the acknowledgement
// promises. The calendar "none" is what an sla's "calendar: none" means:
// 24×7 wall-clock time, the deadline shown in start's zone.
func (r *Rules) Due(calendar string, start time.Time, d sla.Duration) (time.Time, error) {
	if calendar == noCalendar {
		var wall *sla.Calendar // nil: 24×7, as the tracker counts an sla without a calendar
		due := wall.Due(start, d)
		if due.IsZero() {
			return time.Time{}, fmt.Errorf("calendar %q: %s is beyond the horizon of %d days", calendar, d, sla.MaxHorizonDays)
		}
		return due.Truncate(time.Second), nil
	}
	cal, ok := r.Calendar(calendar)
	if !ok {
		var names []string
		for _, c := range r.Calendars() {
			names = append(names, c.Name)
		}
		defined := "the rules define none"
		if len(names) > 0 {
			defined = "the rules define: " + strings.Join(names, ", ")
		}
		return time.Time{}, fmt.Errorf("no calendar %q (%s; %q is 24×7 wall-clock time)", calendar, defined, noCalendar)
	}
	due := cal.Due(start, d)
	if due.IsZero() {
		return time.Time{}, fmt.Errorf("calendar %q has no opening within the horizon", calendar)
	}
	return due.In(cal.Location).Truncate(time.Second), nil
}
