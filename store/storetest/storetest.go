// Package storetest is the contract of the store: every behaviour the rest
// of the gateway relies on — atomic commits, conflicts, iteration order,
// expiry, sequences that never repeat, the spool of mail, durability across
// a restart — written as one suite that every store implementation must
// pass. The Badger store runs it in store's own tests; a second backend
// runs the same Run with its own Factory.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/store"
)

// Factory opens the store kept in dir (a fresh one when dir is empty of
// it, the same one again after Close). The suite closes what it opens.
type Factory func(t *testing.T, dir string) *store.Store

// Run runs the whole contract against stores made by open.
func Run(t *testing.T, open Factory) {
	cases := []struct {
		name string
		fn   func(*testing.T, Factory)
	}{
		{"GetMissing", testGetMissing},
		{"SetGetDelete", testSetGetDelete},
		{"RewritesInOneUpdate", testRewritesInOneUpdate},
		{"LastWriteWins", testLastWriteWins},
		{"WalkThenRead", testWalkThenRead},
		{"Prefetch", testPrefetch},
		{"ReadsAhead", testReadsAhead},
		{"WalksAhead", testWalksAhead},
		{"EmptyValues", testEmptyValues},
		{"OddBytesRoundTrip", testOddBytesRoundTrip},
		{"FailedUpdateWritesNothing", testFailedUpdateWritesNothing},
		{"ConcurrentReadModifyWrite", testConcurrentReadModifyWrite},
		{"IterateOrder", testIterateOrder},
		{"IterateReverse", testIterateReverse},
		{"IterateLong", testIterateLong},
		{"TTL", testTTL},
		{"UpdateLater", testUpdateLater},
		{"Sequence", testSequence},
		{"SpoolAndRaw", testSpoolAndRaw},
		{"DurableAcrossReopen", testDurableAcrossReopen},
		{"Closed", testClosed},
		{"Lease", testLease},
		{"LeaseRace", testLeaseRace},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, open) })
	}
}

// RunShared runs the cases of several processes on one store: open with
// the same dir must give another Store on the same data, as two nodes on
// one database have. Only a shared backend (PostgreSQL) can run it.
func RunShared(t *testing.T, open Factory) {
	cases := []struct {
		name string
		fn   func(*testing.T, Factory)
	}{
		{"LeaseOneHolder", testLeaseOneHolder},
		{"LeaseTakeover", testLeaseTakeover},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, open) })
	}
}

func fresh(t *testing.T, open Factory) *store.Store {
	t.Helper()
	s := open(t, t.TempDir())
	t.Cleanup(func() { s.Close() })
	return s
}

func set(t *testing.T, s *store.Store, kv ...string) {
	t.Helper()
	err := s.Update(context.Background(), func(txn *store.Txn) error {
		for i := 0; i+1 < len(kv); i += 2 {
			if err := txn.Set([]byte(kv[i]), []byte(kv[i+1])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func get(t *testing.T, s *store.Store, key string) (string, error) {
	t.Helper()
	var v []byte
	err := s.View(func(txn *store.Txn) error {
		var err error
		v, err = txn.Get([]byte(key))
		return err
	})
	return string(v), err
}

func testGetMissing(t *testing.T, open Factory) {
	s := fresh(t, open)
	if _, err := get(t, s, "misc/none"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get of a missing key: %v, want ErrNotFound", err)
	}
	err := s.View(func(txn *store.Txn) error {
		ok, err := txn.Has([]byte("misc/none"))
		if ok || err != nil {
			return fmt.Errorf("Has = %v, %v; want false, nil", ok, err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func testSetGetDelete(t *testing.T, open Factory) {
	s := fresh(t, open)
	set(t, s, "misc/a", "1")
	v, err := get(t, s, "misc/a")
	if err != nil || v != "1" {
		t.Fatalf("Get = %q, %v; want 1", v, err)
	}
	// A value handed out is the caller's: changing it changes nothing
	// stored.
	err = s.View(func(txn *store.Txn) error {
		b, err := txn.Get([]byte("misc/a"))
		if err == nil {
			b[0] = 'X'
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := get(t, s, "misc/a"); v != "1" {
		t.Errorf("after changing the returned slice: %q", v)
	}
	err = s.Update(context.Background(), func(txn *store.Txn) error { return txn.Delete([]byte("misc/a")) })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := get(t, s, "misc/a"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Get after Delete: %v", err)
	}
}

// testRewritesInOneUpdate writes the same keys several times in one
// Update, between reads and a walk: the last write of each key is what is
// stored, and what the function reads back is what it wrote last (a store
// that gathers writes must keep their order per key).
func testRewritesInOneUpdate(t *testing.T, open Factory) {
	s := fresh(t, open)
	set(t, s, "misc/w/gone", "old")
	set(t, s, "misc/w/back", "old")
	err := s.Update(context.Background(), func(txn *store.Txn) error {
		steps := []func() error{
			func() error { return txn.Set([]byte("misc/w/a"), []byte("1")) },
			func() error { return txn.Delete([]byte("misc/w/a")) },
			func() error { return txn.Set([]byte("misc/w/b"), []byte("1")) },
			func() error { return txn.SetTTL([]byte("misc/w/b"), []byte("2"), time.Hour) },
			func() error { return txn.Set([]byte("misc/w/b"), []byte("3")) },
			func() error { return txn.Delete([]byte("misc/w/gone")) },
			func() error { return txn.Delete([]byte("misc/w/back")) },
			func() error { return txn.Set([]byte("misc/w/back"), []byte("new")) },
			func() error { return txn.SetTTL([]byte("misc/w/ttl"), []byte("t"), time.Hour) },
		}
		for i := range 20 { // many keys in one go
			k := fmt.Sprintf("misc/w/n%02d", i)
			steps = append(steps, func() error { return txn.Set([]byte(k), []byte(strconv.Itoa(i))) })
		}
		for i, step := range steps {
			if err := step(); err != nil {
				return fmt.Errorf("step %d: %w", i, err)
			}
		}
		if v, err := txn.Get([]byte("misc/w/b")); err != nil || string(v) != "3" {
			return fmt.Errorf("inside: misc/w/b = %q, %v; want 3", v, err)
		}
		n := 0
		err := txn.Iterate([]byte("misc/w/"), nil, false, func(k, v []byte) error { n++; return nil })
		if err != nil {
			return err
		}
		if n != 23 { // b, back, ttl and n00…n19
			return fmt.Errorf("inside: %d keys under misc/w/, want 23", n)
		}
		return txn.Set([]byte("misc/w/a"), []byte("last"))
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"misc/w/a": "last", "misc/w/b": "3", "misc/w/back": "new", "misc/w/ttl": "t", "misc/w/n07": "7"}
	for k, w := range want {
		if v, err := get(t, s, k); err != nil || v != w {
			t.Errorf("%s = %q, %v; want %q", k, v, err, w)
		}
	}
	if _, err := get(t, s, "misc/w/gone"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("misc/w/gone: %v, want not found", err)
	}
	if keys, _ := walk(t, s, false, "misc/w/", "", false, 0); len(keys) != 24 {
		t.Errorf("after commit: %d keys under misc/w/, want 24: %q", len(keys), keys)
	}
}

func testFailedUpdateWritesNothing(t *testing.T, open Factory) {
	s := fresh(t, open)
	boom := errors.New("boom")
	err := s.Update(context.Background(), func(txn *store.Txn) error {
		if err := txn.Set([]byte("misc/half"), []byte("x")); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want the function's error", err)
	}
	if _, err := get(t, s, "misc/half"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a failed Update left its write: %v", err)
	}
	// A failing function costs no other writer its commit.
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() {
			errs[i] = s.Update(context.Background(), func(txn *store.Txn) error {
				if i%2 == 1 {
					return boom
				}
				return txn.Set([]byte("misc/ok/"+strconv.Itoa(i)), []byte("y"))
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		_, gerr := get(t, s, "misc/ok/"+strconv.Itoa(i))
		switch {
		case i%2 == 0 && (err != nil || gerr != nil):
			t.Errorf("writer %d: Update %v, Get %v", i, err, gerr)
		case i%2 == 1 && !errors.Is(err, boom):
			t.Errorf("failing writer %d: Update %v", i, err)
		}
	}
}

// testConcurrentReadModifyWrite: concurrent read-modify-write of one key
// loses no update (conflicts are retried, or writers serialised).
func testConcurrentReadModifyWrite(t *testing.T, open Factory) {
	s := fresh(t, open)
	const n = 40
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			err := s.Update(context.Background(), func(txn *store.Txn) error {
				v, err := txn.Get([]byte("misc/counter"))
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					return err
				}
				c, _ := strconv.Atoi(string(v))
				return txn.Set([]byte("misc/counter"), []byte(strconv.Itoa(c+1)))
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if v, err := get(t, s, "misc/counter"); err != nil || v != strconv.Itoa(n) {
		t.Errorf("counter = %q, %v; want %d", v, err, n)
	}
	if st := s.Stats(); st.Commits > st.Updates || st.Updates < n {
		t.Errorf("Stats = %+v: commits must not exceed updates, and all %d updates count", st, n)
	}
}

func walk(t *testing.T, s *store.Store, reverse bool, prefix, start string, values bool, stopAfter int) ([]string, []string) {
	t.Helper()
	var keys, vals []string
	err := s.View(func(txn *store.Txn) error {
		fn := func(k, v []byte) error {
			keys = append(keys, string(k))
			if values != (v != nil) && !(values && len(v) == 0) {
				return fmt.Errorf("key %s: values=%v but value %q", k, values, v)
			}
			vals = append(vals, string(v))
			if len(keys) == stopAfter {
				return store.ErrStop
			}
			return nil
		}
		if reverse {
			return txn.IterateReverse([]byte(prefix), values, fn)
		}
		var st []byte
		if start != "" {
			st = []byte(start)
		}
		return txn.Iterate([]byte(prefix), st, values, fn)
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys, vals
}

// testIterateLong walks more keys than any one read of a store fetches
// (a store may read a walk page by page, in pages of growing size): every
// count around the page sizes of 16, 64 and 256, forward from the start
// and from a key in the middle, backwards, and stopped early.
func testIterateLong(t *testing.T, open Factory) {
	s := fresh(t, open)
	const n = 700
	var all []string
	err := s.Update(context.Background(), func(txn *store.Txn) error {
		for i := range n {
			k := fmt.Sprintf("ix/long/%04d", i)
			all = append(all, k)
			if err := txn.Set([]byte(k), []byte(strconv.Itoa(i))); err != nil {
				return err
			}
		}
		return txn.Set([]byte("ix/longer"), []byte("outside"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if keys, vals := walk(t, s, false, "ix/long/", "", true, 0); !slices.Equal(keys, all) || vals[n-1] != strconv.Itoa(n-1) {
		t.Errorf("forward: %d keys (%q … %q), want %d", len(keys), keys[0], keys[len(keys)-1], n)
	}
	if keys, _ := walk(t, s, false, "ix/long/", "ix/long/0333", false, 0); !slices.Equal(keys, all[333:]) {
		t.Errorf("from the middle: %d keys, want %d", len(keys), n-333)
	}
	rev := slices.Clone(all)
	slices.Reverse(rev)
	if keys, _ := walk(t, s, true, "ix/long/", "", false, 0); !slices.Equal(keys, rev) {
		t.Errorf("reverse: %d keys, want %d", len(keys), n)
	}
	for _, stop := range []int{1, 15, 16, 17, 80, 81, 336, 337, 699} {
		if keys, _ := walk(t, s, false, "ix/long/", "", false, stop); !slices.Equal(keys, all[:stop]) {
			t.Errorf("stopped after %d: got %d keys", stop, len(keys))
		}
		if keys, _ := walk(t, s, true, "ix/long/", "", false, stop); !slices.Equal(keys, rev[:stop]) {
			t.Errorf("reverse stopped after %d: got %d keys", stop, len(keys))
		}
	}
}

func testIterateOrder(t *testing.T, open Factory) {
	s := fresh(t, open)
	// Written out of order, with neighbours outside the prefix and a key
	// with a byte above 0x7F: iteration is in byte order, bounded by the
	// prefix.
	set(t, s, "ix/b/3", "c", "ix/b/1", "a", "ix/a/9", "x", "ix/b/\xff", "z", "ix/b/2", "b", "ix/c/0", "y")
	keys, vals := walk(t, s, false, "ix/b/", "", true, 0)
	if want := []string{"ix/b/1", "ix/b/2", "ix/b/3", "ix/b/\xff"}; !slices.Equal(keys, want) {
		t.Errorf("keys %q, want %q", keys, want)
	}
	if want := []string{"a", "b", "c", "z"}; !slices.Equal(vals, want) {
		t.Errorf("values %q, want %q", vals, want)
	}
	if keys, _ := walk(t, s, false, "ix/b/", "ix/b/2", false, 0); !slices.Equal(keys, []string{"ix/b/2", "ix/b/3", "ix/b/\xff"}) {
		t.Errorf("from ix/b/2: %q", keys)
	}
	if keys, _ := walk(t, s, false, "ix/b/", "", false, 2); len(keys) != 2 {
		t.Errorf("ErrStop after 2: %q", keys)
	}
	if keys, _ := walk(t, s, false, "ix/none/", "", false, 0); len(keys) != 0 {
		t.Errorf("empty prefix walk: %q", keys)
	}
}

func testIterateReverse(t *testing.T, open Factory) {
	s := fresh(t, open)
	base := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	var kv []string
	for _, h := range []int{3, 1, 2} {
		kv = append(kv, "ix/t/"+string(store.TimeKey(base.Add(time.Duration(h)*time.Hour))), strconv.Itoa(h))
	}
	kv = append(kv, "ix/u/0", "outside")
	set(t, s, kv...)
	_, vals := walk(t, s, true, "ix/t/", "", true, 0)
	if want := []string{"3", "2", "1"}; !slices.Equal(vals, want) {
		t.Errorf("newest first: %q, want %q", vals, want)
	}
	if _, vals := walk(t, s, true, "ix/t/", "", true, 1); !slices.Equal(vals, []string{"3"}) {
		t.Errorf("the newest only: %q", vals)
	}
}

func testTTL(t *testing.T, open Factory) {
	s := fresh(t, open)
	err := s.Update(context.Background(), func(txn *store.Txn) error {
		if err := txn.SetTTL([]byte("misc/rl/a"), []byte("1"), time.Second); err != nil {
			return err
		}
		return txn.SetTTL([]byte("misc/rl/b"), []byte("1"), time.Hour)
	})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := get(t, s, "misc/rl/a"); err != nil || v != "1" {
		t.Fatalf("before expiry: %q, %v", v, err)
	}
	// Expiry has a resolution of a second: poll for it, bounded.
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, err := get(t, s, "misc/rl/a")
		if errors.Is(err, store.ErrNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a key with a TTL of 1s still there after 5s: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if keys, _ := walk(t, s, false, "misc/rl/", "", false, 0); !slices.Equal(keys, []string{"misc/rl/b"}) {
		t.Errorf("iteration after expiry: %q", keys)
	}
}

func testUpdateLater(t *testing.T, open Factory) {
	s := fresh(t, open)
	done := make(chan error, 1)
	s.UpdateLater(func(txn *store.Txn) error { return txn.Set([]byte("misc/later"), []byte("1")) }, func(err error) { done <- err })
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("UpdateLater: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("UpdateLater never committed")
	}
	if v, err := get(t, s, "misc/later"); err != nil || v != "1" {
		t.Errorf("after UpdateLater: %q, %v", v, err)
	}
}

func testSequence(t *testing.T, open Factory) {
	dir := t.TempDir()
	s := open(t, dir)
	seq, err := s.Sequence(store.PrefixMisc+"ticket-seq", 3)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[uint64]bool{}
	var last uint64
	for i := range 10 {
		v, err := seq.Next()
		if err != nil {
			t.Fatal(err)
		}
		if seen[v] || (i > 0 && v <= last) {
			t.Fatalf("Next = %d after %d: numbers must increase and never repeat", v, last)
		}
		seen[v], last = true, v
	}
	if _, err := s.Sequence("misc/unknown", 1); err == nil {
		t.Error("a sequence at an unknown key was handed out")
	}
	// Closed without Release (a crash): the next lifetime of the same
	// store continues above every number handed out.
	s.Close()
	s = open(t, dir)
	defer s.Close()
	seq, err = s.Sequence(store.PrefixMisc+"ticket-seq", 3)
	if err != nil {
		t.Fatal(err)
	}
	v, err := seq.Next()
	if err != nil {
		t.Fatal(err)
	}
	if v <= last {
		t.Errorf("after reopening: %d, not above %d", v, last)
	}
}

func testSpoolAndRaw(t *testing.T, open Factory) {
	s := fresh(t, open)
	head, body := []byte("Received: by test\r\n"), bytes.Repeat([]byte("mail body\r\n"), 1000)
	mail, err := s.Spool(head, body)
	if err != nil {
		t.Fatal(err)
	}
	rec := &store.Message{ID: store.NewID(time.Now()), Received: time.Now(), MailFrom: "a@customer.example", Rcpt: []string{"support@support.test"}, Size: len(body), Disposition: "relay"}
	own := []byte("From: support@support.test\r\n\r\nan acknowledgement\r\n")
	err = s.Update(context.Background(), func(txn *store.Txn) error {
		if err := txn.PutMessage(rec, mail); err != nil {
			return err
		}
		return txn.PutRaw("ack-1", own)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(func(txn *store.Txn) error {
		got, err := txn.GetRaw(rec.ID)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, append(append([]byte(nil), head...), body...)) {
			return fmt.Errorf("GetRaw of the spooled mail: %d bytes, want %d", len(got), len(head)+len(body))
		}
		if got, err := txn.GetRaw("ack-1"); err != nil || !bytes.Equal(got, own) {
			return fmt.Errorf("GetRaw of PutRaw: %q, %v", got, err)
		}
		m, err := txn.GetMessage(rec.ID)
		if err != nil {
			return err
		}
		if m.MailFrom != rec.MailFrom || m.Size != rec.Size {
			return fmt.Errorf("GetMessage = %+v", m)
		}
		if _, err := txn.GetRaw("nope"); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("GetRaw of a missing id: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

func testDurableAcrossReopen(t *testing.T, open Factory) {
	dir := t.TempDir()
	s := open(t, dir)
	mail, err := s.Spool([]byte("Subject: kept\r\n\r\nkept\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	rec := &store.Message{ID: store.NewID(time.Now()), Received: time.Now(), Disposition: "relay"}
	err = s.Update(context.Background(), func(txn *store.Txn) error {
		if err := txn.Set([]byte("misc/kept"), []byte("yes")); err != nil {
			return err
		}
		return txn.PutMessage(rec, mail)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = open(t, dir)
	defer s.Close()
	if v, err := get(t, s, "misc/kept"); err != nil || v != "yes" {
		t.Errorf("after reopening: %q, %v", v, err)
	}
	err = s.View(func(txn *store.Txn) error {
		raw, err := txn.GetRaw(rec.ID)
		if err == nil && string(raw) != "Subject: kept\r\n\r\nkept\r\n" {
			err = fmt.Errorf("mail %q", raw)
		}
		return err
	})
	if err != nil {
		t.Errorf("spooled mail after reopening: %v", err)
	}
}

func testClosed(t *testing.T, open Factory) {
	s := open(t, t.TempDir())
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	err := s.Update(context.Background(), func(txn *store.Txn) error { return nil })
	if !errors.Is(err, store.ErrClosed) {
		t.Errorf("Update after Close: %v, want ErrClosed", err)
	}
	done := make(chan error, 1)
	s.UpdateLater(func(txn *store.Txn) error { return nil }, func(err error) { done <- err })
	if err := <-done; !errors.Is(err, store.ErrClosed) {
		t.Errorf("UpdateLater after Close: %v, want ErrClosed", err)
	}
}

func acquire(t *testing.T, s *store.Store, name, holder string, now time.Time, ttl time.Duration) bool {
	t.Helper()
	ok, err := s.AcquireLease(context.Background(), name, holder, now, ttl)
	if err != nil {
		t.Fatalf("AcquireLease(%s, %s): %v", name, holder, err)
	}
	return ok
}

func leaseOf(t *testing.T, s *store.Store, name string) store.Lease {
	t.Helper()
	var l store.Lease
	err := s.View(func(txn *store.Txn) error {
		var err error
		l, err = txn.GetLease(name)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// testLease: a lease is taken when free, renewed by its holder, refused
// to others until it expires, taken over after, and released only by its
// holder. The clock is the caller's, so expiry needs no waiting.
func testLease(t *testing.T, open Factory) {
	s := fresh(t, open)
	t0 := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	const ttl = 10 * time.Second
	steps := []struct {
		holder string
		at     time.Duration
		want   bool
	}{
		{"a", 0, true},                 // free
		{"b", 5 * time.Second, false},  // a's
		{"a", 5 * time.Second, true},   // renewed: until 15s
		{"b", 14 * time.Second, false}, // still a's thanks to the renewal
		{"b", 15 * time.Second, true},  // expired at 15s: taken over
		{"a", 16 * time.Second, false}, // a lost it
		{"b", 20 * time.Second, true},  // b renews
	}
	for _, st := range steps {
		if got := acquire(t, s, "scanner", st.holder, t0.Add(st.at), ttl); got != st.want {
			t.Fatalf("%s at +%v: AcquireLease = %v, want %v (lease %+v)", st.holder, st.at, got, st.want, leaseOf(t, s, "scanner"))
		}
	}
	if l := leaseOf(t, s, "scanner"); l.Holder != "b" || !l.Until.Equal(t0.Add(30*time.Second)) {
		t.Errorf("lease = %+v, want b until +30s", l)
	}
	// Another name is another lease.
	if !acquire(t, s, "retention", "a", t0.Add(20*time.Second), ttl) {
		t.Error("a lease of another name was refused")
	}
	// Only the holder releases.
	if err := s.ReleaseLease(context.Background(), "scanner", "a"); err != nil {
		t.Fatal(err)
	}
	if l := leaseOf(t, s, "scanner"); l.Holder != "b" {
		t.Errorf("a released b's lease: %+v", l)
	}
	if err := s.ReleaseLease(context.Background(), "scanner", "b"); err != nil {
		t.Fatal(err)
	}
	if l := leaseOf(t, s, "scanner"); l.Held(t0.Add(21 * time.Second)) {
		t.Errorf("after release: %+v", l)
	}
	if !acquire(t, s, "scanner", "a", t0.Add(21*time.Second), ttl) {
		t.Error("a released lease was not free")
	}
	if _, err := s.AcquireLease(context.Background(), "x", "", t0, ttl); err == nil {
		t.Error("a lease without a holder was taken")
	}
}

// leaseRace has n holders, spread over stores, take one lease at the
// same instant and returns how many got it.
func leaseRace(t *testing.T, stores []*store.Store, n int) (winners []string) {
	t.Helper()
	now := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			holder := "node-" + strconv.Itoa(i)
			ok, err := stores[i%len(stores)].AcquireLease(context.Background(), "race", holder, now, time.Minute)
			if err != nil {
				t.Error(err)
				return
			}
			if ok {
				mu.Lock()
				winners = append(winners, holder)
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	if l := leaseOf(t, stores[0], "race"); len(winners) == 1 && l.Holder != winners[0] {
		t.Errorf("the winner was %s but the lease names %s", winners[0], l.Holder)
	}
	return winners
}

// testLeaseRace: holders taking a free lease at once conflict, and
// exactly one of them gets it.
func testLeaseRace(t *testing.T, open Factory) {
	s := fresh(t, open)
	if w := leaseRace(t, []*store.Store{s}, 20); len(w) != 1 {
		t.Errorf("holders of one lease: %q, want exactly one", w)
	}
}

// testLeaseOneHolder: two stores on one database (two nodes) racing for
// one lease: exactly one holder.
func testLeaseOneHolder(t *testing.T, open Factory) {
	dir := t.TempDir()
	a, b := open(t, dir), open(t, dir)
	t.Cleanup(func() { a.Close(); b.Close() })
	if a.Holder() == b.Holder() {
		t.Fatalf("two stores share the holder name %q", a.Holder())
	}
	if w := leaseRace(t, []*store.Store{a, b}, 20); len(w) != 1 {
		t.Errorf("holders of one lease across two nodes: %q, want exactly one", w)
	}
}

// testLeaseTakeover: a node that dies holding a lease (closed without
// releasing it) keeps it only until it expires; the other node then takes
// it.
func testLeaseTakeover(t *testing.T, open Factory) {
	dir := t.TempDir()
	a, b := open(t, dir), open(t, dir)
	t.Cleanup(func() { b.Close() })
	t0 := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	const ttl = 15 * time.Second
	if !acquire(t, a, "scanner", a.Holder(), t0, ttl) {
		t.Fatal("the first node did not get a free lease")
	}
	if acquire(t, b, "scanner", b.Holder(), t0.Add(ttl-time.Millisecond), ttl) {
		t.Fatal("the second node took a lease before it expired")
	}
	a.Close() // killed: the lease is left behind
	if !acquire(t, b, "scanner", b.Holder(), t0.Add(ttl), ttl) {
		t.Fatalf("the second node could not take over an expired lease: %+v", leaseOf(t, b, "scanner"))
	}
	if l := leaseOf(t, b, "scanner"); l.Holder != b.Holder() {
		t.Errorf("lease after takeover: %+v", l)
	}
}
