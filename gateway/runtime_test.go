package gateway

import (
	"runtime/debug"
	"testing"

	"github.com/frontdesk-mail/frontdesk/config"
)

func TestSetRuntime(t *testing.T) {
	oldLimit, oldPercent := debug.SetMemoryLimit(-1), debug.SetGCPercent(-1)
	debug.SetGCPercent(oldPercent)
	t.Cleanup(func() { debug.SetMemoryLimit(oldLimit); debug.SetGCPercent(oldPercent) })

	noEnv := func(string) string { return "" }
	cfg := config.Default()
	attrs := SetRuntime(cfg, noEnv)
	if got := debug.SetMemoryLimit(-1); got != 192<<20 {
		t.Errorf("memory limit %d, want 192 MiB", got)
	}
	if got := debug.SetGCPercent(oldPercent); got != 400 {
		t.Errorf("GC percent %d, want 400", got)
	}
	if len(attrs) != 6 {
		t.Errorf("log attributes %v, want the limit, its source and the GC percent", attrs)
	}

	// GOGC in the environment: the runtime's own stays.
	debug.SetGCPercent(77)
	SetRuntime(cfg, func(k string) string {
		if k == "GOGC" {
			return "77"
		}
		return ""
	})
	if got := debug.SetGCPercent(oldPercent); got != 77 {
		t.Errorf("with GOGC=77: GC percent %d, want 77", got)
	}
}
