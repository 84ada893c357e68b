package learn

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/store"
)

// Live is the learning of a running server: it records examples in the
// commits of agents' mail (intake.Learner) and serves the catalog in
// force with the stored examples beside it.
//
// The example index is built off the mail path: a change (Changed, an
// erasure) starts a build in the background, and mails keep ranking with
// the last index until the new one is swapped in (an atomic pointer, as
// the rules' and FAQ's reloads). A mail that finds the index out of date
// waits for the build at most Wait (the first such mail after a change,
// and only when the last build took no longer), so a small set (a build
// in a few milliseconds) is in force for the very next mail, while a
// large one (seconds for ten thousand examples) never holds mail up. A FAQ reload
// costs no rebuild: the index is bound to the new catalog (a lookup per
// example). What must take effect before it returns (an erasure) waits
// for the swap: Sync.
type Live struct {
	st      *store.Store
	log     *slog.Logger
	version atomic.Uint64 // bumped by Changed
	cur     atomic.Pointer[learned]
	bound   atomic.Pointer[boundCat]
	// Wait is how long a mail waits for a build in flight before it
	// ranks with the previous index (default rebuildWait).
	Wait time.Duration
	// built, if set, runs in the builder after the index is built and
	// before it is swapped in (tests hold a build there).
	built func()
	// starter are the built-in examples indexed beside the stored ones
	// (WithStarter); set before the first Catalog.
	starter []Example

	// lastBuild is how long the last build took (ns), waited the
	// version a mail last waited for.
	lastBuild atomic.Int64
	waited    atomic.Uint64

	mu       sync.Mutex
	stamp    string // the change mark Poll saw last
	stamped  bool   // Poll has read it once
	building bool
	closed   bool
	swapped  chan struct{} // closed and replaced at each swap
	idle     chan struct{} // closed when no build runs
}

// learned is an index of the stored examples and the version of the
// store's examples it was built from.
type learned struct {
	version uint64
	ix      *faq.Learned
	err     error // the last build's failure (ix is then the one before)
}

// boundCat is the index bound to a catalog in force.
type boundCat struct {
	base *faq.Catalog
	ix   *faq.Learned
	cat  *faq.Catalog
}

// rebuildWait: a mail waits this long at most for the example index to
// be rebuilt after a change, so that the change is in force for the very
// next mail. A few thousand examples are indexed within it: the 494
// starter examples every build holds beside the stored ones take 75-80
// ms on the shared test machine (the 214 of session 17 took 35 ms, 145
// ms under the race detector, as the end-to-end tests run the gateway), ten thousand 2.3 s, which no mail
// waits for. It was 20 ms before the starter examples: a hundred
// examples took 50 ms, so every mail after a correction was ranked
// without it.
const rebuildWait = time.Second

// NewLive returns the learning of the server whose store is st.
func NewLive(st *store.Store, log *slog.Logger) *Live {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &Live{st: st, log: log, Wait: rebuildWait, swapped: make(chan struct{}), idle: make(chan struct{})}
	close(l.idle)
	l.version.Store(1)
	return l
}

// UseStarter makes the index hold the starter examples exs (StarterFor)
// beside the stored ones. Call it before the first Catalog.
func (l *Live) UseStarter(exs []Example) { l.starter = exs }

// Record implements intake.Learner.
func (l *Live) Record(txn *store.Txn, ex *Example) error { return Put(txn, ex) }

// Changed implements intake.Learner: the examples are indexed again, in
// the background.
func (l *Live) Changed() {
	l.version.Add(1)
	l.start()
}

// Sync reads the examples again and returns once mails are ranked with
// what it read (or ctx ends): after it, no ranking uses an example
// deleted before it was called.
func (l *Live) Sync(ctx context.Context) error {
	v := l.version.Add(1)
	l.start()
	s, err := l.await(ctx, v)
	if err != nil {
		return err
	}
	return s.err
}

// Poll compares the examples' change mark with the one it saw last and,
// when another node (or a command on the stopped store's database)
// changed the examples, rebuilds the index in the background as Changed
// does. Nodes sharing one database call it periodically (Watch); the
// first call only notes the mark.
func (l *Live) Poll() (changed bool, err error) {
	s, err := Stamp(l.st)
	if err != nil {
		return false, fmt.Errorf("learned examples: read the change mark: %w", err)
	}
	l.mu.Lock()
	prev, seen := l.stamp, l.stamped
	l.stamp, l.stamped = s, true
	l.mu.Unlock()
	if !seen || s == prev {
		return false, nil
	}
	l.Changed()
	return true, nil
}

// Watch polls at every tick until ctx ends: on a store shared by several
// nodes, a #move taught on one node, a `learn forget` or a customer's
// erasure reaches every node's ranking within one tick.
func (l *Live) Watch(ctx context.Context, tick <-chan time.Time) {
	if _, err := l.Poll(); err != nil {
		l.log.Warn("learned examples not watched yet", "err", err)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
		if changed, err := l.Poll(); err != nil {
			l.log.Warn("learned examples not checked", "err", err)
		} else if changed {
			l.log.Info("learned examples changed on another node; indexing again")
		}
	}
}

// Close waits for a build in flight and starts no other (the store is
// about to close).
func (l *Live) Close() {
	l.mu.Lock()
	l.closed = true
	idle := l.idle
	l.mu.Unlock()
	<-idle
}

// start starts a build unless one runs (it then builds again when done
// if the examples changed meanwhile).
func (l *Live) start() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.building || l.closed {
		return
	}
	l.building = true
	l.idle = make(chan struct{})
	go l.build()
}

func (l *Live) build() {
	for {
		v := l.version.Load()
		prev := l.cur.Load()
		next := &learned{version: v}
		if prev != nil {
			next.ix = prev.ix
		}
		start := time.Now()
		if exs, err := List(l.st); err != nil {
			next.err = err
			l.log.Error("learned examples not read; ranking with the ones read before", "err", err)
		} else {
			next.ix = faq.NewLearned(ForFAQ(WithStarter(exs, l.starter)))
			l.log.Info("learned examples indexed", "examples", next.ix.Len(), "stored", len(exs), "ms", time.Since(start).Milliseconds())
		}
		l.lastBuild.Store(int64(time.Since(start)))
		if l.built != nil {
			l.built()
		}
		l.mu.Lock()
		l.cur.Store(next)
		close(l.swapped)
		l.swapped = make(chan struct{})
		if l.version.Load() == v || l.closed {
			l.building = false
			close(l.idle)
			l.mu.Unlock()
			return
		}
		l.mu.Unlock()
	}
}

// await returns the index once it is of version v or later, or ctx ends.
func (l *Live) await(ctx context.Context, v uint64) (*learned, error) {
	for {
		l.mu.Lock()
		ch := l.swapped
		s := l.cur.Load()
		l.mu.Unlock()
		if s != nil && s.version >= v {
			return s, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return s, ctx.Err()
		}
	}
}

// Catalog returns base's catalog with the stored examples: the newest
// index built, bound to the catalog base returns. It starts the first
// build at once.
func (l *Live) Catalog(base func() *faq.Catalog) func() *faq.Catalog {
	l.start()
	return func() *faq.Catalog {
		b := base()
		v := l.version.Load()
		s := l.cur.Load()
		if s == nil || s.version < v {
			l.start()
			// one mail per change waits, and only when the last build
			// was quick enough for the wait to be worth it
			if l.Wait > 0 && time.Duration(l.lastBuild.Load()) <= l.Wait && l.waited.Swap(v) != v {
				ctx, cancel := context.WithTimeout(context.Background(), l.Wait)
				s, _ = l.await(ctx, v)
				cancel()
			}
		}
		if s == nil || s.ix == nil {
			return b
		}
		if bc := l.bound.Load(); bc != nil && bc.base == b && bc.ix == s.ix {
			return bc.cat
		}
		bc := &boundCat{base: b, ix: s.ix, cat: b.WithLearned(s.ix)}
		l.bound.Store(bc)
		n, w := bc.cat.Examples()
		l.log.Info("learned examples in use", "examples", n, "weight", w)
		return bc.cat
	}
}

// Eraser removes a customer's examples with the rest of their data
// (customers.Eraser).
type Eraser struct{ Live *Live }

// Name implements customers.Eraser.
func (Eraser) Name() string { return "learned_examples" }

// EraseCustomer implements customers.Eraser: it deletes the examples made
// from canon's mail (or counts them when dry).
func (e Eraser) EraseCustomer(ctx context.Context, st *store.Store, canon string, dry bool) (int, error) {
	n := 0
	err := st.Update(ctx, func(txn *store.Txn) error {
		n = 0
		var keys [][]byte
		if err := txn.Iterate([]byte(store.PrefixLearn), nil, true, func(k, v []byte) error {
			var ex Example
			if json.Unmarshal(v, &ex) == nil && ex.Customer == canon {
				keys = append(keys, append([]byte(nil), k...))
			}
			return nil
		}); err != nil {
			return err
		}
		n = len(keys)
		if dry || n == 0 {
			return nil
		}
		for _, k := range keys {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return touch(txn)
	})
	if err == nil && n > 0 && !dry && e.Live != nil {
		// the erasure is done when no ranking uses the examples any more
		if err := e.Live.Sync(ctx); err != nil {
			return n, fmt.Errorf("learned examples deleted, but the example index not yet rebuilt without them: %w", err)
		}
	}
	return n, err
}
