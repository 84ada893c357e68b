// Package metrictest reads single series out of a Prometheus registry in
// tests: the value of a counter or gauge, or a histogram's sample count,
// picked by name and labels.
package metrictest

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// Sample is the value of the series name{labels} in g (label names and
// values alternate; labels not given may have any value): a counter's or
// gauge's value, a histogram's sample count. The test fails when no series
// matches.
func Sample(t testing.TB, g prometheus.Gatherer, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, mt := range mf.GetMetric() {
			have := map[string]string{}
			for _, l := range mt.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if have[labels[i]] != labels[i+1] {
					continue series
				}
			}
			switch {
			case mt.Counter != nil:
				return mt.GetCounter().GetValue()
			case mt.Gauge != nil:
				return mt.GetGauge().GetValue()
			case mt.Histogram != nil:
				return float64(mt.GetHistogram().GetSampleCount())
			}
		}
	}
	t.Fatalf("no series %s%v", name, labels)
	return 0
}
