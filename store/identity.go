package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// A store's identity is kept twice: under idKey in Badger and in a small
// file beside the store (Options.IdentityFile, data_dir/store.json). The
// file outlives the store: when the store directory is deleted, replaced
// by an empty one, or loses its MANIFEST, Badger would otherwise open (or
// create) an empty database without a word, the next mail would open
// ticket number 1000 again and an agent's reply to the old ticket's
// address would go to the new customer. With the file, Open refuses such a
// store (LostError), and the file's high-water marks of the sequences keep
// numbers from being handed out twice across lifetimes of the store.

// idKey holds the store's identity inside Badger.
var idKey = []byte(PrefixMisc + "store-id")

// identity is the content of the identity file.
type identity struct {
	ID      string    `json:"id"`
	Created time.Time `json:"created"`
	// Lifetime counts the stores this data dir has had: a repair that
	// starts a new one (the old one lost) adds one.
	Lifetime int `json:"lifetime"`
	// Sequences are high-water marks: every number a sequence has handed
	// out is below its mark, in this lifetime and every earlier one.
	Sequences map[string]uint64 `json:"sequences,omitempty"`
}

// LostError says that the store in a data dir is missing, empty or not the
// one the data dir had; Open returns it instead of starting afresh.
type LostError struct {
	Dir     string // the store directory
	Problem string // what is wrong, one sentence
}

func (e *LostError) Error() string { return fmt.Sprintf("store %s: %s", e.Dir, e.Problem) }

// ErrLost matches every LostError with errors.Is.
var ErrLost = errors.New("store lost")

// ErrIdentityDamaged matches the error of a store.json (or its copy in
// the spool) that does not parse: no restart mends it.
var ErrIdentityDamaged = errors.New("store identity damaged")

type identityDamagedError struct{ msg string }

func (e *identityDamagedError) Error() string        { return e.msg }
func (e *identityDamagedError) Is(target error) bool { return target == ErrIdentityDamaged }

// ErrNoSpace is returned by a write refused because the disk is (nearly) full.
var ErrNoSpace = errors.New("not enough free disk space")

func (e *LostError) Is(target error) bool { return target == ErrLost }

// identityFile guards the identity file and its high-water marks.
type identityFile struct {
	path string
	// copy, in the spool directory, is written after path each time: mail
	// kept inline (Options.InlineMail) leaves the spool no evidence of the
	// store nor of the ticket numbers it handed out, and this copy is
	// that evidence when the store and path are both lost (spoolHasMail,
	// SpoolMarks).
	copy string
	mu   sync.Mutex
	id   identity
}

// spoolMarksFile is the identity file's copy in the spool directory.
const spoolMarksFile = "marks.json"

func marksCopy(o Options) string {
	if o.SpoolDir == "" || o.IdentityFile == "" {
		return ""
	}
	return filepath.Join(o.SpoolDir, spoolMarksFile)
}

// write replaces the identity file, then its copy, with next.
func (f *identityFile) write(next *identity) error {
	if err := writeIdentity(f.path, next); err != nil {
		return err
	}
	if f.copy != "" {
		return writeIdentity(f.copy, next)
	}
	return nil
}

// SpoolMarks returns the high-water marks of the sequences as the copy of
// the identity file in spoolDir last had them (none when there is no
// copy, or it cannot be read): what a repair that lost both the store and
// the identity file keeps ticket numbers above.
func SpoolMarks(spoolDir string) map[string]uint64 {
	id, err := readIdentity(filepath.Join(spoolDir, spoolMarksFile))
	if err != nil || id == nil {
		return nil
	}
	return id.Sequences
}

func readIdentity(path string) (*identity, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store identity: %w", err)
	}
	var id identity
	if err := json.Unmarshal(b, &id); err != nil || id.ID == "" {
		return nil, &identityDamagedError{fmt.Sprintf("store identity %s is damaged (%v): restore it from a backup, or remove it and run `frontdesk store check --repair`", path, err)}
	}
	return &id, nil
}

// writeIdentity replaces the file atomically and durably: a crash leaves
// the old file or the new one, never a torn one.
func writeIdentity(path string, id *identity) error {
	b, err := json.MarshalIndent(id, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("store identity: %w", err)
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err == nil {
		err = syncDir(filepath.Dir(path))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("store identity: %w", err)
	}
	return nil
}

// spoolHasMail reports whether the spool directory holds any mail.
func spoolHasMail(dir string) (bool, error) {
	if dir == "" {
		return false, nil
	}
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("spool: %w", err)
	}
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".seg") {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.Size() > 0 {
			return true, nil
		}
	}
	// Mail kept inline leaves no segment: the marks' copy says whether the
	// store handed out ticket numbers.
	for _, v := range SpoolMarks(dir) {
		if v > 0 {
			return true, nil
		}
	}
	return false, nil
}

func hasManifest(dir string) (bool, error) {
	_, err := os.Stat(filepath.Join(dir, "MANIFEST"))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// checkBeforeOpen refuses to let Badger create an empty store where the
// data dir shows there was one.
func checkBeforeOpen(dir string, o Options) (*identity, error) {
	id, err := readIdentity(o.IdentityFile)
	if err != nil {
		return nil, err
	}
	has, err := hasManifest(dir)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", dir, err)
	}
	if has || o.Repair {
		return id, nil
	}
	if id != nil {
		return nil, &LostError{Dir: dir, Problem: fmt.Sprintf("the store is missing (no %s), but %s says this data dir has held store %s since %s",
			filepath.Join(dir, "MANIFEST"), o.IdentityFile, id.ID, id.Created.Format(time.RFC3339))}
	}
	mail, err := spoolHasMail(o.SpoolDir)
	if err != nil {
		return nil, err
	}
	if mail {
		return nil, &LostError{Dir: dir, Problem: fmt.Sprintf("the store is missing (no %s), but the spool %s holds mail it recorded", filepath.Join(dir, "MANIFEST"), o.SpoolDir)}
	}
	return nil, nil
}

// bindIdentity checks the opened database against the identity file and
// writes whichever of the two is missing. A store from before identities
// were kept gets one; a repair adopts the store it finds (a restored
// backup) or starts a new lifetime, keeping every high-water mark.
func (s *Store) bindIdentity(dir string, file *identity, o Options, now time.Time) error {
	var inDB string
	var hasData bool
	err := s.db.View(func(t *badger.Txn) error {
		it, err := t.Get(idKey)
		if err == nil {
			v, err := it.ValueCopy(nil)
			inDB = string(v)
			return err
		}
		if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		// A store from before identities: does it hold anything?
		itr := t.NewIterator(badger.IteratorOptions{})
		defer itr.Close()
		itr.Rewind()
		hasData = itr.Valid()
		return nil
	})
	if err != nil {
		return fmt.Errorf("store identity: %w", err)
	}
	switch {
	case file != nil && inDB == file.ID:
		s.ident = &identityFile{path: o.IdentityFile, copy: marksCopy(o), id: *file}
		if c := s.ident.copy; c != "" && !maps.Equal(SpoolMarks(o.SpoolDir), file.Sequences) {
			// A data dir from before the copy, or one whose copy is behind.
			if err := writeIdentity(c, file); err != nil {
				return err
			}
		}
		return nil
	case file != nil && !o.Repair:
		what := "is empty"
		if inDB != "" {
			what = "is store " + inDB + ", not that one"
		} else if hasData {
			what = "has no identity"
		}
		return &LostError{Dir: dir, Problem: fmt.Sprintf("%s says this data dir has held store %s since %s, but the store there %s (replaced or damaged)",
			o.IdentityFile, file.ID, file.Created.Format(time.RFC3339), what)}
	case file == nil && inDB == "" && !hasData && !o.Repair:
		// A new store, or an empty one where the spool says there was
		// mail.
		mail, err := spoolHasMail(o.SpoolDir)
		if err != nil {
			return err
		}
		if mail {
			return &LostError{Dir: dir, Problem: fmt.Sprintf("the store is empty, but the spool %s holds mail it recorded", o.SpoolDir)}
		}
	}
	next := identity{ID: inDB, Created: now, Lifetime: 1, Sequences: map[string]uint64{}}
	if file != nil {
		next.Lifetime = file.Lifetime
		for k, v := range file.Sequences {
			next.Sequences[k] = v
		}
		if inDB == "" {
			next.Lifetime++ // a new store: the old one is lost
		}
	}
	if next.ID == "" {
		next.ID = NewID(now)
		err := s.db.Update(func(t *badger.Txn) error { return t.Set(idKey, []byte(next.ID)) })
		if err != nil {
			return fmt.Errorf("store identity: %w", err)
		}
	}
	// So do the marks of the identity file's copy in the spool (the file
	// itself may be lost with the store): numbers skip, never repeat.
	if marksCopy(o) != "" {
		for k, v := range SpoolMarks(o.SpoolDir) {
			next.Sequences[k] = max(next.Sequences[k], v)
		}
	}
	// Sequences already in the store count too (a restored backup, or a
	// store from before the file).
	err = s.db.View(func(t *badger.Txn) error {
		return forSequences(t, func(key string, v uint64) {
			if v > next.Sequences[key] {
				next.Sequences[key] = v
			}
		})
	})
	if err != nil {
		return fmt.Errorf("store identity: %w", err)
	}
	s.ident = &identityFile{path: o.IdentityFile, copy: marksCopy(o), id: next}
	if err := s.ident.write(&next); err != nil {
		return err
	}
	// A first store is routine; a new lifetime or an adopted store (a
	// repair, a restored backup) is what an admin should notice.
	level := slog.LevelWarn
	if file == nil && next.Lifetime == 1 {
		level = slog.LevelInfo
	}
	s.log.Log(context.Background(), level, "store identity written", "id", next.ID, "lifetime", next.Lifetime, "file", o.IdentityFile)
	return nil
}

// seqKeys are the Badger keys of sequences, whose high-water marks the
// identity file keeps.
var seqKeys = []string{PrefixMisc + "ticket-seq"}

func forSequences(t *badger.Txn, fn func(key string, v uint64)) error {
	for _, k := range seqKeys {
		it, err := t.Get([]byte(k))
		if errors.Is(err, badger.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		v, err := it.ValueCopy(nil)
		if err != nil {
			return err
		}
		if len(v) == 8 {
			fn(k, binary.BigEndian.Uint64(v))
		}
	}
	return nil
}

// raise makes the identity file's mark for key at least v, durably,
// before a number below v is handed out.
func (f *identityFile) raise(key string, v uint64) error {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.id.Sequences[key] >= v {
		return nil
	}
	next := f.id
	next.Sequences = maps.Clone(f.id.Sequences)
	if next.Sequences == nil {
		next.Sequences = map[string]uint64{}
	}
	next.Sequences[key] = v
	if err := f.write(&next); err != nil {
		return err
	}
	f.id = next
	return nil
}

// lower sets the mark for key back to v, the next number not handed out.
func (f *identityFile) lower(key string, v uint64) error {
	if f == nil {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.id.Sequences[key] <= v {
		return nil
	}
	next := f.id
	next.Sequences = maps.Clone(f.id.Sequences)
	next.Sequences[key] = v
	if err := f.write(&next); err != nil {
		return err
	}
	f.id = next
	return nil
}

func (f *identityFile) mark(key string) uint64 {
	if f == nil {
		return 0
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.id.Sequences[key]
}

// Identity describes the store's identity for reports.
type Identity struct {
	ID        string            `json:"id"`
	Created   time.Time         `json:"created"`
	Lifetime  int               `json:"lifetime"`
	Sequences map[string]uint64 `json:"sequences,omitempty"`
}

// Identity returns the store's identity (zero without an identity file).
func (s *Store) Identity() Identity {
	if s.ident == nil {
		return Identity{}
	}
	s.ident.mu.Lock()
	defer s.ident.mu.Unlock()
	id := s.ident.id
	return Identity{ID: id.ID, Created: id.Created, Lifetime: id.Lifetime, Sequences: id.Sequences}
}

// Sequence hands out numbers that are never handed out twice, not even by
// a later store in the same data dir: each lease is recorded in the
// identity file before its numbers are used. Its value in Badger is the
// next number not handed out, as a badger.Sequence keeps it, so a store
// numbered by one continues where it stopped.
//
// A lease costs a synced Badger commit and two fsyncs (the identity file
// and its directory), and ticket numbers are taken inside the committer,
// which every other message waits for (issue 21: a stall every 20 new
// tickets). So when half of a band is handed out, the next band is leased
// in the background, and Next finds it ready.
type Sequence struct {
	s            *Store
	key          string
	band         uint64
	mu           sync.Mutex
	next, leased uint64
	// ahead is the band leased in the background, [aheadBase, aheadEnd)
	// (aheadEnd 0: none; after a failed lease too, and Next then leases
	// itself); leasing is closed when the lease in flight ends (nil: none).
	aheadBase, aheadEnd uint64
	leasing             chan struct{}
	syncLeases          int // leases Next waited for (tests)
}

// Sequence returns the sequence at key (one of seqKeys), leasing band
// numbers at a time.
func (s *Store) Sequence(key string, band uint64) (*Sequence, error) {
	known := false
	for _, k := range seqKeys {
		known = known || k == key
	}
	if !known {
		return nil, fmt.Errorf("sequence %s: not a known sequence key", key)
	}
	return &Sequence{s: s, key: key, band: max(band, 1)}, nil
}

// Next returns the next number.
func (q *Sequence) Next() (uint64, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.next >= q.leased {
		if q.aheadEnd > 0 {
			q.next, q.leased, q.aheadEnd = q.aheadBase, q.aheadEnd, 0
			break
		}
		if done := q.leasing; done != nil {
			q.mu.Unlock()
			<-done
			q.mu.Lock()
			continue
		}
		q.syncLeases++
		base, end, err := q.lease(q.next)
		if err != nil {
			return 0, err
		}
		q.next, q.leased = base, end
	}
	v := q.next
	q.next++
	if q.leasing == nil && q.aheadEnd == 0 && q.leased-q.next <= q.band/2 {
		done := make(chan struct{})
		q.leasing = done
		go q.leaseAhead(q.leased, done)
	}
	return v, nil
}

// leaseAhead leases the band after from in the background.
func (q *Sequence) leaseAhead(from uint64, done chan struct{}) {
	base, end, err := q.lease(from)
	q.mu.Lock()
	if err == nil {
		q.aheadBase, q.aheadEnd = base, end
	}
	q.leasing = nil
	q.mu.Unlock()
	close(done)
}

// lease records band numbers from at least from and returns them. One
// lease runs at a time (Next and Release wait for one in flight).
func (q *Sequence) lease(from uint64) (base, end uint64, err error) {
	if q.s.pg != nil {
		base, end, err := q.s.pgLease(q.key, q.band)
		if err != nil {
			return 0, 0, fmt.Errorf("sequence %s: %w", q.key, err)
		}
		return base, end, nil
	}
	if err := q.s.space.commit(); err != nil {
		return 0, 0, fmt.Errorf("sequence %s: %w", q.key, err)
	}
	err = q.s.db.Update(func(t *badger.Txn) error {
		base = max(from, q.s.ident.mark(q.key))
		it, err := t.Get([]byte(q.key))
		if err == nil {
			v, err := it.ValueCopy(nil)
			if err != nil {
				return err
			}
			if len(v) == 8 {
				base = max(base, binary.BigEndian.Uint64(v))
			}
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		end = base + q.band
		// The mark first: a crash after it skips numbers, never reuses.
		if err := q.s.ident.raise(q.key, end); err != nil {
			return err
		}
		return t.Set([]byte(q.key), binary.BigEndian.AppendUint64(nil, end))
	})
	if err != nil {
		return 0, 0, fmt.Errorf("sequence %s: %w", q.key, err)
	}
	return base, end, nil
}

// Release returns the numbers leased and not handed out (a band leased
// ahead included), so that the next run continues without a gap: Badger's
// value first, then the identity file's mark, which only has to stay above
// every number handed out.
func (q *Sequence) Release() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.leasing != nil {
		done := q.leasing
		q.mu.Unlock()
		<-done
		q.mu.Lock()
	}
	// [from, to) goes back: the rest of the band in use and the band
	// leased ahead when it follows on (on PostgreSQL another node may
	// have leased between the two: then only the one ahead).
	from, to := q.next, q.leased
	if q.aheadEnd > 0 {
		if q.aheadBase == q.leased {
			to = q.aheadEnd
		} else {
			from, to = q.aheadBase, q.aheadEnd
		}
	}
	q.aheadEnd = 0
	if to == 0 || from == to {
		return nil
	}
	if q.s.pg != nil {
		if err := q.s.pgRelease(q.key, from, to); err != nil {
			return fmt.Errorf("sequence %s: %w", q.key, err)
		}
		q.leased = q.next
		return nil
	}
	err := q.s.db.Update(func(t *badger.Txn) error {
		return t.Set([]byte(q.key), binary.BigEndian.AppendUint64(nil, from))
	})
	if err != nil {
		return fmt.Errorf("sequence %s: %w", q.key, err)
	}
	q.leased = q.next
	return q.s.ident.lower(q.key, from)
}

// RaiseSequence makes sure the sequence at key hands out nothing below
// floor: a repair whose identity file was lost too learns the numbers
// handed out from the mail the gateway wrote.
func (s *Store) RaiseSequence(key string, floor uint64) error {
	if s.pg != nil {
		if err := s.pgRaise(key, floor); err != nil {
			return fmt.Errorf("sequence %s: %w", key, err)
		}
		return nil
	}
	if s.ident == nil {
		return fmt.Errorf("sequence %s: the store has no identity file", key)
	}
	return s.ident.raise(key, floor)
}
