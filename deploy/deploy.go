// Package deploy holds the files ops install beside the binary — the
// systemd unit (systemd/), an example production config (frontdesk.yaml),
// the Grafana dashboard and its provisioning (grafana/), the Prometheus
// alert rules, their promtool tests and a scrape example (prometheus/) —
// and the small helpers that the tests of those files share (this package's
// own tests and the end-to-end test in e2e/prometheus_test.go). Nothing in
// the gateway imports it.
package deploy

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DashboardJSON is grafana/frontdesk.json.
//
//go:embed grafana/frontdesk.json
var DashboardJSON []byte

// AlertsYAML is prometheus/alerts.yml.
//
//go:embed prometheus/alerts.yml
var AlertsYAML []byte

// Dashboard is the part of a Grafana dashboard model the checks need.
type Dashboard struct {
	ID            *int    `json:"id"`
	UID           string  `json:"uid"`
	Title         string  `json:"title"`
	SchemaVersion int     `json:"schemaVersion"`
	Panels        []Panel `json:"panels"`
	Templating    struct {
		List []Variable `json:"list"`
	} `json:"templating"`
}

// Panel is a dashboard panel; rows carry their panels inline when collapsed.
type Panel struct {
	ID         int         `json:"id"`
	Type       string      `json:"type"`
	Title      string      `json:"title"`
	Datasource *Datasource `json:"datasource"`
	GridPos    struct {
		H, W, X, Y int
	} `json:"gridPos"`
	Targets []Target `json:"targets"`
	Panels  []Panel  `json:"panels"`
}

// Datasource is a datasource reference.
type Datasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

// Target is one query of a panel.
type Target struct {
	RefID      string      `json:"refId"`
	Expr       string      `json:"expr"`
	Datasource *Datasource `json:"datasource"`
	Instant    bool        `json:"instant"`
}

// Variable is a templating variable. Query is a string (older Grafana) or
// an object with a "query" field (Grafana 10+).
type Variable struct {
	Name       string          `json:"name"`
	Type       string          `json:"type"`
	Query      json.RawMessage `json:"query"`
	Datasource *Datasource     `json:"datasource"`
	IncludeAll bool            `json:"includeAll"`
	AllValue   string          `json:"allValue"`
	Multi      bool            `json:"multi"`
}

// QueryString is the variable's query whichever form it has.
func (v Variable) QueryString() string {
	var s string
	if json.Unmarshal(v.Query, &s) == nil {
		return s
	}
	var o struct {
		Query string `json:"query"`
	}
	json.Unmarshal(v.Query, &o)
	return o.Query
}

// ParseDashboard decodes a dashboard model.
func ParseDashboard(b []byte) (*Dashboard, error) {
	var d Dashboard
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("dashboard: %w", err)
	}
	return &d, nil
}

// AllPanels is every panel, rows' nested panels included, rows excluded.
func (d *Dashboard) AllPanels() []Panel {
	var out []Panel
	var walk func([]Panel)
	walk = func(ps []Panel) {
		for _, p := range ps {
			if p.Type != "row" {
				out = append(out, p)
			}
			walk(p.Panels)
		}
	}
	walk(d.Panels)
	return out
}

// Query is one target of one panel.
type Query struct {
	Panel, RefID, Expr string
	Instant            bool
}

// Queries lists every panel target in dashboard order.
func (d *Dashboard) Queries() []Query {
	var out []Query
	for _, p := range d.AllPanels() {
		for _, t := range p.Targets {
			out = append(out, Query{Panel: p.Title, RefID: t.RefID, Expr: t.Expr, Instant: t.Instant})
		}
	}
	return out
}

// Variable returns the templating variable called name.
func (d *Dashboard) Variable(name string) (Variable, bool) {
	for _, v := range d.Templating.List {
		if v.Name == name {
			return v, true
		}
	}
	return Variable{}, false
}

var varRef = regexp.MustCompile(`\$\{(\w+)(?::\w+)?\}|\$(\w+)`)

// Expand replaces Grafana variables in a panel query as Grafana would
// before sending it to Prometheus: each $name or ${name} by vars[name].
// It returns the names it found no value for.
func Expand(expr string, vars map[string]string) (string, []string) {
	var missing []string
	out := varRef.ReplaceAllStringFunc(expr, func(m string) string {
		sm := varRef.FindStringSubmatch(m)
		name := sm[1] + sm[2]
		if v, ok := vars[name]; ok {
			return v
		}
		missing = append(missing, name)
		return m
	})
	return out, missing
}

// TestVars are the values the tests give the dashboard's variables: every
// department, and Grafana's interval variables sized for a 1 s scrape
// interval and a test lasting about a minute.
var TestVars = map[string]string{
	"department":      ".*",
	"datasource":      "prometheus",
	"__rate_interval": "30s",
	"__interval":      "15s",
	"__range":         "5m",
	"__range_s":       "300",
}

var forLine = regexp.MustCompile(`(?m)^(\s+for:\s*)(\S+)\s*$`)

// ShortenFor rewrites every rule's "for:" duration in an alerts file to d
// (e.g. "1s"), so that a test can watch alerts become pending and firing
// within seconds; expressions, labels and annotations stay as shipped. It
// returns the new file and how many "for:" lines it rewrote.
func ShortenFor(alerts []byte, d string) ([]byte, int) {
	n := len(forLine.FindAll(alerts, -1))
	return forLine.ReplaceAll(alerts, []byte("${1}"+d)), n
}

// AlertExprs maps each alert of an alerts file to its expression.
func AlertExprs(alerts []byte) (map[string]string, error) {
	var f struct {
		Groups []struct {
			Rules []struct {
				Alert string `yaml:"alert"`
				Expr  string `yaml:"expr"`
			} `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(alerts, &f); err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	out := map[string]string{}
	for _, g := range f.Groups {
		for _, r := range g.Rules {
			out[r.Alert] = r.Expr
		}
	}
	return out, nil
}

// MetricNames lists the frontdesk_* metric names an expression uses, with
// histogram suffixes (_bucket, _sum, _count) removed.
func MetricNames(expr string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range regexp.MustCompile(`\bfrontdesk_[a-z0-9_]+`).FindAllString(expr, -1) {
		for _, suf := range []string{"_bucket", "_sum", "_count"} {
			if strings.HasSuffix(m, "_seconds"+suf) || strings.HasSuffix(m, "_bytes"+suf) {
				m = strings.TrimSuffix(m, suf)
			}
		}
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}
