package store_test

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/store/storetest"
)

// TestBadgerContract runs the store contract against the Badger store as
// serve opens it: synced writes, the spool of mail beside it and the
// identity file that keeps sequences from repeating.
func TestBadgerContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dir string) *store.Store {
		s, err := store.Open(filepath.Join(dir, "store"), store.Options{
			SyncWrites:   true,
			SpoolDir:     filepath.Join(dir, "mail"),
			IdentityFile: filepath.Join(dir, "store.json"),
		})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestPostgresContract runs the same contract against the PostgreSQL
// backend on a private cluster: each data dir the suite opens is one
// database, created and migrated the first time it is opened.
func TestPostgresContract(t *testing.T) {
	dsn := testenv.StartPostgres(t)
	base, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close(ctx) })
	var mu sync.Mutex
	dbs := map[string]string{}
	open := func(t *testing.T, dir string) *store.Store {
		mu.Lock()
		db, ok := dbs[dir]
		if !ok {
			db = fmt.Sprintf("frontdesk_%d", len(dbs))
			dbs[dir] = db
			if _, err := admin.Exec(ctx, "CREATE DATABASE "+db); err != nil {
				mu.Unlock()
				t.Fatal(err)
			}
		}
		mu.Unlock()
		u := *base
		u.Path = "/" + db
		if !ok {
			if err := store.Migrate(ctx, u.String()); err != nil {
				t.Fatal(err)
			}
		}
		s, err := store.Open("", store.Options{DSN: u.String()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	storetest.Run(t, open)
	t.Run("Shared", func(t *testing.T) { storetest.RunShared(t, open) })
}
