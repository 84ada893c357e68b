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
