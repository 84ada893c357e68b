package learn

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/store"
)

// Live is the learning of a running server: it records examples in the
// commits of agents' mail (intake.Learner) and serves the catalog in
// force with the stored examples beside it. The examples are read from
// the store again only after a change, and the example index is rebuilt
// on the first use after that (or after a catalog reload).
type Live struct {
	st      *store.Store
	log     *slog.Logger
	version atomic.Uint64 // bumped by Changed
	mu      sync.Mutex
	base    *faq.Catalog // what cat was built from
	built   uint64
	cat     *faq.Catalog
}

// NewLive returns the learning of the server whose store is st.
func NewLive(st *store.Store, log *slog.Logger) *Live {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	l := &Live{st: st, log: log}
	l.version.Store(1)
	return l
}

// Record implements intake.Learner.
func (l *Live) Record(txn *store.Txn, ex *Example) error { return Put(txn, ex) }

// Changed implements intake.Learner: the next ranking reads the examples
// again.
func (l *Live) Changed() { l.version.Add(1) }

// Catalog returns base's catalog with the stored examples.
func (l *Live) Catalog(base func() *faq.Catalog) func() *faq.Catalog {
	return func() *faq.Catalog {
		b := base()
		v := l.version.Load()
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.cat != nil && l.base == b && l.built == v {
			return l.cat
		}
		exs, err := List(l.st)
		if err != nil {
			l.log.Error("learned examples not read; ranking without them", "err", err)
			return b
		}
		l.base, l.built, l.cat = b, v, b.WithExamples(ForFAQ(exs))
		n, w := l.cat.Examples()
		l.log.Info("learned examples in use", "examples", n, "weight", w)
		return l.cat
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
		if dry {
			return nil
		}
		for _, k := range keys {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && n > 0 && !dry && e.Live != nil {
		e.Live.Changed()
	}
	return n, err
}
