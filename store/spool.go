package store

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// The spool keeps received mail as files, one per message, and Badger keeps
// everything else. Badger maps its value log into the process, so every
// byte of mail written there stayed resident in the gateway's RSS for as
// long as the file lived (all of it: received mail is kept); page cache
// filled by write(2) is the kernel's, and reclaimable. A file per message
// also costs less CPU than the value log at these sizes, and admins can
// open a message with any mail reader: <spool>/<UTC day>/<id>.eml.
//
// Durability: Spool fsyncs the file before it returns, and callers spool
// before the Update that commits the message's record; that Update's
// transaction syncs the directories that got new files before it commits
// (one directory sync per batch, not one per message, which would put a
// second journal commit in every session's path). So a committed record
// always has its mail. A crash between the two leaves a file without a
// record, which nothing reads.
type spool struct {
	dir string

	mu    sync.Mutex
	days  map[string]bool     // day directories known to exist (created and synced)
	dirty map[string]struct{} // directories with new, unsynced entries
}

// Spool writes the concatenation of parts as the mail of message id. It
// runs in the caller's goroutine, before the Update that commits the
// message's record: concurrent sessions write and sync their files side by
// side instead of one after another in the committer. A store opened
// without a spool directory (tests, in memory) keeps the mail in Badger.
func (s *Store) Spool(ctx context.Context, id string, parts ...[]byte) error {
	if s.spool == nil {
		var raw []byte
		for _, p := range parts {
			raw = append(raw, p...)
		}
		return s.Update(ctx, func(txn *Txn) error { return txn.Set([]byte(PrefixRaw+id), raw) })
	}
	if err := s.spool.write(id, parts); err != nil {
		return fmt.Errorf("spool %s: %w", id, err)
	}
	return nil
}

// Unspool removes the mail of a message whose record was not committed
// (the Update after Spool failed or was refused), so that a retry by the
// client does not leave a second copy behind.
func (s *Store) Unspool(id string) error {
	if s.spool == nil {
		return s.Update(context.Background(), func(txn *Txn) error { return txn.Delete([]byte(PrefixRaw + id)) })
	}
	p, err := s.spool.path(id)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("unspool %s: %w", id, err)
	}
	return nil
}

// path is where the mail of id lives: the day comes from the time NewID put
// in the id, so no index is needed to find it.
func (sp *spool) path(id string) (string, error) {
	if len(id) < 16 {
		return "", fmt.Errorf("spool: bad message id %q", id)
	}
	b, err := hex.DecodeString(id[:16])
	if err != nil {
		return "", fmt.Errorf("spool: bad message id %q", id)
	}
	var ns int64
	for _, c := range b {
		ns = ns<<8 | int64(c)
	}
	day := time.Unix(0, ns).UTC().Format(time.DateOnly)
	return filepath.Join(sp.dir, day, id+".eml"), nil
}

func (sp *spool) write(id string, parts [][]byte) (err error) {
	p, err := sp.path(id)
	if err != nil {
		return err
	}
	if err := sp.mkday(filepath.Dir(p)); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(p)
		}
	}()
	for _, part := range parts {
		if _, err := f.Write(part); err != nil {
			return err
		}
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	// The new name must be durable too: the next commit syncs the
	// directory (syncDirs).
	sp.mu.Lock()
	sp.dirty[filepath.Dir(p)] = struct{}{}
	sp.mu.Unlock()
	return nil
}

// syncDirs syncs the directories that got files since the last call. The
// committer calls it before each commit: every message in the batch spooled
// before its Update was handed over, so its directory is among them.
func (sp *spool) syncDirs() error {
	sp.mu.Lock()
	dirs := sp.dirty
	sp.dirty = make(map[string]struct{})
	sp.mu.Unlock()
	for d := range dirs {
		if err := syncDir(d); err != nil {
			sp.mu.Lock()
			maps.Copy(sp.dirty, dirs) // a later commit tries again
			sp.mu.Unlock()
			return fmt.Errorf("spool: %w", err)
		}
	}
	return nil
}

// mkday creates a day directory once and syncs its parent, so that the
// directory itself survives a crash.
func (sp *spool) mkday(dir string) error {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.days[dir] {
		return nil
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	if err := syncDir(sp.dir); err != nil {
		return err
	}
	if len(sp.days) > 60 {
		clear(sp.days) // only the current day or two matter
	}
	sp.days[dir] = true
	return nil
}

func (sp *spool) read(id string) ([]byte, error) {
	p, err := sp.path(id)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	return b, err
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func openSpool(dir string) (*spool, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open spool: %w", err)
	}
	if err := syncDir(filepath.Dir(dir)); err != nil {
		return nil, fmt.Errorf("open spool: %w", err)
	}
	return &spool{dir: dir, days: make(map[string]bool), dirty: make(map[string]struct{})}, nil
}
