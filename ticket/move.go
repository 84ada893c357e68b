package ticket

import (
	"time"

	"github.com/frontdesk-mail/frontdesk/sla"
)

// Move gives the ticket to another department under that department's
// policy p. Its clocks are counted again from where they started (the
// customer's first mail for first response and resolution), so the ticket
// is owed what the new department promises for a mail that arrived then,
// not a fresh allowance from the moment of the move. A clock already met
// or breached stays as it was: that is history. The timeline records who
// moved it, from where.
func (t *Ticket) Move(dept string, p Policy, by string, now time.Time, cal *sla.Calendar) {
	from := t.Department
	t.Department = dept
	t.Policy = p
	t.Updated = now
	for _, kind := range []sla.Kind{sla.FirstResponse, sla.NextResponse, sla.Resolution} {
		d := t.Deadline(kind)
		if d == nil || d.Done() {
			continue
		}
		start, paused := d.Start, d.PausedAt
		dur := map[sla.Kind]sla.Duration{sla.FirstResponse: p.FirstResponse, sla.NextResponse: p.NextResponse, sla.Resolution: p.Resolution}[kind]
		if dur == (sla.Duration{}) {
			t.dropClock(kind) // the new department does not track it
			continue
		}
		t.startClock(kind, dur, start, cal)
		if nd := t.Deadline(kind); nd != nil {
			nd.PausedAt = paused
			nd.Warned = !nd.WarnAt.IsZero() && !nd.WarnAt.After(now) // no warning for a past moment
		}
	}
	if t.Deadline(sla.FirstResponse) == nil && t.FirstResponseAt.IsZero() && p.FirstResponse != (sla.Duration{}) {
		t.startClock(sla.FirstResponse, p.FirstResponse, t.Created, cal)
	}
	if t.Deadline(sla.Resolution) == nil && t.Status != Resolved && p.Resolution != (sla.Duration{}) {
		t.startClock(sla.Resolution, p.Resolution, t.Created, cal)
	}
	t.Timeline = append(t.Timeline, Entry{At: now, Kind: KindSystem, From: by, Text: "moved from " + from + " to " + dept + " by " + by})
}

func (t *Ticket) dropClock(kind sla.Kind) {
	for i := range t.Deadlines {
		if t.Deadlines[i].Kind == kind {
			t.Deadlines = append(t.Deadlines[:i], t.Deadlines[i+1:]...)
			return
		}
	}
}
