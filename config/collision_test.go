package config

import (
	"strings"
	"testing"
	"time"
)

func TestCollisionWindow(t *testing.T) {
	for _, c := range []struct {
		src  string
		want time.Duration
		err  string
	}{
		{"", 10 * time.Minute, ""},
		{"tickets: {collision_window: 3m}\n", 3 * time.Minute, ""},
		{"tickets: {collision_window: 0s}\n", 0, ""},
		{"tickets: {collision_window: -1m}\n", 0, "f.yaml:1:29: tickets.collision_window: -1m0s is outside 0 (off) to 24h"},
		{"tickets: {collision_window: 48h}\n", 0, "f.yaml:1:29: tickets.collision_window: 48h0m0s is outside"},
		{"tickets: {collision_window: soon}\n", 0, `f.yaml:1:29: tickets.collision_window: bad duration "soon"`},
	} {
		cfg, err := Parse("f.yaml", []byte(c.src))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: err %v, want %q", c.src, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", c.src, err)
		}
		if got := cfg.Tickets.Collision(); got != c.want {
			t.Errorf("%q: window %v, want %v", c.src, got, c.want)
		}
	}
}
