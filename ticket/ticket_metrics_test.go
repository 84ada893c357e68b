package ticket

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/frontdesk-mail/frontdesk/internal/metrictest"
	"github.com/frontdesk-mail/frontdesk/store"
)

// memStore opens an in-memory store that closes when the test ends.
func memStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestDepartmentSeriesFollowReloads: every configured department has its
// zero series from the start, and a department removed by a reload loses
// all of them (no stale departments on dashboards).
func TestDepartmentSeriesFollowReloads(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg, memStore(t))
	m.SetDepartments([]string{"support", "sales"})
	// opened/resolved: 4 priorities; breaches/warnings/met: 3 kinds.
	for _, c := range []struct {
		c    prometheus.Collector
		want int
	}{{m.opened, 2 * 4}, {m.resolved, 2 * 4}, {m.breaches, 2 * 3}, {m.warnings, 2 * 3}, {m.met, 2 * 3}, {m.firstResponse, 2}, {m.resolution, 2}} {
		if n := testutil.CollectAndCount(c.c); n != c.want {
			t.Errorf("%d series, want %d", n, c.want)
		}
	}
	m.SetDepartments([]string{"support", "hr"})
	want := `
# HELP frontdesk_sla_breaches_total SLA deadlines breached, by department and kind (first_response, next_response, resolution).
# TYPE frontdesk_sla_breaches_total counter
frontdesk_sla_breaches_total{department="hr",kind="first_response"} 0
frontdesk_sla_breaches_total{department="hr",kind="next_response"} 0
frontdesk_sla_breaches_total{department="hr",kind="resolution"} 0
frontdesk_sla_breaches_total{department="support",kind="first_response"} 0
frontdesk_sla_breaches_total{department="support",kind="next_response"} 0
frontdesk_sla_breaches_total{department="support",kind="resolution"} 0
# HELP frontdesk_sla_at_risk_tickets Unresolved tickets with a running deadline past its warning time, by department.
# TYPE frontdesk_sla_at_risk_tickets gauge
frontdesk_sla_at_risk_tickets{department="hr"} 0
frontdesk_sla_at_risk_tickets{department="support"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "frontdesk_sla_breaches_total", "frontdesk_sla_at_risk_tickets"); err != nil {
		t.Error(err)
	}
	if problems, err := testutil.GatherAndLint(reg); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %+v", err, problems)
	}
}

// TestEventsAndGauges: exact counter values after known events, and the
// scrape-time gauges (open by status, at risk, next deadline) read from
// the tickets in the store.
func TestEventsAndGauges(t *testing.T) {
	st := memStore(t)
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg, st)
	m.SetDepartments([]string{"support", "sales"})
	now := time.Now()
	warned := &Ticket{Tag: "SUP-1", Department: "support", Priority: "high", Status: Open, Created: now,
		Deadlines: []Deadline{{Kind: "first_response", Start: now, Due: now.Add(time.Hour), WarnAt: now.Add(-time.Minute), Warned: true}}}
	breached := &Ticket{Tag: "SUP-2", Department: "support", Priority: "normal", Status: Open, Created: now,
		Deadlines: []Deadline{{Kind: "first_response", Start: now, Due: now.Add(-time.Minute), Warned: true, BreachedAt: now.Add(-time.Minute)}}}
	waiting := &Ticket{Tag: "SUP-3", Department: "sales", Priority: "normal", Status: Waiting, Created: now,
		Deadlines: []Deadline{{Kind: "resolution", Start: now, Due: now.Add(2 * time.Hour), WarnAt: now.Add(90 * time.Minute)}}}
	resolved := &Ticket{Tag: "SUP-4", Department: "sales", Priority: "low", Status: Resolved, Created: now, ResolvedAt: now}
	err := st.Update(context.Background(), func(txn *store.Txn) error {
		for _, tk := range []*Ticket{warned, breached, waiting, resolved} {
			if err := Put(txn, nil, tk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range []*Ticket{warned, breached, waiting, resolved} {
		m.Opened(tk)
	}
	m.Event(warned, "first_response", "warn")
	m.Event(breached, "first_response", "warn")
	m.Event(breached, "first_response", "breach")
	m.FirstResponse(waiting, 20*time.Minute)
	m.Met(waiting, "first_response")
	m.Resolved(resolved, 3*time.Hour)

	for _, c := range []struct {
		c    prometheus.Collector
		want float64
	}{
		{m.opened.WithLabelValues("support", "high"), 1},
		{m.opened.WithLabelValues("support", "normal"), 1},
		{m.opened.WithLabelValues("sales", "low"), 1},
		{m.warnings.WithLabelValues("support", "first_response"), 2},
		{m.breaches.WithLabelValues("support", "first_response"), 1},
		{m.breaches.WithLabelValues("sales", "first_response"), 0},
		{m.met.WithLabelValues("sales", "first_response"), 1},
		{m.resolved.WithLabelValues("sales", "low"), 1},
		{m.met.WithLabelValues("sales", "resolution"), 0}, // no resolution deadline: nothing met
	} {
		if got := testutil.ToFloat64(c.c); got != c.want {
			t.Errorf("%v = %v, want %v", c.c.(prometheus.Metric).Desc(), got, c.want)
		}
	}
	want := `
# HELP frontdesk_tickets_open Tickets not resolved, by department and status (open, answered, waiting).
# TYPE frontdesk_tickets_open gauge
frontdesk_tickets_open{department="sales",status="answered"} 0
frontdesk_tickets_open{department="sales",status="open"} 0
frontdesk_tickets_open{department="sales",status="waiting"} 1
frontdesk_tickets_open{department="support",status="answered"} 0
frontdesk_tickets_open{department="support",status="open"} 2
frontdesk_tickets_open{department="support",status="waiting"} 0
# HELP frontdesk_sla_at_risk_tickets Unresolved tickets with a running deadline past its warning time, by department.
# TYPE frontdesk_sla_at_risk_tickets gauge
frontdesk_sla_at_risk_tickets{department="sales"} 0
frontdesk_sla_at_risk_tickets{department="support"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "frontdesk_tickets_open", "frontdesk_sla_at_risk_tickets"); err != nil {
		t.Error(err)
	}
	// The next pending deadline or warning is SUP-1's breach in an hour
	// (its warning was sent; SUP-2's deadline is done).
	if next := metrictest.Sample(t, reg, "frontdesk_sla_next_deadline_seconds"); next > 3600 || next < 3500 {
		t.Errorf("next deadline in %v s, want about 3600", next)
	}
}
