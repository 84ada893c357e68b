package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
)

// SchemaVersionAt is the schema version of the database at dsn: 0 for a
// database without Frontdesk's schema (Migrate creates it).
func SchemaVersionAt(ctx context.Context, dsn string) (int, error) {
	conn, err := pgConnect(ctx, dsn)
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	v, err := schemaVersion(ctx, conn)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42P01" { // undefined_table: no schema_version yet
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}

// Ping reports whether the store can commit now: on PostgreSQL a round
// trip to the database within ctx (a node that cannot reach it must not
// look ready); a Badger store in this process always can.
func (s *Store) Ping(ctx context.Context) error {
	if s.pg == nil {
		return nil
	}
	if !s.pg.enter() {
		return ErrClosed
	}
	defer s.pg.busy.Done()
	if err := s.pg.pool.Ping(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	return nil
}

// Postgres reports whether the store is a PostgreSQL database.
func (s *Store) Postgres() bool { return s.pg != nil }

// PurgeLeaves says what Purge cannot remove from disk, "" when nothing.
func (s *Store) PurgeLeaves() string {
	if s.pg == nil {
		return ""
	}
	return "PostgreSQL: the rows are deleted and the tables vacuumed, but the database does not overwrite " +
		"their bytes: they stay in free space of its table files, its WAL and its backups until overwritten " +
		"(VACUUM FULL kv, mail rewrites the tables, under an exclusive lock)"
}

// vacuum is Purge on PostgreSQL: VACUUM removes the dead row versions
// of kv and mail that deletions and updates left behind. A role that does
// not own the tables gets a warning from the database, not an error.
func (b *pgBackend) vacuum(ctx context.Context) error {
	if _, err := b.pool.Exec(ctx, "VACUUM kv, mail"); err != nil {
		return fmt.Errorf("purge: vacuum: %w", err)
	}
	return nil
}
