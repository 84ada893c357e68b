package deploy

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestFAQLinkPrecisionPanel runs the dashboard's "FAQ link precision"
// query in promtool: half the judged links sent is 0.5, and a week in
// which no link was judged reads 0, a value rather than none, so that the
// panel has data in every scrape (issue 20: every new dashboard query
// returns data).
func TestFAQLinkPrecisionPanel(t *testing.T) {
	d, err := ParseDashboard(DashboardJSON)
	if err != nil {
		t.Fatal(err)
	}
	var expr string
	for _, q := range d.Queries() {
		if strings.HasPrefix(q.Panel, "FAQ link precision") {
			expr, _ = Expand(q.Expr, TestVars)
		}
	}
	if expr == "" {
		t.Fatal("no FAQ link precision panel")
	}
	quoted, _ := yaml.Marshal(expr)
	// 1h samples over 8 days: one link sent and one not on the first
	// day, nothing judged in the last seven.
	test := fmt.Sprintf(`rule_files: []
evaluation_interval: 1m
tests:
  - interval: 1h
    input_series:
      - series: 'frontdesk_faq_ack_links_judged_total{result="sent"}'
        values: '0 1x200'
      - series: 'frontdesk_faq_ack_links_judged_total{result="not_sent"}'
        values: '0 1x200'
    promql_expr_test:
      - expr: %s        eval_time: 10h
        exp_samples:
          - labels: '{}'
            value: 0.5
      - expr: %s        eval_time: 190h
        exp_samples:
          - labels: '{}'
            value: 0
`, quoted, quoted)
	path := filepath.Join(t.TempDir(), "precision_test.yml")
	if err := os.WriteFile(path, []byte(test), 0o644); err != nil {
		t.Fatal(err)
	}
	promtool(t, ".", "test", "rules", path)
}
