package store

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestIDsAndTimeKeysSortByTime(t *testing.T) {
	base := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	var ids []string
	for i := 5; i >= 0; i-- {
		ids = append(ids, NewID(base.Add(time.Duration(i)*time.Millisecond)))
	}
	if sort.StringsAreSorted(ids) {
		t.Fatal("ids generated newest first came out sorted: the test is wrong")
	}
	sorted := append([]string(nil), ids...)
	sort.Strings(sorted)
	for i := range sorted {
		if sorted[i] != ids[len(ids)-1-i] {
			t.Fatalf("id order is not time order: %v", sorted)
		}
	}
	if a, b := NewID(base), NewID(base); a == b {
		t.Error("two ids at the same instant are equal")
	}
	if got := KeyTime(TimeKey(base)); !got.Equal(base) {
		t.Errorf("KeyTime(TimeKey(t)) = %v", got)
	}
}

func TestIterateAndConflictRetry(t *testing.T) {
	st, err := Open("", Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	// Concurrent read-modify-write of one key: no increment is lost, since
	// a function sees the writes of those before it in its shared
	// transaction, and conflicts are retried.
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			err := st.Update(ctx, func(txn *Txn) error {
				v, err := txn.Get([]byte("counter"))
				if err != nil && !errors.Is(err, ErrNotFound) {
					return err
				}
				return txn.Set([]byte("counter"), append(v, 'x'))
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	var n int
	st.View(func(txn *Txn) error {
		v, _ := txn.Get([]byte("counter"))
		n = len(v)
		return nil
	})
	if n != 200 {
		t.Errorf("counter = %d after 200 concurrent increments", n)
	}
	st.Update(ctx, func(txn *Txn) error {
		for _, k := range []string{"a/1", "a/2", "a/3", "b/1"} {
			txn.Set([]byte(k), []byte(k))
		}
		return nil
	})
	var seen []string
	st.View(func(txn *Txn) error {
		return txn.Iterate([]byte("a/"), []byte("a/2"), true, func(k, v []byte) error {
			seen = append(seen, string(k)+"="+string(v))
			if len(seen) == 1 {
				return nil
			}
			return ErrStop
		})
	})
	if len(seen) != 2 || seen[0] != "a/2=a/2" || seen[1] != "a/3=a/3" {
		t.Errorf("Iterate from a/2 with stop: %v", seen)
	}
}

func TestClosedStoreErrors(t *testing.T) {
	st, err := Open(t.TempDir(), Options{SyncWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	if err := st.Update(context.Background(), func(txn *Txn) error { return txn.Set([]byte("k"), []byte("v")) }); err == nil {
		t.Error("update on a closed store succeeded")
	}
}

// holdCommitter makes the committer run a function that blocks until
// release is closed, then waits until n more Updates are queued behind it,
// each writing key i (or failing, for the indexes in fail). It returns
// their errors once all have returned.
func holdCommitter(t *testing.T, st *Store, n int, fail map[int]bool) (release chan struct{}, wait func() []error) {
	t.Helper()
	ctx := context.Background()
	release = make(chan struct{})
	entered := make(chan struct{})
	errs := make([]error, n)
	var wg sync.WaitGroup
	wg.Go(func() {
		err := st.Update(ctx, func(txn *Txn) error {
			select {
			case <-entered:
			default:
				close(entered)
			}
			<-release
			return txn.Set([]byte("first"), []byte("x"))
		})
		if err != nil {
			t.Error(err)
		}
	})
	<-entered
	for i := range n {
		wg.Go(func() {
			errs[i] = st.Update(ctx, func(txn *Txn) error {
				if fail[i] {
					return fmt.Errorf("bad record %d", i)
				}
				return txn.Set(fmt.Appendf(nil, "k%03d", i), []byte("v"))
			})
		})
	}
	// Every Update is counted before it blocks handing its function
	// over; the committer is busy until release.
	for st.waiting.Load() < int64(n+1) {
		runtime.Gosched()
	}
	return release, func() []error { wg.Wait(); return errs }
}

// openSynced opens a store on disk with synced commits, closed when the
// test ends.
func openSynced(t *testing.T) *Store {
	t.Helper()
	st, err := Open(t.TempDir(), Options{SyncWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestConcurrentUpdatesShareCommits(t *testing.T) {
	st := openSynced(t)
	const n = 40
	release, wait := holdCommitter(t, st, n, nil)
	before := st.commits.Load()
	close(release)
	for i, err := range wait() {
		if err != nil {
			t.Errorf("update %d: %v", i, err)
		}
	}
	commits := st.commits.Load() - before
	if s := st.Stats(); s.Updates != n+1 || s.Commits != st.commits.Load() {
		t.Errorf("Stats = %+v after %d updates", s, n+1)
	}
	// 1 for the held one and 1 for the rest; a goroutine counted but not
	// yet parked can miss the batch and commit on its own.
	if commits > 4 {
		t.Errorf("%d concurrent updates took %d commits; want them to share one", n, commits)
	}
	st.View(func(txn *Txn) error {
		for i := range n {
			if _, err := txn.Get(fmt.Appendf(nil, "k%03d", i)); err != nil {
				t.Errorf("k%03d: %v", i, err)
			}
		}
		return nil
	})
}

func TestFailingUpdateDoesNotCostItsBatch(t *testing.T) {
	st := openSynced(t)
	const n = 10
	release, wait := holdCommitter(t, st, n, map[int]bool{4: true})
	close(release)
	errs := wait()
	st.View(func(txn *Txn) error {
		for i := range n {
			_, err := txn.Get(fmt.Appendf(nil, "k%03d", i))
			switch {
			case i == 4 && (errs[i] == nil || !strings.Contains(errs[i].Error(), "bad record 4")):
				t.Errorf("the failing update returned %v", errs[i])
			case i != 4 && (errs[i] != nil || err != nil):
				t.Errorf("update %d in the failing one's batch: returned %v, key %v", i, errs[i], err)
			}
		}
		return nil
	})
}

func TestPanickingUpdateFailsAlone(t *testing.T) {
	st := openSynced(t)
	ctx := context.Background()
	err := st.Update(ctx, func(txn *Txn) error {
		txn.Set([]byte("half"), []byte("written"))
		var m map[string]int
		m["boom"]++ // a bug in a caller's function
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "panicked") {
		t.Fatalf("a panicking update returned %v", err)
	}
	if err := st.Update(ctx, func(txn *Txn) error { return txn.Set([]byte("next"), []byte("v")) }); err != nil {
		t.Fatalf("the store no longer commits after a panic: %v", err)
	}
	st.View(func(txn *Txn) error {
		if _, err := txn.Get([]byte("half")); !errors.Is(err, ErrNotFound) {
			t.Errorf("the panicking update's write was committed (%v)", err)
		}
		return nil
	})
}

// laterDone returns a done function for UpdateLater and a channel that
// gets its outcome.
func laterDone() (func(error), chan error) {
	c := make(chan error, 1)
	return func(err error) { c <- err }, c
}

// outcome waits for the outcome on c; a later update that never finishes
// fails the test rather than hanging it.
func outcome(t *testing.T, c chan error) error {
	t.Helper()
	select {
	case err := <-c:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("a later update never finished")
		return nil
	}
}

func TestUpdateLaterRidesOnTheNextCommit(t *testing.T) {
	// A delay no test outlasts: only the Update can commit the later
	// writes.
	st, err := Open(t.TempDir(), Options{SyncWrites: true, LaterDelay: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var dones []chan error
	for i := range 3 {
		done, c := laterDone()
		dones = append(dones, c)
		st.UpdateLater(func(txn *Txn) error { return txn.Set(fmt.Appendf(nil, "later%d", i), []byte("v")) }, done)
	}
	for i, c := range dones {
		select {
		case err := <-c:
			t.Fatalf("later update %d finished (%v) before any commit", i, err)
		default:
		}
	}
	if s := st.Stats(); s.Commits != 0 {
		t.Fatalf("UpdateLater committed on its own: %+v", s)
	}
	if err := st.Update(context.Background(), func(txn *Txn) error { return txn.Set([]byte("now"), []byte("v")) }); err != nil {
		t.Fatal(err)
	}
	for i, c := range dones {
		if err := outcome(t, c); err != nil {
			t.Errorf("later update %d: %v", i, err)
		}
	}
	if s := st.Stats(); s.Commits != 1 || s.Updates != 4 {
		t.Errorf("Stats = %+v; want the three later updates in the Update's one commit", s)
	}
	st.View(func(txn *Txn) error {
		for _, k := range []string{"now", "later0", "later1", "later2"} {
			if _, err := txn.Get([]byte(k)); err != nil {
				t.Errorf("%s: %v", k, err)
			}
		}
		return nil
	})
}

func TestUpdateLaterCommitsAloneAfterItsDelay(t *testing.T) {
	st, err := Open(t.TempDir(), Options{SyncWrites: true, LaterDelay: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	done, c := laterDone()
	st.UpdateLater(func(txn *Txn) error { return txn.Set([]byte("k"), []byte("v")) }, done)
	if err := outcome(t, c); err != nil {
		t.Fatal(err)
	}
	st.View(func(txn *Txn) error {
		if _, err := txn.Get([]byte("k")); err != nil {
			t.Errorf("the later update was reported done but is not in the store: %v", err)
		}
		return nil
	})
	// A failing function gets its error, not the batch's.
	done, c = laterDone()
	st.UpdateLater(func(txn *Txn) error { return errors.New("bad removal") }, done)
	if err := outcome(t, c); err == nil || !strings.Contains(err.Error(), "bad removal") {
		t.Errorf("a failing later update got %v", err)
	}
}

func TestCloseCommitsWaitingLaterUpdates(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(dir, Options{SyncWrites: true, LaterDelay: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	done, c := laterDone()
	st.UpdateLater(func(txn *Txn) error { return txn.Set([]byte("k"), []byte("v")) }, done)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if err := outcome(t, c); err != nil {
		t.Fatalf("the later update waiting at Close: %v", err)
	}
	done, c = laterDone()
	st.UpdateLater(func(txn *Txn) error { return nil }, done)
	if err := <-c; !errors.Is(err, ErrClosed) {
		t.Errorf("UpdateLater after Close got %v; want ErrClosed", err)
	}
	st, err = Open(dir, Options{SyncWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.View(func(txn *Txn) error {
		if _, err := txn.Get([]byte("k")); err != nil {
			t.Errorf("after reopening: %v", err)
		}
		return nil
	})
}

func TestIterateReverseFromTheLastKeyOfThePrefix(t *testing.T) {
	st, err := Open("", Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	keys := []string{"a/1", "a/2", "a/3\xff\xff", "a0", "ab/x", "b/1", "a"}
	if err := st.Update(context.Background(), func(txn *Txn) error {
		for _, k := range keys {
			if err := txn.Set([]byte(k), []byte("v"+k)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	walk := func(stop int) []string {
		var got []string
		st.View(func(txn *Txn) error {
			return txn.IterateReverse([]byte("a/"), true, func(k, v []byte) error {
				if string(v) != "v"+string(k) {
					t.Errorf("%q has value %q", k, v)
				}
				got = append(got, string(k))
				if len(got) == stop {
					return ErrStop
				}
				return nil
			})
		})
		return got
	}
	if got := strings.Join(walk(0), " "); got != "a/3\xff\xff a/2 a/1" {
		t.Errorf("IterateReverse(a/) = %q", got)
	}
	if got := strings.Join(walk(2), " "); got != "a/3\xff\xff a/2" {
		t.Errorf("IterateReverse(a/) stopped after two = %q", got)
	}
	st.View(func(txn *Txn) error {
		for k, want := range map[string]bool{"a/2": true, "a/4": false} {
			if has, err := txn.Has([]byte(k)); err != nil || has != want {
				t.Errorf("Has(%s) = %v, %v; want %v", k, has, err, want)
			}
		}
		return nil
	})
}

// IterateCommitted sees what was committed under the prefix and not the
// transaction's own writes; Iterate sees both.
func TestIterateCommittedLeavesOutTheTransactionsWrites(t *testing.T) {
	st, err := Open("", Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.Update(ctx, func(txn *Txn) error { return txn.Set([]byte("ix/p/a"), nil) }); err != nil {
		t.Fatal(err)
	}
	err = st.Update(ctx, func(txn *Txn) error {
		if err := txn.Set([]byte("ix/p/b"), nil); err != nil {
			return err
		}
		var committed, all []string
		if err := txn.IterateCommitted([]byte("ix/p/"), func(k []byte) error { committed = append(committed, string(k)); return nil }); err != nil {
			return err
		}
		if err := txn.Iterate([]byte("ix/p/"), nil, false, func(k, _ []byte) error { all = append(all, string(k)); return nil }); err != nil {
			return err
		}
		if strings.Join(committed, ",") != "ix/p/a" || strings.Join(all, ",") != "ix/p/a,ix/p/b" {
			t.Errorf("IterateCommitted %v, Iterate %v; want [ix/p/a] and [ix/p/a ix/p/b]", committed, all)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
