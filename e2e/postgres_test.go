package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
	"github.com/frontdesk-mail/frontdesk/store"
)

// sendMail sends one message over a raw session and returns the reply to
// its final dot.
func sendMail(t *testing.T, addr, subject string) (int, string) {
	t.Helper()
	s := dialSMTP(t, addr)
	defer s.cmd("QUIT")
	for _, c := range []string{"EHLO client.customer.example", "MAIL FROM:<carol@customer.example>", "RCPT TO:<support@support.localhost>"} {
		if code, line := s.cmd("%s", c); code/100 != 2 {
			return code, line
		}
	}
	if code, line := s.cmd("DATA"); code != 354 {
		return code, line
	}
	return s.cmd("From: Carol <carol@customer.example>\r\nTo: support@support.localhost\r\nSubject: %s\r\nMessage-ID: <%d@customer.example>\r\n\r\nThe kettle is broken.\r\n.", subject, time.Now().UnixNano())
}

// waitReady polls /readyz until it answers code, and returns its body.
func (g *gateway) waitReady(t *testing.T, code int) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + g.HTTP + "/readyz")
		if err == nil {
			var b strings.Builder
			buf := make([]byte, 4096)
			n, _ := resp.Body.Read(buf)
			b.Write(buf[:n])
			resp.Body.Close()
			if resp.StatusCode == code {
				return b.String()
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz never answered %d (last: %v)\n%s", code, err, g.stderr.String())
		}
		time.Sleep(50 * time.Millisecond) // polling the endpoint, with a deadline
	}
}

// TestPostgresGatewayOutage: the real binary on a private PostgreSQL
// refuses to serve before `frontdesk store migrate` has made the schema,
// then accepts a mail, files its
// ticket in the database, relays it and acknowledges it. With the
// database stopped, SMTP answers 451 4.3.0 with a sentence, never 250,
// and /readyz 503 naming the database; started again, the same process
// accepts the next mail. The DSN's password is never printed.
func TestPostgresGatewayOutage(t *testing.T) {
	pg := testenv.StartPostgresServer(t)
	if pg == nil {
		return
	}
	dsn := strings.Replace(pg.DSN, "postgres@", "postgres:hunter2@", 1) // trusted: any password connects
	storeCfg := "store:\n  backend: postgres\n  dsn: \"" + dsn + "\"\n"
	mcfg := filepath.Join(t.TempDir(), "migrate.yaml")
	writeFile(t, mcfg, storeCfg)
	// Before the schema exists, serve refuses to start and says what to run.
	serve := exec.Command(binary, "serve", "-c", mcfg)
	serve.Dir = filepath.Dir(mcfg)
	if out, err := serve.CombinedOutput(); err == nil || !strings.Contains(string(out), "no Frontdesk schema (run `frontdesk store migrate`)") || strings.Contains(string(out), "hunter2") {
		t.Fatalf("serve on an empty database: %v\n%s", err, out)
	}
	out, err := exec.Command(binary, "store", "migrate", "-c", mcfg, "--json").CombinedOutput()
	var m struct{ Before, After int }
	if err != nil || json.Unmarshal(out, &m) != nil || m.Before != 0 || m.After != store.SchemaVersion {
		t.Fatalf("store migrate: %v\n%s", err, out)
	}
	noSecret := func(what, s string) {
		t.Helper()
		if strings.Contains(s, "hunter2") {
			t.Errorf("%s shows the DSN's password:\n%s", what, s)
		}
	}
	noSecret("store migrate", string(out))

	g := startGateway(t, storeCfg)
	// The summary is written before /readyz answers, but reaches g.stdout
	// through exec's copy of the pipe, which may lag behind under load.
	waitFor(t, "the start-up summary's store line", func() bool {
		return strings.Contains(g.stdout.String(), "store:      postgres postgres://postgres:xxxxx@127.0.0.1:")
	})
	if code, line := sendMail(t, g.SMTP, "kettle before the outage"); code != 250 {
		t.Fatalf("before the outage: %s\n%s", line, g.stderr.String())
	}
	relayed := waitMaildir(t, g.maildir("support"), 1, 20*time.Second)
	if !strings.Contains(string(relayed[0]), "X-Frontdesk-Ticket: SUP-") {
		t.Errorf("relayed copy without a ticket:\n%s", relayed[0])
	}
	ack := waitMaildir(t, filepath.Join(g.dir, "data", "outbox"), 1, 20*time.Second)
	if !strings.Contains(string(ack[0]), "carol@customer.example") {
		t.Errorf("acknowledgement:\n%s", ack[0])
	}
	if ts := g.ackTickets(t); len(ts) != 1 {
		t.Fatalf("tickets in the database: %+v", ts)
	}
	if _, err := os.Stat(filepath.Join(g.dir, "data", "store")); err == nil {
		t.Error("a Badger store was made in data_dir on PostgreSQL")
	}

	pg.Stop()
	body := g.waitReady(t, http.StatusServiceUnavailable)
	if !strings.Contains(body, "store: database:") {
		t.Errorf("/readyz during the outage:\n%s", body)
	}
	code, line := sendMail(t, g.SMTP, "kettle during the outage")
	if code != 451 || !strings.HasPrefix(line, "451 4.3.0 ") || !strings.Contains(line, "not stored, please try again") {
		t.Errorf("during the outage: %q, want 451 4.3.0 and a sentence", line)
	}
	// So does the customer's status page (its link in the acknowledgement):
	// 503, "try again in a moment", not 500.
	link := regexp.MustCompile(`/t/[A-Za-z0-9._-]+`).FindString(string(ack[0]))
	if link == "" {
		t.Fatalf("no status link in the acknowledgement:\n%s", ack[0])
	}
	if resp, err := http.Get("http://" + g.HTTP + link); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("status page during the outage: %d (Retry-After %q), want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
	}
	// The admin API says the same as SMTP's 451: try again later (503
	// with Retry-After), not 500, nor 400 for a request that was fine.
	token, err := os.ReadFile(filepath.Join(g.dir, "data", "api.token"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ method, path string }{
		{"GET", "/api/tickets"}, {"GET", "/api/tickets/SUP-1000"}, {"GET", "/api/queue"},
		{"POST", "/api/queue/retry"}, {"GET", "/api/customers/carol@customer.example/export"},
	} {
		req, _ := http.NewRequest(c.method, "http://"+g.HTTP+c.path, nil)
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(string(token)))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(b), "try again later") {
			t.Errorf("%s %s during the outage: %d (Retry-After %q) %s, want 503 with Retry-After", c.method, c.path, resp.StatusCode, resp.Header.Get("Retry-After"), b)
		}
	}

	pg.Start()
	g.waitReady(t, http.StatusOK)
	if code, line := sendMail(t, g.SMTP, "kettle after the outage"); code != 250 {
		t.Fatalf("after the outage, same process: %s\n%s", line, g.stderr.String())
	}
	waitMaildir(t, g.maildir("support"), 2, 30*time.Second)
	ts := g.ackTickets(t)
	if len(ts) != 2 {
		t.Errorf("tickets after the outage: %+v, want 2 (the refused mail was not filed)", ts)
	}
	select {
	case <-g.exited:
		t.Fatal("the gateway exited during the outage")
	default:
	}
	g.stop()
	noSecret("serve's output", g.stdout.String()+g.stderr.String())
}
