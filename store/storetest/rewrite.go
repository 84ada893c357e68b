package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
