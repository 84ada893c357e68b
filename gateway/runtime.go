package gateway

import (
	"runtime/debug"

	"github.com/frontdesk-mail/frontdesk/config"
)

// SetRuntime applies the config's settings of the Go runtime, which are
// the process's and not one gateway's: the soft memory limit
// (config.Config.SoftMemoryLimit) and the collector's target
// (config.Config.GCPercent). It returns what it set, as log attributes.
func SetRuntime(cfg *config.Config, getenv func(string) string) []any {
	var attrs []any
	if n, from := cfg.SoftMemoryLimit(getenv); n > 0 {
		debug.SetMemoryLimit(n)
		attrs = append(attrs, "memory_limit", n, "memory_limit_from", from)
	}
	if p := cfg.GCPercent(getenv); p > 0 {
		debug.SetGCPercent(p)
		attrs = append(attrs, "gc_percent", p)
	}
	return attrs
}
