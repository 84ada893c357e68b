package ticket

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// ownerDesc is read from the store at scrape time like the other gauges.
var ownerDesc = prometheus.NewDesc("frontdesk_tickets_open_by_owner", "Tickets not resolved, by department and owner (the agent's address; \"none\" before an agent answered or took it).", []string{"department", "owner"}, nil)

func ownerLabel(owner string) string {
	if owner == "" {
		return "none"
	}
	return owner
}

// HeldOutcomes are what happens to an agent's reply held by collision
// detection (metric labels).
var HeldOutcomes = []string{"held", "sent", "dropped", "expired"}

type lifecycleMetrics struct {
	autoClosed *prometheus.CounterVec
	notices    *prometheus.CounterVec
	merged     *prometheus.CounterVec
	held       *prometheus.CounterVec
	csat       *prometheus.CounterVec
	retracted  *prometheus.CounterVec
}

func newLifecycleMetrics(reg prometheus.Registerer) lifecycleMetrics {
	m := lifecycleMetrics{
		autoClosed: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "tickets", Name: "auto_closed_total",
			Help: "Tickets resolved because the customer did not answer within the department's sla.pending_close after an agent's #wait, by department."}, []string{"department"}),
		notices: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "tickets", Name: "resolve_notices_total",
			Help: "Notices queued to the customer that their ticket was resolved through the API (with the rating links), by department."}, []string{"department"}),
		merged: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "tickets", Name: "merged_total",
			Help: "Tickets folded into another by #merge, by the department of the merged ticket."}, []string{"department"}),
		held: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "replies", Name: "held_total",
			Help: "Agents' replies held by collision detection and what became of them, by department and outcome (held, sent, dropped, expired)."}, []string{"department", "outcome"}),
		csat: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "csat", Name: "responses_total",
			Help: "Customers' ratings of a resolution (confirmed on the status page), by department and rating (good, bad); a changed rating counts here anew and its old value in frontdesk_csat_retracted_total."}, []string{"department", "rating"}),
		retracted: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "csat", Name: "retracted_total",
			Help: "Ratings replaced by the customer's changed rating, by department and the rating replaced: responses minus retracted is the ratings that stand."}, []string{"department", "rating"}),
	}
	reg.MustRegister(m.autoClosed, m.notices, m.merged, m.held, m.csat, m.retracted)
	return m
}

// department creates (add) or deletes a department's series.
func (m lifecycleMetrics) department(d string, add bool) {
	if m.autoClosed == nil {
		return
	}
	if !add {
		m.autoClosed.DeleteLabelValues(d)
		m.notices.DeleteLabelValues(d)
		m.merged.DeleteLabelValues(d)
		for _, o := range HeldOutcomes {
			m.held.DeleteLabelValues(d, o)
		}
		for _, r := range []string{RatingGood, RatingBad} {
			m.csat.DeleteLabelValues(d, r)
			m.retracted.DeleteLabelValues(d, r)
		}
		return
	}
	m.autoClosed.WithLabelValues(d)
	m.notices.WithLabelValues(d)
	m.merged.WithLabelValues(d)
	for _, o := range HeldOutcomes {
		m.held.WithLabelValues(d, o)
	}
	for _, r := range []string{RatingGood, RatingBad} {
		m.csat.WithLabelValues(d, r)
		m.retracted.WithLabelValues(d, r)
	}
}

// AutoClosed counts a ticket closed for its silent customer; it is a
// resolution too.
func (m *Metrics) AutoClosed(t *Ticket, d time.Duration) {
	m.lc.autoClosed.WithLabelValues(t.Department).Inc()
	m.Resolved(t, d)
}

// ResolveNotice counts a resolution notice queued to a customer.
func (m *Metrics) ResolveNotice(department string) {
	m.lc.notices.WithLabelValues(department).Inc()
}

// Merged counts a ticket folded into another.
func (m *Metrics) Merged(t *Ticket) { m.lc.merged.WithLabelValues(t.Department).Inc() }

// HeldReply counts a held reply's outcome (one of HeldOutcomes).
func (m *Metrics) HeldReply(department, outcome string) {
	m.lc.held.WithLabelValues(department, outcome).Add(1)
}

// Rated counts a rating; previous is the rating it replaced ("" none).
func (m *Metrics) Rated(department, rating, previous string) {
	m.lc.csat.WithLabelValues(department, rating).Inc()
	if previous != "" {
		m.lc.retracted.WithLabelValues(department, previous).Inc()
	}
}
