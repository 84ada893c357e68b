package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/gateway"
	"github.com/frontdesk-mail/frontdesk/internal/testenv"
	"github.com/frontdesk-mail/frontdesk/store"
)

// TestStoreMigrateCommand: `store migrate` creates the schema and says
// so in text and --json, without the DSN's password; `store copy` needs
// both --from and --to, and the other subcommands take neither.
func TestStoreMigrateCommand(t *testing.T) {
	for _, args := range [][]string{
		{"store"}, {"store", "mend"}, {"store", "copy", "--from", "data"}, {"store", "copy", "--to", "postgres://h/db"},
		{"store", "check", "--from", "data"}, {"store", "migrate", "extra"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 2 || !strings.Contains(errb.String(), "usage: frontdesk store") {
			t.Errorf("%q: exit %d, stderr %q; want 2 and the usage", args, code, errb.String())
		}
	}
	dsn := testenv.StartPostgres(t)
	if dsn == "" {
		return
	}
	dsn = strings.Replace(dsn, "postgres@", "postgres:hunter2@", 1) // trusted: any password connects
	cfg := filepath.Join(t.TempDir(), "frontdesk.yaml")
	os.WriteFile(cfg, []byte("store:\n  backend: postgres\n  dsn: \""+dsn+"\"\n"), 0o644)
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"store", "migrate", "-c", cfg}, &out, &errb); code != 0 || !strings.Contains(out.String(), "schema created, version") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
	out.Reset()
	if code := run(context.Background(), []string{"store", "migrate", "-c", cfg, "--json"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	var m struct {
		Database      string
		Before, After int
	}
	if err := json.Unmarshal(out.Bytes(), &m); err != nil || m.Before != store.SchemaVersion || m.After != store.SchemaVersion {
		t.Errorf("--json %q: %+v, %v", out.String(), m, err)
	}
	if strings.Contains(out.String()+errb.String(), "hunter2") || !strings.Contains(m.Database, "xxxxx") {
		t.Errorf("the password shows: %q %q", out.String(), errb.String())
	}
}

// TestStoreCopyCommand: `store copy --json` on a stopped data dir made
// with the store's own APIs (spooled mail, a ticket, a deadline, a queue
// item) prints both sides' counts, progress on stderr, and a second copy
// into the now non-empty database exits 1 saying so.
func TestStoreCopyCommand(t *testing.T) {
	pgDSN := testenv.StartPostgres(t)
	if pgDSN == "" {
		return
	}
	data := t.TempDir()
	st, err := store.Open(filepath.Join(data, "store"), gateway.StoreOptions(data, true, nil))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 3 {
		mail, err := st.Spool([]byte(fmt.Sprintf("Subject: kettle %d\r\n\r\nbroken\r\n", i)))
		if err != nil {
			t.Fatal(err)
		}
		err = st.Update(ctx, func(txn *store.Txn) error {
			id := fmt.Sprintf("m%d", i)
			if err := txn.PutMessage(&store.Message{ID: id}, mail); err != nil {
				return err
			}
			for _, k := range []string{store.PrefixTicket + "SUP-100" + id[1:], store.PrefixDue + id, store.PrefixQueue + id} {
				if err := txn.Set([]byte(k), []byte(`{"id":"`+id+`"}`)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	var out, errb bytes.Buffer
	if code := run(ctx, []string{"store", "copy", "--from", data, "--to", pgDSN, "--json"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var res struct{ Source, Copied store.Counts }
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	for _, c := range []store.Counts{res.Source, res.Copied} {
		if c.Mails != 3 || c.Messages != 3 || c.Tickets != 3 || c.Deadlines != 3 || c.QueueItems != 3 {
			t.Errorf("counts %+v, want 3 of each", c)
		}
	}
	if !strings.Contains(errb.String(), " keys, 3 mails (") {
		t.Errorf("progress on stderr: %q", errb.String())
	}
	out.Reset()
	errb.Reset()
	if code := run(ctx, []string{"store", "copy", "--from", data, "--to", pgDSN}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "the database is not empty") {
		t.Errorf("second copy: exit %d, stderr %q", code, errb.String())
	}
	// A --from that is not a data dir says what --from wants; store copy
	// has no -c to point at (the admin commands' message did).
	for _, from := range []string{filepath.Join(data, "nothing-here"), filepath.Dir(data)} {
		errb.Reset()
		code := run(ctx, []string{"store", "copy", "--from", from, "--to", pgDSN}, &out, &errb)
		if code != 1 || !strings.Contains(errb.String(), "--from "+from+": ") || !strings.Contains(errb.String(), "data_dir of the stopped") || strings.Contains(errb.String(), "-c") {
			t.Errorf("copy --from %s: exit %d, stderr %q", from, code, errb.String())
		}
	}
}
