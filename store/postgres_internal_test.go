package store

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

func TestPrefixEnd(t *testing.T) {
	for _, c := range []struct{ prefix, want []byte }{
		{[]byte("ix/b/"), []byte("ix/b0")},
		{[]byte("a\xff"), []byte("b")},
		{[]byte("a\xfe\xff\xff"), []byte("a\xff")},
		{[]byte("\xff\xff"), nil},
		{nil, nil},
	} {
		if got := prefixEnd(c.prefix); !bytes.Equal(got, c.want) || (got == nil) != (c.want == nil) {
			t.Errorf("prefixEnd(%q) = %q, want %q", c.prefix, got, c.want)
		}
	}
}

// TestPgPoolConfigConnectTimeout: a DSN without connect_timeout gets
// DefaultConnectTimeout; one that sets it keeps its own, in both DSN forms.
func TestPgPoolConfigConnectTimeout(t *testing.T) {
	t.Setenv("PGCONNECT_TIMEOUT", "")
	for _, c := range []struct {
		dsn  string
		want time.Duration
	}{
		{"postgres://frontdesk@127.0.0.1/frontdesk", DefaultConnectTimeout},
		{"postgres://frontdesk@127.0.0.1/frontdesk?connect_timeout=2", 2 * time.Second},
		{"host=127.0.0.1 user=frontdesk dbname=frontdesk", DefaultConnectTimeout},
		{"host=127.0.0.1 user=frontdesk connect_timeout=30", 30 * time.Second},
	} {
		cfg, err := pgPoolConfig(c.dsn)
		if err != nil {
			t.Errorf("%s: %v", c.dsn, err)
			continue
		}
		if got := cfg.ConnConfig.ConnectTimeout; got != c.want {
			t.Errorf("%s: connect timeout %v, want %v", c.dsn, got, c.want)
		}
	}
	if _, err := pgPoolConfig("postgres://frontdesk@127.0.0.1/frontdesk?connect_timeout=soon"); err == nil {
		t.Error("connect_timeout=soon accepted")
	}
}

// TestPgPoolConfigMaxConns: the pool is DefaultMaxConns unless the DSN
// says pool_max_conns; the sequence pool is small either way.
func TestPgPoolConfigMaxConns(t *testing.T) {
	for _, c := range []struct {
		dsn  string
		want int32
	}{
		{"postgres://frontdesk@127.0.0.1/frontdesk", DefaultMaxConns},
		{"postgres://frontdesk@127.0.0.1/frontdesk?pool_max_conns=3", 3},
	} {
		cfg, err := pgPoolConfig(c.dsn)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.MaxConns != c.want {
			t.Errorf("%s: MaxConns %d, want %d", c.dsn, cfg.MaxConns, c.want)
		}
		if got := seqPoolConfig(cfg).MaxConns; got != seqPoolConns || cfg.MaxConns != c.want {
			t.Errorf("%s: sequence pool %d, want %d (and the main pool unchanged)", c.dsn, got, seqPoolConns)
		}
	}
}

// TestPgPoolConfigSynchronousCommit: a DSN may keep synchronous_commit at
// on or ask for remote_apply; off, local and remote_write would let the
// database acknowledge a commit, and Frontdesk a 250, before the mail is
// durable (on the disk, or on the synchronous standby), and are refused.
func TestPgPoolConfigSynchronousCommit(t *testing.T) {
	for _, c := range []struct {
		param string
		ok    bool
	}{{"", true}, {"on", true}, {"remote_apply", true}, {"off", false}, {"local", false}, {"remote_write", false}} {
		dsn := "postgres://frontdesk@127.0.0.1/frontdesk"
		if c.param != "" {
			dsn += "?synchronous_commit=" + c.param
		}
		_, err := pgPoolConfig(dsn)
		if (err == nil) != c.ok || (err != nil && !strings.Contains(err.Error(), "synchronous_commit="+c.param)) {
			t.Errorf("synchronous_commit=%q: %v, want accepted %v", c.param, err, c.ok)
		}
	}
}

// TestPostgresCommitsSynchronous: a database (or server) whose default is
// synchronous_commit = off does not weaken the store's commits: every
// connection of the store's pools runs with it on, so that a 250 still
// means the mail is on disk.
func TestPostgresCommitsSynchronous(t *testing.T) {
	dsn := testenv.StartPostgres(t)
	if dsn == "" {
		return
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for _, q := range []string{"CREATE DATABASE lax", "ALTER DATABASE lax SET synchronous_commit = off"} {
		if _, err := admin.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/lax"
	lax := u.String()
	conn, err := pgx.Connect(ctx, lax)
	if err != nil {
		t.Fatal(err)
	}
	var plain string
	err = conn.QueryRow(ctx, "SHOW synchronous_commit").Scan(&plain)
	conn.Close(ctx)
	if err != nil || plain != "off" {
		t.Fatalf("a plain connection to the database: synchronous_commit %q (%v), want off (the test proves nothing)", plain, err)
	}
	if err := Migrate(ctx, lax); err != nil {
		t.Fatal(err)
	}
	st, err := Open("", Options{DSN: lax})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for name, pool := range map[string]*pgxpool.Pool{"main": st.pg.pool, "sequence": st.pg.seq} {
		var conns []*pgxpool.Conn
		for range 2 { // two connections of each pool, both set up
			c, err := pool.Acquire(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
			var v string
			if err := c.QueryRow(ctx, "SHOW synchronous_commit").Scan(&v); err != nil || v != "on" {
				t.Errorf("%s pool: synchronous_commit %q (%v), want on", name, v, err)
			}
		}
		for _, c := range conns {
			c.Release()
		}
	}
}
