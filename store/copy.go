package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/jackc/pgx/v5"
)

// Counts are a store's records by kind: what `frontdesk store copy`
// verifies after copying a Badger store into PostgreSQL.
type Counts struct {
	Keys       int64             `json:"keys"`        // every key, sequences aside
	Messages   int64             `json:"messages"`    // msg/: received messages' records
	Mails      int64             `json:"mails"`       // raw/: received mail and the gateway's own
	Tickets    int64             `json:"tickets"`     // t/
	Deadlines  int64             `json:"deadlines"`   // dl/
	QueueItems int64             `json:"queue_items"` // q/
	Learned    int64             `json:"learned"`     // lx/
	Sequences  map[string]uint64 `json:"sequences"`   // the next number of each
}

// mismatch says which counts differ after a copy, "" when none do; the
// number of keys is not compared, as keys with a TTL (rate limits) may
// expire between reading and counting.
func (c Counts) mismatch(o Counts) string {
	var bad []string
	for _, f := range []struct {
		name string
		a, b int64
	}{{"messages", c.Messages, o.Messages}, {"mails", c.Mails, o.Mails}, {"tickets", c.Tickets, o.Tickets},
		{"deadlines", c.Deadlines, o.Deadlines}, {"queue items", c.QueueItems, o.QueueItems}, {"learned examples", c.Learned, o.Learned}} {
		if f.a != f.b {
			bad = append(bad, fmt.Sprintf("%s %d, copied %d", f.name, f.a, f.b))
		}
	}
	for k, v := range c.Sequences {
		if o.Sequences[k] < v {
			bad = append(bad, fmt.Sprintf("sequence %s at %d, copied %d", k, v, o.Sequences[k]))
		}
	}
	return strings.Join(bad, "; ")
}

func (c *Counts) add(key string) {
	c.Keys++
	for _, p := range []struct {
		prefix string
		n      *int64
	}{{PrefixMessage, &c.Messages}, {PrefixRaw, &c.Mails}, {PrefixTicket, &c.Tickets}, {PrefixDue, &c.Deadlines},
		{PrefixQueue, &c.QueueItems}, {PrefixLearn, &c.Learned}} {
		if strings.HasPrefix(key, p.prefix) {
			*p.n++
		}
	}
}

// CopyProgress is how far a copy is.
type CopyProgress struct {
	Keys, Mails, MailBytes int64
	Elapsed                time.Duration
}

func (p CopyProgress) String() string {
	return fmt.Sprintf("copied %d keys, %d mails (%d MB) in %s", p.Keys, p.Mails, p.MailBytes>>20, p.Elapsed.Round(time.Second))
}

// copyBatch bounds one transaction of a copy: a few hundred rows or a
// few megabytes of mail.
const (
	copyBatchRows  = 500
	copyBatchBytes = 16 << 20
)

// ErrNotEmpty is CopyInto's answer for a database that holds data.
var ErrNotEmpty = errors.New("the database is not empty")

// copyUnfinished marks a database that a copy is filling, from its first
// row until FinishCopy: Open refuses such a database, so that a copy that
// was interrupted (a signal, a lost connection, a failed check) is never
// served as if it held the whole install.
const copyUnfinished = PrefixMisc + "copy-unfinished"

// errCopyUnfinished is Open's answer for a database with copyUnfinished.
var errCopyUnfinished = errors.New("the database holds an unfinished `frontdesk store copy` (interrupted, or it failed): drop the database, create it again and run the copy again")

// FinishCopy ends a copy into this PostgreSQL store that CopyInto made
// and the caller completed (the status-page key): from now on Open takes
// the database.
func (s *Store) FinishCopy(ctx context.Context) error {
	if s.pg == nil {
		return errors.New("finish copy: not a PostgreSQL store")
	}
	if _, err := s.pg.pool.Exec(ctx, `DELETE FROM kv WHERE key = $1`, []byte(copyUnfinished)); err != nil {
		return fmt.Errorf("finish copy: %w", err)
	}
	return nil
}

// CopyInto copies everything in s, a Badger store that no server has
// open, into dst, an empty PostgreSQL store: every key with its TTL, the
// mail (from the spool or Badger) into the mail table, and each sequence
// at the higher of its value and the identity file's mark, so no ticket
// number is handed out again. It then counts dst and returns both counts;
// an error if they differ. progress, if set, is called about once a second.
// The database stays marked unfinished (Open refuses it) until the caller
// calls dst.FinishCopy.
func (s *Store) CopyInto(ctx context.Context, dst *Store, progress func(CopyProgress)) (src, copied Counts, err error) {
	if s.pg != nil || dst.pg == nil {
		return src, copied, errors.New("copy: from a Badger store into a PostgreSQL one only")
	}
	pool := dst.pg.pool
	var used bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM kv) OR EXISTS (SELECT 1 FROM mail) OR EXISTS (SELECT 1 FROM sequences)`).Scan(&used); err != nil {
		return src, copied, fmt.Errorf("copy: %w", err)
	}
	if used {
		return src, copied, fmt.Errorf("copy: %w: store copy fills an empty database only (create a new one, run `frontdesk store migrate` or let copy create the schema)", ErrNotEmpty)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO kv (key, value) VALUES ($1, $2)`, []byte(copyUnfinished), []byte(time.Now().UTC().Format(time.RFC3339))); err != nil {
		return src, copied, fmt.Errorf("copy: %w", err)
	}
	start, last := time.Now(), time.Now()
	var p CopyProgress
	src.Sequences = map[string]uint64{}
	var batch pgx.Batch
	var batchBytes int
	flush := func() error {
		if batch.Len() == 0 {
			return nil
		}
		err := pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{}, func(tx pgx.Tx) error {
			return tx.SendBatch(ctx, &batch).Close()
		})
		batch, batchBytes = pgx.Batch{}, 0
		return err
	}
	isSeq := map[string]bool{}
	for _, k := range seqKeys {
		isSeq[k] = true
	}
	err = s.db.View(func(t *badger.Txn) error {
		it := t.NewIterator(badger.IteratorOptions{PrefetchValues: false})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			item := it.Item()
			key := item.KeyCopy(nil)
			v, err := valueOf(item)
			if err != nil {
				return err
			}
			if isSeq[string(key)] {
				if len(v) == 8 {
					src.Sequences[string(key)] = max(src.Sequences[string(key)], beUint64(v))
				}
				continue
			}
			src.add(string(key))
			var expires *time.Time
			if e := item.ExpiresAt(); e > 0 {
				at := time.Unix(int64(e), 0)
				expires = &at
			}
			if id, ok := strings.CutPrefix(string(key), PrefixRaw); ok {
				mail := v
				if sp, ok := decodeSpooled(v); ok {
					if s.spool == nil {
						return fmt.Errorf("raw message %s: in the spool, and the store was opened without it", id)
					}
					if mail, err = s.spool.read(sp, nil); err != nil {
						return fmt.Errorf("raw message %s: %w", id, err)
					}
				}
				batch.Queue(`INSERT INTO mail (id, data) VALUES ($1, $2)`, id, mail)
				v = []byte(pgMailRef)
				p.Mails++
				p.MailBytes += int64(len(mail))
				batchBytes += len(mail)
			}
			batch.Queue(`INSERT INTO kv (key, value, expires_at) VALUES ($1, $2, $3)`, key, v, expires)
			batchBytes += len(key) + len(v)
			p.Keys++
			if batch.Len() >= copyBatchRows || batchBytes >= copyBatchBytes {
				if err := flush(); err != nil {
					return err
				}
			}
			if progress != nil && time.Since(last) >= time.Second {
				last = time.Now()
				p.Elapsed = time.Since(start)
				progress(p)
			}
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return src, copied, fmt.Errorf("copy: %w", err)
	}
	for _, k := range seqKeys {
		if m := s.ident.mark(k); m > src.Sequences[k] {
			src.Sequences[k] = m
		}
		if n := src.Sequences[k]; n > 0 {
			if err := dst.RaiseSequence(k, n); err != nil {
				return src, copied, fmt.Errorf("copy: %w", err)
			}
		} else {
			delete(src.Sequences, k)
		}
	}
	if progress != nil {
		p.Elapsed = time.Since(start)
		progress(p)
	}
	if copied, err = dst.pgCounts(ctx); err != nil {
		return src, copied, fmt.Errorf("copy: count what was copied: %w", err)
	}
	if bad := src.mismatch(copied); bad != "" {
		return src, copied, fmt.Errorf("copy: the database does not hold what the store does: %s", bad)
	}
	return src, copied, nil
}

func beUint64(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

// pgCounts counts a PostgreSQL store's records by kind, mail by its rows
// in the mail table.
func (s *Store) pgCounts(ctx context.Context) (Counts, error) {
	c := Counts{Sequences: map[string]uint64{}}
	q := `SELECT count(*) FROM kv WHERE key >= $1 AND key < $2 AND (expires_at IS NULL OR expires_at > now())`
	for _, p := range []struct {
		prefix string
		n      *int64
	}{{PrefixMessage, &c.Messages}, {PrefixTicket, &c.Tickets}, {PrefixDue, &c.Deadlines},
		{PrefixQueue, &c.QueueItems}, {PrefixLearn, &c.Learned}} {
		if err := s.pg.pool.QueryRow(ctx, q, []byte(p.prefix), prefixEnd([]byte(p.prefix))).Scan(p.n); err != nil {
			return c, err
		}
	}
	// A mail counts in both its raw/ key and its row of the mail table.
	var rows int64
	if err := s.pg.pool.QueryRow(ctx, q, []byte(PrefixRaw), prefixEnd([]byte(PrefixRaw))).Scan(&c.Mails); err != nil {
		return c, err
	}
	if err := s.pg.pool.QueryRow(ctx, `SELECT count(*) FROM mail`).Scan(&rows); err != nil {
		return c, err
	}
	if rows != c.Mails {
		return c, fmt.Errorf("%d raw/ keys and %d mails", c.Mails, rows)
	}
	if err := s.pg.pool.QueryRow(ctx, `SELECT count(*) FROM kv WHERE (expires_at IS NULL OR expires_at > now()) AND key <> $1`, []byte(copyUnfinished)).Scan(&c.Keys); err != nil {
		return c, err
	}
	seqs, err := s.pg.pool.Query(ctx, `SELECT name, next FROM sequences`)
	if err != nil {
		return c, err
	}
	for seqs.Next() {
		var name string
		var next int64
		if err := seqs.Scan(&name, &next); err != nil {
			seqs.Close()
			return c, err
		}
		c.Sequences[name] = uint64(next)
	}
	seqs.Close()
	return c, seqs.Err()
}
