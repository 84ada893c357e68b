// Package intake turns one received message into durable state: it parses
// the mail, asks the router for a decision, and commits the raw message, its
// record and its queue items in one fsynced store transaction before the
// SMTP server may answer 250. Anything the gateway derives from a message
// is written in that same transaction, so a crash never leaves half of it.
package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"frontdesk/message"
	"frontdesk/queue"
	"frontdesk/store"
)

// Envelope is what the SMTP session knows about a message.
type Envelope struct {
	MailFrom   string
	Rcpt       []string
	RemoteAddr string
	Helo       string
	TLS        bool
	Auth       string // authenticated user, "" on the MX
}

// Decision is the router's verdict for one message.
type Decision struct {
	Department string
	Mailbox    string // the department's mailbox address (SMTP/LMTP targets)
	Priority   string
	Tags       []string
	Rules      []string // names of the rules that matched
	Reject     string   // non-empty: refuse with this text
	Discard    bool
}

// Router decides where a message goes. Implementations must be safe for
// concurrent use and use one consistent rule set per call.
type Router interface {
	Route(m *message.Message, now time.Time) Decision
}

// RejectedError is returned when the rules refuse a message.
type RejectedError struct{ Text string }

func (e *RejectedError) Error() string { return "rejected by rules: " + e.Text }

// StoreError is returned when the message could not be committed; the
// sender must try again later.
type StoreError struct{ Err error }

func (e *StoreError) Error() string { return "store: " + e.Err.Error() }
func (e *StoreError) Unwrap() error { return e.Err }

// Intake accepts messages.
type Intake struct {
	Store    *store.Store
	Queue    *queue.Queue
	Router   Router
	Hostname string
	Log      *slog.Logger
	Now      func() time.Time
	m        *Metrics
}

// Metrics counts messages by result.
type Metrics struct {
	messages *prometheus.CounterVec
	bytes    prometheus.Counter
}

// NewMetrics registers intake metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Name: "messages_total",
			Help: "Messages that reached the end of DATA, by result (accepted, discarded, rejected, tempfail) and reason.",
		}, []string{"result", "reason"}),
		bytes: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "frontdesk", Name: "message_bytes_total", Help: "Bytes of accepted messages.",
		}),
	}
	for _, rr := range [][2]string{{"accepted", "ok"}, {"accepted", "unparseable"}, {"discarded", "rule"}, {"rejected", "rule"}, {"tempfail", "store"}} {
		m.messages.WithLabelValues(rr[0], rr[1])
	}
	reg.MustRegister(m.messages, m.bytes)
	return m
}

// New returns an Intake; m may be nil.
func New(st *store.Store, q *queue.Queue, r Router, hostname string, m *Metrics, log *slog.Logger) *Intake {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Intake{Store: st, Queue: q, Router: r, Hostname: hostname, Log: log, Now: time.Now, m: m}
}

func (in *Intake) count(result, reason string) {
	if in.m != nil {
		in.m.messages.WithLabelValues(result, reason).Inc()
	}
}

// Accept files one message. It returns nil only after everything is
// committed durably; a *RejectedError when the rules refuse it; a
// *StoreError when it could not be committed.
func (in *Intake) Accept(ctx context.Context, env *Envelope, data []byte) (string, error) {
	now := in.Now()
	id := store.NewID(now)
	raw := append([]byte(in.received(env, id, now)), data...)

	msg, perr := message.Parse(data)
	msg.Rcpt = env.Rcpt
	dec := in.Router.Route(msg, now)
	log := in.Log.With("msg_id", id, "from", env.MailFrom, "department", dec.Department)
	if dec.Reject != "" {
		in.count("rejected", "rule")
		log.Info("rejected by rules", "rules", dec.Rules)
		return "", &RejectedError{Text: dec.Reject}
	}
	rec := &store.Message{
		ID: id, Received: now, MailFrom: env.MailFrom, Rcpt: env.Rcpt,
		RemoteAddr: env.RemoteAddr, Helo: env.Helo, Size: len(data),
		MessageID: msg.MessageID, Subject: msg.Subject, From: msg.From.Address,
		Department: dec.Department, Priority: dec.Priority, Tags: dec.Tags, Rules: dec.Rules,
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
	var items []*queue.Item
	if dec.Discard {
		rec.Disposition = "discard"
	} else {
		items = append(items, in.relayItem(rec, dec, now))
	}
	err := in.Store.Update(ctx, func(txn *store.Txn) error {
		if err := txn.PutMessage(rec, raw); err != nil {
			return err
		}
		for _, it := range items {
			if err := queue.Add(txn, it); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		in.count("tempfail", "store")
		log.Error("commit failed; answering 451", "err", err)
		return "", &StoreError{Err: fmt.Errorf("commit %s: %w", id, err)}
	}
	if dec.Discard {
		in.count("discarded", "rule")
		log.Info("discarded by rules", "rules", dec.Rules)
		return id, nil
	}
	in.count("accepted", reason)
	if in.m != nil {
		in.m.bytes.Add(float64(len(data)))
	}
	for _, it := range items {
		log.Info("accepted", "queue_id", it.ID, "size", len(data), "rules", dec.Rules)
	}
	in.Queue.Kick()
	return id, nil
}

func (in *Intake) relayItem(rec *store.Message, dec Decision, now time.Time) *queue.Item {
	h := []queue.Header{
		{"X-Frontdesk-Department", dec.Department},
		{"X-Frontdesk-Priority", dec.Priority},
	}
	if len(dec.Tags) > 0 {
		h = append(h, queue.Header{Name: "X-Frontdesk-Tags", Value: strings.Join(dec.Tags, ", ")})
	}
	if len(dec.Rules) > 0 {
		h = append(h, queue.Header{Name: "X-Frontdesk-Rule", Value: strings.Join(dec.Rules, ", ")})
	}
	to := dec.Mailbox
	if to == "" {
		to = dec.Department + "@" + in.Hostname
	}
	return &queue.Item{
		ID: store.NewID(now), BodyID: rec.ID, Target: "agents", Kind: "relay",
		Mailbox: dec.Department, From: rec.MailFrom, To: []string{to},
		Headers: h, Received: now, Created: now,
	}
}

// received is our trace header (RFC 5321 §4.4).
func (in *Intake) received(env *Envelope, id string, now time.Time) string {
	proto := "ESMTP"
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
