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
	statfs  func(dir string) (free, total int64, err error)
	now     func() time.Time

	mu      sync.Mutex
	checked time.Time
	state   diskState
}

type diskState struct {
	Free, Total, MinFree int64
	Err                  error
}

func (s diskState) low() bool { return s.Err == nil && s.Free < s.MinFree }

// diskCheckEvery bounds how stale a MAIL FROM's view of the disk is.
const diskCheckEvery = time.Second

func newDiskGuard(dir string, minFree func(int64) int64, reserve int64) *diskGuard {
	return &diskGuard{dir: dir, minFree: minFree, reserve: reserve, statfs: statfsDir, now: time.Now}
}

func statfsDir(dir string) (free, total int64, err error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, 0, err
	}
	return int64(st.Bavail) * st.Bsize, int64(st.Blocks) * st.Bsize, nil
}

// current returns the disk's state, read at most once a second.
func (g *diskGuard) current() diskState {
	g.mu.Lock()
	defer g.mu.Unlock()
	if now := g.now(); now.Sub(g.checked) >= diskCheckEvery {
		g.checked = now
		free, total, err := g.statfs(g.dir)
		g.state = diskState{Free: free, Total: total, MinFree: max(g.minFree(total), g.reserve), Err: err}
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
	return fmt.Sprintf("disk: %d MiB free under %s, below store.min_free (%d MiB): intake paused (452 4.3.1 at MAIL FROM)", s.Free>>20, g.dir, s.MinFree>>20)
}

func (g *diskGuard) register(reg prometheus.Registerer) {
	gauge := func(name, help string, f func(diskState) float64) {
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "frontdesk", Subsystem: "disk", Name: name, Help: help},
			func() float64 { return f(g.current()) }))
	}
	gauge("free_bytes", "Free space under data_dir (for unprivileged users).", func(s diskState) float64 { return float64(s.Free) })
	gauge("min_free_bytes", "store.min_free: below it SMTP answers 452 4.3.1 at MAIL FROM.", func(s diskState) float64 { return float64(s.MinFree) })
	gauge("intake_paused", "1 while intake is paused because free space is below store.min_free.", func(s diskState) float64 {
		if s.low() {
			return 1
		}
		return 0
	})
}
