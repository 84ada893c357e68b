package queue

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/store"
)

// recordTarget keeps a copy of each body it is given and where its bytes
// were, to see whether attempts share one buffer.
type recordTarget struct {
	mu     sync.Mutex
	bodies []string
	first  []*byte
	got    chan struct{}
}

func (r *recordTarget) Name() string { return "record" }
func (r *recordTarget) Deliver(_ context.Context, _ *Item, body []byte) error {
	r.mu.Lock()
	r.bodies = append(r.bodies, string(body))
	r.first = append(r.first, &body[0])
	r.mu.Unlock()
	r.got <- struct{}{}
	return nil
}

// Attempts read spooled mail into a reused buffer (issue 21: a fresh copy
// of each relayed mail was the largest allocation per 1 MB message), and
// a shorter mail after a longer one is exactly itself, with nothing of
// the earlier mail left over.
func TestAttemptsReuseTheBodyBuffer(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir+"/db", store.Options{SpoolDir: dir + "/spool"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rt := &recordTarget{got: make(chan struct{}, 1)}
	q := New(st, Config{Workers: 1, MinBackoff: time.Minute, MaxBackoff: time.Hour, GiveUpAfter: time.Hour},
		map[TargetName]Target{"agents": rt}, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	// Long and short mails in turn: a short one read into a long one's
	// buffer must be exactly itself.
	var sent []string
	for i := range 20 {
		sent = append(sent, fmt.Sprintf("Subject: %d\r\n\r\n%s", i, strings.Repeat("a longer mail\r\n", 4000*(i%2))))
	}
	for _, body := range sent {
		now := time.Now()
		it := &Item{ID: store.NewID(now), BodyID: "b" + store.NewID(now), Target: "agents", Kind: "relay",
			To: []string{"support@agents.test"}, Created: now}
		err := st.Update(context.Background(), func(txn *store.Txn) error {
			if err := txn.PutRaw(it.BodyID, []byte(body)); err != nil { // in the spool
				return err
			}
			return Add(txn, it)
		})
		if err != nil {
			t.Fatal(err)
		}
		q.Kick()
		select {
		case <-rt.got:
		case <-time.After(10 * time.Second):
			t.Fatal("the mail was not delivered")
		}
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if !slices.Equal(rt.bodies, sent) {
		t.Fatalf("delivered %d bodies, not the %d mails sent", len(rt.bodies), len(sent))
	}
	// sync.Pool may miss now and then (another P, the race detector's
	// random drops), but of twenty attempts one after another some share.
	if distinct := len(maps.Collect(func(yield func(*byte, bool) bool) {
		for _, p := range rt.first {
			if !yield(p, true) {
				return
			}
		}
	})); distinct == len(sent) {
		t.Errorf("%d attempts read their mail into %d different buffers", len(sent), distinct)
	}
}

// A burst of mail does not make the dispatcher scan the schedule once per
// kick and once per finished attempt: scans are at least scanGap apart
// (issue 21), and every item is still delivered.
func TestScansAreSpacedUnderLoad(t *testing.T) {
	st := newStore(t)
	rt := &recordTarget{got: make(chan struct{}, 200)}
	q := New(st, Config{Workers: 4, MinBackoff: time.Minute, MaxBackoff: time.Hour, GiveUpAfter: time.Hour},
		map[TargetName]Target{"agents": rt}, nil, nil)
	runQueue(t, q)
	start := time.Now()
	const n = 100
	for i := range n {
		enqueue(t, st, time.Now(), fmt.Sprintf("Subject: %d\r\n\r\nhello\r\n", i))
		q.Kick()
	}
	for range n {
		select {
		case <-rt.got:
		case <-time.After(10 * time.Second):
			t.Fatalf("only %d of %d mails delivered", len(rt.bodies), n)
		}
	}
	elapsed := time.Since(start)
	if scans, most := q.scans.Load(), int64(elapsed/scanGap)+2; scans > most {
		t.Errorf("%d scans in %v for %d mails; at most %d with %v between scans", scans, elapsed, n, most, scanGap)
	}
}

// Items handed over with Ready are delivered without scanning the
// schedule (issue 21), and one handed over before its time is delivered
// when its time comes.
func TestReadyItemsGoWithoutAScan(t *testing.T) {
	st := newStore(t)
	rt := &recordTarget{got: make(chan struct{}, 200)}
	q := New(st, Config{Workers: 4, MinBackoff: time.Minute, MaxBackoff: time.Hour, GiveUpAfter: time.Hour},
		map[TargetName]Target{"agents": rt}, nil, nil)
	runQueue(t, q)
	// The scan Run starts with, before anything is queued.
	deadline := time.Now().Add(10 * time.Second)
	for q.scans.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("Run did not scan at its start")
		}
		runtime.Gosched()
	}
	wait := func(n int) {
		t.Helper()
		for range n {
			select {
			case <-rt.got:
			case <-time.After(10 * time.Second):
				t.Fatalf("%d mails delivered, want %d", len(rt.bodies), n)
			}
		}
	}
	const n = 100
	for i := range n {
		it := enqueue(t, st, time.Now(), fmt.Sprintf("Subject: %d\r\n\r\nhello\r\n", i))
		q.Ready(it.ID)
	}
	wait(n)
	if s := q.scans.Load(); s != 1 {
		t.Errorf("%d scans of the schedule for %d mails handed over with Ready; want only the first", s, n)
	}
	// Not due yet: Ready leaves it, the timer delivers it.
	start := time.Now()
	it := &Item{ID: store.NewID(start), BodyID: "later", Target: "agents", Kind: "relay", To: []string{"a@agents.test"},
		Created: start, NextAttempt: start.Add(50 * time.Millisecond)}
	if err := st.Update(context.Background(), func(txn *store.Txn) error {
		if err := txn.Set([]byte(store.PrefixRaw+it.BodyID), []byte("Subject: later\r\n\r\nx\r\n")); err != nil {
			return err
		}
		return Add(txn, it)
	}); err != nil {
		t.Fatal(err)
	}
	q.Ready(it.ID)
	wait(1)
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("an item due in 50ms went after %v", d)
	}
}

// runQueue runs q until the test ends (before the store it uses closes:
// cleanups run last-registered first).
func runQueue(t *testing.T, q *Queue) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// A mail its spool cannot give back for now (its segment moved away, a
// volume gone, no file descriptor left) is retried, not failed for good:
// put back, it is delivered. Only mail that is gone for certain (a
// checksum mismatch, bytes cut off) fails at once. Before, any error
// reading the mail failed the item at its first attempt: mail that had a
// 250 was lost to a transient fault.
func TestUnreadableMailIsRetried(t *testing.T) {
	for _, c := range []struct {
		name    string
		damage  func(t *testing.T, seg string)
		restore func(t *testing.T, seg string)
	}{
		{"segment moved away", func(t *testing.T, seg string) {
			if err := os.Rename(seg, seg+".away"); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, seg string) {
			if err := os.Rename(seg+".away", seg); err != nil {
				t.Fatal(err)
			}
		}},
		{"a byte changed", func(t *testing.T, seg string) {
			f, err := os.OpenFile(seg, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteAt([]byte("X"), 3)
			f.Close()
		}, nil},
		{"segment cut short", func(t *testing.T, seg string) {
			if err := os.Truncate(seg, 10); err != nil {
				t.Fatal(err)
			}
		}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			opts := store.Options{SpoolDir: filepath.Join(dir, "spool")}
			st, err := store.Open(filepath.Join(dir, "db"), opts)
			if err != nil {
				t.Fatal(err)
			}
			now := time.Now()
			body := "Subject: kept\r\n\r\n" + strings.Repeat("the mail\r\n", 100)
			it := &Item{ID: store.NewID(now), BodyID: "b" + store.NewID(now), Target: "agents", Kind: "relay",
				To: []string{"support@agents.test"}, Created: now}
			if err := st.Update(context.Background(), func(txn *store.Txn) error {
				if err := txn.PutRaw(it.BodyID, []byte(body)); err != nil {
					return err
				}
				return Add(txn, it)
			}); err != nil {
				t.Fatal(err)
			}
			st.Close()
			seg := filepath.Join(dir, "spool", "00000001.seg")
			c.damage(t, seg)
			if st, err = store.Open(filepath.Join(dir, "db"), opts); err != nil {
				t.Fatal(err)
			}
			defer st.Close()

			rt := &recordTarget{got: make(chan struct{}, 1)}
			q := New(st, Config{Workers: 1, MinBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, GiveUpAfter: time.Hour},
				map[TargetName]Target{"agents": rt}, nil, nil)
			runQueue(t, q)
			state := func() *Item {
				items, err := List(st)
				if err != nil || len(items) != 1 {
					t.Fatalf("queue: %v, %d items", err, len(items))
				}
				return items[0]
			}
			deadline := time.Now().Add(10 * time.Second)
			for got := state(); got.Attempts < 2 && got.State != StateFailed; got = state() {
				if time.Now().After(deadline) {
					t.Fatalf("no attempt made: %+v", got)
				}
				time.Sleep(10 * time.Millisecond)
			}
			got := state()
			if c.restore == nil {
				if got.State != StateFailed || got.Attempts != 1 {
					t.Fatalf("mail that is gone: state %s after %d attempts (%s); want failed at the first", got.State, got.Attempts, got.LastError)
				}
				return
			}
			if got.State == StateFailed {
				t.Fatalf("mail the spool could not read for now failed for good: %s", got.LastError)
			}
			c.restore(t, seg)
			select {
			case <-rt.got:
			case <-time.After(10 * time.Second):
				t.Fatalf("not delivered once its mail was back: %+v", state())
			}
			if rt.bodies[0] != body {
				t.Errorf("delivered %q", rt.bodies[0])
			}
		})
	}
}
