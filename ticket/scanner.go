package ticket

import (
	"context"
	"log/slog"
	"time"

	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/store"
)

// Notifier is called inside the transaction that records a warning or a
// breach, so the mail it queues commits with it: each is sent exactly once,
// also across restarts.
type Notifier func(txn *store.Txn, t *Ticket, d *Deadline, what string, now time.Time) error

// Scanner wakes for the next deadline in the index (not a scan of every
// ticket, not TTL keys), warns at WarnAt and records a breach at Due.
type Scanner struct {
	Store  *store.Store
	Notify Notifier
	Now    func() time.Time
	Log    *slog.Logger
	// OnEvent is called after a commit, for metrics: kind is a deadline
	// kind and what "warn" or "breach"; or DeadlinePendingClose and
	// "close" for an auto-close; or "held" and "expire" for held replies
	// that expired.
	OnEvent func(t *Ticket, kind, what string)
	// AutoClose is called inside the transaction that resolves a ticket
	// whose pending_close clock ran out, to queue the customer's notice.
	AutoClose func(txn *store.Txn, t *Ticket, now time.Time) error
	// Poll bounds the wait between two looks at the index, for deadlines
	// that other nodes sharing the store add without kicking this
	// scanner; 0 waits for the next deadline or a Kick. NewScanner sets
	// SharedPoll on a shared store.
	Poll time.Duration
	kick chan struct{}
}

// SharedPoll is Poll on a shared store: a deadline another node added is
// acted on at most this late. One look is one indexed read.
const SharedPoll = 5 * time.Second

// NewScanner returns a scanner.
func NewScanner(st *store.Store, notify Notifier, log *slog.Logger) *Scanner {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Scanner{Store: st, Notify: notify, Now: time.Now, Log: log, kick: make(chan struct{}, 1)}
	if st.Shared() {
		s.Poll = SharedPoll
	}
	return s
}

// Kick makes the scanner look at the index again (a deadline was added).
func (s *Scanner) Kick() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Run scans until ctx ends. Among nodes sharing a store only one runs it
// at a time (package lease); handling a deadline is one transaction that
// deletes its index entry, so even two scanners would act on it once.
func (s *Scanner) Run(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		next, err := s.Scan(ctx)
		wait := time.Hour
		if err != nil {
			s.Log.Error("sla scan", "err", err)
			wait = 5 * time.Second
		} else if !next.IsZero() {
			wait = max(next.Sub(s.Now()), 0)
		}
		if s.Poll > 0 {
			wait = min(wait, s.Poll)
		}
		timer.Reset(wait) // since Go 1.23 a reset timer never delivers a stale tick
		select {
		case <-ctx.Done():
			return
		case <-s.kick:
		case <-timer.C:
		}
	}
}

// Scan handles every index entry that is due and returns when the next
// one falls due (zero when none).
func (s *Scanner) Scan(ctx context.Context) (time.Time, error) {
	now := s.Now()
	var due [][]byte
	var next time.Time
	err := s.Store.View(func(txn *store.Txn) error {
		return txn.Iterate([]byte(store.PrefixDue), nil, false, func(k, _ []byte) error {
			at, _, _, _, ok := parseDueKey(k)
			if !ok {
				return nil
			}
			if at.After(now) {
				next = at
				return store.ErrStop
			}
			due = append(due, k)
			return nil
		})
	})
	if err != nil {
		return time.Time{}, err
	}
	for _, k := range due {
		if err := s.handle(ctx, k, now); err != nil {
			return time.Time{}, err
		}
	}
	if len(due) > 0 {
		// Handling may have added entries (none before now), so look again.
		return s.nextDue()
	}
	return next, nil
}

func (s *Scanner) nextDue() (time.Time, error) {
	var next time.Time
	err := s.Store.View(func(txn *store.Txn) error {
		return txn.Iterate([]byte(store.PrefixDue), nil, false, func(k, _ []byte) error {
			at, _, _, _, ok := parseDueKey(k)
			if ok {
				next = at
				return store.ErrStop
			}
			return nil
		})
	})
	return next, err
}

func (s *Scanner) handle(ctx context.Context, key []byte, now time.Time) error {
	at, tag, kind, what, _ := parseDueKey(key)
	var done *Ticket
	events := 1 // OnEvent calls: one per held reply expired
	err := s.Store.Update(ctx, func(txn *store.Txn) error {
		done, events = nil, 1
		if _, err := txn.Get(key); err != nil {
			if IsNotFound(err) {
				return nil // handled already, or the clock stopped meanwhile
			}
			return err
		}
		if err := txn.Delete(key); err != nil {
			return err
		}
		t, err := Get(txn, tag)
		if err != nil {
			if IsNotFound(err) {
				return nil
			}
			return err
		}
		old := t.Clone()
		switch {
		case kind == "held" && what == "expire":
			// A late scan expires every reply whose day is over, each
			// with an event of its own.
			if events = len(t.ExpireHeld(now)); events == 0 {
				return nil
			}
			done = t
			return Put(txn, old, t)
		case sla.Kind(kind) == DeadlinePendingClose:
			// The clock's end is its due time, whenever the scanner got to it.
			if d := t.Deadline(DeadlinePendingClose); d == nil || !d.Due.Equal(at) || !t.AutoClose(d.Due) {
				return nil
			}
			what = "close"
			if s.AutoClose != nil {
				if err := s.AutoClose(txn, t, now); err != nil {
					return err
				}
			}
			done = t
			return Put(txn, old, t)
		}
		d := t.Deadline(sla.Kind(kind))
		if d == nil || d.Done() || t.Status == Resolved {
			return nil
		}
		switch what {
		case "warn":
			if d.Warned || !d.WarnAt.Equal(at) {
				return nil
			}
			d.Warned = true
		case "breach":
			if !d.Due.Equal(at) {
				return nil
			}
			// The breach is recorded at the exact instant, whenever the
			// scanner got to it.
			d.BreachedAt = d.Due
			t.Timeline = append(t.Timeline, Entry{At: d.Due, Kind: KindSystem, Text: kind + " deadline breached"})
		default:
			return nil
		}
		if s.Notify != nil {
			if err := s.Notify(txn, t, d, what, now); err != nil {
				return err
			}
		}
		done = t
		return Put(txn, old, t)
	})
	if err != nil {
		return err
	}
	if done != nil {
		s.Log.Info("sla "+what, "ticket", tag, "deadline", kind, "at", at)
		if s.OnEvent != nil {
			for range events {
				s.OnEvent(done, kind, what)
			}
		}
	}
	return nil
}
