package gateway

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/rules"
	"github.com/frontdesk-mail/frontdesk/sla"
)

// router adapts the live rules to intake.Router. Each call loads the
// current rules pointer once, so one message sees one consistent rule set
// even while a reload swaps it.
type router struct {
	src  *source[rules.Rules] // the rules file watched, or the embedded demo
	path string
	log  *slog.Logger
	// faq is the catalog in force, the classifier of "about" conditions
	// (nil until serve has loaded it: those conditions then do not hold).
	faq func() *faq.Catalog

	loaded    *prometheus.GaugeVec
	matches   *prometheus.CounterVec
	ruleNames map[string]bool // the series of matches, changed only by reloads
	// onDepartments is told the department keys after each reload, so
	// per-department series follow the file.
	onDepartments func([]string)
}

func departmentKeys(rs *rules.Rules) []string {
	var keys []string
	for _, d := range rs.Departments() {
		keys = append(keys, d.Key)
	}
	return keys
}

func newRouter(cfg *config.Config, reg prometheus.Registerer, log *slog.Logger) (*router, error) {
	r := &router{path: cfg.RulesFile, log: log}
	r.loaded = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "frontdesk", Subsystem: "rules", Name: "loaded_info",
		Help: "The rules file in force: 1 for its hash."}, []string{"hash"})
	r.matches = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "frontdesk", Subsystem: "rules", Name: "matches_total",
		Help: "Messages matched, by rule name (bounded by the rules file)."}, []string{"rule"})
	src, err := newSource("rules", r.path, demoRules, rules.Load, reg, log, r.reloaded)
	if err != nil {
		return nil, err
	}
	r.src = src
	rs := r.current()
	r.loaded.WithLabelValues(rs.Hash()).Set(1)
	reg.MustRegister(r.loaded, r.matches)
	r.ruleSeries(rs)
	return r, nil
}

func (r *router) Source() string {
	if r.path == "" {
		return demoRulesName
	}
	return r.path
}

func (r *router) current() *rules.Rules { return r.src.Current() }

// Route implements intake.Router.
func (r *router) Route(m *message.Message, now time.Time) rules.Decision {
	rs := r.current()
	var cls rules.Classifier
	if r.faq != nil {
		cls = r.faq()
	}
	d := rs.EvaluateWith(m, now, cls)
	for _, mt := range d.Matched {
		r.matches.WithLabelValues(mt.Rule).Inc()
	}
	return d
}

// Department implements intake.Router.
func (r *router) Department(key string) (rules.Department, bool) {
	return r.current().Department(key)
}

// Departments lists the departments of the rules in force.
func (r *router) Departments() []rules.Department {
	return r.current().Departments()
}

// Calendar implements intake.Router; "" is 24×7 (nil).
func (r *router) Calendar(name string) (*sla.Calendar, bool) {
	if name == "" {
		return nil, true
	}
	return r.current().Calendar(name)
}

// Known reports whether a department owns addr.
func (r *router) Known(addr string) bool {
	_, ok := r.current().DepartmentFor(addr)
	return ok
}

// reloaded follows a successful reload: the hash and rule series of the
// new rules, and the per-department series (the source counts the reload,
// and the watcher logs every error and keeps the rules in force).
func (r *router) reloaded(rs *rules.Rules) {
	r.loaded.Reset()
	r.loaded.WithLabelValues(rs.Hash()).Set(1)
	r.ruleSeries(rs)
	if r.onDepartments != nil {
		r.onDepartments(departmentKeys(rs))
	}
	r.log.Info("rules reloaded", "file", r.path, "hash", rs.Hash(), "rules", rs.Len())
}

// ruleSeries gives every rule of rs its matches series from the start (at
// zero, so that increase() and "never matched" work) and removes the series
// of rules the file no longer has; a renamed rule starts again at zero.
func (r *router) ruleSeries(rs *rules.Rules) {
	names := map[string]bool{}
	for _, n := range rs.Names() {
		names[n] = true
		r.matches.WithLabelValues(n)
	}
	for n := range r.ruleNames {
		if !names[n] {
			r.matches.DeleteLabelValues(n)
		}
	}
	r.ruleNames = names
}

// Run watches the rules file and reloads on SIGHUP until ctx ends.
func (r *router) Run(ctx context.Context) { r.src.Run(ctx) }
