package queue

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/third_party/go-smtp"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
	"github.com/frontdesk-mail/frontdesk/store"
)

// upstream is an in-process go-smtp server whose answers the test sets.
type upstream struct {
	mu       sync.Mutex
	fail     error // returned from Data when set
	failed   int   // how many times Data returned fail
	got      [][]byte
	received chan struct{}
}

func (u *upstream) NewSession(*smtp.Conn) (smtp.Session, error) { return &upSession{u: u}, nil }

type upSession struct{ u *upstream }

func (s *upSession) Reset()                               {}
func (s *upSession) Logout() error                        { return nil }
func (s *upSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *upSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *upSession) Data(r io.Reader) error {
	b, _ := io.ReadAll(r)
	s.u.mu.Lock()
	defer s.u.mu.Unlock()
	if s.u.fail != nil {
		s.u.failed++
		return s.u.fail
	}
	s.u.got = append(s.u.got, b)
	s.u.received <- struct{}{}
	return nil
}

func startUpstream(t *testing.T) (*upstream, string) {
	u := &upstream{received: make(chan struct{}, 100)}
	srv := smtp.NewServer(u)
	srv.Domain = "upstream.test"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return u, ln.Addr().String()
}

func newStore(t *testing.T) *store.Store {
	st, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func enqueue(t *testing.T, st *store.Store, now time.Time, body string) *Item {
	t.Helper()
	it := &Item{ID: store.NewID(now), BodyID: "b" + store.NewID(now), Target: "agents", Kind: "relay", From: "a@customer.test",
		To: []string{"support@agents.test"}, Mailbox: "support", Created: now, Received: now,
		Headers: []Header{{"X-Frontdesk-Department", "support\r\nBcc: evil@x"}}}
	err := st.Update(context.Background(), func(txn *store.Txn) error {
		if err := txn.Set([]byte(store.PrefixRaw+it.BodyID), []byte(body)); err != nil {
			return err
		}
		return Add(txn, it)
	})
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func waitState(t *testing.T, st *store.Store, id, state string) *Item {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var it *Item
		st.View(func(txn *store.Txn) error { it, _ = Get(txn, id); return nil })
		if (it == nil && state == "gone") || (it != nil && it.State == state) {
			return it
		}
		if time.Now().After(deadline) {
			t.Fatalf("item %s never reached state %s (now %+v)", id, state, it)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestTemporaryFailureRetriesThenDelivers(t *testing.T) {
	u, addr := startUpstream(t)
	u.fail = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
	st := newStore(t)
	q := New(st, Config{MinBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, GiveUpAfter: time.Hour},
		map[TargetName]Target{"agents": &SMTP{Network: "tcp", Addr: addr, Helo: "mx.test"}}, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	it := enqueue(t, st, time.Now(), "Subject: hi\r\n\r\nbody\r\n")
	q.Kick()
	deferred := waitState(t, st, it.ID, StateDeferred)
	if !strings.Contains(deferred.LastError, "451") {
		t.Errorf("deferred item does not record the reply: %q", deferred.LastError)
	}
	u.mu.Lock()
	u.fail = nil
	u.mu.Unlock()
	<-u.received
	waitState(t, st, it.ID, "gone")
	got := string(u.got[0])
	if !strings.HasPrefix(got, "X-Frontdesk-Queue-Id: "+it.ID+"\r\n") {
		t.Errorf("relayed copy does not start with the queue id:\n%s", got)
	}
	if strings.Contains(got, "\r\nBcc: evil") {
		t.Errorf("CRLF in a header value injected a header:\n%s", got)
	}
}

func TestPermanentFailureIsKeptAsFailed(t *testing.T) {
	u, addr := startUpstream(t)
	u.fail = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	st := newStore(t)
	q := New(st, Config{MinBackoff: time.Hour, MaxBackoff: time.Hour, GiveUpAfter: time.Hour},
		map[TargetName]Target{"agents": &SMTP{Network: "tcp", Addr: addr, Helo: "mx.test"}}, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.Run(ctx); close(done) }()
	it := enqueue(t, st, time.Now(), "Subject: hi\r\n\r\nbody\r\n")
	q.Kick()
	failed := waitState(t, st, it.ID, StateFailed)
	cancel()
	<-done
	if failed.Attempts != 1 || !strings.Contains(failed.LastError, "550") {
		t.Errorf("failed item: %+v", failed)
	}
	// queue retry makes it due again; queue delete removes it.
	if n, err := Retry(context.Background(), st, time.Now(), it.ID); err != nil || n != 1 {
		t.Fatalf("Retry: %d, %v", n, err)
	}
	items, _ := List(st)
	if len(items) != 1 || items[0].State != StateReady {
		t.Fatalf("after retry: %+v", items)
	}
	if err := Delete(context.Background(), st, it.ID); err != nil {
		t.Fatal(err)
	}
	if err := Delete(context.Background(), st, it.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: %v; want ErrNotFound", err)
	}
}

func TestGiveUpAfter(t *testing.T) {
	st := newStore(t)
	// Nothing listens on this port: every attempt is a temporary failure.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	q := New(st, Config{MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, GiveUpAfter: time.Hour},
		map[TargetName]Target{"agents": &SMTP{Network: "tcp", Addr: addr}}, nil, nil)
	created := time.Now().Add(-2 * time.Hour) // older than give_up_after
	it := enqueue(t, st, created, "x")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.Run(ctx); close(done) }()
	failed := waitState(t, st, it.ID, StateFailed)
	cancel()
	<-done
	if !strings.Contains(failed.LastError, "connect") && !strings.Contains(failed.LastError, "refused") {
		t.Errorf("give-up does not say why: %q", failed.LastError)
	}
}

func TestBackoffGrowsWithJitterAndCap(t *testing.T) {
	q := New(nil, Config{MinBackoff: time.Second, MaxBackoff: 16 * time.Second}, nil, nil, nil)
	for attempts, full := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 5: 16 * time.Second, 20: 16 * time.Second} {
		for range 50 {
			d := q.backoff(attempts)
			if d < full/2 || d > full {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", attempts, d, full/2, full)
			}
		}
	}
}

func TestMaildirDelivery(t *testing.T) {
	root := t.TempDir()
	m := &Maildir{Root: root, Hostname: "mx.test"}
	it := &Item{ID: "q1", Mailbox: "support"}
	if err := m.Deliver(context.Background(), it, []byte("Subject: x\r\n\r\nbody\r\n")); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(filepath.Join(root, "support", "new"))
	if len(ents) != 1 {
		t.Fatalf("new/ holds %d files", len(ents))
	}
	if tmp, _ := os.ReadDir(filepath.Join(root, "support", "tmp")); len(tmp) != 0 {
		t.Errorf("tmp/ not empty after delivery")
	}
	b, _ := os.ReadFile(filepath.Join(root, "support", "new", ents[0].Name()))
	if !strings.HasPrefix(string(b), "Return-Path: <>\r\nX-Frontdesk-Queue-Id: q1\r\nSubject: x") {
		t.Errorf("content: %q", b)
	}
	if err := m.Deliver(context.Background(), &Item{ID: "q2", Mailbox: "../etc"}, nil); err == nil {
		t.Error("mailbox name with a path separator accepted")
	}
}

func TestDeliveredItemWaitsForItsRemovalWithoutGoingAgain(t *testing.T) {
	u, addr := startUpstream(t)
	// Removals of delivered items wait for a commit to share; with an hour
	// only the next item's Update commits them.
	st, err := store.Open("", store.Options{InMemory: true, LaterDelay: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	q := New(st, Config{MinBackoff: time.Minute, MaxBackoff: time.Hour, GiveUpAfter: time.Hour},
		map[TargetName]Target{"agents": &SMTP{Network: "tcp", Addr: addr, Helo: "mx.test"}}, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	a := enqueue(t, st, time.Now(), "Subject: a\r\n\r\nfirst\r\n")
	q.Kick()
	<-u.received
	waitLater(t, st, 1)
	// Its removal has not committed: the item is still in the store, due.
	if it := waitState(t, st, a.ID, StateReady); it == nil {
		t.Fatal("the delivered item's removal committed on its own")
	}
	for range 3 {
		q.Kick()
		items, _, err := q.due(map[string]bool{})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.ID == a.ID {
				t.Fatal("due hands out an item that was delivered and is waiting for its removal")
			}
		}
	}
	b := enqueue(t, st, time.Now(), "Subject: b\r\n\r\nsecond\r\n")
	waitState(t, st, a.ID, "gone") // b's commit took a's removal along
	q.Kick()
	<-u.received
	waitLater(t, st, 1)
	if err := st.Update(context.Background(), func(*store.Txn) error { return nil }); err != nil {
		t.Fatal(err)
	}
	waitState(t, st, b.ID, "gone")
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.got) != 2 || !strings.Contains(string(u.got[0]), "first") || !strings.Contains(string(u.got[1]), "second") {
		t.Errorf("upstream got %d mails; want first and second once each", len(u.got))
	}
}

// waitLater waits until n removals of delivered items wait for a commit.
func waitLater(t *testing.T, st *store.Store, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for st.Stats().Later < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d removals wait for a commit; want %d", st.Stats().Later, n)
		}
		runtime.Gosched()
	}
}

// logLines decodes the JSON log lines written so far.
func logLines(t *testing.T, buf *testenv.SyncBuffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// Ops follow one mail through the log by its queue id and ticket: every
// line about an attempt carries them, whatever the outcome.
func TestAttemptLinesCarryTheItemsIDs(t *testing.T) {
	u, addr := startUpstream(t)
	u.fail = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"}
	st := newStore(t)
	var buf testenv.SyncBuffer
	q := New(st, Config{MinBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, GiveUpAfter: time.Hour},
		map[TargetName]Target{"agents": &SMTP{Network: "tcp", Addr: addr, Helo: "mx.test"}}, nil,
		slog.New(slog.NewJSONHandler(&buf, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { q.Run(ctx); close(done) }()
	it := enqueue(t, st, time.Now(), "Subject: hi\r\n\r\nbody\r\n")
	q.Kick()
	waitState(t, st, it.ID, StateDeferred)
	u.mu.Lock()
	u.fail = nil
	u.mu.Unlock()
	<-u.received
	waitState(t, st, it.ID, "gone")
	cancel()
	<-done
	want := map[string]string{"delivery deferred": "WARN", "delivered": "INFO"}
	for _, l := range logLines(t, &buf) {
		msg, _ := l["msg"].(string)
		level, ok := want[msg]
		if !ok {
			continue
		}
		delete(want, msg)
		if l["level"] != level || l["queue_id"] != it.ID || l["kind"] != "relay" || l["target"] != "smtp" || l["attempt"] == nil {
			t.Errorf("%q line lacks the attempt's attributes: %v", msg, l)
		}
		if msg == "delivered" && (l["attempt"] != float64(2) || l["to"] == nil || l["seconds"] == nil) {
			t.Errorf("delivered line: %v", l)
		}
	}
	if len(want) > 0 {
		t.Errorf("no log line for %v", want)
	}
}

// getSched reads an item's schedule key as Get does, whatever state the
// item is in.
func TestGetSchedAsGet(t *testing.T) {
	st := newStore(t)
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	for i, it := range []*Item{
		{ID: "ready", From: "a@x.test", To: []string{"b@y.test"}, Created: now, NextAttempt: now},
		{ID: "held", From: "a@x.test", To: []string{"b@y.test"}, Created: now, NextAttempt: now, Holder: "node-a", LeaseUntil: now.Add(time.Minute)},
		{ID: "deferred", From: "a@x.test", To: []string{"b@y.test"}, Created: now, NextAttempt: now.Add(time.Hour), Attempts: 3, LastError: "451", Headers: []Header{{Name: "X-A", Value: "b"}}},
	} {
		err := st.Update(context.Background(), func(txn *store.Txn) error {
			if err := put(txn, it); err != nil {
				return err
			}
			full, err := Get(txn, it.ID)
			if err != nil {
				return err
			}
			part, err := getSched(txn, it.ID)
			if err != nil {
				return err
			}
			if got, want := string(schedKey(part)), string(schedKey(full)); got != want {
				t.Errorf("item %d: getSched's schedule key %q, Get's %q", i, got, want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	err := st.View(func(txn *store.Txn) error {
		if _, err := getSched(txn, "absent"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("an absent item: %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
