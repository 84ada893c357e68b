package gateway

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
	"github.com/frontdesk-mail/frontdesk/web"
)

// A customer's rating reaches the department as the composer's note: one
// queued mail to the department's mailbox, with the ticket, owner and
// rating headers, an encoded subject and the comment.
func TestRateQueuesComposedNote(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "store"), StoreOptions(dir, false, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	tk := &ticket.Ticket{Tag: "SUP-1042", Status: ticket.Resolved, ResolvedAt: now.Add(-time.Hour), Department: "support",
		Customer: "li.wei@example.cn", Subject: "水壶坏了", Created: now.Add(-48 * time.Hour)}
	tk.Owner = "ann"
	rt := ratingsOn(t, st, now, tk, nil)
	if err := rt.Rate(context.Background(), "SUP-1042", ticket.RatingGood, "fast\nthanks"); err != nil {
		t.Fatal(err)
	}
	items, err := queue.List(st)
	if err != nil || len(items) != 1 {
		t.Fatalf("queue: %v, %v", items, err)
	}
	it := items[0]
	if it.Kind != "rating" || it.Target != "agents" || it.Ticket != "SUP-1042" {
		t.Errorf("item: %+v", it)
	}
	var raw []byte
	st.View(func(txn *store.Txn) error { raw, err = txn.GetRaw(it.BodyID); return err })
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	for k, want := range map[string]string{"X-Frontdesk-Ticket": "SUP-1042", "X-Frontdesk-Rating": "good", "X-Frontdesk-Owner": "ann",
		"Auto-Submitted": "auto-generated", "Subject": "[SUP-1042] Customer rated the resolution GOOD"} {
		got := m.Header.Get(k)
		if k == "Subject" {
			got = subject
		}
		if got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if !strings.Contains(m.Header.Get("Message-Id"), "@support.test>") {
		t.Errorf("Message-ID %q", m.Header.Get("Message-Id"))
	}
	if !bytes.Contains(raw, []byte("Their comment:")) {
		t.Errorf("no comment in\n%s", raw)
	}
	// The same rating sent again (a double click, the browser's resubmit)
	// is taken and changes nothing: no second note to the agents ("changed
	// the rating from good to GOOD"), no timeline entry, no metric.
	before, _ := getTestTicket(st, "SUP-1042")
	if err := rt.Rate(context.Background(), "SUP-1042", ticket.RatingGood, "fast\nthanks"); !errors.Is(err, web.ErrRatingUnchanged) {
		t.Fatalf("the same rating again: %v, want web.ErrRatingUnchanged", err)
	}
	after, _ := getTestTicket(st, "SUP-1042")
	if items, _ := queue.List(st); len(items) != 1 || len(after.Timeline) != len(before.Timeline) {
		t.Fatalf("the same rating again: %d queue items, timeline %d -> %d entries", len(items), len(before.Timeline), len(after.Timeline))
	}
	// A changed comment is a change.
	if err := rt.Rate(context.Background(), "SUP-1042", ticket.RatingGood, "fast, thanks!"); err != nil {
		t.Fatal(err)
	}
	if items, _ := queue.List(st); len(items) != 2 {
		t.Fatalf("a new comment: %d queue items, want 2", len(items))
	}
}

// ratingsOn stores tk in st (then runs also, when set, in the same
// transaction) and returns the rating service on st with the default
// config's router, answering at now.
func ratingsOn(t *testing.T, st *store.Store, now time.Time, tk *ticket.Ticket, also func(*store.Txn) error) ratings {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r, err := newRouter(config.Default(), prometheus.NewRegistry(), log)
	if err != nil {
		t.Fatal(err)
	}
	err = st.Update(context.Background(), func(txn *store.Txn) error {
		if err := ticket.Put(txn, nil, tk); err != nil || also == nil {
			return err
		}
		return also(txn)
	})
	if err != nil {
		t.Fatal(err)
	}
	return ratings{st: st, router: r, hostname: "support.test", now: func() time.Time { return now }, log: log}
}

func getTestTicket(st *store.Store, tag string) (*ticket.Ticket, error) {
	var tk *ticket.Ticket
	err := st.View(func(txn *store.Txn) error {
		var err error
		tk, err = ticket.Get(txn, tag)
		return err
	})
	return tk, err
}

// TestRetentionRunsOnTheGatewayClock: tickets are resolved on the
// gateway's clock (Options.Now, the test clock of
// FRONTDESK_TEST_CLOCK_FILE), so retention counts from it too. Before, the
// runner read the real time: under a test clock days ahead a resolution
// lay in the future and no mail ever expired, and the last run was
// stamped on another clock than the tickets it judged.
func TestRetentionRunsOnTheGatewayClock(t *testing.T) {
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "frontdesk.yaml")
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "rules.yaml"), "departments:\n  support:\n    addresses: [support]\n    mailbox: team@agents.test\ndefault_department: support\n")
	write(cfgFile, "hostname: frontdesk.test\ndomains: [support.test]\ndata_dir: data\nrules_file: rules.yaml\n"+
		"smtp: {listen: \"127.0.0.1:0\"}\nhttp: {listen: \"127.0.0.1:0\"}\nretention: {mail: 1d}\n")
	cfg, err := config.Load(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(400 * 24 * time.Hour).Truncate(time.Second)
	g, err := New(context.Background(), Options{Config: cfg, Registry: prometheus.NewRegistry(), Logger: testLogger(t), Now: func() time.Time { return later }})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	rep, err := g.keeper.Run(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Started.Equal(later) {
		t.Fatalf("retention ran at %v, the gateway's clock says %v", rep.Started, later)
	}
}

// TestRateErasedTicket: once the customer's data is erased, the status
// page answers 404, and so does a rating sent from the old link; before,
// the POST recorded the rating and its comment (new words of the erased
// customer) on the anonymous ticket and mailed them to the agents.
func TestRateErasedTicket(t *testing.T) {
	st, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	tk := &ticket.Ticket{Tag: "SUP-1042", Status: ticket.Resolved, ResolvedAt: now.Add(-time.Hour), Department: "support",
		Customer: "li.wei@example.cn", Subject: "kettle", Created: now.Add(-48 * time.Hour)}
	rt := ratingsOn(t, st, now, tk, func(txn *store.Txn) error { return ticket.Erase(txn, tk, now.Add(-time.Minute)) })
	if err := rt.Rate(context.Background(), "SUP-1042", ticket.RatingBad, "my new words"); !errors.Is(err, web.ErrNotFound) {
		t.Fatalf("rating an erased ticket: %v, want web.ErrNotFound", err)
	}
	after, _ := getTestTicket(st, "SUP-1042")
	if items, _ := queue.List(st); len(items) != 0 || after.Rating != nil {
		t.Fatalf("rating an erased ticket: %d queue items, rating %+v", len(items), after.Rating)
	}
}
