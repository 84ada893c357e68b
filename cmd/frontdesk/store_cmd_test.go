package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
