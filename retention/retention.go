// Package retention removes what the gateway no longer needs to keep, as
// the config's retention section says: mail whose ticket was resolved
// longer ago than retention.mail (open tickets keep theirs; mail without
// a ticket counts from its arrival), tickets resolved longer ago than
// retention.resolved_tickets with their mail, and queue items failed
// longer ago than retention.failed_queue_items, and learned examples
// (package learn) taught or imported longer ago than
// retention.learned_examples (by default they are kept: they are what the
// team taught). Mail a queue item still has to deliver is never removed;
// the built-in starter examples are not stored and never touched.
//
// Removed mail leaves the disk: the spool segments it was in are deleted
// when nothing in them is left and rewritten when most of them is gone
// (store.CompactSpool, crash-safe at every step), and Badger's value log
// is garbage-collected. A run is a sequence of idempotent steps, each
// committed as it goes: a run cut short by a crash or a shutdown is simply
// continued by the next one. One runs at a time (Runner); among nodes
// sharing a store, the periodic run is the one of the node holding the
// retention lease (package lease).
package retention

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// Policy is how long things are kept; zero keeps them.
type Policy struct {
	Mail             time.Duration
	ResolvedTickets  time.Duration
	FailedQueueItems time.Duration
	LearnedExamples  time.Duration
}

// Periods is a policy as the config writes it: each period in whole days
// ("365d") when it is a number of days, else in Go's duration syntax, and
// "0" for kept. A report carries the policy its run applied, so that a
// `retention run -c CONFIG` answered by a running server can tell when
// the server's policy is not the one CONFIG says (a server reads it when
// it starts).
type Periods struct {
	Mail             string `json:"mail"`
	ResolvedTickets  string `json:"resolved_tickets"`
	FailedQueueItems string `json:"failed_queue_items"`
	LearnedExamples  string `json:"learned_examples"`
}

// Periods returns p as the config writes it.
func (p Policy) Periods() Periods {
	f := func(d time.Duration) string {
		switch {
		case d <= 0:
			return "0"
		case d%(24*time.Hour) == 0:
			return fmt.Sprintf("%dd", d/(24*time.Hour))
		}
		return d.String()
	}
	return Periods{Mail: f(p.Mail), ResolvedTickets: f(p.ResolvedTickets), FailedQueueItems: f(p.FailedQueueItems), LearnedExamples: f(p.LearnedExamples)}
}

// Differences names the periods of q that differ from p's, as
// "learned_examples 0 (CONFIG: 30d)" with other naming q; "" when none do.
func (p Periods) Differences(q Periods, other string) string {
	var out []string
	for _, f := range []struct{ name, a, b string }{
		{"mail", p.Mail, q.Mail}, {"resolved_tickets", p.ResolvedTickets, q.ResolvedTickets},
		{"failed_queue_items", p.FailedQueueItems, q.FailedQueueItems}, {"learned_examples", p.LearnedExamples, q.LearnedExamples},
	} {
		if f.a != f.b {
			out = append(out, fmt.Sprintf("%s %s (%s: %s)", f.name, f.a, other, f.b))
		}
	}
	return strings.Join(out, ", ")
}

// Options tune one run.
type Options struct {
	Now    time.Time
	DryRun bool
	// Grace protects spool segments written to recently (mail in them may
	// be about to commit); zero for a stopped store.
	Grace time.Duration
	// Progress, if set, hears what the run is doing.
	Progress func(string)
}

// Report is what a run removed (or, dry, would remove).
type Report struct {
	DryRun                 bool                `json:"dry_run"`
	Started                time.Time           `json:"started"`
	Finished               time.Time           `json:"finished"`
	QueueItemsRemoved      int                 `json:"queue_items_removed"`
	TicketsRemoved         int                 `json:"tickets_removed"`
	MailRemoved            int                 `json:"mail_removed"`
	MailBytes              int64               `json:"mail_bytes_removed"`
	LearnedExamplesRemoved int                 `json:"learned_examples_removed"` // taught or imported longer ago than Policy.LearnedExamples
	Spool                  store.CompactReport `json:"spool"`
	// Reclaimed is how much less the data dir holds after the run.
	Reclaimed int64       `json:"bytes_reclaimed"`
	Usage     store.Usage `json:"usage"`
	// InDatabase: the store is PostgreSQL, whose mail and records are in
	// the database, not under data_dir: Usage and Reclaimed do not count
	// them, and the space of removed rows is the database's to give back
	// (autovacuum).
	InDatabase bool `json:"in_database,omitempty"`
	// Policy is the policy the run applied.
	Policy Periods `json:"policy"`
}

// lastKey holds the report of the last successful run (not dry), so that
// its time survives restarts and counts runs of the stopped store's CLI.
var lastKey = []byte(store.PrefixMisc + "retention-last")

// LastRun returns the report of the last successful run; nil if none.
func LastRun(st *store.Store) (*Report, error) {
	var r *Report
	err := st.View(func(txn *store.Txn) error {
		b, err := txn.Get(lastKey)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		r = new(Report)
		return json.Unmarshal(b, r)
	})
	return r, err
}

// batch bounds the mail removed in one transaction.
const batch = 200

// Run applies p to st once.
func Run(ctx context.Context, st *store.Store, p Policy, o Options) (*Report, error) {
	began := time.Now() // the run's duration is measured on the real clock
	now := o.Now
	if now.IsZero() {
		now = began
	}
	say := func(f string, a ...any) {
		if o.Progress != nil {
			o.Progress(fmt.Sprintf(f, a...))
		}
	}
	before := st.DiskUsage()
	rep := &Report{DryRun: o.DryRun, Started: now, InDatabase: st.Postgres(), Policy: p.Periods()}

	// 1. Failed queue items.
	items, err := queue.List(st)
	if err != nil {
		return nil, fmt.Errorf("retention: queue: %w", err)
	}
	keep := map[string]bool{} // mail a queue item still needs
	for _, it := range items {
		last := it.NextAttempt
		if it.Created.After(last) {
			last = it.Created
		}
		if p.FailedQueueItems > 0 && it.State == queue.StateFailed && now.Sub(last) > p.FailedQueueItems {
			rep.QueueItemsRemoved++
			if !o.DryRun {
				if err := queue.Delete(ctx, st, it.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
					return nil, fmt.Errorf("retention: %w", err)
				}
			}
			continue
		}
		keep[it.BodyID] = true
	}
	say("queue: %d failed item(s) expired", rep.QueueItemsRemoved)

	// 2. What each mail belongs to.
	tickets, err := ticket.List(st, "", "")
	if err != nil {
		return nil, fmt.Errorf("retention: tickets: %w", err)
	}
	byTag := make(map[string]*ticket.Ticket, len(tickets))
	for _, t := range tickets {
		byTag[t.Tag] = t
	}
	// A merged ticket's conversation is its survivor's (#merge): its mail
	// counts from the survivor's resolution, and it goes when the survivor
	// goes, never while the survivor is open.
	lives := func(t *ticket.Ticket) *ticket.Ticket { return survivor(t, byTag) }
	var gone []*ticket.Ticket
	for _, t := range tickets {
		s := lives(t)
		if p.ResolvedTickets > 0 && t.Status == ticket.Resolved && s.Status == ticket.Resolved && !s.ResolvedAt.IsZero() &&
			now.Sub(s.ResolvedAt) > p.ResolvedTickets {
			gone = append(gone, t)
		}
	}
	goneTag := map[string]bool{}
	for _, t := range gone {
		goneTag[t.Tag] = true
	}
	mails, err := collect(st)
	if err != nil {
		return nil, err
	}
	var expired []mail
	for _, m := range mails {
		if keep[m.id] || !expires(m, byTag, goneTag, p, now) {
			continue
		}
		expired = append(expired, m)
		rep.MailBytes += m.size
	}
	rep.MailRemoved, rep.TicketsRemoved = len(expired), len(gone)
	say("mail: %d expired (%d bytes); tickets: %d resolved long ago", len(expired), rep.MailBytes, len(gone))

	// 3. Remove them, mail first: a ticket removed before its mail would
	// leave mail that no longer counts from a resolution.
	if !o.DryRun {
		kept := 0 // mail whose ticket changed since it was judged
		for i := 0; i < len(expired); i += batch {
			part := expired[i:min(i+batch, len(expired))]
			var skipped int
			err := st.Update(ctx, func(txn *store.Txn) error {
				skipped = 0 // the function may run more than once
				still := map[string]bool{}
				for _, m := range part {
					if m.tag != "" {
						ok, seen := still[m.tag]
						if !seen {
							var err error
							if ok, err = stillResolved(txn, m.tag, byTag); err != nil {
								return err
							}
							still[m.tag] = ok
						}
						if !ok {
							skipped++
							continue
						}
					}
					if err := txn.DeleteMail(m.id); err != nil {
						return err
					}
					if m.tag != "" {
						if err := txn.Delete(store.TicketMailKey(m.tag, m.id)); err != nil {
							return err
						}
					}
				}
				return nil
			})
			if err != nil {
				return nil, fmt.Errorf("retention: remove mail: %w", err)
			}
			kept += skipped
			say("mail: %d/%d removed", i+len(part)-kept, len(expired))
		}
		rep.MailRemoved -= kept
		for _, t := range gone {
			err := st.Update(ctx, func(txn *store.Txn) error {
				cur, err := ticket.Get(txn, t.Tag)
				if ticket.IsNotFound(err) {
					return nil
				}
				if err != nil {
					return err
				}
				if cur.Status != ticket.Resolved {
					return nil // reopened meanwhile: kept
				}
				if open, err := survivorOpen(txn, cur); err != nil || open {
					return err // its survivor reopened meanwhile: kept
				}
				return ticket.Remove(txn, cur)
			})
			if err != nil {
				return nil, fmt.Errorf("retention: remove ticket %s: %w", t.Tag, err)
			}
		}
	}

	// 4. Learned examples: a customer's words and address, kept as long
	// as the config says (by default for ever).
	rep.LearnedExamplesRemoved, err = learn.Expire(ctx, st, now, p.LearnedExamples, o.DryRun)
	if err != nil {
		return nil, fmt.Errorf("retention: %w", err)
	}
	if p.LearnedExamples > 0 {
		say("learned examples: %d taught longer ago than %v", rep.LearnedExamplesRemoved, p.LearnedExamples)
	} else {
		say("learned examples: kept (retention.learned_examples is 0)")
	}

	// 5. Give the space back.
	co := store.CompactOptions{Grace: o.Grace, DryRun: o.DryRun}
	if o.DryRun {
		co.Gone = make(map[string]bool, len(expired))
		for _, m := range expired {
			co.Gone[m.id] = true
		}
	}
	rep.Spool, err = st.CompactSpool(ctx, co)
	if err != nil {
		return nil, fmt.Errorf("retention: %w", err)
	}
	say("spool: %d segment(s) deleted, %d rewritten", rep.Spool.Deleted, rep.Spool.Rewritten)
	if !o.DryRun {
		st.Reclaim()
	}
	rep.Usage = st.DiskUsage()
	// Finished is on Started's clock (o.Now's, when given) and as long
	// after it as the run took, dry or not: o.Now is when the run counts
	// from, not when it ended.
	rep.Finished = rep.Started.Add(time.Since(began))
	if o.DryRun {
		rep.Reclaimed = rep.Spool.Reclaimed
		return rep, nil
	}
	rep.Reclaimed = max(0, before.Mail+before.Store-rep.Usage.Mail-rep.Usage.Store)
	b, _ := json.Marshal(rep)
	if err := st.Update(ctx, func(txn *store.Txn) error { return txn.Set(lastKey, b) }); err != nil {
		return nil, fmt.Errorf("retention: %w", err)
	}
	return rep, nil
}

// mail is one mail the store holds and what it belongs to.
type mail struct {
	id       string
	tag      string    // its ticket, if known
	received time.Time // when it came or was written
	size     int64
}

// collect lists every mail: received mail has a record naming its ticket;
// the gateway's own is indexed under its ticket by queue.Add.
func collect(st *store.Store) ([]mail, error) {
	var out []mail
	err := st.View(func(txn *store.Txn) error {
		tagOf := map[string]string{}
		err := txn.Iterate([]byte(store.PrefixTicketMail), nil, false, func(k, _ []byte) error {
			tag, id, ok := strings.Cut(string(k[len(store.PrefixTicketMail):]), "/")
			if ok {
				tagOf[id] = tag
			}
			return nil
		})
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		err = txn.Iterate([]byte(store.PrefixMessage), nil, true, func(k, v []byte) error {
			var m store.Message
			if err := json.Unmarshal(v, &m); err != nil {
				return nil // store check reports it; it is not ours to judge
			}
			id := string(k[len(store.PrefixMessage):])
			seen[id] = true
			tag := m.Ticket
			if tag == "" {
				tag = tagOf[id]
			}
			loc, _ := txn.MailLocation(id)
			out = append(out, mail{id: id, tag: tag, received: m.Received, size: loc.Size})
			return nil
		})
		if err != nil {
			return err
		}
		return txn.Iterate([]byte(store.PrefixRaw), nil, false, func(k, _ []byte) error {
			id := string(k[len(store.PrefixRaw):])
			if seen[id] {
				return nil
			}
			loc, _ := txn.MailLocation(id)
			out = append(out, mail{id: id, tag: tagOf[id], received: store.IDTime(id), size: loc.Size})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("retention: list mail: %w", err)
	}
	return out, nil
}

// expires says whether m is past p at now.
func expires(m mail, byTag map[string]*ticket.Ticket, gone map[string]bool, p Policy, now time.Time) bool {
	if m.tag != "" && gone[m.tag] {
		return true
	}
	if p.Mail <= 0 {
		return false
	}
	from := m.received
	if t := byTag[m.tag]; m.tag != "" && t != nil {
		t = survivor(t, byTag)
		if t.Status != ticket.Resolved {
			return false // open tickets keep their mail
		}
		from = t.ResolvedAt
	}
	return !from.IsZero() && now.Sub(from) > p.Mail
}

// survivor returns the ticket t's conversation lives in: t, or the ticket
// it was merged into, followed to the end of a chain of merges. A survivor
// that is gone (removed, or never there) leaves the last ticket found.
func survivor(t *ticket.Ticket, byTag map[string]*ticket.Ticket) *ticket.Ticket {
	for range len(byTag) { // a chain visits each ticket once at most
		s := byTag[t.MergedInto]
		if t.MergedInto == "" || s == nil {
			break
		}
		t = s
	}
	return t
}

// stillResolved says, in txn, whether the ticket tag's conversation lives
// in (tag, or its survivor) is resolved as it was when the run judged its
// mail (byTag): not reopened, nor merged into an open ticket, since. A
// ticket gone meanwhile leaves its mail to be removed.
func stillResolved(txn *store.Txn, tag string, byTag map[string]*ticket.Ticket) (bool, error) {
	was := byTag[tag]
	if was == nil {
		return true, nil
	}
	was = survivor(was, byTag)
	cur, err := ticket.Get(txn, tag)
	if ticket.IsNotFound(err) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	seen := map[string]bool{cur.Tag: true}
	for cur.MergedInto != "" && !seen[cur.MergedInto] {
		s, err := ticket.Get(txn, cur.MergedInto)
		if ticket.IsNotFound(err) {
			break
		}
		if err != nil {
			return false, err
		}
		seen[s.Tag] = true
		cur = s
	}
	return cur.Tag == was.Tag && cur.Status == ticket.Resolved && cur.ResolvedAt.Equal(was.ResolvedAt), nil
}

// survivorOpen says whether the ticket a merged ticket t was merged into
// (followed to the end of the chain) is open now, in txn.
func survivorOpen(txn *store.Txn, t *ticket.Ticket) (bool, error) {
	seen := map[string]bool{t.Tag: true}
	for t.MergedInto != "" && !seen[t.MergedInto] {
		s, err := ticket.Get(txn, t.MergedInto)
		if ticket.IsNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		seen[s.Tag] = true
		t = s
	}
	return t.Status != ticket.Resolved, nil
}

// ErrRunning is returned when a run is asked for while one is under way.
var ErrRunning = errors.New("a retention run is already under way")

// Runner runs retention in a server: periodically, and when asked (the
// API), one run at a time.
type Runner struct {
	St      *store.Store
	Policy  Policy
	Grace   time.Duration
	Log     *slog.Logger
	Metrics *Metrics
	// Now is the clock expiry counts on, the one tickets are resolved on
	// (nil: the real time). Spool segments' grace is the real time's.
	Now func() time.Time
	// Learned, when set, is the server's learning: a run that removed
	// learned examples returns once its ranking no longer uses them, as
	// `learn forget` does (learn.Live.Sync).
	Learned *learn.Live

	mu sync.Mutex
	// progress, for tests, hears each run's progress.
	progress func(string)
}

// Run runs once now, unless a run is under way (ErrRunning).
func (r *Runner) Run(ctx context.Context, dry bool) (*Report, error) {
	if !r.mu.TryLock() {
		return nil, ErrRunning
	}
	defer r.mu.Unlock()
	o := Options{DryRun: dry, Grace: r.Grace, Progress: r.progress}
	if r.Now != nil {
		o.Now = r.Now()
	}
	rep, err := Run(ctx, r.St, r.Policy, o)
	log := r.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err != nil {
		log.Error("retention run failed", "err", err)
		return nil, err
	}
	if !dry {
		r.Metrics.observe(rep)
		log.Info("retention run", "mail_removed", rep.MailRemoved, "tickets_removed", rep.TicketsRemoved,
			"queue_items_removed", rep.QueueItemsRemoved, "learned_examples_removed", rep.LearnedExamplesRemoved,
			"segments_deleted", rep.Spool.Deleted, "segments_rewritten", rep.Spool.Rewritten, "bytes_reclaimed", rep.Reclaimed)
		if rep.LearnedExamplesRemoved > 0 && r.Learned != nil {
			if err := r.Learned.Sync(ctx); err != nil {
				log.Error("learned examples removed by retention, but the example index not yet rebuilt without them", "err", err)
				return nil, fmt.Errorf("retention: %d learned example(s) removed, but the example index not yet rebuilt without them: %w", rep.LearnedExamplesRemoved, err)
			}
		}
	}
	return rep, nil
}

// Loop runs every interval until ctx ends. The first run comes one
// interval after the last successful one (a minute after start when that
// is past), so restarts neither skip runs nor turn into a purge loop.
func (r *Runner) Loop(ctx context.Context, interval time.Duration) {
	wait := time.Minute
	if last, err := LastRun(r.St); err == nil && last != nil {
		wait = max(wait, time.Until(last.Finished.Add(interval)))
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		r.Run(ctx, false) // a failure is logged; the next run tries again
		t.Reset(interval)
	}
}
