package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	netmail "net/mail"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/frontdesk-mail/frontdesk/ack"
	"github.com/frontdesk-mail/frontdesk/compose"
	"github.com/frontdesk-mail/frontdesk/mailauth"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/rules"
	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
	"github.com/frontdesk-mail/frontdesk/web"
)

// PendingClose implements intake.PendingCloser: the department's
// sla.pending_close in the rules in force (zero: the default).
func (r *router) PendingClose(dept string) sla.Duration {
	if d, ok := r.current().Department(dept); ok {
		return d.SLA.PendingClose
	}
	return sla.Duration{}
}

// Policy implements intake.Policies: the department's SLA for a
// priority in the rules in force (for #move).
func (r *router) Policy(dept, priority string) ticket.Policy {
	d, ok := r.current().Department(dept)
	if !ok || d.SLA.IsZero() {
		return ticket.Policy{}
	}
	p := d.SLA.ForPriority(priority)
	return ticket.Policy{FirstResponse: p.FirstResponse, NextResponse: p.NextResponse, Resolution: p.Resolution,
		Calendar: p.Calendar, WarnAt: p.WarnAt, PauseWhenWaiting: p.PauseWhenWaiting}
}

// rateURLs are the one-click rating links of a ticket: its status page
// with ?rate=good|bad, which only asks to confirm (a GET never records).
func rateURLs(tokens *web.Tokens, publicURL string, t *ticket.Ticket) (good, bad string) {
	if tokens == nil {
		return "", ""
	}
	u := tokens.URL(publicURL, t.Tag, t.Lang)
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + "rate=good", u + sep + "rate=bad"
}

// ratingFooter is the text added to an agent's #resolve reply.
func ratingFooter(tokens *web.Tokens, publicURL string) func(t *ticket.Ticket) string {
	return func(t *ticket.Ticket) string {
		good, bad := rateURLs(tokens, publicURL, t)
		return compose.RatingFooter(t.Lang, good, bad)
	}
}

// customerNotices writes the gateway's own notices to a ticket's customer
// — auto-close and resolution — from a template (English and Chinese
// built in, overridable in templates_dir), with the ticket's status and
// one-click rating links, threaded to the customer's last message and
// queued in the caller's transaction (the one that resolves the ticket),
// so that the notice and the resolution commit together or not at all.
type customerNotices struct {
	templates func() *ack.Templates
	router    *router
	tokens    *web.Tokens
	publicURL string
	hostname  string
	domain    string
	signer    *mailauth.Signer
	ours      ack.Ours
}

// queue builds the notice from template and queues it as kind; what names
// it in the timeline. No mail goes to an erased customer or to an address
// no person reads (ack.Unanswerable), and a notice that cannot be built is
// noted in the timeline: the ticket is resolved all the same. It returns
// the queued item, nil when none was queued.
func (n customerNotices) queue(txn *store.Txn, t *ticket.Ticket, now time.Time, template string, kind queue.Kind, what string) (*queue.Item, error) {
	if !t.Erased.IsZero() {
		return nil, nil // nothing of the customer is left to write to
	}
	if reason, ok := ack.Unanswerable(t.Customer, n.ours); ok {
		t.Timeline = append(t.Timeline, ticket.Entry{At: now, Kind: ticket.KindSystem, Text: what + " not sent: " + reason})
		return nil, nil
	}
	dept, _ := n.router.Department(t.Department)
	orig := &message.Message{From: netmail.Address{Name: t.CustomerName, Address: t.Customer}, Subject: t.Subject,
		MessageID: t.LastCustomerMessageID()}
	good, bad := rateURLs(n.tokens, n.publicURL, t)
	status := ""
	if n.tokens != nil {
		status = n.tokens.URL(n.publicURL, t.Tag, t.Lang)
	}
	lang := t.Lang
	if lang != message.Chinese {
		lang = message.English
	}
	mid := ack.NewMessageID(n.hostname)
	raw, err := ack.Build(n.templates(), ack.Input{Template: template, Department: t.Department, DepartmentName: dept.Name,
		DepartmentAddress: dept.Address(n.domain), Original: orig, Lang: lang, Traditional: t.Traditional, TicketTag: t.Tag, StatusURL: status,
		RateGoodURL: good, RateBadURL: bad, Hostname: n.hostname, MessageID: mid, Date: now})
	if err != nil {
		// The ticket is closed all the same; the notice's failure is
		// in the timeline, not lost.
		t.Timeline = append(t.Timeline, ticket.Entry{At: now, Kind: ticket.KindSystem, Text: what + " not sent: " + err.Error()})
		return nil, nil
	}
	if n.signer != nil {
		if raw, err = n.signer.Sign(raw); err != nil {
			return nil, fmt.Errorf("dkim sign %s: %w", what, err)
		}
	}
	t.MessageIDs = append(t.MessageIDs, mid) // the customer's reply threads back
	bodyID := store.NewID(now)
	if err := txn.PutRaw(bodyID, raw); err != nil {
		return nil, err
	}
	it := &queue.Item{ID: store.NewID(now), BodyID: bodyID, Target: queue.Outbound, Kind: kind,
		To: []string{t.Customer}, Ticket: t.Tag, Received: now, Created: now}
	if err := queue.Add(txn, it); err != nil {
		return nil, err
	}
	return it, nil
}

// autoClose queues the customer's notice that their ticket was closed for
// want of an answer (template "autoclose"), inside the scanner's commit.
func (n customerNotices) autoClose(txn *store.Txn, t *ticket.Ticket, now time.Time) error {
	_, err := n.queue(txn, t, now, compose.AutoClose, queue.AutoClose, "auto-close notice")
	return err
}

// resolved queues the customer's notice that their ticket was resolved
// through the API (template "resolved"), inside intake's commit
// (intake.Lifecycle.ResolveNotice).
func (n customerNotices) resolved(txn *store.Txn, t *ticket.Ticket, now time.Time) (*queue.Item, error) {
	return n.queue(txn, t, now, compose.Resolved, queue.Resolved, "resolution notice")
}

// errErased refuses a rating of a ticket whose customer's data was
// erased, as its status page is refused (404).
var errErased = errors.New("the customer's data was erased")

// ratings records customers' ratings from the status page.
type ratings struct {
	st       *store.Store
	router   *router
	hostname string
	tm       *ticket.Metrics
	now      func() time.Time
	log      *slog.Logger
	kick     func()
}

// Rate implements web.Rater: the rating goes on the ticket (and its
// timeline), to the department's agents as a note, and into the metric.
func (rt ratings) Rate(ctx context.Context, id, value, comment string) error {
	now := rt.now()
	var t *ticket.Ticket
	var previous string
	err := rt.st.Update(ctx, func(txn *store.Txn) error {
		var err error
		if t, err = ticket.Get(txn, id); err != nil {
			return err
		}
		if !t.Erased.IsZero() {
			return errErased // its status page is gone: so is its rating
		}
		old := t.Clone()
		if previous, err = t.Rate(value, comment, now); err != nil {
			return err
		}
		dept, _ := rt.router.Department(t.Department)
		to := rules.Inbox(t.Department, dept, rt.hostname)
		raw, _, err := compose.Composer{Hostname: rt.hostname}.Rating(compose.Rating{To: to, TicketTag: t.Tag, Owner: t.Owner,
			Customer: t.Customer, Subject: t.Subject, Value: value, Previous: previous, Comment: ticket.Snippet(comment, 2000), Now: now})
		if err != nil {
			return err
		}
		bodyID := store.NewID(now)
		if err := txn.PutRaw(bodyID, raw); err != nil {
			return err
		}
		if err := queue.Add(txn, &queue.Item{ID: store.NewID(now), BodyID: bodyID, Target: queue.Agents, Kind: queue.Rating, Mailbox: t.Department,
			To: []string{to}, Ticket: t.Tag, Received: now, Created: now}); err != nil {
			return err
		}
		return ticket.Put(txn, old, t)
	})
	switch {
	case errors.Is(err, ticket.ErrRatingSame):
		return fmt.Errorf("%s: %w", id, web.ErrRatingUnchanged) // taken already: no second note, no CSAT count
	case ticket.IsNotFound(err), errors.Is(err, errErased):
		return fmt.Errorf("%s: %w", id, web.ErrNotFound)
	case errors.Is(err, ticket.ErrNotResolved):
		return fmt.Errorf("%w: %v", web.ErrNotRatable, err)
	case errors.Is(err, ticket.ErrRatingClosed):
		return fmt.Errorf("%w: %v", web.ErrRatingClosed, err)
	case errors.Is(err, ticket.ErrBadRating):
		return fmt.Errorf("%w: %v", web.ErrBadRating, err)
	case err != nil:
		return err
	}
	if rt.tm != nil {
		rt.tm.Rated(t.Department, value, previous)
	}
	rt.log.Info("ticket rated", "ticket", t.Tag, "rating", value, "previous", previous)
	if rt.kick != nil {
		rt.kick()
	}
	return nil
}

// testClockEnv names a file holding a duration (Go syntax) that the
// server adds to the real time — FOR TESTS ONLY: the end-to-end tests move
// time forward to see tickets auto-close without waiting days. The file is
// read at most every 50 ms; a change kicks the scanner. Unset (always, in
// production), the clock is time.Now.
const testClockEnv = "FRONTDESK_TEST_CLOCK_FILE"

type testClock struct {
	path string
	mu   sync.Mutex
	read time.Time
	off  time.Duration
}

// clockFromEnv returns the clock and, for a test clock, a function that
// watches the file and calls kick when the offset changes.
func clockFromEnv(log *slog.Logger) (now func() time.Time, watch func(ctx context.Context, kick func())) {
	path := os.Getenv(testClockEnv)
	if path == "" {
		return time.Now, func(context.Context, func()) {}
	}
	log.Warn("TEST CLOCK in use: time is shifted by the offset in the file", "env", testClockEnv, "file", path)
	c := &testClock{path: path}
	return c.now, c.watch
}

func (c *testClock) offset() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.read) > 50*time.Millisecond {
		c.read = time.Now()
		if b, err := os.ReadFile(c.path); err == nil {
			if d, err := time.ParseDuration(strings.TrimSpace(string(b))); err == nil {
				c.off = d
			}
		}
	}
	return c.off
}

func (c *testClock) now() time.Time { return time.Now().Add(c.offset()) }

func (c *testClock) watch(ctx context.Context, kick func()) {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	last := c.offset()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if off := c.offset(); off != last {
				last = off
				kick()
			}
		}
	}
}
