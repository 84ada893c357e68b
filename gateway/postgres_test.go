package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/internal/testenv"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/web"
)

// pgServer is a private PostgreSQL whose newDB hands out empty databases.
type pgServer struct {
	*testenv.Postgres
	mu sync.Mutex
	n  int
}

func startPG(t *testing.T) *pgServer {
	return &pgServer{Postgres: testenv.StartPostgresServer(t)}
}

// newDB creates an empty database and returns its DSN with a password in
// it (the cluster trusts loopback, so any password connects), which no
// message may show.
func (p *pgServer) newDB(t *testing.T) string {
	t.Helper()
	p.mu.Lock()
	p.n++
	name := fmt.Sprintf("gw_%d", p.n)
	p.mu.Unlock()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, p.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(p.DSN)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	u.User = url.UserPassword(u.User.Username(), "hunter2")
	return u.String()
}

// pgConfig is a gateway config on the database at dsn in dir.
func pgConfig(t *testing.T, dir, dsn string, extra ...string) *config.Config {
	t.Helper()
	f := filepath.Join(dir, "frontdesk.yaml")
	os.WriteFile(f, []byte(`hostname: frontdesk.test
domains: [support.test]
data_dir: data
smtp: {listen: "127.0.0.1:0"}
http: {listen: "127.0.0.1:0"}
store:
  backend: postgres
  dsn: "`+dsn+`"
`+strings.Join(extra, "")), 0o644)
	cfg, err := config.Load(f)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func noPassword(t *testing.T, what, s string) {
	t.Helper()
	if strings.Contains(s, "hunter2") {
		t.Errorf("%s shows the DSN's password: %s", what, s)
	}
}

// TestPostgresSchema: serve refuses a database without the schema, or
// with a newer one, naming `frontdesk store migrate`; MigrateStore
// creates it and says so; nothing shows the DSN's password.
func TestPostgresSchema(t *testing.T) {
	pg := startPG(t)
	ctx := context.Background()
	dsn := pg.newDB(t)
	cfg := pgConfig(t, t.TempDir(), dsn)

	_, err := New(ctx, Options{Config: cfg, Logger: testLogger(t)})
	if err == nil || !strings.Contains(err.Error(), "no Frontdesk schema (run `frontdesk store migrate`)") {
		t.Fatalf("New on an empty database: %v", err)
	}
	noPassword(t, "the error", err.Error())

	m, err := MigrateStore(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if m.Before != 0 || m.After != store.SchemaVersion || m.Known != store.SchemaVersion {
		t.Errorf("first migration %+v", m)
	}
	var b strings.Builder
	m.WriteText(&b)
	if !strings.Contains(b.String(), fmt.Sprintf("schema created, version %d", store.SchemaVersion)) {
		t.Errorf("migration printed %q", b.String())
	}
	noPassword(t, "migrate's output", b.String())
	if m, err = MigrateStore(ctx, cfg); err != nil || m.Before != m.After {
		t.Errorf("second migration %+v, %v", m, err)
	}

	g, err := New(ctx, Options{Config: cfg, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	g.Summary().WriteText(&b)
	if !strings.Contains(b.String(), "store:      postgres postgres://postgres:xxxxx@127.0.0.1:") {
		t.Errorf("summary:\n%s", b.String())
	}
	noPassword(t, "the summary", b.String())
	g.Close()

	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, store.SchemaVersion+1); err != nil {
		t.Fatal(err)
	}
	_, err = New(ctx, Options{Config: cfg, Logger: testLogger(t)})
	if err == nil || !strings.Contains(err.Error(), "frontdesk store migrate") || !strings.Contains(err.Error(), fmt.Sprintf("schema version %d", store.SchemaVersion+1)) {
		t.Errorf("New on a newer schema: %v", err)
	}
	if _, err := MigrateStore(ctx, cfg); err == nil || !strings.Contains(err.Error(), "newer than this build") {
		t.Errorf("MigrateStore on a newer schema: %v", err)
	}
	if _, err := CheckStore(ctx, cfg, false, nil, nil); err == nil || !strings.Contains(err.Error(), "store.backend is postgres") {
		t.Errorf("CheckStore on PostgreSQL: %v", err)
	}
	bad := *cfg
	bad.Store = config.Store{Backend: config.BackendBadger}
	if _, err := MigrateStore(ctx, &bad); err == nil || !strings.Contains(err.Error(), "store.backend is badger") {
		t.Errorf("MigrateStore on Badger: %v", err)
	}
}

// slaRules give every ticket deadlines, so a copy has some to copy.
const slaRules = `departments:
  support:
    addresses: [support]
    mailbox: support-team@agents.test
    sla: {first_response: 4h, resolution: 3d}
default_department: support
`

// TestStoreCopy: a Badger data dir made by a gateway (tickets, deadlines,
// spooled mail, acknowledgements, rate limits, the ticket sequence, the
// status key) is copied into PostgreSQL with matching counts, and a
// gateway on the database reads it all: the mail, the same status key,
// ticket numbers above the old ones. A running store and a database that
// holds anything are refused.
func TestStoreCopy(t *testing.T) {
	pg := startPG(t)
	ctx := context.Background()
	dir := t.TempDir()
	g := startGatewayIn(t, dir, slaRules, "")
	for i := range 3 {
		send(t, g.SMTPAddr().String(), "support@support.test", fmt.Sprintf("broken kettle %d", i))
	}
	data := filepath.Join(dir, "data")
	for i := range 3 {
		waitFile(t, filepath.Join(data, "mailboxes", "support"), fmt.Sprintf("Subject: broken kettle %d", i))
	}
	key, err := web.ReadKey(data)
	if err != nil {
		t.Fatal(err)
	}
	dsn := pg.newDB(t)
	if _, err := CopyStore(ctx, data, dsn, nil); err == nil || !strings.Contains(err.Error(), "in use by a running server") {
		t.Fatalf("copy of a running server's store: %v", err)
	}
	g.stop(t)

	// A copy interrupted after its rows were written (here by its context,
	// ended at the last progress report, before the counts are checked;
	// in life a signal, a lost connection, a failed check) leaves a
	// database that no server opens and no copy fills, each saying why:
	// else a node started on it would serve part of the install, with the
	// ticket numbers it had already handed out.
	interrupted := pg.newDB(t)
	cctx, cancel := context.WithCancel(ctx)
	if _, err := CopyStore(cctx, data, interrupted, func(CopyProgress) { cancel() }); err == nil {
		t.Fatal("a copy whose context ended succeeded")
	}
	cancel()
	if s, err := store.Open("", store.Options{DSN: interrupted}); err == nil || !strings.Contains(err.Error(), "unfinished `frontdesk store copy`") {
		if s != nil {
			s.Close()
		}
		t.Errorf("open of a database an interrupted copy left: %v, want it refused", err)
	}
	if _, err := CopyStore(ctx, data, interrupted, nil); err == nil || !strings.Contains(err.Error(), "unfinished `frontdesk store copy`") {
		t.Errorf("copy into a database an interrupted copy left: %v, want it refused", err)
	}

	progress := 0
	res, err := CopyStore(ctx, data, dsn, func(CopyProgress) { progress++ })
	if err != nil {
		t.Fatal(err)
	}
	src, cp := res.Source, res.Copied
	if src.Messages != 3 || src.Mails < 6 || src.Tickets < 3 || src.Deadlines < 3 || !res.StatusKey || progress == 0 {
		t.Errorf("copied %+v, status key %v, %d progress reports; want 3 messages, their mail and acknowledgements, 3 tickets with deadlines", src, res.StatusKey, progress)
	}
	if cp.Messages != src.Messages || cp.Mails != src.Mails || cp.Tickets != src.Tickets || cp.Deadlines != src.Deadlines ||
		cp.QueueItems != src.QueueItems || cp.Keys != src.Keys {
		t.Errorf("counts differ: store %+v, database %+v", src, cp)
	}
	if src.Sequences[TicketSeqKey] < 3 || cp.Sequences[TicketSeqKey] != src.Sequences[TicketSeqKey] {
		t.Errorf("ticket sequence: store %d, database %d", src.Sequences[TicketSeqKey], cp.Sequences[TicketSeqKey])
	}
	var b strings.Builder
	res.WriteText(&b)
	if !strings.Contains(b.String(), fmt.Sprintf("%-18s %10d %10d", "tickets", src.Tickets, cp.Tickets)) {
		t.Errorf("copy printed:\n%s", b.String())
	}
	noPassword(t, "copy's output", b.String())

	if _, err := CopyStore(ctx, data, dsn, nil); !errors.Is(err, store.ErrNotEmpty) {
		t.Errorf("second copy into the same database: %v", err)
	}

	// The rate limit of the acknowledgements kept its expiry.
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var ttl int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM kv WHERE expires_at > now()`).Scan(&ttl); err != nil || ttl == 0 {
		t.Errorf("keys with an expiry in the database: %d, %v", ttl, err)
	}

	g2, err := New(ctx, Options{Config: pgConfig(t, t.TempDir(), dsn), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer g2.Close()
	kettles := 0
	err = g2.st.View(func(txn *store.Txn) error {
		return txn.Iterate([]byte(store.PrefixMessage), nil, false, func(k, _ []byte) error {
			raw, err := txn.GetRaw(strings.TrimPrefix(string(k), store.PrefixMessage))
			if err != nil {
				return err
			}
			if strings.Contains(string(raw), "Subject: broken kettle") {
				kettles++
			}
			return nil
		})
	})
	if err != nil || kettles != 3 {
		t.Errorf("received mail read back from the database: %d, %v", kettles, err)
	}
	if k2, err := loadStatusKey(ctx, g2.st, ""); err != nil || string(k2) != string(key) {
		t.Errorf("status key in the database differs from data_dir/status.key (%v): links already mailed would break", err)
	}
	seq, err := g2.st.Sequence(TicketSeqKey, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := seq.Next(); err != nil || n < src.Sequences[TicketSeqKey] {
		t.Errorf("next ticket number %d (%v), want at least %d", n, err, src.Sequences[TicketSeqKey])
	}
}

// TestPostgresNodeState: on PostgreSQL the status-page key is the
// database's, so two nodes with their own data dirs sign the same status
// links and neither writes data_dir/status.key; the disk guard watches
// data_dir only while a Maildir target writes there.
func TestPostgresNodeState(t *testing.T) {
	pg := startPG(t)
	ctx := context.Background()
	dsn := pg.newDB(t)
	local := pgConfig(t, t.TempDir(), dsn)
	if _, err := MigrateStore(ctx, local); err != nil {
		t.Fatal(err)
	}
	remote := pgConfig(t, t.TempDir(), dsn, "relay: {target: \"smtp://127.0.0.1:1\"}\noutbound: {target: \"smtp://127.0.0.1:1\"}\n")
	var keys [][]byte
	for _, cfg := range []*config.Config{local, remote} {
		g, err := New(ctx, Options{Config: cfg, Logger: testLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		k, err := loadStatusKey(ctx, g.st, g.dataDir)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k)
		if _, err := os.Stat(filepath.Join(g.dataDir, web.KeyFile)); err == nil {
			t.Errorf("%s written on PostgreSQL", web.KeyFile)
		}
		watched := g.ready.disk != nil
		if want := cfg == local; watched != want {
			t.Errorf("relay %s, outbound %s: disk guard %v, want %v", cfg.Relay.Target, cfg.Outbound.Target, watched, want)
		}
		g.Close()
	}
	if !web.ValidKey(keys[0]) || string(keys[0]) != string(keys[1]) {
		t.Error("two nodes on one database have different status-page keys")
	}
}

// TestStatusKeyRace: nodes starting at once on an empty database end up
// with one key.
func TestStatusKeyRace(t *testing.T) {
	pg := startPG(t)
	ctx := context.Background()
	dsn := pg.newDB(t)
	if err := store.Migrate(ctx, dsn); err != nil {
		t.Fatal(err)
	}
	const nodes = 4
	keys := make([][]byte, nodes)
	var wg sync.WaitGroup
	for i := range nodes {
		st, err := store.Open("", store.Options{DSN: dsn})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		wg.Go(func() {
			k, err := loadStatusKey(ctx, st, "")
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for i := 1; i < nodes; i++ {
		if string(keys[i]) != string(keys[0]) || !web.ValidKey(keys[i]) {
			t.Fatalf("node %d has another status-page key", i)
		}
	}
}
