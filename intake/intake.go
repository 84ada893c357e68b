// Package intake turns one received message into durable state: it parses
// the mail, asks the router for a decision, threads it into a ticket (or
// opens one), writes the raw message to the store's spool, and commits its
// record (with where the spool has it), the ticket with its SLA deadlines
// and every queue item it causes in one fsynced store transaction before
// the SMTP server may answer 250. A crash therefore
// never leaves half of what a message causes.
package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/frontdesk-mail/frontdesk/ack"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/rules"
	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// Envelope is what the SMTP session knows about a message: the neutral
// message.Envelope, which smtpd fills without importing intake.
type Envelope = message.Envelope

// Decision is the router's verdict for one message: the rules' own
// decision, so what `frontdesk rules test` prints is what intake acts on.
type Decision = rules.Decision

// Department is a department of the rules in force.
type Department = rules.Department

// Router decides where a message goes. Implementations must be safe for
// concurrent use and answer from one consistent rule set per call.
type Router interface {
	Route(m *message.Message, now time.Time) Decision
	Department(key string) (Department, bool)
	Calendar(name string) (*sla.Calendar, bool)
}

// RejectedError is returned when a message is refused (rules, an agent
// writing where agents may not, an empty message).
type RejectedError struct {
	Text string
	// Code, Enhanced and Reason, when Code is set, replace the SMTP reply
	// 550 5.7.1 and the refusal reason "rule" (smtpd.RejectionStatus).
	Code     int
	Enhanced [3]int
	Reason   string
}

func (e *RejectedError) Error() string { return "rejected: " + e.Text }

// Rejection is the sentence the SMTP server answers with (smtpd.Rejection).
func (e *RejectedError) Rejection() string { return e.Text }

// RejectionStatus is the SMTP reply code, enhanced code and refusal reason
// (smtpd.RejectionStatus): 550 5.7.1 "rule" unless Code is set.
func (e *RejectedError) RejectionStatus() (int, [3]int, string) {
	if e.Code == 0 {
		return 550, [3]int{5, 7, 1}, "rule"
	}
	return e.Code, e.Enhanced, e.Reason
}

// errEmpty refuses a message with nothing in it. 554 is the reply for a
// transaction refused at the end of DATA (RFC 5321 §4.2.2, §4.3.2) and
// X.6.0 the media (content) class (RFC 3463 §3.7): the content is not a
// message.
var errEmpty = &RejectedError{Code: 554, Enhanced: [3]int{5, 6, 0}, Reason: "empty",
	Text: "Empty message: it has no header fields and no text, so it was not filed; please send your message again with its text"}

// Refusal is the refusal serve answers data with before routing it
// (an empty message), nil when data is routed: what `rules test` and
// `faq suggest` show in place of a routing decision.
func Refusal(data []byte) *RejectedError {
	if emptyMessage(data) {
		return errEmpty
	}
	return nil
}

// emptyMessage reports whether data has nothing in it: no bytes, or only
// line breaks, spaces and tabs, so neither a header field nor a body. Such
// a "message" (a client's DATA cut to nothing, a probe) would open a
// ticket with nothing in it. A header without a body is not empty.
func emptyMessage(data []byte) bool {
	for _, c := range data {
		if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// StoreError is returned when the message could not be committed; the
// sender must try again later.
type StoreError struct{ Err error }

func (e *StoreError) Error() string { return "store: " + e.Err.Error() }
func (e *StoreError) Unwrap() error { return e.Err }

// Acker builds the acknowledgement for a newly opened ticket, or says why
// none is sent. Prepare does what does not depend on the ticket (RFC 3834
// checks, FAQ ranking) and runs before the commit, so the transaction stays
// short and a conflict retry does not repeat it; Ack runs inside the
// commit and must be pure.
type Acker interface {
	Prepare(m *message.Message, env *Envelope) AckPlan
	Ack(t *ticket.Ticket, dept Department, m *message.Message, plan AckPlan, template string, now time.Time) (raw []byte, suppressed string, err error)
}

// AckPlan is what Prepare found: why no ack goes out, or the material of one.
type AckPlan struct {
	Suppressed string
	Links      []ack.Link // the FAQ entries the acknowledgement links
	// To is the only address the acknowledgement may go to: the envelope
	// sender, when the From agrees with it (ack.Recipient). Intake fills it
	// after Prepare; the Acker addresses its mail to it.
	To string

	// built is the acknowledgement built before the commit for the
	// ticket the mail is expected to open (prebuildAck), with that
	// ticket's number; nil: built inside the commit.
	built *builtAck
}

// builtAck is an acknowledgement built before the commit, what Acker.Ack
// answered for a new ticket with number (tag).
type builtAck struct {
	number     uint64
	tag        string
	raw        []byte
	suppressed string
	err        error
}

// Options configures an Intake (New). A field's zero value means its
// default where one is named.
type Options struct {
	Store  *store.Store
	Queue  *queue.Queue
	Router Router
	// Hostname names this gateway in the Received header it adds.
	Hostname string
	// Domain is the domain of reply addresses (the first configured);
	// "": Hostname.
	Domain string
	// TagPrefix begins ticket tags (SUP-1042); "": "SUP".
	TagPrefix string
	// ReopenWindow: a customer's follow-up to a ticket resolved longer
	// ago than this opens a new ticket that links the old one; 0: 30
	// days; negative: every follow-up to a resolved ticket does.
	ReopenWindow time.Duration
	Numbers      ticket.Numberer
	Acker        Acker // nil: no acknowledgements
	// AckRate caps acknowledgements per sender per hour (0: no cap).
	AckRate int
	// Sign DKIM-signs mail to customers (agents' replies); nil: unsigned.
	Sign func([]byte) ([]byte, error)
	// Lifecycle: collision window and rating links (commands.go).
	Lifecycle
	// Learning: what agents' #move and #faq teach, and #faq's catalog
	// (learning.go).
	Learning
	// Committed is called after each successful commit (scanner kick).
	Committed func()
	// Metrics counts messages and acknowledgements (NewMetrics); nil:
	// nothing is counted.
	Metrics *Metrics
	// Log is where intake logs; nil: discarded.
	Log *slog.Logger
	// Now is the clock; nil: time.Now.
	Now func() time.Time
}

// Intake accepts messages.
type Intake struct {
	Options
	m *Metrics
	// cpu bounds the messages between their parse and their trim (see
	// Accept); nil: no bound.
	cpu chan struct{}
}

// New returns an Intake configured by o, its defaults filled in.
func New(o Options) *Intake {
	if o.Domain == "" {
		o.Domain = o.Hostname
	}
	if o.TagPrefix == "" {
		o.TagPrefix = "SUP"
	}
	if o.ReopenWindow == 0 {
		o.ReopenWindow = 30 * 24 * time.Hour
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Intake{Options: o, m: o.Metrics, cpu: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

// work waits until fewer messages than there are CPUs are being parsed,
// routed and ranked, and returns the function that ends this one's turn.
// That work is all CPU, so running more of it at once than there are
// CPUs gains nothing, while each message in the middle of it holds
// several decoded copies of itself (enmime has no streaming mode): with
// 200 sessions sending 256 KB mail at once, those copies were most of
// the heap. The wait is on a channel instead of in the scheduler's run
// queue, and a message waits holding only its raw bytes.
func (in *Intake) work() (done func()) {
	if in.cpu == nil {
		return func() {}
	}
	in.cpu <- struct{}{}
	var once sync.Once
	return func() { once.Do(func() { <-in.cpu }) }
}

// outcome collects what one commit did, for logs and metrics afterwards.
type outcome struct {
	ticket   *ticket.Ticket
	opened   bool
	reopened bool
	resolved bool
	agent    string // "reply", "note" or "" for customer mail
	items    []*queue.Item
	// bodies are the mail of items, by BodyID, where the commit had it
	// at hand: handed to the queue with the items (queue.ReadyClaimed).
	bodies     map[string][]byte
	suppressed string
	ackErr     error    // the acknowledgement could not be built
	moved      *move    // #move: the department correction
	learned    bool     // an example was recorded (Learner.Changed after the commit)
	linked     []string // FAQ entries an agent's reply gave the customer
	judged     [2]int   // the acknowledgement's links the agent sent, and did not
}

// Accept files one message. It returns nil only after everything is
// committed durably; a *RejectedError when the message is refused; a
// *StoreError when it could not be committed.
func (in *Intake) Accept(ctx context.Context, env *Envelope, data []byte) (string, error) {
	if Refusal(data) != nil {
		in.count("rejected", errEmpty.Reason)
		in.Log.Info("empty message refused", "from", env.MailFrom, "remote", env.RemoteAddr, "bytes", len(data))
		return "", errEmpty
	}
	now := in.Now()
	id := store.NewID(now)
	trace := in.received(env, id, now)
	if env.AuthResults != "" {
		trace = env.AuthResults + "\r\n" + trace
	}
	size := len(data)

	done := in.work()
	defer done()
	msg, perr := message.Parse(data)
	msg.Rcpt = env.Rcpt
	log := in.Log.With("msg_id", id, "from", env.MailFrom)

	// Agents answering a ticket: decided before the rules, which are for
	// customers' mail.
	if tag, dept, ok := in.agentReply(env, msg); ok {
		done()
		return id, in.acceptAgent(ctx, env, msg, trace, data, id, tag, dept, now, log)
	}
	if env.Auth != "" {
		in.count("rejected", "agent_target")
		return "", &RejectedError{Text: in.agentRefusal(env, msg)}
	}
	if in.agentAuthUnknown(env, msg) {
		in.count("rejected", errAgentAuthUnknown.Reason)
		log.Info("agent's mail deferred: sender authentication unknown", "sender", msg.From.Address)
		return "", errAgentAuthUnknown
	}

	dec := in.Router.Route(msg, now)
	log = log.With("department", dec.Department)
	if dec.Reject != "" {
		in.count("rejected", "rule")
		log.Info("rejected by rules", "rules", dec.RuleNames())
		return "", &RejectedError{Text: dec.Reject}
	}
	rec := &store.Message{
		ID: id, Received: now, MailFrom: env.MailFrom, Rcpt: env.Rcpt,
		RemoteAddr: env.RemoteAddr, Helo: env.Helo, Size: size,
		MessageID: msg.MessageID, Subject: msg.Subject, From: msg.From.Address,
		Department: dec.Department, Priority: dec.Priority, Tags: dec.Tags, Rules: dec.RuleNames(),
		Disposition: "relay",
	}
	reason := "ok"
	if perr != nil {
		// An unparseable mail is still accepted and relayed raw: losing it
		// would be worse than routing it to the default department.
		rec.ParseError = perr.Error()
		reason = "unparseable"
		log.Warn("message could not be parsed; relaying raw", "err", perr)
	}
	if dec.Discard {
		rec.Disposition = "discard"
	}
	// Prepare the acknowledgement of a mail that opens a ticket before the
	// commit: commits run one batch at a time, and the FAQ ranking is the
	// costliest step of a message. Whether it opens one is known for sure
	// only inside the transaction; a follow-up that turns out to open a
	// ticket after all (its ticket arrived meanwhile, or is too old to
	// reopen) prepares it there.
	var plan *AckPlan
	if in.Acker != nil && !dec.Discard && dec.Ack != "none" && !in.threads(msg, env) {
		p := in.prepareAck(msg, env)
		plan = &p
	}
	// Rules and the FAQ ranking have read the body; the ticket entry needs
	// the language and the start of the fresh text. Work those out here,
	// in the session's goroutine, not inside the transaction (whose
	// functions run one after another), and let the body go while this
	// message waits for its commit. 16 KB stay: the most the FAQ ranking
	// reads, for a follow-up that prepares its acknowledgement inside.
	entryText := ticket.Snippet(msg.Fresh(), maxEntryText)
	msg.Trim(16 << 10)
	if plan != nil && plan.Suppressed == "" {
		// Built here, on the session's goroutine, with the number of the
		// ticket the mail opens, rather than inside the commit, whose
		// functions run one after another: the acknowledgement was two
		// thirds of a new ticket's work there (bench/README.md). Should
		// the mail turn out to thread after all, the number goes unused,
		// as that of a commit that fails.
		plan.built = in.prebuildAck(msg, env, dec, *plan, now)
	}
	done()
	mail, err := in.spool(trace, data, log)
	if err != nil {
		return "", err
	}
	var out outcome
	// The keys the function reads whatever the mail threads to, named so
	// that on PostgreSQL they go with the batch's first round trip
	// (store.UpdateReading): a new ticket's customer count, the
	// acknowledgement's rate record.
	var reads, walks [][]byte
	if !dec.Discard {
		customer := customerOf(msg, env)
		reads = append(reads, ticket.CountKey(customer))
		reads = append(reads, ticket.ThreadKeys(msg, env.Rcpt, in.TagPrefix)...)
		if plan != nil && plan.Suppressed == "" && in.AckRate > 0 {
			reads = append(reads, rateKey(plan.To))
		}
		// The customer's ticket index, which History walks (to count a
		// new customer's tickets, or to list a known one's newest).
		walks = append(walks, ticket.CustomerPrefix(customer))
	}
	err = in.Store.UpdateWalking(ctx, reads, walks, func(txn *store.Txn) error {
		out = outcome{}
		if err := txn.PutMessage(rec, mail); err != nil {
			return err
		}
		if dec.Discard {
			return nil
		}
		return in.customerMail(txn, &out, env, msg, entryText, rec, dec, plan, now)
	})
	if err != nil {
		return "", in.commitFailed(id, err, log)
	}
	out.body(id, mail.Inline())
	if dec.Discard {
		in.count("discarded", "rule")
		log.Info("discarded by rules", "rules", dec.RuleNames())
		return id, nil
	}
	in.count("accepted", reason)
	in.after(out, log, size, dec.RuleNames())
	return id, nil
}

// prepareAck asks the Acker to prepare and decides the recipient: the
// Acker's RFC 3834 checks come first, so a bounce or a loop is counted as
// such, and the recipient rule (ack.Recipient: the envelope sender, only
// when the From agrees with it) after.
func (in *Intake) prepareAck(msg *message.Message, env *Envelope) AckPlan {
	p := in.Acker.Prepare(msg, env)
	if p.Suppressed != "" {
		return p
	}
	to, reason := ack.Recipient(env.MailFrom, msg.From.Address, env.SPFAligned)
	if reason != "" {
		return AckPlan{Suppressed: reason}
	}
	p.To = to
	return p
}

// threads reports whether msg looks like it continues a ticket: it has a
// threading hint and ticket.Thread finds the ticket in the store now.
func (in *Intake) threads(msg *message.Message, env *Envelope) bool {
	if len(msg.InReplyTo) == 0 && len(msg.References) == 0 && ticket.SubjectTag(msg.Subject, in.TagPrefix) == "" &&
		!slices.ContainsFunc(env.Rcpt, func(r string) bool { return ticket.AddressTag(r, in.TagPrefix) != "" }) {
		return false
	}
	var m *ticket.Match
	err := in.Store.View(func(txn *store.Txn) error {
		// The keys Thread reads first, in one round trip on PostgreSQL.
		if err := txn.Prefetch(ticket.ThreadKeys(msg, env.Rcpt, in.TagPrefix)...); err != nil {
			return err
		}
		var err error
		m, err = ticket.Thread(txn, msg, env.Rcpt, in.TagPrefix)
		return err
	})
	return err != nil || m != nil
}

// spool writes the received mail, with our trace headers in front, where
// it lives from now on (store.Spool, outside the committer); the caller
// records where with the message.
func (in *Intake) spool(trace string, data []byte, log *slog.Logger) (store.Spooled, error) {
	mail, err := in.Store.Spool([]byte(trace), data)
	if err != nil {
		in.count("tempfail", "store")
		log.Error("spool failed; answering 451", "err", err)
		return mail, &StoreError{Err: err}
	}
	return mail, nil
}

// commitFailed counts and logs a commit that failed and returns the 451
// for the client.
func (in *Intake) commitFailed(id string, err error, log *slog.Logger) error {
	in.count("tempfail", "store")
	log.Error("commit failed; answering 451", "err", err)
	return &StoreError{Err: fmt.Errorf("commit %s: %w", id, err)}
}

func (in *Intake) after(out outcome, log *slog.Logger, size int, rules []string) {
	if in.m != nil {
		in.m.bytes.Add(float64(size))
	}
	tag := ""
	if out.ticket != nil {
		tag = out.ticket.Tag
		in.observeTicket(out)
	}
	for _, it := range out.items {
		log.Info("queued", "ticket", tag, "queue_id", it.ID, "kind", it.Kind, "size", size, "rules", rules)
	}
	if out.ackErr != nil {
		log.Error("acknowledgement not sent", "ticket", tag, "err", out.ackErr)
	} else if out.suppressed != "" {
		log.Info("acknowledgement suppressed", "ticket", tag, "reason", out.suppressed)
	}
	if in.Queue != nil && len(out.items) > 0 {
		// By id, with their mail: no scan of the whole schedule, and on a
		// shared store no lease of their own (claimed in the commit).
		bodies := make([][]byte, len(out.items))
		for i, it := range out.items {
			bodies[i] = out.bodies[it.BodyID]
		}
		in.Queue.ReadyClaimed(out.items, bodies)
	}
	if in.m != nil && out.moved != nil {
		in.m.corrections.WithLabelValues(out.moved.from, out.moved.to).Inc()
	}
	if in.m != nil && out.judged != [2]int{} {
		in.m.ackLinks.WithLabelValues("sent").Add(float64(out.judged[0]))
		in.m.ackLinks.WithLabelValues("not_sent").Add(float64(out.judged[1]))
	}
	if out.learned && in.Learner != nil {
		in.Learner.Changed()
	}
	if in.Committed != nil {
		in.Committed()
	}
}

// newTicket is the ticket number n that msg opens.
func (in *Intake) newTicket(n uint64, dec Decision, msg *message.Message, customer, linked string, entry ticket.Entry, now time.Time) *ticket.Ticket {
	cal, _ := in.Router.Calendar(dec.TicketPolicy().Calendar)
	return ticket.New(ticket.NewParams{
		Tag: ticket.FormatTag(in.TagPrefix, n), Number: n, Department: dec.Department, Priority: dec.Priority,
		Tags: dec.Tags, Customer: customer, CustomerName: msg.From.Name, Subject: ticket.CleanSubject(msg.Subject),
		Lang: msg.Lang(), Traditional: msg.Traditional(), Policy: dec.TicketPolicy(), LinkedFrom: linked,
	}, entry, now, cal)
}

// prebuildAck takes the number of the ticket msg is expected to open and
// builds its acknowledgement as queueAck would inside the commit (the
// same ticket, message, plan and time); nil when no number can be had
// (then the commit takes one and builds it).
func (in *Intake) prebuildAck(msg *message.Message, env *Envelope, dec Decision, plan AckPlan, now time.Time) *builtAck {
	n, err := in.Numbers.Next()
	if err != nil {
		return nil
	}
	customer := customerOf(msg, env)
	t := in.newTicket(n, dec, msg, customer, "", ticket.Entry{At: now, Kind: ticket.KindCustomer, From: customer}, now)
	dept, _ := in.Router.Department(t.Department)
	b := &builtAck{number: n, tag: t.Tag}
	b.raw, b.suppressed, b.err = in.Acker.Ack(t, dept, msg, plan, dec.Ack, now)
	return b
}

// claim leases it to this node in the transaction that adds it, where the
// queue leases (queue.Claim): after the commit this node delivers it
// without a lease of its own.
func (in *Intake) claim(it *queue.Item) {
	if in.Queue != nil {
		in.Queue.Claim(it)
	}
}

// maxClaimBody is the largest mail handed to the queue with its items
// (outcome.bodies); a larger one is read back at the attempt, so that a
// backlog of large mail does not wait in memory.
const maxClaimBody = 64 << 10

// body records the mail of the items with bodyID, for the queue.
func (o *outcome) body(bodyID string, data []byte) {
	if data == nil || len(data) > maxClaimBody {
		return
	}
	if o.bodies == nil {
		o.bodies = make(map[string][]byte)
	}
	o.bodies[bodyID] = data
}

// customerMail threads or opens the ticket and queues the relay to agents
// and the acknowledgement, all inside txn.
// maxEntryText bounds the customer's text kept in a ticket's timeline
// entry (what agents and the status page show of each mail).
const maxEntryText = 2000

func (in *Intake) customerMail(txn *store.Txn, out *outcome, env *Envelope, msg *message.Message, entryText string, rec *store.Message, dec Decision, plan *AckPlan, now time.Time) error {
	match, err := ticket.Thread(txn, msg, env.Rcpt, in.TagPrefix)
	if err != nil {
		return err
	}
	customer := customerOf(msg, env)
	entry := ticket.Entry{At: now, Kind: ticket.KindCustomer, MsgID: rec.ID, MessageID: msg.MessageID,
		From: customer, Subject: msg.Subject, Text: entryText}
	var t, old *ticket.Ticket
	linked := ""
	automatic := ack.Automatic(msg, env.MailFrom)
	if match != nil {
		t = match.Ticket
		if t.Status == ticket.Resolved && now.Sub(t.ResolvedAt) > in.ReopenWindow && !match.Stranger && !automatic {
			linked, t = t.Tag, nil // too old to reopen: a new ticket that links the old one
		}
	}
	if t != nil {
		old = t.Clone()
		if match.Stranger || !strings.EqualFold(customer, t.Customer) {
			entry.Kind = ticket.KindParticipant
		}
		if automatic {
			// an out-of-office answer to an agent's reply is no reply:
			// the ticket stays waiting (or resolved), its clocks run on,
			// and one to a ticket resolved long ago opens no new one
			entry.Kind = ticket.KindAuto
		}
		cal, _ := in.Router.Calendar(t.Policy.Calendar)
		wasResolved := t.Status == ticket.Resolved
		t.AddCustomer(entry, now, cal)
		out.reopened = wasResolved && t.Status != ticket.Resolved
		rec.Department = t.Department // a thread stays with its department
	} else {
		var n uint64
		if plan != nil && plan.built != nil {
			n = plan.built.number // its acknowledgement is built
		} else if n, err = in.Numbers.Next(); err != nil {
			return fmt.Errorf("ticket number: %w", err)
		}
		t = in.newTicket(n, dec, msg, customer, linked, entry, now)
		out.opened = true
	}
	rec.Ticket = t.Tag
	if err := txn.PutRecord(rec); err != nil { // again, now with the ticket tag
		return err
	}
	out.ticket = t
	dept, _ := in.Router.Department(t.Department)
	except := t.Tag
	if out.opened {
		// Not stored yet, so not among the customer's tickets: nothing
		// to leave out (and no read of a key a new number cannot have).
		except = ""
	}
	hist, count, err := ticket.History(txn, t.Customer, except, 3)
	if err != nil {
		return err
	}
	relay := in.relayItem(rec, t, dept, now, hist, count)
	in.claim(relay)
	if err := queue.Add(txn, relay); err != nil {
		return err
	}
	out.items = append(out.items, relay)
	if out.opened && in.Acker != nil {
		if dec.Ack == "none" {
			out.suppressed = "template_none" // a rule said so
		} else {
			if plan == nil {
				p := in.prepareAck(msg, env)
				plan = &p
			}
			if err := in.queueAck(txn, out, t, dept, msg, *plan, dec.Ack, now); err != nil {
				return err
			}
		}
	}
	return ticket.Put(txn, old, t)
}

func (in *Intake) queueAck(txn *store.Txn, out *outcome, t *ticket.Ticket, dept Department, msg *message.Message, plan AckPlan, tmpl string, now time.Time) error {
	if plan.Suppressed != "" {
		out.suppressed = plan.Suppressed
		return nil
	}
	var ackRaw []byte
	var suppressed string
	var err error
	if b := plan.built; b != nil && b.tag == t.Tag {
		ackRaw, suppressed, err = b.raw, b.suppressed, b.err
	} else {
		ackRaw, suppressed, err = in.Acker.Ack(t, dept, msg, plan, tmpl, now)
	}
	if err != nil {
		// An acknowledgement that cannot be built (a template that fails
		// on this ticket's data, a signing key the signer refuses) must not
		// cost the customer's mail its 250: refusing it would make every
		// retry fail the same way. The mail is filed and relayed; the
		// failure is logged and counted.
		out.ackErr = fmt.Errorf("acknowledgement for %s: %w", t.Tag, err)
		return nil
	}
	if suppressed != "" {
		out.suppressed = suppressed
		return nil
	}
	if limited, err := in.rateLimited(txn, plan.To, now); err != nil {
		return err
	} else if limited {
		out.suppressed = "rate_limited"
		return nil
	}
	if in.Links != nil && len(plan.Links) > 0 {
		var urls []string
		for _, l := range plan.Links {
			urls = append(urls, l.URL)
		}
		t.AckLinks = in.Links.Linked(strings.Join(urls, "\n"))
	}
	ackID := store.NewID(now)
	if err := txn.PutRaw(ackID, ackRaw); err != nil {
		return err
	}
	if mid := headerValue(ackRaw, "Message-Id"); mid != "" {
		t.MessageIDs = append(t.MessageIDs, mid)
	}
	it := &queue.Item{ID: store.NewID(now), BodyID: ackID, Target: queue.Outbound, Kind: queue.Ack, From: "",
		To: []string{plan.To}, Ticket: t.Tag, Received: now, Created: now}
	in.claim(it)
	if err := queue.Add(txn, it); err != nil {
		return err
	}
	out.items = append(out.items, it)
	out.body(ackID, ackRaw)
	return nil
}

// rateLimited records an acknowledgement to addr and reports whether the
// hourly cap was already reached. Addresses count in their canonical form
// (ack.CanonicalAddress: case, trailing dot and IDNA spellings of one
// address are one sender), without a +subaddress. The record is a store key with a TTL, so
// the cap holds across restarts (a cache, never a schedule): the Unix
// times of the acknowledgements of the last hour, space separated. A stamp
// that does not parse is dropped, as an expired one is.
func (in *Intake) rateLimited(txn *store.Txn, addr string, now time.Time) (bool, error) {
	if in.AckRate <= 0 {
		return false, nil
	}
	key := rateKey(addr)
	var stamps []byte // the record to write back: the stamps still counted
	n := 0
	if b, err := txn.Get(key); err == nil {
		for f := range strings.FieldsSeq(string(b)) {
			if v, err := strconv.ParseInt(f, 10, 64); err == nil && now.Unix()-v < 3600 {
				stamps = append(append(stamps, f...), ' ')
				n++
			}
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	if n >= in.AckRate {
		return true, nil
	}
	stamps = strconv.AppendInt(stamps, now.Unix(), 10)
	return false, txn.SetTTL(key, stamps, time.Hour)
}

// relayItem is the copy of rec for dept's agents. Its X-Frontdesk-Tags and
// X-Frontdesk-Rule are what the rules decided when rec arrived (stored
// with it), so the copies a #move relays to the new department carry them
// as the first relay did; they and X-Frontdesk-Owner are on every copy.
func (in *Intake) relayItem(rec *store.Message, t *ticket.Ticket, dept Department, now time.Time, hist []ticket.Summary, count int) *queue.Item {
	h := []queue.Header{
		{Name: "X-Frontdesk-Ticket", Value: t.Tag},
		{Name: "X-Frontdesk-Department", Value: t.Department},
		{Name: "X-Frontdesk-Priority", Value: t.Priority},
	}
	// On every copy, empty when no rule tagged or matched it: agents'
	// filters can rely on the fields being there.
	h = append(h, queue.Header{Name: "X-Frontdesk-Tags", Value: strings.Join(rec.Tags, ", ")},
		queue.Header{Name: "X-Frontdesk-Rule", Value: strings.Join(rec.Rules, ", ")})
	for _, kind := range sla.Kinds() {
		if d := t.Deadline(kind); d != nil && !d.Done() {
			name := map[sla.Kind]string{sla.FirstResponse: "First-Response", sla.NextResponse: "Next-Response", sla.Resolution: "Resolution"}[kind]
			h = append(h, queue.Header{Name: "X-Frontdesk-SLA-" + name + "-Due", Value: d.Due.Format(time.RFC3339)})
		}
	}
	h = append(h, ownerHeader(t)...)
	h = append(h, queue.Header{Name: "X-Frontdesk-Customer-History", Value: historyLine(count, hist)})
	if dept.Key != "" {
		h = append(h, queue.Header{Name: "Reply-To", Value: ticket.ReplyAddress(dept.Local(), t.Tag, in.Domain)})
	}
	to := rules.Inbox(t.Department, dept, in.Hostname)
	return &queue.Item{
		ID: store.NewID(now), BodyID: rec.ID, Target: queue.Agents, Kind: queue.Relay,
		Mailbox: t.Department, From: rec.MailFrom, To: []string{to}, Ticket: t.Tag,
		// The sender's own X-Frontdesk-* fields go: agents' filters trust
		// ours (a customer's X-Frontdesk-Owner would name a false owner).
		Headers: h, DropHeaders: []string{"Reply-To", "X-Frontdesk-*"}, Received: now, Created: now,
	}
}

// historyLine summarises a customer's earlier tickets for agents.
func historyLine(count int, hist []ticket.Summary) string {
	if count == 0 {
		return "first contact"
	}
	parts := make([]string, 0, len(hist))
	for _, h := range hist {
		parts = append(parts, fmt.Sprintf("%s (%s) %q", h.Tag, h.Status, ticket.Snippet(h.Subject, 60)))
	}
	return fmt.Sprintf("%d earlier ticket(s): %s", count, strings.Join(parts, "; "))
}

// received is our trace header (RFC 5321 §4.4).
func (in *Intake) received(env *Envelope, id string, now time.Time) string {
	// RFC 3848 and, for SMTPUTF8 mail, RFC 6531 §4.3.
	proto := "ESMTP"
	if env.UTF8 {
		proto = "UTF8SMTP"
	}
	if env.TLS {
		proto += "S"
	}
	if env.Auth != "" {
		proto += "A"
	}
	helo := sanitize(env.Helo)
	if helo == "" {
		helo = "unknown"
	}
	for_ := ""
	if len(env.Rcpt) == 1 {
		for_ = " for <" + sanitize(env.Rcpt[0]) + ">"
	}
	return fmt.Sprintf("Received: from %s (%s)\r\n\tby %s (Frontdesk) with %s id %s%s;\r\n\t%s\r\n",
		helo, sanitize(env.RemoteAddr), in.Hostname, proto, id, for_, now.Format(time.RFC1123Z))
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '(' || r == ')' {
			return -1
		}
		return r
	}, s)
}

// IsTemporary reports whether err from Accept means "try again later".
func IsTemporary(err error) bool {
	var se *StoreError
	return errors.As(err, &se)
}

// rateKey is the key of addr's acknowledgement rate record (rateLimited).
func rateKey(addr string) []byte {
	canon, err := ack.CanonicalAddress(addr)
	if err != nil {
		canon = strings.ToLower(addr) // not reached: Recipient admitted addr
	}
	return []byte(store.PrefixMisc + "ackrate/" + ack.CapAddress(canon))
}

// customerOf is whose mail msg is: the From address, or the envelope
// sender when it has none.
func customerOf(msg *message.Message, env *Envelope) string {
	if msg.From.Address != "" {
		return msg.From.Address
	}
	return env.MailFrom
}
