package queue

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/store/storetest"
)

// recorder is a target that records which node delivered which item, and
// when; while block is open, Deliver waits for it (a delivery that hangs).
type recorder struct {
	mu      sync.Mutex
	node    string
	got     map[string][]string // item id → nodes that delivered it
	at      map[string]time.Time
	block   chan struct{}
	entered chan string
}

func newRecorder() *recorder {
	return &recorder{got: map[string][]string{}, at: map[string]time.Time{}}
}

// target returns a Target that delivers into r as node name.
func (r *recorder) target(name string, block chan struct{}, entered chan string) Target {
	return &nodeTarget{r: r, name: name, block: block, entered: entered}
}

type nodeTarget struct {
	r       *recorder
	name    string
	block   chan struct{}
	entered chan string
}

func (n *nodeTarget) Name() string { return "maildir" }

func (n *nodeTarget) Deliver(ctx context.Context, it *Item, body []byte) error {
	if n.entered != nil {
		n.entered <- it.ID
	}
	if n.block != nil {
		<-n.block
	}
	n.r.mu.Lock()
	defer n.r.mu.Unlock()
	n.r.got[it.ID] = append(n.r.got[it.ID], n.name)
	n.r.at[it.ID] = time.Now()
	return nil
}

func (r *recorder) snapshot() map[string][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string][]string{}
	for k, v := range r.got {
		out[k] = slices.Clone(v)
	}
	return out
}

func enqueueN(t *testing.T, st *store.Store, n int) []string {
	t.Helper()
	var ids []string
	now := time.Now()
	err := st.Update(context.Background(), func(txn *store.Txn) error {
		ids = ids[:0]
		for i := range n {
			id := store.NewID(now.Add(time.Duration(i)))
			it := &Item{ID: id, BodyID: id, Target: "agents", Kind: "relay", To: []string{"support@agents.test"},
				Mailbox: "support", Created: now, Received: now}
			if err := txn.PutRaw(id, []byte("Subject: "+strconv.Itoa(i)+"\r\n\r\nbody\r\n")); err != nil {
				return err
			}
			if err := Add(txn, it); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// node is one queue running on its own goroutine until stop.
type node struct {
	q      *Queue
	cancel context.CancelFunc
	done   chan struct{}
}

func startNode(t *testing.T, st *store.Store, name string, lease time.Duration, target Target) *node {
	t.Helper()
	q := New(st, Config{Workers: 4, MinBackoff: time.Second, MaxBackoff: time.Minute, GiveUpAfter: time.Hour,
		ItemLease: lease, Holder: name}, map[TargetName]Target{"agents": target}, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	n := &node{q: q, cancel: cancel, done: make(chan struct{})}
	go func() { q.Run(ctx); close(n.done) }()
	t.Cleanup(n.stop)
	return n
}

func (n *node) stop() {
	n.cancel()
	<-n.done
}

// waitFor polls cond until it holds, failing the test after limit.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", limit, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func queueEmpty(t *testing.T, st *store.Store) bool {
	items, err := List(st)
	if err != nil {
		t.Fatal(err)
	}
	return len(items) == 0
}

// TestTwoNodesDeliverEachItemOnce: two queues on one store, both running,
// neither dying: every one of 200 items is delivered exactly once. Without
// the item lease both nodes would find every item due and deliver it.
func TestTwoNodesDeliverEachItemOnce(t *testing.T) {
	run := func(t *testing.T, a, b *store.Store, lease time.Duration) {
		ids := enqueueN(t, a, 200)
		rec := newRecorder()
		na := startNode(t, a, "a", lease, rec.target("a", nil, nil))
		nb := startNode(t, b, "b", lease, rec.target("b", nil, nil))
		waitFor(t, 60*time.Second, "not every item was delivered and removed", func() bool {
			return len(rec.snapshot()) == len(ids) && queueEmpty(t, a)
		})
		na.stop()
		nb.stop()
		got := rec.snapshot()
		by := map[string]int{}
		for _, id := range ids {
			if len(got[id]) != 1 {
				t.Errorf("item %s delivered by %q, want exactly once", id, got[id])
			}
			for _, n := range got[id] {
				by[n]++
			}
		}
		t.Logf("deliveries by node: %v", by)
	}
	t.Run("badger", func(t *testing.T) {
		// One process, two queues: the lease is forced on, as on a
		// shared store.
		st := newStore(t)
		run(t, st, st, 5*time.Second)
	})
	t.Run("postgres", func(t *testing.T) {
		sts := storetest.PostgresNodes(t, 2)
		if sts[0].Shared() != true {
			t.Fatal("a PostgreSQL store is not shared")
		}
		run(t, sts[0], sts[1], 0) // the default lease of a shared store
	})
}

// TestDeadNodesItemsDeliveredByAnother: node a hangs in four deliveries;
// while it lives and renews its leases node b leaves those items alone
// (and delivers the rest); then a is killed (its queue's context cancelled
// and its database connections closed, its leases left behind), and b
// delivers a's four items once their leases have ended.
func TestDeadNodesItemsDeliveredByAnother(t *testing.T) {
	sts := storetest.PostgresNodes(t, 2)
	a, b := sts[0], sts[1]
	const lease = 600 * time.Millisecond
	ids := enqueueN(t, a, 10)
	rec := newRecorder()
	block := make(chan struct{})
	var unblock sync.Once
	release := func() { unblock.Do(func() { close(block) }) }
	entered := make(chan string, len(ids))
	na := startNode(t, a, "node-0", lease, rec.target("a", block, entered))
	t.Cleanup(release)             // runs before the node's stop: a failing test does not hang
	held := map[string]time.Time{} // a's items → the end of their first lease
	for range 4 {                  // a's four workers
		select {
		case id := <-entered:
			held[id] = time.Time{}
		case <-time.After(30 * time.Second):
			t.Fatal("node a never started its deliveries")
		}
	}
	leaseOf := func(st *store.Store, id string) (holder string, until time.Time) {
		st.View(func(txn *store.Txn) error {
			it, err := Get(txn, id)
			if err == nil {
				holder, until = it.Holder, it.LeaseUntil
			}
			return nil
		})
		return holder, until
	}
	for id := range held {
		h, until := leaseOf(b, id)
		if h != "node-0" {
			t.Fatalf("item %s in delivery on a is held by %q", id, h)
		}
		held[id] = until
	}

	nb := startNode(t, b, "node-1", lease, rec.target("b", nil, nil))
	waitFor(t, 30*time.Second, "b did not deliver the six items a did not hold", func() bool {
		return len(rec.snapshot()) == len(ids)-len(held)
	})
	// a renews: wait until every lease reaches past twice its first end,
	// which b has seen pass while polling every half lease.
	waitFor(t, 30*time.Second, "a's leases were not renewed", func() bool {
		for id, first := range held {
			if _, until := leaseOf(b, id); !until.After(first.Add(lease)) {
				return false
			}
		}
		return true
	})
	for id := range held {
		if got := rec.snapshot()[id]; len(got) > 0 {
			t.Fatalf("item %s leased by a live node was delivered by %q", id, got)
		}
	}

	// Kill a: no release, no more renewals, the leases stay in the store.
	na.cancel()
	a.Close()
	killed := map[string]time.Time{}
	for id := range held {
		_, killed[id] = leaseOf(b, id)
	}
	waitFor(t, 30*time.Second, "b did not deliver the items of the dead node", func() bool {
		return len(rec.snapshot()) == len(ids) && queueEmpty(t, b)
	})
	rec.mu.Lock()
	for id, until := range killed {
		if got, at := rec.got[id], rec.at[id]; !slices.Equal(got, []string{"b"}) || at.Before(until) {
			t.Errorf("item %s: delivered by %q at %v, want by b after a's lease ended at %v", id, got, at, until)
		}
	}
	rec.mu.Unlock()
	for _, id := range ids {
		if got := rec.snapshot()[id]; len(got) != 1 {
			t.Errorf("item %s delivered %q", id, got)
		}
	}
	// An item another node adds does not kick b's queue: b, idle with
	// nothing scheduled, finds it by its poll of half a lease.
	late := enqueueN(t, b, 1)[0]
	waitFor(t, 10*time.Second, "b never looked at the queue again for an item added without a kick", func() bool {
		return len(rec.snapshot()[late]) == 1 && queueEmpty(t, b)
	})
	nb.stop()
	// a's hung deliveries end (a dead node's would not); its store is
	// closed, so nothing of them reaches the database.
	release()
	<-na.done
	if !queueEmpty(t, b) {
		t.Error("the dead node's late outcome changed the queue")
	}
}

// TestIdleWaitPollsOnSharedStore: with nothing due, a queue that leases
// items looks at the schedule again after half a lease at the latest;
// one that does not (a single-process store) waits for its next item.
func TestIdleWaitPollsOnSharedStore(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	single := New(newStore(t), Config{}, nil, nil, nil)
	shared := New(newStore(t), Config{ItemLease: DefaultItemLease}, nil, nil, nil)
	for _, q := range []*Queue{single, shared} {
		q.SetClock(func() time.Time { return now })
	}
	cases := []struct {
		q    *Queue
		next time.Time
		want time.Duration
	}{
		{single, time.Time{}, time.Hour},
		{single, now.Add(3 * time.Minute), 3 * time.Minute},
		{single, now.Add(-time.Second), 0},
		{shared, time.Time{}, DefaultItemLease / 2},
		{shared, now.Add(3 * time.Minute), DefaultItemLease / 2},
		{shared, now.Add(2 * time.Second), 2 * time.Second},
	}
	for i, c := range cases {
		if got := c.q.idle(c.next); got != c.want {
			t.Errorf("case %d: idle = %v, want %v", i, got, c.want)
		}
	}
	// A dead node's item is due again at most a lease after its last
	// renewal and seen at most half a lease later: within 60 s.
	if d := DefaultItemLease + DefaultItemLease/2; d > 60*time.Second {
		t.Errorf("a dead node's items wait up to %v", d)
	}
}

// claimN adds n items with their mail in one Update of st, claimed by q
// (Queue.Claim), and returns them with their mail.
func claimN(t *testing.T, st *store.Store, q *Queue, n int) ([]*Item, [][]byte) {
	t.Helper()
	var items []*Item
	var bodies [][]byte
	now := time.Now()
	err := st.Update(context.Background(), func(txn *store.Txn) error {
		items, bodies = items[:0], bodies[:0]
		for i := range n {
			id := store.NewID(now.Add(time.Duration(i)))
			it := &Item{ID: id, BodyID: id, Target: "agents", Kind: "relay", To: []string{"support@agents.test"},
				Mailbox: "support", Created: now, Received: now}
			body := []byte("Subject: claimed " + strconv.Itoa(i) + "\r\n\r\nbody\r\n")
			if err := txn.PutRaw(id, body); err != nil {
				return err
			}
			q.Claim(it)
			if err := Add(txn, it); err != nil {
				return err
			}
			items, bodies = append(items, it), append(bodies, body)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return items, bodies
}

// TestClaimedItems: items a node leased to itself in the transaction that
// added them (Claim) are delivered by that node once handed over
// (ReadyClaimed), with the mail handed over, and without an Update to
// lease them: their removals are the only Updates (was a lease each
// too). The other node leaves them alone while the claim lasts; a claim
// handed over late is leased again; a node that dies before handing its
// claims over leaves them to the others when the lease ends.
func TestClaimedItems(t *testing.T) {
	sts := storetest.PostgresNodes(t, 2)
	a, b := sts[0], sts[1]
	const n = 20

	t.Run("DeliveredWithoutALease", func(t *testing.T) {
		rec := newRecorder()
		bt := &bodyTarget{bodies: map[string]string{}}
		na := startNode(t, a, "node-a", 0, multiTarget{rec.target("a", nil, nil), bt})
		startNode(t, b, "node-b", 0, rec.target("b", nil, nil))
		items, bodies := claimN(t, a, na.q, n)
		before := a.Stats().Updates
		na.q.ReadyClaimed(items, bodies)
		waitFor(t, 30*time.Second, "the claimed items were not all delivered and removed", func() bool {
			return len(rec.snapshot()) == n && queueEmpty(t, a)
		})
		got := rec.snapshot()
		for i, it := range items {
			if !slices.Equal(got[it.ID], []string{"a"}) {
				t.Errorf("claimed item %d delivered by %q, want once by the node that claimed it", i, got[it.ID])
			}
			if g := bt.get(it.ID); g != string(bodies[i]) {
				t.Errorf("claimed item %d delivered with %q, want %q", i, g, bodies[i])
			}
		}
		if u := a.Stats().Updates - before; u != n {
			t.Errorf("%d Updates for %d claimed items, want %d (their removals; no leases)", u, n, n)
		}
	})

	t.Run("HandedOverLateLeasedAgain", func(t *testing.T) {
		rec := newRecorder()
		na := startNode(t, a, "node-a", 0, rec.target("a", nil, nil))
		items, _ := claimN(t, a, na.q, n)
		// Half the lease has passed before the workers get them: too
		// little is left for the first renewal, so each is leased again.
		na.q.SetClock(func() time.Time { return time.Now().Add(DefaultItemLease / 2) })
		before := a.Stats().Updates
		na.q.ReadyClaimed(items, nil)
		// At once, not when the claim's lease ends.
		waitFor(t, 5*time.Second, "the late claims were not all delivered and removed", func() bool {
			return len(rec.snapshot()) == n && queueEmpty(t, a)
		})
		for i, it := range items {
			if got := rec.snapshot()[it.ID]; len(got) != 1 {
				t.Errorf("late claim %d delivered %d times", i, len(got))
			}
		}
		if u := a.Stats().Updates - before; u != 2*n {
			t.Errorf("%d Updates for %d late claims, want %d (a lease and a removal each)", u, n, 2*n)
		}
	})

	t.Run("DeadClaimerLeavesThemToAnother", func(t *testing.T) {
		const lease = 600 * time.Millisecond
		// Node a claims and dies before handing them over (its queue
		// never runs).
		dead := New(a, Config{Workers: 1, MinBackoff: time.Second, MaxBackoff: time.Minute, GiveUpAfter: time.Hour,
			ItemLease: lease, Holder: "node-dead"}, nil, nil, nil)
		claimed := time.Now()
		items, _ := claimN(t, a, dead, n)
		rec := newRecorder()
		startNode(t, b, "node-b", lease, rec.target("b", nil, nil))
		waitFor(t, 30*time.Second, "the dead node's claims were not delivered by the other", func() bool {
			return len(rec.snapshot()) == n && queueEmpty(t, a)
		})
		rec.mu.Lock()
		defer rec.mu.Unlock()
		for i, it := range items {
			if at := rec.at[it.ID]; at.Before(claimed.Add(lease)) {
				t.Errorf("item %d delivered %v after the claim, before its lease of %v ended", i, at.Sub(claimed), lease)
			}
		}
	})
}

// bodyTarget records the mail each item was delivered with.
type bodyTarget struct {
	mu     sync.Mutex
	bodies map[string]string
}

func (b *bodyTarget) Name() string { return "maildir" }

func (b *bodyTarget) Deliver(_ context.Context, it *Item, body []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bodies[it.ID] = string(body)
	return nil
}

func (b *bodyTarget) get(id string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.bodies[id]
}

// multiTarget delivers to each of its targets in turn.
type multiTarget []Target

func (m multiTarget) Name() string { return m[0].Name() }

func (m multiTarget) Deliver(ctx context.Context, it *Item, body []byte) error {
	for _, t := range m {
		if err := t.Deliver(ctx, it, body); err != nil {
			return err
		}
	}
	return nil
}

// TestClaimedMailIsBounded: the mail that claims waiting for a worker
// hold is bounded (maxClaimedBytes); past it a claim goes without its
// mail, which the attempt reads from the store.
func TestClaimedMailIsBounded(t *testing.T) {
	q := New(newStore(t), Config{Holder: "node-a"}, nil, nil, nil) // not running: the claims wait
	const n, size = 20, 1 << 20
	var items []*Item
	var bodies [][]byte
	for i := range n {
		items = append(items, &Item{ID: strconv.Itoa(i), Holder: "node-a"})
		bodies = append(bodies, make([]byte, size))
	}
	q.ReadyClaimed(items, bodies)
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.claimed) != n {
		t.Fatalf("%d claims waiting, want %d", len(q.claimed), n)
	}
	held := 0
	for i, c := range q.claimed {
		if b := c.claim.body; b != nil {
			held += len(b)
			if i >= maxClaimedBytes/size {
				t.Errorf("claim %d holds its mail past the bound", i)
			}
		} else if i < maxClaimedBytes/size {
			t.Errorf("claim %d without its mail below the bound", i)
		}
	}
	if held != maxClaimedBytes || q.claimedBytes != held {
		t.Errorf("claims hold %d bytes (counted %d), want %d", held, q.claimedBytes, maxClaimedBytes)
	}
}
