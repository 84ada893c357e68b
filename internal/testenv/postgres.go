package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
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
	initdb, server, pgctl := postgresBin("initdb"), postgresBin("postgres"), postgresBin("pg_ctl")
	for bin, p := range map[string]string{"initdb": initdb, "postgres": server, "pg_ctl": pgctl} {
		if p == "" {
			Integration(t, "the program "+bin, "postgresql")
			return ""
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
	p, err := startProc("postgres", dir, as(server, "-D", data)...)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	t.Cleanup(func() {
		a := as(pgctl, "-D", data, "-m", "fast", "-w", "-t", "30", "stop")
		_ = exec.Command(a[0], a[1:]...).Run()
		p.stop(10 * time.Second)
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	if err := waitListening(addr, 30*time.Second, p.done); err != nil {
		t.Fatalf("testenv: postgres on %s: %v\n%s", addr, err, p.describe())
	}
	// Listening comes before the server takes connections ("the database
	// system is starting up"): pg_isready tells them apart.
	isready := postgresBin("pg_isready")
	if !waitFor(30*time.Second, func() bool {
		return isready == "" || exec.Command(isready, "-q", "-h", "127.0.0.1", "-p", strconv.Itoa(port)).Run() == nil
	}) {
		t.Fatalf("testenv: postgres never became ready\n%s", p.describe())
	}
	return fmt.Sprintf("postgres://postgres@%s/postgres?sslmode=disable", addr)
}
