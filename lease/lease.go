// Package lease runs a job on one node at a time among the gateways that
// share a store (several nodes on one PostgreSQL database): the SLA
// deadline scanner, retention. The node that holds the job's named lease
// (store.AcquireLease) runs it and renews the lease every third of its
// duration; the others try to take it at the same pace. A holder that
// cannot renew stops its job a third of a lease before the lease ends, so
// that two nodes never run it at once; a holder that dies keeps the lease
// only until it ends, and another node then takes it within a third of a
// lease more (DefaultTTL: 15 s, a takeover within 20 s). A node that stops
// cleanly releases its leases, and another takes over at its next try.
//
// On a store only this process opens (Badger) there is no other node, and
// Run runs the job at once without a lease.
package lease

import (
	"cmp"
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/store"
)

// DefaultTTL is a lease's duration when Runner.TTL is zero.
const DefaultTTL = 15 * time.Second

// Runner runs jobs under named leases.
type Runner struct {
	Store *store.Store
	// Holder names this node; empty means Store.Holder().
	Holder string
	// TTL is how long a lease lasts without renewal; 0 means DefaultTTL.
	TTL time.Duration
	// Now is the clock leases are taken by; nil means time.Now. Every
	// node must read the same time (NTP).
	Now     func() time.Time
	Log     *slog.Logger
	Metrics *Metrics
	// Always takes the lease on a store only this process opens too
	// (tests, where two runners share one such store).
	Always bool
}

// Metrics are the Prometheus collectors of leases.
type Metrics struct {
	held *prometheus.GaugeVec
}

// NewMetrics registers frontdesk_lease_held on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{held: prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: "frontdesk", Name: "lease_held",
		Help: "1 while this node holds the named lease and runs its job (scanner, retention), else 0.",
	}, []string{"name"})}
	reg.MustRegister(m.held)
	return m
}

func (m *Metrics) set(name string, held bool) {
	if m == nil {
		return
	}
	v := 0.0
	if held {
		v = 1
	}
	m.held.WithLabelValues(name).Set(v)
}

// Run runs job whenever this node holds the lease name, until ctx ends.
// job must return soon after its context ends: that is how it is stopped
// when the lease is lost. A job that returns on its own gives the lease
// up and runs again when the lease is next taken.
func (r *Runner) Run(ctx context.Context, name string, job func(context.Context)) {
	r.Metrics.set(name, false)
	if !r.Always && !r.Store.Shared() {
		r.Metrics.set(name, true)
		defer r.Metrics.set(name, false)
		job(ctx)
		return
	}
	every := r.ttl() / 3
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		at := r.now()
		ok, err := r.Store.AcquireLease(ctx, name, r.holder(), at, r.ttl())
		if err != nil && ctx.Err() == nil {
			r.log().Warn("lease", "lease", name, "err", err)
		}
		if ok {
			r.hold(ctx, name, at.Add(r.ttl()), tick, job)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// hold runs job while the lease name, held until until, can be renewed.
func (r *Runner) hold(ctx context.Context, name string, until time.Time, tick *time.Ticker, job func(context.Context)) {
	log := r.log()
	log.Info("lease taken, running its job", "lease", name, "holder", r.holder())
	r.Metrics.set(name, true)
	jctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		job(jctx)
	}()
	defer func() {
		cancel()
		<-done
		r.Metrics.set(name, false)
	}()
	release := func() {
		cancel()
		<-done
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer rcancel()
		if err := r.Store.ReleaseLease(rctx, name, r.holder()); err != nil {
			log.Warn("lease release", "lease", name, "err", err)
			return
		}
		log.Info("lease released", "lease", name)
	}
	every := r.ttl() / 3
	for {
		select {
		case <-ctx.Done():
			release()
			return
		case <-done:
			release()
			return
		case <-tick.C:
		}
		at := r.now()
		ok, err := r.Store.AcquireLease(ctx, name, r.holder(), at, r.ttl())
		switch {
		case err == nil && ok:
			until = at.Add(r.ttl())
		case err == nil:
			log.Warn("lease lost to another node, job stopped", "lease", name)
			return
		case ctx.Err() != nil:
			release()
			return
		case !at.Before(until.Add(-every)):
			// Stop before the lease ends, when another node may take it.
			log.Error("lease not renewed in time, job stopped", "lease", name, "err", err)
			return
		default:
			log.Warn("lease renewal", "lease", name, "err", err)
		}
	}
}

func (r *Runner) ttl() time.Duration { return cmp.Or(r.TTL, DefaultTTL) }

func (r *Runner) holder() string { return cmp.Or(r.Holder, r.Store.Holder()) }

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Runner) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.New(slog.DiscardHandler)
}
