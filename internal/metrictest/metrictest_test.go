package metrictest

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestSample(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "c_total", Help: "c"}, []string{"a", "b"})
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "h_seconds", Help: "h"}, []string{"kind"})
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "g", Help: "g"})
	reg.MustRegister(c, h, g)
	c.WithLabelValues("x", "1").Add(2)
	c.WithLabelValues("y", "1").Add(5)
	h.WithLabelValues("relay").Observe(0.1)
	h.WithLabelValues("relay").Observe(0.2)
	g.Set(7)
	for _, tc := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"c_total", []string{"a", "y"}, 5},
		{"c_total", []string{"a", "x", "b", "1"}, 2},
		{"h_seconds", []string{"kind", "relay"}, 2},
		{"g", nil, 7},
	} {
		if got := Sample(t, reg, tc.name, tc.labels...); got != tc.want {
			t.Errorf("Sample(%s%v) = %v, want %v", tc.name, tc.labels, got, tc.want)
		}
	}
}

func TestSeries(t *testing.T) {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "c_total", Help: "c"}, []string{"from", "to"})
	reg.MustRegister(c)
	c.WithLabelValues("a", "b").Add(2)
	c.WithLabelValues("b", "a")
	got := Series(t, reg, "c_total", "from", "to")
	if len(got) != 2 || got["a>b"] != 2 || got["b>a"] != 0 {
		t.Errorf("Series = %v, want a>b 2 and b>a 0", got)
	}
	if got := Series(t, reg, "none_total"); len(got) != 0 {
		t.Errorf("Series of no metric = %v", got)
	}
}
