package queue

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/store"
)

// Metrics are the queue's Prometheus collectors.
type Metrics struct {
	attempts *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// NewMetrics registers the queue's metrics on reg. Depth and the oldest
// item's age are read from the store at scrape time, so they are never
// stale and need no bookkeeping on the hot path.
func NewMetrics(reg prometheus.Registerer, st *store.Store, targets map[TargetName]Target) *Metrics {
	m := &Metrics{
		attempts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Subsystem: "queue", Name: "delivery_attempts_total",
			Help: "Delivery attempts by target and result (delivered, deferred, failed).",
		}, []string{"target", "result"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "frontdesk", Subsystem: "queue", Name: "delivery_latency_seconds",
			Help: "Time from acceptance to successful delivery, by kind of mail.",
			// From a local Maildir write (ms) to a day of retries.
			Buckets: []float64{0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120, 600, 3600, 21600, 86400},
		}, []string{"kind"}),
	}
	for _, k := range []Kind{Relay, Ack, Reply, Warning, Escalation} {
		m.latency.WithLabelValues(string(k))
	}
	for _, t := range targets {
		for _, r := range []string{"delivered", "deferred", "failed"} {
			m.attempts.WithLabelValues(t.Name(), r)
		}
	}
	reg.MustRegister(m.attempts, m.latency, &depthCollector{st: st, targets: targets})
	return m
}

var (
	depthDesc  = prometheus.NewDesc("frontdesk_queue_items", "Queue items by state and target.", []string{"state", "target"}, nil)
	oldestDesc = prometheus.NewDesc("frontdesk_queue_oldest_item_age_seconds", "Age of the oldest item not yet delivered (0 when empty).", nil, nil)
)

type depthCollector struct {
	st      *store.Store
	targets map[TargetName]Target
}

func (c *depthCollector) Describe(ch chan<- *prometheus.Desc) { ch <- depthDesc; ch <- oldestDesc }

func (c *depthCollector) Collect(ch chan<- prometheus.Metric) {
	items, err := List(c.st)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(depthDesc, err)
		return
	}
	counts := map[[2]string]int{}
	for _, t := range c.targets {
		for _, s := range []string{StateReady, StateDeferred, StateFailed} {
			counts[[2]string{s, t.Name()}] = 0
		}
	}
	var oldest time.Time
	for _, it := range items {
		name := string(it.Target)
		if t, ok := c.targets[it.Target]; ok {
			name = t.Name()
		}
		counts[[2]string{it.State, name}]++
		if oldest.IsZero() || it.Created.Before(oldest) {
			oldest = it.Created
		}
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(depthDesc, prometheus.GaugeValue, float64(n), k[0], k[1])
	}
	age := 0.0
	if !oldest.IsZero() {
		age = time.Since(oldest).Seconds()
	}
	ch <- prometheus.MustNewConstMetric(oldestDesc, prometheus.GaugeValue, age)
}
