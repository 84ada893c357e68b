package smtpd

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// TestRefusalReasonsDocumented: every reason the server refuses with is a
// series from the start (so a rate() sees its first refusal) and is
// listed in docs/metrics.md, and the doc lists no other.
func TestRefusalReasonsDocumented(t *testing.T) {
	reg := prometheus.NewRegistry()
	NewMetrics(reg)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var series []string
	for _, mf := range mfs {
		if mf.GetName() != "frontdesk_smtp_refusals_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			series = append(series, m.GetLabel()[0].GetValue())
		}
	}
	// the reasons the code passes to refuse, literally or by variable
	files, _ := filepath.Glob("*.go")
	lit := regexp.MustCompile(`refuse\("([a-z_]+)"|reason(?: :)?= "([a-z_]+)"|, "([a-z_]+)"\n`)
	used := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range lit.FindAllStringSubmatch(string(b), -1) {
			for _, g := range m[1:3] {
				if g != "" {
					used[g] = true
				}
			}
		}
	}
	if len(used) < 10 {
		t.Fatalf("found only %d refusal reasons in the source: %v", len(used), used)
	}
	for r := range used {
		if !slices.Contains(series, r) {
			t.Errorf("reason %q is refused with but not a series from the start", r)
		}
	}
	doc, err := os.ReadFile(filepath.Join("..", "docs", "metrics.md"))
	if err != nil {
		t.Fatal(err)
	}
	var row string
	for _, l := range strings.Split(string(doc), "\n") {
		if strings.HasPrefix(l, "| `frontdesk_smtp_refusals_total`") {
			row = l
		}
	}
	var documented []string
	for _, m := range regexp.MustCompile("`([a-z_]+)`:").FindAllStringSubmatch(row, -1) { // each reason is "`name`: what it is"
		documented = append(documented, m[1])
	}
	slices.Sort(series)
	slices.Sort(documented)
	if !slices.Equal(series, documented) {
		t.Errorf("docs/metrics.md lists refusal reasons %v, the server has %v", documented, series)
	}
}
