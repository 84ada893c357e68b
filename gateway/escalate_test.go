package gateway

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/compose"
	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// TestLateScanWarnsBeforeEscalating: a scan that finds a deadline both
// due for its warning and breached queues both at one instant; the
// warning is sent first (due first), whatever the ids' random bits.
func TestLateScanWarnsBeforeEscalating(t *testing.T) {
	cfg := config.Default()
	r, err := newRouter(cfg, prometheus.NewRegistry(), testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := compose.Load("")
	if err != nil {
		t.Fatal(err)
	}
	notify := escalationNotifier(cfg, r, func() *compose.Templates { return tmpl })
	st, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	tk := &ticket.Ticket{Tag: "SUP-1000", Department: "support", Customer: "c@customer.test", Subject: "kettle"}
	d := &ticket.Deadline{Kind: sla.FirstResponse, Due: now.Add(-time.Hour), WarnAt: now.Add(-2 * time.Hour)}
	if err := st.Update(context.Background(), func(txn *store.Txn) error {
		if err := notify(txn, tk, d, "warn", now); err != nil {
			return err
		}
		return notify(txn, tk, d, "breach", now)
	}); err != nil {
		t.Fatal(err)
	}
	items, err := queue.List(st)
	if err != nil {
		t.Fatal(err)
	}
	var warn, esc time.Time
	for _, it := range items {
		switch it.Kind {
		case queue.Warning:
			warn = it.NextAttempt
		case queue.Escalation:
			esc = it.NextAttempt
		}
	}
	if warn.IsZero() || esc.IsZero() || !esc.After(warn) {
		t.Errorf("warning due %v, escalation due %v: the warning must be due first", warn, esc)
	}
}
