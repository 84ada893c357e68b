package intake

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
)

// mimeBomb is a ~3 MB mail nested depth multiparts deep.
func mimeBomb(depth int) []byte {
	var b bytes.Buffer
	b.WriteString("From: bomb@evil.example\r\nSubject: nested\r\nMessage-ID: <bomb@evil.example>\r\nContent-Type: multipart/mixed; boundary=\"b0\"\r\n\r\n")
	for i := 1; i < depth; i++ {
		fmt.Fprintf(&b, "--b%d\r\nContent-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n", i-1, i)
	}
	fmt.Fprintf(&b, "--b%d\r\nContent-Type: text/plain\r\n\r\n", depth-1)
	for b.Len() < 3<<20 {
		b.WriteString(strings.Repeat("x", 76) + "\r\n")
	}
	for i := depth - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\r\n", i)
	}
	return b.Bytes()
}

// Issue 17, item 4: a 3 MB mail nested 40,000 MIME levels deep cost ~39 s
// of CPU, and two of them delayed a legitimate mail by 36 s. Now it is
// accepted, kept and relayed raw (as unparseable mail is) at once, and
// legitimate mail sent meanwhile is filed within a second or two.
func TestMIMENestingBombIsRelayedRawAndDelaysNobody(t *testing.T) {
	dir := t.TempDir() // on disk: 3 MB is over an in-memory store's value limit
	st, err := store.Open(filepath.Join(dir, "store"), store.Options{SpoolDir: filepath.Join(dir, "mail")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	in := New(Options{Store: st, Queue: queue.New(st, queue.Config{}, nil, nil, nil), Router: fixed{Decision{Department: "support"}}, Hostname: "mx.test",
		Numbers: &counter{n: 1000}})
	bomb := mimeBomb(40000)
	type result struct {
		id  string
		err error
		d   time.Duration
	}
	bombs := make(chan result, 2)
	for range 2 {
		go func() {
			t0 := time.Now()
			id, err := in.Accept(context.Background(), env, bomb)
			bombs <- result{id, err, time.Since(t0)}
		}()
	}
	t0 := time.Now()
	legitID, err := in.Accept(context.Background(), env, []byte("From: a@customer.test\r\nSubject: kettle\r\nMessage-ID: <legit@customer.test>\r\n\r\nbroken\r\n"))
	if d := time.Since(t0); err != nil || d > 2*time.Second {
		t.Errorf("legitimate mail: %v after %v, want accepted within 2 s", err, d)
	}
	for range 2 {
		r := <-bombs
		if r.err != nil {
			t.Fatalf("bomb: %v, want accepted", r.err)
		}
		if r.d > 3*time.Second {
			t.Errorf("bomb took %v to accept", r.d)
		}
		var rec *store.Message
		var raw []byte
		st.View(func(txn *store.Txn) error {
			rec, _ = txn.GetMessage(r.id)
			raw, _ = txn.GetRaw(r.id)
			return nil
		})
		if rec == nil || !strings.Contains(rec.ParseError, "too deep") || rec.Subject != "nested" || !bytes.HasSuffix(raw, bomb) {
			t.Errorf("bomb record: %+v (%d raw bytes), want kept raw with its parse error", rec, len(raw))
		}
	}
	items, err := queue.List(st)
	if err != nil {
		t.Fatal(err)
	}
	relays := 0
	for _, it := range items {
		if it.Kind == "relay" {
			relays++
		}
	}
	if relays != 3 {
		t.Errorf("%d relays queued, want 3 (two bombs raw, one legitimate mail %s)", relays, legitID)
	}
}
