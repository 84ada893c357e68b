package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultConnectTimeout bounds one connection attempt to the database
// (TCP, TLS and the start-up exchange) when the DSN sets no
// connect_timeout. Without it pgx waits as long as the operating system
// does (minutes behind a network that drops packets), and a commit waits
// for its connection without a deadline (pgRun does not cancel), so an
// SMTP session would hang instead of getting its 451.
const DefaultConnectTimeout = 5 * time.Second

// pgPoolConfig parses dsn for the store's pool, with DefaultConnectTimeout
// unless the DSN (or PGCONNECT_TIMEOUT) sets a timeout of its own.
func pgPoolConfig(dsn string) (*pgxpool.Config, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	return cfg, nil
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
