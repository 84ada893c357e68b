package lease

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/store/storetest"
)

// jobs records which node runs the job, and fails the test when two run
// it at once.
type jobs struct {
	t       *testing.T
	mu      sync.Mutex
	running string
	started map[string]time.Time // node → when it last started the job
}

func (j *jobs) job(node string) func(context.Context) {
	return func(ctx context.Context) {
		j.mu.Lock()
		if j.running != "" {
			j.t.Errorf("%s started the job while %s runs it", node, j.running)
		}
		j.running = node
		j.started[node] = time.Now()
		j.mu.Unlock()
		<-ctx.Done()
		j.mu.Lock()
		j.running = ""
		j.mu.Unlock()
	}
}

func (j *jobs) runner() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.running
}

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

type node struct {
	name   string
	m      *Metrics
	cancel context.CancelFunc
	done   chan struct{}
}

func start(t *testing.T, st *store.Store, name string, ttl time.Duration, j *jobs) *node {
	reg := prometheus.NewRegistry()
	n := &node{name: name, m: NewMetrics(reg), done: make(chan struct{})}
	r := &Runner{Store: st, Holder: name, TTL: ttl, Metrics: n.m, Always: true}
	ctx, cancel := context.WithCancel(context.Background())
	n.cancel = cancel
	go func() { r.Run(ctx, "scanner", j.job(name)); close(n.done) }()
	t.Cleanup(n.stop)
	return n
}

func (n *node) stop() { n.cancel(); <-n.done }

func (n *node) held() float64 { return testutil.ToFloat64(n.m.held.WithLabelValues("scanner")) }

func newMem(t *testing.T) *store.Store {
	st, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestSingleProcessStoreRunsAtOnce: on a store only this process opens
// the job runs without a lease, and the metric says it is held.
func TestSingleProcessStoreRunsAtOnce(t *testing.T) {
	st := newMem(t)
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	j := &jobs{t: t, started: map[string]time.Time{}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { (&Runner{Store: st, Metrics: m}).Run(ctx, "retention", j.job("only")); close(done) }()
	waitFor(t, 5*time.Second, "the job did not start", func() bool { return j.runner() == "only" })
	if v := testutil.ToFloat64(m.held.WithLabelValues("retention")); v != 1 {
		t.Errorf("frontdesk_lease_held = %v while the job runs", v)
	}
	err := st.View(func(txn *store.Txn) error {
		l, err := txn.GetLease("retention")
		if err == nil && l.Holder != "" {
			t.Errorf("a lease was written on a single-process store: %+v", l)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	<-done
	if v := testutil.ToFloat64(m.held.WithLabelValues("retention")); v != 0 || j.runner() != "" {
		t.Errorf("after stop: held %v, running %q", v, j.runner())
	}
}

// TestOneHolderAndHandover: two runners on one store run the job one at
// a time; the holder stopping cleanly releases the lease, and the other
// takes over at its next try.
func TestOneHolderAndHandover(t *testing.T) {
	run := func(t *testing.T, a, b *store.Store) {
		const ttl = 900 * time.Millisecond
		j := &jobs{t: t, started: map[string]time.Time{}}
		nodes := map[string]*node{"a": start(t, a, "a", ttl, j), "b": start(t, b, "b", ttl, j)}
		waitFor(t, 10*time.Second, "no node took the lease", func() bool { return j.runner() != "" })
		first := nodes[j.runner()]
		other := nodes[map[string]string{"a": "b", "b": "a"}[first.name]]
		if first.held() != 1 || other.held() != 0 {
			t.Errorf("frontdesk_lease_held: holder %v, other %v; want 1 and 0", first.held(), other.held())
		}
		stopped := time.Now()
		first.stop()
		waitFor(t, 10*time.Second, "the other node did not take over a released lease", func() bool { return j.runner() == other.name })
		// Released, the lease is taken at the next try, not at its end.
		if d := time.Since(stopped); d >= ttl {
			t.Errorf("handover after a clean stop took %v, not less than a lease (%v)", d, ttl)
		}
		if first.held() != 0 || other.held() != 1 {
			t.Errorf("after handover frontdesk_lease_held: stopped %v, holder %v", first.held(), other.held())
		}
	}
	t.Run("badger", func(t *testing.T) {
		st := newMem(t)
		run(t, st, st)
	})
	t.Run("postgres", func(t *testing.T) {
		sts := storetest.PostgresNodes(t, 2)
		run(t, sts[0], sts[1])
	})
}

// TestDeadHolderTakenOver: the holder dies (its database connections
// closed, its lease left behind); it stops its job when it cannot renew,
// and the other node takes over once the lease has ended, never before.
func TestDeadHolderTakenOver(t *testing.T) {
	sts := storetest.PostgresNodes(t, 2)
	const ttl = 900 * time.Millisecond
	j := &jobs{t: t, started: map[string]time.Time{}}
	stores := map[string]*store.Store{"node-0": sts[0], "node-1": sts[1]}
	nodes := map[string]*node{"node-0": start(t, sts[0], "node-0", ttl, j), "node-1": start(t, sts[1], "node-1", ttl, j)}
	waitFor(t, 10*time.Second, "no node took the lease", func() bool { return j.runner() != "" })
	dead := j.runner()
	other := map[string]string{"node-0": "node-1", "node-1": "node-0"}[dead]
	killed := time.Now()
	stores[dead].Close()
	var until time.Time
	err := stores[other].View(func(txn *store.Txn) error {
		l, err := txn.GetLease("scanner")
		until = l.Until
		if err == nil && l.Holder != dead {
			t.Errorf("lease after the kill: %+v, want %s's", l, dead)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "the other node did not take over", func() bool { return j.runner() == other })
	j.mu.Lock()
	took := j.started[other]
	j.mu.Unlock()
	if took.Before(until) {
		t.Errorf("%s took the lease at %v, before the dead holder's lease ended at %v", other, took, until)
	}
	t.Logf("taken over %v after the kill (lease %v)", took.Sub(killed), ttl)
	if nodes[dead].held() != 0 || nodes[other].held() != 1 {
		t.Errorf("frontdesk_lease_held: dead %v, holder %v", nodes[dead].held(), nodes[other].held())
	}
}
