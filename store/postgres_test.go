package store_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
	"github.com/frontdesk-mail/frontdesk/store"
)

// pgCluster is a private PostgreSQL whose newDB hands out empty databases.
type pgCluster struct {
	admin *pgx.Conn
	base  url.URL
	n     int
}

func startPG(t *testing.T) *pgCluster {
	dsn := testenv.StartPostgres(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close(context.Background()) })
	return &pgCluster{admin: admin, base: *u}
}

func (c *pgCluster) newDB(t *testing.T) string {
	c.n++
	name := fmt.Sprintf("db_%d", c.n)
	if _, err := c.admin.Exec(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	u := c.base
	u.Path = "/" + name
	return u.String()
}

func openPG(t *testing.T, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open("", store.Options{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestPostgresBackend: what the contract cannot say about one backend —
// the schema check, walks longer than one query's page, and two stores
// (two nodes) on one database.
func TestPostgresBackend(t *testing.T) {
	pg := startPG(t)
	ctx := context.Background()

	t.Run("SchemaChecked", func(t *testing.T) {
		dsn := pg.newDB(t)
		if _, err := store.Open("", store.Options{DSN: dsn}); err == nil || !strings.Contains(err.Error(), "frontdesk store migrate") {
			t.Fatalf("Open without a schema: %v, want a pointer to `frontdesk store migrate`", err)
		}
		for range 2 { // the second is a no-op
			if err := store.Migrate(ctx, dsn); err != nil {
				t.Fatal(err)
			}
		}
		openPG(t, dsn).Close()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, store.SchemaVersion+1); err != nil {
			t.Fatal(err)
		}
		if _, err := store.Open("", store.Options{DSN: dsn}); err == nil || !strings.Contains(err.Error(), "schema version") {
			t.Errorf("Open of a newer schema: %v", err)
		}
		if err := store.Migrate(ctx, dsn); err == nil || !strings.Contains(err.Error(), "newer than this build") {
			t.Errorf("Migrate of a newer schema: %v", err)
		}
	})

	// Several `store migrate` at once on a new database (every node's
	// deployment running it, an ExecStartPre): each one returns with the
	// schema made, none fails on the others' tables or version row. Before,
	// all but one failed with PostgreSQL's duplicate-key errors (on
	// pg_type for the CREATE TABLE IF NOT EXISTS, on schema_version's key).
	t.Run("ConcurrentMigrate", func(t *testing.T) {
		for range 4 {
			dsn := pg.newDB(t)
			var wg sync.WaitGroup
			errs := make([]error, 6)
			start := make(chan struct{})
			for i := range errs {
				wg.Go(func() {
					<-start
					errs[i] = store.Migrate(ctx, dsn)
				})
			}
			close(start)
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("Migrate %d of %d at once: %v", i+1, len(errs), err)
				}
			}
			if v, err := store.SchemaVersionAt(ctx, dsn); err != nil || v != store.SchemaVersion {
				t.Fatalf("schema version after the migrations: %d, %v", v, err)
			}
			openPG(t, dsn).Close()
		}
	})

	// A mail's data is compressed with lz4, not the server's default
	// pglz (far more CPU), unless the DSN names a method itself.
	t.Run("MailCompressedWithLZ4", func(t *testing.T) {
		raw := []byte(strings.Repeat("Subject: the printer\r\n\r\nIt prints nothing at all.\r\n", 200))
		for _, c := range []struct{ param, want string }{{"", "lz4"}, {"default_toast_compression=pglz", "pglz"}} {
			dsn := pg.newDB(t)
			if err := store.Migrate(ctx, dsn); err != nil {
				t.Fatal(err)
			}
			if c.param != "" {
				sep := "?"
				if strings.Contains(dsn, "?") {
					sep = "&"
				}
				dsn += sep + c.param
			}
			s := openPG(t, dsn)
			if err := s.Update(ctx, func(txn *store.Txn) error { return txn.PutRaw("m1", raw) }); err != nil {
				t.Fatal(err)
			}
			conn, err := pgx.Connect(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			var method *string
			err = conn.QueryRow(ctx, `SELECT pg_column_compression(data) FROM mail WHERE id = 'm1'`).Scan(&method)
			conn.Close(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if method == nil {
				t.Errorf("DSN %q: the mail's data is not compressed, want %s", c.param, c.want)
			} else if *method != c.want {
				t.Errorf("DSN %q: the mail's data compressed with %s, want %s", c.param, *method, c.want)
			}
			var got []byte
			if err := s.View(func(txn *store.Txn) error {
				var err error
				got, err = txn.GetRaw("m1")
				return err
			}); err != nil || string(got) != string(raw) {
				t.Errorf("DSN %q: the mail read back: %d bytes, %v", c.param, len(got), err)
			}
		}
	})

	t.Run("LongWalks", func(t *testing.T) {
		dsn := pg.newDB(t)
		if err := store.Migrate(ctx, dsn); err != nil {
			t.Fatal(err)
		}
		s := openPG(t, dsn)
		const n = 700 // more than two pages
		var want []string
		err := s.Update(ctx, func(txn *store.Txn) error {
			for i := range n {
				k := fmt.Sprintf("ix/p/%05d", i)
				want = append(want, k)
				if err := txn.Set([]byte(k), []byte(k)); err != nil {
					return err
				}
			}
			return txn.Set([]byte("ix/q/0"), []byte("outside"))
		})
		if err != nil {
			t.Fatal(err)
		}
		var fwd, rev []string
		err = s.View(func(txn *store.Txn) error {
			// fn uses the transaction during the walk, as indexes do.
			err := txn.Iterate([]byte("ix/p/"), nil, false, func(k, _ []byte) error {
				v, err := txn.Get(k)
				if err != nil || string(v) != string(k) {
					return fmt.Errorf("Get(%s) in a walk = %q, %v", k, v, err)
				}
				fwd = append(fwd, string(k))
				return nil
			})
			if err != nil {
				return err
			}
			return txn.IterateReverse([]byte("ix/p/"), true, func(k, v []byte) error {
				rev = append(rev, string(v))
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(fwd, want) {
			t.Errorf("forward walk: %d keys, want %d in order", len(fwd), len(want))
		}
		slices.Reverse(rev)
		if !slices.Equal(rev, want) {
			t.Errorf("reverse walk: %d keys, want %d in reverse order", len(rev), len(want))
		}
	})

	t.Run("BadgerOnly", func(t *testing.T) { testBadgerOnly(t, pg) })

	t.Run("DeadNetwork", func(t *testing.T) { testDeadNetwork(t, pg) })

	t.Run("NumbersInsideUpdates", func(t *testing.T) { testNumbersInsideUpdates(t, pg) })

	t.Run("RetriesCounted", func(t *testing.T) { testRetriesCounted(t, pg) })

	t.Run("TwoNodesOneSequence", func(t *testing.T) {
		dsn := pg.newDB(t)
		if err := store.Migrate(ctx, dsn); err != nil {
			t.Fatal(err)
		}
		nodes := []*store.Store{openPG(t, dsn), openPG(t, dsn)}
		var mu sync.Mutex
		seen := map[uint64]int{}
		var wg sync.WaitGroup
		for i, s := range nodes {
			wg.Go(func() {
				seq, err := s.Sequence(store.PrefixMisc+"ticket-seq", 5)
				if err != nil {
					t.Error(err)
					return
				}
				for range 50 {
					v, err := seq.Next()
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					if j, dup := seen[v]; dup {
						t.Errorf("number %d handed out by node %d and node %d", v, j, i)
					}
					seen[v] = i
					mu.Unlock()
				}
				// Giving back what is left must not let the other node's
				// later lease be reused.
				if err := seq.Release(); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		seq, err := nodes[0].Sequence(store.PrefixMisc+"ticket-seq", 1)
		if err != nil {
			t.Fatal(err)
		}
		v, err := seq.Next()
		if err != nil {
			t.Fatal(err)
		}
		if _, dup := seen[v]; dup || len(seen) != 100 {
			t.Errorf("after both nodes: next %d (reused: %v), %d distinct numbers, want 100", v, dup, len(seen))
		}
	})
}

// testBadgerOnly: what only Badger's files have is an error on
// PostgreSQL, never a nil-pointer panic in a running server.
func testBadgerOnly(t *testing.T, pg *pgCluster) {
	dsn := pg.newDB(t)
	if err := store.Migrate(context.Background(), dsn); err != nil {
		t.Fatal(err)
	}
	s := openPG(t, dsn)
	if _, err := s.Check(context.Background(), store.CheckOptions{}); err == nil || !strings.Contains(err.Error(), "PostgreSQL") {
		t.Errorf("Check: %v", err)
	}
	// Purge VACUUMs the tables instead (an erasure on PostgreSQL), and
	// says what the database keeps.
	if err := s.Purge(context.Background()); err != nil {
		t.Errorf("Purge: %v", err)
	}
	if !strings.Contains(s.PurgeLeaves(), "PostgreSQL") {
		t.Errorf("PurgeLeaves = %q", s.PurgeLeaves())
	}
	if n := s.Reclaim(); n != 0 {
		t.Errorf("Reclaim = %d", n)
	}
	if u := s.DiskUsage(); u != (store.Usage{}) {
		t.Errorf("DiskUsage = %+v", u)
	}
	if lsm, vlog := s.Size(); lsm != 0 || vlog != 0 {
		t.Errorf("Size = %d, %d", lsm, vlog)
	}
}

// cutProxy forwards TCP to a database until cut: then it drops every
// forwarded connection and accepts new ones without ever answering, as a
// dead network (or a firewall that drops packets) looks to a client.
type cutProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	cut    bool
	conns  []net.Conn
}

func startCutProxy(t *testing.T, target string) *cutProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target}
	t.Cleanup(func() {
		ln.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, c := range p.conns {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.conns = append(p.conns, c)
			cut := p.cut
			p.mu.Unlock()
			if cut {
				continue // held open, never answered
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	return p
}

// Cut drops the forwarded connections; later ones hang.
func (p *cutProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// testDeadNetwork: behind a network that swallows connections, a commit
// fails within the connect timeout (the session answers 451) instead of
// waiting for the operating system's minutes.
func testDeadNetwork(t *testing.T, pg *pgCluster) {
	dsn := pg.newDB(t)
	if err := store.Migrate(context.Background(), dsn); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy := startCutProxy(t, u.Host)
	u.Host = proxy.ln.Addr().String()
	s := openPG(t, u.String())
	put := func(k string) error {
		return s.Update(context.Background(), func(txn *store.Txn) error { return txn.Set([]byte(k), []byte("v")) })
	}
	if err := put("misc/before"); err != nil {
		t.Fatal(err)
	}
	proxy.Cut()
	budget := store.DefaultConnectTimeout + 5*time.Second
	for i := range 2 { // the pool's dropped connection, then a new one
		start := time.Now()
		done := make(chan error, 1)
		go func() { done <- put(fmt.Sprintf("misc/after-%d", i)) }()
		select {
		case err := <-done:
			if err == nil {
				t.Fatalf("commit %d behind a dead network succeeded", i)
			}
			t.Logf("commit %d failed after %v: %v", i, time.Since(start).Round(time.Millisecond), err)
		case <-time.After(budget):
			t.Fatalf("commit %d behind a dead network still waiting after %v", i, budget)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	if err := s.Ping(ctx); err == nil {
		t.Error("Ping behind a dead network succeeded")
	}
}

// testNumbersInsideUpdates: intake leases a ticket number inside its
// Update, which holds a connection of the pool; with more such Updates
// at once than the pool has connections, none may wait for ever for a
// second connection (SMTP sessions hung at the final dot).
func testNumbersInsideUpdates(t *testing.T, pg *pgCluster) {
	dsn := pg.newDB(t)
	if err := store.Migrate(context.Background(), dsn); err != nil {
		t.Fatal(err)
	}
	s := openPG(t, dsn+"&pool_max_conns=2")
	seq, err := s.Sequence(store.PrefixMisc+"ticket-seq", 1) // every Next leases
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	done := make(chan error, n)
	for i := range n {
		go func() {
			done <- s.Update(context.Background(), func(txn *store.Txn) error {
				v, err := seq.Next()
				if err != nil {
					return err
				}
				return txn.Set([]byte(fmt.Sprintf("misc/n-%d", i)), []byte(fmt.Sprint(v)))
			})
		}()
	}
	timeout := time.After(30 * time.Second)
	for i := range n {
		select {
		case err := <-done:
			if err != nil {
				t.Error(err)
			}
		case <-timeout:
			t.Fatalf("%d of %d Updates that lease a number are still waiting after 30 s (pool_max_conns=2)", n-i, n)
		}
	}
}

// testRetriesCounted: two Updates on two nodes (stores on one database)
// that each read a range and then write into it (write skew) cannot both
// commit under SERIALIZABLE; the losing store runs its Update again, both
// end up committed, and Stats.Retries (the metric
// frontdesk_store_retries_total) counts the run again. (One store's
// Updates share one transaction and never conflict with each other.)
func testRetriesCounted(t *testing.T, pg *pgCluster) {
	dsn := pg.newDB(t)
	if err := store.Migrate(context.Background(), dsn); err != nil {
		t.Fatal(err)
	}
	nodes := []*store.Store{openPG(t, dsn), openPG(t, dsn)}
	s := nodes[0]
	stats := func() store.Stats {
		a, b := nodes[0].Stats(), nodes[1].Stats()
		return store.Stats{Updates: a.Updates + b.Updates, Commits: a.Commits + b.Commits, Retries: a.Retries + b.Retries}
	}
	before := stats()
	var read sync.WaitGroup
	read.Add(2)
	errs := make(chan error, 2)
	for i := range 2 {
		go func() {
			first := true
			errs <- nodes[i].Update(context.Background(), func(txn *store.Txn) error {
				n := 0
				if err := txn.Iterate([]byte("misc/skew/"), nil, false, func(_, _ []byte) error { n++; return nil }); err != nil {
					return err
				}
				if first {
					// Both have read the range before either writes.
					first = false
					read.Done()
					read.Wait()
				}
				return txn.Set([]byte(fmt.Sprintf("misc/skew/%d", i)), []byte(fmt.Sprint(n)))
			})
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	after := stats()
	if after.Retries-before.Retries < 1 || after.Updates-before.Updates != 2 {
		t.Errorf("Stats before %+v, after %+v: want 2 updates and at least 1 retry", before, after)
	}
	// The loser ran again and saw the winner's key.
	var vals []string
	err := s.View(func(txn *store.Txn) error {
		return txn.Iterate([]byte("misc/skew/"), nil, true, func(_, v []byte) error { vals = append(vals, string(v)); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(vals)
	if !slices.Equal(vals, []string{"0", "1"}) {
		t.Errorf("values %v, want [0 1] (one committed first, the other saw it on its second run)", vals)
	}
}
