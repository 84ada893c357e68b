package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdesk/message"

	"go.yaml.in/yaml/v3"
)

func evalDir() string { return filepath.Join("..", "..", "shared", "eval") }

type label struct {
	File       string `yaml:"file"`
	Lang       string `yaml:"lang"`
	Department string `yaml:"department"`
}

// TestDemoRoutingAccuracy routes the labelled public mails with the demo
// rules (envelope recipients taken from the To header) and fails below 90 %.
func TestDemoRoutingAccuracy(t *testing.T) {
	dir := filepath.Join(evalDir(), "public")
	data, err := os.ReadFile(filepath.Join(dir, "labels.yaml"))
	if err != nil {
		if os.Getenv("FRONTDESK_INTEGRATION") == "require" {
			t.Fatalf("labels: %v", err)
		}
		t.Skipf("evaluation data not found: %v", err)
	}
	var labels []label
	if err := yaml.Unmarshal(data, &labels); err != nil {
		t.Fatal(err)
	}
	if len(labels) == 0 {
		t.Fatal("no labels")
	}
	r := Demo()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	total, good := map[string]int{}, map[string]int{}
	for _, l := range labels {
		raw, err := os.ReadFile(filepath.Join(dir, l.File))
		if err != nil {
			t.Fatal(err)
		}
		m, _ := message.Parse(raw)
		for _, a := range m.To {
			m.Rcpt = append(m.Rcpt, a.Address)
		}
		d := r.Evaluate(m, now)
		total["all"]++
		total[l.Lang]++
		if d.Department == l.Department {
			good["all"]++
			good[l.Lang]++
			continue
		}
		var rules []string
		for _, mt := range d.Matched {
			rules = append(rules, mt.Rule+" "+strings.Join(mt.Why, ", "))
		}
		t.Logf("miss %s (%s): want %s, got %s; matched: %s", l.File, l.Lang, l.Department, d.Department, strings.Join(rules, " | "))
	}
	acc := func(k string) float64 { return float64(good[k]) / float64(max(total[k], 1)) }
	t.Logf("routing accuracy: overall %.3f (%d/%d)", acc("all"), good["all"], total["all"])
	for _, k := range []string{"en", "zh", "mixed"} {
		t.Logf("routing accuracy %s: %.3f (%d/%d)", k, acc(k), good[k], total[k])
	}
	if acc("all") < 0.90 {
		t.Errorf("routing accuracy %.3f below 0.90", acc("all"))
	}
}
