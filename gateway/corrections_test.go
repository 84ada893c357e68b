package gateway

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/internal/metrictest"
)

// correctionPairs lists the frontdesk_triage_corrections_total series of
// reg as "from>to=value", sorted.
func correctionPairs(t *testing.T, reg *prometheus.Registry) []string {
	t.Helper()
	var got []string
	for pair, v := range metrictest.Series(t, reg, "frontdesk_triage_corrections_total", "from", "to") {
		got = append(got, fmt.Sprintf("%s=%g", pair, v))
	}
	slices.Sort(got)
	return got
}

// TestGatewayCorrectionSeriesAtZero: from the start, every from/to pair
// of the departments in force has its triage-correction series at 0 (a
// series born at 1 with the first #move is one increase() never counts,
// so the triage-accuracy panel and alert missed the first correction of
// every pair); a rules reload that adds a department adds its pairs.
func TestGatewayCorrectionSeriesAtZero(t *testing.T) {
	g := startGateway(t, "sales")
	want := []string{"sales>support=0", "support>sales=0"}
	if got := correctionPairs(t, g.reg); !slices.Equal(got, want) {
		t.Fatalf("at start: %v, want %v", got, want)
	}
	withBilling := strings.Replace(fmt.Sprintf(testRules, "sales"), "default_department:",
		"  billing:\n    addresses: [billing]\n    mailbox: billing-team@agents.test\ndefault_department:", 1)
	if err := os.WriteFile(g.rulesFile, []byte(withBilling), 0o644); err != nil {
		t.Fatal(err)
	}
	// the reload counter moves before the reload's series are made: wait
	// for the series themselves
	want = []string{"billing>sales=0", "billing>support=0", "sales>billing=0", "sales>support=0", "support>billing=0", "support>sales=0"}
	deadline := time.Now().Add(20 * time.Second)
	for got := correctionPairs(t, g.reg); !slices.Equal(got, want); got = correctionPairs(t, g.reg) {
		if time.Now().After(deadline) {
			t.Fatalf("after adding billing: %v, want %v", got, want)
		}
		time.Sleep(20 * time.Millisecond) // polling the metric, with a deadline
	}
}
