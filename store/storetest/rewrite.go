package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/store"
)

// testLastWriteWins: a key written several times in one Update, with no
// read of it in between, keeps the last write, whichever kinds they are
// (a store may send only the last of them).
func testLastWriteWins(t *testing.T, open Factory) {
	s := fresh(t, open)
	set(t, s, "misc/l/del-set", "old", "misc/l/set-del", "old")
	err := s.Update(context.Background(), func(txn *store.Txn) error {
		steps := []struct {
			op, key, val string
		}{
			{"set", "misc/l/twice", "1"},
			{"set", "misc/l/other", "x"},
			{"set", "misc/l/twice", "2"},
			{"ttl", "misc/l/ttl-set", "1"},
			{"set", "misc/l/ttl-set", "2"},
			{"set", "misc/l/set-ttl", "1"},
			{"ttl", "misc/l/set-ttl", "2"},
			{"del", "misc/l/del-set", ""},
			{"set", "misc/l/del-set", "new"},
			{"set", "misc/l/set-del", "new"},
			{"del", "misc/l/set-del", ""},
			{"set", "misc/l/thrice", "1"},
			{"set", "misc/l/thrice", "2"},
			{"set", "misc/l/thrice", "3"},
		}
		for _, st := range steps {
			var err error
			switch st.op {
			case "set":
				err = txn.Set([]byte(st.key), []byte(st.val))
			case "ttl":
				err = txn.SetTTL([]byte(st.key), []byte(st.val), time.Hour)
			case "del":
				err = txn.Delete([]byte(st.key))
			}
			if err != nil {
				return fmt.Errorf("%s %s: %w", st.op, st.key, err)
			}
		}
		// A read between two writes of a key, then the second write.
		if v, err := txn.Get([]byte("misc/l/twice")); err != nil || string(v) != "2" {
			return fmt.Errorf("inside: misc/l/twice = %q, %v; want 2", v, err)
		}
		return txn.Set([]byte("misc/l/twice"), []byte("3"))
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"misc/l/twice": "3", "misc/l/other": "x", "misc/l/ttl-set": "2", "misc/l/set-ttl": "2",
		"misc/l/del-set": "new", "misc/l/thrice": "3"}
	for k, w := range want {
		if v, err := get(t, s, k); err != nil || v != w {
			t.Errorf("%s = %q, %v; want %q", k, v, err, w)
		}
	}
	if v, err := get(t, s, "misc/l/set-del"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("misc/l/set-del = %q, %v; want not found", v, err)
	}
	keys, _ := walk(t, s, false, "misc/l/", "", false, 0)
	if w := []string{"misc/l/del-set", "misc/l/other", "misc/l/set-ttl", "misc/l/thrice", "misc/l/ttl-set", "misc/l/twice"}; !slices.Equal(keys, w) {
		t.Errorf("keys %q, want %q", keys, w)
	}
}

// testWalkThenRead: in one Update, walks of a range and reads of keys in
// it see every write of the Update made before them, however often the
// range is walked (a store may answer a walk, or a read of a key the walk
// did not meet, from an earlier walk of the same range).
func testWalkThenRead(t *testing.T, open Factory) {
	s := fresh(t, open)
	set(t, s, "ix/wk/a", "1", "ix/wk/c", "3", "ix/wl/z", "z")
	keysOf := func(txn *store.Txn, prefix, start string, reverse, values bool, stopAfter int) (string, error) {
		var out []string
		fn := func(k, v []byte) error {
			e := string(k)
			if values {
				e += "=" + string(v)
			} else if v != nil {
				return fmt.Errorf("%s: a value %q from a walk of keys", k, v)
			}
			out = append(out, e)
			if len(out) == stopAfter {
				return store.ErrStop
			}
			return nil
		}
		var err error
		switch {
		case reverse:
			err = txn.IterateReverse([]byte(prefix), values, fn)
		case start != "":
			err = txn.Iterate([]byte(prefix), []byte(start), values, fn)
		default:
			err = txn.Iterate([]byte(prefix), nil, values, fn)
		}
		return strings.Join(out, " "), err
	}
	err := s.Update(context.Background(), func(txn *store.Txn) error {
		check := func(what, got string, err error, want string) error {
			if err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			if got != want {
				return fmt.Errorf("%s = %q, want %q", what, got, want)
			}
			return nil
		}
		has := func(k string) string {
			ok, err := txn.Has([]byte(k))
			if err != nil {
				return "error " + err.Error()
			}
			return fmt.Sprint(ok)
		}
		value := func(k string) string {
			v, err := txn.Get([]byte(k))
			if err != nil {
				return "error " + err.Error()
			}
			return string(v)
		}
		var errs []error
		add := func(err error) { errs = append(errs, err) }
		got, err := keysOf(txn, "ix/wk/", "", false, false, 0)
		add(check("first walk", got, err, "ix/wk/a ix/wk/c"))
		add(check("Has b", has("ix/wk/b"), nil, "false"))
		add(check("Has a", has("ix/wk/a"), nil, "true"))
		add(check("Get a", value("ix/wk/a"), nil, "1"))
		add(check("Get c", value("ix/wk/c"), nil, "3"))
		got, err = keysOf(txn, "ix/wk/", "", false, true, 0)
		add(check("walk with values", got, err, "ix/wk/a=1 ix/wk/c=3"))
		got, err = keysOf(txn, "ix/wk/", "", true, false, 1)
		add(check("reverse walk stopped", got, err, "ix/wk/c"))
		add(txn.Set([]byte("ix/wk/b"), []byte("2")))
		add(check("Get b after Set", value("ix/wk/b"), nil, "2"))
		got, err = keysOf(txn, "ix/wk/", "", false, true, 0)
		add(check("walk after Set", got, err, "ix/wk/a=1 ix/wk/b=2 ix/wk/c=3"))
		got, err = keysOf(txn, "ix/wk/", "", true, true, 0)
		add(check("reverse walk after Set", got, err, "ix/wk/c=3 ix/wk/b=2 ix/wk/a=1"))
		got, err = keysOf(txn, "ix/wk/", "ix/wk/b", false, false, 0)
		add(check("walk from b", got, err, "ix/wk/b ix/wk/c"))
		add(txn.Delete([]byte("ix/wk/a")))
		add(check("Has a after Delete", has("ix/wk/a"), nil, "false"))
		got, err = keysOf(txn, "ix/wk/", "", false, false, 0)
		add(check("walk after Delete", got, err, "ix/wk/b ix/wk/c"))
		// A write inside a walk of the range, then the range again.
		err = txn.Iterate([]byte("ix/wk/"), nil, false, func(k, _ []byte) error {
			return txn.Set(append(k, '2'), []byte("w"))
		})
		add(err)
		got, err = keysOf(txn, "ix/wk/", "", false, true, 0)
		add(check("walk after writes in a walk", got, err, "ix/wk/b=2 ix/wk/b2=w ix/wk/c=3 ix/wk/c2=w"))
		// An empty range.
		got, err = keysOf(txn, "ix/none/", "", false, false, 0)
		add(check("empty walk", got, err, ""))
		add(check("Has in the empty range", has("ix/none/x"), nil, "false"))
		add(check("Get in the empty range", value("ix/none/x"), nil, "error "+store.ErrNotFound.Error()))
		add(txn.SetTTL([]byte("ix/none/x"), []byte("t"), time.Hour))
		add(check("Has after SetTTL", has("ix/none/x"), nil, "true"))
		got, err = keysOf(txn, "ix/none/", "", true, true, 0)
		add(check("walk after SetTTL", got, err, "ix/none/x=t"))
		// A neighbouring range is not the walked one.
		add(check("Get z", value("ix/wl/z"), nil, "z"))
		return errors.Join(errs...)
	})
	if err != nil {
		t.Fatal(err)
	}
	keys, vals := walk(t, s, false, "ix/", "", true, 0)
	if w := []string{"ix/none/x", "ix/wk/b", "ix/wk/b2", "ix/wk/c", "ix/wk/c2", "ix/wl/z"}; !slices.Equal(keys, w) {
		t.Errorf("after commit: keys %q, want %q", keys, w)
	}
	if w := []string{"t", "2", "w", "3", "w", "z"}; !slices.Equal(vals, w) {
		t.Errorf("after commit: values %q, want %q", vals, w)
	}
	// In a View too.
	err = s.View(func(txn *store.Txn) error {
		got, err := keysOf(txn, "ix/wk/", "", false, false, 0)
		if err != nil || got != "ix/wk/b ix/wk/b2 ix/wk/c ix/wk/c2" {
			return fmt.Errorf("walk in a View = %q, %v", got, err)
		}
		if ok, err := txn.Has([]byte("ix/wk/a")); ok || err != nil {
			return fmt.Errorf("Has a in a View = %v, %v", ok, err)
		}
		if v, err := txn.Get([]byte("ix/wk/c2")); string(v) != "w" || err != nil {
			return fmt.Errorf("Get c2 in a View = %q, %v", v, err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// testPrefetch: keys read ahead (Txn.Prefetch) read back as Get, Has and
// GetRaw read them without it, also after the transaction writes them,
// missing or expired ones included.
func testPrefetch(t *testing.T, open Factory) {
	s := fresh(t, open)
	set(t, s, "misc/pf/a", "1", "misc/pf/b", "")
	err := s.Update(context.Background(), func(txn *store.Txn) error {
		if err := txn.PutRaw("pf1", []byte("mail one")); err != nil {
			return err
		}
		return txn.SetTTL([]byte("misc/pf/short"), []byte("x"), time.Millisecond)
	})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond) // misc/pf/short expires (a TTL, not synchronisation)
	keys := [][]byte{[]byte("misc/pf/a"), []byte("misc/pf/b"), []byte("misc/pf/none"), []byte("misc/pf/short"),
		[]byte("raw/pf1"), []byte("raw/pf-none")}
	err = s.Update(context.Background(), func(txn *store.Txn) error {
		if err := txn.Prefetch(keys...); err != nil {
			return err
		}
		var errs []error
		check := func(what, got, want string) {
			if got != want {
				errs = append(errs, fmt.Errorf("%s = %q, want %q", what, got, want))
			}
		}
		show := func(v []byte, err error) string {
			if err != nil {
				if errors.Is(err, store.ErrNotFound) {
					return "not found"
				}
				return err.Error()
			}
			return "=" + string(v)
		}
		check("Get a", show(txn.Get([]byte("misc/pf/a"))), "=1")
		check("Get b", show(txn.Get([]byte("misc/pf/b"))), "=")
		check("Get none", show(txn.Get([]byte("misc/pf/none"))), "not found")
		check("Get short", show(txn.Get([]byte("misc/pf/short"))), "not found")
		has, err := txn.Has([]byte("misc/pf/b"))
		check("Has b", fmt.Sprint(has, err), "true <nil>")
		check("GetRaw pf1", show(txn.GetRaw("pf1")), "=mail one")
		check("GetRaw pf-none", show(txn.GetRaw("pf-none")), "not found")
		// Writes after the read ahead win.
		if err := txn.PutRaw("pf1", []byte("mail two")); err != nil {
			return err
		}
		check("GetRaw pf1 after PutRaw", show(txn.GetRaw("pf1")), "=mail two")
		if err := txn.Set([]byte("misc/pf/a"), []byte("2")); err != nil {
			return err
		}
		check("Get a after Set", show(txn.Get([]byte("misc/pf/a"))), "=2")
		if err := txn.Prefetch(keys...); err != nil { // again: nothing changes
			return err
		}
		check("Get a after a second Prefetch", show(txn.Get([]byte("misc/pf/a"))), "=2")
		check("GetRaw pf1 after a second Prefetch", show(txn.GetRaw("pf1")), "=mail two")
		if err := txn.Delete([]byte("raw/pf1")); err != nil {
			return err
		}
		check("GetRaw pf1 after its Delete", show(txn.GetRaw("pf1")), "not found")
		return errors.Join(errs...)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(func(txn *store.Txn) error {
		if err := txn.Prefetch(keys...); err != nil {
			return err
		}
		if v, err := txn.Get([]byte("misc/pf/a")); err != nil || string(v) != "2" {
			return fmt.Errorf("in a View: Get a = %q, %v", v, err)
		}
		if _, err := txn.GetRaw("pf1"); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("in a View: GetRaw pf1: %v, want not found", err)
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
}

// testReadsAhead: Updates that say which keys they read (UpdateReading,
// UpdateLaterReading) are Updates: concurrent read-modify-writes of one
// counter, one of them failing after its write, count each success once,
// and each sees the writes committed or made in its batch before it. A
// View that says its next read is its last (Txn.Last) reads as any.
func testReadsAhead(t *testing.T, open Factory) {
	s := fresh(t, open)
	set(t, s, "misc/ra/n", "0")
	if err := s.Update(context.Background(), func(txn *store.Txn) error { return txn.PutRaw("ra1", []byte("mail ra")) }); err != nil {
		t.Fatal(err)
	}
	keys := [][]byte{[]byte("misc/ra/n"), []byte("raw/ra1"), []byte("misc/ra/none")}
	const n = 12
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = s.UpdateReading(context.Background(), keys, func(txn *store.Txn) error {
				v, err := txn.Get(keys[0])
				if err != nil {
					return err
				}
				if raw, err := txn.GetRaw("ra1"); err != nil || string(raw) != "mail ra" {
					return fmt.Errorf("GetRaw = %q, %v", raw, err)
				}
				if _, err := txn.Get(keys[2]); !errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("Get none: %v", err)
				}
				c, _ := strconv.Atoi(string(v))
				if err := txn.Set(keys[0], []byte(strconv.Itoa(c+1))); err != nil {
					return err
				}
				if i == 3 {
					return errors.New("fails after its write")
				}
				return nil
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if (err != nil) != (i == 3) {
			t.Errorf("update %d: %v", i, err)
		}
	}
	done := make(chan error, 1)
	s.UpdateLaterReading(keys[:1], func(txn *store.Txn) error {
		v, err := txn.Get(keys[0])
		if err != nil {
			return err
		}
		return txn.Set([]byte("misc/ra/copy"), v)
	}, func(err error) { done <- err })
	if err := <-done; err != nil {
		t.Fatalf("UpdateLaterReading: %v", err)
	}
	var v, raw []byte
	err := s.View(func(txn *store.Txn) error {
		keys := [][]byte{[]byte("misc/ra/n"), []byte("misc/ra/copy"), []byte("raw/ra1")}
		txn.Last()
		if err := txn.Prefetch(keys...); err != nil {
			return err
		}
		var err error
		if v, err = txn.Get(keys[0]); err != nil {
			return err
		}
		if c, err := txn.Get(keys[1]); err != nil || string(c) != string(v) {
			return fmt.Errorf("misc/ra/copy = %q, %v; want %q", c, err, v)
		}
		raw, err = txn.GetRaw("ra1")
		return err
	})
	if err != nil || string(v) != strconv.Itoa(n-1) || string(raw) != "mail ra" {
		t.Errorf("after them: misc/ra/n = %q, raw = %q, %v; want %d, %q", v, raw, err, n-1, "mail ra")
	}
}

// testWalksAhead: Updates that say which prefixes they walk
// (UpdateWalking) are Updates: concurrent functions that each count the
// keys of one prefix and add one there, one of them failing after its
// write, see every key committed or added before them in their batch
// (walking forward, back, and reading a missing key), and add theirs once.
func testWalksAhead(t *testing.T, open Factory) {
	s := fresh(t, open)
	set(t, s, "misc/wa/p/0", "x")
	prefix := []byte("misc/wa/p/")
	const n = 12
	errs := make([]error, n)
	counts := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			errs[i] = s.UpdateWalking(context.Background(), nil, [][]byte{prefix}, func(txn *store.Txn) error {
				fwd, back := 0, 0
				if err := txn.Iterate(prefix, nil, true, func(_, _ []byte) error { fwd++; return nil }); err != nil {
					return err
				}
				if err := txn.IterateReverse(prefix, false, func(_, _ []byte) error { back++; return nil }); err != nil {
					return err
				}
				if fwd != back {
					return fmt.Errorf("walked %d keys forward and %d back", fwd, back)
				}
				if _, err := txn.Get([]byte("misc/wa/p/none")); !errors.Is(err, store.ErrNotFound) {
					return fmt.Errorf("Get none: %v", err)
				}
				counts[i] = fwd
				if err := txn.Set(fmt.Appendf(nil, "misc/wa/p/k%02d", i), []byte("v")); err != nil {
					return err
				}
				if i == 3 {
					return errors.New("fails after its write")
				}
				return nil
			})
		})
	}
	wg.Wait()
	seen := map[int]bool{}
	for i, err := range errs {
		if (err != nil) != (i == 3) {
			t.Errorf("update %d: %v", i, err)
		}
		if err == nil {
			// Each successful function ran after a different number of
			// others had added their key: 1 (the first key) to n-1.
			if seen[counts[i]] || counts[i] < 1 || counts[i] > n-1 {
				t.Errorf("update %d counted %d keys (counts %v)", i, counts[i], counts)
			}
			seen[counts[i]] = true
		}
	}
	var keys []string
	if err := s.View(func(txn *store.Txn) error {
		return txn.Iterate(prefix, nil, false, func(k, _ []byte) error { keys = append(keys, string(k)); return nil })
	}); err != nil {
		t.Fatal(err)
	}
	if len(keys) != n || slices.Contains(keys, "misc/wa/p/k03") {
		t.Errorf("the prefix holds %q, want the first key and the %d successful updates' (not k03's)", keys, n-1)
	}
}
