package queue

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
	"github.com/frontdesk-mail/frontdesk/store"
)

// fillingTarget fills the filesystem under dir (as a Maildir target on
// the same disk, or another program, would) when it is first given mail,
// so that the store refuses to record the attempt's outcome; it counts
// attempts and answers err.
type fillingTarget struct {
	dir string
	err error

	mu       sync.Mutex
	attempts int
	ballast  string
}

func (f *fillingTarget) Name() string { return "filling" }

func (f *fillingTarget) Deliver(context.Context, *Item, []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.attempts++
	if f.ballast == "" {
		var fs syscall.Statfs_t
		if err := syscall.Statfs(f.dir, &fs); err != nil {
			return err
		}
		f.ballast = filepath.Join(f.dir, "ballast")
		b, err := os.Create(f.ballast)
		if err != nil {
			return err
		}
		defer b.Close()
		if err := syscall.Fallocate(int(b.Fd()), 0, 0, int64(fs.Bavail)*fs.Bsize-1<<20); err != nil {
			return err
		}
	}
	return f.err
}

func (f *fillingTarget) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.attempts
}

// free removes the ballast: the disk has room again.
func (f *fillingTarget) free(t *testing.T) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.Remove(f.ballast); err != nil {
		t.Fatal(err)
	}
}

// On a disk too full for the store to record an attempt's outcome
// (store.ErrNoSpace), the queue neither delivers a delivered item again
// nor retries a deferred one at once: before, both came straight back
// (a delivered item was delivered again and again, each copy eating the
// little space left; a deferred one was retried in a tight loop, with an
// error line each time). Once there is room the outcome is recorded.
func TestFullDiskOutcomeNotRecorded(t *testing.T) {
	for _, c := range []struct {
		name  string
		err   error
		state string // the item's once there is room
	}{
		{"delivered", nil, "gone"},
		{"deferred", errors.New("450 try later"), StateDeferred},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := testenv.SmallFS(t, 160<<20)
			st, err := store.Open(filepath.Join(root, "store"), store.Options{SpoolDir: filepath.Join(root, "mail"), ValueLogFileSize: 4 << 20})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			target := &fillingTarget{dir: root, err: c.err}
			q := New(st, Config{MinBackoff: 2 * time.Second, MaxBackoff: 4 * time.Second, GiveUpAfter: time.Hour},
				map[TargetName]Target{Agents: target}, nil, nil)
			it := enqueue(t, st, time.Now(), "Subject: hi\r\n\r\nbody\r\n")
			runQueue(t, q)
			q.Kick()
			deadline := time.Now().Add(10 * time.Second)
			for target.count() == 0 {
				if time.Now().After(deadline) {
					t.Fatal("never attempted")
				}
				time.Sleep(5 * time.Millisecond) // polling a counter
			}
			// Half a second in which the old queue made dozens of
			// attempts; a deferral holds it at least 1 s (MinBackoff 2 s,
			// half of it jitter), and a delivered item is never due again.
			window := time.Now().Add(500 * time.Millisecond)
			for time.Now().Before(window) {
				q.Kick()
				time.Sleep(10 * time.Millisecond) // kicking the queue as new mail would
			}
			if n := target.count(); n != 1 {
				t.Errorf("%d attempts within half a second on a full disk, want 1", n)
			}
			target.free(t)
			waitState(t, st, it.ID, c.state)
			if c.state == "gone" && target.count() != 1 {
				t.Errorf("delivered %d times, want once", target.count())
			}
		})
	}
}
