package retention

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/internal/metrictest"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/store/storetest"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

var t0 = time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "store"), store.Options{SyncWrites: true, SpoolDir: filepath.Join(dir, "mail")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// onEachBackend runs f, as a subtest named after the backend, with a new
// store of each: Badger in a temporary directory, and a private
// PostgreSQL (storetest).
func onEachBackend(t *testing.T, f func(t *testing.T, backend string, st *store.Store)) {
	t.Helper()
	t.Run("badger", func(t *testing.T) { f(t, "badger", openStore(t)) })
	t.Run("postgres", func(t *testing.T) { f(t, "postgres", storetest.PostgresNodes(t, 1)[0]) })
}

// received commits a customer's mail as intake does, for ticket tag ("" :
// discarded, no ticket).
func received(t *testing.T, st *store.Store, at time.Time, tag, body string) string {
	t.Helper()
	id := store.NewID(at)
	sp, err := st.Spool([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(context.Background(), func(txn *store.Txn) error {
		return txn.PutMessage(&store.Message{ID: id, Received: at, MailFrom: "c@example.com", Ticket: tag}, sp)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// ours commits a mail the gateway wrote for ticket tag with its queue
// item, as an acknowledgement is; the item is returned.
func ours(t *testing.T, st *store.Store, at time.Time, tag, body string) *queue.Item {
	t.Helper()
	id := store.NewID(at)
	it := &queue.Item{ID: store.NewID(at), BodyID: id, Target: "outbound", Kind: "ack", To: []string{"c@example.com"}, Ticket: tag, Created: at}
	err := st.Update(context.Background(), func(txn *store.Txn) error {
		if err := txn.PutRaw(id, []byte(body)); err != nil {
			return err
		}
		return queue.Add(txn, it)
	})
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func putTicket(t *testing.T, st *store.Store, tag string, resolved time.Time) {
	t.Helper()
	tk := ticket.New(ticket.NewParams{Tag: tag, Customer: "c@example.com", Subject: "s"}, ticket.Entry{At: t0, Kind: ticket.KindCustomer}, t0, nil)
	if !resolved.IsZero() {
		tk.Resolve(resolved, "agent@example.com")
	}
	if err := st.Update(context.Background(), func(txn *store.Txn) error { return ticket.Put(txn, nil, tk) }); err != nil {
		t.Fatal(err)
	}
}

func exists(st *store.Store, id string) bool {
	err := st.View(func(txn *store.Txn) error { _, err := txn.GetRaw(id); return err })
	return err == nil
}

func TestRetentionWithClock(t *testing.T) {
	st := openStore(t)
	putTicket(t, st, "SUP-1", time.Time{})          // open
	putTicket(t, st, "SUP-2", t0.Add(24*time.Hour)) // resolved a day later
	a1 := received(t, st, t0, "SUP-1", "open ticket's mail")
	a2 := ours(t, st, t0, "SUP-1", "ack of the open ticket")
	b1 := received(t, st, t0, "SUP-2", "resolved ticket's mail")
	b2 := ours(t, st, t0, "SUP-2", "reply of the resolved ticket")
	d1 := received(t, st, t0, "", "discarded mail")
	// a2 was delivered; b2's item failed and is kept as failed.
	if err := queue.Delete(context.Background(), st, a2.ID); err != nil {
		t.Fatal(err)
	}
	err := st.Update(context.Background(), func(txn *store.Txn) error {
		it, err := queue.Get(txn, b2.ID)
		if err != nil {
			return err
		}
		it.State = queue.StateFailed
		b, _ := jsonItem(it)
		return txn.Set([]byte(store.PrefixQueue+it.ID), b)
	})
	if err != nil {
		t.Fatal(err)
	}
	p := Policy{Mail: 365 * 24 * time.Hour, FailedQueueItems: 30 * 24 * time.Hour}

	// After 200 days only the failed queue item is old enough.
	rep, err := Run(context.Background(), st, p, Options{Now: t0.Add(200 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.QueueItemsRemoved != 1 || rep.MailRemoved != 0 {
		t.Fatalf("day 200: %+v", rep)
	}
	// After 366 days the discarded mail has expired, but the resolved
	// ticket's mail counts from its resolution (a day later).
	rep, err = Run(context.Background(), st, p, Options{Now: t0.Add(365*24*time.Hour + time.Hour)})
	if err != nil || rep.MailRemoved != 1 || exists(st, d1) || !exists(st, b1) {
		t.Fatalf("day 365: %+v %v", rep, err)
	}
	// A dry run removes nothing.
	day400 := t0.Add(400 * 24 * time.Hour)
	rep, err = Run(context.Background(), st, p, Options{Now: day400, DryRun: true})
	if err != nil || rep.MailRemoved != 2 || !exists(st, b1) || !exists(st, b2.BodyID) {
		t.Fatalf("dry run day 400: %+v %v", rep, err)
	}
	rep, err = Run(context.Background(), st, p, Options{Now: day400})
	if err != nil || rep.MailRemoved != 2 || exists(st, b1) || exists(st, b2.BodyID) {
		t.Fatalf("day 400: %+v %v", rep, err)
	}
	if !exists(st, a1) || !exists(st, a2.BodyID) {
		t.Error("the open ticket lost its mail")
	}
	// resolved_tickets removes the ticket itself.
	p.ResolvedTickets = 100 * 24 * time.Hour
	rep, err = Run(context.Background(), st, p, Options{Now: day400})
	if err != nil || rep.TicketsRemoved != 1 {
		t.Fatalf("resolved tickets: %+v %v", rep, err)
	}
	st.View(func(txn *store.Txn) error {
		if _, err := ticket.Get(txn, "SUP-2"); !ticket.IsNotFound(err) {
			t.Errorf("SUP-2 still there: %v", err)
		}
		if _, err := ticket.Get(txn, "SUP-1"); err != nil {
			t.Errorf("SUP-1: %v", err)
		}
		return nil
	})
	last, err := LastRun(st)
	if err != nil || last == nil || !last.Started.Equal(day400) || last.Finished.Before(day400) || last.Finished.After(day400.Add(time.Minute)) {
		t.Errorf("last run = %+v, %v", last, err)
	}
}

// The last-success gauge follows the store's record: a run this process
// did not make (another node's on a shared store, which holds the
// retention lease; the stopped store's CLI before a start) shows without
// a restart, so FrontdeskRetentionStale does not fire for a node that
// merely does not hold the lease.
func TestLastSuccessGaugeFollowsTheStore(t *testing.T) {
	st := openStore(t)
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg, st)
	const name = "frontdesk_retention_last_success_timestamp_seconds"
	if v := metrictest.Sample(t, reg, name); v != 0 {
		t.Fatalf("before any run: %v", v)
	}
	// A run elsewhere: the record in the store, not this Runner.
	elsewhere := t0.Add(48 * time.Hour)
	if _, err := Run(context.Background(), st, Policy{}, Options{Now: elsewhere}); err != nil {
		t.Fatal(err)
	}
	if v := metrictest.Sample(t, reg, name); v != float64(elsewhere.Unix()) {
		t.Errorf("after a run elsewhere the gauge is %v, want %d", v, elsewhere.Unix())
	}
	// This process's own run.
	r := &Runner{St: st, Metrics: m}
	rep, err := r.Run(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	if v := metrictest.Sample(t, reg, name); v != float64(rep.Finished.Unix()) {
		t.Errorf("after its own run the gauge is %v, want %d", v, rep.Finished.Unix())
	}
}

// One run at a time: while a run is under way (the periodic one, or one
// asked for through the API: the same Runner), another is refused with
// ErrRunning (the API's 409), and once it is over the next one runs.
func TestRunnerOneAtATime(t *testing.T) {
	st := openStore(t)
	entered, release := make(chan struct{}), make(chan struct{})
	var first atomic.Bool
	r := &Runner{St: st}
	r.progress = func(string) { // the first run waits at its first step
		if first.CompareAndSwap(false, true) {
			close(entered)
			<-release
		}
	}
	done := make(chan error, 1)
	go func() { _, err := r.Run(context.Background(), false); done <- err }()
	<-entered
	if _, err := r.Run(context.Background(), true); !errors.Is(err, ErrRunning) {
		t.Errorf("a second run during the first: %v, want ErrRunning", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := r.Run(context.Background(), false); err != nil {
		t.Errorf("a run after the first ended: %v", err)
	}
}
