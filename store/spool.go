package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// The spool keeps received mail out of Badger, in append-only segment files
// (mail/00000001.seg, …); Badger keeps, under PrefixRaw, where each mail
// is. Badger maps its value log into the process, so every byte of mail
// written there stayed resident in the gateway's RSS for as long as the
// file lived (all of it: received mail is kept); page cache filled by
// write(2) is the kernel's, and reclaimable.
//
// Segments rather than a file per message: creating and fsyncing a file
// per message cost about 0.3 ms of kernel CPU per 4 KB message and a
// journal commit in every session's path (C=20 × 4 KB fell from 4.6× to
// 2.7× Postfix, bench/README.md). Sessions write their mail side by side
// at offsets they reserve; the committer syncs the segments written for a
// batch once, before the transaction that records where the mail is
// commits. So a committed record always has its mail, and a crash or a
// failed commit leaves only unreferenced bytes in a segment.
type spool struct {
	dir   string
	space *space // nil: no free-space guard

	max int64 // segmentSize; tests make it smaller
	// inline is the largest mail kept in Badger instead (Options.InlineMail).
	inline int
	syncs  atomic.Int64 // segment fsyncs (Stats.SpoolSyncs)

	mu   sync.Mutex
	cur  *segment            // where new mail goes; nil until the first write
	open map[uint32]*segment // cur and retired segments not yet closed
	next uint32              // number of the next segment to create
}

type segment struct {
	num uint32
	f   *os.File
	// Guarded by spool.mu.
	size     int64 // bytes reserved
	inflight int   // writes reserved and not finished
	dirty    bool  // written since the last sync
	readers  int   // reads using f now
}

// segmentSize is where a segment stops taking mail; a mail larger than
// that gets a segment of its own.
const segmentSize = 64 << 20

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Spooled says where Spool put one mail; PutMessage records it.
type Spooled struct {
	seg  uint32
	off  int64
	n    uint32
	sum  uint32
	data []byte // no spool (in-memory stores): the mail itself
}

// Inline is the mail itself when Spool kept it in memory (PostgreSQL,
// where PutMessage writes it to the database; mail kept inline), or nil
// when it is in the spool's files. The caller must not change it.
func (p Spooled) Inline() []byte { return p.data }

// spoolMagic starts a PrefixRaw value that points into the spool. Mail
// itself never starts with a NUL byte.
const spoolMagic = "\x00spool1\x00"

func (p Spooled) encode() []byte {
	b := make([]byte, 0, len(spoolMagic)+20)
	b = append(b, spoolMagic...)
	b = binary.BigEndian.AppendUint32(b, p.seg)
	b = binary.BigEndian.AppendUint64(b, uint64(p.off))
	b = binary.BigEndian.AppendUint32(b, p.n)
	return binary.BigEndian.AppendUint32(b, p.sum)
}

func decodeSpooled(v []byte) (Spooled, bool) {
	rest, ok := bytes.CutPrefix(v, []byte(spoolMagic))
	if !ok || len(rest) != 20 {
		return Spooled{}, false
	}
	return Spooled{
		seg: binary.BigEndian.Uint32(rest),
		off: int64(binary.BigEndian.Uint64(rest[4:])),
		n:   binary.BigEndian.Uint32(rest[12:]),
		sum: binary.BigEndian.Uint32(rest[16:]),
	}, true
}

// Spool writes the concatenation of parts, the mail of one message, and
// returns where it is; the caller records that with PutMessage in the
// Update that follows. It runs in the caller's goroutine, so concurrent
// sessions write side by side instead of one after another in the
// committer. A store without a spool directory (tests, in memory) keeps
// the mail in Badger, and so does one with a spool for mail of at most
// Options.InlineMail bytes (see there).
func (s *Store) Spool(parts ...[]byte) (Spooled, error) {
	// Inline only when no other Update is on its way: then this mail's
	// commit is likely alone and the spool's fsync would be its own. Under
	// load the commits share one fsync, and mail stays out of Badger's
	// mapped value log (which the process's RSS counts).
	if s.spool == nil || s.waiting.Load() == 0 && s.spool.keepsInline(parts...) {
		return Spooled{data: bytes.Join(parts, nil)}, nil
	}
	p, err := s.spool.write(parts)
	if err != nil {
		return Spooled{}, fmt.Errorf("spool: %w", err)
	}
	return p, nil
}

// keepsInline says whether the mail made of parts may go into Badger with
// its record instead of the spool: it is small, and no segment waits for
// its fsync (one would cost the commit a sync anyway).
func (sp *spool) keepsInline(parts ...[]byte) bool {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	if n == 0 || n > sp.inline {
		return false
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	for _, seg := range sp.open {
		if seg.dirty {
			return false
		}
	}
	return true
}

func (sp *spool) write(parts [][]byte) (Spooled, error) {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	release, err := sp.space.take(int64(n))
	if err != nil {
		return Spooled{}, err
	}
	defer release()
	sp.mu.Lock()
	if sp.cur == nil || sp.cur.size > 0 && sp.cur.size+int64(n) > sp.max {
		if err := sp.rotate(); err != nil {
			sp.mu.Unlock()
			return Spooled{}, isNoSpace(err)
		}
	}
	seg := sp.cur
	off := seg.size
	seg.size += int64(n)
	seg.inflight++
	sp.mu.Unlock()

	var sum uint32
	at := off
	for _, p := range parts {
		if _, err = seg.f.WriteAt(p, at); err != nil {
			break
		}
		at += int64(len(p))
		sum = crc32.Update(sum, castagnoli, p)
	}
	sp.mu.Lock()
	seg.inflight--
	seg.dirty = true
	sp.mu.Unlock()
	if err != nil {
		return Spooled{}, isNoSpace(err)
	}
	return Spooled{seg: seg.num, off: off, n: uint32(n), sum: sum}, nil
}

// rotate starts a new segment; sp.mu is held. The old one stays open
// until its last write is synced (sync closes it).
func (sp *spool) rotate() error {
	num := sp.next
	f, err := os.OpenFile(sp.path(num), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	// The new name must be durable before any mail in it is committed.
	if err := syncDir(sp.dir); err != nil {
		f.Close()
		return err
	}
	sp.next++
	sp.cur = &segment{num: num, f: f}
	sp.open[num] = sp.cur
	return nil
}

// sync makes every write finished so far durable. The committer calls it
// before each commit: each message in the batch finished its write before
// its Update was handed over.
func (sp *spool) sync() error {
	sp.mu.Lock()
	var dirty []*segment
	for _, seg := range sp.open {
		if seg.dirty {
			seg.dirty = false
			dirty = append(dirty, seg)
		}
	}
	sp.mu.Unlock()
	for i, seg := range dirty {
		sp.syncs.Add(1)
		if err := seg.f.Sync(); err != nil {
			sp.mu.Lock()
			for _, seg := range dirty[i:] {
				seg.dirty = true // a later commit tries again
			}
			sp.mu.Unlock()
			return fmt.Errorf("spool: %w", isNoSpace(err))
		}
	}
	// Retired segments whose writes are all synced are done with.
	sp.mu.Lock()
	defer sp.mu.Unlock()
	for num, seg := range sp.open {
		if seg != sp.cur && seg.inflight == 0 && !seg.dirty && seg.readers == 0 {
			seg.f.Close()
			delete(sp.open, num)
		}
	}
	return nil
}

// read returns the mail at p. Mail is mostly read soon after it was
// written, for its delivery, so a segment still open for writing is read
// through its open file rather than opened again for every delivery.
func (sp *spool) read(p Spooled, buf []byte) ([]byte, error) {
	sp.mu.Lock()
	seg := sp.open[p.seg]
	if seg != nil {
		seg.readers++
	}
	sp.mu.Unlock()
	var f *os.File
	if seg != nil {
		f = seg.f
		defer func() {
			sp.mu.Lock()
			seg.readers--
			sp.mu.Unlock()
		}()
	} else {
		var err error
		if f, err = os.Open(sp.path(p.seg)); err != nil {
			return nil, err
		}
		defer f.Close()
	}
	b := buf[:0]
	if cap(b) < int(p.n) {
		b = make([]byte, p.n)
	}
	b = b[:p.n]
	if _, err := f.ReadAt(b, p.off); err != nil {
		if errors.Is(err, io.EOF) {
			err = fmt.Errorf("%w: the segment ends before it", ErrMailDamaged)
		}
		return nil, fmt.Errorf("spool segment %d at %d: %w", p.seg, p.off, err)
	}
	if crc32.Checksum(b, castagnoli) != p.sum {
		return nil, fmt.Errorf("spool segment %d at %d: checksum mismatch: %w", p.seg, p.off, ErrMailDamaged)
	}
	return b, nil
}

// present reports whether the spool still holds the bytes at p: its
// segment exists and reaches p's end. It reads no mail (sizes caches each
// segment's size, -1 for none), so serve's start-up check can afford it
// for every record; Check with Mail reads the mail against its CRC.
func (sp *spool) present(p Spooled, sizes map[uint32]int64) error {
	size, ok := sizes[p.seg]
	if !ok {
		fi, err := os.Stat(sp.path(p.seg))
		switch {
		case err == nil:
			size = fi.Size()
		case errors.Is(err, fs.ErrNotExist):
			size = -1
		default:
			return fmt.Errorf("spool segment %d: %w", p.seg, err)
		}
		sizes[p.seg] = size
	}
	if size < 0 {
		return fmt.Errorf("spool segment %d (%s) is missing", p.seg, sp.path(p.seg))
	}
	if end := p.off + int64(p.n); size < end {
		return fmt.Errorf("spool segment %d (%s) is cut short: %d bytes, the mail at %d ends at %d", p.seg, sp.path(p.seg), size, p.off, end)
	}
	return nil
}

// ErrMailDamaged is a read of spooled mail whose bytes are there but not
// the mail's (a checksum mismatch) or cut off: reading again will not
// help. Any other read error (the segment cannot be opened now, an I/O
// error) may pass.
var ErrMailDamaged = errors.New("the mail is damaged")

func (sp *spool) path(num uint32) string {
	return filepath.Join(sp.dir, fmt.Sprintf("%08d.seg", num))
}

func (sp *spool) close() error {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	var errs []error
	for num, seg := range sp.open {
		errs = append(errs, seg.f.Sync(), seg.f.Close())
		delete(sp.open, num)
	}
	sp.cur = nil
	return errors.Join(errs...)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// openSpool opens the spool in dir. New mail always goes to a new segment:
// the tail of the last one may hold bytes of mail that was never
// committed, and nothing needs to know where its committed part ends.
func openSpool(dir string) (*spool, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open spool: %w", err)
	}
	if err := syncDir(filepath.Dir(dir)); err != nil {
		return nil, fmt.Errorf("open spool: %w", err)
	}
	names, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("open spool: %w", err)
	}
	var nums []uint32
	for _, e := range names {
		if n, err := strconv.ParseUint(strings.TrimSuffix(e.Name(), ".seg"), 10, 32); err == nil && strings.HasSuffix(e.Name(), ".seg") {
			nums = append(nums, uint32(n))
		}
	}
	next := uint32(1)
	if len(nums) > 0 {
		next = slices.Max(nums) + 1
	}
	return &spool{dir: dir, max: segmentSize, open: make(map[uint32]*segment), next: next}, nil
}
