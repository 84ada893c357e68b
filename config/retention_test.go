package config

import (
	"strings"
	"testing"
	"time"
)

func TestRetentionConfig(t *testing.T) {
	cfg, err := Parse("f.yaml", []byte("retention: {mail: 90d, resolved_tickets: 730d, failed_queue_items: 36h, learned_examples: 365d}\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.Retention
	if r.Mail.D() != 90*24*time.Hour || r.ResolvedTickets.D() != 730*24*time.Hour || r.FailedQueueItems.D() != 36*time.Hour ||
		r.LearnedExamples.D() != 365*24*time.Hour {
		t.Errorf("retention = %+v", r)
	}
	def, err := Parse("f.yaml", []byte("{}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if def.Retention.Mail.D() != 365*24*time.Hour || def.Retention.ResolvedTickets != 0 || def.Retention.FailedQueueItems.D() != 30*24*time.Hour ||
		def.Retention.LearnedExamples != 0 {
		t.Errorf("default retention = %+v", def.Retention)
	}
	for _, c := range []struct{ src, want string }{
		{"retention:\n  mail: forever\n", `f.yaml:2:9: retention.mail: bad period "forever"`},
		{"retention:\n  resolved_tickets: -3d\n", `f.yaml:2:21: retention.resolved_tickets: bad period "-3d"`},
		{"retention: {failed_queue_items: 1.5d}\n", `f.yaml:1:33: retention.failed_queue_items: bad period "1.5d"`},
		{"retention:\n  learned_examples: 1y\n", `f.yaml:2:21: retention.learned_examples: bad period "1y"`},
		{"retention: {learned_examples: -30d}\n", `f.yaml:1:31: retention.learned_examples: bad period "-30d"`},
		{"retention: {learned_example: 30d}\n", `f.yaml:1:13: unknown key "retention.learned_example"`},
		{"retention: {interval: 10s}\n", `f.yaml:1:23: retention.interval: must be at least 1m`},
		{"retention: {mails: 3d}\n", `f.yaml:1:13: unknown key "retention.mails"`},
	} {
		_, err := Parse("f.yaml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %s", c.src, err, c.want)
		}
	}
}

func TestParseAge(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true}, {"365d", 365 * 24 * time.Hour, true}, {"1d", 24 * time.Hour, true}, {"90m", 90 * time.Minute, true},
		{"", 0, false}, {"d", 0, false}, {"-1d", 0, false}, {"-1h", 0, false}, {"1y", 0, false}, {"99999999d", 0, false},
	} {
		got, err := ParseAge(c.in)
		if (err == nil) != c.ok || got.D() != c.want {
			t.Errorf("ParseAge(%q) = %v, %v", c.in, got.D(), err)
		}
	}
}

func FuzzParseAge(f *testing.F) {
	for _, s := range []string{"0", "365d", "36h", "-1d", "1.5d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAge(s)
		if err == nil && a < 0 {
			t.Fatalf("ParseAge(%q) = %v: negative", s, a.D())
		}
	})
}
