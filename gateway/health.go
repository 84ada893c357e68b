package gateway

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/internal/pgdsn"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
)

// readiness answers /readyz: ready when the store answers (on
// PostgreSQL, the database within readyTimeout), the SMTP listener is up
// and the queue workers run.
type readiness struct {
	st   *store.Store
	q    *queue.Queue
	smtp atomic.Bool
	disk *diskGuard // nil: not watched
	dsn  string     // the PostgreSQL store's, masked in messages
}

// readyTimeout bounds the database's answer: a node that cannot reach it
// sooner is taken out of a load balancer's rotation.
const readyTimeout = 2 * time.Second

func newReadiness(st *store.Store, q *queue.Queue) *readiness { return &readiness{st: st, q: q} }

func (r *readiness) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var problems []string
	if r.st.Postgres() {
		ctx, cancel := context.WithTimeout(req.Context(), readyTimeout)
		if err := r.st.Ping(ctx); err != nil {
			problems = append(problems, "store: "+pgdsn.Err(err, r.dsn).Error()+" (SMTP answers 451 4.3.0 until it is back)")
		}
		cancel()
	} else if err := r.st.View(func(*store.Txn) error { return nil }); err != nil {
		problems = append(problems, "store: "+err.Error())
	}
	if !r.smtp.Load() {
		problems = append(problems, "smtp listener not up")
	}
	if !r.q.Running() {
		problems = append(problems, "queue workers not running")
	}
	if r.disk != nil {
		if p := r.disk.problem(); p != "" {
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		for _, p := range problems {
			fmt.Fprintln(w, p)
		}
		return
	}
	fmt.Fprintln(w, "ready")
}

func registerStoreMetrics(reg prometheus.Registerer, st *store.Store) {
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: "frontdesk", Subsystem: "store", Name: "lsm_size_bytes", Help: "Size of the Badger LSM tree on disk.",
	}, func() float64 { l, _ := st.Size(); return float64(l) }))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: "frontdesk", Subsystem: "store", Name: "vlog_size_bytes", Help: "Size of the Badger value log on disk.",
	}, func() float64 { _, v := st.Size(); return float64(v) }))
	reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Namespace: "frontdesk", Subsystem: "store", Name: "updates_total", Help: "Store updates committed (a message, a delivery's outcome, a ticket change).",
	}, func() float64 { return float64(st.Stats().Updates) }))
	reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Namespace: "frontdesk", Subsystem: "store", Name: "commits_total", Help: "Synced transactions that committed those updates; concurrent updates share one.",
	}, func() float64 { return float64(st.Stats().Commits) }))
	reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Namespace: "frontdesk", Subsystem: "store", Name: "retries_total", Help: "Transactions run again after a conflict (on PostgreSQL: a serialization failure).",
	}, func() float64 { return float64(st.Stats().Retries) }))
}

func storeGCObserver(reg prometheus.Registerer) func(int) {
	runs := prometheus.NewCounter(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "store", Name: "gc_runs_total", Help: "Value-log GC passes."})
	files := prometheus.NewCounter(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "store", Name: "gc_rewritten_files_total", Help: "Value-log files rewritten by GC."})
	reg.MustRegister(runs, files)
	return func(n int) { runs.Inc(); files.Add(float64(n)) }
}
