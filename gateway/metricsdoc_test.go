package gateway

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/internal/buildinfo"
)

// Every frontdesk_* family a running gateway registers is listed in
// docs/metrics.md, the page of every metric (issue 18): a gateway that has
// filed, relayed and acknowledged one mail is gathered and each family
// looked up in the page. (The e2e test does the same on a real scrape.)
func TestEveryMetricDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "metrics.md"))
	if err != nil {
		t.Fatal(err)
	}
	g := startGateway(t, "sales")
	send(t, g.SMTPAddr().String(), "support@support.test", "quote for 2 units")
	data := filepath.Join(g.dir, "data")
	waitFile(t, filepath.Join(data, "mailboxes", "sales"), "Subject: quote for 2 units")
	waitFile(t, filepath.Join(data, "outbox"), "carol@customer.test", "Auto-Submitted: auto-replied")
	mfs, err := g.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, mf := range mfs {
		name := mf.GetName()
		if !strings.HasPrefix(name, "frontdesk_") {
			continue
		}
		n++
		if !strings.Contains(string(doc), "`"+name+"`") {
			t.Errorf("docs/metrics.md does not list %s (%s)", name, mf.GetHelp())
		}
	}
	if n < 30 {
		t.Errorf("only %d frontdesk_* families gathered; want the gateway's whole set", n)
	}
	t.Logf("%d frontdesk_* families, each listed in docs/metrics.md", n)

	// The other direction: every metric the page lists is one the gateway
	// registers. A vector with no series yet is not gathered, so each
	// documented name is probed instead: a registry refuses a second
	// descriptor of a name it holds with other help text, and accepts
	// (and here gives back) one it does not hold.
	documented := documentedMetrics(t, string(doc))
	if len(documented) < n {
		t.Errorf("found %d metrics in docs/metrics.md's tables, fewer than the %d gathered; the pattern no longer finds them", len(documented), n)
	}
	for _, name := range documented {
		p := probe{prometheus.NewDesc(name, "probe of whether "+name+" is registered", nil, nil)}
		if err := g.reg.Register(p); err == nil {
			g.reg.Unregister(p)
			t.Errorf("docs/metrics.md lists %s, which the gateway does not register", name)
		}
	}
}

// documentedMetrics returns the metric names in the first column of
// docs/metrics.md's tables.
func documentedMetrics(t *testing.T, doc string) []string {
	t.Helper()
	var out []string
	for _, m := range regexp.MustCompile("(?m)^\\| `(frontdesk_[a-z0-9_]+)` \\|").FindAllStringSubmatch(doc, -1) {
		out = append(out, m[1])
	}
	return out
}

// probe is a collector of one descriptor and no series.
type probe struct{ desc *prometheus.Desc }

func (p probe) Describe(ch chan<- *prometheus.Desc) { ch <- p.desc }
func (p probe) Collect(chan<- prometheus.Metric)    {}

// frontdesk_build_info carries the version serve was given (-ldflags) and
// the toolchain the binary was built with, as `frontdesk version` prints
// them.
func TestBuildInfoMetric(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "frontdesk.yaml"), []byte("hostname: frontdesk.test\ndomains: [support.test]\ndata_dir: data\n"+
		"smtp: {listen: \"127.0.0.1:0\"}\nhttp: {listen: \"127.0.0.1:0\"}\nrelay: {target: maildir}\noutbound: {target: maildir}\n"), 0o644)
	cfg, err := config.Load(filepath.Join(dir, "frontdesk.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	g, err := New(context.Background(), Options{Config: cfg, Registry: reg, Logger: testLogger(t), Version: "v1.2.3-test"})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	want := fmt.Sprintf(`
# HELP frontdesk_build_info Build information (module version, VCS revision, Go toolchain); always 1.
# TYPE frontdesk_build_info gauge
frontdesk_build_info{goversion=%q,revision=%q,version="v1.2.3-test"} 1
`, runtime.Version(), buildinfo.Read("v1.2.3-test").Revision)
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "frontdesk_build_info"); err != nil {
		t.Error(err)
	}
	if got := g.Summary().Build.Version; got != "v1.2.3-test" {
		t.Errorf("serve's banner shows version %q, want v1.2.3-test", got)
	}
}

// TestSummaryLinesAlign: serve's start-up summary names the FAQ catalog
// beside the rules, and every value starts in the same column, the
// submission line's included.
func TestSummaryLinesAlign(t *testing.T) {
	var b strings.Builder
	Summary{Config: "embedded defaults", SMTP: "127.0.0.1:2525", Submission: "127.0.0.1:2587", HTTP: "127.0.0.1:8025",
		Domains: []string{"support.example"}, DataDir: "d", Store: "d/store", Mail: "d/mail", Relay: "maildir",
		Outbound: "direct", Rules: "embedded demo rules", FAQ: "embedded demo catalog (41 entries)"}.WriteText(&b)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")[1:]
	if !strings.Contains(b.String(), "\nfaq:        embedded demo catalog (41 entries)\n") {
		t.Errorf("no faq line:\n%s", b.String())
	}
	for _, l := range lines {
		label, rest, ok := strings.Cut(l, ":")
		if !ok || len(label)+1+len(rest)-len(strings.TrimLeft(rest, " ")) != 12 {
			t.Errorf("%q: its value does not start at column 13", l)
		}
	}
}
