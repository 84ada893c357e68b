// Package store is Frontdesk's durable state: a Badger database tuned for a
// small host, with fsynced commits that concurrent writers share (group
// commit), periodic value-log GC and the key schema every other package
// shares, plus the spool, the append-only files where received mail is kept.
// Everything that follows from one accepted message (its record, its
// ticket, its deadlines and its queue items) is written in one Update,
// after its mail is in the spool, so a crash leaves either all of it or
// none of it.
//
// With Options.DSN the same Store and Txn keep everything in PostgreSQL
// instead (postgres.go), for several gateways on one database; the contract
// both backends pass is package storetest. What only one of those
// gateways may do at a time is done under a lease kept in the store itself
// (lease.go: AcquireLease, ReleaseLease), taken in an ordinary transaction.
//
// The store never lies about itself: an identity file beside it makes Open
// refuse a store that is missing, empty or another one (LostError), a
// value Badger cannot read is ErrDamaged rather than an empty record,
// Check reads everything, and sequences never hand out a number twice
// across the store's lifetimes (identity.go). A full disk refuses writes
// with ErrNoSpace instead of crashing in Badger's mapped files (space.go).
package store

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// ErrNotFound is returned when a key does not exist.
var ErrNotFound = errors.New("not found")

// Options tune Open.
type Options struct {
	// SyncWrites fsyncs every commit; concurrent Updates share one
	// transaction and so one fsync.
	SyncWrites bool
	// InMemory keeps everything in RAM (tests only).
	InMemory bool
	// SpoolDir holds received mail (see Spool). Empty keeps mail in
	// Badger, which is for tests.
	SpoolDir string
	// LaterDelay bounds how long an UpdateLater waits for a commit to
	// share when nothing else is written; 0 means 20 ms.
	LaterDelay time.Duration
	Logger     *slog.Logger
	// IdentityFile, beside the store (data_dir/store.json), records which
	// store the data dir holds and the high-water marks of its sequences;
	// with it, Open refuses (LostError) a store that is missing, empty or
	// another one where the data dir shows there was one. Empty: no
	// check (tests).
	IdentityFile string
	// Repair opens what is there anyway: it adopts the store it finds (a
	// restored backup) or creates a new one, a new lifetime whose
	// sequences continue above the identity file's marks.
	Repair bool
	// ValueLogFileSize is where Badger starts a new value-log file; 0
	// means 32 MiB.
	ValueLogFileSize int64
	// DSN, when set, keeps everything in the PostgreSQL database it names
	// (postgres.go) instead of Badger in dir: every other option but
	// Logger and Holder is then unused. The schema must be Migrate's SchemaVersion.
	DSN string
	// Reserve is the free space under the store below which commits and
	// spool writes are refused with ErrNoSpace (see space); 0 means
	// enough for what Badger creates in one commit, a flush and a
	// compaction (128 MiB with the default value-log size).
	Reserve int64
	// Holder names this process in the leases it takes (lease.go); empty
	// means the host name, the process id and a random part.
	Holder string
	// InlineMail is the largest mail (received, or written by the
	// gateway) that may be kept in Badger with its record instead of the
	// spool; 0 spools every mail (config store.inline_mail; the default).
	// Badger syncs its value log on every commit anyway, so a commit whose
	// mail is all inline costs two syncs instead of three: at one session
	// the spool's fsync was a sixth of the CPU of a 4 KB message
	// (bench/README.md). Mail goes inline only when that saves the fsync:
	// no other Update is on its way (Spool) and no spooled mail waits for
	// its sync (PutRaw). Under load, when commits share one fsync, and
	// for large mail, the spool keeps mail out of Badger's mapped value
	// log, whose written pages the process's RSS counts, and needs no
	// value-log GC.
	InlineMail int
}

// SuggestedInlineMail is an InlineMail that keeps most support mail
// without attachments (text and HTML parts) inline: 32 KiB.
const SuggestedInlineMail = 32 << 10

// Store wraps one Badger database.
type Store struct {
	db    *badger.DB
	log   *slog.Logger
	spool *spool // nil: mail goes to Badger
	ident *identityFile
	space *space     // nil in memory
	pg    *pgBackend // set: the store is a PostgreSQL database, db is nil
	// holder names this process in leases (Holder).
	holder string

	// Update hands its function to one committer goroutine, which runs
	// every function waiting at that moment in one transaction: N
	// concurrent commits cost one WAL sync instead of N (Badger v4 syncs
	// the memtable WAL once per transaction, see bench/README.md).
	reqs      chan *request
	closed    chan struct{}
	closeOnce sync.Once
	done      chan struct{}

	// later holds UpdateLater functions until the next commit takes them
	// along, or until laterDue fires laterDelay after the first of them.
	laterMu     sync.Mutex
	later       []*request
	laterTimer  *time.Timer
	laterClosed bool
	laterDue    chan struct{}
	laterDelay  time.Duration

	// waiting counts Updates handed over or about to be; updates and
	// commits count the committed Updates and the transactions that
	// committed them (Stats).
	waiting, updates, commits atomic.Int64
	// retries counts transactions run again after a conflict (Badger) or
	// a serialization failure (PostgreSQL).
	retries atomic.Int64
}

// request is one Update waiting for the committer.
type request struct {
	ctx  context.Context
	fn   func(*Txn) error
	errc chan error
	// after, for an UpdateLater, takes the outcome instead of errc.
	after func(error)
	// excl, instead of fn, runs alone in the committer (see exclusive).
	excl func() error
	// reads are keys fn reads (UpdateReading), walks prefixes it walks
	// (UpdateWalking): on PostgreSQL the committer reads those of a whole
	// batch ahead in one round trip.
	reads, walks [][]byte
}

func (r *request) finish(err error) {
	if r.after != nil {
		r.after(err)
		return
	}
	r.errc <- err
}

// maxBatch bounds how many Updates share one transaction; a batch of mail
// records and queue items stays far below Badger's transaction size limit
// (large values go to the value log and count only as pointers).
const maxBatch = 64

// Open opens (or creates) the store in dir.
func Open(dir string, o Options) (*Store, error) {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if o.DSN != "" {
		pg, err := openPostgres(o)
		if err != nil {
			return nil, err
		}
		s := &Store{pg: pg, log: log, holder: cmp.Or(o.Holder, defaultHolder())}
		go s.pgCommitLoop()
		return s, nil
	}
	// Sized for a 2-core, small-memory host (see GO-LIBS.md §1.5): the
	// defaults cost ~86 MB of heap at Open and several hundred under load.
	// No block cache: with neither compression nor encryption Badger reads
	// blocks straight from the mapped tables, and a cache would only copy
	// them into the heap (Badger's own advice).
	// Each memtable's arena is allocated whole, and the collector's goal
	// doubles it, so two of 8 MB keep the heap small (bench/README.md
	// measured 64 and 16 MB ones). That caps one transaction at ~1.2 MB of
	// keys and small values (a batch of 64 Updates writes well under a
	// tenth of that); every value over
	// ValueThreshold (raw mail, long ticket records) goes to the value log
	// and counts only as a pointer, so a 25 MB message still commits in one
	// transaction, and the LSM tree holds only keys and small records.
	const memTable = 8 << 20
	vlogSize := cmp.Or(o.ValueLogFileSize, 32<<20)
	opts := badger.DefaultOptions(dir).
		WithInMemory(o.InMemory).
		WithSyncWrites(o.SyncWrites).
		WithMemTableSize(memTable).
		WithNumMemtables(2).
		WithNumLevelZeroTables(2).
		WithNumLevelZeroTablesStall(4).
		WithBlockCacheSize(0).
		WithIndexCacheSize(8 << 20).
		WithValueLogFileSize(vlogSize).
		// Every value read from the value log is checked against its
		// CRC, so damaged bytes are an error, not a changed ticket.
		WithVerifyValueChecksum(true).
		WithNumCompactors(2).
		WithNumGoroutines(2).
		WithCompression(options.None).
		WithValueThreshold(1 << 10).
		// The level first: WithLoggingLevel replaces the logger with
		// Badger's own, which wrote past slog to stderr.
		WithLoggingLevel(badger.WARNING).
		WithLogger(badgerLogger{log})
	if o.InMemory {
		// No value log in memory: every value lives in the memtable.
		opts.Dir, opts.ValueDir = "", ""
		opts = opts.WithValueThreshold(1 << 20)
	}
	var file *identity
	if o.IdentityFile != "" && !o.InMemory {
		var err error
		if file, err = checkBeforeOpen(dir, o); err != nil {
			return nil, err
		}
	}
	var room *space
	if !o.InMemory {
		room = newSpace(dir, cmp.Or(o.Reserve, defaultReserve(vlogSize, memTable)))
		// Badger creates a value-log and a memtable file at Open and
		// writes their headers through the mapping: on a full disk that
		// is a SIGBUS, so it is not opened there.
		need := 2*vlogSize + 2*memTable + 4<<20
		if avail, err := freeBytes(existingParent(dir)); err == nil && avail < need {
			return nil, fmt.Errorf("open store: %w", room.noSpace(avail, need))
		}
	}
	var sp *spool
	if o.SpoolDir != "" && !o.InMemory {
		var err error
		if sp, err = openSpool(o.SpoolDir); err != nil {
			return nil, err
		}
		sp.space = room
		sp.inline = o.InlineMail
	}
	var db *badger.DB
	err := error(nil)
	if !o.InMemory {
		err = checkTables(dir)
	}
	if err == nil {
		db, err = openBadger(opts)
	}
	if err != nil {
		if sp != nil {
			sp.close()
		}
		err = isNoSpace(err)
		if !errors.Is(err, ErrNoSpace) && !errors.Is(err, ErrUnopenable) && !environmental(err) &&
			!strings.Contains(err.Error(), "Cannot acquire directory lock") && !o.InMemory {
			// A table missing or cut short, a MANIFEST that does not
			// parse: what is wrong is the files, and a restart will not
			// mend them.
			err = fmt.Errorf("%w: %w", ErrUnopenable, err)
		}
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	s := &Store{db: db, log: log, spool: sp, space: room, reqs: make(chan *request), closed: make(chan struct{}), done: make(chan struct{}),
		laterDue: make(chan struct{}, 1), laterDelay: cmp.Or(o.LaterDelay, 20*time.Millisecond), holder: cmp.Or(o.Holder, defaultHolder())}
	if room != nil {
		room.mu.Lock()
		err := room.allocate()
		room.mu.Unlock()
		if err != nil {
			db.Close()
			if sp != nil {
				sp.close()
			}
			return nil, fmt.Errorf("open store: %w", err)
		}
	}
	if o.IdentityFile != "" && !o.InMemory {
		if err := s.bindIdentity(dir, file, o, time.Now()); err != nil {
			db.Close()
			if sp != nil {
				sp.close()
			}
			return nil, err
		}
	}
	go s.commitLoop()
	return s, nil
}

// ErrClosed is returned by Update after Close.
var ErrClosed = errors.New("store closed")

// Close closes the database after the committer has finished the batch it
// is on and committed the UpdateLater functions still waiting. Updates
// after Close return ErrClosed; closing twice is harmless.
func (s *Store) Close() error {
	if s.pg != nil {
		return s.pg.close()
	}
	first := false
	s.closeOnce.Do(func() { close(s.closed); first = true })
	if !first {
		return nil
	}
	<-s.done
	err := s.db.Close()
	if s.spool != nil {
		err = errors.Join(err, s.spool.close())
	}
	return err
}

// DB exposes the Badger handle for sequences and statistics; nil on
// PostgreSQL.
func (s *Store) DB() *badger.DB { return s.db }

// Update runs fn in a read-write transaction and commits it (synced when
// the store was opened with SyncWrites) before it returns. fn may share
// its transaction with other Updates that wait at the same moment (it sees
// their writes as if they had committed just before it), and may run more
// than once: on a conflict, or when another function of its batch fails.
// fn must not call Update itself.
//
// Once fn has been handed over, Update waits for the outcome even if ctx
// ends meanwhile: answering "failed" for a commit that then succeeds would
// make a client retry a message that is already stored.
func (s *Store) Update(ctx context.Context, fn func(*Txn) error) error {
	return s.UpdateReading(ctx, nil, fn)
}

// UpdateReading is Update with keys fn will read (raw/<id> keys with
// their mail, as Txn.Prefetch reads them): on PostgreSQL the committer
// reads the keys of all the functions of a batch ahead, in the round trip
// that begins its transaction, instead of one round trip per function
// (the lease and the removal of queue items, for instance). A function
// still sees what the batch's functions before it wrote. On Badger it is
// Update.
func (s *Store) UpdateReading(ctx context.Context, keys [][]byte, fn func(*Txn) error) error {
	return s.UpdateWalking(ctx, keys, nil, fn)
}

// UpdateWalking is UpdateReading with prefixes whose keys fn walks (in
// either direction, with or without values): on PostgreSQL the committer
// walks each in the round trip that begins the batch's transaction, and a
// prefix that holds fewer keys than a walk's first page (16) answers fn's
// walks of it, and its reads of keys it does not hold, until a function
// of the batch writes a key in it (intake walks the ticket index of the
// mail's customer: a round trip per mail in the committer before). On
// Badger it is Update.
func (s *Store) UpdateWalking(ctx context.Context, keys, prefixes [][]byte, fn func(*Txn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.pg != nil {
		return s.pgUpdate(ctx, keys, prefixes, fn)
	}
	r := &request{ctx: ctx, fn: fn, errc: make(chan error, 1)}
	s.waiting.Add(1)
	defer s.waiting.Add(-1)
	select {
	case s.reqs <- r:
	case <-s.closed:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-r.errc
}

// UpdateLater is Update for writes whose loss in a crash is harmless
// because whatever they record would be done again: the removal of a
// delivered queue item, whose loss costs one duplicate delivery and never
// a mail. It returns at once; fn goes into the next transaction that
// commits anyway (an Update's), or into one of its own LaterDelay after
// the first waiting UpdateLater, so that it costs no sync of its own.
// done, if not nil, gets the outcome on the committer's goroutine and must
// neither block nor call the store. After Close, done gets ErrClosed.
func (s *Store) UpdateLater(fn func(*Txn) error, done func(error)) {
	s.UpdateLaterReading(nil, fn, done)
}

// UpdateLaterReading is UpdateLater with keys fn will read, as
// UpdateReading.
func (s *Store) UpdateLaterReading(keys [][]byte, fn func(*Txn) error, done func(error)) {
	if done == nil {
		done = func(error) {}
	}
	if s.pg != nil {
		s.pgUpdateLater(keys, fn, done)
		return
	}
	s.laterMu.Lock()
	if s.laterClosed {
		s.laterMu.Unlock()
		done(ErrClosed)
		return
	}
	s.later = append(s.later, &request{ctx: context.Background(), fn: fn, after: done})
	switch {
	case len(s.later) >= maxBatch:
		s.signalLater()
	case len(s.later) == 1:
		s.laterTimer = time.AfterFunc(s.laterDelay, s.signalLater)
	}
	s.laterMu.Unlock()
}

func (s *Store) signalLater() {
	select {
	case s.laterDue <- struct{}{}:
	default:
	}
}

// takeLater returns the waiting UpdateLater functions; final refuses any
// after them.
func (s *Store) takeLater(final bool) []*request {
	s.laterMu.Lock()
	defer s.laterMu.Unlock()
	b := s.later
	s.later = nil
	if s.laterTimer != nil {
		s.laterTimer.Stop()
		s.laterTimer = nil
	}
	s.laterClosed = s.laterClosed || final
	return b
}

// commitLoop takes one waiting Update, every other one waiting at that
// moment and every UpdateLater, and commits them together. A lone Update
// commits at once, and under load the batch is whatever arrived during the
// previous commit's sync; only UpdateLater functions wait (LaterDelay) for
// company.
func (s *Store) commitLoop() {
	defer close(s.done)
	batch := make([]*request, 0, maxBatch)
	var excl *request // an exclusive request met while gathering a batch
	for {
		if excl != nil {
			excl.finish(excl.excl())
			excl = nil
		}
		select {
		case r := <-s.reqs:
			if r.excl != nil {
				r.finish(r.excl())
				continue
			}
			batch = append(batch[:0], r)
		case <-s.laterDue:
			batch = batch[:0]
		case <-s.closed:
			if b := s.takeLater(true); len(b) > 0 {
				s.commitBatch(b)
			}
			return
		}
	more:
		for len(batch) < maxBatch {
			select {
			case r := <-s.reqs:
				if r.excl != nil {
					excl = r
					break more
				}
				batch = append(batch, r)
			default:
				break more
			}
		}
		batch = append(batch, s.takeLater(false)...)
		if len(batch) > 0 {
			s.commitBatch(batch)
		}
	}
}

// commitBatch commits batch in one transaction. If any function fails, or
// the commit does, every request of the batch is run again on its own, so
// that one message's error (a transaction too big, a bad record) is
// reported to that message only and never costs another its commit.
func (s *Store) commitBatch(batch []*request) {
	if err := s.space.commit(); err != nil {
		for _, r := range batch {
			r.finish(err)
		}
		return
	}
	if len(batch) > 1 {
		for attempt := 0; attempt < 3; attempt++ {
			err := s.db.Update(func(t *badger.Txn) error {
				for _, r := range batch {
					if err := s.call(r.fn, &Txn{t: t, db: s.db, spool: s.spool}); err != nil {
						return err
					}
				}
				return s.syncSpool()
			})
			if err == nil {
				s.commits.Add(1)
				s.updates.Add(int64(len(batch)))
				for _, r := range batch {
					r.finish(nil)
				}
				return
			}
			if !errors.Is(err, badger.ErrConflict) {
				break
			}
		}
	}
	for _, r := range batch {
		r.finish(s.updateOne(r.ctx, r.fn))
	}
}

// syncSpool makes the names of mail spooled for this transaction durable
// before it commits (see spool).
func (s *Store) syncSpool() error {
	if s.spool == nil {
		return nil
	}
	return s.spool.sync()
}

// call runs fn on t. A panic in fn becomes its error: it runs in the
// committer goroutine, where it would otherwise stop the process and every
// other writer's commit, not just its own session.
func (s *Store) call(fn func(*Txn) error, t *Txn) (err error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("store update panicked", "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("store update panicked: %v", p)
		}
	}()
	return fn(t)
}

// updateOne runs fn in its own transaction, retrying a bounded number of
// times when a transaction outside the committer (a sequence lease)
// conflicts with it.
func (s *Store) updateOne(ctx context.Context, fn func(*Txn) error) error {
	const attempts = 50
	var err error
	for attempt := 0; attempt < attempts; attempt++ {
		if err := s.space.commit(); err != nil {
			return err
		}
		err = isNoSpace(s.db.Update(func(t *badger.Txn) error {
			if err := s.call(fn, &Txn{t: t, db: s.db, spool: s.spool}); err != nil {
				return err
			}
			return s.syncSpool()
		}))
		if err == nil {
			s.commits.Add(1)
			s.updates.Add(1)
		}
		if !errors.Is(err, badger.ErrConflict) {
			return err
		}
		s.retries.Add(1)
		if ctx.Err() != nil {
			return fmt.Errorf("store update: %w (last attempt: %w)", ctx.Err(), err)
		}
		time.Sleep(time.Duration(mrand.IntN(500*(attempt+1))) * time.Microsecond)
	}
	return fmt.Errorf("store update: %w after %d attempts", err, attempts)
}

// Stats counts the Updates committed since Open and the synced
// transactions that committed them: their ratio is how many writers shared
// each fsync. Retries counts transactions run again because another
// transaction conflicted with them (on PostgreSQL: serialization
// failures, which one node's committer cannot cause itself, so another
// node's transactions). Later is the number of UpdateLater functions
// waiting now. SpoolSyncs counts the fsyncs of spool segments (each commit
// that carried spooled mail makes one per segment it wrote to; mail kept
// inline makes none).
type Stats struct {
	Updates, Commits, Retries int64
	Later                     int
	SpoolSyncs                int64
	// RoundTrips counts the transactions' round trips to PostgreSQL (0
	// on Badger).
	RoundTrips int64
}

// Stats returns the counts so far.
func (s *Store) Stats() Stats {
	s.laterMu.Lock()
	later := len(s.later)
	s.laterMu.Unlock()
	st := Stats{Updates: s.updates.Load(), Commits: s.commits.Load(), Retries: s.retries.Load(), Later: later}
	if s.spool != nil {
		st.SpoolSyncs = s.spool.syncs.Load()
	}
	if s.pg != nil {
		st.RoundTrips = s.pg.trips.Load()
	}
	return st
}

// View runs fn in a read-only transaction.
func (s *Store) View(fn func(*Txn) error) error {
	if s.pg != nil {
		return s.pgView(fn)
	}
	return s.db.View(func(t *badger.Txn) error { return fn(&Txn{t: t, db: s.db, spool: s.spool}) })
}

// Size returns the on-disk size of the LSM tree and the value log.
// Zero on PostgreSQL, whose size is the database's to report.
func (s *Store) Size() (lsm, vlog int64) {
	if s.pg != nil {
		return 0, 0
	}
	return s.db.Size()
}

// RunGC reclaims value-log space every interval until ctx ends. onRun is
// called after each pass with the number of files rewritten.
// On PostgreSQL, whose VACUUM is the database's, it returns at once.
func (s *Store) RunGC(ctx context.Context, interval time.Duration, onRun func(rewritten int)) {
	if s.pg != nil {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n := 0
		// GC rewrites values through Badger's write path: not on a
		// (nearly) full disk.
		for n < 100 && s.space.commit() == nil && s.gcOnce(ctx, 0.5) == nil {
			n++
		}
		if onRun != nil {
			onRun(n)
		}
		if n > 0 {
			s.log.Info("value log gc", "rewritten", n)
		}
	}
}

// Txn is one transaction.
type Txn struct {
	t     *badger.Txn
	db    *badger.DB // for IterateCommitted
	spool *spool
	pg    *pgTxn // set: t is nil
}

// Get returns a copy of the value at key, or ErrNotFound.
func (t *Txn) Get(key []byte) ([]byte, error) {
	if t.pg != nil {
		return t.pg.get(key, true)
	}
	it, err := t.t.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return valueOf(it)
}

// environmental says err is about where the store is, not its files: a
// read-only filesystem, permissions, no file descriptor left. Badger
// formats some errors with %v (its LOCK file's "Cannot write pid file …
// err: …"), so the errno is also looked for in the text. Such a store is
// not ErrUnopenable: `store check --repair` would move it aside.
func environmental(err error) bool {
	for _, e := range []syscall.Errno{syscall.EROFS, syscall.EACCES, syscall.EPERM, syscall.EMFILE, syscall.ENFILE, syscall.EDQUOT} {
		if errors.Is(err, e) || strings.Contains(err.Error(), e.Error()) {
			return true
		}
	}
	return errors.Is(err, fs.ErrPermission)
}

// ErrUnopenable is returned by Open for a store whose files Badger cannot
// open: a table file missing or cut short, a damaged MANIFEST.
var ErrUnopenable = errors.New("the store's files are damaged or incomplete, Badger cannot open them")

// openBadger is badger.Open, with a panic turned into an error: Badger
// (v4.9.6) panics on a table file cut short ("slice bounds out of range"
// in initIndex), and a damaged store must get the same clear refusal as
// any other, not a goroutine dump.
func openBadger(opts badger.Options) (db *badger.DB, err error) {
	defer func() {
		if p := recover(); p != nil {
			db, err = nil, fmt.Errorf("badger: %v", firstLine(fmt.Sprint(p)))
		}
	}()
	return badger.Open(opts)
}

// firstLine is s up to its first line break.
func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// ErrDamaged is returned for a value the store holds but cannot read.
var ErrDamaged = errors.New("cannot be read: the store's value log is damaged or incomplete (run `frontdesk store check`)")

// valueOf copies an item's value. Badger logs a value-log read that fails
// (a checksum mismatch, a truncated or missing file) and returns an empty
// value without an error; a record then decoded as "unexpected end of
// JSON input", or as an empty record. A value Badger knows to be longer
// than what came back is damaged, and says so.
func valueOf(it *badger.Item) ([]byte, error) {
	v, err := it.ValueCopy(nil)
	if err != nil {
		return nil, fmt.Errorf("value of %q: %w", it.Key(), err)
	}
	if len(v) == 0 && it.ValueSize() > 0 {
		return nil, fmt.Errorf("value of %q %w", it.Key(), ErrDamaged)
	}
	return v, nil
}

// Prefetch reads keys ahead, in one round trip to the database, so that
// Get and Has of them then cost none, and for raw/<id> keys also the mail
// GetRaw would read. Without it each Get on PostgreSQL is a round trip of
// its own. Badger reads keys where they lie: there it does nothing.
func (t *Txn) Prefetch(keys ...[]byte) error {
	if t.pg == nil || len(keys) == 0 {
		return nil
	}
	return t.pg.prefetch(keys)
}

// Last says, in a View, that the function's next read is its last that
// needs the database: on PostgreSQL the View's COMMIT goes with it in one
// round trip, instead of in a round trip of its own when the function
// returns (a View reading one mail, or keys read ahead with Prefetch,
// costs one round trip, not two). A read after it that the transaction
// cannot answer from what it has read fails. Nothing on Badger, and
// nothing in an Update, whose commit is the committer's.
func (t *Txn) Last() {
	if t.pg != nil && !t.pg.write {
		t.pg.last = true
	}
}

// Has reports whether key exists, without copying its value.
func (t *Txn) Has(key []byte) (bool, error) {
	if t.pg != nil {
		_, err := t.pg.get(key, false)
		if errors.Is(err, ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}
	_, err := t.t.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	return err == nil, err
}

// Set writes key.
func (t *Txn) Set(key, val []byte) error {
	if t.pg != nil {
		return t.pg.set(key, val, 0)
	}
	return t.t.Set(key, val)
}

// SetTTL writes a key that expires; only for caches such as rate limits,
// never for anything that must be acted on.
func (t *Txn) SetTTL(key, val []byte, ttl time.Duration) error {
	if t.pg != nil {
		return t.pg.set(key, val, max(ttl, time.Microsecond))
	}
	return t.t.SetEntry(badger.NewEntry(key, val).WithTTL(ttl))
}

// Delete removes key.
func (t *Txn) Delete(key []byte) error {
	if t.pg != nil {
		return t.pg.delete(key)
	}
	return t.t.Delete(key)
}

// Iterate calls fn for each key with prefix, in key order, starting at
// start (or the prefix when start is nil). fn returning ErrStop ends the walk
// without error. Keys and values passed to fn are copies.
func (t *Txn) Iterate(prefix, start []byte, values bool, fn func(key, val []byte) error) error {
	if start == nil {
		start = prefix
	}
	if t.pg != nil {
		return t.pg.iterate(prefix, start, false, values, fn)
	}
	return t.iterate(badger.IteratorOptions{Prefix: prefix, PrefetchValues: values, PrefetchSize: 16}, start, values, fn)
}

// IterateCommitted calls fn with every key under prefix as committed,
// without this transaction's own writes. Badger sorts every pending write
// of a transaction for each iterator opened in it, and the committer runs
// a whole batch of messages in one transaction: an Iterate there costs
// more the more messages share the commit (issue 21). A caller that knows
// this transaction wrote nothing under prefix gets the same keys for less.
func (t *Txn) IterateCommitted(prefix []byte, fn func(key []byte) error) error {
	if t.pg != nil || t.db == nil {
		return t.Iterate(prefix, nil, false, func(k, _ []byte) error { return fn(k) })
	}
	rt := t.db.NewTransaction(false)
	defer rt.Discard()
	it := rt.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		if err := fn(it.Item().KeyCopy(nil)); err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// IterateReverse is Iterate from the last key with prefix backwards: the
// newest entries of a time-ordered index without reading the older ones.
func (t *Txn) IterateReverse(prefix []byte, values bool, fn func(key, val []byte) error) error {
	if t.pg != nil {
		return t.pg.iterate(prefix, nil, true, values, fn)
	}
	// Reverse Seek finds the last key <= its argument: prefix followed by
	// more 0xFF bytes than any key under it has.
	last := append(bytes.Clone(prefix), bytes.Repeat([]byte{0xFF}, 64)...)
	return t.iterate(badger.IteratorOptions{Prefix: prefix, PrefetchValues: values, PrefetchSize: 4, Reverse: true}, last, values, fn)
}

func (t *Txn) iterate(opts badger.IteratorOptions, start []byte, values bool, fn func(key, val []byte) error) error {
	it := t.t.NewIterator(opts)
	defer it.Close()
	for it.Seek(start); it.ValidForPrefix(opts.Prefix); it.Next() {
		item := it.Item()
		var v []byte
		if values {
			var err error
			if v, err = valueOf(item); err != nil {
				return err
			}
		}
		if err := fn(item.KeyCopy(nil), v); err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// ErrStop ends an Iterate walk early.
var ErrStop = errors.New("stop iteration")

// NewID returns a unique, time-ordered id: 8 bytes of Unix nanoseconds and
// 4 random bytes, hex encoded (24 characters). Time order makes listings and
// queue scans come out oldest first.
func NewID(now time.Time) string {
	var b [12]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixNano()))
	if _, err := rand.Read(b[8:]); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return hex.EncodeToString(b[:])
}

// TimeKey encodes t so that byte order is time order.
func TimeKey(t time.Time) []byte {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(t.UnixNano()))
	return b[:]
}

// KeyTime decodes TimeKey.
func KeyTime(b []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(b)))
}

type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(f string, a ...any)   { b.l.Error("badger: " + fmt.Sprintf(f, a...)) }
func (b badgerLogger) Warningf(f string, a ...any) { b.l.Warn("badger: " + fmt.Sprintf(f, a...)) }
func (b badgerLogger) Infof(f string, a ...any)    { b.l.Debug("badger: " + fmt.Sprintf(f, a...)) }
func (b badgerLogger) Debugf(f string, a ...any)   { b.l.Debug("badger: " + fmt.Sprintf(f, a...)) }

// existingParent is dir, or its nearest ancestor that exists (a store
// about to be created).
func existingParent(dir string) string {
	for {
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return dir
		}
		dir = parent
	}
}
