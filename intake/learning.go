package intake

import (
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// Learner records what agents teach (package learn): the customer's
// words of a ticket an agent moved (#move) or answered with FAQ entries
// (#faq, or a help-centre link in the reply). Record runs inside the
// commit of the agent's mail; Changed after that commit succeeded, so the
// ranking rebuilds with the new example.
type Learner interface {
	Record(txn *store.Txn, ex *learn.Example) error
	Changed()
}

// FAQLinks is what #faq needs of the FAQ catalog in force: an entry's
// title and URL in a language, and the entries a reply's text links to
// (URLs of the help centre or the entries' own).
type FAQLinks interface {
	Link(id string, lang message.Language) (title, url string, ok bool)
	Linked(text string) []string
}

// Policies is implemented by a Router that knows each department's SLA
// policy for a priority (for #move).
type Policies interface {
	Policy(department, priority string) ticket.Policy
}

// Learning wires the agents' corrections; the zero value learns nothing
// and refuses #faq (no catalog).
type Learning struct {
	Learner Learner  // nil: learning is off (learn.enabled: false)
	Links   FAQLinks // nil: #faq is refused
}

// customerWords is what a ticket's customer asked: its subject and the
// fresh text of their first mail (kept on the timeline, bounded).
func customerWords(t *ticket.Ticket) (subject, text string) {
	for _, e := range t.Timeline {
		if e.Kind == ticket.KindCustomer {
			return t.Subject, e.Text
		}
	}
	return t.Subject, ""
}

// learnFrom records in txn what an agent's command on t teaches; it
// reports whether it recorded anything.
func (in *Intake) learnFrom(txn *store.Txn, t *ticket.Ticket, src learn.Source, dept string, entries []string, agent string, now time.Time) (bool, error) {
	if in.Learner == nil || (dept == "" && len(entries) == 0) {
		return false, nil
	}
	subject, text := customerWords(t)
	if strings.TrimSpace(subject+text) == "" {
		return false, nil
	}
	ex := &learn.Example{At: now, Source: src, Department: dept, Entries: entries, Customer: t.Customer, Lang: t.Lang,
		Subject: subject, Text: text, Ticket: t.Tag, By: strings.ToLower(agent)}
	return true, in.Learner.Record(txn, ex)
}
