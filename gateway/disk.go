package gateway

import (
	"fmt"
	"sync"
	"syscall"
	"time"

	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/third_party/go-smtp"
	"github.com/prometheus/client_golang/prometheus"
)

// diskGuard pauses intake while free space under data_dir is below
// store.min_free: SMTP answers 452 4.3.1 at MAIL FROM (so the client does
// not send a message for nothing), /readyz is not ready, and the gauges
// say so. Queued mail keeps being delivered, and intake resumes by itself
// when space returns. The store's own reserve (store.ErrNoSpace, 451) is
// the last line behind it.
type diskGuard struct {
	dir     string
	minFree func(total int64) int64
	// reserve is what the store keeps free for itself: the pause starts
	// no later than at that much free space, whatever min_free says.
	reserve int64
	statfs  func(dir string) (fsSpace, error)
	now     func() time.Time

	mu      sync.Mutex
	checked time.Time
	state   diskState
}

type diskState struct {
	fsSpace
	MinFree       int64
	MinFreeInodes int64
	Err           error
}

// fsSpace is what statfs says of a filesystem.
type fsSpace struct {
	Free, Total int64
	// FreeInodes and Inodes are 0 where the filesystem has no fixed
	// number of files (btrfs, ZFS).
	FreeInodes, Inodes int64
}

func (s diskState) low() bool { return s.Err == nil && (s.Free < s.MinFree || s.inodesLow()) }

func (s diskState) inodesLow() bool { return s.Inodes > 0 && s.FreeInodes < s.MinFreeInodes }

// minFreeInodes is how many free files (inodes) intake needs under
// data_dir: 5% of the filesystem's, at most 10,000, never below 64 (the
// store's new table, value-log and identity files and the Maildir copies
// of the mail in flight). Without it, a filesystem out of inodes with
// bytes to spare (a Maildir of many small files, a tmpfs with
// nr_inodes) took every message's DATA and answered 451 4.3.0 when the
// store could not create a file, with /readyz ready.
func minFreeInodes(inodes int64) int64 { return max(64, min(10000, inodes/20)) }

// diskCheckEvery bounds how stale a MAIL FROM's view of the disk is.
const diskCheckEvery = time.Second

func newDiskGuard(dir string, minFree func(int64) int64, reserve int64) *diskGuard {
	return &diskGuard{dir: dir, minFree: minFree, reserve: reserve, statfs: statfsDir, now: time.Now}
}

func statfsDir(dir string) (fsSpace, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return fsSpace{}, err
	}
	return fsSpace{Free: int64(st.Bavail) * st.Bsize, Total: int64(st.Blocks) * st.Bsize,
		FreeInodes: int64(st.Ffree), Inodes: int64(st.Files)}, nil
}

// current returns the disk's state, read at most once a second.
func (g *diskGuard) current() diskState {
	g.mu.Lock()
	defer g.mu.Unlock()
	if now := g.now(); now.Sub(g.checked) >= diskCheckEvery {
		g.checked = now
		sp, err := g.statfs(g.dir)
		g.state = diskState{fsSpace: sp, MinFree: max(g.minFree(sp.Total), g.reserve),
			MinFreeInodes: minFreeInodes(sp.Inodes), Err: err}
	}
	return g.state
}

// admitFunc is smtpd's Admit hook, nil without a guard.
func (g *diskGuard) admitFunc() func() *smtp.SMTPError {
	if g == nil {
		return nil
	}
	return g.admit
}

// writesLocally reports whether a delivery target writes under data_dir
// (a Maildir), the only local writes of a gateway on PostgreSQL.
func writesLocally(targets map[queue.TargetName]queue.Target) bool {
	for _, t := range targets {
		if _, ok := t.(*queue.Maildir); ok {
			return true
		}
	}
	return false
}

// admit is smtpd's Admit hook.
func (g *diskGuard) admit() *smtp.SMTPError {
	s := g.current()
	if !s.low() {
		return nil
	}
	return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 3, 1},
		Message: "Insufficient system storage: the support gateway's disk is nearly full, please try again later"}
}

// problem is the /readyz line while intake is paused, else "".
func (g *diskGuard) problem() string {
	s := g.current()
	if !s.low() {
		return ""
	}
	if s.Free >= s.MinFree {
		return fmt.Sprintf("disk: %d free files (inodes) under %s, below the %d intake needs: intake paused (452 4.3.1 at MAIL FROM)", s.FreeInodes, g.dir, s.MinFreeInodes)
	}
	return fmt.Sprintf("disk: %d MiB free under %s, below store.min_free (%d MiB): intake paused (452 4.3.1 at MAIL FROM)", s.Free>>20, g.dir, s.MinFree>>20)
}

func (g *diskGuard) register(reg prometheus.Registerer) {
	gauge := func(name, help string, f func(diskState) float64) {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "frontdesk", Subsystem: "disk", Name: name, Help: help},
			func() float64 { return f(g.current()) }))
	}
	gauge("free_bytes", "Free space under data_dir (for unprivileged users).", func(s diskState) float64 { return float64(s.Free) })
	gauge("min_free_bytes", "store.min_free: below it SMTP answers 452 4.3.1 at MAIL FROM.", func(s diskState) float64 { return float64(s.MinFree) })
	gauge("free_inodes", "Free files (inodes) under data_dir; 0 where the filesystem has no fixed number.", func(s diskState) float64 { return float64(s.FreeInodes) })
	gauge("min_free_inodes", "Below this many free files (inodes) under data_dir SMTP answers 452 4.3.1 at MAIL FROM (5% of the filesystem's, at most 10,000, at least 64).", func(s diskState) float64 { return float64(s.MinFreeInodes) })
	gauge("intake_paused", "1 while intake is paused because free space is below store.min_free or free files (inodes) below frontdesk_disk_min_free_inodes.", func(s diskState) float64 {
		if s.low() {
			return 1
		}
		return 0
	})
}
