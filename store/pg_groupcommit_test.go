package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
	"github.com/jackc/pgx/v5"
)

// TestPostgresGroupCommit: the PostgreSQL store's committer, as Badger's
// does, runs the Updates waiting together in one transaction, and a
// function's error is its Update's only (a savepoint each).
func TestPostgresGroupCommit(t *testing.T) {
	dsn := testenv.StartPostgres(t)
	if dsn == "" {
		return
	}
	admin, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close(context.Background()) })
	n := 0
	open := func(t *testing.T) *Store {
		t.Helper()
		n++
		name := fmt.Sprintf("gc_%d", n)
		if _, err := admin.Exec(context.Background(), "CREATE DATABASE "+name); err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		u.Path = "/" + name
		if err := Migrate(context.Background(), u.String()); err != nil {
			t.Fatal(err)
		}
		st, err := Open("", Options{DSN: u.String()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}

	t.Run("ConcurrentUpdatesShareCommits", func(t *testing.T) {
		st := open(t)
		const n = 20
		release, wait := holdCommitter(t, st, n, nil)
		before := st.Stats()
		close(release)
		for i, err := range wait() {
			if err != nil {
				t.Errorf("update %d: %v", i, err)
			}
		}
		after := st.Stats()
		commits := after.Commits - before.Commits
		if after.Updates != n+1 || after.Retries != 0 {
			t.Errorf("Stats = %+v after %d concurrent updates: want %d updates, no retries", after, n+1, n+1)
		}
		// 1 for the held one and 1 for the rest; a goroutine counted but
		// not yet parked can miss the batch and commit on its own.
		if commits > 4 {
			t.Errorf("%d concurrent updates took %d commits; want them to share one", n, commits)
		}
		wantKeys(t, st, n)
	})

	// Readers and writers of one counter: on PostgreSQL each used to be
	// a transaction of its own, which SERIALIZABLE failed and retried;
	// one node's Updates now run one after another and never conflict.
	t.Run("OneNodeNeverRetries", func(t *testing.T) {
		st := open(t)
		const n = 40
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				errs[i] = st.Update(context.Background(), func(txn *Txn) error {
					c := 0
					if err := txn.Iterate([]byte("misc/c/"), nil, false, func(_, _ []byte) error { c++; return nil }); err != nil {
						return err
					}
					return txn.Set(fmt.Appendf(nil, "misc/c/%03d", i), fmt.Append(nil, c))
				})
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("update %d: %v", i, err)
			}
		}
		if s := st.Stats(); s.Retries != 0 || s.Updates != n || s.Commits > s.Updates {
			t.Errorf("Stats = %+v after %d concurrent read-modify-writes on one node: want no retries", s, n)
		}
		// Each saw the ones before it: the values are 0..n-1, each once.
		seen := map[string]bool{}
		st.View(func(txn *Txn) error {
			return txn.Iterate([]byte("misc/c/"), nil, true, func(_, v []byte) error { seen[string(v)] = true; return nil })
		})
		for i := range n {
			if !seen[fmt.Sprint(i)] {
				t.Errorf("no Update saw %d others before it: %v", i, seen)
				break
			}
		}
	})

	// One function fails in its batch: after writing and reading (its
	// savepoint was sent), and before anything was sent. Only its
	// Update fails, its writes are rolled back and the others' (before
	// and after it in the batch) commit.
	for _, read := range []bool{true, false} {
		t.Run(fmt.Sprintf("FailingUpdateDoesNotCostItsBatch/read=%v", read), func(t *testing.T) {
			st := open(t)
			const n = 10
			const bad = 4
			release, wait := holdCommitter(t, st, n, nil)
			// holdCommitter's Updates write k000..; the failing one is
			// an Update of its own, queued with them.
			var badErr error
			var wg sync.WaitGroup
			wg.Go(func() {
				badErr = st.Update(context.Background(), func(txn *Txn) error {
					if err := txn.Set([]byte("bad"), []byte("half")); err != nil {
						return err
					}
					if read {
						if _, err := txn.Get([]byte("first")); err != nil && !errors.Is(err, ErrNotFound) {
							return err
						}
					}
					return fmt.Errorf("bad record %d", bad)
				})
			})
			for st.waiting.Load() < int64(n+2) {
				runtime.Gosched()
			}
			// After it in the batch (senders are served in order): an
			// Update that must not see its write.
			var after error
			wg.Go(func() {
				after = st.Update(context.Background(), func(txn *Txn) error {
					if _, err := txn.Get([]byte("bad")); !errors.Is(err, ErrNotFound) {
						return fmt.Errorf("the next function of the batch read the failed one's write: %v", err)
					}
					if has, err := txn.Has([]byte("bad")); has || err != nil {
						return fmt.Errorf("Has of the failed function's write: %v, %v", has, err)
					}
					return txn.Set([]byte("after"), []byte("v"))
				})
			})
			for st.waiting.Load() < int64(n+3) {
				runtime.Gosched()
			}
			close(release)
			errs := wait()
			wg.Wait()
			if after != nil {
				t.Error(after)
			}
			if badErr == nil || !strings.Contains(badErr.Error(), "bad record") {
				t.Errorf("the failing update returned %v", badErr)
			}
			st.View(func(txn *Txn) error {
				if _, err := txn.Get([]byte("bad")); !errors.Is(err, ErrNotFound) {
					t.Errorf("the failing update's write was committed (%v)", err)
				}
				if _, err := txn.Get([]byte("first")); err != nil {
					t.Errorf("the held update's write: %v", err)
				}
				for i := range n {
					if _, err := txn.Get(fmt.Appendf(nil, "k%03d", i)); errs[i] != nil || err != nil {
						t.Errorf("update %d in the failing one's batch: returned %v, key %v", i, errs[i], err)
					}
				}
				return nil
			})
			if s := st.Stats(); s.Updates != n+2 {
				t.Errorf("Stats = %+v: want %d committed updates", s, n+2)
			}
		})
	}

	// A walk of a prefix with one key, in front of thousands of others,
	// reads about one row, also with the generic plan PostgreSQL
	// switches a prepared statement to after five runs (forced here).
	t.Run("WalkReadsItsPrefixOnly", func(t *testing.T) {
		st := open(t)
		ctx := context.Background()
		err := st.Update(ctx, func(txn *Txn) error {
			if err := txn.Set([]byte("misc/walk/a/1"), []byte("v")); err != nil {
				return err
			}
			for i := range 3000 {
				if err := txn.Set(fmt.Appendf(nil, "misc/walk/b/%05d", i), []byte("v")); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = st.Update(ctx, func(txn *Txn) error {
			if err := forceGenericPlans(ctx, txn); err != nil {
				return err
			}
			for range 10 {
				n := 0
				if err := txn.Iterate([]byte("misc/walk/a/"), nil, false, func(_, _ []byte) error { n++; return nil }); err != nil {
					return err
				}
				if n != 1 {
					t.Errorf("walk found %d keys, want 1", n)
				}
			}
			fetched, err := kvRowsRead(ctx, txn)
			if err != nil {
				return err
			}
			if fetched > 100 {
				t.Errorf("10 walks of a one-key prefix read %d rows of kv", fetched)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	// A walk's generic plan made while its range held a few rows still
	// reads only the page it returns once the range holds thousands (the
	// SLA scanner's walk of the deadline index read its whole range, 724
	// rows, and sorted it, when the plan was a bitmap scan: the store's
	// sessions turn bitmap and sequential scans off, pgSessionSettings).
	t.Run("GenericPlanOfAGrownRangeReadsAPage", func(t *testing.T) {
		st := open(t)
		ctx := context.Background()
		// 2,000 keys in heap order unlike key order (as a database that
		// has run for a while has them), so that an index scan's
		// reads look dear to the planner.
		for u := range 100 {
			err := st.Update(ctx, func(txn *Txn) error {
				for i := range 20 {
					if err := txn.Set(fmt.Appendf(nil, "misc/other/%05d", i*100+u), []byte("v")); err != nil {
						return err
					}
				}
				if u < 4 {
					return txn.Set(fmt.Appendf(nil, "misc/grow/%05d", u), []byte("v"))
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		err := st.Update(ctx, func(txn *Txn) error {
			_, err := txn.pg.tx.Exec(ctx, `ANALYZE kv`)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		err = st.Update(ctx, func(txn *Txn) error {
			if err := forceGenericPlans(ctx, txn); err != nil {
				return err
			}
			first := func() ([]byte, error) {
				var k []byte
				err := txn.Iterate([]byte("misc/grow/"), nil, false, func(key, _ []byte) error {
					k = key
					return ErrStop
				})
				return k, err
			}
			// The plan is made now, on a range of 4 keys.
			if _, err := first(); err != nil {
				return err
			}
			for i := 4; i < 5000; i++ {
				if err := txn.Set(fmt.Appendf(nil, "misc/grow/%05d", i), []byte("v")); err != nil {
					return err
				}
			}
			read := func() (int64, error) { return kvRowsRead(ctx, txn) }
			txn.pg.forget() // no answer from the first walk: ask the database
			k, err := first()
			if err != nil {
				return err
			}
			if string(k) != "misc/grow/00000" {
				t.Errorf("first key %q", k)
			}
			before, err := read()
			if err != nil {
				return err
			}
			txn.pg.forget()
			if _, err := first(); err != nil {
				return err
			}
			after, err := read()
			if err != nil {
				return err
			}
			if after-before > 100 {
				t.Errorf("a walk of the first key of a range of 5,000 read %d rows", after-before)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})

	// A View's BEGIN goes with its first read and its writes with its
	// COMMIT: a write there still fails (the transaction is read-only)
	// and reads see what was committed.
	t.Run("ViewIsReadOnly", func(t *testing.T) {
		st := open(t)
		ctx := context.Background()
		if err := st.Update(ctx, func(txn *Txn) error { return txn.Set([]byte("misc/v"), []byte("1")) }); err != nil {
			t.Fatal(err)
		}
		var got []byte
		if err := st.View(func(txn *Txn) error {
			var err error
			got, err = txn.Get([]byte("misc/v"))
			return err
		}); err != nil || string(got) != "1" {
			t.Fatalf("View read %q, %v", got, err)
		}
		err := st.View(func(txn *Txn) error { return txn.Set([]byte("misc/w"), []byte("2")) })
		if err == nil {
			t.Error("a write in a View succeeded")
		}
		st.View(func(txn *Txn) error {
			if _, err := txn.Get([]byte("misc/w")); !errors.Is(err, ErrNotFound) {
				t.Errorf("the View's write is there (%v)", err)
			}
			return nil
		})
	})

	// What an Update sends: a key written twice before a read goes once,
	// a lone Update's writes go with its COMMIT, and a range walked whole
	// answers a walk of it again and a read of a key it does not hold.
	t.Run("StatementsPerUpdate", func(t *testing.T) {
		st := open(t)
		ctx := context.Background()
		for _, c := range []struct {
			name              string
			fn                func(txn *Txn) error
			statements, trips int64
		}{
			// BEGIN, the write of k and l in one statement, COMMIT: one
			// round trip.
			{"KeyWrittenTwice", func(txn *Txn) error {
				for _, k := range []string{"misc/s/k", "misc/s/l", "misc/s/k"} {
					if err := txn.Set([]byte(k), []byte(k)); err != nil {
						return err
					}
				}
				return nil
			}, 3, 1},
			// 45 keys in one statement (coalesceWrites); one with a TTL
			// and a delete in statements of their own.
			{"ManyKeys", func(txn *Txn) error {
				for i := range 45 {
					k := fmt.Appendf(nil, "misc/m/%02d", 44-i)
					if err := txn.Set(k, k); err != nil {
						return err
					}
				}
				if err := txn.SetTTL([]byte("misc/m/ttl"), []byte("t"), time.Hour); err != nil {
					return err
				}
				return txn.Delete([]byte("misc/m/gone"))
			}, 5, 1},
			// BEGIN and the walk; the write and COMMIT.
			{"RangeWalkedWhole", func(txn *Txn) error {
				for range 2 {
					if err := txn.Iterate([]byte("misc/p/"), nil, false, func(_, _ []byte) error { return nil }); err != nil {
						return err
					}
					if has, err := txn.Has([]byte("misc/p/x")); has || err != nil {
						return fmt.Errorf("Has = %v, %v", has, err)
					}
				}
				return txn.Set([]byte("misc/p/x"), nil)
			}, 4, 2},
		} {
			s0, t0 := st.pg.statements.Load(), st.pg.trips.Load()
			if err := st.Update(ctx, c.fn); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if s, n := st.pg.statements.Load()-s0, st.pg.trips.Load()-t0; s != c.statements || n != c.trips {
				t.Errorf("%s: %d statements in %d round trips, want %d in %d", c.name, s, n, c.statements, c.trips)
			}
		}
		// A mail's pointer and the mail read in one round trip: BEGIN and
		// the two reads, then COMMIT.
		if err := st.Update(ctx, func(txn *Txn) error { return txn.PutRaw("m1", []byte("the mail")) }); err != nil {
			t.Fatal(err)
		}
		s0, t0 := st.pg.statements.Load(), st.pg.trips.Load()
		var raw []byte
		err := st.View(func(txn *Txn) error {
			var err error
			raw, err = txn.GetRaw("m1")
			return err
		})
		if err != nil || string(raw) != "the mail" {
			t.Errorf("GetRaw = %q, %v", raw, err)
		}
		if s, n := st.pg.statements.Load()-s0, st.pg.trips.Load()-t0; s != 4 || n != 2 {
			t.Errorf("a View reading a mail: %d statements in %d round trips, want 4 in 2", s, n)
		}
		// Keys and a mail read ahead: one round trip for all of them.
		if err := st.Update(ctx, func(txn *Txn) error { return txn.PutRaw("m2", []byte("mail 2")) }); err != nil {
			t.Fatal(err)
		}
		s0, t0 = st.pg.statements.Load(), st.pg.trips.Load()
		err = st.View(func(txn *Txn) error {
			keys := [][]byte{[]byte("misc/s/k"), []byte("misc/s/l"), []byte("misc/none"), []byte("raw/m2")}
			if err := txn.Prefetch(keys...); err != nil {
				return err
			}
			for _, k := range keys[:3] {
				if _, err := txn.Get(k); err != nil && !errors.Is(err, ErrNotFound) {
					return err
				}
			}
			raw, err := txn.GetRaw("m2")
			if err != nil || string(raw) != "mail 2" {
				return fmt.Errorf("GetRaw m2 = %q, %v", raw, err)
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
		// BEGIN, the four keys in one statement, the mail, COMMIT.
		if s, n := st.pg.statements.Load()-s0, st.pg.trips.Load()-t0; s != 4 || n != 2 {
			t.Errorf("a View reading 3 keys and a mail ahead: %d statements in %d round trips, want 4 in 2", s, n)
		}
		// The same two Views announcing their last read (Txn.Last): the
		// COMMIT goes with it, one round trip each.
		for _, c := range []struct {
			name              string
			fn                func(txn *Txn) error
			statements, trips int64
		}{
			{"GetRaw", func(txn *Txn) error {
				txn.Last()
				raw, err := txn.GetRaw("m1")
				if err != nil || string(raw) != "the mail" {
					return fmt.Errorf("GetRaw m1 = %q, %v", raw, err)
				}
				return nil
			}, 4, 1},
			{"Prefetch", func(txn *Txn) error {
				keys := [][]byte{[]byte("misc/s/k"), []byte("misc/s/l"), []byte("misc/none"), []byte("raw/m2")}
				txn.Last()
				if err := txn.Prefetch(keys...); err != nil {
					return err
				}
				for _, k := range keys[:3] {
					if _, err := txn.Get(k); err != nil && !errors.Is(err, ErrNotFound) {
						return err
					}
				}
				if raw, err := txn.GetRaw("m2"); err != nil || string(raw) != "mail 2" {
					return fmt.Errorf("GetRaw m2 = %q, %v", raw, err)
				}
				return nil
			}, 4, 1},
		} {
			s0, t0 := st.pg.statements.Load(), st.pg.trips.Load()
			if err := st.View(c.fn); err != nil {
				t.Errorf("Last then %s: %v", c.name, err)
			}
			if s, n := st.pg.statements.Load()-s0, st.pg.trips.Load()-t0; s != c.statements || n != c.trips {
				t.Errorf("Last then %s: %d statements in %d round trips, want %d in %d", c.name, s, n, c.statements, c.trips)
			}
		}
		// Its pointer without the mail: not found, as before.
		if _, err := st.pg.pool.Exec(ctx, `DELETE FROM mail WHERE id = 'm1'`); err != nil {
			t.Fatal(err)
		}
		err = st.View(func(txn *Txn) error {
			_, err := txn.GetRaw("m1")
			return err
		})
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("GetRaw of a pointer without its mail: %v, want not found", err)
		}
		st.View(func(txn *Txn) error {
			want := map[string]string{"misc/s/k": "misc/s/k", "misc/s/l": "misc/s/l", "misc/p/x": "", "misc/m/ttl": "t"}
			for i := range 45 {
				k := fmt.Sprintf("misc/m/%02d", i)
				want[k] = k
			}
			for k, want := range want {
				if v, err := txn.Get([]byte(k)); err != nil || string(v) != want {
					t.Errorf("%s = %q, %v; want %q", k, v, err, want)
				}
			}
			return nil
		})
	})

	// In a batch, a function's writes go with the next function's read
	// or the COMMIT, and no savepoint is sent for a function that read
	// only keys it did not write: per Update its read, its write and no
	// round trip of its own for them; per transaction BEGIN and COMMIT.
	// The writes of a batch's functions go in one statement of each kind
	// (coalesceWrites), and the last write of a key in the batch is what
	// commits, as if each function had committed alone in turn: a key
	// set, deleted and set again with a TTL, a key set then deleted, a
	// mail written and its pointer deleted.
	t.Run("BatchCoalescesWrites", func(t *testing.T) {
		st := open(t)
		ctx := context.Background()
		if err := st.Update(ctx, func(txn *Txn) error {
			if err := txn.Set([]byte("misc/w/old"), []byte("old")); err != nil {
				return err
			}
			return txn.PutRaw("gone", []byte("a mail deleted in the batch"))
		}); err != nil {
			t.Fatal(err)
		}
		const n = 12
		before := st.Stats()
		s0, t0 := st.pg.statements.Load(), st.pg.trips.Load()
		behindHeld(t, st, n, func(i int) error {
			return st.Update(ctx, func(txn *Txn) error {
				if err := txn.Set(fmt.Appendf(nil, "misc/w/%02d", i), fmt.Appendf(nil, "v%d", i)); err != nil {
					return err
				}
				if err := txn.SetTTL(fmt.Appendf(nil, "misc/t/%02d", i), []byte("t"), time.Hour); err != nil {
					return err
				}
				if err := txn.PutRaw(fmt.Sprintf("m%02d", i), fmt.Appendf(nil, "mail %d", i)); err != nil {
					return err
				}
				if err := txn.Delete(fmt.Appendf(nil, "misc/d/%02d", i)); err != nil {
					return err
				}
				return nil
			})
		})
		commits := st.Stats().Commits - before.Commits
		// The held Update: BEGIN, its write and COMMIT. Each commit of the
		// others: BEGIN, the deletes, the keys, the keys with a TTL, the
		// mail, COMMIT, in one round trip.
		if s, tr := st.pg.statements.Load()-s0, st.pg.trips.Load()-t0; commits > 2 || s != 3+6*(commits-1) || tr != commits {
			t.Errorf("%d updates in %d commits sent %d statements in %d round trips, want 2 commits of 3 and 6 statements in 2", n+1, commits, s, tr)
		}
		// Each key written by several functions of one batch: what
		// commits is the last write of each in the order they ran.
		type op struct{ key, val string } // val "": delete
		ops := [][]op{
			{{"misc/w/old", ""}, {"misc/w/x", "first"}, {"misc/w/y", "y"}},
			{{"misc/w/x", ""}, {PrefixRaw + "gone", ""}},
			{{"misc/w/x", "ttl"}, {"misc/w/old", "back"}},
			{{"misc/w/y", ""}, {"misc/w/old", "again"}},
			{{"misc/w/y", "y2"}, {"misc/w/x", "plain"}},
		}
		var mu sync.Mutex
		var order []int
		before = st.Stats()
		behindHeld(t, st, len(ops), func(i int) error {
			return st.Update(ctx, func(txn *Txn) error {
				mu.Lock()
				order = append(order, i)
				mu.Unlock()
				for _, o := range ops[i] {
					var err error
					switch {
					case o.val == "":
						err = txn.Delete([]byte(o.key))
					case o.val == "ttl":
						err = txn.SetTTL([]byte(o.key), []byte(o.val), time.Hour)
					default:
						err = txn.Set([]byte(o.key), []byte(o.val))
					}
					if err != nil {
						return err
					}
				}
				return nil
			})
		})
		if c := st.Stats().Commits - before.Commits; c != 2 || len(order) != len(ops) {
			t.Fatalf("%d functions ran in %d commits, want %d in 2 (the held one's and theirs)", len(order), c, len(ops))
		}
		want := map[string]string{"misc/w/old": "back", "misc/w/05": "v5", "misc/t/11": "t", "misc/d/03": ""}
		for _, i := range order {
			for _, o := range ops[i] {
				want[o.key] = o.val
			}
		}
		delete(want, PrefixRaw+"gone")
		st.View(func(txn *Txn) error {
			for k, want := range want {
				v, err := txn.Get([]byte(k))
				if want == "" {
					if !errors.Is(err, ErrNotFound) {
						t.Errorf("%s = %q, %v; want it deleted (order %v)", k, v, err, order)
					}
					continue
				}
				if err != nil || string(v) != want {
					t.Errorf("%s = %q, %v; want %q (order %v)", k, v, err, want, order)
				}
			}
			if m, err := txn.GetRaw("m07"); err != nil || string(m) != "mail 7" {
				t.Errorf("mail m07 = %q, %v", m, err)
			}
			if m, err := txn.GetRaw("gone"); !errors.Is(err, ErrNotFound) {
				t.Errorf("mail gone = %q, %v; want it deleted", m, err)
			}
			return nil
		})
		// misc/w/x with a TTL, or without when a plain write came after.
		var ttl bool
		if want["misc/w/x"] == "" {
			return
		}
		if err := st.pg.pool.QueryRow(ctx, `SELECT expires_at IS NOT NULL AND expires_at > now() + interval '59 minutes' FROM kv WHERE key = $1`, []byte("misc/w/x")).Scan(&ttl); err != nil || ttl != (want["misc/w/x"] == "ttl") {
			t.Errorf("misc/w/x = %q has a TTL of an hour: %v, %v", want["misc/w/x"], ttl, err)
		}
	})

	t.Run("BatchSendsNoSavepoints", func(t *testing.T) {
		st := open(t)
		const n = 12
		before := st.Stats()
		s0, t0 := st.pg.statements.Load(), st.pg.trips.Load()
		behindHeld(t, st, n, func(i int) error {
			return st.Update(context.Background(), func(txn *Txn) error {
				if _, err := txn.Get(fmt.Appendf(nil, "misc/none/%d", i)); !errors.Is(err, ErrNotFound) {
					return fmt.Errorf("Get: %v", err)
				}
				return txn.Set(fmt.Appendf(nil, "misc/b/%03d", i), []byte("v"))
			})
		})
		commits := st.Stats().Commits - before.Commits
		// The held Update: BEGIN, its write and COMMIT in one round trip.
		wantStatements, wantTrips := 2*n+1+2*commits, n+commits
		if s, tr := st.pg.statements.Load()-s0, st.pg.trips.Load()-t0; s != wantStatements || tr != wantTrips {
			t.Errorf("%d updates in %d commits sent %d statements in %d round trips, want %d in %d", n+1, commits, s, tr, wantStatements, wantTrips)
		}
		if commits > 4 {
			t.Errorf("%d updates took %d commits: the batch was not formed", n+1, commits)
		}
	})

	// The keys the functions of a batch said they read (UpdateReading)
	// go in the round trip that begins the transaction, all of them, the
	// mail of raw/ keys too: per transaction that one and the COMMIT's. A
	// function still sees what the functions before it in the batch
	// wrote of those keys (the cache answers them).
	// The prefixes a batch's Updates name (UpdateWalking) are walked in
	// the round trip that begins the transaction: a function's walks of
	// its prefix, forward or back, and its reads of keys not there cost no
	// round trip, and a walk still sees what a function before it in the
	// batch wrote there.
	t.Run("BatchWalksAhead", func(t *testing.T) {
		st := open(t)
		ctx := context.Background()
		const n = 8
		if err := st.Update(ctx, func(txn *Txn) error {
			for i := range n {
				for j := range 3 {
					if err := txn.Set(fmt.Appendf(nil, "misc/w/%d/%d", i, j), []byte("old")); err != nil {
						return err
					}
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		before := st.Stats()
		t0 := st.pg.trips.Load()
		var mu sync.Mutex
		var order []int // the functions as they ran, last run of each
		seen := make([][]string, n)
		batch := make([]int64, n) // the commits before the one a function ran in
		behindHeld(t, st, n, func(i int) error {
			// Each walks its prefix and the next one's, both ways,
			// reads a key missing there, and writes a key into the
			// next one's.
			own, next := fmt.Appendf(nil, "misc/w/%d/", i), fmt.Appendf(nil, "misc/w/%d/", (i+1)%n)
			return st.UpdateWalking(ctx, nil, [][]byte{own, next}, func(txn *Txn) error {
				var keys []string
				for _, p := range [][]byte{own, next} {
					if err := txn.Iterate(p, nil, true, func(k, _ []byte) error {
						keys = append(keys, string(k))
						return nil
					}); err != nil {
						return err
					}
					if err := txn.IterateReverse(p, false, func(k, _ []byte) error {
						keys = append(keys, string(k))
						return ErrStop
					}); err != nil {
						return err
					}
					if _, err := txn.Get(append(bytes.Clone(p), "none"...)); !errors.Is(err, ErrNotFound) {
						return fmt.Errorf("get of a missing key: %v", err)
					}
				}
				mu.Lock()
				order = slices.DeleteFunc(order, func(j int) bool { return j == i })
				order = append(order, i)
				seen[i] = keys
				batch[i] = st.Stats().Commits
				mu.Unlock()
				return txn.Set(append(bytes.Clone(next), "from-prev"...), []byte("new"))
			})
		})
		commits := st.Stats().Commits - before.Commits
		// The held Update: one round trip; each other transaction: the
		// walks ahead with BEGIN, and the writes with COMMIT; and a round
		// trip for a function whose own prefix a function before it in
		// its transaction wrote in (the other walks and reads answered by
		// what was walked ahead).
		want := 1 + 2*(commits-1)
		for k, i := range order {
			prev := (i + n - 1) % n
			if p := slices.Index(order, prev); p >= 0 && p < k && batch[prev] == batch[i] {
				want++
			}
		}
		if trips := st.pg.trips.Load() - t0; trips != want {
			t.Errorf("%d updates in %d commits took %d round trips, want %d (order %v)", n+1, commits, trips, want, order)
		}
		if commits > 4 {
			t.Errorf("%d updates took %d commits: the batch was not formed", n+1, commits)
		}
		ran := make(map[int]bool)
		for _, i := range order {
			// A prefix holds the key its previous function writes once
			// that one ran.
			want := func(p int) []string {
				var w []string
				for j := range 3 {
					w = append(w, fmt.Sprintf("misc/w/%d/%d", p, j))
				}
				if ran[(p+n-1)%n] {
					w = append(w, fmt.Sprintf("misc/w/%d/from-prev", p))
				}
				return append(w, w[len(w)-1])
			}
			if w := append(want(i), want((i+1)%n)...); !slices.Equal(seen[i], w) {
				t.Errorf("function %d walked %q, want %q (order %v)", i, seen[i], w, order)
			}
			ran[i] = true
		}
	})

	// Keys read ahead in one statement answer as each read on its own
	// would: a live key its value, an expired one and a missing one not
	// found.
	t.Run("ReadAheadAnswersEachKey", func(t *testing.T) {
		st := open(t)
		ctx := context.Background()
		if _, err := st.pg.pool.Exec(ctx, `INSERT INTO kv (key, value, expires_at) VALUES ('misc/x/live', 'v1', NULL), ('misc/x/old', 'v2', now() - interval '1 hour'), ('misc/x/ttl', 'v3', now() + interval '1 hour')`); err != nil {
			t.Fatal(err)
		}
		keys := [][]byte{[]byte("misc/x/live"), []byte("misc/x/none"), []byte("misc/x/old"), []byte("misc/x/ttl")}
		want := []string{"v1", "", "", "v3"}
		for _, view := range []bool{false, true} {
			s0 := st.pg.statements.Load()
			fn := func(txn *Txn) error {
				if err := txn.Prefetch(keys...); err != nil {
					return err
				}
				for i, k := range keys {
					v, err := txn.Get(k)
					if want[i] == "" {
						if !errors.Is(err, ErrNotFound) {
							t.Errorf("view=%v: %s = %q, %v, want not found", view, k, v, err)
						}
					} else if err != nil || string(v) != want[i] {
						t.Errorf("view=%v: %s = %q, %v, want %q", view, k, v, err, want[i])
					}
				}
				return nil
			}
			var err error
			if view {
				err = st.View(fn)
			} else {
				err = st.Update(ctx, fn)
			}
			if err != nil {
				t.Fatal(err)
			}
			// BEGIN, the keys, COMMIT (and the Update's delete of the
			// expired key with it).
			if n := st.pg.statements.Load() - s0; n > 4 {
				t.Errorf("view=%v: %d statements, want the keys in one", view, n)
			}
		}
	})

	t.Run("BatchReadsAhead", func(t *testing.T) {
		st := open(t)
		ctx := context.Background()
		const n = 8
		if err := st.Update(ctx, func(txn *Txn) error {
			for i := range n {
				if err := txn.Set(fmt.Appendf(nil, "misc/r/%d", i), []byte("old")); err != nil {
					return err
				}
			}
			return txn.PutRaw("rm", []byte("the mail"))
		}); err != nil {
			t.Fatal(err)
		}
		before := st.Stats()
		t0 := st.pg.trips.Load()
		var mu sync.Mutex
		var order []int // the functions as they ran, last run of each
		seen := make([]string, n)
		behindHeld(t, st, n, func(i int) error {
			// Each reads its key and the next one's, writes its own.
			own, next := fmt.Appendf(nil, "misc/r/%d", i), fmt.Appendf(nil, "misc/r/%d", (i+1)%n)
			return st.UpdateReading(ctx, [][]byte{own, next, []byte(PrefixRaw + "rm")}, func(txn *Txn) error {
				if _, err := txn.Get(own); err != nil {
					return err
				}
				v, err := txn.Get(next)
				if err != nil {
					return err
				}
				if raw, err := txn.GetRaw("rm"); err != nil || string(raw) != "the mail" {
					return fmt.Errorf("GetRaw = %q, %v", raw, err)
				}
				mu.Lock()
				order = slices.DeleteFunc(order, func(j int) bool { return j == i })
				order = append(order, i)
				seen[i] = string(v)
				mu.Unlock()
				return txn.Set(own, []byte("new"))
			})
		})
		commits := st.Stats().Commits - before.Commits
		// The held Update: one round trip; each other transaction: the
		// reads ahead with BEGIN, the writes with COMMIT.
		if tr, want := st.pg.trips.Load()-t0, 1+2*(commits-1); tr != want {
			t.Errorf("%d updates in %d commits took %d round trips, want %d", n+1, commits, tr, want)
		}
		if commits > 4 {
			t.Errorf("%d updates took %d commits: the batch was not formed", n+1, commits)
		}
		ran := make(map[int]bool)
		for _, i := range order {
			// The next key is new when its function ran before.
			if want := map[bool]string{true: "new", false: "old"}[ran[(i+1)%n]]; seen[i] != want {
				t.Errorf("function %d read %q of key %d, want %q (order %v)", i, seen[i], (i+1)%n, want, order)
			}
			ran[i] = true
		}
	})

	// A function of a batch that walks a range it wrote in, or reads mail
	// it wrote, sends its writes before it returns (after a savepoint);
	// when it then fails, they are rolled back, and the next function of
	// the batch does not see them.
	for _, how := range []string{"walk", "mail"} {
		t.Run("FailingAfterSendingItsWrites/"+how, func(t *testing.T) {
			st := open(t)
			const n = 4
			release, wait := holdCommitter(t, st, n, nil)
			var badErr, after error
			var wg sync.WaitGroup
			wg.Go(func() {
				badErr = st.Update(context.Background(), func(txn *Txn) error {
					if err := txn.Set([]byte("misc/b/x"), []byte("half")); err != nil {
						return err
					}
					switch how {
					case "walk":
						n := 0
						if err := txn.Iterate([]byte("misc/b/"), nil, false, func(_, _ []byte) error { n++; return nil }); err != nil {
							return err
						}
						if n != 1 {
							return fmt.Errorf("the walk saw %d of its own writes, want 1", n)
						}
					case "mail":
						if err := txn.PutRaw("bm", []byte("mail")); err != nil {
							return err
						}
						if raw, err := txn.GetRaw("bm"); err != nil || string(raw) != "mail" {
							return fmt.Errorf("its own mail: %q, %v", raw, err)
						}
					}
					return errors.New("bad record")
				})
			})
			for st.waiting.Load() < n+2 {
				runtime.Gosched()
			}
			wg.Go(func() {
				after = st.Update(context.Background(), func(txn *Txn) error {
					if _, err := txn.Get([]byte("misc/b/x")); !errors.Is(err, ErrNotFound) {
						return fmt.Errorf("the next function read the failed one's write: %v", err)
					}
					found := 0
					if err := txn.Iterate([]byte("misc/b/"), nil, false, func(_, _ []byte) error { found++; return nil }); err != nil {
						return err
					}
					if found != 0 {
						return fmt.Errorf("the next function's walk found %d of the failed one's writes", found)
					}
					if _, err := txn.GetRaw("bm"); !errors.Is(err, ErrNotFound) {
						return fmt.Errorf("the next function read the failed one's mail: %v", err)
					}
					return txn.Set([]byte("after"), []byte("v"))
				})
			})
			for st.waiting.Load() < n+3 {
				runtime.Gosched()
			}
			close(release)
			errs := wait()
			wg.Wait()
			if badErr == nil || badErr.Error() != "bad record" {
				t.Errorf("the failing update returned %v", badErr)
			}
			if after != nil {
				t.Error(after)
			}
			st.View(func(txn *Txn) error {
				for _, k := range []string{"misc/b/x", "raw/bm"} {
					if _, err := txn.Get([]byte(k)); !errors.Is(err, ErrNotFound) {
						t.Errorf("the failing update's %s was committed (%v)", k, err)
					}
				}
				for i := range n {
					if _, err := txn.Get(fmt.Appendf(nil, "k%03d", i)); errs[i] != nil || err != nil {
						t.Errorf("update %d: returned %v, key %v", i, errs[i], err)
					}
				}
				if _, err := txn.Get([]byte("after")); err != nil {
					t.Errorf("the update after the failing one: %v", err)
				}
				return nil
			})
		})
	}

	// A write the database refuses (a key longer than its index takes)
	// fails its Update alone, although it went to the database with
	// other functions' statements: the batch then runs each on its own.
	t.Run("RefusedWriteFailsAlone", func(t *testing.T) {
		st := open(t)
		const n = 6
		release, wait := holdCommitter(t, st, n, nil)
		long := make([]byte, 9000)
		for i := range long {
			long[i] = byte(mrand.N(256)) // incompressible
		}
		var badErr error
		var wg sync.WaitGroup
		wg.Go(func() {
			badErr = st.Update(context.Background(), func(txn *Txn) error {
				return txn.Set(append([]byte("misc/long/"), long...), []byte("v"))
			})
		})
		for st.waiting.Load() < n+2 {
			runtime.Gosched()
		}
		close(release)
		errs := wait()
		wg.Wait()
		if badErr == nil {
			t.Fatal("a key longer than the index takes was committed")
		}
		for i, err := range errs {
			if err != nil {
				t.Errorf("update %d, in the refused write's batch: %v", i, err)
			}
		}
		wantKeys(t, st, n)
	})

	// A function that goes on past a read the database failed (here it
	// swallows the error) does not make its batch's COMMIT, which the
	// database answers with ROLLBACK, look like a success: the other
	// Updates of the batch, whose writes went with that read, commit on
	// their own, and the function's Update fails.
	t.Run("SwallowedReadErrorIsNoSilentRollback", func(t *testing.T) {
		st := open(t)
		const n = 5
		release, wait := holdCommitter(t, st, n, nil)
		var badErr error
		var wg sync.WaitGroup
		wg.Go(func() {
			badErr = st.Update(context.Background(), func(txn *Txn) error {
				var x int
				if err := txn.pg.queryRow(`SELECT 1/0`, nil, &x); err == nil {
					return errors.New("1/0 answered")
				}
				return nil // gone on past it
			})
		})
		for st.waiting.Load() < n+2 {
			runtime.Gosched()
		}
		close(release)
		errs := wait()
		wg.Wait()
		if !errors.Is(badErr, errRolledBack) {
			t.Errorf("the update that went on past its failed read returned %v, want %v", badErr, errRolledBack)
		}
		st.View(func(txn *Txn) error {
			for i := range n {
				if _, err := txn.Get(fmt.Appendf(nil, "k%03d", i)); errs[i] != nil || err != nil {
					t.Errorf("update %d: returned %v, its key: %v", i, errs[i], err)
				}
			}
			return nil
		})
	})

	// A View that said its next read was its last (Txn.Last): a read or
	// a write after it fails, and so does the View that went on past a
	// read the database failed; the connection goes back to the pool
	// out of its transaction.
	t.Run("ViewAfterLast", func(t *testing.T) {
		st := open(t)
		ctx := context.Background()
		if err := st.Update(ctx, func(txn *Txn) error { return txn.Set([]byte("misc/a"), []byte("a")) }); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			fn   func(txn *Txn) error
		}{
			{"ReadAfter", func(txn *Txn) error {
				txn.Last()
				if v, err := txn.Get([]byte("misc/a")); err != nil || string(v) != "a" {
					return fmt.Errorf("its last read: %q, %v", v, err)
				}
				if _, err := txn.Get([]byte("misc/a")); err != nil {
					return fmt.Errorf("a read it made again, answered from cache: %w", err)
				}
				if _, err := txn.Get([]byte("misc/b")); !errors.Is(err, errViewEnded) {
					return nil // must fail: the View's error is what it returns
				}
				return errViewEnded
			}},
			{"WriteAfter", func(txn *Txn) error {
				txn.Last()
				if _, err := txn.Get([]byte("misc/a")); err != nil {
					return err
				}
				return txn.Set([]byte("misc/w"), []byte("w"))
			}},
			{"SwallowedReadError", func(txn *Txn) error {
				txn.Last()
				var x int
				if err := txn.pg.queryRow(`SELECT 1/0`, nil, &x); err == nil {
					return errors.New("1/0 answered")
				}
				return nil // gone on past it
			}},
		} {
			if err := st.View(c.fn); err == nil {
				t.Errorf("%s: the View succeeded", c.name)
			}
		}
		if _, err := st.pg.pool.Exec(ctx, `SELECT 1`); err != nil {
			t.Errorf("the pool after them: %v", err)
		}
		if err := st.View(func(txn *Txn) error {
			if _, err := txn.Get([]byte("misc/w")); !errors.Is(err, ErrNotFound) {
				return fmt.Errorf("the write after Last is there (%v)", err)
			}
			return nil
		}); err != nil {
			t.Error(err)
		}
	})

	// The same alone in its transaction, with a serialization failure:
	// the Update runs again instead of failing (or succeeding with
	// nothing committed).
	t.Run("SwallowedSerializationFailureRunsAgain", func(t *testing.T) {
		st := open(t)
		runs := 0
		err := st.Update(context.Background(), func(txn *Txn) error {
			runs++
			if runs == 1 {
				var x int
				err := txn.pg.queryRow(`DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$`, nil, &x)
				if !retryable(err) {
					return fmt.Errorf("the raised serialization failure: %v", err)
				}
			}
			return txn.Set([]byte("misc/again"), fmt.Append(nil, runs))
		})
		if err != nil {
			t.Fatal(err)
		}
		if runs != 2 {
			t.Errorf("the function ran %d times, want 2", runs)
		}
		st.View(func(txn *Txn) error {
			if v, err := txn.Get([]byte("misc/again")); err != nil || string(v) != "2" {
				t.Errorf("misc/again = %q, %v; want the second run's 2", v, err)
			}
			return nil
		})
	})

	t.Run("PanickingUpdateFailsAlone", func(t *testing.T) {
		st := open(t)
		const n = 5
		release, wait := holdCommitter(t, st, n, map[int]bool{2: true})
		close(release)
		errs := wait()
		if errs[2] == nil {
			t.Errorf("the failing update returned nil")
		}
		err := st.Update(context.Background(), func(txn *Txn) error {
			txn.Set([]byte("half"), []byte("written"))
			var m map[string]int
			m["boom"]++ // a bug in a caller's function
			return nil
		})
		if err == nil || !strings.Contains(err.Error(), "panicked") {
			t.Fatalf("a panicking update returned %v", err)
		}
		st.View(func(txn *Txn) error {
			if _, err := txn.Get([]byte("half")); !errors.Is(err, ErrNotFound) {
				t.Errorf("the panicking update's write was committed (%v)", err)
			}
			for i := range n {
				if _, err := txn.Get(fmt.Appendf(nil, "k%03d", i)); (i != 2) != (err == nil) {
					t.Errorf("k%03d: %v (update returned %v)", i, err, errs[i])
				}
			}
			return nil
		})
	})
}

// wantKeys checks that the keys k000 … k(n-1) the subtests write were
// committed.
func wantKeys(t *testing.T, st *Store, n int) {
	t.Helper()
	st.View(func(txn *Txn) error {
		for i := range n {
			if _, err := txn.Get(fmt.Appendf(nil, "k%03d", i)); err != nil {
				t.Errorf("k%03d: %v", i, err)
			}
		}
		return nil
	})
}

// forceGenericPlans makes txn's statements use generic plans, as a
// prepared statement does after its fifth run. A read first: it begins
// the transaction, without which SET LOCAL does nothing.
func forceGenericPlans(ctx context.Context, txn *Txn) error {
	if _, err := txn.Get([]byte("misc/none")); !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("get: %w", err)
	}
	_, err := txn.pg.tx.Exec(ctx, `SET LOCAL plan_cache_mode = force_generic_plan`)
	return err
}

// kvRowsRead is how many rows of kv txn's statements have read so far.
func kvRowsRead(ctx context.Context, txn *Txn) (int64, error) {
	var n int64
	err := txn.pg.tx.QueryRow(ctx, `SELECT coalesce(idx_tup_fetch, 0) + coalesce(seq_tup_read, 0) FROM pg_stat_xact_user_tables WHERE relname = 'kv'`).Scan(&n)
	return n, err
}

// behindHeld runs n Updates, each fn(i) (its error the Update's), queued
// behind one the committer holds, so that they commit in batches of
// their own once it is let go; an Update that fails is the test's error.
func behindHeld(t *testing.T, st *Store, n int, fn func(i int) error) {
	t.Helper()
	release, wait := holdCommitter(t, st, 0, nil)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = fn(i) })
	}
	for st.waiting.Load() < int64(n)+1 {
		runtime.Gosched()
	}
	close(release)
	wait()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("update %d: %v", i, err)
		}
	}
}
