package gateway

import (
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/config"
)

// Below store.min_free MAIL FROM gets 452 4.3.1 and /readyz a reason;
// above it again, both recover by themselves, after at most a second.
func TestDiskGuardPausesAndResumes(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	free := int64(10 << 30)
	const total = 100 << 30
	g := newDiskGuard("/data", config.Store{MinFree: "2GiB"}.MinFreeBytes, 200<<20)
	g.now = func() time.Time { return now }
	g.statfs = func(string) (int64, int64, error) { return free, total, nil }

	if e := g.admit(); e != nil || g.problem() != "" {
		t.Fatalf("10 GiB free: %v, %q", e, g.problem())
	}
	free = 1 << 30
	if e := g.admit(); e != nil {
		t.Fatalf("the state is re-read at most once a second, got %v", e)
	}
	now = now.Add(time.Second)
	e := g.admit()
	if e == nil || e.Code != 452 || e.EnhancedCode != [3]int{4, 3, 1} || !strings.Contains(e.Message, "disk") {
		t.Fatalf("1 GiB free, min_free 2 GiB: %v; want 452 4.3.1 saying why", e)
	}
	if p := g.problem(); !strings.Contains(p, "1024 MiB free under /data, below store.min_free (2048 MiB)") {
		t.Errorf("readyz problem %q", p)
	}
	free = 3 << 30
	now = now.Add(time.Second)
	if e := g.admit(); e != nil || g.problem() != "" {
		t.Errorf("after space returned: %v, %q", e, g.problem())
	}
	// The store's reserve is a floor under a small min_free.
	g = newDiskGuard("/data", config.Store{MinFree: "1MB"}.MinFreeBytes, 200<<20)
	g.statfs = func(string) (int64, int64, error) { return 100 << 20, total, nil }
	if g.admit() == nil {
		t.Error("100 MiB free under a 200 MiB store reserve admitted mail")
	}
}
