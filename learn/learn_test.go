package learn

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/customers"
	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/store"
)

func memStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func put(t *testing.T, st *store.Store, exs ...*Example) {
	t.Helper()
	if err := st.Update(context.Background(), func(txn *store.Txn) error {
		for _, ex := range exs {
			if err := Put(txn, ex); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestPutListForget(t *testing.T) {
	st := memStore(t)
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	a := &Example{At: at, Source: SourceMove, Department: "finance", Customer: "A@Example.com", Text: "charged twice"}
	// an entry answers b: NoLink with entries is dropped when stored
	b := &Example{At: at.Add(time.Second), Source: SourceFAQ, Entries: []string{"refund-timing"}, NoLink: true, Customer: "b@example.com", Text: "refund?"}
	c := &Example{At: at.Add(2 * time.Second), Source: SourceImport, Department: "support", NoLink: true, Customer: "c@example.com", Text: "thank you!"}
	d := &Example{At: at.Add(3 * time.Second), Source: SourceImport, NoLink: true, Customer: "d@example.com", Text: "out of office"}
	put(t, st, a, b, c, d)
	exs, err := List(st)
	if err != nil || len(exs) != 4 || exs[0].ID != a.ID || exs[0].Customer != "a@example.com" {
		t.Fatalf("%+v %v", exs, err)
	}
	for i, want := range []bool{false, false, true, true} {
		if exs[i].NoLink != want {
			t.Errorf("example %d read back with NoLink %v, want %v: %+v", i+1, exs[i].NoLink, want, exs[i])
		}
	}
	if got := ForFAQ(exs); got[1].NoLink || !got[2].NoLink || !got[3].NoLink {
		t.Errorf("the ranking reads %+v", got)
	}
	if _, err := Forget(context.Background(), st, []string{"nope"}, false); !errors.Is(err, ErrNoExample) {
		t.Fatalf("forget unknown: %v", err)
	}
	if n, err := Forget(context.Background(), st, []string{a.ID, c.ID}, false); n != 2 || err != nil {
		t.Fatalf("forget: %d %v", n, err)
	}
	if exs, _ := List(st); len(exs) != 2 || exs[0].ID != b.ID || exs[1].ID != d.ID {
		t.Fatalf("after forget: %+v", exs)
	}
	if n, err := Forget(context.Background(), st, nil, true); n != 2 || err != nil {
		t.Fatalf("forget --all: %d %v", n, err)
	}
	if exs, _ := List(st); len(exs) != 0 {
		t.Fatalf("after forget --all: %+v", exs)
	}
}

func TestErasingACustomerRemovesTheirExamples(t *testing.T) {
	st := memStore(t)
	at := time.Now()
	// a no-link example (an imported `faq: []`, with no department) is
	// the customer's as much as the others
	put(t, st, &Example{At: at, Department: "finance", Customer: "gone@example.com", Text: "x"},
		&Example{At: at.Add(time.Millisecond), Department: "finance", Customer: "stays@example.com", Text: "y"},
		&Example{At: at.Add(2 * time.Millisecond), Source: SourceImport, NoLink: true, Customer: "Gone@Example.com", Subject: "thank you", Text: "thanks to your installer"})
	live := NewLive(st, nil)
	live.Wait = time.Hour // the first ranking waits for the first build
	cat := live.Catalog(faq.Demo)
	if n, _ := cat().Examples(); n != 3 {
		t.Fatalf("%d examples in use, want 3 (the no-link one too)", n)
	}
	rep, err := customers.Erase(context.Background(), st, "gone@example.com", customers.EraseOptions{DryRun: true, Erasers: []customers.Eraser{Eraser{live}}})
	if err != nil || rep.Audit.Other["learned_examples"] != 2 {
		t.Fatalf("dry run: %+v %v", rep, err)
	}
	if exs, _ := List(st); len(exs) != 3 {
		t.Fatal("the dry run erased")
	}
	if _, err := customers.Erase(context.Background(), st, "gone@example.com", customers.EraseOptions{Erasers: []customers.Eraser{Eraser{live}}}); err != nil {
		t.Fatal(err)
	}
	exs, _ := List(st)
	if len(exs) != 1 || exs[0].Customer != "stays@example.com" {
		t.Fatalf("left %+v", exs)
	}
	// Erase returned after the swap: no ranking uses the example, with
	// no wait at all for a build
	live.Wait = 0
	if n, _ := cat().Examples(); n != 1 {
		t.Fatalf("the server still ranks with %d examples", n)
	}
}

// A #move teaches routing: after one example of finance, a similar mail
// from someone else is about finance, where before it was not.
func TestLiveLearnsAfterChanged(t *testing.T) {
	st := memStore(t)
	live := NewLive(st, nil)
	live.Wait = time.Hour // what a ranking waits for is what the test checks
	cat := live.Catalog(faq.Demo)
	mail := func(s string) *message.Message {
		m, _ := message.Parse([]byte("From: x@example.com\r\nSubject: zorblax gizmo\r\n\r\n" + s + "\r\n"))
		return m
	}
	before := cat().Topics(mail("the zorblax gizmo quibbled"))
	for _, tp := range before {
		if tp.Department == "hr" {
			t.Fatalf("hr before learning: %+v", before)
		}
	}
	put(t, st, &Example{At: time.Now(), Source: SourceMove, Department: "hr", Customer: "a@example.com", Subject: "zorblax gizmo", Text: "my zorblax gizmo quibbled again"},
		&Example{At: time.Now().Add(time.Millisecond), Source: SourceMove, Department: "hr", Customer: "c@example.com", Subject: "gizmo", Text: "zorblax gizmo question"})
	if n, _ := cat().Examples(); n != 0 {
		t.Fatal("examples read before Changed")
	}
	live.Changed()
	after := cat().Topics(mail("the zorblax gizmo quibbled"))
	if len(after) == 0 || after[0].Department != "hr" {
		t.Fatalf("after learning: %+v", after)
	}
}

// A mail that arrives while the example index is rebuilt is ranked with
// the previous index rather than waiting for the build: the builder is
// held (after building, before the swap) until that ranking is done, so
// a ranking that waited for the swap would never return. Once the swap
// is done the next ranking has the new example.
func TestRebuildDoesNotHoldMail(t *testing.T) {
	st, live, cat, entered, release := heldLive(t)
	put(t, st, &Example{At: time.Now().Add(time.Millisecond), Source: SourceMove, Department: "pr", Customer: "b@example.com", Subject: "press kit", Text: "florbix interview"})
	live.Changed()
	// the new index is built and held back from the swap; the mail waits
	// rebuildWait at most, then ranks with the previous index
	<-entered
	live.Wait = rebuildWait
	m, _ := message.Parse([]byte("From: x@example.com\r\nSubject: zorblax gizmo\r\n\r\nthe zorblax gizmo quibbled\r\n"))
	c := cat()
	if n, _ := c.Examples(); n != 1 {
		t.Errorf("during the rebuild: %d examples in use, want the previous index's 1", n)
	}
	if ts := c.Topics(m); len(ts) == 0 || ts[0].Department != "hr" {
		t.Errorf("during the rebuild the previous index is not used: %+v", ts)
	}
	release()
	if err := live.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n, _ := cat().Examples(); n != 2 {
		t.Errorf("after the swap: %d examples in use, want 2", n)
	}
	live.Close()
}

// A FAQ reload binds the index to the new catalog without a rebuild: the
// catalog in force changes at once, and the examples stay.
func TestReloadBindsWithoutRebuild(t *testing.T) {
	st := memStore(t)
	put(t, st, &Example{At: time.Now(), Source: SourceFAQ, Entries: []string{"careers"}, Customer: "a@example.com", Subject: "zorblax", Text: "zorblax gizmo"})
	live := NewLive(st, nil)
	builds := 0
	live.built = func() { builds++ }
	live.Wait = time.Hour
	var cur atomic.Pointer[faq.Catalog]
	cur.Store(faq.Demo())
	cat := live.Catalog(cur.Load)
	first := cat()
	if n, _ := first.Examples(); n != 1 {
		t.Fatalf("%d examples", n)
	}
	reloaded, err := faq.Load("../faq/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cur.Store(reloaded)
	second := cat()
	if second == first {
		t.Fatal("the reloaded catalog is not in force")
	}
	if n, _ := second.Examples(); n != 1 || builds != 1 {
		t.Fatalf("after the reload: %d examples, %d builds (want 1, 1)", n, builds)
	}
	if cat() != second {
		t.Error("the bound catalog is not kept")
	}
}

// A mail does not wait for a build when the last one took longer than a
// mail would wait: the builder is held until the ranking is done, and a
// mail that waited (up to an hour here) would never return.
func TestLongRebuildIsNotWaitedFor(t *testing.T) {
	_, live, cat, entered, release := heldLive(t)
	live.Changed()
	<-entered
	live.lastBuild.Store(int64(2 * time.Hour)) // as if the index took longer to build than a mail waits
	if n, _ := cat().Examples(); n != 1 {
		t.Errorf("during the rebuild: %d examples, want the previous index's 1", n)
	}
	release()
	live.Close()
}

// Nodes sharing one database learn of each other's changes through the
// change mark: what one node was taught, or forgot, or erased, reaches
// another node's ranking at its next Poll, and a Poll with no change
// rebuilds nothing. (Two Lives on one store stand for two nodes.)
func TestPollFindsOtherNodesChanges(t *testing.T) {
	st := memStore(t)
	other := NewLive(st, nil)
	other.Wait = time.Hour // a ranking waits for the build Poll started
	cat := other.Catalog(faq.Demo)
	examples := func() int { n, _ := cat().Examples(); return n }
	poll := func(want bool) {
		t.Helper()
		changed, err := other.Poll()
		if err != nil || changed != want {
			t.Fatalf("Poll = %v, %v; want %v", changed, err, want)
		}
	}
	poll(false) // notes the mark
	// and the first build is done
	if n := examples(); n != 0 {
		t.Fatalf("%d examples in an empty store", n)
	}
	put(t, st, &Example{At: time.Now(), Source: SourceMove, Department: "finance", Customer: "a@example.com", Text: "charged twice for one order"})
	if n := examples(); n != 0 {
		t.Fatalf("%d examples before Poll: the test would show nothing", n)
	}
	poll(true)
	if n := examples(); n != 1 {
		t.Fatalf("after Poll the other node ranks with %d examples, want 1", n)
	}
	poll(false)

	put(t, st, &Example{At: time.Now().Add(time.Millisecond), Source: SourceMove, Department: "hr", Customer: "b@example.com", Text: "graduate jobs"})
	poll(true)
	if n, err := (Eraser{}).EraseCustomer(context.Background(), st, "a@example.com", false); err != nil || n != 1 {
		t.Fatalf("erase: %d, %v", n, err)
	}
	poll(true)
	if n := examples(); n != 1 {
		t.Fatalf("after the erasure on another node, %d examples ranked, want 1", n)
	}
	if n, err := Forget(context.Background(), st, nil, true); err != nil || n != 1 {
		t.Fatalf("forget --all: %d, %v", n, err)
	}
	poll(true)
	if n := examples(); n != 0 {
		t.Fatalf("after forget on another node, %d examples ranked, want 0", n)
	}
	// nothing to forget, nothing erased: no change
	if _, err := Forget(context.Background(), st, nil, true); err != nil {
		t.Fatal(err)
	}
	if _, err := (Eraser{}).EraseCustomer(context.Background(), st, "nobody@example.com", false); err != nil {
		t.Fatal(err)
	}
	poll(false)
}

// Watch polls at every tick and stops with its context.
func TestWatchPollsAtEveryTick(t *testing.T) {
	st := memStore(t)
	other := NewLive(st, nil)
	other.Wait = time.Hour
	cat := other.Catalog(faq.Demo)
	ctx, cancel := context.WithCancel(context.Background())
	tick := make(chan time.Time)
	done := make(chan struct{})
	go func() { other.Watch(ctx, tick); close(done) }()
	tick <- time.Now() // Watch has read the first mark once it takes a tick
	// the first build is done
	if n, _ := cat().Examples(); n != 0 {
		t.Fatalf("%d examples in an empty store", n)
	}
	put(t, st, &Example{At: time.Now(), Source: SourceMove, Department: "finance", Customer: "a@example.com", Text: "charged twice"})
	tick <- time.Now()
	tick <- time.Now() // the second Poll has run once this one is taken
	if n, _ := cat().Examples(); n != 1 {
		t.Fatalf("Watch: %d examples ranked, want 1", n)
	}
	cancel()
	<-done
}

// heldLive is a Live over one stored example whose first index is in use
// and whose next builds stop before the swap: each sends on entered and
// waits until release is called, which also lets every later build
// through.
func heldLive(t *testing.T) (st *store.Store, live *Live, cat func() *faq.Catalog, entered chan struct{}, release func()) {
	t.Helper()
	st = memStore(t)
	put(t, st, &Example{At: time.Now(), Source: SourceMove, Department: "hr", Customer: "a@example.com", Subject: "zorblax gizmo", Text: "my zorblax gizmo quibbled again"})
	live = NewLive(st, nil)
	var hold atomic.Bool
	entered = make(chan struct{})
	released := make(chan struct{})
	live.built = func() {
		if hold.Load() {
			entered <- struct{}{}
			<-released
		}
	}
	live.Wait = time.Hour
	cat = live.Catalog(faq.Demo)
	if n, _ := cat().Examples(); n != 1 {
		t.Fatalf("%d examples in use, want 1", n)
	}
	hold.Store(true)
	return st, live, cat, entered, func() { hold.Store(false); close(released) }
}

// Import leaves out what an earlier import stored the same, found as Put
// stored it: a customer's address in capitals and a text longer than
// what is kept (both changed by Put) are the same mail imported again.
func TestImportAgainIsAlreadyImported(t *testing.T) {
	st := memStore(t)
	ctx := context.Background()
	long := strings.Repeat("zorblax gizmo quibbled ", maxText/10)
	exs := func() []Example {
		return []Example{
			{At: time.Now(), Source: SourceImport, Department: "hr", Customer: "A@Customer.test", Subject: "gizmo", Text: long},
			{At: time.Now(), Source: SourceImport, Department: "finance", Customer: "b@customer.test", Subject: "invoice", Text: "my invoice"},
		}
	}
	var progress strings.Builder
	sum, err := Import(ctx, st, exs(), &progress)
	if err != nil || sum.Examples != 2 || sum.AlreadyImported != 0 || progress.String() != "learn import: 2/2 stored\n" {
		t.Fatalf("first import: %+v %v %q", sum, err, progress.String())
	}
	sum, err = Import(ctx, st, exs(), &progress)
	if err != nil || sum.Examples != 0 || sum.AlreadyImported != 2 {
		t.Errorf("second import: %+v %v, want 2 already imported", sum, err)
	}
	if got, _ := List(st); len(got) != 2 {
		t.Errorf("%d examples stored, want 2", len(got))
	}
}

// An example imported before it was marked no link (or from labels that
// said nothing of links) and imported again from `faq: []` is marked in
// place, not stored twice: a duplicate would take two of a mail's
// nearest neighbours' votes.
func TestImportAgainMarksNoLink(t *testing.T) {
	st := memStore(t)
	ctx := context.Background()
	ex := func(noLink bool) []Example {
		return []Example{{At: time.Now(), Source: SourceImport, Department: "support", NoLink: noLink, Customer: "a@customer.test", Subject: "thanks", Text: "thank you, the installer was great"}}
	}
	if _, err := Import(ctx, st, ex(false), io.Discard); err != nil {
		t.Fatal(err)
	}
	before, _ := List(st)
	sum, err := Import(ctx, st, ex(true), io.Discard)
	if err != nil || sum.Examples != 0 || sum.MarkedNoLink != 1 || sum.AlreadyImported != 0 {
		t.Fatalf("second import: %+v %v, want 1 marked no link", sum, err)
	}
	after, _ := List(st)
	if len(after) != 1 || after[0].ID != before[0].ID || !after[0].NoLink {
		t.Fatalf("after: %+v, want the one example, marked no link", after)
	}
	sum, err = Import(ctx, st, ex(true), io.Discard)
	if err != nil || sum.Examples != 0 || sum.MarkedNoLink != 0 || sum.AlreadyImported != 1 {
		t.Errorf("third import: %+v %v, want 1 already imported", sum, err)
	}
}

// Expired: an example goes once its age (At) exceeds the period, not at
// it; a period of zero keeps every example, and so does one without a
// time.
func TestExpired(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, c := range []struct {
		at   time.Time
		age  time.Duration
		want bool
	}{
		{now.Add(-31 * day), 30 * day, true},
		{now.Add(-30*day - time.Second), 30 * day, true},
		{now.Add(-30 * day), 30 * day, false},
		{now.Add(-day), 30 * day, false},
		{now.Add(-1000 * day), 0, false},
		{time.Time{}, 30 * day, false},
		{now.Add(day), 30 * day, false}, // taught on a clock ahead of this one
	} {
		if got := Expired(Example{At: c.at}, now, c.age); got != c.want {
			t.Errorf("Expired(at %v, now %v, age %v) = %v, want %v", c.at, now, c.age, got, c.want)
		}
	}
}
