package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The PostgreSQL backend (Options.DSN) keeps the same key-value contract as
// Badger (store/storetest) in plain tables, so that several gateways can
// share one database. Only portable SQL is used — tables, primary keys,
// INSERT … ON CONFLICT, SELECT … FOR UPDATE, SERIALIZABLE transactions — which
// CockroachDB and YugabyteDB run too: no LISTEN/NOTIFY, no advisory locks,
// no PostgreSQL sequences (their numbers are not transactional and their
// caching differs between engines).
//
//   kv(key, value, expires_at)  every key of the schema in message.go; bytea
//                               compares bytewise, which is Badger's order
//   sequences(name, next)       Sequence: next is the first number not leased
//   mail(id, data)              received mail and the gateway's own, which
//                               kv's raw/<id> points at (pgMailRef), so that
//                               walks over raw/ keys stay small
//   schema_version(version)     Migrate's; Open refuses any other version

// SchemaVersion is the database schema this build reads and writes.
const SchemaVersion = 1

// migrations[i] takes the schema from version i to i+1.
var migrations = []string{
	`CREATE TABLE kv (
		key bytea PRIMARY KEY,
		value bytea NOT NULL,
		expires_at timestamptz NULL
	);
	CREATE TABLE sequences (
		name text PRIMARY KEY,
		next bigint NOT NULL
	);
	CREATE TABLE mail (
		id text PRIMARY KEY,
		data bytea NOT NULL
	)`,
}

// Migrate creates or upgrades the schema in the database at dsn to
// SchemaVersion, in one transaction per step, and refuses a database whose
// schema is newer than this build knows. Several Migrates at once (every
// node's deployment running `frontdesk store migrate`) all succeed: one
// takes each step, the others find it taken.
func Migrate(ctx context.Context, dsn string) error {
	conn, err := pgConnect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// CREATE TABLE IF NOT EXISTS is not safe against itself: of two at
	// once, the second fails on the catalog's keys once the first has
	// committed. Run again, it finds the table.
	for try := 0; ; try++ {
		_, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY)`)
		if err == nil {
			break
		}
		if try == 2 || !migrateRaced(err) {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	for {
		v, err := schemaVersion(ctx, conn)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if v > SchemaVersion {
			return fmt.Errorf("migrate: the database has schema version %d, newer than this build's %d", v, SchemaVersion)
		}
		if v == SchemaVersion {
			return nil
		}
		err = pgx.BeginTxFunc(ctx, conn, pgx.TxOptions{IsoLevel: pgx.Serializable}, func(tx pgx.Tx) error {
			// The version row first: a second Migrate running at the same
			// moment fails on its primary key instead of creating the
			// tables twice, and then finds the step taken.
			if _, err := tx.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, v+1); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, migrations[v])
			return err
		})
		if err != nil {
			// Another Migrate took this step at the same moment: its
			// version row, committed, is what this one's INSERT met.
			if migrateRaced(err) {
				if now, verr := schemaVersion(ctx, conn); verr == nil && now > v {
					continue
				}
			}
			return fmt.Errorf("migrate to schema version %d: %w", v+1, err)
		}
	}
}

// migrateRaced says whether err is what a schema change meets when another
// Migrate made the same change at the same moment: a unique key taken
// (schema_version's, or the catalog's for a table), a table or type that
// exists already, a serialization failure or deadlock.
func migrateRaced(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	switch pe.Code {
	case "23505", "42P07", "42710", "40001", "40P01":
		return true
	}
	return false
}

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func schemaVersion(ctx context.Context, q querier) (int, error) {
	var v *int
	if err := q.QueryRow(ctx, `SELECT max(version) FROM schema_version`).Scan(&v); err != nil {
		return 0, err
	}
	if v == nil {
		return 0, nil
	}
	return *v, nil
}

// errNotOnPostgres is the answer of an operation on Badger's files (a
// check of its checksums, a purge of its old versions) on PostgreSQL, where
// the database does those.
func errNotOnPostgres(op string) error {
	return fmt.Errorf("%s: not available on the PostgreSQL store (the database's own tools do this)", op)
}

// pgBackend is a Store's database when Options.DSN is set.
type pgBackend struct {
	pool *pgxpool.Pool
	seq  *pgxpool.Pool // sequences only: leased inside Updates (seqPoolConns)

	mu      sync.Mutex
	closing bool
	busy    sync.WaitGroup // Updates, Views and UpdateLaters under way

	// reqs feeds the committer (pgCommitLoop) until stop, which close
	// closes once nothing is busy; done closes when the committer has
	// returned.
	reqs       chan *request
	stop, done chan struct{}
	stopOnce   sync.Once

	// statements and trips count what the transactions sent: statements,
	// and the round trips they went in (tests read them).
	statements, trips atomic.Int64
}

func openPostgres(o Options) (*pgBackend, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, err := pgPoolConfig(o.DSN)
	if err != nil {
		return nil, fmt.Errorf("open store: connection string: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	seq, err := pgxpool.NewWithConfig(ctx, seqPoolConfig(cfg))
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("open store: %w", err)
	}
	v, err := schemaVersion(ctx, pool)
	if err != nil {
		pool.Close()
		seq.Close()
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "42P01" { // undefined_table
			return nil, fmt.Errorf("open store: the database has no Frontdesk schema (run `frontdesk store migrate`)")
		}
		return nil, fmt.Errorf("open store: %w", err)
	}
	if v != SchemaVersion {
		pool.Close()
		seq.Close()
		return nil, fmt.Errorf("open store: the database has schema version %d and this build knows %d (run `frontdesk store migrate` with the newer of the two builds)", v, SchemaVersion)
	}
	var unfinished bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM kv WHERE key = $1)`, []byte(copyUnfinished)).Scan(&unfinished); err != nil || unfinished {
		pool.Close()
		seq.Close()
		if err == nil {
			err = errCopyUnfinished
		}
		return nil, fmt.Errorf("open store: %w", err)
	}
	return &pgBackend{pool: pool, seq: seq, reqs: make(chan *request), stop: make(chan struct{}), done: make(chan struct{})}, nil
}

// enter counts one operation under way, or refuses it after Close.
func (b *pgBackend) enter() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closing {
		return false
	}
	b.busy.Add(1)
	return true
}

func (b *pgBackend) close() error {
	b.mu.Lock()
	b.closing = true
	b.mu.Unlock()
	b.busy.Wait()
	b.stopOnce.Do(func() { close(b.stop) })
	<-b.done
	b.pool.Close()
	b.seq.Close()
	return nil
}

// retryable reports a transaction the database aborted to keep its
// isolation (serialization_failure, deadlock_detected): running it again is
// the contract's "fn may run more than once".
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}

// pgUpdate hands fn to the store's committer (pgCommitLoop), which runs
// it with the other Updates waiting at that moment in one SERIALIZABLE
// transaction. Once handed over, the transaction is not cancelled with
// ctx: a commit that succeeds after "failed" was answered would make a
// client send its message twice.
func (s *Store) pgUpdate(ctx context.Context, keys, walks [][]byte, fn func(*Txn) error) error {
	if !s.pg.enter() {
		return ErrClosed
	}
	defer s.pg.busy.Done()
	r := &request{ctx: ctx, fn: fn, errc: make(chan error, 1), reads: keys, walks: walks}
	s.waiting.Add(1)
	defer s.waiting.Add(-1)
	select {
	case s.pg.reqs <- r:
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-r.errc
}

// pgMaxBatch bounds how many Updates share one transaction. Each function
// of a batch runs in a savepoint, a subtransaction with an id of its own
// once it writes, and PostgreSQL keeps up to 64 of those per transaction
// in shared memory; past that every snapshot of every session gets slower.
const pgMaxBatch = 32

// pgBatchAttempts is how often a batch runs again after a serialization
// failure, which within one node cannot happen (one committer) and across
// nodes means another node's transaction touched what this batch read;
// after that its Updates run one at a time (pgRun), so that a large batch
// does not keep losing to small ones.
const pgBatchAttempts = 3

// pgCommitLoop is the PostgreSQL committer, the group commit Badger's
// commitLoop does: it takes one waiting Update and every other one waiting
// at that moment and commits them in one transaction, one WAL flush for
// all of them. Updates of one node thus never conflict with each other
// (PostgreSQL's serialization failures are between transactions, and
// one node runs one at a time); the database's concurrency is left to
// what it is for, several nodes.
func (s *Store) pgCommitLoop() {
	b := s.pg
	defer close(b.done)
	batch := make([]*request, 0, pgMaxBatch)
	for {
		select {
		case r := <-b.reqs:
			batch = append(batch[:0], r)
		case <-b.stop:
			return
		}
	more:
		for len(batch) < pgMaxBatch {
			select {
			case r := <-b.reqs:
				batch = append(batch, r)
			default:
				break more
			}
		}
		s.pgCommitBatch(batch)
	}
}

// pgCommitBatch commits batch in one transaction. A function's error is
// its Update's only: a function's writes are sent once it has returned
// (pgTxn.own), and one that fails is forgotten while the others commit.
// A serialization failure (another node) runs the whole batch again,
// pgBatchAttempts times, then each Update on its own. A statement the
// database refused (with the batch's other statements in one round trip,
// so whose is not known) runs each Update on its own too: the database
// has aborted the transaction, so nothing of it was committed. Any other
// failure of the transaction (the connection) is every Update's answer,
// since a commit whose outcome is unknown must not run again.
func (s *Store) pgCommitBatch(batch []*request) {
	run := context.Background()
	for attempt := range pgBatchAttempts {
		errs, err := s.pgRunBatch(run, batch)
		if err == nil {
			s.commits.Add(1)
			for i, r := range batch {
				if errs[i] == nil {
					s.updates.Add(1)
				}
				r.finish(errs[i])
			}
			return
		}
		var pe *pgconn.PgError
		if !retryable(err) && len(batch) > 1 && (errors.As(err, &pe) || errors.Is(err, errRolledBack)) {
			break // each on its own
		}
		if !retryable(err) {
			for _, r := range batch {
				r.finish(err)
			}
			return
		}
		s.retries.Add(1)
		if len(batch) == 1 {
			r := batch[0]
			r.finish(s.pgRun(r.ctx, r.fn, attempt+1))
			return
		}
		time.Sleep(time.Duration(mrand.IntN(1000*(attempt+1))) * time.Microsecond)
	}
	for _, r := range batch {
		r.finish(s.pgRun(r.ctx, r.fn, 0))
	}
}

// pgRunBatch runs batch's functions in one transaction and commits it.
// errs holds each function's own error (its writes forgotten, or rolled
// back to its savepoint); err is the transaction's, and then nothing was
// committed, or, from the commit itself, maybe everything.
func (s *Store) pgRunBatch(ctx context.Context, batch []*request) (errs []error, err error) {
	errs = make([]error, len(batch))
	err = s.pgTx(ctx, func(pt *pgTxn) error {
		t := &Txn{pg: pt}
		// The keys the functions said they read, all in the first round
		// trip (UpdateReading); the cache answers them, and a function's
		// writes replace what it holds of the keys it wrote.
		var reads, walks [][]byte
		for _, r := range batch {
			reads = append(reads, r.reads...)
			walks = append(walks, r.walks...)
		}
		if len(reads)+len(walks) > 0 {
			// In key order, as the writes: two nodes lock them in the
			// same order.
			slices.SortFunc(reads, bytes.Compare)
			slices.SortFunc(walks, bytes.Compare)
			if err := pt.readAhead(slices.CompactFunc(reads, bytes.Equal), slices.CompactFunc(walks, bytes.Equal)); err != nil {
				return err
			}
		}
		if len(batch) == 1 {
			// Alone: no savepoint, its error rolls back the transaction.
			errs[0] = s.pgCall(batch[0].fn, t, false)
			return errs[0]
		}
		for i, r := range batch {
			ferr := s.pgCall(r.fn, t, true)
			if pt.aborted != nil {
				// A statement failed, maybe an earlier function's write
				// sent with this one's read: the transaction is aborted.
				return pt.aborted
			}
			if ferr == nil {
				continue
			}
			if retryable(ferr) {
				return ferr // the batch runs again
			}
			pt.forget() // it may hold the failed function's writes
			errs[i] = ferr
			if !pt.savepoint {
				continue // nothing of it was sent but its reads
			}
			pt.queue(`ROLLBACK TO SAVEPOINT fn`)
			if err := pt.flush(); err != nil {
				return err
			}
		}
		return nil
	})
	if len(batch) == 1 && err != nil && errors.Is(err, errs[0]) && !retryable(err) {
		// The function's own error: its Update's answer, nothing to retry.
		return errs, nil
	}
	return errs, err
}

// pgTx runs body in one SERIALIZABLE transaction on a connection of the
// pool and commits it. Its BEGIN goes with the transaction's first
// statement and its COMMIT with the last writes (pgTxn.flush): a lone
// Update costs no round trip for either.
func (s *Store) pgTx(ctx context.Context, body func(*pgTxn) error) error {
	return s.pgTxAs(ctx, `BEGIN ISOLATION LEVEL SERIALIZABLE`, true, body)
}

// pgTxAs is pgTx with the transaction's BEGIN statement; write says
// whether rows read are locked for a change.
func (s *Store) pgTxAs(ctx context.Context, begin string, write bool, body func(*pgTxn) error) error {
	c, err := s.pg.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The pool closes a connection released inside a transaction (one
	// whose ROLLBACK below failed too).
	defer c.Release()
	t := &pgTxn{ctx: ctx, tx: c, write: write, begin: begin, b: s.pg}
	err = body(t)
	if err == nil && t.ended {
		// A View whose last read went with its COMMIT (Txn.Last): a
		// read the database failed, which fn went on past, is its error;
		// so is a write after it, which a read-only COMMIT would refuse.
		err = t.aborted
		if err == nil && t.own.Len()+t.writes.Len() > 0 {
			err = errors.New("store view: a write in a read-only transaction")
		}
	} else if err == nil {
		t.release() // a View's writes, which the COMMIT refuses
		if !t.begun && t.writes.Len() == 0 {
			return nil // read nothing, wrote nothing
		}
		t.writes.Queue(`COMMIT`).Exec(func(ct pgconn.CommandTag) error {
			if ct.String() != "COMMIT" {
				return errRolledBack
			}
			return nil
		})
		err = t.flush()
	}
	if err != nil && c.Conn().PgConn().TxStatus() != 'I' {
		// Failed inside the transaction, or before its COMMIT ran (the
		// statements after a failed one are skipped).
		c.Exec(context.WithoutCancel(ctx), `ROLLBACK`)
	}
	return err
}

// errViewEnded is a read in a View after the one Txn.Last announced as
// its last, whose COMMIT has ended the transaction.
var errViewEnded = errors.New("store view: a read after the one Txn.Last said was the last (the transaction has ended)")

// errRolledBack is a COMMIT the database answered with ROLLBACK: a
// statement of the transaction had failed, and a function went on past
// its error, so nothing was committed.
var errRolledBack = errors.New("store commit: the database rolled the transaction back (one of its statements had failed)")

// pgCall runs fn on t and queues its writes for the next round trip (the
// next function's first read, or the COMMIT), or forgets them if it
// failed. batched says fn shares the transaction with other functions.
func (s *Store) pgCall(fn func(*Txn) error, t *Txn, batched bool) error {
	p := t.pg
	p.walked = p.walked[:0] // kept within one function (pgTxn.walked)
	p.batched, p.savepoint = batched, false
	if err := s.call(fn, t); err != nil {
		p.discard()
		return err
	}
	p.release()
	if p.savepoint {
		// After its writes, before the next function's: if one of them
		// fails, the statements after it are skipped and the savepoint
		// is still there to roll back to.
		p.queue(`RELEASE SAVEPOINT fn`)
	}
	return nil
}

// pgRun runs fn alone in one SERIALIZABLE transaction, again after a
// serialization failure (attempts done so far: done).
func (s *Store) pgRun(ctx context.Context, fn func(*Txn) error, done int) error {
	run := context.WithoutCancel(ctx)
	const attempts = 100
	var err error
	for attempt := done; attempt < attempts; attempt++ {
		err = s.pgTx(run, func(pt *pgTxn) error {
			return s.pgCall(fn, &Txn{pg: pt}, false)
		})
		if err == nil {
			s.commits.Add(1)
			s.updates.Add(1)
			return nil
		}
		if !retryable(err) {
			return err
		}
		s.retries.Add(1)
		if ctx.Err() != nil {
			return fmt.Errorf("store update: %w (last attempt: %w)", ctx.Err(), err)
		}
		time.Sleep(time.Duration(mrand.IntN(1000*(attempt+1))) * time.Microsecond)
	}
	return fmt.Errorf("store update: %w after %d attempts", err, attempts)
}

// pgView runs fn in a read-only transaction on one snapshot, as a Badger
// View sees one.
func (s *Store) pgView(fn func(*Txn) error) error {
	b := s.pg
	if !b.enter() {
		return ErrClosed
	}
	defer b.busy.Done()
	// A write in a View fails at the latest with the COMMIT it is sent
	// with: the transaction is read-only.
	return s.pgTxAs(context.Background(), `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`, false, func(t *pgTxn) error {
		return fn(&Txn{pg: t})
	})
}

// pgUpdateLater is an Update on another goroutine: its function joins
// whatever batch the committer takes next.
func (s *Store) pgUpdateLater(keys [][]byte, fn func(*Txn) error, done func(error)) {
	if !s.pg.enter() {
		done(ErrClosed)
		return
	}
	go func() {
		defer s.pg.busy.Done()
		r := &request{ctx: context.Background(), fn: fn, errc: make(chan error, 1), reads: keys}
		s.pg.reqs <- r
		done(<-r.errc)
	}()
}

// pgTxn is a Txn on the database.
type pgTxn struct {
	ctx   context.Context
	tx    pgConn
	b     *pgBackend
	write bool
	// begin, until begun, is the statement that starts the transaction,
	// sent before the first of the others.
	begin string
	begun bool
	// last is set in a View by Txn.Last: the next round trip is its
	// last, and its COMMIT goes with it (ended), instead of in a round
	// trip of its own after the function returns.
	last, ended bool
	// writes holds the statements of Set, Delete and the like, which
	// answer nothing the function needs at once: they go to the database
	// together, in one round trip, before the next read (flush) and
	// before the function's transaction or savepoint ends. An intake
	// Update makes about ten writes and five reads, and round trips are
	// most of its time.
	writes pgx.Batch
	// own holds the writes of the function running (Set, Delete, PutRaw)
	// until it returns (pgCall), when they join writes; one that fails is
	// forgotten with them. Its reads do not wait for them: a read of a
	// key it wrote is answered from cache, and only a walk of a range it
	// wrote in, or a read of mail it wrote, needs them sent before it
	// ends (sendOwn). Alone in its transaction (not batched) a function's
	// writes go with its next read, since a failure undoes everything.
	own     pgx.Batch
	ownMail bool // own writes the mail table
	batched bool
	// savepoint is set once the function running in a batch sent its
	// own writes before returning, after a SAVEPOINT to roll back to if
	// it fails.
	savepoint bool
	// aborted is the first failure of a round trip: the database has
	// aborted the transaction, and in a batch which function's statement
	// failed is not known (pgRunBatch).
	aborted error
	// pending maps a key to the index in own of the statement that
	// writes it: a later write of the same key replaces that statement
	// (nil in own until it is sent), so that a key written twice costs
	// the database one statement (intake writes a message's record twice,
	// before and after its ticket).
	pending map[string]int
	// cache holds the keys this transaction has read or written, so that
	// reading one again costs no round trip (intake reads a customer's
	// ticket count twice, for instance). Forgotten whole when a function
	// fails, whose writes are rolled back.
	cache map[string]cached
	// walked holds the key ranges the current function walked to their
	// end with nothing of them written since: walking one again, or
	// reading a key in it that the walk did not meet, then costs no round
	// trip (intake walks a new customer's empty ticket index, reads a key
	// of it and walks it again). Forgotten when the next function starts,
	// so that writes check only a few ranges.
	walked []walkedRange
	// ahead holds the ranges the committer walked for a whole batch
	// (UpdateWalking), found whole: as walked, but kept from one
	// function to the next until a write falls in one.
	ahead []walkedRange
	// mails holds mail read ahead with the raw/<id> key pointing at it
	// (prefetch), by id: nil data when there is no row. A write of the
	// mail (putMail, the delete of raw/<id>) forgets it.
	mails map[string][]byte
}

// walkedRange is a range [lo, hi) of keys (hi nil: no upper bound) that a
// transaction read whole, and what it found there: keys ascending, with
// their values when values.
type walkedRange struct {
	lo, hi     []byte
	values     bool
	keys, vals [][]byte
}

func (w *walkedRange) contains(key []byte) bool {
	return bytes.Compare(key, w.lo) >= 0 && (w.hi == nil || bytes.Compare(key, w.hi) < 0)
}

// covers says whether w answers a walk of [lo, hi) (hi nil: no bound).
func (w *walkedRange) covers(lo, hi []byte, values bool) bool {
	if values && !w.values && len(w.keys) > 0 {
		return false
	}
	if bytes.Compare(lo, w.lo) < 0 {
		return false
	}
	if w.hi == nil {
		return true
	}
	return hi != nil && bytes.Compare(hi, w.hi) <= 0
}

// absent says whether a walk of this function read the range key is in
// and did not find key there.
func (t *pgTxn) absent(key []byte) bool {
	for _, ranges := range [2][]walkedRange{t.walked, t.ahead} {
		for i := range ranges {
			w := &ranges[i]
			if !w.contains(key) {
				continue
			}
			_, found := slices.BinarySearchFunc(w.keys, key, bytes.Compare)
			return !found
		}
	}
	return false
}

// wrote forgets the walked ranges that hold key, which is written.
func (t *pgTxn) wrote(key []byte) {
	t.walked = slices.DeleteFunc(t.walked, func(w walkedRange) bool { return w.contains(key) })
	t.ahead = slices.DeleteFunc(t.ahead, func(w walkedRange) bool { return w.contains(key) })
}

// forget drops what the transaction knows of its keys, after a function
// failed whose writes are rolled back.
func (t *pgTxn) forget() {
	t.cache = nil
	t.walked = nil
	t.ahead = nil
	t.mails = nil
}

// cached is what a transaction knows of a key.
type cached struct {
	found bool
	val   []byte // nil when found by Has, which reads no value
}

func (t *pgTxn) remember(key []byte, c cached) {
	if t.cache == nil {
		t.cache = make(map[string]cached)
	}
	t.cache[string(key)] = c
}

// pgConn is what a pgTxn sends its statements on: a pgx.Tx, or a pooled
// connection whose transaction pgTx begins and ends itself.
type pgConn interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// queue adds a statement to the next flush.
func (t *pgTxn) queue(sql string, args ...any) {
	t.writes.Queue(sql, args...)
}

// queueOwn adds a write of the function running to own.
func (t *pgTxn) queueOwn(sql string, args ...any) {
	t.own.Queue(sql, args...)
}

// queueKey adds a write of kv's key to own, in place of any write of the
// same key already there: the last one decides the row.
func (t *pgTxn) queueKey(key []byte, sql string, args ...any) {
	if i, ok := t.pending[string(key)]; ok {
		t.own.QueuedQueries[i] = nil
	} else if t.pending == nil {
		t.pending = make(map[string]int)
	}
	t.pending[string(key)] = len(t.own.QueuedQueries)
	t.own.Queue(sql, args...)
}

// release moves own to the statements sent next.
func (t *pgTxn) release() {
	if t.own.Len() == 0 {
		return
	}
	q := t.own.QueuedQueries
	if len(t.pending) > 0 {
		q = slices.DeleteFunc(q, func(q *pgx.QueuedQuery) bool { return q == nil })
		clear(t.pending)
	}
	// Each write a statement of one key (the last write of a key in the
	// function: pending) or one mail: flush puts the writes of a round
	// trip together (coalesceWrites).
	t.writes.QueuedQueries = append(t.writes.QueuedQueries, q...)
	t.own, t.ownMail = pgx.Batch{}, false
}

// sendOwn makes own go with the next statement sent, in a batch after a
// savepoint (one per function), so that a failure of the function still
// undoes its writes alone.
func (t *pgTxn) sendOwn() {
	if t.own.Len() == 0 {
		return
	}
	if t.batched && !t.savepoint {
		t.queue(`SAVEPOINT fn`)
		t.savepoint = true
	}
	t.release()
}

// ownIn says whether own writes a key in [lo, hi) (hi nil: no bound).
func (t *pgTxn) ownIn(lo, hi []byte) bool {
	for k := range t.pending {
		if k >= string(lo) && (hi == nil || k < string(hi)) {
			return true
		}
	}
	return false
}

// beforeRead readies the statements a read goes with: alone in its
// transaction, a function's writes go with its reads.
func (t *pgTxn) beforeRead() {
	if !t.batched {
		t.release()
	}
}

// flush sends the queued writes; the first that failed is the error (and
// the transaction is then aborted, as if it had failed when made).
func (t *pgTxn) flush() error {
	if t.ended {
		t.writes = pgx.Batch{}
		return errViewEnded
	}
	if t.writes.Len() == 0 && t.begun {
		return nil
	}
	if t.last {
		t.writes.Queue(`COMMIT`).Exec(func(ct pgconn.CommandTag) error {
			if ct.String() != "COMMIT" {
				return errRolledBack
			}
			return nil
		})
		t.last, t.ended = false, true
	}
	b := t.writes
	t.writes = pgx.Batch{}
	if !t.begun {
		var first pgx.Batch
		first.Queue(t.begin)
		first.QueuedQueries = append(first.QueuedQueries, b.QueuedQueries...)
		b = first
		t.begun = true
	}
	b.QueuedQueries = coalesceWrites(b.QueuedQueries)
	t.b.statements.Add(int64(b.Len()))
	t.b.trips.Add(1)
	if err := t.tx.SendBatch(t.ctx, &b).Close(); err != nil {
		err = fmt.Errorf("store writes: %w", err)
		if t.aborted != nil {
			// Skipped, refused or rolled back after an earlier failure
			// (a function went on past it), which is the cause: first,
			// so that its kind (a serialization failure) decides.
			return fmt.Errorf("%w (and then: %w)", t.aborted, err)
		}
		t.aborted = err
		return err
	}
	return nil
}

// queryRow scans the one row of sql into dest, sent with the queued
// writes in one round trip. pgx.ErrNoRows when there is none.
func (t *pgTxn) queryRow(sql string, args []any, dest ...any) error {
	return t.queryRowAnd(nil, sql, args, dest...)
}

// queryRowAnd is queryRow with the reads and queues (when not nil) sent
// in the same round trip, after sql.
func (t *pgTxn) queryRowAnd(and func(*pgx.Batch), sql string, args []any, dest ...any) error {
	t.beforeRead()
	if and == nil && t.writes.Len() == 0 && t.begun && !t.last && !t.ended {
		t.b.statements.Add(1)
		t.b.trips.Add(1)
		return t.read(t.tx.QueryRow(t.ctx, sql, args...).Scan(dest...))
	}
	var scan error
	t.writes.Queue(sql, args...).QueryRow(func(row pgx.Row) error {
		scan = row.Scan(dest...)
		return nil
	})
	if and != nil {
		and(&t.writes)
	}
	if err := t.flush(); err != nil {
		return err
	}
	return t.read(scan)
}

// read passes on the error of a read, noting that the database aborted
// the transaction (any error but no row): the function may go on past
// it, and a batch must not commit as if nothing failed.
func (t *pgTxn) read(err error) error {
	if err != nil && !errors.Is(err, pgx.ErrNoRows) && t.aborted == nil {
		t.aborted = err
	}
	return err
}

// query calls each for every row of sql, sent with the queued writes in
// one round trip.
func (t *pgTxn) query(sql string, args []any, each func(pgx.Rows) error) error {
	t.beforeRead()
	if t.writes.Len() == 0 && t.begun && !t.last && !t.ended {
		t.b.statements.Add(1)
		t.b.trips.Add(1)
		rows, err := t.tx.Query(t.ctx, sql, args...)
		if err != nil {
			return t.read(err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := each(rows); err != nil {
				return t.read(err)
			}
		}
		return t.read(rows.Err())
	}
	var scan error
	t.writes.Queue(sql, args...).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			if scan = each(rows); scan != nil {
				return nil
			}
		}
		return rows.Err()
	})
	if err := t.flush(); err != nil {
		return err
	}
	return t.read(scan)
}

// discard forgets the queued writes of a function that failed.
func (t *pgTxn) discard() {
	t.own, t.ownMail = pgx.Batch{}, false
	clear(t.pending)
	t.forget()
}

// pgMailRef starts the kv value of raw/<id> whose mail is in the mail
// table. Mail itself never starts with a NUL byte.
const pgMailRef = "\x00pgmail1\x00"

func (t *pgTxn) get(key []byte, value bool) ([]byte, error) { return t.getAnd(key, value, nil) }

// getAnd is get, with and's reads in the same round trip if the database
// is asked (queryRowAnd).
func (t *pgTxn) getAnd(key []byte, value bool, and func(*pgx.Batch)) ([]byte, error) {
	if c, ok := t.cache[string(key)]; ok && (!c.found || !value || c.val != nil) {
		switch {
		case !c.found:
			return nil, ErrNotFound
		case !value:
			return nil, nil
		}
		return bytes.Clone(c.val), nil
	}
	if t.absent(key) {
		t.remember(key, cached{})
		return nil, ErrNotFound
	}
	q := t.getSQL(value)
	var v []byte
	var expired bool
	err := t.queryRowAnd(and, q, []any{key}, &v, &expired)
	return t.got(key, value, v, expired, err)
}

// getSQL is get's statement for a key, with its value or without.
func (t *pgTxn) getSQL(value bool) string {
	q := `SELECT value, expires_at IS NOT NULL AND expires_at <= now() FROM kv WHERE key = $1`
	if !value {
		q = `SELECT NULL::bytea, expires_at IS NOT NULL AND expires_at <= now() FROM kv WHERE key = $1`
	}
	if t.write {
		// Lock the row read for a change: concurrent read-modify-writes
		// of one key queue up instead of failing serialization.
		q += ` FOR UPDATE`
	}
	return q
}

// getManySQL is getSQL for several keys in one statement ($1 an array of
// them), which answers the key of each row it returns: a key it returns
// no row for is not found. Rows read for a change are locked in key
// order, as the writes are.
func (t *pgTxn) getManySQL() string {
	q := `SELECT key, value, expires_at IS NOT NULL AND expires_at <= now() FROM kv WHERE key = ANY($1)`
	if t.write {
		q += ` ORDER BY key FOR UPDATE`
	}
	return q
}

// got is what get makes of the database's answer for key.
func (t *pgTxn) got(key []byte, value bool, v []byte, expired bool, err error) ([]byte, error) {
	if errors.Is(err, pgx.ErrNoRows) {
		t.remember(key, cached{})
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get %q: %w", key, err)
	}
	if expired {
		// Deleted lazily, by the first writer that meets it.
		if t.write {
			t.queueKey(key, sqlDeleteKey, bytes.Clone(key))
		}
		t.remember(key, cached{})
		return nil, ErrNotFound
	}
	if value && v == nil {
		v = []byte{}
	}
	t.remember(key, cached{found: true, val: v})
	return bytes.Clone(v), nil
}

func (t *pgTxn) set(key, val []byte, ttl time.Duration) error {
	if val == nil {
		val = []byte{} // pgx sends a nil slice as NULL; an index entry is empty, not missing
	}
	// Copies: the caller may reuse its slices before the flush.
	key, val = bytes.Clone(key), bytes.Clone(val)
	t.remember(key, cached{found: true, val: val})
	t.wrote(key)
	if ttl > 0 {
		t.queueKey(key, sqlSetTTL, key, val, ttl)
	} else {
		t.queueKey(key, sqlSet, key, val)
	}
	return nil
}

func (t *pgTxn) delete(key []byte) error {
	key = bytes.Clone(key)
	t.remember(key, cached{})
	t.wrote(key)
	t.queueKey(key, sqlDeleteKey, key)
	// A raw/ key owns its mail: retention deletes mail through it.
	if id, ok := bytes.CutPrefix(key, []byte(PrefixRaw)); ok {
		delete(t.mails, string(id))
		t.queueOwn(sqlDeleteMail, string(id))
		t.ownMail = true
	}
	return nil
}

// putMail writes the mail of id: a copy of data, which the caller may
// reuse before the flush.
func (t *pgTxn) putMail(id string, data []byte) error {
	return t.putMailKept(id, bytes.Clone(data))
}

// putMailKept is putMail of data that nothing changes any more (Spool's
// copy of a received mail, Spooled.Inline): sent as it is, without
// another copy of the mail.
func (t *pgTxn) putMailKept(id string, data []byte) error {
	delete(t.mails, id)
	t.queueOwn(sqlPutMail, id, data)
	t.ownMail = true
	return t.set([]byte(PrefixRaw+id), []byte(pgMailRef), 0)
}

// getRaw reads raw/<id> as get does, and when it asks the database, the
// mail table's row of id in the same round trip, where PutRaw and
// PutMessage keep the mail raw/<id> points at (pgMailRef): a delivery's
// read of its mail is one round trip, not two. read says whether mail
// was read (then nil when there is no row).
func (t *pgTxn) getRaw(id string) (v, mail []byte, read bool, err error) {
	key := []byte(PrefixRaw + id)
	if _, ok := t.cache[string(key)]; ok || t.ownMail || t.absent(key) {
		v, err = t.get(key, true)
		mail, read = t.mails[id]
		return v, bytes.Clone(mail), read && err == nil, err
	}
	var mailErr error
	v, err = t.getAnd(key, true, func(b *pgx.Batch) {
		b.Queue(`SELECT data FROM mail WHERE id = $1`, id).QueryRow(func(row pgx.Row) error {
			mailErr = row.Scan(&mail)
			return nil
		})
	})
	switch {
	case err != nil:
		return nil, nil, false, err
	case errors.Is(mailErr, pgx.ErrNoRows):
		return v, nil, true, nil
	case mailErr != nil:
		return nil, nil, false, fmt.Errorf("mail %s: %w", id, t.read(mailErr))
	}
	return v, mail, true, nil
}

// prefetch reads the keys the transaction does not know yet in one round
// trip, as get would (locked in a write transaction), and for the raw/<id>
// keys among them the mail rows too (getRaw).
func (t *pgTxn) prefetch(keys [][]byte) error { return t.readAhead(keys, nil) }

// readAhead is prefetch, with a walk of each of prefixes in the same round
// trip: the first page of a forward walk with values (iterate's), which
// when it holds the prefix whole (fewer rows than a page) answers the
// batch's walks of it and reads of keys it does not hold (ahead).
func (t *pgTxn) readAhead(keys, prefixes [][]byte) error {
	t.beforeRead()
	finish := t.queueAhead(&t.writes, keys, prefixes)
	if finish == nil {
		return nil
	}
	if err := t.flush(); err != nil {
		return err
	}
	return finish()
}

// queueAhead queues into dst the statements of readAhead for what t does
// not know yet, and returns the function that takes their answers into t
// once dst has gone to the database (on t's connection, in t's
// transaction), or nil when it queued nothing.
func (t *pgTxn) queueAhead(dst *pgx.Batch, keys, prefixes [][]byte) (finish func() error) {
	type walkAnswer struct {
		r   walkedRange
		n   int
		err error
	}
	type answer struct {
		key     []byte
		v       []byte
		expired bool
		found   bool
	}
	type mailAnswer struct {
		id   string
		data []byte
		err  error
	}
	var walks []*walkAnswer
	for _, p := range prefixes {
		lo, hi := bytes.Clone(p), prefixEnd(p)
		known := false
		for _, ranges := range [2][]walkedRange{t.walked, t.ahead} {
			for i := range ranges {
				known = known || ranges[i].covers(lo, hi, true)
			}
		}
		if known || t.ownIn(lo, hi) {
			continue
		}
		w := &walkAnswer{r: walkedRange{lo: lo, hi: hi, values: true}}
		walks = append(walks, w)
		q, args := walkSQL(lo, hi, ">=", "<", false, true, pgFirstPage)
		dst.Queue(q, args...).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var k, v []byte
				if w.err = rows.Scan(&k, &v); w.err != nil {
					return nil
				}
				if v == nil {
					v = []byte{}
				}
				w.r.keys, w.r.vals = append(w.r.keys, k), append(w.r.vals, v)
				w.n++
			}
			w.err = rows.Err()
			return nil
		})
	}
	var answers []*answer
	var mails []*mailAnswer
	for _, key := range keys {
		if _, ok := t.cache[string(key)]; ok || t.absent(key) {
			continue
		}
		answers = append(answers, &answer{key: bytes.Clone(key)})
		if id, ok := bytes.CutPrefix(key, []byte(PrefixRaw)); ok && !t.ownMail {
			m := &mailAnswer{id: string(id)}
			mails = append(mails, m)
			dst.Queue(`SELECT data FROM mail WHERE id = $1`, m.id).QueryRow(func(row pgx.Row) error {
				m.err = row.Scan(&m.data)
				return nil
			})
		}
	}
	// The keys in one statement (each in a statement of its own cost the
	// database its overhead per statement, some 40 in the round trip that
	// begins a busy node's batch), answered by key; a key without a row
	// is not found.
	var keysErr error
	switch len(answers) {
	case 0:
	case 1:
		a := answers[0]
		dst.Queue(t.getSQL(true), a.key).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&a.v, &a.expired)
			a.found = err == nil
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				keysErr = err
			}
			return nil
		})
	default:
		byKey := make(map[string]*answer, len(answers))
		list := make([][]byte, len(answers))
		for i, a := range answers {
			byKey[string(a.key)] = a
			list[i] = a.key
		}
		dst.Queue(t.getManySQL(), list).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var k, v []byte
				var expired bool
				if keysErr = rows.Scan(&k, &v, &expired); keysErr != nil {
					return nil
				}
				if a := byKey[string(k)]; a != nil {
					a.v, a.expired, a.found = v, expired, true
				}
			}
			keysErr = rows.Err()
			return nil
		})
	}
	if len(walks)+len(answers) == 0 {
		return nil
	}
	return func() error {
		if keysErr != nil {
			return fmt.Errorf("read ahead: %w", t.read(keysErr))
		}
		for _, a := range answers {
			var err error
			if !a.found {
				err = pgx.ErrNoRows
			}
			if _, err := t.got(a.key, true, a.v, a.expired, err); err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		for _, m := range mails {
			if m.err != nil && !errors.Is(m.err, pgx.ErrNoRows) {
				return fmt.Errorf("mail %s: %w", m.id, t.read(m.err))
			}
			if t.mails == nil {
				t.mails = make(map[string][]byte)
			}
			t.mails[m.id] = m.data
		}
		for _, w := range walks {
			if w.err != nil {
				return fmt.Errorf("walk ahead %q: %w", w.r.lo, t.read(w.err))
			}
			if w.n < pgFirstPage {
				t.ahead = append(t.ahead, w.r)
			}
		}
		return nil
	}
}

func (t *pgTxn) getMail(id string) ([]byte, error) {
	if t.ownMail {
		t.sendOwn()
	}
	var data []byte
	err := t.queryRow(`SELECT data FROM mail WHERE id = $1`, []any{id}, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("mail %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("mail %s: %w", id, err)
	}
	return data, nil
}

// pgPage is the most rows one query of a walk reads: the walk calls fn
// between queries, so fn may use the transaction itself (a connection runs
// one query at a time). The first query reads pgFirstPage rows and each
// next one four times as many up to pgPage: most walks stop at their first
// keys (the next deadline, a customer's newest tickets, the first due
// queue item), and a page of 256 rows read for one cost the database a
// tenth of a millisecond per walk, more than all of an intake's writes.
const (
	pgFirstPage = 16
	pgPage      = 256
)

// iterate walks the keys with prefix from start (forward) or from the last
// one backwards, one page at a time.
func (t *pgTxn) iterate(prefix, start []byte, reverse, values bool, fn func(key, val []byte) error) error {
	lo, hi := prefix, prefixEnd(prefix) // hi nil: no upper bound
	if !reverse && bytes.Compare(start, lo) > 0 {
		lo = start
	}
	for _, ranges := range [2][]walkedRange{t.walked, t.ahead} {
		for i := range ranges {
			if w := &ranges[i]; w.covers(lo, hi, values) {
				return w.walk(lo, hi, reverse, values, fn)
			}
		}
	}
	if t.ownIn(lo, hi) {
		t.sendOwn() // the walk must see them
	}
	first := walkedRange{lo: lo, hi: hi, values: values}
	loOp, hiOp := ">=", "<"
	for limit := pgFirstPage; ; limit = min(4*limit, pgPage) {
		// Two bounds the planner can see: with "($2 IS NULL OR key < $2)"
		// a generic plan (PostgreSQL's after five runs of a prepared
		// statement) bounds the index scan below only and reads on to the
		// end of kv looking for rows of a prefix that has few, so a
		// commit cost more the more the database held.
		q, args := walkSQL(lo, hi, loOp, hiOp, reverse, values, limit)
		type kv struct{ k, v []byte }
		var page []kv
		err := t.query(q, args, func(rows pgx.Rows) error {
			var r kv
			if err := rows.Scan(&r.k, &r.v); err != nil {
				return err
			}
			if values && r.v == nil {
				r.v = []byte{}
			}
			page = append(page, r)
			return nil
		})
		if err != nil {
			return fmt.Errorf("iterate %q: %w", prefix, err)
		}
		if limit == pgFirstPage && len(page) < limit {
			// The whole range in one page: remembered, in copies (fn may
			// keep or change its slices).
			for _, r := range page {
				first.keys = append(first.keys, bytes.Clone(r.k))
				if values {
					first.vals = append(first.vals, bytes.Clone(r.v))
				}
			}
			if reverse {
				slices.Reverse(first.keys)
				slices.Reverse(first.vals)
			}
			t.walked = append(t.walked, first)
		}
		for _, r := range page {
			if err := fn(r.k, r.v); err != nil {
				if errors.Is(err, ErrStop) {
					return nil
				}
				return err
			}
		}
		if len(page) < limit {
			return nil
		}
		last := page[len(page)-1].k
		if reverse {
			hi, hiOp = last, "<"
		} else {
			lo, loOp = last, ">"
		}
	}
}

// walkSQL is the statement and arguments of one page of a walk from lo to
// hi (nil: no bound) in key order, or backwards.
func walkSQL(lo, hi []byte, loOp, hiOp string, reverse, values bool, limit int) (string, []any) {
	col := `NULL::bytea`
	if values {
		col = `value`
	}
	q := `SELECT key, ` + col + ` FROM kv WHERE key ` + loOp + ` $1 AND key ` + hiOp + ` $2`
	args := []any{lo, hi}
	if hi == nil {
		q = `SELECT key, ` + col + ` FROM kv WHERE key ` + loOp + ` $1`
		args = args[:1]
	}
	q += ` AND (expires_at IS NULL OR expires_at > now()) ORDER BY key`
	if reverse {
		q += ` DESC`
	}
	return q + ` LIMIT ` + strconv.Itoa(limit), args
}

// walk calls fn for w's keys in [lo, hi) (hi nil: no bound), as iterate
// would for a range w covers.
func (w *walkedRange) walk(lo, hi []byte, reverse, values bool, fn func(key, val []byte) error) error {
	// w's own slices: fn may write a key of w, which drops w from the
	// transaction's ranges (pgTxn.wrote).
	keys, vals := w.keys, w.vals
	from, _ := slices.BinarySearchFunc(keys, lo, bytes.Compare)
	to := len(keys)
	if hi != nil {
		to, _ = slices.BinarySearchFunc(keys, hi, bytes.Compare)
	}
	for n := range to - from {
		i := from + n
		if reverse {
			i = to - 1 - n
		}
		var v []byte
		if values {
			v = bytes.Clone(vals[i])
		}
		if err := fn(bytes.Clone(keys[i]), v); err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// prefixEnd is the first key above every key with prefix, or nil when
// there is none (a prefix of 0xFF bytes only, or none at all).
func prefixEnd(prefix []byte) []byte {
	end := bytes.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xFF {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// pgLease leases band numbers of the sequence name in one statement, atomic
// on any node: the row holds the first number not leased.
func (s *Store) pgLease(name string, band uint64) (base, end uint64, err error) {
	if !s.pg.enter() {
		return 0, 0, ErrClosed
	}
	defer s.pg.busy.Done()
	var next int64
	err = s.pg.seq.QueryRow(context.Background(), `INSERT INTO sequences (name, next) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET next = sequences.next + $2 RETURNING next`, name, int64(band)).Scan(&next)
	if err != nil {
		return 0, 0, err
	}
	return uint64(next) - band, uint64(next), nil
}

// pgRelease gives back the numbers from next to leased, unless another
// lease (another node's) came after ours.
func (s *Store) pgRelease(name string, next, leased uint64) error {
	if !s.pg.enter() {
		return ErrClosed
	}
	defer s.pg.busy.Done()
	_, err := s.pg.seq.Exec(context.Background(), `UPDATE sequences SET next = $1 WHERE name = $2 AND next = $3`,
		int64(next), name, int64(leased))
	return err
}

// pgRaise makes the sequence name hand out nothing below floor.
func (s *Store) pgRaise(name string, floor uint64) error {
	if !s.pg.enter() {
		return ErrClosed
	}
	defer s.pg.busy.Done()
	_, err := s.pg.seq.Exec(context.Background(), `INSERT INTO sequences (name, next) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET next = greatest(sequences.next, excluded.next)`, name, int64(floor))
	return err
}
