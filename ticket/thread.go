package ticket

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/store"
)

// Match says how a message was threaded.
type Match struct {
	Ticket *Ticket
	By     string // in-reply-to, references, reply-address, subject-tag
	// Stranger is set when only the subject tag matched and the sender is
	// not the ticket's customer: the mail joins the ticket as another
	// participant's, never as the customer's.
	Stranger bool
}

// Thread finds the ticket a message continues, trying In-Reply-To, every
// References entry, the ticket reply address among rcpts, and the subject
// tag, in that order: headers first because clients that keep them are
// precise; the tag last because a forwarded or retyped tag is the weakest
// evidence. It returns nil when the message starts a new conversation.
func Thread(txn *store.Txn, m *message.Message, rcpts []string, prefix string) (*Match, error) {
	try := func(id string) (*Ticket, error) {
		b, err := txn.Get(midKey(id))
		if err != nil {
			if IsNotFound(err) {
				return nil, nil
			}
			return nil, err
		}
		t, err := Get(txn, string(b))
		if IsNotFound(err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return live(Survivor(txn, t))
	}
	for _, id := range m.InReplyTo {
		if t, err := try(id); t != nil || err != nil {
			return &Match{Ticket: t, By: "in-reply-to"}, err
		}
	}
	for i := len(m.References) - 1; i >= 0; i-- {
		if t, err := try(m.References[i]); t != nil || err != nil {
			return &Match{Ticket: t, By: "references"}, err
		}
	}
	for _, r := range rcpts {
		if tag := AddressTag(r, prefix); tag != "" {
			t, err := Get(txn, tag)
			if err == nil {
				t, err = live(Survivor(txn, t))
			}
			if err == nil && t != nil {
				return &Match{Ticket: t, By: "reply-address"}, nil
			}
			if !IsNotFound(err) {
				return nil, err
			}
		}
	}
	if tag := SubjectTag(m.Subject, prefix); tag != "" {
		t, err := Get(txn, tag)
		if err == nil {
			t, err = live(Survivor(txn, t))
		}
		if err == nil && t != nil {
			stranger := !strings.EqualFold(m.From.Address, t.Customer)
			return &Match{Ticket: t, By: "subject-tag", Stranger: stranger}, nil
		}
		if !IsNotFound(err) {
			return nil, err
		}
	}
	return nil, nil
}

// ThreadKeys are the keys Thread reads first for m: the Message-ID index
// of its In-Reply-To and of its last References (at most maxThreadKeys
// of those), and the tickets its reply address among rcpts and its
// subject tag name. For store.UpdateReading, so that on PostgreSQL they go
// in the round trip that begins the transaction: most of a gateway's mail
// threads to nothing these find, and each was a round trip of the
// committer's (bench/README.md).
func ThreadKeys(m *message.Message, rcpts []string, prefix string) [][]byte {
	var keys [][]byte
	for _, id := range m.InReplyTo {
		keys = append(keys, midKey(id))
	}
	for i := len(m.References) - 1; i >= 0 && len(keys) < maxThreadKeys; i-- {
		keys = append(keys, midKey(m.References[i]))
	}
	for _, r := range rcpts {
		if tag := AddressTag(r, prefix); tag != "" {
			keys = append(keys, ticketKey(tag))
		}
	}
	if tag := SubjectTag(m.Subject, prefix); tag != "" {
		keys = append(keys, ticketKey(tag))
	}
	return keys
}

// maxThreadKeys bounds the Message-ID keys ThreadKeys names: a long
// References chain is read further only when the first ones find nothing.
const maxThreadKeys = 8

// live is t unless its customer's data was erased: an erased ticket is
// an anonymous record that no mail threads into (nil, and err as given).
func live(t *Ticket, err error) (*Ticket, error) {
	if err == nil && t != nil && !t.Erased.IsZero() {
		return nil, nil
	}
	return t, err
}

// maxMergeHops bounds following MergedInto (a chain, never a cycle:
// MergeInto refuses a survivor that was merged itself).
const maxMergeHops = 8

// Survivor follows t's MergedInto to the ticket that holds its
// conversation now (t itself when it was not merged).
func Survivor(txn *store.Txn, t *Ticket) (*Ticket, error) {
	for range maxMergeHops {
		if t.MergedInto == "" {
			return t, nil
		}
		next, err := Get(txn, t.MergedInto)
		if IsNotFound(err) {
			return t, nil
		}
		if err != nil {
			return nil, err
		}
		t = next
	}
	return t, nil
}

// NewParams describe a ticket to open.
type NewParams struct {
	Tag          string
	Number       uint64
	Department   string
	Priority     string
	Tags         []string
	Customer     string
	CustomerName string
	Subject      string
	Lang         message.Language
	Traditional  bool
	Policy       Policy
	LinkedFrom   string
}

// New builds a ticket opened at now by the message entry e, with its SLA
// clocks started.
func New(p NewParams, e Entry, now time.Time, cal *sla.Calendar) *Ticket {
	t := &Ticket{
		Tag: p.Tag, Number: p.Number, Department: p.Department, Priority: p.Priority, Tags: p.Tags,
		Customer: strings.ToLower(p.Customer), CustomerName: p.CustomerName, Subject: p.Subject, Lang: p.Lang, Traditional: p.Traditional,
		Status: Open, Created: now, Updated: now, Policy: p.Policy, LinkedFrom: p.LinkedFrom,
		Timeline: []Entry{e},
	}
	if e.MessageID != "" {
		t.MessageIDs = append(t.MessageIDs, e.MessageID)
	}
	t.startClock(sla.FirstResponse, p.Policy.FirstResponse, now, cal)
	t.startClock(sla.Resolution, p.Policy.Resolution, now, cal)
	return t
}

// startClock adds (or restarts) a deadline of kind counted from start.
func (t *Ticket) startClock(kind sla.Kind, d sla.Duration, start time.Time, cal *sla.Calendar) {
	if d == (sla.Duration{}) {
		return
	}
	dl := Deadline{Kind: kind, Start: start, Due: cal.Due(start, d)}
	if dl.Due.IsZero() {
		return // a calendar with no opening within the horizon: nothing to enforce
	}
	if w := t.Policy.WarnAt; w > 0 && w < 1 {
		// Warn after that share of the business time allowed; for Nd
		// durations the share of the business time until the deadline.
		total := cal.Between(start, dl.Due)
		dl.WarnAt = cal.Due(start, sla.Duration{Business: time.Duration(float64(total) * w)})
	}
	for i := range t.Deadlines {
		if t.Deadlines[i].Kind == kind {
			t.Deadlines[i] = dl
			return
		}
	}
	t.Deadlines = append(t.Deadlines, dl)
}

// AddCustomer records a customer's (or participant's) follow-up. A
// follow-up to a resolved ticket reopens it; one to an answered or
// waiting ticket starts the next-response clock and resumes a paused one.
func (t *Ticket) AddCustomer(e Entry, now time.Time, cal *sla.Calendar) {
	t.Timeline = append(t.Timeline, e)
	if e.MessageID != "" {
		t.MessageIDs = append(t.MessageIDs, e.MessageID)
	}
	t.Updated = now
	if e.Kind != KindCustomer {
		return
	}
	t.stopPendingClose()
	switch t.Status {
	case Resolved:
		t.Status = Open
		t.ResolvedAt = time.Time{}
		t.Timeline = append(t.Timeline, Entry{At: now, Kind: KindSystem, Text: "reopened by the customer"})
		t.startClock(sla.Resolution, t.Policy.Resolution, now, cal)
		if fr := t.Deadline(sla.FirstResponse); fr == nil || fr.Done() {
			t.startClock(sla.NextResponse, t.Policy.NextResponse, now, cal)
		}
	case Answered, Waiting:
		t.resume(now, cal)
		t.Status = Open
		t.startClock(sla.NextResponse, t.Policy.NextResponse, now, cal)
	}
}

// AddAgentReply records an agent's reply that is forwarded to the
// customer: it meets the first-response (or next-response) clock.
func (t *Ticket) AddAgentReply(e Entry, now time.Time) {
	t.Timeline = append(t.Timeline, e)
	if e.MessageID != "" {
		t.MessageIDs = append(t.MessageIDs, e.MessageID)
	}
	t.Updated = now
	if t.Owner == "" && e.From != "" {
		t.Owner = strings.ToLower(e.From) // the first agent to answer has it
	}
	t.stopPendingClose() // a #wait after this reply starts it again
	if t.FirstResponseAt.IsZero() {
		t.FirstResponseAt = now
	}
	for _, kind := range []sla.Kind{sla.FirstResponse, sla.NextResponse} {
		if d := t.Deadline(kind); d != nil && !d.Done() {
			d.MetAt = now
		}
	}
	if t.Status != Resolved {
		t.Status = Answered
	}
}

// AddNote records an internal note; it changes no clock.
func (t *Ticket) AddNote(e Entry, now time.Time) {
	t.Timeline = append(t.Timeline, e)
	t.Updated = now
}

// SetWaiting marks the ticket as waiting on the customer, pausing the
// resolution clock when the policy says so.
func (t *Ticket) SetWaiting(now time.Time) {
	if t.Status == Resolved {
		return
	}
	t.Status = Waiting
	t.Updated = now
	if t.Policy.PauseWhenWaiting {
		if d := t.Deadline(sla.Resolution); d != nil && !d.Done() && d.PausedAt.IsZero() {
			d.PausedAt = now
		}
	}
}

// resume restarts paused clocks with the business time they had left.
func (t *Ticket) resume(now time.Time, cal *sla.Calendar) {
	for i := range t.Deadlines {
		d := &t.Deadlines[i]
		if d.PausedAt.IsZero() || d.Done() {
			continue
		}
		left := cal.Between(d.PausedAt, d.Due)
		warnLeft := time.Duration(0)
		if !d.Warned && !d.WarnAt.IsZero() && d.WarnAt.After(d.PausedAt) {
			warnLeft = cal.Between(d.PausedAt, d.WarnAt)
		}
		d.PausedAt = time.Time{}
		if left <= 0 {
			d.Due = now
		} else {
			d.Due = cal.Due(now, sla.Duration{Business: left})
		}
		if warnLeft > 0 {
			d.WarnAt = cal.Due(now, sla.Duration{Business: warnLeft})
		}
	}
}

// Resolve closes the ticket; the resolution clock is met if it is running.
func (t *Ticket) Resolve(now time.Time, by string) {
	if t.Status == Resolved {
		return
	}
	t.Status = Resolved
	t.ResolvedAt = now
	t.Updated = now
	t.stopPendingClose()
	for i := range t.Deadlines {
		d := &t.Deadlines[i]
		if d.Kind == sla.Resolution && !d.Done() {
			d.MetAt = now
			d.PausedAt = time.Time{}
		}
	}
	t.Timeline = append(t.Timeline, Entry{At: now, Kind: KindSystem, From: by, Text: "resolved"})
}

// Clone returns a deep copy (Put needs the old version to rewrite indexes).
func (t *Ticket) Clone() *Ticket {
	c := *t
	c.Tags = append([]string(nil), t.Tags...)
	c.Deadlines = append([]Deadline(nil), t.Deadlines...)
	c.Timeline = append([]Entry(nil), t.Timeline...)
	c.MessageIDs = append([]string(nil), t.MessageIDs...)
	c.Lifecycle = t.Lifecycle.clone()
	return &c
}

// Snippet bounds a text for the timeline.
func Snippet(s string, n int) string {
	s = strings.TrimSpace(s)
	i := 0 // byte length of the first n runes; no []rune of a 256 KB body
	for k := 0; k < n && i < len(s); k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if i < len(s) {
		return s[:i] + "…"
	}
	return s
}

// ByMessageID returns the tag of the ticket a Message-ID belongs to, or
// "" when none does.
func ByMessageID(txn *store.Txn, id string) (string, error) {
	b, err := txn.Get(midKey(id))
	if IsNotFound(err) {
		return "", nil
	}
	return string(b), err
}
