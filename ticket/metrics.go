package ticket

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/store"
)

// Metrics are the ticket and SLA metrics. Counters are updated on events;
// the gauges (open, waiting, at risk, next deadline) are read from the
// store at scrape time so they are never stale.
type Metrics struct {
	opened        *prometheus.CounterVec
	resolved      *prometheus.CounterVec
	breaches      *prometheus.CounterVec
	warnings      *prometheus.CounterVec
	met           *prometheus.CounterVec
	messages      *prometheus.CounterVec
	firstResponse *prometheus.HistogramVec
	resolution    *prometheus.HistogramVec
	lc            lifecycleMetrics

	mu    sync.Mutex
	depts []string
}

var priorities = []string{"low", "normal", "high", "urgent"}

// Business-time buckets: 5 min to 2 weeks, the range of support SLAs.
var slaBuckets = []float64{300, 900, 1800, 3600, 7200, 14400, 28800, 57600, 86400, 172800, 345600, 604800, 1209600}

// NewMetrics registers the ticket metrics on reg.
func NewMetrics(reg prometheus.Registerer, st *store.Store) *Metrics {
	m := &Metrics{
		opened: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "tickets", Name: "opened_total",
			Help: "Tickets opened, by department and priority."}, []string{"department", "priority"}),
		resolved: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "tickets", Name: "resolved_total",
			Help: "Tickets resolved, by department and priority."}, []string{"department", "priority"}),
		breaches: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "sla", Name: "breaches_total",
			Help: "SLA deadlines breached, by department and kind (first_response, next_response, resolution)."}, []string{"department", "kind"}),
		warnings: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "sla", Name: "warnings_total",
			Help: "SLA warnings sent before a deadline, by department and kind."}, []string{"department", "kind"}),
		met: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "sla", Name: "met_total",
			Help: "SLA deadlines met, by department and kind."}, []string{"department", "kind"}),
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Name: "department_messages_total",
			Help: "Customer messages filed into tickets (new conversations and follow-ups), by department."}, []string{"department"}),
		firstResponse: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "frontdesk", Subsystem: "sla", Name: "first_response_seconds",
			Help: "Business time from a ticket's opening to the first agent reply.", Buckets: slaBuckets}, []string{"department"}),
		resolution: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "frontdesk", Subsystem: "sla", Name: "resolution_seconds",
			Help: "Business time from a ticket's opening to its resolution.", Buckets: slaBuckets}, []string{"department"}),
	}
	m.lc = newLifecycleMetrics(reg)
	reg.MustRegister(m.messages, m.opened, m.resolved, m.breaches, m.warnings, m.met, m.firstResponse, m.resolution, &gaugeCollector{st: st, m: m})
	return m
}

// SetDepartments creates every department's series (zero) and removes
// those of departments that a reload dropped, so dashboards see zeros
// rather than gaps, and no stale departments.
func (m *Metrics) SetDepartments(depts []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	keep := map[string]bool{}
	for _, d := range depts {
		keep[d] = true
	}
	for _, d := range m.depts {
		if !keep[d] {
			for _, p := range priorities {
				m.opened.DeleteLabelValues(d, p)
				m.resolved.DeleteLabelValues(d, p)
			}
			for _, kind := range sla.Kinds() {
				k := string(kind)
				m.breaches.DeleteLabelValues(d, k)
				m.warnings.DeleteLabelValues(d, k)
				m.met.DeleteLabelValues(d, k)
			}
			m.firstResponse.DeleteLabelValues(d)
			m.resolution.DeleteLabelValues(d)
			m.messages.DeleteLabelValues(d)
			m.lc.department(d, false)
		}
	}
	for _, d := range depts {
		for _, p := range priorities {
			m.opened.WithLabelValues(d, p)
			m.resolved.WithLabelValues(d, p)
		}
		for _, kind := range sla.Kinds() {
			k := string(kind)
			m.breaches.WithLabelValues(d, k)
			m.warnings.WithLabelValues(d, k)
			m.met.WithLabelValues(d, k)
		}
		m.firstResponse.WithLabelValues(d)
		m.resolution.WithLabelValues(d)
		m.messages.WithLabelValues(d)
		m.lc.department(d, true)
	}
	m.depts = append([]string(nil), depts...)
}

func (m *Metrics) departments() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.depts...)
}

// Opened counts a new ticket.
func (m *Metrics) Opened(t *Ticket) { m.opened.WithLabelValues(t.Department, t.Priority).Inc() }

// FirstResponse records the business time to the first agent reply,
// whether it came in time or after a breach (the worst cases belong in
// the percentiles).
func (m *Metrics) FirstResponse(t *Ticket, d time.Duration) {
	m.firstResponse.WithLabelValues(t.Department).Observe(d.Seconds())
}

// Met counts a deadline kept.
func (m *Metrics) Met(t *Ticket, kind sla.Kind) {
	m.met.WithLabelValues(t.Department, string(kind)).Inc()
}

// Message counts a customer message filed into a ticket (new or not).
func (m *Metrics) Message(t *Ticket) { m.messages.WithLabelValues(t.Department).Inc() }

// Resolved records a resolution.
func (m *Metrics) Resolved(t *Ticket, d time.Duration) {
	m.resolved.WithLabelValues(t.Department, t.Priority).Inc()
	m.resolution.WithLabelValues(t.Department).Observe(d.Seconds())
	if dl := t.Deadline(sla.Resolution); dl != nil && !dl.MetAt.IsZero() { // not breached, nor stopped by a merge
		m.met.WithLabelValues(t.Department, string(sla.Resolution)).Inc()
	}
}

// Event records a scanner warning or breach.
func (m *Metrics) Event(t *Ticket, kind, what string) {
	if what == "breach" {
		m.breaches.WithLabelValues(t.Department, kind).Inc()
	} else {
		m.warnings.WithLabelValues(t.Department, kind).Inc()
	}
}

var (
	openDesc   = prometheus.NewDesc("frontdesk_tickets_open", "Tickets not resolved, by department and status (open, answered, waiting).", []string{"department", "status"}, nil)
	atRiskDesc = prometheus.NewDesc("frontdesk_sla_at_risk_tickets", "Unresolved tickets with a running deadline past its warning time, by department.", []string{"department"}, nil)
	nextDesc   = prometheus.NewDesc("frontdesk_sla_next_deadline_seconds", "Seconds until the next SLA deadline or warning (negative when overdue; absent when none).", nil, nil)
)

type gaugeCollector struct {
	st *store.Store
	m  *Metrics
}

func (c *gaugeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- openDesc
	ch <- atRiskDesc
	ch <- nextDesc
	ch <- ownerDesc
}

func (c *gaugeCollector) Collect(ch chan<- prometheus.Metric) {
	now := time.Now()
	open := map[[2]string]int{}
	owners := map[[2]string]int{}
	risk := map[string]int{}
	for _, d := range c.m.departments() {
		for _, s := range []string{Open, Answered, Waiting} {
			open[[2]string{d, s}] = 0
		}
		risk[d] = 0
	}
	tickets, err := List(c.st, "", "")
	if err != nil {
		ch <- prometheus.NewInvalidMetric(openDesc, err)
		return
	}
	for _, t := range tickets {
		if t.Status == Resolved {
			continue
		}
		open[[2]string{t.Department, t.Status}]++
		owners[[2]string{t.Department, ownerLabel(t.Owner)}]++
		for _, d := range t.Deadlines {
			if !d.Done() && d.Warned {
				risk[t.Department]++
				break
			}
		}
	}
	for k, n := range open {
		ch <- prometheus.MustNewConstMetric(openDesc, prometheus.GaugeValue, float64(n), k[0], k[1])
	}
	for k, n := range owners {
		ch <- prometheus.MustNewConstMetric(ownerDesc, prometheus.GaugeValue, float64(n), k[0], k[1])
	}
	for d, n := range risk {
		ch <- prometheus.MustNewConstMetric(atRiskDesc, prometheus.GaugeValue, float64(n), d)
	}
	var next time.Time
	c.st.View(func(txn *store.Txn) error {
		return txn.Iterate([]byte(store.PrefixDue), nil, false, func(k, _ []byte) error {
			if at, _, _, _, ok := parseDueKey(k); ok {
				next = at
			}
			return store.ErrStop
		})
	})
	if !next.IsZero() {
		ch <- prometheus.MustNewConstMetric(nextDesc, prometheus.GaugeValue, next.Sub(now).Seconds())
	}
}
