// Package metrictest reads series out of a Prometheus registry in tests:
// the value of a counter or gauge, or a histogram's sample count, picked
// by name and labels (Sample), or every series of a name (Series).
package metrictest

import (
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"

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
			if v, ok := value(mt); ok {
				return v
			}
		}
	}
	t.Fatalf("no series %s%v", name, labels)
	return 0
}

// Series is every series of name in g, keyed by the values of keyLabels
// joined with ">" (Series(t, reg, "x_total", "from", "to") has keys like
// "support>sales"), with their values as Sample reads them.
func Series(t testing.TB, g prometheus.Gatherer, name string, keyLabels ...string) map[string]float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, mt := range mf.GetMetric() {
			have := map[string]string{}
			for _, l := range mt.GetLabel() {
				have[l.GetName()] = l.GetValue()
			}
			key := make([]string, len(keyLabels))
			for i, k := range keyLabels {
				key[i] = have[k]
			}
			if v, ok := value(mt); ok {
				out[strings.Join(key, ">")] = v
			}
		}
	}
	return out
}

// value is a counter's or gauge's value, a histogram's sample count.
func value(mt *dto.Metric) (float64, bool) {
	switch {
	case mt.Counter != nil:
		return mt.GetCounter().GetValue(), true
	case mt.Gauge != nil:
		return mt.GetGauge().GetValue(), true
	case mt.Histogram != nil:
		return float64(mt.GetHistogram().GetSampleCount()), true
	}
	return 0, false
}
