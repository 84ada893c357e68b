package store

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
)

// The primitives retention and erasure are built from (package retention
// decides what expires; package customers finds one customer's data):
// removing a mail, compacting the spool, zeroing the bytes of erased mail
// and making Badger drop old versions of what was deleted or rewritten.
//
// A spool segment is rewritten in four steps, each safe to be the last
// one a crash lets happen:
//
//  1. the live mail is copied into a new segment with a new number (never
//     the current one), which is synced with its directory: a crash leaves
//     an unreferenced file, which the next run deletes as empty;
//  2. one transaction moves each mail's pointer from the old segment to
//     the new one, if it still points where it did when copied: a crash
//     before it leaves the old pointers, which still work;
//  3. the old segment is removed and the directory synced: a crash before
//     leaves a segment nothing points to, which the next run deletes.
//
// So at every moment each pointer names bytes that are on disk and synced.

// PrefixTicketMail indexes the mail of a ticket that has no record of its
// own (the gateway's acknowledgements, replies and escalations):
// ix/tmail/<tag>/<raw id> → "". queue.Add writes it with each item.
const PrefixTicketMail = PrefixIndex + "tmail/"

// TicketMailKey is the index key of mail id of ticket tag.
func TicketMailKey(tag, id string) []byte {
	return []byte(PrefixTicketMail + strings.ToUpper(tag) + "/" + id)
}

// IndexTicketMail records that mail id belongs to ticket tag.
func (t *Txn) IndexTicketMail(tag, id string) error {
	if tag == "" || id == "" {
		return nil
	}
	return t.Set(TicketMailKey(tag, id), nil)
}

// TicketMail returns the ids of the mail indexed under ticket tag.
func (t *Txn) TicketMail(tag string) ([]string, error) {
	prefix := []byte(PrefixTicketMail + strings.ToUpper(tag) + "/")
	var ids []string
	err := t.Iterate(prefix, nil, false, func(k, _ []byte) error {
		ids = append(ids, string(k[len(prefix):]))
		return nil
	})
	return ids, err
}

// MailLoc says where one mail is: in a spool segment, or in Badger.
type MailLoc struct {
	ID      string
	Segment uint32 // 0: kept in Badger
	Offset  int64
	Size    int64
}

// MailLocation returns where mail id is; ErrNotFound when it has none.
func (t *Txn) MailLocation(id string) (MailLoc, error) {
	v, err := t.Get([]byte(PrefixRaw + id))
	if err != nil {
		return MailLoc{}, err
	}
	if p, ok := decodeSpooled(v); ok {
		return MailLoc{ID: id, Segment: p.seg, Offset: p.off, Size: int64(p.n)}, nil
	}
	return MailLoc{ID: id, Size: int64(len(v))}, nil
}

// DeleteMail removes mail id: its bytes' pointer (or the bytes, kept in
// Badger) and its record, if any. The bytes in the spool stay until the
// segment is compacted (CompactSpool) or zeroed (ZeroMail).
func (t *Txn) DeleteMail(id string) error {
	for _, k := range []string{PrefixRaw + id, PrefixMessage + id} {
		if err := t.Delete([]byte(k)); err != nil {
			return fmt.Errorf("delete mail %s: %w", id, err)
		}
	}
	return nil
}

// IDTime is when an id made by NewID was made; zero for anything else.
func IDTime(id string) time.Time {
	b, err := hex.DecodeString(id)
	if err != nil || len(b) != 12 {
		return time.Time{}
	}
	return KeyTime(b[:8])
}

// ZeroMail overwrites the bytes of mail that is no longer referenced (its
// pointer deleted and committed by the caller) with zeros and syncs them:
// an erased customer's words leave the disk now, not when their segment is
// compacted. Other mail in the segment is not touched, so this is safe
// while sessions write to it.
func (s *Store) ZeroMail(locs []MailLoc) error {
	if s.spool == nil {
		return nil
	}
	bySeg := map[uint32][]MailLoc{}
	for _, l := range locs {
		if l.Segment != 0 {
			bySeg[l.Segment] = append(bySeg[l.Segment], l)
		}
	}
	for num, ls := range bySeg {
		f, err := os.OpenFile(s.spool.path(num), os.O_WRONLY, 0)
		if errors.Is(err, fs.ErrNotExist) {
			continue // compacted away meanwhile
		}
		if err != nil {
			return fmt.Errorf("zero mail: %w", err)
		}
		for _, l := range ls {
			if _, err := f.WriteAt(make([]byte, l.Size), l.Offset); err != nil {
				f.Close()
				return fmt.Errorf("zero mail %s: %w", l.ID, err)
			}
		}
		if err := errors.Join(f.Sync(), f.Close()); err != nil {
			return fmt.Errorf("zero mail: %w", err)
		}
	}
	return nil
}

// CompactOptions tune CompactSpool.
type CompactOptions struct {
	// Ratio: a segment whose live mail is less than this share of its size
	// is rewritten; 0 means 0.5. A segment with no live mail is deleted.
	Ratio float64
	// Grace: a segment written to less than this long ago is left alone,
	// since mail written to it may not have committed yet. 0 means none
	// (only for a store nothing else writes to, such as a stopped one).
	Grace time.Duration
	// DryRun counts what would be done.
	DryRun bool
	// Gone are mail ids to count as removed (a dry run of retention,
	// which removes nothing, counts the segments its removals would
	// free).
	Gone map[string]bool
	// step, for tests, is called after each step of a rewrite; an error
	// stops there as a crash would.
	step func(step string) error
}

// CompactReport is what CompactSpool did (or would do).
type CompactReport struct {
	Deleted   int   `json:"segments_deleted"`
	Rewritten int   `json:"segments_rewritten"`
	Reclaimed int64 `json:"bytes_reclaimed"`
}

// CompactSpool deletes the spool segments no pointer refers to and
// rewrites those mostly made of mail that is gone (see the steps above).
// Only segments the spool no longer writes to are touched.
func (s *Store) CompactSpool(ctx context.Context, o CompactOptions) (CompactReport, error) {
	var rep CompactReport
	if s.spool == nil {
		return rep, nil
	}
	if o.Ratio == 0 {
		o.Ratio = 0.5
	}
	sp := s.spool
	segs, err := sp.list()
	if err != nil {
		return rep, err
	}
	// The sizes of files first, pointers after: mail committed in
	// between only makes a segment look fuller than it is.
	live := map[uint32][]liveMail{}
	err = s.View(func(txn *Txn) error {
		return txn.Iterate([]byte(PrefixRaw), nil, true, func(k, v []byte) error {
			if p, ok := decodeSpooled(v); ok && !o.Gone[string(k[len(PrefixRaw):])] {
				live[p.seg] = append(live[p.seg], liveMail{id: string(k[len(PrefixRaw):]), p: p, v: v})
			}
			return nil
		})
	})
	if err != nil {
		return rep, fmt.Errorf("compact spool: %w", err)
	}
	now := time.Now()
	for _, seg := range segs {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		sp.mu.Lock()
		_, busy := sp.open[seg.num]
		sp.mu.Unlock()
		if busy || now.Sub(seg.mod) < o.Grace {
			continue
		}
		var used int64
		for _, m := range live[seg.num] {
			used += int64(m.p.n)
		}
		switch {
		case len(live[seg.num]) == 0:
			rep.Deleted++
			rep.Reclaimed += seg.size
			if !o.DryRun {
				if err := sp.remove(seg.num); err != nil {
					return rep, err
				}
			}
		case float64(used) < o.Ratio*float64(seg.size):
			rep.Rewritten++
			rep.Reclaimed += seg.size - used
			if !o.DryRun {
				if err := s.rewrite(ctx, seg.num, live[seg.num], o.step); err != nil {
					return rep, err
				}
			}
		}
	}
	return rep, nil
}

type liveMail struct {
	id string
	p  Spooled
	v  []byte // the pointer as stored
}

type segFile struct {
	num  uint32
	size int64
	mod  time.Time
}

// list returns the segment files, oldest first.
func (sp *spool) list() ([]segFile, error) {
	ents, err := os.ReadDir(sp.dir)
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	var out []segFile
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".seg")
		if !ok {
			continue
		}
		n, err := strconv.ParseUint(name, 10, 32)
		if err != nil {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		out = append(out, segFile{num: uint32(n), size: fi.Size(), mod: fi.ModTime()})
	}
	slices.SortFunc(out, func(a, b segFile) int { return int(a.num) - int(b.num) })
	return out, nil
}

func (sp *spool) remove(num uint32) error {
	if err := os.Remove(sp.path(num)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("spool: %w", err)
	}
	return syncDir(sp.dir)
}

// rewrite copies the live mail of segment num into a new segment, moves
// the pointers and removes the old one (the steps in the file comment).
func (s *Store) rewrite(ctx context.Context, num uint32, mail []liveMail, step func(string) error) error {
	if step == nil {
		step = func(string) error { return nil }
	}
	sp := s.spool
	slices.SortFunc(mail, func(a, b liveMail) int { return int(a.p.off - b.p.off) })
	sp.mu.Lock()
	to := sp.next
	sp.next++
	sp.mu.Unlock()
	f, err := os.OpenFile(sp.path(to), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("compact segment %d: %w", num, err)
	}
	moved := make(map[string]Spooled, len(mail))
	var off int64
	for _, m := range mail {
		b, err := sp.read(m.p, nil)
		if err != nil {
			f.Close()
			return fmt.Errorf("compact segment %d: %w", num, err)
		}
		if _, err := f.WriteAt(b, off); err != nil {
			f.Close()
			return fmt.Errorf("compact segment %d: %w", num, isNoSpace(err))
		}
		moved[m.id] = Spooled{seg: to, off: off, n: m.p.n, sum: crc32.Checksum(b, castagnoli)}
		off += int64(len(b))
	}
	if err := step("written"); err != nil {
		f.Close()
		return err
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		return fmt.Errorf("compact segment %d: %w", num, err)
	}
	if err := syncDir(sp.dir); err != nil {
		return fmt.Errorf("compact segment %d: %w", num, err)
	}
	if err := step("synced"); err != nil {
		return err
	}
	err = s.Update(ctx, func(txn *Txn) error {
		for _, m := range mail {
			cur, err := txn.Get([]byte(PrefixRaw + m.id))
			if errors.Is(err, ErrNotFound) {
				continue // deleted meanwhile: its copy is garbage
			}
			if err != nil {
				return err
			}
			if !bytes.Equal(cur, m.v) {
				continue
			}
			if err := txn.Set([]byte(PrefixRaw+m.id), moved[m.id].encode()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("compact segment %d: %w", num, err)
	}
	if err := step("committed"); err != nil {
		return err
	}
	if err := sp.remove(num); err != nil {
		return err
	}
	return step("removed")
}

// Usage is the bytes on disk of the spool (mail) and of Badger (store).
type Usage struct {
	Mail  int64 `json:"mail_bytes"`
	Store int64 `json:"store_bytes"`
}

// DiskUsage sums the files of the spool and of the Badger directory.
func (s *Store) DiskUsage() Usage {
	var u Usage
	if s.spool != nil {
		u.Mail = dirBytes(s.spool.dir)
	}
	if s.pg != nil {
		return u
	}
	if dir := s.db.Opts().Dir; dir != "" {
		u.Store = dirBytes(dir)
	}
	return u
}

func dirBytes(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// purgeKey is written and dropped to make Badger flush its memtables (see
// Purge): DropPrefix flushes them only when its prefix has a live key.
var purgeKey = []byte(PrefixMisc + "flush\x00") // a prefix of no other key

// Reclaim gives back the value-log space of what was deleted or
// rewritten (Badger's value-log GC at a discard ratio of one half). It
// first flushes the memtables: Badger learns which values are stale only
// when the tables holding newer versions and deletions are written and
// compacted, so without the flush the GC found nothing to rewrite after a
// retention run (mail kept in Badger, store.inline_mail, stayed on disk).
func (s *Store) Reclaim() int {
	if s.pg != nil {
		return 0
	}
	if s.space.commit() != nil || s.exclusive(context.Background(), s.flushMemtables) != nil {
		return 0
	}
	n := 0
	for n < 100 && s.space.commit() == nil && s.gcOnce(context.Background(), 0.5) == nil {
		n++
	}
	return n
}

// gcOnce rewrites at most one value-log file, in the committer: Badger's
// GC reads the memtable's newest version without a lock when it starts a
// rewrite (a data race with a concurrent commit), and between two files
// the commits that waited get through.
func (s *Store) gcOnce(ctx context.Context, ratio float64) error {
	return s.exclusive(ctx, func() error { return s.db.RunValueLogGC(ratio) })
}

// Purge makes Badger forget the old versions of everything deleted or
// rewritten so far, as far as it can while running: it flushes the
// memtables (whose write-ahead logs hold every recent write), compacts
// every level into one (which drops shadowed versions and tombstones) and
// rewrites every sealed value-log file that holds a stale value. Writes
// wait meanwhile (the flush runs in the committer). Badger never rewrites
// the value-log file it is writing, and has no call to start a new one, so
// Purge first seals it (sealValueLog): a value that went there before the
// erasure is then in a sealed file the rewrite reaches.
//
// On PostgreSQL it VACUUMs the tables kv and mail: the dead row versions
// are removed and no query reaches them, but PostgreSQL does not zero
// their bytes, which stay in the pages' free space, its WAL and backups
// until overwritten (PurgeLeaves).
func (s *Store) Purge(ctx context.Context) error {
	if s.pg != nil {
		return s.pg.vacuum(ctx)
	}
	if s.db.Opts().InMemory {
		return nil
	}
	if err := s.space.commit(); err != nil {
		return err
	}
	err := s.exclusive(ctx, func() error {
		if err := s.sealValueLog(); err != nil {
			return err
		}
		return s.flushMemtables()
	})
	if err != nil {
		return fmt.Errorf("purge: flush: %w", err)
	}
	if err := s.db.Flatten(2); err != nil {
		return fmt.Errorf("purge: flatten: %w", err)
	}
	for i := 0; i < 1000; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := s.gcOnce(ctx, 0.000001); err != nil {
			if errors.Is(err, badger.ErrNoRewrite) || errors.Is(err, badger.ErrRejected) {
				return nil
			}
			return fmt.Errorf("purge: value log: %w", err)
		}
	}
	return nil
}

// flushMemtables writes Badger's memtables out as tables. Only the
// committer may call it (exclusive): Badger refuses writes during the
// DropPrefix that does it, which flushes only when its prefix has a live
// key (purgeKey).
func (s *Store) flushMemtables() error {
	if err := s.db.Update(func(t *badger.Txn) error { return t.Set(purgeKey, []byte{1}) }); err != nil {
		return err
	}
	return s.db.DropPrefix(purgeKey)
}

// exclusive runs fn in the committer, with no transaction of its own:
// no Update commits while it runs (Badger refuses writes during a
// DropPrefix; made to wait, they are merely late).
func (s *Store) exclusive(ctx context.Context, fn func() error) error {
	r := &request{ctx: ctx, excl: fn, errc: make(chan error, 1)}
	select {
	case s.reqs <- r:
	case <-s.closed:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-r.errc
}

// fillKey holds the filler that sealValueLog writes and deletes at once.
var fillKey = []byte(PrefixMisc + "fill\x00")

// sealValueLog makes Badger start a new value-log file, so that the one
// being written becomes one the value-log GC may rewrite. Badger starts a
// new file after a write takes the current one past ValueLogFileSize, so
// a filler of half that size is written (and deleted) until a new file
// appears: at most three, since two always cross the limit. The filler
// costs its size on disk until the GC that follows reclaims it (a sealed
// file) or the new file fills up. Only the committer may call it.
func (s *Store) sealValueLog() error {
	count := func() int {
		m, _ := filepath.Glob(filepath.Join(s.db.Opts().ValueDir, "*.vlog"))
		return len(m)
	}
	before := count()
	half := s.db.Opts().ValueLogFileSize/2 + 1
	filler := make([]byte, half)
	for i := 0; i < 3 && count() == before; i++ {
		if err := s.space.commit(); err != nil {
			return err
		}
		if err := s.db.Update(func(t *badger.Txn) error { return t.Set(fillKey, filler) }); err != nil {
			return fmt.Errorf("seal the value log: %w", err)
		}
	}
	if err := s.db.Update(func(t *badger.Txn) error { return t.Delete(fillKey) }); err != nil {
		return fmt.Errorf("seal the value log: %w", err)
	}
	if count() == before {
		return errors.New("seal the value log: Badger started no new file")
	}
	return nil
}
