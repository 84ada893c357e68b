package ticket

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/lease"
	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/store/storetest"
)

// escalations counts the warnings and escalations scanners queued, by
// what the transactions that recorded them wrote: a function the store
// runs again after a conflict counts once, as its queue item would.
const escalatedPrefix = store.PrefixMisc + "test-escalated/"

func countEscalations(t *testing.T, st *store.Store, tag string) map[string]int {
	t.Helper()
	n := map[string]int{}
	err := st.View(func(txn *store.Txn) error {
		return txn.Iterate([]byte(escalatedPrefix+tag+"/"), nil, false, func(k, _ []byte) error {
			what, _, _ := strings.Cut(string(k[len(escalatedPrefix+tag+"/"):]), "/")
			n[what]++
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// testClock is the scanners' shared clock, moved by the test.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *testClock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

// scannerNode is one node's scanner under the scanner lease.
type scannerNode struct {
	cancel context.CancelFunc
	done   chan struct{}
}

func startScannerNode(t *testing.T, st *store.Store, holder string, clock *testClock) *scannerNode {
	s := NewScanner(st, func(txn *store.Txn, tk *Ticket, d *Deadline, what string, at time.Time) error {
		return txn.Set([]byte(escalatedPrefix+tk.Tag+"/"+what+"/"+store.NewID(time.Now())), []byte(holder))
	}, nil)
	s.Now = clock.Now
	s.Poll = 20 * time.Millisecond // the clock moves without a Kick
	r := &lease.Runner{Store: st, Holder: holder, TTL: 900 * time.Millisecond, Always: true}
	ctx, cancel := context.WithCancel(context.Background())
	n := &scannerNode{cancel: cancel, done: make(chan struct{})}
	go func() { r.Run(ctx, "scanner", s.Run); close(n.done) }()
	t.Cleanup(func() { n.cancel(); <-n.done })
	return n
}

func putTicket(t *testing.T, st *store.Store, tag string, at time.Time) {
	t.Helper()
	tk := New(NewParams{Tag: tag, Department: "support", Customer: "c@x.test",
		Policy: Policy{FirstResponse: sla.Duration{Business: time.Hour}, WarnAt: 0.5}}, Entry{At: at, Kind: KindCustomer}, at, nil)
	if err := st.Update(context.Background(), func(txn *store.Txn) error { return Put(txn, nil, tk) }); err != nil {
		t.Fatal(err)
	}
}

func waitBreached(t *testing.T, st *store.Store, tag string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var tk *Ticket
		st.View(func(txn *store.Txn) error { tk, _ = Get(txn, tag); return nil })
		if tk != nil {
			if d := tk.Deadline("first_response"); d != nil && !d.BreachedAt.IsZero() {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the breach was never recorded", tag)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestTwoScannersEscalateOnce: two nodes' scanners on one store; a
// deadline crossed while both run is warned about and escalated exactly
// once. On PostgreSQL the scanner's holder then dies, and the other node
// escalates the next deadline.
func TestTwoScannersEscalateOnce(t *testing.T) {
	run := func(t *testing.T, a, b *store.Store) *testClock {
		t0 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
		clock := &testClock{now: t0}
		startScannerNode(t, a, "node-0", clock)
		startScannerNode(t, b, "node-1", clock)
		putTicket(t, a, "SUP-1", t0)
		clock.Set(t0.Add(2 * time.Hour)) // past the warning and the breach
		waitBreached(t, b, "SUP-1")
		if n := countEscalations(t, b, "SUP-1"); n["warn"] != 1 || n["breach"] != 1 {
			t.Errorf("SUP-1 notifications %v, want one warn and one breach", n)
		}
		return clock
	}
	t.Run("badger", func(t *testing.T) {
		st := memStore(t)
		if p := NewScanner(st, nil, nil).Poll; p != 0 {
			t.Errorf("a scanner of a single-process store polls every %v", p)
		}
		run(t, st, st)
	})
	t.Run("postgres", func(t *testing.T) {
		sts := storetest.PostgresNodes(t, 2)
		if p := NewScanner(sts[0], nil, nil).Poll; p != SharedPoll {
			t.Errorf("a scanner of a shared store polls every %v, want %v", p, SharedPoll)
		}
		clock := run(t, sts[0], sts[1])

		// The holder dies (its connections gone, its lease left): the
		// other node takes the scanner over and escalates the next
		// deadline, once.
		var holder string
		sts[0].View(func(txn *store.Txn) error {
			l, err := txn.GetLease("scanner")
			holder = l.Holder
			return err
		})
		dead, alive := sts[0], sts[1]
		if holder == "node-1" {
			dead, alive = sts[1], sts[0]
		}
		dead.Close()
		t1 := time.Date(2026, 12, 7, 13, 0, 0, 0, time.UTC)
		putTicket(t, alive, "SUP-2", t1)
		clock.Set(t1.Add(2 * time.Hour))
		waitBreached(t, alive, "SUP-2")
		if n := countEscalations(t, alive, "SUP-2"); n["warn"] != 1 || n["breach"] != 1 {
			t.Errorf("SUP-2 notifications after the takeover %v, want one warn and one breach", n)
		}
	})
}
