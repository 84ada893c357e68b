package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"
)

// Several gateways on one database (the PostgreSQL backend) must not all
// run what only one may: the deadline scanner, retention, the delivery of
// one queue item. A lease is a record in the store, taken and renewed in
// an ordinary transaction of the store, so it works on every backend and
// every PostgreSQL-compatible engine (no advisory locks, no LISTEN): a
// transaction that finds the lease free, expired or already its holder's
// writes its holder and expiry; two nodes taking it at once conflict, the
// store runs the loser's function again, and it then finds the winner's
// lease. A node that dies keeps its lease only until the expiry, after
// which any other node may take it.
//
// Expiry compares the nodes' clocks: they must agree (NTP) to well within
// a lease's duration, or a node may take a lease its holder still counts
// as held for the difference.

// PrefixLease holds named leases: misc/lease/<name> → Lease (JSON).
const PrefixLease = PrefixMisc + "lease/"

// Lease is the record of a named lease.
type Lease struct {
	Holder string    `json:"holder"`
	Until  time.Time `json:"until"`
}

// Held reports whether the lease is held by anyone at now.
func (l Lease) Held(now time.Time) bool { return l.Holder != "" && now.Before(l.Until) }

// AcquireLease takes the lease name for holder until now+ttl when it is
// free, expired or holder's already (so it also renews), and reports
// whether holder has it now.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error) {
	if holder == "" || ttl <= 0 {
		return false, fmt.Errorf("lease %s: a holder and a positive duration are needed", name)
	}
	ok := false
	err := s.Update(ctx, func(txn *Txn) error {
		ok = false
		l, err := txn.GetLease(name)
		if err != nil {
			return err
		}
		if l.Held(now) && l.Holder != holder {
			return nil // someone else's
		}
		b, err := json.Marshal(Lease{Holder: holder, Until: now.Add(ttl)})
		if err != nil {
			return err
		}
		if err := txn.Set([]byte(PrefixLease+name), b); err != nil {
			return err
		}
		ok = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("lease %s: %w", name, err)
	}
	return ok, nil
}

// ReleaseLease gives up the lease name if holder has it, so that another
// node may take it at once instead of after its expiry.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	err := s.Update(ctx, func(txn *Txn) error {
		l, err := txn.GetLease(name)
		if err != nil || l.Holder != holder {
			return err
		}
		return txn.Delete([]byte(PrefixLease + name))
	})
	if err != nil {
		return fmt.Errorf("release lease %s: %w", name, err)
	}
	return nil
}

// GetLease reads the lease name; the zero Lease when nobody took it.
func (t *Txn) GetLease(name string) (Lease, error) {
	var l Lease
	b, err := t.Get([]byte(PrefixLease + name))
	if errors.Is(err, ErrNotFound) {
		return l, nil
	}
	if err != nil {
		return l, err
	}
	if err := json.Unmarshal(b, &l); err != nil {
		return l, fmt.Errorf("lease %s: %w", name, err)
	}
	return l, nil
}

// Holder names this process among those sharing the store: Options.Holder,
// or the host name, the process id and a random part, so that a restarted
// process is a new holder and never mistakes a lease of its previous life
// for its own.
func (s *Store) Holder() string { return s.holder }

// Shared reports whether other processes may use the store at the same
// time (PostgreSQL), so that what only one may do needs a lease. A Badger
// store is opened by one process only.
func (s *Store) Shared() bool { return s.pg != nil }

func defaultHolder() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "node"
	}
	return host + "-" + strconv.Itoa(os.Getpid()) + "-" + NewID(time.Now())[16:]
}
