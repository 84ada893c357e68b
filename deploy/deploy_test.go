package deploy

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// promtool runs promtool (Debian package prometheus) with args in dir and
// fails the test with its output when it exits non-zero.
func promtool(t *testing.T, dir string, args ...string) string {
	t.Helper()
	bin := testenv.LookPath(t, "promtool", "prometheus")
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestPromtoolCheckRules(t *testing.T) {
	out := promtool(t, ".", "check", "rules", "prometheus/alerts.yml")
	if !strings.Contains(out, "SUCCESS") {
		t.Errorf("promtool check rules:\n%s", out)
	}
}

// TestPromtoolTestRules runs the unit tests exactly as documented, from
// the repository root.
func TestPromtoolTestRules(t *testing.T) {
	out := promtool(t, "..", "test", "rules", "deploy/prometheus/alerts_test.yml")
	if !strings.Contains(out, "SUCCESS") {
		t.Errorf("promtool test rules:\n%s", out)
	}
}

// TestPromtoolCheckConfig checks the scrape example; its rule_files entry is
// relative to the file, so promtool checks alerts.yml through it too.
func TestPromtoolCheckConfig(t *testing.T) {
	out := promtool(t, ".", "check", "config", "prometheus/prometheus.yml")
	if !strings.Contains(out, "SUCCESS: 1 rule files found") {
		t.Errorf("prometheus.yml does not load alerts.yml:\n%s", out)
	}
	var cfg struct {
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
		RuleFiles []string `yaml:"rule_files"`
	}
	readYAML(t, "prometheus/prometheus.yml", &cfg)
	if len(cfg.ScrapeConfigs) != 1 || cfg.ScrapeConfigs[0].JobName != "frontdesk" ||
		len(cfg.ScrapeConfigs[0].StaticConfigs) != 1 || !slices.Equal(cfg.ScrapeConfigs[0].StaticConfigs[0].Targets, []string{"127.0.0.1:8025"}) {
		t.Errorf("scrape config is not job frontdesk on 127.0.0.1:8025: %+v", cfg.ScrapeConfigs)
	}
	if !slices.Equal(cfg.RuleFiles, []string{"alerts.yml"}) {
		t.Errorf("rule_files = %v, want [alerts.yml]", cfg.RuleFiles)
	}
}

type alertRule struct {
	Alert       string            `yaml:"alert"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

func alertRules(t *testing.T) []alertRule {
	t.Helper()
	var f struct {
		Groups []struct {
			Rules []alertRule `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(AlertsYAML, &f); err != nil {
		t.Fatal(err)
	}
	var out []alertRule
	for _, g := range f.Groups {
		out = append(out, g.Rules...)
	}
	return out
}

// TestAlertRulesShape: every rule is an alert with a for: clause, a known
// severity and the three annotations, the runbook naming a frontdesk
// command; the alerts the issue asks for are all there.
func TestAlertRulesShape(t *testing.T) {
	rules := alertRules(t)
	var names []string
	for _, r := range rules {
		names = append(names, r.Alert)
		if r.Alert == "" {
			t.Errorf("a rule without an alert name (recording rules belong elsewhere): %q", r.Expr)
			continue
		}
		if r.For == "" {
			t.Errorf("%s has no for: clause", r.Alert)
		}
		if s := r.Labels["severity"]; s != "critical" && s != "warning" {
			t.Errorf("%s: severity %q, want critical or warning", r.Alert, s)
		}
		for _, a := range []string{"summary", "description", "runbook"} {
			if strings.TrimSpace(r.Annotations[a]) == "" {
				t.Errorf("%s lacks the %s annotation", r.Alert, a)
			}
		}
		rb := r.Annotations["runbook"]
		if !strings.Contains(rb, "Meaning:") || !strings.Contains(rb, "Check:") || !regexp.MustCompile(`frontdesk (queue|rules|tickets|sla|serve|store|retention|customers)`).MatchString(rb) {
			t.Errorf("%s: the runbook must say what it means, what to check and which frontdesk command helps:\n%s", r.Alert, rb)
		}
		if strings.Contains(r.Expr, "rate(frontdesk_") && !strings.Contains(r.Expr, "increase(") {
			t.Errorf("%s uses rate() on a low-rate mail counter; use increase() over a long window", r.Alert)
		}
	}
	for _, want := range []string{"FrontdeskSLABreached", "FrontdeskTicketsAtRisk", "FrontdeskQueueStuck", "FrontdeskDeliveryFailures",
		"FrontdeskRulesReloadFailing", "FrontdeskDown"} {
		if !slices.Contains(names, want) {
			t.Errorf("alerts.yml lacks %s", want)
		}
	}
	if n := len(names); len(slices.Compact(slices.Sorted(slices.Values(names)))) != n {
		t.Errorf("duplicate alert names: %v", names)
	}
}

// TestEveryAlertIsUnitTested: alerts_test.yml has, for every alert, a case
// where it fires and a case where it must not.
func TestEveryAlertIsUnitTested(t *testing.T) {
	var f struct {
		RuleFiles []string `yaml:"rule_files"`
		Tests     []struct {
			AlertRuleTest []struct {
				Alertname string `yaml:"alertname"`
				ExpAlerts []any  `yaml:"exp_alerts"`
			} `yaml:"alert_rule_test"`
		} `yaml:"tests"`
	}
	readYAML(t, "prometheus/alerts_test.yml", &f)
	if !slices.Equal(f.RuleFiles, []string{"alerts.yml"}) {
		t.Errorf("alerts_test.yml tests %v, want [alerts.yml]", f.RuleFiles)
	}
	firing, silent := map[string]bool{}, map[string]bool{}
	for _, tc := range f.Tests {
		for _, a := range tc.AlertRuleTest {
			if len(a.ExpAlerts) > 0 {
				firing[a.Alertname] = true
			} else {
				silent[a.Alertname] = true
			}
		}
	}
	for _, r := range alertRules(t) {
		if !firing[r.Alert] {
			t.Errorf("no promtool test where %s fires", r.Alert)
		}
		if !silent[r.Alert] {
			t.Errorf("no promtool test where %s stays silent", r.Alert)
		}
	}
}

// TestShortenFor: the rewrite the end-to-end test applies changes every
// for: clause and nothing else.
func TestShortenFor(t *testing.T) {
	short, n := ShortenFor(AlertsYAML, "1s")
	rules := alertRules(t)
	if n != len(rules) {
		t.Fatalf("rewrote %d for: lines, alerts.yml has %d rules", n, len(rules))
	}
	var f struct {
		Groups []struct {
			Rules []alertRule `yaml:"rules"`
		} `yaml:"groups"`
	}
	if err := yaml.Unmarshal(short, &f); err != nil {
		t.Fatal(err)
	}
	i := 0
	for _, g := range f.Groups {
		for _, r := range g.Rules {
			want := rules[i]
			if r.For != "1s" || r.Expr != want.Expr || r.Annotations["runbook"] != want.Annotations["runbook"] {
				t.Errorf("rewritten %s: for %q, or expression/annotations changed", r.Alert, r.For)
			}
			i++
		}
	}
}

// TestDashboardStructure checks what Grafana needs to import or provision
// frontdesk.json unchanged (Grafana itself is not a Debian package, so the
// model is checked here and every query is run through a real Prometheus
// in e2e/prometheus_test.go).
func TestDashboardStructure(t *testing.T) {
	d, err := ParseDashboard(DashboardJSON)
	if err != nil {
		t.Fatal(err)
	}
	if d.UID != "frontdesk" || d.Title == "" {
		t.Errorf("uid %q title %q; want uid frontdesk and a title", d.UID, d.Title)
	}
	if d.ID != nil {
		t.Errorf("id is %d; an importable dashboard has id null", *d.ID)
	}
	if d.SchemaVersion < 36 {
		t.Errorf("schemaVersion %d; want ≥ 36 (datasource references by uid)", d.SchemaVersion)
	}
	ds, ok := d.Variable("datasource")
	if !ok || ds.Type != "datasource" || ds.QueryString() != "prometheus" {
		t.Errorf("datasource variable: %+v (ok=%v); want type datasource, query prometheus", ds, ok)
	}
	dep, ok := d.Variable("department")
	if !ok || dep.Type != "query" || dep.QueryString() != "label_values(frontdesk_tickets_opened_total, department)" ||
		dep.Datasource == nil || dep.Datasource.UID != "${datasource}" || !dep.IncludeAll || !dep.Multi || dep.AllValue != ".*" {
		t.Errorf("department variable: %+v (ok=%v, query %q)", dep, ok, dep.QueryString())
	}
	ids := map[int]bool{}
	var rows []string
	for _, p := range d.Panels {
		if p.Type == "row" {
			rows = append(rows, p.Title)
		}
		if ids[p.ID] {
			t.Errorf("duplicate panel id %d", p.ID)
		}
		ids[p.ID] = true
		if p.GridPos.W <= 0 || p.GridPos.H <= 0 || p.GridPos.X < 0 || p.GridPos.X+p.GridPos.W > 24 {
			t.Errorf("panel %q: gridPos %+v outside the 24-column grid", p.Title, p.GridPos)
		}
	}
	for _, want := range []string{"SLA overview", "Intake", "Acknowledgements", "Queue health", "Gateway health"} {
		if !slices.Contains(rows, want) {
			t.Errorf("no row %q (rows: %v)", want, rows)
		}
	}
	deptMetric := regexp.MustCompile(`frontdesk_(tickets_|sla_(?:breaches|warnings|met|at_risk|first_response|resolution))`)
	for _, p := range d.AllPanels() {
		if p.Datasource == nil || p.Datasource.UID != "${datasource}" || p.Datasource.Type != "prometheus" {
			t.Errorf("panel %q: datasource %+v, want prometheus ${datasource}", p.Title, p.Datasource)
		}
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no queries", p.Title)
		}
		if strings.TrimSpace(p.Title) == "" {
			t.Errorf("panel %d has no title", p.ID)
		}
		for _, tg := range p.Targets {
			if strings.TrimSpace(tg.Expr) == "" {
				t.Errorf("panel %q target %s: empty expr", p.Title, tg.RefID)
			}
			if tg.Datasource != nil && tg.Datasource.UID != "${datasource}" {
				t.Errorf("panel %q target %s: datasource %+v", p.Title, tg.RefID, tg.Datasource)
			}
			if deptMetric.MatchString(tg.Expr) && !strings.Contains(tg.Expr, `department=~"$department"`) {
				t.Errorf("panel %q: %s ignores the department variable", p.Title, tg.Expr)
			}
			// Mail is low-rate (PEERS.md): counts are increase() over long windows.
			if regexp.MustCompile(`rate\(frontdesk_`).MatchString(tg.Expr) {
				t.Errorf("panel %q: rate() on a frontdesk counter looks empty at mail rates; use increase(...[1h]): %s", p.Title, tg.Expr)
			}
			if _, missing := Expand(tg.Expr, TestVars); len(missing) > 0 {
				t.Errorf("panel %q uses unknown variables %v", p.Title, missing)
			}
		}
	}
	titles := strings.Join(func() []string {
		var s []string
		for _, p := range d.AllPanels() {
			s = append(s, p.Title)
		}
		return s
	}(), "\n")
	for _, want := range []string{"Open tickets", "At risk now", "Breached (last 24 h)", "First response p50 / p90", "SLA attainment",
		"New tickets per hour by department", "Rejections per hour by reason", "Acknowledgements per hour: sent vs suppressed",
		"Queue depth by state", "Oldest undelivered item", "Delivery attempts per hour", "Up", "Rules reloaded", "Store size", "Version"} {
		if !strings.Contains(titles, want) {
			t.Errorf("no panel titled %q", want)
		}
	}
}

// TestDashboardQueriesParse feeds every dashboard query, variables
// expanded, to promtool as a recording rule: a syntax error in any of them
// fails here without a running Prometheus.
func TestDashboardQueriesParse(t *testing.T) {
	d, err := ParseDashboard(DashboardJSON)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("groups:\n  - name: dashboard\n    rules:\n")
	for i, q := range d.Queries() {
		expr, _ := Expand(q.Expr, TestVars)
		quoted, _ := yaml.Marshal(expr)
		fmt.Fprintf(&b, "      - record: dashboard_query_%d\n        expr: %s", i, quoted)
	}
	path := filepath.Join(t.TempDir(), "dashboard_rules.yml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	promtool(t, ".", "check", "rules", path)
}

// TestGrafanaProvisioning: the datasource and dashboard providers are what
// grafana-server reads from its provisioning directory.
func TestGrafanaProvisioning(t *testing.T) {
	var ds struct {
		APIVersion  int `yaml:"apiVersion"`
		Datasources []struct {
			Name, Type, UID, Access, URL string
			IsDefault                    bool `yaml:"isDefault"`
		} `yaml:"datasources"`
	}
	readYAML(t, "grafana/provisioning/datasources/prometheus.yml", &ds)
	if ds.APIVersion != 1 || len(ds.Datasources) != 1 || ds.Datasources[0].Type != "prometheus" || ds.Datasources[0].URL == "" ||
		!ds.Datasources[0].IsDefault || ds.Datasources[0].Access != "proxy" {
		t.Errorf("datasource provisioning: %+v", ds)
	}
	var dp struct {
		APIVersion int `yaml:"apiVersion"`
		Providers  []struct {
			Name, Type, Folder string
			Options            struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	readYAML(t, "grafana/provisioning/dashboards/frontdesk.yml", &dp)
	if dp.APIVersion != 1 || len(dp.Providers) != 1 || dp.Providers[0].Type != "file" || !filepath.IsAbs(dp.Providers[0].Options.Path) {
		t.Errorf("dashboard provisioning: %+v", dp)
	}
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(false)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
