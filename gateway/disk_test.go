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
	g.statfs = func(string) (fsSpace, error) { return fsSpace{Free: free, Total: total}, nil }

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
	g.statfs = func(string) (fsSpace, error) { return fsSpace{Free: 100 << 20, Total: total}, nil }
	if g.admit() == nil {
		t.Error("100 MiB free under a 200 MiB store reserve admitted mail")
	}
}

// A filesystem out of files (inodes) with bytes to spare pauses intake
// like one out of bytes: before, MAIL FROM was admitted and /readyz ready
// on a tmpfs with nr_inodes=300 whose Maildirs had used every inode, and
// each message's DATA was answered 451 4.3.0 when the store could not
// create its identity file. A filesystem without a fixed number of files
// (Inodes 0) is judged by bytes alone.
func TestDiskGuardPausesWithoutInodes(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	sp := fsSpace{Free: 10 << 30, Total: 100 << 30, FreeInodes: 20, Inodes: 300}
	g := newDiskGuard("/data", config.Store{}.MinFreeBytes, 200<<20)
	g.now = func() time.Time { return now }
	g.statfs = func(string) (fsSpace, error) { return sp, nil }
	e := g.admit()
	if e == nil || e.Code != 452 || e.EnhancedCode != [3]int{4, 3, 1} {
		t.Fatalf("20 of 300 inodes free: %v; want 452 4.3.1", e)
	}
	if p := g.problem(); !strings.Contains(p, "20 free files (inodes) under /data, below the 64 intake needs") {
		t.Errorf("readyz problem %q", p)
	}
	sp.FreeInodes = 200
	now = now.Add(time.Second)
	if e := g.admit(); e != nil || g.problem() != "" {
		t.Errorf("200 of 300 inodes free: %v, %q", e, g.problem())
	}
	// 5% of a large filesystem's inodes, at most 10,000.
	sp = fsSpace{Free: 10 << 30, Total: 100 << 30, FreeInodes: 9999, Inodes: 1 << 30}
	now = now.Add(time.Second)
	if g.admit() == nil {
		t.Error("9,999 free inodes admitted mail")
	}
	sp.FreeInodes = 10000
	now = now.Add(time.Second)
	if e := g.admit(); e != nil {
		t.Errorf("10,000 free inodes: %v", e)
	}
	sp = fsSpace{Free: 10 << 30, Total: 100 << 30}
	now = now.Add(time.Second)
	if e := g.admit(); e != nil {
		t.Errorf("a filesystem without an inode count: %v", e)
	}
}
