// Package queue is Frontdesk's durable delivery queue. Items are written in
// the same store transaction as the message they deliver, and deleted only
// after the peer accepted them, so delivery is at least once across crashes.
// Workers take due items from a time-ordered index, deliver them through a
// Target (Maildir, SMTP or LMTP), and retry temporary failures with
// exponential backoff and jitter until the item succeeds, fails permanently
// or grows older than the give-up age; failed items stay in the store for
// `frontdesk queue retry`.
//
// Several gateways may share one store (PostgreSQL). Each item is then
// delivered by one node at a time: a node leases an item in a transaction
// before its attempt (Item.Holder, Item.LeaseUntil) and moves its schedule
// key to the lease's end, renewing it every third of ItemLease while the
// delivery runs. A node that finds an item leased, or loses the race for
// it, leaves it alone; if the holder dies, the item is due again for every
// node when the lease ends, and the other nodes look at the schedule at
// least every half lease, so a dead node's items are delivered by another
// within ItemLease and a half (30 s by default). Delivery stays at least
// once: a node that dies after the peer took the mail but before the
// removal committed costs a duplicate, recognisable by its
// X-Frontdesk-Queue-Id.
package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/frontdesk-mail/frontdesk/store"
)

// Item states.
const (
	StateReady    = "ready"    // waiting for its first attempt
	StateDeferred = "deferred" // a temporary failure; retried at NextAttempt
	StateFailed   = "failed"   // given up; kept until retried or deleted
)

// Header is one header field prepended to the delivered copy. Its JSON
// keys are snake_case like every other key of an item (queue list --json,
// /api/queue); items stored before with "Name"/"Value" still decode, as
// encoding/json matches keys without regard to case.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Item is one delivery: one stored body to one set of recipients through
// one target.
type Item struct {
	ID     string `json:"id"`
	BodyID string `json:"body_id"` // raw/<BodyID> holds the bytes
	// Target names the configured target: Agents (relay to department
	// mailboxes) or Outbound (mail to customers).
	Target TargetName `json:"target"`
	// Kind says why the mail is sent.
	Kind Kind `json:"kind"`
	// Mailbox is the Maildir folder name for maildir targets (department).
	Mailbox string   `json:"mailbox,omitempty"`
	From    string   `json:"from"` // envelope sender; "" is the null sender
	To      []string `json:"to"`
	Headers []Header `json:"headers,omitempty"`
	// DropHeaders are removed from the body's header block before Headers
	// are prepended (a relayed copy gets our Reply-To, not two); a name
	// ending in "*" is a prefix ("X-Frontdesk-*").
	DropHeaders []string  `json:"drop_headers,omitempty"`
	Ticket      string    `json:"ticket,omitempty"`
	Received    time.Time `json:"received"` // when the message was accepted (latency)

	Created     time.Time `json:"created"`
	NextAttempt time.Time `json:"next_attempt"`
	Attempts    int       `json:"attempts"`
	State       string    `json:"state"`
	LastError   string    `json:"last_error,omitempty"`

	// Holder is the node delivering the item now, on a shared store,
	// until LeaseUntil; while it is set the item's schedule key is at
	// LeaseUntil, so that it falls due again if the holder dies.
	Holder     string    `json:"holder,omitempty"`
	LeaseUntil time.Time `json:"lease_until,omitzero"`

	// claim is set on an item Claim leased to this node in the
	// transaction that added it: its mail, when the caller had it at
	// hand (nil: read at the attempt). Not stored.
	claim *claim
}

// claim is what ReadyClaimed hands over with a claimed item.
type claim struct{ body []byte }

// schedAt is when the item is due: its next attempt, or the end of the
// lease a node holds on it.
func (it *Item) schedAt() time.Time {
	if it.Holder != "" {
		return it.LeaseUntil
	}
	return it.NextAttempt
}

// PermanentError marks a failure that retrying cannot fix.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err as a permanent failure.
func Permanent(err error) error { return &PermanentError{Err: err} }

// Target delivers one item. It returns nil only when the peer has taken
// responsibility for the message; a *PermanentError when retrying is useless.
// body is the queue's until Deliver returns: a Target must not keep it (the
// next attempt reads its mail into the same storage).
type Target interface {
	Deliver(ctx context.Context, it *Item, body []byte) error
	Name() string // for metrics: maildir, smtp, lmtp
}

// Config tunes the workers.
type Config struct {
	Workers     int
	MinBackoff  time.Duration
	MaxBackoff  time.Duration
	GiveUpAfter time.Duration
	// AttemptTimeout bounds one delivery attempt.
	AttemptTimeout time.Duration
	// ItemLease is how long a node holds an item it delivers before
	// another node may take it; it is renewed every third of it while the
	// delivery runs. Zero means DefaultItemLease on a shared store and no
	// leases on a store only this process opens (Badger), where no other
	// node could take an item; negative means no leases.
	ItemLease time.Duration
	// Holder names this node in its leases; empty means the store's
	// (store.Store.Holder).
	Holder string
}

// DefaultItemLease is ItemLease on a shared store: with the poll of half
// a lease, a dead node's items are delivered by another within 30 s.
const DefaultItemLease = 20 * time.Second

// Queue runs the workers.
type Queue struct {
	st      *store.Store
	cfg     Config
	targets map[TargetName]Target
	log     *slog.Logger
	m       *Metrics
	now     func() time.Time
	kick    chan struct{}

	mu      sync.Mutex
	running bool
	// settling holds delivered items whose removal is handed to
	// store.UpdateLater: true while it waits for its commit, false once
	// committed. due skips them all, and drops the false ones before it
	// scans: a scan that starts after the commit cannot see the item.
	settling map[string]bool
	// held are items whose attempt's outcome the store refused to record
	// (a full disk: store.ErrNoSpace): not handed out again before the
	// time given, as if their deferral had committed. Without it they
	// were due at once and retried in a tight loop.
	held map[string]time.Time

	// bodies holds buffers that attempts read mail into (*[]byte): a
	// delivery reads the whole mail, and a fresh slice per attempt was
	// the largest allocation per relayed 1 MB mail (issue 21).
	bodies sync.Pool

	scans atomic.Int64 // schedule scans so far (tests)

	// pending are ids handed over with Ready, wantScan asks for a scan
	// (Kick); both under mu, taken by Run.
	pending  []string
	wantScan bool
	// claimed are items handed over with ReadyClaimed, leased to this
	// node since their commit: delivered without a lease of their own.
	// claimedBytes is the mail they hold (at most maxClaimedBytes).
	claimed      []*Item
	claimedBytes int
}

// maxClaimedBytes bounds the mail that claimed items waiting for a worker
// hold in memory: past it a claim is handed over without its mail, which
// the attempt reads from the store, so that a target that hangs while
// mail keeps arriving does not make the queue hold all of it.
const maxClaimedBytes = 16 << 20

// maxPooledBody is the largest buffer kept for the next attempt; a larger
// mail's buffer goes to the collector.
const maxPooledBody = 4 << 20

// New returns a queue over st delivering through targets (keyed by
// Item.Target). m may be nil.
func New(st *store.Store, cfg Config, targets map[TargetName]Target, m *Metrics, log *slog.Logger) *Queue {
	if cfg.Workers < 1 {
		cfg.Workers = 1
	}
	if cfg.AttemptTimeout == 0 {
		cfg.AttemptTimeout = 5 * time.Minute
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if st != nil { // nil: backoff only (tests)
		if cfg.ItemLease == 0 && st.Shared() {
			cfg.ItemLease = DefaultItemLease
		}
		if cfg.Holder == "" {
			cfg.Holder = st.Holder()
		}
	}
	return &Queue{st: st, cfg: cfg, targets: targets, log: log, m: m, now: time.Now, kick: make(chan struct{}, 1),
		settling: map[string]bool{}, held: map[string]time.Time{}}
}

// SetClock replaces the clock (tests).
func (q *Queue) SetClock(now func() time.Time) { q.now = now }

// Add writes it into txn as a new ready item. Call Kick after the commit.
func Add(txn *store.Txn, it *Item) error {
	if it.State == "" {
		it.State = StateReady
	}
	if it.NextAttempt.IsZero() {
		it.NextAttempt = it.Created
	}
	// Retention and erasure find a ticket's mail through this index,
	// the gateway's own mail (which has no message record) included.
	if err := txn.IndexTicketMail(it.Ticket, it.BodyID); err != nil {
		return fmt.Errorf("queue %s: %w", it.ID, err)
	}
	return put(txn, it)
}

func put(txn *store.Txn, it *Item) error {
	b, err := json.Marshal(it)
	if err != nil {
		return err
	}
	if err := txn.Set([]byte(store.PrefixQueue+it.ID), b); err != nil {
		return fmt.Errorf("queue %s: %w", it.ID, err)
	}
	if it.State != StateFailed {
		if err := txn.Set(schedKey(it), nil); err != nil {
			return fmt.Errorf("queue %s: %w", it.ID, err)
		}
	}
	return nil
}

func schedKey(it *Item) []byte {
	k := append([]byte(store.PrefixSched), store.TimeKey(it.schedAt())...)
	return append(k, it.ID...)
}

// unschedule removes it from the schedule; a failed item is not on it.
func unschedule(txn *store.Txn, it *Item) error {
	if it.State == StateFailed {
		return nil
	}
	return txn.Delete(schedKey(it))
}

// Get loads one item.
func Get(txn *store.Txn, id string) (*Item, error) {
	b, err := txn.Get([]byte(store.PrefixQueue + id))
	if err != nil {
		return nil, fmt.Errorf("queue item %s: %w", id, err)
	}
	var it Item
	if err := json.Unmarshal(b, &it); err != nil {
		return nil, fmt.Errorf("queue item %s: %w", id, err)
	}
	return &it, nil
}

// getSched loads what of an item its schedule key is made of (ID, Holder,
// LeaseUntil, NextAttempt: Item.schedAt), for its removal after delivery;
// decoding the whole item there was a tenth of the committer's work per
// delivered mail on a shared store.
func getSched(txn *store.Txn, id string) (*Item, error) {
	b, err := txn.Get([]byte(store.PrefixQueue + id))
	if err != nil {
		return nil, fmt.Errorf("queue item %s: %w", id, err)
	}
	var s struct {
		NextAttempt time.Time `json:"next_attempt"`
		Holder      string    `json:"holder"`
		LeaseUntil  time.Time `json:"lease_until"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("queue item %s: %w", id, err)
	}
	return &Item{ID: id, NextAttempt: s.NextAttempt, Holder: s.Holder, LeaseUntil: s.LeaseUntil}, nil
}

// Kick wakes the dispatcher to scan the whole schedule: after items were
// committed that it cannot name (Ready is cheaper for those it can), or
// retried by hand.
func (q *Queue) Kick() {
	q.mu.Lock()
	q.wantScan = true
	q.mu.Unlock()
	q.wake()
}

// Ready hands the dispatcher items committed just now and due now, by id:
// it loads them without a scan of the schedule. A busy gateway commits
// hundreds of mails a second, and each scan walks the schedule from its
// start, past the tombstone of every item delivered since Badger last
// compacted it (issue 21: 0.1-0.36 ms of CPU per 4 KB message).
func (q *Queue) Ready(ids ...string) {
	q.mu.Lock()
	q.pending = append(q.pending, ids...)
	q.mu.Unlock()
	q.wake()
}

// Claim leases it to this node on a shared store, in the transaction
// that adds it (call it before Add): the node that accepted a mail
// delivers it, handed over with ReadyClaimed after the commit, without a
// transaction to lease it first (which read the item and its mail back
// from the database and wrote both keys again: two of a PostgreSQL
// node's five Updates per accepted mail, bench/README.md). Should the
// node die first, the lease runs out and another node delivers it, as
// after any lease. Nothing on a store only this process opens.
func (q *Queue) Claim(it *Item) {
	if q.leasing() {
		it.Holder, it.LeaseUntil = q.cfg.Holder, q.now().Add(q.cfg.ItemLease)
	}
}

// ReadyClaimed hands the dispatcher items committed just now, with their
// mail (bodies[i] for items[i]; nil: read at the attempt): those Claim
// leased are delivered on that lease, the others as Ready's.
func (q *Queue) ReadyClaimed(items []*Item, bodies [][]byte) {
	var ids []string
	q.mu.Lock()
	for i, it := range items {
		if it.Holder == "" || it.Holder != q.cfg.Holder {
			ids = append(ids, it.ID)
			continue
		}
		c := *it
		c.claim = &claim{}
		if i < len(bodies) && q.claimedBytes+len(bodies[i]) <= maxClaimedBytes {
			c.claim.body = bodies[i]
			q.claimedBytes += len(bodies[i])
		}
		q.claimed = append(q.claimed, &c)
	}
	q.pending = append(q.pending, ids...)
	q.mu.Unlock()
	q.wake()
}

func (q *Queue) wake() {
	select {
	case q.kick <- struct{}{}:
	default:
	}
}

// Running reports whether the workers are running (readiness).
func (q *Queue) Running() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.running
}

// Run delivers until ctx is done, then waits for attempts in progress (each
// bounded by AttemptTimeout) and returns.
func (q *Queue) Run(ctx context.Context) {
	q.mu.Lock()
	q.running = true
	q.mu.Unlock()
	defer func() {
		q.mu.Lock()
		q.running = false
		q.mu.Unlock()
	}()

	work := make(chan *Item)
	done := make(chan finished, q.cfg.Workers)
	var wg sync.WaitGroup
	for range q.cfg.Workers {
		wg.Go(func() {
			for it := range work {
				again := q.take(it)
				done <- finished{it.ID, again}
			}
		})
	}
	inflight := map[string]bool{}
	timer := time.NewTimer(0)
	defer timer.Stop()
	var next time.Time    // the earliest item after the last scan's now
	var scanned time.Time // when the last scan began (the real clock, not q.now)
	// scan: the next round walks the schedule. So it does at the start,
	// after Kick, when the timer for the next item fires, after an attempt
	// scheduled a retry (it may come before next) and after a scan that
	// stopped at 256 items; otherwise a round loads the items handed over
	// with Ready.
	scan := true
	finish := func(f finished) {
		delete(inflight, f.id)
		scan = scan || f.again
	}
	for {
		var due []*Item
		var err error
		if scan {
			// At most one scan per scanGap; what arrives in between is
			// taken by that scan.
			if wait := scanGap - time.Since(scanned); wait > 0 {
				timer.Reset(wait)
			gap:
				for {
					select {
					case <-ctx.Done():
						break gap
					case <-q.kick:
					case f := <-done:
						finish(f)
					case <-timer.C:
						break gap
					}
				}
			}
			q.mu.Lock()
			q.pending, q.wantScan = q.pending[:0], false // the scan sees them
			q.mu.Unlock()
			scanned, scan = time.Now(), false
			due, next, err = q.due(inflight)
			if err != nil {
				q.log.Error("queue scan", "err", err)
				next = q.now().Add(time.Second)
			}
			scan = len(due) >= maxDue
		} else {
			q.mu.Lock()
			ids := q.pending
			q.pending = nil
			claimed := q.claimed
			q.claimed, q.claimedBytes = nil, 0
			q.mu.Unlock()
			var later time.Time
			if due, later, err = q.ready(ids, inflight); err != nil {
				q.log.Error("queue read", "err", err)
				scan = true
			}
			if !later.IsZero() && (next.IsZero() || later.Before(next)) {
				next = later
			}
			due = append(due, claimed...)
		}
		// Hand out due items while workers are free; stop on shutdown.
	dispatch:
		for len(due) > 0 {
			select {
			case work <- due[0]:
				inflight[due[0].ID] = true
				due = due[1:]
			case f := <-done:
				finish(f)
			case <-ctx.Done():
				break dispatch
			}
		}
		if ctx.Err() != nil {
			close(work)
			go func() {
				for range done {
				}
			}()
			wg.Wait()
			close(done)
			return
		}
		q.mu.Lock()
		scan = scan || q.wantScan
		pending := len(q.pending)+len(q.claimed) > 0
		q.mu.Unlock()
		if scan || pending {
			continue
		}
		timer.Reset(q.idle(next)) // since Go 1.23 a reset timer never delivers a stale tick
		select {
		case <-ctx.Done():
		case <-q.kick:
		case f := <-done:
			finish(f)
		case <-timer.C:
			scan = true
		}
	}
}

// idle is how long Run waits with nothing to hand out: until next, the
// time of the next item (zero: none), and on a shared store at most half
// a lease, for the items other nodes add, or leave behind when they die,
// without kicking this one.
func (q *Queue) idle(next time.Time) time.Duration {
	wait := time.Hour
	if !next.IsZero() {
		wait = max(next.Sub(q.now()), 0)
	}
	if q.leasing() {
		wait = min(wait, q.cfg.ItemLease/2)
	}
	return wait
}

// finished is an attempt's end: again when it scheduled a retry.
type finished struct {
	id    string
	again bool
}

// maxDue is the most items one scan hands out.
const maxDue = 256

// ready loads the items handed over with Ready that are due: not in
// flight, not delivered (settling or gone), not failed; later is the
// earliest of those scheduled after now.
func (q *Queue) ready(ids []string, inflight map[string]bool) (items []*Item, later time.Time, err error) {
	if len(ids) == 0 {
		return nil, later, nil
	}
	now := q.now()
	settling, held := q.settled(now)
	err = q.st.View(func(txn *store.Txn) error {
		keys := make([][]byte, 0, len(ids))
		for _, id := range ids {
			if _, ok := settling[id]; !ok && !inflight[id] {
				keys = append(keys, []byte(store.PrefixQueue+id))
			}
		}
		// One round trip for all, with the View's COMMIT: the Gets
		// below are answered from what it read.
		txn.Last()
		if err := txn.Prefetch(keys...); err != nil {
			return err
		}
		for _, id := range ids {
			if _, ok := settling[id]; ok || inflight[id] {
				continue
			}
			if until, ok := held[id]; ok {
				later = earliest(later, until)
				continue
			}
			it, err := Get(txn, id)
			if errors.Is(err, store.ErrNotFound) {
				continue // delivered and removed
			}
			if err != nil {
				return err
			}
			switch {
			case it.State == StateFailed:
			case it.schedAt().After(now): // deferred, or leased by a node
				if later.IsZero() || it.schedAt().Before(later) {
					later = it.schedAt()
				}
			default:
				items = append(items, it)
			}
		}
		return nil
	})
	return items, later, err
}

// settled forgets delivered items whose removal has committed (no read
// that starts now can see them) and returns those still waiting for it,
// and the holds that have not ended at now.
func (q *Queue) settled(now time.Time) (map[string]bool, map[string]time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for id, waiting := range q.settling {
		if !waiting {
			delete(q.settling, id)
		}
	}
	for id, until := range q.held {
		if !until.After(now) {
			delete(q.held, id)
		}
	}
	return maps.Clone(q.settling), maps.Clone(q.held)
}

// hold keeps an item whose outcome could not be recorded from being
// handed out before until.
func (q *Queue) hold(id string, until time.Time) {
	q.mu.Lock()
	q.held[id] = until
	q.mu.Unlock()
}

// earliest is the earlier of two times, zero meaning none.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// scanGap is the least time between two scans of the schedule: a delivery
// waits at most this long after its mail was committed, and a busy
// gateway scans a few hundred times a second instead of several times per
// message (issue 21: the scans were 0.1-0.36 ms of CPU per 4 KB message).
const scanGap = 5 * time.Millisecond

// due returns up to 256 items whose time has come and the time of the next
// one after them.
func (q *Queue) due(inflight map[string]bool) ([]*Item, time.Time, error) {
	q.scans.Add(1)
	now := q.now()
	var items []*Item
	var next, heldNext time.Time
	settling, held := q.settled(now)
	err := q.st.View(func(txn *store.Txn) error {
		return txn.Iterate([]byte(store.PrefixSched), nil, false, func(k, _ []byte) error {
			at := store.KeyTime(k[len(store.PrefixSched):])
			if at.After(now) || len(items) >= maxDue {
				next = at
				return store.ErrStop
			}
			id := string(k[len(store.PrefixSched)+8:])
			if inflight[id] {
				return nil
			}
			if _, ok := settling[id]; ok {
				return nil
			}
			if until, ok := held[id]; ok {
				heldNext = earliest(heldNext, until)
				return nil
			}
			it, err := Get(txn, id)
			if err != nil {
				return err
			}
			items = append(items, it)
			return nil
		})
	})
	return items, earliest(next, heldNext), err
}

func (q *Queue) leasing() bool { return q.cfg.ItemLease > 0 }

// take delivers it, leasing it first on a shared store; an item another
// node holds, has delivered or has rescheduled meanwhile is left alone.
func (q *Queue) take(it *Item) (again bool) {
	if !q.leasing() {
		return q.attempt(it, nil)
	}
	var leased *Item
	var body *loaded
	var err error
	if c := it.claim; c != nil && it.LeaseUntil.Sub(q.now()) > q.cfg.ItemLease*2/3 {
		// Leased to this node when it was added (Claim), and renewed
		// below before a third of that lease has passed.
		leased, it.claim = it, nil
		if c.body != nil {
			body = &loaded{data: c.body}
		}
	} else {
		// A claim that waited for a worker this long is leased again
		// (lease takes an item this node holds).
		it.claim = nil
		leased, body, err = q.lease(it.ID, it.BodyID)
	}
	if err != nil {
		q.log.Error("queue lease", "queue_id", it.ID, "ticket", it.Ticket, "err", err)
		return true // still scheduled: the next scan finds it
	}
	if leased == nil {
		q.log.Debug("queue item taken by another node", "queue_id", it.ID, "ticket", it.Ticket)
		return false
	}
	stop := make(chan struct{})
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		q.renew(it.ID, stop)
	}()
	again = q.attempt(leased, body)
	close(stop)
	<-renewed
	return again
}

// lease takes the item id for this node in a transaction of its own and
// returns it as stored, or nil when it is gone, failed, not due or held by
// another node. Two nodes leasing one item conflict, and the store runs
// the loser's function again, which then finds the winner's lease. On a
// shared store it reads the item's mail (bodyID's) in the same
// transaction, with the item in one round trip (Txn.Prefetch), instead
// of a transaction of its own after it (attempt).
func (q *Queue) lease(id, bodyID string) (*Item, *loaded, error) {
	var got *Item
	var body *loaded
	shared := q.st.Shared()
	var reads [][]byte
	if shared {
		// Read with the other leases and removals of the committer's
		// batch, in one round trip (store.UpdateReading).
		reads = [][]byte{[]byte(store.PrefixQueue + id), []byte(store.PrefixRaw + bodyID)}
	}
	err := q.st.UpdateReading(context.Background(), reads, func(txn *store.Txn) error {
		got, body = nil, nil
		if shared {
			if err := txn.Prefetch(reads...); err != nil {
				return err
			}
		}
		it, err := Get(txn, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil // delivered by another node
		}
		if err != nil {
			return err
		}
		now := q.now()
		if it.State == StateFailed || it.schedAt().After(now) && it.Holder != q.cfg.Holder {
			return nil // another node holds it, or deferred it meanwhile
		}
		if err := txn.Delete(schedKey(it)); err != nil {
			return err
		}
		it.Holder, it.LeaseUntil = q.cfg.Holder, now.Add(q.cfg.ItemLease)
		if err := put(txn, it); err != nil {
			return err
		}
		if shared && it.BodyID == bodyID {
			b, err := txn.GetRaw(bodyID)
			if err != nil && !mailGone(err) {
				return err // the database's: the lease fails with it
			}
			body = &loaded{data: b, err: err}
		}
		got = it
		return nil
	})
	return got, body, err
}

// loaded is an item's mail read before its attempt, or why not (mailGone).
type loaded struct {
	data []byte
	err  error
}

// mailGone says err is an item's mail that is gone (erased, damaged):
// the item fails, where other errors of a read are retried.
func mailGone(err error) bool {
	return errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrMailDamaged) || errors.Is(err, store.ErrDamaged)
}

// renew extends this node's lease on the item id every third of a lease
// until stop is closed, so that a slow delivery keeps it. It stops early
// when the lease is lost (another node took the item after a renewal
// failed) or the item is gone.
func (q *Queue) renew(id string, stop <-chan struct{}) {
	t := time.NewTicker(max(q.cfg.ItemLease/3, time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		held := false
		err := q.st.Update(context.Background(), func(txn *store.Txn) error {
			held = false
			it, err := Get(txn, id)
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			if it.Holder != q.cfg.Holder {
				return nil
			}
			if err := txn.Delete(schedKey(it)); err != nil {
				return err
			}
			it.LeaseUntil = q.now().Add(q.cfg.ItemLease)
			held = true
			return put(txn, it)
		})
		if err != nil {
			// Tried again at the next tick; the lease lasts three.
			q.log.Warn("queue lease renewal", "queue_id", id, "err", err)
			if errors.Is(err, store.ErrClosed) {
				return
			}
			continue
		}
		if !held {
			q.log.Warn("queue lease lost during delivery", "queue_id", id)
			return
		}
	}
}

// attempt tries it once and reports whether it scheduled a retry; pre,
// when not nil, is its mail, read with its lease.
func (q *Queue) attempt(it *Item, pre *loaded) (again bool) {
	start := q.now()
	target, ok := q.targets[it.Target]
	var err error
	var body []byte
	if !ok {
		err = Permanent(fmt.Errorf("no target %q configured", it.Target))
	} else if pre != nil {
		body, err = pre.data, pre.err
		if err != nil {
			err = Permanent(err) // mailGone: the lease returns others
		}
	} else {
		buf, _ := q.bodies.Get().(*[]byte)
		if buf == nil {
			buf = new([]byte)
		}
		// A Target does not keep body after Deliver returns (the
		// Target contract), so the buffer is reused by the next attempt.
		defer func() {
			if cap(body) <= maxPooledBody {
				*buf = body[:0]
				q.bodies.Put(buf)
			}
		}()
		err = q.st.View(func(txn *store.Txn) error {
			var e error
			txn.Last() // its one read, with the COMMIT on PostgreSQL
			body, e = txn.GetRawBuf(it.BodyID, *buf)
			return e
		})
		// Mail that is gone (erased, damaged) fails the item; a read
		// that failed for now (the spool's file cannot be opened, an I/O
		// or database error) is retried like a delivery that did.
		if mailGone(err) {
			err = Permanent(err)
		}
	}
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), q.cfg.AttemptTimeout)
		err = target.Deliver(ctx, it, body)
		cancel()
	}
	targetName := string(it.Target)
	if target != nil {
		targetName = target.Name()
	}
	// Every line about this attempt carries these attributes. They are
	// passed per line rather than bound with Logger.With, which formats
	// them at once even when the level drops every line (one With per
	// delivery was 8% of a delivery's CPU with log_level: warn).
	attempt := it.Attempts + 1
	log := func(level slog.Level, msg string, args ...any) {
		ctx := context.Background()
		if !q.log.Enabled(ctx, level) {
			return
		}
		q.log.Log(ctx, level, msg, append([]any{"queue_id", it.ID, "ticket", it.Ticket, "kind", it.Kind,
			"target", targetName, "attempt", attempt}, args...)...)
	}
	now := q.now()
	old := *it
	var result string
	switch {
	case err == nil:
		result = "delivered"
	case isPermanent(err) || now.Sub(it.Created) >= q.cfg.GiveUpAfter:
		result = "failed"
	default:
		result = "deferred"
	}
	it.Attempts++
	if result == "delivered" {
		q.delivered(it, &old, targetName, now, log, "to", it.To, "seconds", now.Sub(start).Seconds())
		return false
	}
	uerr := q.st.Update(context.Background(), func(txn *store.Txn) error {
		if q.leasing() {
			// As stored now: renewals moved its schedule key, and
			// another node may have delivered it or taken it over.
			cur, err := Get(txn, it.ID)
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			if cur.Holder != q.cfg.Holder {
				return nil // another node's attempt now: its outcome counts
			}
			old = *cur
			it.Holder, it.LeaseUntil = "", time.Time{}
		}
		if err := txn.Delete(schedKey(&old)); err != nil {
			return err
		}
		if result == "failed" {
			it.State, it.LastError = StateFailed, err.Error()
			return put(txn, it)
		}
		it.State, it.LastError = StateDeferred, err.Error()
		it.NextAttempt = now.Add(q.backoff(it.Attempts))
		return put(txn, it)
	})
	if uerr != nil {
		// Still scheduled where it was; not tried again before its
		// deferral would have let it.
		q.hold(it.ID, now.Add(q.backoff(it.Attempts)))
		log(slog.LevelError, "queue update after attempt", "result", result, "err", uerr)
		return true
	}
	if q.m != nil {
		q.m.attempts.WithLabelValues(targetName, result).Inc()
	}
	if result == "failed" {
		log(slog.LevelError, "delivery failed permanently", "err", err, "to", it.To)
		return false
	}
	log(slog.LevelWarn, "delivery deferred", "err", err, "next_attempt", it.NextAttempt)
	return true
}

// delivered removes a delivered item with store.UpdateLater: the peer has
// the mail, so losing the removal in a crash costs a duplicate delivery
// (the copy carries X-Frontdesk-Queue-Id, so it is recognisable), never a
// mail, and the removal need not pay for a sync of its own. Until it has
// committed, due skips the item.
func (q *Queue) delivered(it, old *Item, targetName string, now time.Time, log func(slog.Level, string, ...any), args ...any) {
	q.mu.Lock()
	q.settling[it.ID] = true
	q.mu.Unlock()
	if q.m != nil {
		q.m.attempts.WithLabelValues(targetName, "delivered").Inc()
		q.m.latency.WithLabelValues(string(it.Kind)).Observe(now.Sub(it.Received).Seconds())
	}
	log(slog.LevelInfo, "delivered", args...)
	q.remove(it, old, log, 0)
}

// remove commits the removal of a delivered item. When the store refuses
// it (a full disk), the item is not delivered again: it stays settling
// and the removal is tried again after a while (1 s, doubling to 30 s).
// Only a process that stops before the removal commits delivers it again.
func (q *Queue) remove(it, old *Item, log func(slog.Level, string, ...any), failures int) {
	var reads [][]byte
	if q.leasing() {
		reads = [][]byte{[]byte(store.PrefixQueue + it.ID)} // with the batch's others
	}
	q.st.UpdateLaterReading(reads, func(txn *store.Txn) error {
		sched := schedKey(old)
		if q.leasing() {
			// As stored now: renewals moved its schedule key.
			cur, err := getSched(txn, it.ID)
			if errors.Is(err, store.ErrNotFound) {
				return nil // another node delivered it too, and removed it
			}
			if err != nil {
				return err
			}
			sched = schedKey(cur)
		}
		if err := txn.Delete(sched); err != nil {
			return err
		}
		return txn.Delete([]byte(store.PrefixQueue + it.ID))
	}, func(err error) {
		if err != nil && !errors.Is(err, store.ErrClosed) {
			if failures == 0 {
				log(slog.LevelError, "queue update after delivery; trying again, the item is not delivered again", "err", err)
			}
			time.AfterFunc(min(time.Second<<min(failures, 5), 30*time.Second), func() { q.remove(it, old, log, failures+1) })
			return
		}
		q.mu.Lock()
		q.settling[it.ID] = false
		q.mu.Unlock()
		if err != nil {
			// The store closed: the next start delivers it again.
			log(slog.LevelError, "queue update after delivery", "err", err)
			q.Kick()
		} else if failures > 0 {
			log(slog.LevelInfo, "queue update after delivery done", "tries", failures+1)
		}
	})
}

func isPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// backoff returns the delay before attempt n+1: MinBackoff doubling per
// attempt up to MaxBackoff, with "equal jitter" (half fixed, half random)
// so that items deferred together by one outage do not retry in lockstep.
func (q *Queue) backoff(attempts int) time.Duration {
	d := q.cfg.MinBackoff
	for i := 1; i < attempts && d < q.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, q.cfg.MaxBackoff)
	half := d / 2
	return half + rand.N(half+1)
}
