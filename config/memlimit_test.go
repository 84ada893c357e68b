package config

import "testing"

func TestMemoryLimit(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "GOMEMLIMIT" {
				return v
			}
			return ""
		}
	}
	cfg := Default()
	if n, from := cfg.SoftMemoryLimit(env("")); n != 192<<20 || from != "memory_limit" {
		t.Errorf("default: %d from %s, want 192 MiB from memory_limit", n, from)
	}
	if n, from := cfg.SoftMemoryLimit(env("1GiB")); n != 0 || from != "GOMEMLIMIT" {
		t.Errorf("with GOMEMLIMIT: %d from %s, want the runtime's own", n, from)
	}
	cfg.MemoryLimit = "0"
	if n, _ := cfg.SoftMemoryLimit(env("")); n != 0 {
		t.Errorf("memory_limit 0: %d, want none", n)
	}
	cfg.MemoryLimit = "1GiB"
	if n, _ := cfg.SoftMemoryLimit(env("")); n != 1<<30 {
		t.Errorf("memory_limit 1GiB: %d", n)
	}
}

func TestGCPercent(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		name, limit string
		env         []string
		want        int
	}{
		{"default limit", "", nil, 400},
		{"GOGC wins", "", []string{"GOGC", "50"}, 0},
		{"GOGC off wins", "", []string{"GOGC", "off"}, 0},
		{"no limit", "0", nil, 0},
		{"limit from GOMEMLIMIT", "0", []string{"GOMEMLIMIT", "1GiB"}, 400},
		{"own limit", "1GiB", nil, 400},
		// GOMEMLIMIT=off is the runtime's "no limit", which also overrides
		// memory_limit: no bound, so the runtime's GOGC stays.
		{"GOMEMLIMIT off", "0", []string{"GOMEMLIMIT", "off"}, 0},
		{"GOMEMLIMIT off over own limit", "1GiB", []string{"GOMEMLIMIT", "off"}, 0},
		{"GOMEMLIMIT at the maximum", "0", []string{"GOMEMLIMIT", "9223372036854775807"}, 0},
	} {
		cfg := Default()
		if c.limit != "" {
			cfg.MemoryLimit = c.limit
		}
		if got := cfg.GCPercent(env(c.env...)); got != c.want {
			t.Errorf("%s: GCPercent = %d, want %d", c.name, got, c.want)
		}
	}
}
