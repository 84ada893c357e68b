package customers

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
	"github.com/frontdesk-mail/frontdesk/store"
)

// On PostgreSQL an erasure succeeds (it used to fail at its end, in a
// purge of Badger's files, after deleting everything, and left a purge
// pending that failed at every start): no row holds the customer's words,
// the tables were vacuumed, and the report says what PostgreSQL keeps on
// disk (it does not overwrite deleted rows' bytes, measured here in the
// table files after a checkpoint).
func TestErasePostgres(t *testing.T) {
	ctx := context.Background()
	dsn := testenv.StartPostgres(t)
	if err := store.Migrate(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open("", store.Options{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const token = "TOKEN-pg-Vq71"
	conversation(t, st, "SUP-1", "ann@example.com", token)
	other := conversation(t, st, "SUP-3", "bob@example.org", "bobs-own-words")

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var dataDir string
	if err := conn.QueryRow(ctx, "SHOW data_directory").Scan(&dataDir); err != nil {
		t.Fatal(err)
	}
	checkpoint := func() []string { // table files holding the token, WAL left out
		t.Helper()
		if _, err := conn.Exec(ctx, "CHECKPOINT"); err != nil {
			t.Fatal(err)
		}
		return testenv.FilesContaining(t, filepath.Join(dataDir, "base"), []byte(token))
	}
	if len(checkpoint()) == 0 {
		t.Fatal("the token is in no table file: the test proves nothing")
	}

	rep, err := Erase(ctx, st, "ann@example.com", EraseOptions{Now: t0, By: "test"})
	if err != nil {
		t.Fatalf("erase on PostgreSQL: %v", err)
	}
	if rep.PurgePending || rep.Audit.Tickets != 1 || rep.Audit.Mail != 2 {
		t.Errorf("report = %+v", rep)
	}
	if done, err := FinishPurge(ctx, st); err != nil || done {
		t.Errorf("a purge is left pending: %v %v", done, err)
	}
	if !strings.Contains(rep.Remains, "PostgreSQL") {
		t.Errorf("the report does not say what PostgreSQL keeps: %q", rep.Remains)
	}
	var rows int
	err = conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM kv WHERE position($1::bytea in value) > 0) +
		(SELECT count(*) FROM mail WHERE position($1::bytea in data) > 0)`, []byte(token)).Scan(&rows)
	if err != nil || rows != 0 {
		t.Errorf("%d rows still hold the token (%v)", rows, err)
	}
	var vacuumed int
	err = conn.QueryRow(ctx, `SELECT count(*) FROM pg_stat_user_tables WHERE relname IN ('kv', 'mail') AND last_vacuum IS NOT NULL`).Scan(&vacuumed)
	if err != nil || vacuumed != 2 {
		t.Errorf("%d of kv and mail were vacuumed (%v)", vacuumed, err)
	}
	t.Logf("table files holding the token after the erasure and a checkpoint: %v", checkpoint())

	if h, err := Find(st, "ann@example.com"); err != nil || len(h.Mail)+len(h.Tickets) != 0 {
		t.Errorf("after erasure Find = %+v %v", h, err)
	}
	err = st.View(func(txn *store.Txn) error {
		raw, err := txn.GetRaw(other.BodyID)
		if err != nil || !bytes.Contains(raw, []byte("bobs-own-words")) {
			t.Errorf("bob's mail: %q %v", raw, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
