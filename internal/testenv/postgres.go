package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// postgresConf is appended to the private cluster's postgresql.conf: loopback
// TCP only, no unix socket (the system's socket directory belongs to the
// system instance), a small footprint, and commits that are durable before
// they are acknowledged, as Frontdesk's 250 requires.
const postgresConf = `
# Private PostgreSQL for Frontdesk tests.
listen_addresses = '127.0.0.1'
port = %d
unix_socket_directories = ''
synchronous_commit = on
fsync = on
max_connections = 60
shared_buffers = 16MB
log_min_messages = warning
`

// postgresBin finds a PostgreSQL server program: in $PATH, else in the
// newest of Debian's /usr/lib/postgresql/<version>/bin.
func postgresBin(bin string) string {
	if p := lookPath(bin); p != "" {
		return p
	}
	m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + bin)
	if len(m) == 0 {
		return ""
	}
	slices.SortFunc(m, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(a))))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(b))))
		return va - vb
	})
	return m[len(m)-1]
}

// StartPostgres runs a private PostgreSQL cluster (Debian package
// postgresql): initdb in a t.TempDir(), the server in the foreground on
// 127.0.0.1:<free port> with synchronous_commit on, stopped with pg_ctl in
// t.Cleanup. PostgreSQL refuses to run as root, so when the tests run as
// root the cluster belongs to the user nobody. It returns the DSN of the
// superuser postgres (trust authentication, loopback only) on the database
// postgres.
func StartPostgres(t testing.TB) (dsn string) {
	t.Helper()
	p := StartPostgresServer(t)
	if p == nil {
		return ""
	}
	return p.DSN
}

// Postgres is a private PostgreSQL cluster that a test may stop and start
// again (a database outage) on the same port and data.
type Postgres struct {
	// DSN is the superuser's on the database postgres.
	DSN string

	t               testing.TB
	dir, data, addr string
	server, pgctl   string
	as              func(argv ...string) []string
	mu              sync.Mutex
	p               *proc // nil while stopped
}

// StartPostgresServer is StartPostgres returning the cluster (nil when
// PostgreSQL is missing and the test was skipped).
func StartPostgresServer(t testing.TB) *Postgres {
	t.Helper()
	initdb, server, pgctl := postgresBin("initdb"), postgresBin("postgres"), postgresBin("pg_ctl")
	for bin, p := range map[string]string{"initdb": initdb, "postgres": server, "pg_ctl": pgctl} {
		if p == "" {
			Integration(t, "the program "+bin, "postgresql")
			return nil
		}
	}
	dir := tempDir(t)
	data := filepath.Join(dir, "data")
	as := func(argv ...string) []string { return argv }
	if isRoot() {
		uid, _ := lookupUser(t, "nobody")
		if err := os.Chown(dir, uid, -1); err != nil {
			t.Fatalf("testenv: %v", err)
		}
		as = func(argv ...string) []string { return append([]string{"runuser", "-u", "nobody", "--"}, argv...) }
	}
	run := func(argv ...string) {
		t.Helper()
		a := as(argv...)
		cmd := exec.Command(a[0], a[1:]...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("testenv: %s: %v\n%s", filepath.Base(argv[0]), err, out)
		}
	}
	run(initdb, "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync")
	port := FreePort(t)
	f, err := os.OpenFile(filepath.Join(data, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	_, err = fmt.Fprintf(f, postgresConf, port)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	pg := &Postgres{t: t, dir: dir, data: data, addr: fmt.Sprintf("127.0.0.1:%d", port), server: server, pgctl: pgctl, as: as}
	pg.DSN = fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", pg.addr)
	t.Cleanup(func() { pg.stop() })
	pg.Start()
	return pg
}

// Start starts the server (again) and returns once it takes connections.
func (pg *Postgres) Start() {
	t := pg.t
	t.Helper()
	pg.mu.Lock()
	defer pg.mu.Unlock()
	if pg.p != nil {
		return
	}
	p, err := startProc("postgres", pg.dir, pg.as(pg.server, "-D", pg.data)...)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	pg.p = p
	if err := waitListening(pg.addr, 30*time.Second, p.done); err != nil {
		t.Fatalf("testenv: postgres on %s: %v\n%s", pg.addr, err, p.describe())
	}
	// Listening comes before the server takes connections ("the database
	// system is starting up"): pg_isready tells them apart.
	isready := postgresBin("pg_isready")
	host, port, _ := strings.Cut(pg.addr, ":")
	if !waitFor(30*time.Second, func() bool {
		return isready == "" || exec.Command(isready, "-q", "-h", host, "-p", port).Run() == nil
	}) {
		t.Fatalf("testenv: postgres never became ready\n%s", p.describe())
	}
}

// Stop stops the server with pg_ctl's fast shutdown (open sessions are
// ended, as in a database failover) and returns once it has exited.
func (pg *Postgres) Stop() {
	pg.t.Helper()
	if err := pg.stop(); err != nil {
		pg.t.Fatalf("testenv: pg_ctl stop: %v", err)
	}
}

func (pg *Postgres) stop() error {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	if pg.p == nil {
		return nil
	}
	a := pg.as(pg.pgctl, "-D", pg.data, "-m", "fast", "-w", "-t", "30", "stop")
	out, err := exec.Command(a[0], a[1:]...).CombinedOutput()
	pg.p.stop(10 * time.Second)
	pg.p = nil
	if err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	return nil
}

// PostgresCPU is the CPU time (user and system, with reaped children's)
// used so far by every process named postgres on this machine: the private
// servers' backends do a store's SQL work, which a benchmark of the store
// prices next to its own. With other PostgreSQL servers running, the
// difference between two readings still counts theirs.
func PostgresCPU() (time.Duration, error) {
	ents, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		return 0, err
	}
	var ticks int64
	for _, e := range ents {
		b, err := os.ReadFile(e)
		if err != nil {
			continue // exited meanwhile
		}
		s := string(b)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open || s[open+1:end] != "postgres" {
			continue
		}
		f := strings.Fields(s[end+1:])
		if len(f) < 15 {
			continue
		}
		for _, v := range f[11:15] { // utime stime cutime cstime
			n, _ := strconv.ParseInt(v, 10, 64)
			ticks += n
		}
	}
	return time.Duration(ticks) * 10 * time.Millisecond, nil // USER_HZ is 100
}
