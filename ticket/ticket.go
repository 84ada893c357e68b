// Package ticket turns mail into tickets and keeps their promises: it opens
// a ticket for a new customer message, threads follow-ups into it (by
// In-Reply-To and References, the ticket's reply address and the subject
// tag, in that order), records agents' replies and notes, and holds the SLA
// deadlines of each ticket in a time-ordered index that the escalation
// scanner walks. Every change is made inside the caller's store transaction,
// so a ticket, its deadlines and the mail they cause commit together.
package ticket

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/store"
)

// Statuses.
const (
	Open     = "open"     // waiting for an agent
	Answered = "answered" // an agent replied
	Waiting  = "waiting"  // waiting on the customer (the clock may pause)
	Resolved = "resolved"
)

// Statuses are every status a ticket can be in, in the order of its life.
func Statuses() []string { return []string{Open, Answered, Waiting, Resolved} }

// Entry kinds in a ticket's timeline.
const (
	KindCustomer    = "customer"    // the customer wrote
	KindParticipant = "participant" // someone else wrote about the ticket (tag only, other sender)
	KindAgent       = "agent"       // an agent's reply, forwarded to the customer
	KindNote        = "note"        // an agent's internal note, never forwarded
	KindAuto        = "auto"        // an automatic answer (out of office, a bounce) from the customer's side: kept, relayed, changes no status
	KindSystem      = "system"      // resolved, reopened, warnings, breaches
)

// Entry is one event of a ticket's timeline.
type Entry struct {
	At        time.Time `json:"at"`
	Kind      string    `json:"kind"`
	MsgID     string    `json:"msg_id,omitempty"`     // store message id
	MessageID string    `json:"message_id,omitempty"` // the Message-ID header
	From      string    `json:"from,omitempty"`
	Subject   string    `json:"subject,omitempty"`
	Text      string    `json:"text,omitempty"` // the new words, quotes removed, bounded
	// OtherCustomer marks an agent's answer to another customer, merged
	// in with that customer's ticket: the agents see it, this ticket's
	// customer's status page does not.
	OtherCustomer bool `json:"other_customer,omitempty"`
}

// Deadline is one SLA clock of a ticket.
type Deadline struct {
	Kind   sla.Kind  `json:"kind"` // first_response | next_response | resolution | pending_close
	Start  time.Time `json:"start"`
	Due    time.Time `json:"due"`
	WarnAt time.Time `json:"warn_at,omitzero"`
	Warned bool      `json:"warned,omitempty"`
	// MetAt is when the clock stopped in time; BreachedAt when it ran out.
	MetAt      time.Time `json:"met_at,omitzero"`
	BreachedAt time.Time `json:"breached_at,omitzero"`
	// StoppedAt is when the clock stopped neither met nor breached, for
	// Stopped: "merged" (its conversation goes on in another ticket) or
	// "erased" (its customer's data was erased). SLA statistics count
	// such a clock neither as a promise kept nor as one broken.
	StoppedAt time.Time `json:"stopped_at,omitzero"`
	Stopped   string    `json:"stopped,omitempty"`
	// PausedAt is set while the ticket waits on the customer and the
	// policy pauses the clock.
	PausedAt time.Time `json:"paused_at,omitzero"`
}

// Done reports whether the clock has stopped (met, breached, or stopped
// by a merge or an erasure).
func (d *Deadline) Done() bool {
	return !d.MetAt.IsZero() || !d.BreachedAt.IsZero() || !d.StoppedAt.IsZero()
}

// StoppedBy says what stopped a clock of a resolved ticket that was
// neither met nor breached: "merged", "erased", or else "resolved".
func (d *Deadline) StoppedBy() string {
	if d.Stopped != "" {
		return d.Stopped
	}
	return "resolved"
}

// Clocks stopped neither met nor breached (Deadline.Stopped).
const (
	StoppedMerged = "merged"
	StoppedErased = "erased"
)

// stopClocks stops every clock still running, neither met nor breached:
// a merge or an erasure ends the ticket, but keeps no promise to its
// customer (why is StoppedMerged or StoppedErased).
func (t *Ticket) stopClocks(now time.Time, why string) {
	for i := range t.Deadlines {
		if d := &t.Deadlines[i]; !d.Done() {
			d.StoppedAt, d.Stopped, d.PausedAt = now, why, time.Time{}
		}
	}
}

// Ticket is one conversation with one customer.
type Ticket struct {
	Tag          string           `json:"tag"` // SUP-1042
	Number       uint64           `json:"number"`
	Department   string           `json:"department"`
	Priority     string           `json:"priority"`
	Tags         []string         `json:"tags,omitempty"`
	Customer     string           `json:"customer"` // address, lower case
	CustomerName string           `json:"customer_name,omitempty"`
	Subject      string           `json:"subject"`
	Lang         message.Language `json:"lang,omitempty"`
	// Traditional: the customer wrote Chinese in Traditional characters
	// (message.Traditional), so what is written to them in Chinese later
	// (the auto-close and resolution notices) is in those characters too.
	Traditional bool      `json:"traditional,omitempty"`
	Status      string    `json:"status"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	ResolvedAt  time.Time `json:"resolved_at,omitzero"`
	// FirstResponseAt is the first agent reply, in time or not.
	FirstResponseAt time.Time  `json:"first_response_at,omitzero"`
	LinkedFrom      string     `json:"linked_from,omitempty"` // an older resolved ticket this one continues
	Policy          Policy     `json:"policy"`
	Deadlines       []Deadline `json:"deadlines,omitempty"`
	Timeline        []Entry    `json:"timeline"`
	// MessageIDs are the Message-IDs of every mail of the ticket, ours
	// included, for threading and for References of outgoing mail.
	MessageIDs []string `json:"message_ids,omitempty"`
	// AckLinks are the FAQ entries the acknowledgement linked, until the
	// first agent reply that sends FAQ links judges them (then nil).
	AckLinks []string `json:"ack_links,omitempty"`
	// Erased is when the customer's data was erased on request (Erase).
	Erased time.Time `json:"erased,omitzero"`
	Lifecycle
}

// Deadline returns the ticket's clock of that kind, or nil.
func (t *Ticket) Deadline(kind sla.Kind) *Deadline {
	for i := range t.Deadlines {
		if t.Deadlines[i].Kind == kind {
			return &t.Deadlines[i]
		}
	}
	return nil
}

// LastCustomerMessageID is the Message-ID to answer.
func (t *Ticket) LastCustomerMessageID() string {
	for i := len(t.Timeline) - 1; i >= 0; i-- {
		if t.Timeline[i].Kind == KindCustomer && t.Timeline[i].MessageID != "" {
			return t.Timeline[i].MessageID
		}
	}
	return ""
}

// Policy is the SLA a ticket was opened under, resolved to durations and a
// calendar name. The calendar itself is looked up in the rules in force.
type Policy = sla.Policy

// Calendars finds a calendar by name (nil, true for "": 24×7).
type Calendars func(name string) (*sla.Calendar, bool)

// Key helpers. Tickets: t/<tag>; threading index: ix/mid/<message-id> →
// tag; customer index: ix/cust/<address>/<created 8 bytes><tag> → Summary
// (JSON), and ix/custn/<address> → how many (decimal); deadline index:
// dl/<due 8 bytes><tag>\x00<kind>\x00<warn|breach>.
func ticketKey(tag string) []byte { return []byte(store.PrefixTicket + tag) }
func midKey(id string) []byte     { return []byte(store.PrefixIndex + "mid/" + strings.ToLower(id)) }

// custKey orders a customer's tickets by creation time, so that the
// history needs only the last keys, not every ticket the customer had.
func custKey(addr string, created time.Time, tag string) []byte {
	return append(append(custPrefix(addr), store.TimeKey(created)...), tag...)
}

// Get loads a ticket by tag.
func Get(txn *store.Txn, tag string) (*Ticket, error) {
	b, err := txn.Get(ticketKey(strings.ToUpper(tag)))
	if err != nil {
		return nil, fmt.Errorf("ticket %s: %w", tag, err)
	}
	var t Ticket
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("ticket %s: %w", tag, err)
	}
	return &t, nil
}

// Put writes a ticket and its indexes, and rewrites its deadline index
// entries from old (nil for a new ticket) to t.
func Put(txn *store.Txn, old, t *Ticket) error {
	if old != nil {
		for _, k := range dueKeys(old) {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
	}
	for _, k := range dueKeys(t) {
		if err := txn.Set(k, nil); err != nil {
			return err
		}
	}
	b, err := json.Marshal(t)
	if err != nil {
		return err
	}
	if err := txn.Set(ticketKey(t.Tag), b); err != nil {
		return fmt.Errorf("ticket %s: %w", t.Tag, err)
	}
	// Only the Message-IDs old did not have: a long conversation would
	// otherwise rewrite its whole threading index with every mail.
	for i, id := range t.MessageIDs {
		if old != nil && i < len(old.MessageIDs) && old.MessageIDs[i] == id {
			continue
		}
		if err := txn.Set(midKey(id), []byte(t.Tag)); err != nil {
			return err
		}
	}
	sum, err := json.Marshal(t.Summary())
	if err != nil {
		return err
	}
	ck := custKey(t.Customer, t.Created, t.Tag)
	if old == nil {
		if err := countNew(txn, t.Customer, ck); err != nil {
			return err
		}
	}
	return txn.Set(ck, sum)
}

// countNew adds one to addr's ticket count unless ck, the new ticket's
// index key, is already there (a Put of a new ticket repeated).
func countNew(txn *store.Txn, addr string, ck []byte) error {
	if has, err := txn.Has(ck); err != nil || has {
		return err
	}
	n, err := customerTickets(txn, addr)
	if err != nil {
		return err
	}
	return txn.Set(custCountKey(addr), strconv.AppendInt(nil, int64(n+1), 10))
}

// dueKeys are the deadline-index entries a ticket needs now: a warning
// and a breach entry for each running clock.
func dueKeys(t *Ticket) [][]byte {
	out := heldKeys(t) // a held reply expires whatever the status
	if t.Status == Resolved {
		return out
	}
	for _, d := range t.Deadlines {
		if d.Done() || !d.PausedAt.IsZero() || d.Due.IsZero() {
			continue
		}
		if !d.Warned && !d.WarnAt.IsZero() {
			out = append(out, dueKey(d.WarnAt, t.Tag, string(d.Kind), "warn"))
		}
		out = append(out, dueKey(d.Due, t.Tag, string(d.Kind), "breach"))
	}
	return out
}

func dueKey(at time.Time, tag, kind, what string) []byte {
	k := append([]byte(store.PrefixDue), store.TimeKey(at)...)
	return append(k, tag+"\x00"+kind+"\x00"+what...)
}

func parseDueKey(k []byte) (at time.Time, tag, kind, what string, ok bool) {
	rest := k[len(store.PrefixDue):]
	if len(rest) < 9 {
		return
	}
	at = store.KeyTime(rest[:8])
	parts := strings.Split(string(rest[8:]), "\x00")
	if len(parts) != 3 {
		return
	}
	return at, parts[0], parts[1], parts[2], true
}

// NextNumber draws the next ticket number from a Badger sequence.
type Numberer interface{ Next() (uint64, error) }

// FormatTag makes the human tag.
func FormatTag(prefix string, n uint64) string { return prefix + "-" + strconv.FormatUint(n, 10) }

var tagRE = regexp.MustCompile(`\[([A-Z][A-Z0-9]*-[0-9]+)\]`)

// SubjectTag returns the ticket tag in a subject ("[SUP-1042]"), or "".
func SubjectTag(subject, prefix string) string {
	for _, m := range tagRE.FindAllStringSubmatch(strings.ToUpper(subject), -1) {
		if strings.HasPrefix(m[1], prefix+"-") {
			return m[1]
		}
	}
	return ""
}

// AddressTag returns the tag of a ticket reply address
// (support+SUP-1042@domain), or "".
func AddressTag(addr, prefix string) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return ""
	}
	local := addr[:at]
	i := strings.IndexByte(local, '+')
	if i < 0 {
		return ""
	}
	tag := strings.ToUpper(local[i+1:])
	if strings.HasPrefix(tag, prefix+"-") {
		if _, err := strconv.ParseUint(tag[len(prefix)+1:], 10, 64); err == nil {
			return tag
		}
	}
	return ""
}

// ReplyAddress is the address agents and customers answer to.
func ReplyAddress(deptLocal, tag, domain string) string {
	return deptLocal + "+" + strings.ToLower(tag) + "@" + domain
}

// CleanSubject removes reply prefixes and our tag, so that the ticket's
// subject is the customer's own.
func CleanSubject(s string) string {
	s = tagRE.ReplaceAllString(s, "")
	for {
		t := strings.TrimSpace(s)
		l := strings.ToLower(t)
		cut := false
		for _, p := range []string{"re:", "aw:", "fw:", "fwd:", "wg:", "sv:", "回复:", "回复：", "答复:", "答复：", "回覆:", "回覆：", "转发:", "转发：", "re：", "fw："} {
			if strings.HasPrefix(l, p) {
				t = t[len(p):]
				cut = true
				break
			}
		}
		s = t
		if !cut {
			return strings.TrimSpace(s)
		}
	}
}

// Summary is what a customer's history shows of one earlier ticket. Put
// keeps it as the value of the ticket's customer-index key, so that the
// history of every new mail reads no ticket record.
type Summary struct {
	Tag     string `json:"tag"`
	Status  string `json:"status"`
	Subject string `json:"subject,omitempty"`
}

// Summary returns t's entry in its customer's history.
func (t *Ticket) Summary() Summary {
	return Summary{Tag: t.Tag, Status: t.Status, Subject: t.Subject}
}

// History is a customer's earlier tickets (at most limit, newest first)
// and how many there are in all, except is left out of both. It reads the
// newest keys of the customer index and the customer's ticket count: a
// robot that writes every minute must not make each of its mails walk its
// thousands of earlier tickets (in the committer, which every other
// message waits for). An index key written before summaries were kept
// there (no value) falls back to the ticket itself; a customer whose count
// was never written is counted key by key.
func History(txn *store.Txn, customer, except string, limit int) ([]Summary, int, error) {
	n, err := customerTickets(txn, customer)
	if err != nil {
		return nil, 0, err
	}
	if except != "" && n > 0 {
		// Put indexes a ticket under its customer with its record, so a
		// stored except is one of the n.
		if has, err := txn.Has(ticketKey(except)); err != nil {
			return nil, 0, err
		} else if has {
			n--
		}
	}
	if n == 0 || limit <= 0 {
		return nil, n, nil // a first contact opens no iterator
	}
	prefix := custPrefix(customer)
	var out []Summary
	err = txn.IterateReverse(prefix, true, func(k, v []byte) error {
		if len(out) >= limit {
			return store.ErrStop
		}
		if len(k) < len(prefix)+8 {
			return nil
		}
		tag := string(k[len(prefix)+8:])
		if tag == except {
			return nil
		}
		var s Summary
		if len(v) > 0 && json.Unmarshal(v, &s) == nil && s.Tag == tag {
			out = append(out, s)
		} else if t, err := Get(txn, tag); err == nil {
			out = append(out, t.Summary())
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return out, n, nil
}

// custPrefix is where a customer's index keys start.
func custPrefix(addr string) []byte {
	return []byte(store.PrefixIndex + "cust/" + strings.ToLower(addr) + "/")
}

// CustomerPrefix is where the index of the customer addr's tickets
// starts, which History walks: for store.UpdateWalking.
func CustomerPrefix(addr string) []byte { return custPrefix(addr) }

// CountKey is the key that holds how many tickets the customer addr has
// had, which Put reads: for store.UpdateReading.
func CountKey(addr string) []byte { return custCountKey(addr) }

// custCountKey holds how many tickets a customer has had (decimal).
func custCountKey(addr string) []byte {
	return []byte(store.PrefixIndex + "custn/" + strings.ToLower(addr))
}

// customerTickets returns how many tickets addr has had: the count Put
// keeps, or, for a customer from before it was kept, the index keys.
func customerTickets(txn *store.Txn, addr string) (int, error) {
	b, err := txn.Get(custCountKey(addr))
	if err == nil {
		n, err := strconv.Atoi(string(b))
		if err != nil {
			return 0, fmt.Errorf("ticket count of %s: %w", addr, err)
		}
		return n, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return 0, err
	}
	// No count, even among this transaction's writes: any tickets addr
	// has are from before counts were kept, all committed (Put writes the
	// count with every new ticket, so one of this transaction would have
	// one). Counting committed keys only spares the committer's batch a
	// sort of all its writes per first contact (store.IterateCommitted).
	n := 0
	err = txn.IterateCommitted(custPrefix(addr), func([]byte) error { n++; return nil })
	return n, err
}

// List returns tickets filtered by status and department ("" = any; a
// department in any case), newest first.
func List(st *store.Store, status, department string) ([]*Ticket, error) {
	var out []*Ticket
	department = strings.TrimSpace(department)
	err := st.View(func(txn *store.Txn) error {
		return txn.Iterate([]byte(store.PrefixTicket), nil, true, func(_, v []byte) error {
			var t Ticket
			if err := json.Unmarshal(v, &t); err != nil {
				return err
			}
			if (status == "" || t.Status == status) && (department == "" || strings.EqualFold(t.Department, department)) {
				out = append(out, &t)
			}
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Number > out[j].Number })
	return out, err
}

// ErrNotFound is returned for an unknown ticket.
var ErrNotFound = store.ErrNotFound

// IsNotFound reports whether err means the ticket does not exist.
func IsNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
