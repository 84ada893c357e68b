package store

import (
	"bytes"
	"testing"
	"time"
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
