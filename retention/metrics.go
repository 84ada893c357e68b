package retention

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/store"
)

// Metrics are retention's collectors, and the data dir's size by kind.
type Metrics struct {
	// lastSeen is the newest successful run this process saw finish; the
	// gauge also reads the store's record, which runs elsewhere write.
	mu        sync.Mutex
	lastSeen  float64
	reclaimed prometheus.Counter
	removed   *prometheus.CounterVec
}

// NewMetrics registers retention's metrics on reg. The bytes on disk are
// read at scrape time.
func NewMetrics(reg prometheus.Registerer, st *store.Store) *Metrics {
	m := &Metrics{
		reclaimed: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "retention", Name: "reclaimed_bytes_total",
			Help: "Bytes of disk given back by retention runs."}),
		removed: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "retention", Name: "removed_total",
			Help: "What retention runs removed: mail, ticket, queue_item, learned_example."}, []string{"what"}),
	}
	for _, w := range []string{"mail", "ticket", "queue_item", "learned_example"} {
		m.removed.WithLabelValues(w)
	}
	usage := func(kind string) func() float64 {
		return func() float64 {
			u := st.DiskUsage()
			if kind == "mail" {
				return float64(u.Mail)
			}
			return float64(u.Store)
		}
	}
	// The last run is read from the store at scrape time: on a shared
	// store only the node holding the retention lease runs it, and the
	// others' gauges must not go stale (FrontdeskRetentionStale would fire
	// for them); a run of the stopped store's CLI counts too.
	last := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "frontdesk", Subsystem: "retention", Name: "last_success_timestamp_seconds",
		Help: "When the last retention run finished successfully (alert FrontdeskRetentionStale)."}, func() float64 {
		m.mu.Lock()
		v := m.lastSeen
		m.mu.Unlock()
		if r, err := LastRun(st); err == nil && r != nil {
			v = max(v, float64(r.Finished.Unix()))
		}
		return v
	})
	reg.MustRegister(last, m.reclaimed, m.removed)
	for _, k := range []string{"mail", "store"} {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "frontdesk", Name: "data_bytes",
			Help: "Bytes on disk under data_dir by kind: mail (the spool) and store (Badger).", ConstLabels: prometheus.Labels{"kind": k}}, usage(k)))
	}
	return m
}

func (m *Metrics) observe(r *Report) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.lastSeen = max(m.lastSeen, float64(r.Finished.Unix()))
	m.mu.Unlock()
	m.reclaimed.Add(float64(r.Reclaimed))
	m.removed.WithLabelValues("mail").Add(float64(r.MailRemoved))
	m.removed.WithLabelValues("ticket").Add(float64(r.TicketsRemoved))
	m.removed.WithLabelValues("queue_item").Add(float64(r.QueueItemsRemoved))
	m.removed.WithLabelValues("learned_example").Add(float64(r.LearnedExamplesRemoved))
}
