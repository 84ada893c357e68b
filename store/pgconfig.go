package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultConnectTimeout bounds one connection attempt to the database
// (TCP, TLS and the start-up exchange) when the DSN sets no
// connect_timeout. Without it pgx waits as long as the operating system
// does (minutes behind a network that drops packets), and a commit waits
// for its connection without a deadline (pgRun does not cancel), so an
// SMTP session would hang instead of getting its 451.
const DefaultConnectTimeout = 5 * time.Second

// DefaultMaxConns is the size of a store's pool of connections when the
// DSN sets no pool_max_conns. pgx's own default (4, or the number of
// CPUs) would make a busy node's SMTP sessions queue for a connection:
// every session inside DATA holds one for its commit, and PostgreSQL
// commits waiting transactions together (one WAL flush for many), so more
// connections means more commits per flush.
const DefaultMaxConns = 20

// pgPoolConfig parses dsn for the store's pool, with DefaultConnectTimeout
// unless the DSN (or PGCONNECT_TIMEOUT) sets a timeout of its own, and
// DefaultMaxConns unless it sets pool_max_conns.
func pgPoolConfig(dsn string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if v, ok := cfg.ConnConfig.RuntimeParams["synchronous_commit"]; ok && v != "on" && v != "remote_apply" {
		return nil, fmt.Errorf("synchronous_commit=%s: a 250 must mean the mail is committed to disk (and to the synchronous standby, if any); leave it out (on) or ask for remote_apply", v)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = DefaultMaxConns
	}
	var set []string
	for _, p := range pgSessionSettings {
		if _, ok := cfg.ConnConfig.RuntimeParams[p.name]; !ok {
			set = append(set, `SET `+p.name+` = `+p.value)
		}
	}
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		m := conn.TypeMap()
		m.TryWrapEncodePlanFuncs = append([]pgtype.TryWrapEncodePlanFunc{presizeByteaRows}, m.TryWrapEncodePlanFuncs...)
		return pgSessionSetup(ctx, conn, set)
	}
	return cfg, nil
}

// pgSessionSettings are set on each of the store's connections, unless
// the DSN sets them itself (pgPoolConfig):
//
//   - default_toast_compression = lz4: large values (a mail's data,
//     which the mail table holds) compressed with lz4 instead of
//     PostgreSQL's default pglz: a 4 KB mail cost the database about
//     20 µs of pglz per insert, an eighth of its CPU per accepted mail
//     (BenchmarkAcceptPostgres), and lz4 a few. How a value is
//     compressed is the server's business: reads are the same, and
//     values already written keep theirs.
//
//   - enable_bitmapscan = off, enable_seqscan = off: every statement of
//     the store is a lookup of a primary key or a walk of one in key
//     order with a LIMIT, for which the index scan in key order is the
//     plan that reads least, whatever the table holds. Otherwise a
//     prepared statement's generic plan (PostgreSQL's after five runs,
//     kept until the table's statistics change) made while a range held
//     a few rows reads the whole range and sorts it to return its first
//     16: the SLA scanner's walk of the deadline index read 724 rows per
//     walk after 6,000 mails, and the database's CPU per mail doubled
//     within three rounds of bench/compare-postfix.sh's pg-c20-4k. These
//     only make the other plans look dear to the planner: a statement
//     that has no index to use still runs.
//
//   - synchronous_commit = on: a commit is acknowledged once it is on
//     disk, and on the synchronous standby if there is one: what a 250
//     promises. A server, database or role whose default is off, local
//     or remote_write (a DBA's tuning for other applications) would
//     otherwise make the store acknowledge mail that a crash of the
//     database loses. A DSN may ask for remote_apply, which is stronger;
//     pgPoolConfig refuses the weaker ones there.
//
// A server that has no such setting (before PostgreSQL 14 for the
// first, CockroachDB, YugabyteDB) or no lz4 (built without it) refuses
// it, and keeps what it does.
var pgSessionSettings = []struct{ name, value string }{
	{"default_toast_compression", "lz4"},
	{"enable_bitmapscan", "off"},
	{"enable_seqscan", "off"},
	{"synchronous_commit", "on"},
}

// pgSessionSetup runs the SET statements of pgSessionSettings on a new
// connection, each on its own: one the server refuses is ignored.
func pgSessionSetup(ctx context.Context, conn *pgx.Conn, set []string) error {
	for _, q := range set {
		_, err := conn.Exec(ctx, q)
		var pe *pgconn.PgError
		if err != nil && !errors.As(err, &pe) {
			return err
		}
	}
	return nil
}

// seqPoolConns is the size of the separate pool that leases sequence
// numbers. A ticket number is leased inside an Update, which holds a
// connection of the main pool: leasing on that pool too would deadlock
// once every connection is held by an Update waiting for a number. The
// sequence pool's connections are never held across anything else.
const seqPoolConns = 2

// seqPoolConfig is cfg for the sequence pool.
func seqPoolConfig(cfg *pgxpool.Config) *pgxpool.Config {
	c := cfg.Copy()
	c.MaxConns = seqPoolConns
	c.MinConns = 0
	return c
}

// pgConnect opens one connection to dsn with the pool's defaults, for the
// administrative commands (migrate, schema version).
func pgConnect(ctx context.Context, dsn string) (*pgx.Conn, error) {
	cfg, err := pgPoolConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("connection string: %w", err)
	}
	return pgx.ConnectConfig(ctx, cfg.ConnConfig)
}
