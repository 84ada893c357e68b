package intake

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// blockingAcker builds acknowledgements as suppressFrom does, but each
// Ack waits until release is closed, after saying so on entered.
type blockingAcker struct {
	suppressFrom
	entered chan string
	release chan struct{}
}

func (a blockingAcker) Ack(t *ticket.Ticket, d Department, m *message.Message, p AckPlan, tmpl string, now time.Time) ([]byte, string, error) {
	a.entered <- t.Tag
	<-a.release
	return a.suppressFrom.Ack(t, d, m, p, tmpl, now)
}

// TestAckBuiltBeforeTheCommit: the acknowledgement of a mail that opens a
// ticket is built before its commit, on the session's goroutine, with the
// number the ticket gets: while it is being built the committer commits
// other Updates (inside the commit it held them all: the committer runs
// functions one after another), and the acknowledgement queued names the
// ticket the mail opened.
func TestAckBuiltBeforeTheCommit(t *testing.T) {
	in, st := newIntake(t, Decision{Department: "support", Priority: "normal"})
	a := blockingAcker{entered: make(chan string, 1), release: make(chan struct{})}
	in.Acker = a
	var once sync.Once
	release := func() { once.Do(func() { close(a.release) }) }
	t.Cleanup(release) // before the store closes: a failing test does not hang
	type result struct {
		id  string
		err error
	}
	done := make(chan result, 1)
	go func() {
		id, err := in.Accept(context.Background(), env, []byte("From: a@customer.test\r\nSubject: kettle\r\nMessage-ID: <k1@customer.test>\r\n\r\nbroken\r\n"))
		done <- result{id, err}
	}()
	var tag string
	select {
	case tag = <-a.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the acknowledgement was never built")
	}
	other := make(chan error, 1)
	go func() {
		other <- st.Update(context.Background(), func(txn *store.Txn) error { return txn.Set([]byte("misc/other"), []byte("v")) })
	}()
	select {
	case err := <-other:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("another Update waited for the acknowledgement to be built: it is built inside the commit")
	}
	release()
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	var rec *store.Message
	var ackRaw []byte
	st.View(func(txn *store.Txn) error {
		rec, _ = txn.GetMessage(r.id)
		return nil
	})
	if rec == nil || rec.Ticket != tag {
		t.Fatalf("the mail opened %v, the acknowledgement was built for %s", rec, tag)
	}
	items := ackItems(t, st)
	if len(items) != 1 {
		t.Fatalf("%d acknowledgements queued, want 1", len(items))
	}
	st.View(func(txn *store.Txn) error {
		its, _ := txn.GetRaw(ackBodyID(t, st))
		ackRaw = its
		return nil
	})
	if !strings.Contains(string(ackRaw), "["+tag+"]") {
		t.Errorf("the acknowledgement queued is %q, want the one for %s", ackRaw, tag)
	}
}

// ackBodyID is the mail of the one acknowledgement queued in st.
func ackBodyID(t *testing.T, st *store.Store) string {
	t.Helper()
	items, err := queue.List(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Kind == "ack" {
			return it.BodyID
		}
	}
	t.Fatal("no acknowledgement queued")
	return ""
}
