package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/store"
)

// testEmptyValues: an index entry is a key with a nil value (Set(k,
// nil)), which reads back as present and empty, also with a TTL and in a
// walk; a backend that stored it as SQL NULL refused every commit with
// such a key (the first mail's queue index did).
func testEmptyValues(t *testing.T, open Factory) {
	s := fresh(t, open)
	err := s.Update(context.Background(), func(txn *store.Txn) error {
		if err := txn.Set([]byte("ix/e/a"), nil); err != nil {
			return err
		}
		if err := txn.Set([]byte("ix/e/b"), []byte{}); err != nil {
			return err
		}
		return txn.SetTTL([]byte("ix/e/c"), nil, time.Hour)
	})
	if err != nil {
		t.Fatalf("Update with empty values: %v", err)
	}
	err = s.View(func(txn *store.Txn) error {
		for _, k := range []string{"ix/e/a", "ix/e/b", "ix/e/c"} {
			v, err := txn.Get([]byte(k))
			if err != nil || len(v) != 0 {
				t.Errorf("Get(%s) = %q, %v; want empty", k, v, err)
			}
			if ok, err := txn.Has([]byte(k)); !ok || err != nil {
				t.Errorf("Has(%s) = %v, %v", k, ok, err)
			}
		}
		n := 0
		err := txn.Iterate([]byte("ix/e/"), nil, true, func(_, v []byte) error {
			if len(v) != 0 {
				t.Errorf("walk value %q, want empty", v)
			}
			n++
			return nil
		})
		if n != 3 {
			t.Errorf("walk met %d keys, want 3", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
