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
// promises.
func (r *Rules) Due(calendar string, start time.Time, d sla.Duration) (time.Time, error) {
	cal, ok := r.Calendar(calendar)
	if !ok {
		var names []string
		for _, c := range r.Calendars() {
			names = append(names, c.Name)
		}
		if len(names) == 0 {
			names = []string{"none"}
		}
		return time.Time{}, fmt.Errorf("no calendar %q (the rules define: %s)", calendar, strings.Join(names, ", "))
	}
	due := cal.Due(start, d)
	if due.IsZero() {
		return time.Time{}, fmt.Errorf("calendar %q has no opening within the horizon", calendar)
	}
	return due.In(cal.Location).Truncate(time.Second), nil
}
