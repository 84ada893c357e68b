package gateway

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// After `store copy` the Badger store and its spool stay in data_dir,
// holding every mail they had, and nothing a node on PostgreSQL does
// reaches them: the copy says so, and an erasure names them as not
// reached (audit 4: `customers erase` on the database answered as if
// complete while data_dir/mail and data_dir/store still held the
// customer's mail). With them removed the erasure names nothing.
func TestEraseAfterStoreCopyNamesTheBadgerStoreLeft(t *testing.T) {
	pg := startPG(t)
	ctx := context.Background()
	dir := t.TempDir()
	g := startGatewayIn(t, dir, slaRules, "")
	send(t, g.SMTPAddr().String(), "support@support.test", "broken kettle")
	data := filepath.Join(dir, "data")
	waitFile(t, filepath.Join(data, "mailboxes", "support"), "Subject: broken kettle")
	g.stop(t)
	dsn := pg.newDB(t)
	res, err := CopyStore(ctx, data, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	res.WriteText(&b)
	if !strings.Contains(b.String(), "still holds the Badger store") {
		t.Errorf("the copy does not say that %s still holds the Badger store:\n%s", data, b.String())
	}

	a, err := OpenAdmin(pgConfig(t, dir, dsn))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	rep, err := a.Erase(ctx, "carol@customer.test", "test", false)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Audit.Mail == 0 {
		t.Fatalf("nothing erased in the database: %+v", rep.Audit)
	}
	if len(testenv.FilesContaining(t, filepath.Join(data, "mail"), []byte("carol@customer.test")))+
		len(testenv.FilesContaining(t, filepath.Join(data, "store"), []byte("carol@customer.test"))) == 0 {
		t.Fatal("the Badger store left in data_dir does not hold the customer: the test proves nothing")
	}
	for _, p := range []string{filepath.Join(data, "store"), filepath.Join(data, "mail")} {
		if !strings.Contains(rep.NotReached, p) {
			t.Errorf("the erasure's report does not name %s, which it did not reach: %q", p, rep.NotReached)
		}
	}
	if !strings.Contains(strings.Join(rep.Notes(), "\n"), rep.NotReached) {
		t.Errorf("the notes printed %q leave out what was not reached", rep.Notes())
	}

	for _, p := range []string{"store", "mail"} {
		if err := os.RemoveAll(filepath.Join(data, p)); err != nil {
			t.Fatal(err)
		}
	}
	a2, err := OpenAdmin(pgConfig(t, dir, dsn)) // an erasure closes the admin's store
	if err != nil {
		t.Fatal(err)
	}
	defer a2.Close()
	if rep, err := a2.Erase(ctx, "dave@customer.test", "test", true); err != nil || rep.NotReached != "" {
		t.Errorf("with the Badger store removed: %q, %v; want nothing named", rep.NotReached, err)
	}
}
