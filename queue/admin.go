package queue

import (
	"context"
	"fmt"
	"time"

	"github.com/frontdesk-mail/frontdesk/store"
)

// List returns every item, oldest first.
func List(st *store.Store) ([]*Item, error) {
	var out []*Item
	err := st.View(func(txn *store.Txn) error {
		return txn.Iterate([]byte(store.PrefixQueue), nil, false, func(k, _ []byte) error {
			it, err := Get(txn, string(k[len(store.PrefixQueue):]))
			if err != nil {
				return err
			}
			out = append(out, it)
			return nil
		})
	})
	return out, err
}

// Retry makes the items due now (all items when ids is empty), clearing a
// failed state; it returns how many it changed.
func Retry(ctx context.Context, st *store.Store, now time.Time, ids ...string) (int, error) {
	if len(ids) == 0 {
		items, err := List(st)
		if err != nil {
			return 0, err
		}
		for _, it := range items {
			ids = append(ids, it.ID)
		}
	}
	n := 0
	for _, id := range ids {
		err := st.Update(ctx, func(txn *store.Txn) error {
			it, err := Get(txn, id)
			if err != nil {
				return err
			}
			if err := unschedule(txn, it); err != nil {
				return err
			}
			it.State, it.NextAttempt = StateReady, now
			if it.Created.Before(now.Add(-24 * time.Hour)) {
				// A retried item gets a fresh give-up window, else an old
				// failed item would fail again on its first temporary error.
				it.Created = now
			}
			return put(txn, it)
		})
		if err != nil {
			return n, fmt.Errorf("retry: %w", err) // err names the item
		}
		n++
	}
	return n, nil
}

// Delete removes one item (like postsuper -d). The message itself stays.
func Delete(ctx context.Context, st *store.Store, id string) error {
	return st.Update(ctx, func(txn *store.Txn) error {
		it, err := Get(txn, id)
		if err != nil {
			return err
		}
		if err := unschedule(txn, it); err != nil {
			return err
		}
		return txn.Delete([]byte(store.PrefixQueue + id))
	})
}
