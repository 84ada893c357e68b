package learn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/frontdesk-mail/frontdesk/store"
)

// expireBatch bounds the examples removed in one transaction.
const expireBatch = 200

// Expired reports whether ex is older than age at now: taught or imported
// (At) longer ago than age. An age of zero keeps every example, and so
// does an example without a time (none is stored without one).
func Expired(ex Example, now time.Time, age time.Duration) bool {
	return age > 0 && !ex.At.IsZero() && now.Sub(ex.At) > age
}

// Expire removes the stored examples older than age at now (Expired) and
// returns how many it removed (or, dry, would remove). The built-in
// starter examples are not stored and never touched. Each removal is
// judged again in the transaction that makes it, which also marks the
// examples changed (Stamp), so that nodes sharing the store index them
// again (Live.Poll); a server's own index is rebuilt with Live.Sync.
func Expire(ctx context.Context, st *store.Store, now time.Time, age time.Duration, dry bool) (int, error) {
	if age <= 0 {
		return 0, nil
	}
	exs, err := List(st)
	if err != nil {
		return 0, fmt.Errorf("learned examples: %w", err)
	}
	var ids []string
	for _, ex := range exs {
		if Expired(ex, now, age) {
			ids = append(ids, ex.ID)
		}
	}
	if dry {
		return len(ids), nil
	}
	n := 0
	for i := 0; i < len(ids); i += expireBatch {
		part := ids[i:min(i+expireBatch, len(ids))]
		var done int
		err := st.Update(ctx, func(txn *store.Txn) error {
			done = 0 // the function may run more than once
			for _, id := range part {
				b, err := txn.Get(key(id))
				if errors.Is(err, store.ErrNotFound) {
					continue // forgotten or erased meanwhile
				}
				if err != nil {
					return err
				}
				var ex Example
				if err := json.Unmarshal(b, &ex); err != nil {
					return fmt.Errorf("example %s: %w", id, err)
				}
				if !Expired(ex, now, age) {
					continue // replaced meanwhile by a newer one
				}
				if err := txn.Delete(key(id)); err != nil {
					return err
				}
				done++
			}
			if done == 0 {
				return nil
			}
			return touch(txn)
		})
		if err != nil {
			return n, fmt.Errorf("learned examples: remove after %d of %d: %w", n, len(ids), err)
		}
		n += done
	}
	return n, nil
}
