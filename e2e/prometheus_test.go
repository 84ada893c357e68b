package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/deploy"
	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// monitoringRules are testRules with short SLAs and a third department:
// support's first response is due after 12 s (warning at 6 s), sales'
// after 5 min with the warning at 2 % (6 s), so sales tickets stay at risk
// for the rest of the test; billing has no SLA.
const monitoringRules = `departments:
  support:
    name: Customer Support
    addresses: [support, help]
    mailbox: support-team@agents.test
    agents: [alice@agents.test]
    escalate_to: support-lead@agents.test
    sla: {first_response: 12s, warn_at: 50%}
  sales:
    name: Sales
    addresses: [sales]
    mailbox: sales-team@agents.test
    escalate_to: sales-lead@agents.test
    sla: {first_response: 5m, warn_at: 2%}
  billing:
    name: Billing
    addresses: [billing]
    mailbox: billing-team@agents.test
    agents: [alice@agents.test, bob@agents.test]
default_department: support
rules:
  - name: spam is dropped
    if: {header: {name: X-Spam-Flag, equals: "YES"}}
    then: {discard: true}
  - name: blocked sender
    if: {from: {domain: blocked.example}}
    then: {reject: "We do not accept mail from this sender"}
`

// TestPrometheusDashboardAndAlerts runs the real gateway and a real
// Prometheus (Debian package prometheus) scraping it every second with the
// shipped alerts.yml, whose for: durations are shortened to 1 s by
// deploy.ShortenFor (every "for: X" line becomes "for: 1s"; expressions,
// thresholds and annotations are unchanged). A scenario produces tickets in
// three departments, a suppressed acknowledgement, a discarded and a
// rejected message, delivery failures (the agents' server refuses every
// RCPT), an SLA warning and a breach, an answered and resolved ticket and a
// failed rules reload. Then: promtool check metrics passes on a scrape;
// every query of the Grafana dashboard runs without error and returns data;
// the alerts the scenario provokes are pending or firing and the others are
// not; and FrontdeskDown follows when the gateway stops.
func TestPrometheusDashboardAndAlerts(t *testing.T) {
	promBin := testenv.LookPath(t, "prometheus", "prometheus")
	promtoolBin := testenv.LookPath(t, "promtool", "prometheus")
	sink := testenv.StartSMTPSink(t, testenv.SinkPermFail("RCPT"))
	g := startGateway(t, fmt.Sprintf("relay:\n  target: smtp://%s\n  min_backoff: 100ms\n  max_backoff: 1s\n", sink.Addr))
	writeFile(t, filepath.Join(g.dir, "rules.yaml"), monitoringRules)
	g.stop() // a restart rather than a hot reload: the reload counters stay at zero
	g.start()
	metricsURL := "http://" + g.HTTP + "/metrics"
	if !strings.Contains(httpGet(t, metricsURL), `frontdesk_tickets_opened_total{department="billing",priority="normal"} 0`) {
		t.Fatalf("the short-SLA rules are not in force")
	}

	p := startPrometheus(t, promBin, g.HTTP)
	p.waitQuery(t, "the first scrape", `up{job="frontdesk"} == 1`, 20*time.Second)
	start := time.Now()

	// --- scenario ---------------------------------------------------------
	swaks := func(args ...string) {
		t.Helper()
		testenv.SwaksOK(t, append([]string{"--server", g.SMTP}, args...)...)
	}
	// Carol's acknowledgement links kettle-not-heating (the README's
	// walkthrough mail), so that alice's #faq below judges its link for
	// "FAQ link precision", which has no value while nothing is judged.
	swaks("--from", "carol@customer.example", "--to", "support@support.localhost", "--header", "Subject: my kettle will not heat", "--body", "It stopped working today. The light does not come on when I press the switch.")
	// Alice answers carol in time (first response met) ...
	var tag string
	waitFor(t, "carol's ticket", func() bool {
		for _, tk := range g.tickets(t) {
			if strings.Contains(tk.Customer, "carol@") {
				tag = tk.Tag
			}
		}
		return tag != ""
	})
	reply := "support+" + strings.ToLower(tag) + "@support.localhost"
	swaks("--from", "alice@agents.test", "--to", reply, "--header", "From: alice@agents.test",
		"--header", "Subject: Re: ["+tag+"] kettle broken", "--body", "#faq kettle-not-heating\nPlease descale it.")
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Fatalf("the agent's reply took %v; it must come before support's 12 s deadline", elapsed)
	}
	swaks("--from", "dave@customer.example", "--to", "help@support.localhost", "--header", "Subject: toaster broken", "--body", "nobody answers this one")
	swaks("--from", "erin@customer.example", "--to", "sales@support.localhost", "--header", "Subject: quote", "--body", "30 kettles")
	swaks("--from", "frank@customer.example", "--to", "sales@support.localhost", "--header", "Subject: quote", "--body", "40 kettles")
	// A newsletter: the ticket opens, the acknowledgement is suppressed (RFC 3834).
	swaks("--from", "news@customer.example", "--to", "sales@support.localhost", "--header", "Subject: our newsletter",
		"--header", "Precedence: bulk", "--body", "news")
	swaks("--from", "heidi@customer.example", "--to", "billing@support.localhost", "--header", "Subject: invoice", "--body", "wrong amount")
	// Judy writes to support about a charge; Alice moves it to billing (a
	// triage correction; billing has no SLA, so nothing else changes).
	swaks("--from", "judy@customer.example", "--to", "support@support.localhost", "--header", "Subject: charged twice", "--body", "my card was charged twice")
	var judy string
	waitFor(t, "judy's ticket", func() bool {
		for _, tk := range g.tickets(t) {
			if strings.Contains(tk.Customer, "judy@") {
				judy = tk.Tag
			}
		}
		return judy != ""
	})
	swaks("--from", "alice@agents.test", "--to", "support+"+strings.ToLower(judy)+"@support.localhost", "--header", "From: alice@agents.test",
		"--header", "Subject: Re: ["+judy+"] charged twice", "--body", "#move billing")
	swaks("--from", "spam@customer.example", "--to", "support@support.localhost", "--header", "X-Spam-Flag: YES", "--header", "Subject: win", "--body", "spam")
	if out, err := testenv.Swaks(t, "--server", g.SMTP, "--from", "x@blocked.example", "--to", "support@support.localhost", "--body", "blocked"); err == nil {
		t.Errorf("mail from a blocked sender was accepted:\n%s", out)
	}
	// frontdesk_queue_delivery_latency_seconds{kind} appears only with the
	// first delivery, so increase() cannot see that one; once Prometheus
	// has the ack series, one more new ticket (and acknowledgement) gives
	// the latency panel an observation it can see.
	p.waitQuery(t, "the acknowledgements' latency series", `frontdesk_queue_delivery_latency_seconds_count{kind="ack"}`, 10*time.Second)
	swaks("--from", "ivan@customer.example", "--to", "billing@support.localhost", "--header", "Subject: refund", "--body", "please")
	// ... and resolves the ticket later.
	swaks("--from", "alice@agents.test", "--to", reply, "--header", "From: alice@agents.test",
		"--header", "Subject: Re: ["+tag+"] kettle broken", "--body", "#resolve\nGlad it works.")
	waitFor(t, "the resolution", func() bool {
		for _, tk := range g.tickets(t) {
			if tk.Tag == tag {
				return tk.Status == "resolved"
			}
		}
		return false
	})
	// Carol rates the resolution: the link in the resolving reply opens her
	// status page, whose confirm button posts the rating.
	var rateLink string
	waitFor(t, "the rating link in the resolving reply", func() bool {
		for _, m := range waitMaildir(t, g.outbox(), 0, time.Second) {
			if l := regexp.MustCompile(`http://\S+/t/[^\s?]+`).Find(m); l != nil && bytes.Contains(m, []byte("Glad it works")) && bytes.Contains(m, []byte("rate=good")) {
				rateLink = string(l)
				return true
			}
		}
		return false
	})
	resp, err := http.PostForm(rateLink+"/rate", url.Values{"rating": {"good"}, "comment": {"quick and kind"}})
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("posting the rating: %v %v", err, resp)
	}
	resp.Body.Close()
	// Billing (no SLA): bob answers heidi right after alice, so his reply
	// is held until his #send; alice merges ivan's ticket into heidi's.
	tagOf := func(customer string) string {
		for _, tk := range g.tickets(t) {
			if strings.Contains(tk.Customer, customer) {
				return tk.Tag
			}
		}
		t.Fatalf("no ticket of %s", customer)
		return ""
	}
	billingAgent := func(who, tag, body string) {
		t.Helper()
		swaks("--from", who, "--to", "billing+"+strings.ToLower(tag)+"@support.localhost", "--header", "From: "+who,
			"--header", "Subject: Re: ["+tag+"] invoice", "--body", body)
	}
	heidi, ivan := tagOf("heidi@"), tagOf("ivan@")
	billingAgent("alice@agents.test", heidi, "We are checking the amount.")
	billingAgent("bob@agents.test", heidi, "The amount is being checked.")
	billingAgent("bob@agents.test", heidi, "#send")
	billingAgent("alice@agents.test", ivan, "#merge "+heidi)
	// A broken edit of the rules file: the reload fails, the old rules stay.
	writeFile(t, filepath.Join(g.dir, "rules.yaml"), "departments: [this is not a mapping\n")
	waitFor(t, "the failed reload", func() bool {
		return strings.Contains(httpGet(t, metricsURL), `frontdesk_rules_reloads_total{result="failure"} 1`)
	})

	// A retention run (through the running server's API) gives the
	// retention panels their last-run time.
	if out, err := exec.Command(binary, "retention", "run", "-c", g.cfgPath).CombinedOutput(); err != nil {
		t.Fatalf("retention run: %v\n%s", err, out)
	}

	// --- what the scenario must show ------------------------------------------
	p.waitQuery(t, "the breach of dave's ticket", `frontdesk_sla_breaches_total{department="support",kind="first_response"} == 1`, 30*time.Second)
	p.waitQuery(t, "three sales tickets at risk", `frontdesk_sla_at_risk_tickets{department="sales"} == 3`, 20*time.Second)
	p.waitQuery(t, "the suppressed acknowledgement", `frontdesk_acks_total{result="suppressed",reason="precedence"} == 1`, 10*time.Second)
	p.waitQuery(t, "carol's rating", `frontdesk_csat_responses_total{department="support",rating="good"} == 1`, 10*time.Second)
	p.waitQuery(t, "alice owns nothing open, dave's ticket is nobody's", `frontdesk_tickets_open_by_owner{department="support",owner="none"} >= 1`, 10*time.Second)
	p.waitQuery(t, "failed deliveries", `frontdesk_queue_items{state="failed",target="smtp"} >= 3`, 20*time.Second)
	p.waitQuery(t, "bob's held reply, sent", `frontdesk_replies_held_total{department="billing",outcome="sent"} == 1`, 10*time.Second)
	p.waitQuery(t, "ivan's ticket merged", `frontdesk_tickets_merged_total{department="billing"} == 1`, 10*time.Second)
	// Alice's one #move of judy's ticket is a correction increase() sees:
	// the support→billing series existed at 0 before it (a series born at
	// 1 gave 0, and triage accuracy missed every pair's first correction).
	p.waitQuery(t, "judy's move counted by increase()", `increase(frontdesk_triage_corrections_total{from="support",to="billing"}[5m]) > 0.5`, 10*time.Second)

	// promtool check metrics on a real scrape (lint: names, units, help).
	scrape := httpGet(t, metricsURL)
	lint := exec.Command(promtoolBin, "check", "metrics")
	lint.Stdin = strings.NewReader(scrape)
	if out, err := lint.CombinedOutput(); err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
	checkMetricsDocumented(t, scrape)
	// Every metric the alerts and the dashboard use is exported.
	d, err := deploy.ParseDashboard(deploy.DashboardJSON)
	if err != nil {
		t.Fatal(err)
	}
	exprs, err := deploy.AlertExprs(deploy.AlertsYAML)
	if err != nil {
		t.Fatal(err)
	}
	var used []string
	for _, e := range exprs {
		used = append(used, deploy.MetricNames(e)...)
	}
	for _, q := range d.Queries() {
		used = append(used, deploy.MetricNames(q.Expr)...)
	}
	for _, m := range used {
		if !strings.Contains(scrape, "\n# TYPE "+m+" ") {
			t.Errorf("alerts.yml or the dashboard use %s, which /metrics does not export", m)
		}
	}

	// Alerts: the ones the scenario provokes become pending or firing.
	want := map[string]map[string]string{
		"FrontdeskSLABreached":        {"department": "support", "kind": "first_response"},
		"FrontdeskTicketsAtRisk":      {"department": "sales"},
		"FrontdeskQueueFailedItems":   {"target": "smtp"},
		"FrontdeskDeliveryFailures":   {"target": "smtp"},
		"FrontdeskRulesReloadFailing": {},
	}
	p.waitAlerts(t, want, 30*time.Second)
	// ... and the ones it does not provoke stay silent.
	active := p.alerts(t)
	for _, name := range []string{"FrontdeskDown", "FrontdeskQueueStuck", "FrontdeskSLAScannerStalled", "FrontdeskStoreCommitFailing",
		"FrontdeskSMTPConnectionLimitReached"} {
		for _, a := range active {
			if a.Labels["alertname"] == name {
				t.Errorf("%s is %s, but nothing in the scenario should trigger it: %v", name, a.State, a.Labels)
			}
		}
	}

	// Every dashboard query, variables expanded as Grafana would, runs
	// without error and returns data (not only NaN). Counters need a
	// second sample after an event before increase() sees it, so queries
	// without data are retried until a deadline; errors fail at once.
	queries := d.Queries()
	if len(queries) < 20 {
		t.Fatalf("only %d dashboard queries", len(queries))
	}
	pending := map[int]string{}
	for i := range queries {
		pending[i] = "not run"
	}
	deadline := time.Now().Add(20 * time.Second)
	for len(pending) > 0 && time.Now().Before(deadline) {
		for i := range pending {
			q := queries[i]
			expr, missing := deploy.Expand(q.Expr, deploy.TestVars)
			if len(missing) > 0 {
				t.Fatalf("panel %q: unknown variables %v in %s", q.Panel, missing, q.Expr)
			}
			n, err := p.query(expr)
			if err != nil {
				t.Errorf("panel %q query %s: %v\n%s", q.Panel, q.RefID, err, expr)
				delete(pending, i)
				continue
			}
			if n == 0 {
				pending[i] = "no data"
				continue
			}
			delete(pending, i)
		}
		if len(pending) > 0 {
			time.Sleep(500 * time.Millisecond) // polling Prometheus until the deadline
		}
	}
	for i, why := range pending {
		q := queries[i]
		expr, _ := deploy.Expand(q.Expr, deploy.TestVars)
		t.Errorf("panel %q query %s returned %s:\n%s", q.Panel, q.RefID, why, expr)
	}
	t.Logf("%d dashboard queries returned data after %v", len(queries), time.Since(start).Round(time.Second))

	// The ticket-lifecycle panels show what the scenario did, not only
	// some number: carol's good rating of the one resolution, alice's
	// open ticket, bob's held reply and the merge. (Auto-close needs the
	// test clock: TestAutoCloseAndRating counts it.)
	lifecycle := map[string]string{
		"CSAT (7 d)/A": "== 100", "CSAT (30 d)/A": "== 100", "Rating response rate (30 d)/A": "> 0",
		"CSAT by department (7 d and 30 d)/A": "== 100", "CSAT by department (7 d and 30 d)/B": "== 100",
		"Open tickets per owner/A": "> 0", "Held replies and merges per hour/A": "> 0", "Held replies and merges per hour/B": "> 0",
	}
	for _, q := range queries {
		cond, ok := lifecycle[q.Panel+"/"+q.RefID]
		if !ok {
			continue
		}
		delete(lifecycle, q.Panel+"/"+q.RefID)
		expr, _ := deploy.Expand(q.Expr, deploy.TestVars)
		p.waitQuery(t, "panel "+q.Panel+" "+q.RefID+" "+cond, "("+expr+") "+cond, 10*time.Second)
	}
	for k := range lifecycle {
		t.Errorf("the dashboard has no query %s", k)
	}
	for _, o := range []string{"alice@agents.test", "none"} {
		if n, err := p.query(`sum by (owner) (frontdesk_tickets_open_by_owner{owner="` + o + `"}) > 0`); err != nil || n != 1 {
			t.Errorf("open tickets of %s: %d series, %v", o, n, err)
		}
	}

	// The gateway goes away: FrontdeskDown.
	g.stop()
	p.waitAlerts(t, map[string]map[string]string{"FrontdeskDown": {"job": "frontdesk"}}, 20*time.Second)
	t.Logf("scenario and checks took %v", time.Since(start).Round(time.Second))
}

type prometheus struct {
	addr string
	cmd  *exec.Cmd
	out  *testenv.SyncBuffer
	done chan struct{}
}

// startPrometheus runs the Debian prometheus binary on a free loopback
// port with a private TSDB in t.TempDir(), scraping the gateway at target
// every second and evaluating the shipped alerts.yml (for: shortened to
// 1 s) every second. It returns once /-/ready answers.
func startPrometheus(t *testing.T, bin, target string) *prometheus {
	t.Helper()
	dir := t.TempDir()
	alerts, n := deploy.ShortenFor(deploy.AlertsYAML, "1s")
	if n == 0 {
		t.Fatal("alerts.yml has no for: clauses to shorten")
	}
	writeFile(t, filepath.Join(dir, "alerts.yml"), string(alerts))
	writeFile(t, filepath.Join(dir, "prometheus.yml"), fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files: [alerts.yml]
scrape_configs:
  - job_name: frontdesk
    static_configs:
      - targets: ['%s']
`, target))
	p := &prometheus{addr: fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t)), out: &testenv.SyncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, "--config.file="+filepath.Join(dir, "prometheus.yml"), "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+p.addr, "--log.level=warn")
	p.cmd.Dir = dir
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start prometheus: %v", err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		pgid := p.cmd.Process.Pid
		syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			syscall.Kill(-pgid, syscall.SIGKILL)
			<-p.done
		}
		if t.Failed() {
			t.Logf("prometheus output:\n%s", p.out.String())
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + p.addr + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		select {
		case <-p.done:
			t.Fatalf("prometheus exited during start-up:\n%s", p.out.String())
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("prometheus not ready after 30s:\n%s", p.out.String())
		}
	}
}

type apiResponse struct {
	Status    string          `json:"status"`
	ErrorType string          `json:"errorType"`
	Error     string          `json:"error"`
	Data      json.RawMessage `json:"data"`
}

func (p *prometheus) api(path string, params url.Values) (json.RawMessage, error) {
	resp, err := http.Get("http://" + p.addr + path + "?" + params.Encode())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var r apiResponse
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: HTTP %d: %s", path, resp.StatusCode, b)
	}
	if r.Status != "success" {
		return nil, fmt.Errorf("%s: %s", r.ErrorType, r.Error)
	}
	return r.Data, nil
}

// query runs an instant query and returns how many samples it gave that
// are numbers (NaN, which histogram_quantile and ratios give without
// observations, is not data).
func (p *prometheus) query(expr string) (int, error) {
	data, err := p.api("/api/v1/query", url.Values{"query": {expr}})
	if err != nil {
		return 0, err
	}
	var res struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		return 0, err
	}
	isNum := func(v []any) bool {
		if len(v) != 2 {
			return false
		}
		s, _ := v[1].(string)
		f, err := strconv.ParseFloat(s, 64)
		return err == nil && !math.IsNaN(f)
	}
	switch res.ResultType {
	case "vector":
		var vs []struct {
			Value []any `json:"value"`
		}
		if err := json.Unmarshal(res.Result, &vs); err != nil {
			return 0, err
		}
		n := 0
		for _, v := range vs {
			if isNum(v.Value) {
				n++
			}
		}
		return n, nil
	case "scalar":
		var v []any
		json.Unmarshal(res.Result, &v)
		if isNum(v) {
			return 1, nil
		}
		return 0, nil
	default:
		return 0, fmt.Errorf("result type %s, want an instant vector", res.ResultType)
	}
}

// waitQuery polls expr until it returns data.
func (p *prometheus) waitQuery(t *testing.T, what, expr string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		n, err := p.query(expr)
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s (%s)\nprometheus:\n%s", timeout, what, expr, p.out.String())
		}
		time.Sleep(200 * time.Millisecond) // polling Prometheus until the deadline
	}
}

type activeAlert struct {
	Labels map[string]string `json:"labels"`
	State  string            `json:"state"`
}

func (p *prometheus) alerts(t *testing.T) []activeAlert {
	t.Helper()
	data, err := p.api("/api/v1/alerts", nil)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Alerts []activeAlert `json:"alerts"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	return res.Alerts
}

// waitAlerts polls /api/v1/alerts until every named alert is pending or
// firing with at least the given labels.
func (p *prometheus) waitAlerts(t *testing.T, want map[string]map[string]string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		active := p.alerts(t)
		var missing []string
		for name, labels := range want {
			found := false
			for _, a := range active {
				if a.Labels["alertname"] != name || (a.State != "pending" && a.State != "firing") {
					continue
				}
				ok := true
				for k, v := range labels {
					ok = ok && a.Labels[k] == v
				}
				found = found || ok
			}
			if !found {
				missing = append(missing, name)
			}
		}
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			b, _ := json.MarshalIndent(active, "", "  ")
			t.Fatalf("alerts %v not pending or firing after %v; active alerts:\n%s", missing, timeout, b)
		}
		time.Sleep(200 * time.Millisecond) // polling Prometheus until the deadline
	}
}

// checkMetricsDocumented fails for every frontdesk_* family in a scrape that
// docs/metrics.md does not list, so a new metric cannot ship undocumented.
func checkMetricsDocumented(t *testing.T, scrape string) {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "docs", "metrics.md"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(scrape, "\n") {
		rest, ok := strings.CutPrefix(line, "# HELP frontdesk_")
		if !ok {
			continue
		}
		n++
		name, help, _ := strings.Cut(rest, " ")
		if !strings.Contains(string(doc), "`frontdesk_"+name+"`") {
			t.Errorf("docs/metrics.md does not list frontdesk_%s (%s)", name, help)
		}
	}
	if n == 0 {
		t.Errorf("the scrape has no frontdesk_* family")
	}
}
