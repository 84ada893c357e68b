package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Badger writes its memtable log (.mem), its value log (.vlog) and its
// discard statistics through memory mappings of files it creates sparse
// (ftruncate to twice their size, no blocks). On a full filesystem a
// store into a page that has no block behind it is a SIGBUS, which no
// recover() catches: in an outside test the gateway died that way in 3 of
// 4 runs when a retry wrote to a full disk. So the store
//
//   - backs every such file with real blocks (fallocate) before the next
//     commit can write into it, and refuses the commit when that fails;
//   - keeps a reserve of free space, at least what Badger may create
//     sparse within one commit (a new value-log and memtable file) and
//     what a flush and a compaction need, and refuses commits and spool
//     writes that would eat into it (ErrNoSpace, which SMTP answers with
//     451 4.3.0).
//
// Only the process's own writers are held back: another program filling
// the disk in the instant between the check and Badger's write can still
// cost a crash, which is why the reserve is generous.
type space struct {
	storeDir string
	reserve  int64

	mu        sync.Mutex
	scanned   time.Time // the store dir's mtime at the last complete scan
	pending   int64     // spool bytes reserved and being written
	noAlloc   bool      // the filesystem cannot fallocate
	freeBytes func(dir string) (int64, error)
}

// defaultReserve is the free space below which writes are refused: what
// Badger creates sparse in one commit (a value-log file of twice
// vlogSize, a memtable file of twice memTable), a memtable flush, and a
// margin for compactions.
func defaultReserve(vlogSize, memTable int64) int64 {
	return 2*vlogSize + 4*memTable + 32<<20
}

func newSpace(storeDir string, reserve int64) *space {
	return &space{storeDir: storeDir, reserve: reserve, freeBytes: freeBytes}
}

// noSpace says how little there is.
func (sp *space) noSpace(avail, need int64) error {
	return fmt.Errorf("%w under %s: %d MiB free, %d MiB needed (the store keeps %d MiB in reserve so that nothing it writes fails half-way)",
		ErrNoSpace, filepath.Dir(sp.storeDir), avail>>20, need>>20, sp.reserve>>20)
}

// commit readies the store for a commit: Badger's files backed, the
// reserve free.
func (sp *space) commit() error {
	if sp == nil {
		return nil
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if err := sp.allocate(); err != nil {
		return err
	}
	avail, err := sp.freeBytes(sp.storeDir)
	if err != nil {
		return nil // cannot tell: Badger's own errors will
	}
	if avail-sp.pending < sp.reserve {
		return sp.noSpace(avail-sp.pending, sp.reserve)
	}
	return nil
}

// take reserves n bytes for a spool write; done gives them back once the
// write is finished (and counted by the filesystem).
func (sp *space) take(n int64) (done func(), err error) {
	if sp == nil {
		return func() {}, nil
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	avail, err := sp.freeBytes(sp.storeDir)
	if err == nil && avail-sp.pending-n < sp.reserve {
		return nil, sp.noSpace(avail-sp.pending, n+sp.reserve)
	}
	sp.pending += n
	return func() {
		sp.mu.Lock()
		sp.pending -= n
		sp.mu.Unlock()
	}, nil
}

// Available returns the free bytes under the store's directory beyond
// what the store keeps in reserve (negative: writes are refused).
func (s *Store) Available() (int64, error) {
	if s.space == nil {
		return 0, errors.New("in-memory store")
	}
	avail, err := s.space.freeBytes(s.space.storeDir)
	return avail - s.space.reserve, err
}

// allocate backs every sparse file in the store directory with blocks.
// It reads the directory only when its mtime changed (Badger created or
// removed a file); a file still empty when it is read (created and not
// yet truncated to its size) makes the next call read it again.
func (sp *space) allocate() error {
	if sp.noAlloc {
		return nil
	}
	fi, err := os.Stat(sp.storeDir)
	if err != nil {
		return nil
	}
	if fi.ModTime().Equal(sp.scanned) {
		return nil
	}
	ents, err := os.ReadDir(sp.storeDir)
	if err != nil {
		return nil
	}
	complete := true
	for _, e := range ents {
		name := e.Name()
		if !e.Type().IsRegular() || !(strings.HasSuffix(name, ".mem") || strings.HasSuffix(name, ".vlog") || name == "DISCARD") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		st, ok := info.Sys().(*syscall.Stat_t)
		if !ok {
			sp.noAlloc = true
			return nil
		}
		if info.Size() == 0 {
			complete = false
			continue
		}
		if st.Blocks*512 >= info.Size() {
			continue
		}
		if err := fallocateFile(filepath.Join(sp.storeDir, name), info.Size()); err != nil {
			if errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.ENOSYS) {
				sp.noAlloc = true
				return nil
			}
			if errors.Is(err, syscall.ENOSPC) {
				avail, _ := sp.freeBytes(sp.storeDir)
				return fmt.Errorf("%w: backing %s: %w", sp.noSpace(avail, info.Size()), name, err)
			}
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			return fmt.Errorf("store: backing %s: %w", name, err)
		}
	}
	if complete {
		sp.scanned = fi.ModTime()
	}
	return nil
}

func fallocateFile(path string, size int64) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	// Mode 0 allocates the range and keeps the file's size; blocks
	// already there are left as they are.
	for {
		err = syscall.Fallocate(int(f.Fd()), 0, 0, size)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

func freeBytes(dir string) (int64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return int64(st.Bavail) * st.Bsize, nil
}

// isNoSpace marks an error of a full filesystem as ErrNoSpace.
// Badger formats some of its errors with %v (its LOCK file's "Cannot
// write pid file … err: …"), so ENOSPC is also looked for in the text.
func isNoSpace(err error) error {
	if err != nil && (errors.Is(err, syscall.ENOSPC) || strings.Contains(err.Error(), syscall.ENOSPC.Error())) && !errors.Is(err, ErrNoSpace) {
		return fmt.Errorf("%w: %w", ErrNoSpace, err)
	}
	return err
}

// Reserve is the free space the store keeps for itself (0 in memory).
func (s *Store) Reserve() int64 {
	if s.space == nil {
		return 0
	}
	return s.space.reserve
}
