package gateway

import (
	"fmt"
	"time"

	"github.com/frontdesk-mail/frontdesk/compose"
	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/rules"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// ticketNumbers numbers tickets from the store's ticket sequence, starting
// at 1000 so that the first tags look like real ones (SUP-1000). The
// sequence never hands a number out twice, not even after the store was
// lost and replaced, so a ticket's reply address names one ticket forever.
type ticketNumbers struct {
	seq interface{ Next() (uint64, error) }
}

// TicketSeqKey is the sequence of ticket numbers; TicketBase is added to
// its values.
const (
	TicketSeqKey = store.PrefixMisc + "ticket-seq"
	TicketBase   = 1000
)

func (n ticketNumbers) Next() (uint64, error) {
	v, err := n.seq.Next()
	return v + TicketBase, err
}

// escalationLag is how much later than a warning queued at the same
// instant its escalation is due (escalationNotifier).
const escalationLag = time.Second

// escalationNotifier queues the warning before a deadline and the
// escalation after a breach to the department's escalation address (its
// mailbox when it has none), inside the scanner's transaction. The mails
// are the templates warning and escalation (compose), so an admin words
// them in templates_dir like the acknowledgement.
func escalationNotifier(cfg *config.Config, r *router, templates func() *compose.Templates) ticket.Notifier {
	return func(txn *store.Txn, t *ticket.Ticket, d *ticket.Deadline, what string, now time.Time) error {
		dept, _ := r.Department(t.Department)
		to := dept.EscalateTo
		if to == "" {
			to = rules.Inbox(t.Department, dept, cfg.Hostname)
		}
		cal, _ := r.Calendar(t.Policy.Calendar)
		loc := time.UTC
		if cal != nil && cal.Location != nil {
			loc = cal.Location
		}
		c := compose.Composer{Templates: templates(), Hostname: cfg.Hostname}
		e := compose.SLAEvent{To: to, TicketTag: t.Tag, Department: t.Department, Customer: t.Customer, Subject: t.Subject,
			Priority: t.Priority, Status: t.Status, Kind: d.Kind, Due: d.Due.In(loc), Now: now}
		build, kind := c.Warning, queue.Warning
		if what == "breach" {
			build, kind = c.Escalation, queue.Escalation
		}
		raw, _, err := build(e)
		if err != nil {
			return fmt.Errorf("%s mail for %s: %w", kind, t.Tag, err)
		}
		bodyID := store.NewID(now)
		if err := txn.PutRaw(bodyID, raw); err != nil {
			return err
		}
		// A late scan queues a deadline's warning and its escalation at the
		// same instant; the escalation is due a second later, so that the
		// warning goes first (the queue sends in order of due time, then
		// id, and the ids of one instant differ in random bits alone).
		next := now
		if what == "breach" {
			next = now.Add(escalationLag)
		}
		return queue.Add(txn, &queue.Item{ID: store.NewID(now), BodyID: bodyID, Target: queue.Agents, Kind: kind,
			Mailbox: "escalations", From: "", To: []string{to}, Ticket: t.Tag, Received: now, Created: now, NextAttempt: next})
	}
}
