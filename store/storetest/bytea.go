package storetest

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/store"
)

// testOddBytesRoundTrip: the writes of one Update, which a backend may
// send together (PostgreSQL: one bytea[] per statement), read back byte
// for byte: keys ending in every byte value (NUL, 0xff, half a UTF-8
// sequence), values nil, empty, a NUL and 1 MiB, with and without a TTL;
// mails of 20 MiB (spooled and put raw) beside an empty one; and a second
// Update that deletes half those keys and rewrites the others.
func testOddBytesRoundTrip(t *testing.T, open Factory) {
	s := fresh(t, open)
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	key := func(i int) []byte { return []byte{'i', 'x', '/', 'o', '/', byte(i)} }
	want := map[string][]byte{}
	for i := range 256 {
		var v []byte
		switch i % 5 {
		case 0: // nil: stored as empty
		case 1:
			v = []byte{}
		case 2:
			v = []byte{0}
		case 3:
			v = []byte{byte(i), 0, 0xff, 0xc3}
		case 4:
			if i == 4 {
				v = random(1 << 20)
			} else {
				v = random(i)
			}
		}
		want[string(key(i))] = v
	}
	head := []byte("Received: by test\r\n")
	big, big2 := random(20<<20), random(20<<20)
	spooled, err := s.Spool(head, big)
	if err != nil {
		t.Fatal(err)
	}
	rec := &store.Message{ID: store.NewID(time.Now()), Received: time.Now(), MailFrom: "a@customer.example", Rcpt: []string{"support@support.test"}, Size: len(head) + len(big), Disposition: "relay"}
	small, err := s.Spool([]byte("Subject: x\r\n\r\nsmall\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	rec2 := &store.Message{ID: store.NewID(time.Now().Add(time.Millisecond)), Received: time.Now(), MailFrom: "b@customer.example", Rcpt: []string{"support@support.test"}, Size: 21, Disposition: "relay"}
	err = s.Update(context.Background(), func(txn *store.Txn) error {
		for i := range 256 {
			k := key(i)
			if i%3 == 0 {
				if err := txn.SetTTL(k, want[string(k)], time.Hour); err != nil {
					return err
				}
				continue
			}
			if err := txn.Set(k, want[string(k)]); err != nil {
				return err
			}
		}
		if err := txn.PutMessage(rec, spooled); err != nil {
			return err
		}
		if err := txn.PutMessage(rec2, small); err != nil {
			return err
		}
		if err := txn.PutRaw("big-raw", big2); err != nil {
			return err
		}
		return txn.PutRaw("empty-raw", []byte{})
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	check := func(when string) {
		t.Helper()
		err := s.View(func(txn *store.Txn) error {
			n := 0
			err := txn.Iterate([]byte("ix/o/"), nil, true, func(k, v []byte) error {
				w, ok := want[string(k)]
				if !ok {
					return fmt.Errorf("walk met key %q, deleted or never written", k)
				}
				if !bytes.Equal(v, w) {
					return fmt.Errorf("walk: key %q: %d bytes, want %d", k, len(v), len(w))
				}
				n++
				return nil
			})
			if err != nil {
				return err
			}
			if n != len(want) {
				return fmt.Errorf("walk met %d keys, want %d", n, len(want))
			}
			for k, w := range want {
				v, err := txn.Get([]byte(k))
				if err != nil || !bytes.Equal(v, w) {
					return fmt.Errorf("Get(%q) = %d bytes, %v; want %d bytes", k, len(v), err, len(w))
				}
			}
			for _, c := range []struct {
				id   string
				want []byte
			}{{rec.ID, append(append([]byte(nil), head...), big...)}, {rec2.ID, []byte("Subject: x\r\n\r\nsmall\r\n")}, {"big-raw", big2}, {"empty-raw", []byte{}}} {
				got, err := txn.GetRaw(c.id)
				if err != nil || !bytes.Equal(got, c.want) {
					return fmt.Errorf("GetRaw(%s) = %d bytes, %v; want %d bytes", c.id, len(got), err, len(c.want))
				}
			}
			return nil
		})
		if err != nil {
			t.Errorf("%s: %v", when, err)
		}
	}
	check("after the first Update")

	// Delete the odd keys, rewrite the even ones swapped: the deletes
	// and sets of one Update go together too.
	before := make(map[string][]byte, len(want))
	for k, v := range want {
		before[k] = v
	}
	err = s.Update(context.Background(), func(txn *store.Txn) error {
		for i := range 256 {
			k := key(i)
			if i%2 == 1 {
				delete(want, string(k))
				if err := txn.Delete(k); err != nil {
					return err
				}
				continue
			}
			v := before[string(key(255-i))]
			want[string(k)] = bytes.Clone(v)
			if v == nil {
				want[string(k)] = []byte{}
			}
			if err := txn.Set(k, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("second Update: %v", err)
	}
	check("after the second Update")
}
