package store

import (
	"context"
	"errors"
	"sort"
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
	// Concurrent read-modify-write of one key: Update retries conflicts, so
	// no increment is lost.
	var wg sync.WaitGroup
	for range 20 {
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
	if n != 20 {
		t.Errorf("counter = %d after 20 concurrent increments", n)
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
