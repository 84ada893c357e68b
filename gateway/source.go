package gateway

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/reload"
)

// source is a compiled file in force: a static value when no file is
// configured, or the file watched and hot-reloaded, on change and on
// SIGHUP, like the rules. The FAQ catalog and the acknowledgement
// templates are sources.
type source[T any] struct {
	static *T
	w      *reload.Watcher[T]
}

// newSource compiles path (a file, or the templates directory) and, with
// path "" the static version instead. Every source reports the same three
// metrics, whatever it holds: frontdesk_<what>_reloads_total{result},
// frontdesk_<what>_last_reload_successful and
// frontdesk_<what>_last_reload_success_timestamp_seconds (a static source
// never reloads: 1, and the time it was loaded). onReload, when set, is
// called after each successful reload with the new version.
func newSource[T any](what, path string, static func() (*T, error), compile func(string) (*T, error), reg prometheus.Registerer, log *slog.Logger, onReload func(*T)) (*source[T], error) {
	reloads := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: what, Name: "reloads_total",
		Help: "Reloads of the " + what + " by result (success, failure); a failure keeps the version in force."}, []string{"result"})
	reloads.WithLabelValues("success")
	reloads.WithLabelValues("failure")
	lastSuccess := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "frontdesk", Subsystem: what, Name: "last_reload_success_timestamp_seconds",
		Help: "When the " + what + " were last loaded successfully."})
	lastOK := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "frontdesk", Subsystem: what, Name: "last_reload_successful",
		Help: "1 when the last reload of the " + what + " succeeded, 0 when the version in force is older than the file."})
	s := &source[T]{}
	if path == "" {
		v, err := static()
		if err != nil {
			return nil, err
		}
		s.static = v
	} else {
		var started bool // the initial load is not a reload
		w, err := reload.New(path, compile, reload.Options{Logger: log.With("what", what), OnResult: func(ok bool, _ error) {
			if !started {
				return
			}
			if !ok {
				reloads.WithLabelValues("failure").Inc()
				lastOK.Set(0)
				return
			}
			reloads.WithLabelValues("success").Inc()
			lastOK.Set(1)
			lastSuccess.SetToCurrentTime()
			if onReload != nil {
				onReload(s.w.Current())
			}
		}})
		if err != nil {
			return nil, err
		}
		s.w = w
		started = true
	}
	lastOK.Set(1)
	lastSuccess.SetToCurrentTime()
	reg.MustRegister(reloads, lastOK, lastSuccess)
	return s, nil
}

// Current returns the version in force; never nil.
func (s *source[T]) Current() *T {
	if s.w != nil {
		return s.w.Current()
	}
	return s.static
}

// Run keeps a watched source fresh until ctx ends.
func (s *source[T]) Run(ctx context.Context) {
	if s.w != nil {
		watch(ctx, s.w)
	}
}

// watch reloads w when its file changes and on SIGHUP, until ctx ends.
// Every source listens for SIGHUP itself, so one signal reloads them all.
func watch[T any](ctx context.Context, w *reload.Watcher[T]) {
	go w.Run(ctx)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			w.Reload()
		}
	}
}
