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

// newSource compiles path (a file, or the templates directory) and counts
// its reloads as frontdesk_<what>_reloads_total{result}; with path "" the
// source is static.
func newSource[T any](what, path string, static func() (*T, error), compile func(string) (*T, error), reg prometheus.Registerer, log *slog.Logger) (*source[T], error) {
	if path == "" {
		v, err := static()
		if err != nil {
			return nil, err
		}
		return &source[T]{static: v}, nil
	}
	reloads := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: what, Name: "reloads_total",
		Help: "Reloads of the " + what + " by result (success, failure); a failure keeps the version in force."}, []string{"result"})
	reloads.WithLabelValues("success")
	reloads.WithLabelValues("failure")
	reg.MustRegister(reloads)
	w, err := reload.New(path, compile, reload.Options{Logger: log.With("what", what), OnResult: func(ok bool, _ error) {
		if ok {
			reloads.WithLabelValues("success").Inc()
		} else {
			reloads.WithLabelValues("failure").Inc()
		}
	}})
	if err != nil {
		return nil, err
	}
	return &source[T]{w: w}, nil
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
