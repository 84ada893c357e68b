package gateway

import (
	"bytes"
	"fmt"
	"mime"
	"time"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/sla"
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

// escalationNotifier queues the warning before a deadline and the
// escalation after a breach to the department's escalation address (its
// mailbox when it has none), inside the scanner's transaction.
func escalationNotifier(cfg *config.Config, r *router) ticket.Notifier {
	return func(txn *store.Txn, t *ticket.Ticket, d *ticket.Deadline, what string, now time.Time) error {
		dept, _ := r.Department(t.Department)
		to := dept.EscalateTo
		if to == "" {
			to = dept.Mailbox
		}
		if to == "" {
			to = t.Department + "@" + cfg.Hostname
		}
		cal, _ := r.Calendar(t.Policy.Calendar)
		loc := time.UTC
		if cal != nil && cal.Location != nil {
			loc = cal.Location
		}
		kindName := map[string]string{"first_response": "first response", "next_response": "next response", "resolution": "resolution"}[d.Kind]
		var subject, body string
		autoSub := "auto-generated"
		if what == "warn" {
			subject = fmt.Sprintf("[%s] SLA warning: %s due %s", t.Tag, kindName, sla.Describe(d.Due.In(loc), "en"))
			body = fmt.Sprintf("Ticket %s (%s) from %s is at risk: its %s is due %s.\r\n\r\nSubject: %s\r\nPriority: %s\r\nStatus: %s\r\n",
				t.Tag, t.Department, t.Customer, kindName, d.Due.In(loc).Format(time.RFC3339), t.Subject, t.Priority, t.Status)
		} else {
			subject = fmt.Sprintf("[%s] SLA breached: %s was due %s", t.Tag, kindName, sla.Describe(d.Due.In(loc), "en"))
			body = fmt.Sprintf("Ticket %s (%s) from %s breached its %s deadline at %s.\r\n\r\nSubject: %s\r\nPriority: %s\r\nStatus: %s\r\n",
				t.Tag, t.Department, t.Customer, kindName, d.Due.In(loc).Format(time.RFC3339), t.Subject, t.Priority, t.Status)
		}
		var b bytes.Buffer
		mid := fmt.Sprintf("sla.%s@%s", store.NewID(now), cfg.Hostname)
		fmt.Fprintf(&b, "From: Frontdesk <frontdesk@%s>\r\nTo: <%s>\r\nSubject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\n",
			cfg.Hostname, to, mime.QEncoding.Encode("utf-8", subject), now.Format(time.RFC1123Z), mid)
		fmt.Fprintf(&b, "Auto-Submitted: %s\r\nX-Frontdesk-Ticket: %s\r\nX-Frontdesk-SLA-Event: %s %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s",
			autoSub, t.Tag, d.Kind, what, body)
		bodyID := store.NewID(now)
		if err := txn.PutRaw(bodyID, b.Bytes()); err != nil {
			return err
		}
		kind := "warning"
		if what == "breach" {
			kind = "escalation"
		}
		return queue.Add(txn, &queue.Item{ID: store.NewID(now), BodyID: bodyID, Target: "agents", Kind: kind,
			Mailbox: "escalations", From: "", To: []string{to}, Ticket: t.Tag, Received: now, Created: now})
	}
}
