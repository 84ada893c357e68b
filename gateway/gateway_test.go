package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/frontdesk-mail/frontdesk/config"
)

const testRules = `departments:
  support:
    addresses: [support]
    mailbox: support-team@agents.test
  sales:
    addresses: [sales]
    mailbox: sales-team@agents.test
default_department: support
rules:
  - name: quotes
    if: {subject: {contains: [quote]}}
    then: {department: %s}
`

// startGateway runs a whole gateway in-process on 127.0.0.1:0 with Maildir
// targets, a rules file routing "quote" mail to dept, and the registry
// it reports to; Run ends with the test.
type testGateway struct {
	*Gateway
	dir, rulesFile string
	reg            *prometheus.Registry
	cancel         context.CancelFunc
	done           chan error
	mu             sync.Mutex
	steps          []string
	stopOnce       sync.Once
}

func startGateway(t *testing.T, dept string) *testGateway {
	t.Helper()
	return startGatewayIn(t, t.TempDir(), fmt.Sprintf(testRules, dept), "")
}

// startGatewayIn is startGateway in dir with a rules file and extra
// config lines.
func startGatewayIn(t *testing.T, dir, rules, extra string) *testGateway {
	t.Helper()
	rulesFile := filepath.Join(dir, "rules.yaml")
	if err := os.WriteFile(rulesFile, []byte(rules), 0o644); err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(dir, "frontdesk.yaml")
	os.WriteFile(cfgFile, []byte(`hostname: frontdesk.test
domains: [support.test]
data_dir: data
rules_file: rules.yaml
smtp: {listen: "127.0.0.1:0", shutdown_timeout: 10s}
http: {listen: "127.0.0.1:0"}
relay: {target: maildir}
outbound: {target: maildir}
`+extra), 0o644)
	cfg, err := config.Load(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	g, err := New(context.Background(), Options{Config: cfg, Registry: reg, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	tg := &testGateway{Gateway: g, dir: dir, rulesFile: rulesFile, reg: reg, done: make(chan error, 1)}
	g.stopped = func(part string) { tg.mu.Lock(); tg.steps = append(tg.steps, part); tg.mu.Unlock() }
	ctx, cancel := context.WithCancel(context.Background())
	tg.cancel = cancel
	go func() { tg.done <- g.Run(ctx) }()
	t.Cleanup(func() { tg.stop(t) })
	return tg
}

func (tg *testGateway) stop(t *testing.T) {
	tg.cancel()
	tg.stopOnce.Do(func() {
		select {
		case err := <-tg.done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("Run did not return")
		}
	})
}

func send(t *testing.T, addr, rcpt, subject string) {
	t.Helper()
	msg := "From: Carol <carol@customer.test>\r\nTo: " + rcpt + "\r\nSubject: " + subject +
		"\r\nMessage-ID: <" + strings.ReplaceAll(subject, " ", ".") + "@customer.test>\r\n\r\nHello, please help.\r\n"
	if err := smtp.SendMail(addr, nil, "carol@customer.test", []string{rcpt}, []byte(msg)); err != nil {
		t.Fatalf("send %q: %v", subject, err)
	}
}

// waitFile waits for a file under root whose content has all of want.
func waitFile(t *testing.T, root string, want ...string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		var found string
		filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
			if err != nil || fi.IsDir() || found != "" || !strings.Contains(p, string(filepath.Separator)+"new"+string(filepath.Separator)) {
				return nil
			}
			b, _ := os.ReadFile(p)
			for _, w := range want {
				if !strings.Contains(string(b), w) {
					return nil
				}
			}
			found = p
			return nil
		})
		if found != "" {
			return found
		}
		time.Sleep(20 * time.Millisecond) // polling the Maildir, with a deadline
	}
	t.Fatalf("no mail under %s containing %q", root, want)
	return ""
}

// One mail through the whole gateway: accepted over SMTP, routed by the
// rules file, filed as a ticket, acknowledged to the customer (outbox
// Maildir) and relayed to the department's mailbox (agents' Maildir).
func TestGatewayAcceptRouteTicketAckRelay(t *testing.T) {
	g := startGateway(t, "sales")
	send(t, g.SMTPAddr().String(), "support@support.test", "quote for 40 units")
	data := filepath.Join(g.dir, "data")
	relayed := waitFile(t, filepath.Join(data, "mailboxes", "sales"), "X-Frontdesk-Department: sales", "X-Frontdesk-Rule: quotes", "Subject: quote for 40 units")
	b, _ := os.ReadFile(relayed)
	tag := ""
	for _, l := range strings.Split(string(b), "\r\n") {
		if v, ok := strings.CutPrefix(l, "X-Frontdesk-Ticket: "); ok {
			tag = v
		}
	}
	if !strings.HasPrefix(tag, "SUP-1") {
		t.Fatalf("relayed mail without a ticket tag:\n%s", b)
	}
	waitFile(t, filepath.Join(data, "outbox"), "carol@customer.test", tag, "Auto-Submitted: auto-replied")
}

// Editing the rules file changes the routing of the next mail, and the
// reload is counted.
func TestGatewayReloadsRules(t *testing.T) {
	g := startGateway(t, "sales")
	before := testutil.ToFloat64(mustCounter(t, g.reg, "frontdesk_rules_reloads_total", "success"))
	os.WriteFile(g.rulesFile, []byte(fmt.Sprintf(testRules, "support")), 0o644)
	deadline := time.Now().Add(20 * time.Second)
	for testutil.ToFloat64(mustCounter(t, g.reg, "frontdesk_rules_reloads_total", "success")) == before {
		if time.Now().After(deadline) {
			t.Fatal("the rules file edit was not reloaded")
		}
		time.Sleep(20 * time.Millisecond) // polling the metric, with a deadline
	}
	send(t, g.SMTPAddr().String(), "sales@support.test", "quote again")
	waitFile(t, filepath.Join(g.dir, "data", "mailboxes", "support"), "X-Frontdesk-Department: support", "Subject: quote again")
}

// The shutdown order: SMTP stops accepting first while a session already
// in DATA finishes and gets its 250; then the workers, then HTTP, and the
// store closes last.
func TestGatewayShutdownOrder(t *testing.T) {
	g := startGateway(t, "sales")
	c, err := smtp.Dial(g.SMTPAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("carol@customer.test"); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("support@support.test"); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(w, "From: carol@customer.test\r\nTo: support@support.test\r\nSubject: in flight\r\n\r\n")
	g.cancel() // the session is in DATA
	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", g.SMTPAddr().String(), time.Second)
		if err != nil {
			break // no longer accepting
		}
		conn.Close()
		if time.Now().After(deadline) {
			t.Fatal("SMTP still accepts connections after shutdown began")
		}
		time.Sleep(10 * time.Millisecond) // polling the listener, with a deadline
	}
	g.mu.Lock()
	early := append([]string(nil), g.steps...)
	g.mu.Unlock()
	if len(early) != 0 {
		t.Fatalf("parts stopped while a session was in DATA: %v", early)
	}
	fmt.Fprintf(w, "Still being written when shutdown began.\r\n")
	if err := w.Close(); err != nil {
		t.Fatalf("the session in DATA did not finish with 250: %v", err)
	}
	c.Quit()
	g.stop(t)
	g.mu.Lock()
	defer g.mu.Unlock()
	if strings.Join(g.steps, " ") != "smtp queue http store" {
		t.Fatalf("stop order %v, want smtp queue http store", g.steps)
	}
}

func mustCounter(t *testing.T, reg *prometheus.Registry, name, result string) prometheus.Collector {
	t.Helper()
	return counterOf{reg, name, result}
}

// counterOf reads one series of a registered counter vector.
type counterOf struct {
	reg          *prometheus.Registry
	name, result string
}

func (c counterOf) Describe(ch chan<- *prometheus.Desc) {}
func (c counterOf) Collect(ch chan<- prometheus.Metric) {
	mfs, _ := c.reg.Gather()
	for _, mf := range mfs {
		if mf.GetName() != c.name {
			continue
		}
		for _, m := range mf.Metric {
			for _, l := range m.Label {
				if l.GetName() == "result" && l.GetValue() == c.result {
					ch <- prometheus.MustNewConstMetric(prometheus.NewDesc(c.name, "", nil, nil), prometheus.CounterValue, m.Counter.GetValue())
				}
			}
		}
	}
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// An idle gateway writes nothing: after a mail is filed, relayed and
// acknowledged, and the deliveries' UpdateLater have committed, a second
// of idleness makes no commit (issue 21: at C=1 whatever runs per unit of
// time is paid by few messages). With store.inline_mail the mail, small
// and alone, was kept in Badger: no spool fsync.
func TestGatewayIdleCommitsNothing(t *testing.T) {
	g := startGatewayIn(t, t.TempDir(), fmt.Sprintf(testRules, "sales"), "store: {inline_mail: 32768}\n")
	send(t, g.SMTPAddr().String(), "support@support.test", "quote for 3 units")
	data := filepath.Join(g.dir, "data")
	waitFile(t, filepath.Join(data, "mailboxes", "sales"), "Subject: quote for 3 units")
	waitFile(t, filepath.Join(data, "outbox"), "carol@customer.test", "Auto-Submitted: auto-replied")
	deadline := time.Now().Add(20 * time.Second)
	for g.st.Stats().Later > 0 || g.st.Stats().Updates < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("deliveries not committed: %+v", g.st.Stats())
		}
		time.Sleep(10 * time.Millisecond) // polling the store's counters, with a deadline
	}
	before := g.st.Stats()
	time.Sleep(time.Second) // the idleness measured
	after := g.st.Stats()
	if after.Commits != before.Commits || after.Updates != before.Updates {
		t.Errorf("idle second: %d commits, %d updates; want none", after.Commits-before.Commits, after.Updates-before.Updates)
	}
	if after.SpoolSyncs != 0 {
		t.Errorf("%d spool fsyncs for one small mail and its acknowledgement; want 0 (kept inline)", after.SpoolSyncs)
	}
}
