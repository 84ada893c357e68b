package testenv

import (
	"bytes"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const waitTimeout = 30 * time.Second

// parse parses a message the way tests of other packages will, and fails
// the test when it is not a message.
func parse(t *testing.T, raw []byte) *mail.Message {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parsing\n%s\n: %v", raw, err)
	}
	return m
}

func body(t *testing.T, m *mail.Message) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := b.ReadFrom(m.Body); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestFreePortAndWaitListening(t *testing.T) {
	p1, p2 := FreePort(t), FreePort(t)
	if p1 == p2 || p1 <= 0 {
		t.Fatalf("FreePort returned %d and %d", p1, p2)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", p1)
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("FreePort's port %d is not free: %v", p1, err)
	}
	defer l.Close()
	WaitListening(t, addr, time.Second)

	sock := filepath.Join(t.TempDir(), "s")
	ul, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer ul.Close()
	WaitListening(t, "unix:"+sock, time.Second)
	WaitListening(t, sock, time.Second)

	// Nothing listens on p2: the wait must give up.
	if err := waitListening(fmt.Sprintf("127.0.0.1:%d", p2), 100*time.Millisecond, nil); err == nil {
		t.Fatalf("waitListening succeeded on a closed port")
	}
}

func TestSinkReceivesSwaks(t *testing.T) {
	s := StartSMTPSink(t)
	if n := len(s.Messages()); n != 0 {
		t.Fatalf("a fresh sink has %d messages", n)
	}
	SwaksOK(t, "--server", s.Addr, "--helo", "client.test",
		"--from", "customer@example.org", "--to", "support@bench.example",
		"--header", "Subject: printer on fire", "--header", "X-Frontdesk-Test: sink-1",
		"--body", "The printer is on fire.\nPlease advise.")
	msgs := s.WaitCount(t, 1, waitTimeout)
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1", len(msgs))
	}
	m := parse(t, msgs[0])
	for h, want := range map[string]string{
		"Subject":          "printer on fire",
		"X-Frontdesk-Test": "sink-1",
		"From":             "customer@example.org",
		"To":               "support@bench.example",
		"X-Mail-Args":      "<customer@example.org>",
		"X-Rcpt-Args":      "<support@bench.example>",
		"X-Helo-Args":      "client.test",
		"X-Client-Addr":    "127.0.0.1",
	} {
		if got := m.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	if b := body(t, m); !strings.Contains(b, "The printer is on fire.\nPlease advise.") {
		t.Errorf("body %q lacks swaks's body", b)
	}
}

func TestSinkTempFail(t *testing.T) {
	for _, tc := range []struct {
		cmd      string
		exitCode int // swaks: 24 all RCPTs rejected, 26 after end of data
	}{
		{"RCPT", 24},
		{".", 26},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			s := StartSMTPSink(t, SinkTempFail(tc.cmd), SinkTempFailReply("451 4.3.0 upstream busy"))
			out, err := Swaks(t, "--server", s.Addr, "--from", "a@example.org", "--to", "b@bench.example")
			if ExitCode(err) != tc.exitCode {
				t.Fatalf("swaks exit code %d (%v), want %d:\n%s", ExitCode(err), err, tc.exitCode, out)
			}
			if !strings.Contains(out, "451 4.3.0 upstream busy") {
				t.Errorf("transcript lacks the 451 reply:\n%s", out)
			}
			if n := len(s.Messages()); n != 0 {
				t.Errorf("a refused transaction left %d messages", n)
			}
			if tc.cmd == "." {
				// The data did arrive: smtp-sink keeps it as refused-*.
				if !waitFor(waitTimeout, func() bool {
					m, _ := filepath.Glob(filepath.Join(s.Dir, "refused-*"))
					return len(m) == 1
				}) {
					t.Errorf("no refused-* file for the refused message")
				}
			}
		})
	}
}

func TestSinkPermFail(t *testing.T) {
	s := StartSMTPSink(t, SinkPermFail("RCPT"), SinkPermFailReply("550 5.1.1 no such user"))
	out, err := Swaks(t, "--server", s.Addr, "--from", "a@example.org", "--to", "b@bench.example")
	if ExitCode(err) != 24 || !strings.Contains(out, "550 5.1.1 no such user") {
		t.Fatalf("swaks exit code %d, want 24 with the 550:\n%s", ExitCode(err), out)
	}
}

func TestSinkStopRestart(t *testing.T) {
	s := StartSMTPSink(t, SinkTempFail("RCPT"))
	addr := s.Addr
	if _, err := Swaks(t, "--server", s.Addr, "--to", "b@bench.example"); ExitCode(err) != 24 {
		t.Fatalf("the failing sink: swaks exit %d, want 24", ExitCode(err))
	}

	s.Stop()
	if s.Running() {
		t.Fatal("Running after Stop")
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Fatal("a stopped sink still accepts connections")
	}
	out, err := Swaks(t, "--server", addr, "--to", "b@bench.example")
	if ExitCode(err) != 2 {
		t.Fatalf("swaks to a stopped sink: exit %d, want 2 (connection failed):\n%s", ExitCode(err), out)
	}

	s.Restart() // still failing
	if s.Addr != addr {
		t.Fatalf("Restart moved the sink from %s to %s", addr, s.Addr)
	}
	if _, err := Swaks(t, "--server", s.Addr, "--to", "b@bench.example"); ExitCode(err) != 24 {
		t.Fatalf("after Restart: swaks exit %d, want 24", ExitCode(err))
	}

	s.RestartWith() // accepting
	SwaksOK(t, "--server", s.Addr, "--to", "b@bench.example", "--header", "Subject: after the outage")
	msgs := s.WaitCount(t, 1, waitTimeout)
	if got := parse(t, msgs[0]).Header.Get("Subject"); got != "after the outage" {
		t.Errorf("Subject %q", got)
	}
}

// TestSinkInProgress checks that a transaction still in DATA is not
// reported, and that Stop discards it.
func TestSinkInProgress(t *testing.T) {
	s := StartSMTPSink(t)
	c, err := net.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(waitTimeout))
	buf := make([]byte, 4096)
	expect := func(code string) {
		t.Helper()
		n, err := c.Read(buf)
		if err != nil || !strings.HasPrefix(string(buf[:n]), code) {
			t.Fatalf("want %s, got %q, %v", code, buf[:n], err)
		}
	}
	expect("220")
	for _, cmd := range []struct{ line, code string }{
		{"HELO x", "250"}, {"MAIL FROM:<a@example.org>", "250"},
		{"RCPT TO:<b@bench.example>", "250"}, {"DATA", "354"},
	} {
		fmt.Fprintf(c, "%s\r\n", cmd.line)
		expect(cmd.code)
	}
	fmt.Fprintf(c, "Subject: half\r\n\r\n%s\r\n", strings.Repeat("x", 10000))
	if !waitFor(waitTimeout, func() bool {
		ents, _ := os.ReadDir(s.Dir)
		return len(ents) == 1
	}) {
		t.Fatal("smtp-sink did not create the capture file")
	}
	if n := len(s.Messages()); n != 0 {
		t.Fatalf("Messages reports %d messages while the only one is in DATA", n)
	}
	s.Stop()
	if ents, _ := os.ReadDir(s.Dir); len(ents) != 0 {
		t.Fatalf("Stop left %d partial files", len(ents))
	}
}

func TestPython3SmtplibToSink(t *testing.T) {
	s := StartSMTPSink(t)
	host, port, _ := net.SplitHostPort(s.Addr)
	script := `
import smtplib, sys
from email.message import EmailMessage
m = EmailMessage()
m["From"] = "Li Lei <lilei@example.cn>"
m["To"] = "support@bench.example"
m["Subject"] = "发票问题"
m.set_content("你好，我的发票有问题。\n")
with smtplib.SMTP(sys.argv[1], int(sys.argv[2]), timeout=30) as c:
    c.send_message(m)
print("sent")
`
	out, err := Python3(t, script, host, port)
	if err != nil || !strings.Contains(out, "sent") {
		t.Fatalf("python3: %v\n%s", err, out)
	}
	m := parse(t, s.WaitCount(t, 1, waitTimeout)[0])
	subj, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil || subj != "发票问题" {
		t.Errorf("Subject %q (%v), want 发票问题", subj, err)
	}
	if got := m.Header.Get("X-Rcpt-Args"); got != "<support@bench.example>" {
		t.Errorf("X-Rcpt-Args %q", got)
	}
}

func TestDovecotLMTP(t *testing.T) {
	d := StartDovecotLMTP(t)
	SwaksOK(t, "--protocol", "LMTP", "--server", d.LMTPAddr,
		"--from", "frontdesk@acme.example", "--to", "Alice@agents.acme.example",
		"--header", "Subject: [SUP-1] over TCP", "--body", "lmtp over tcp")
	SwaksOK(t, "--protocol", "LMTP", "--socket", d.LMTPSocket,
		"--from", "frontdesk@acme.example", "--to", "alice@agents.acme.example",
		"--header", "Subject: [SUP-2] over the socket", "--body", "lmtp over a unix socket")

	msgs := d.WaitMaildir(t, "alice@agents.acme.example", 2, waitTimeout)
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want 2", len(msgs))
	}
	for i, want := range []struct{ subject, body string }{
		{"[SUP-1] over TCP", "lmtp over tcp"},
		{"[SUP-2] over the socket", "lmtp over a unix socket"},
	} {
		m := parse(t, msgs[i])
		if got := m.Header.Get("Subject"); got != want.subject {
			t.Errorf("message %d: Subject %q, want %q", i, got, want.subject)
		}
		if got := m.Header.Get("Delivered-To"); !strings.EqualFold(got, "alice@agents.acme.example") {
			t.Errorf("message %d: Delivered-To %q", i, got)
		}
		if b := body(t, m); !strings.Contains(b, want.body) {
			t.Errorf("message %d: body %q", i, b)
		}
	}
	if _, err := os.Stat(filepath.Join(d.Mailbox("ALICE@agents.acme.example"), "new")); err != nil {
		t.Errorf("Mailbox: %v", err)
	}
	if n := len(d.Messages("bob@agents.acme.example")); n != 0 {
		t.Errorf("bob has %d messages", n)
	}
}

func TestPostfixRelaysToSink(t *testing.T) {
	s := StartSMTPSink(t)
	p := StartPostfix(t, PostfixConfig{Relayhost: s.Addr})
	out := SwaksOK(t, "--server", p.Addr, "--from", "a@bench.example", "--to", "b@bench.example",
		"--header", "Subject: through postfix", "--body", "relayed body")
	if !strings.Contains(out, "queued as") {
		t.Errorf("Postfix did not queue:\n%s", out)
	}
	m := parse(t, s.WaitCount(t, 1, waitTimeout)[0])
	if got := m.Header.Get("Subject"); got != "through postfix" {
		t.Errorf("Subject %q", got)
	}
	if got := m.Header.Get("X-Helo-Args"); got != "postfix-peer.localdomain" {
		t.Errorf("the sink was not reached by Postfix: X-Helo-Args %q", got)
	}
	if b := body(t, m); !strings.Contains(b, "relayed body") {
		t.Errorf("body %q", b)
	}
	p.WaitQueueEmpty(t, waitTimeout)
	if log := p.Maillog(); !strings.Contains(log, "status=sent") {
		t.Errorf("maillog lacks status=sent:\n%s", log)
	}
}

// TestPostfixDefersWhileSinkDown: the relay-retry scenario end to end with
// two real peers.
func TestPostfixDefersWhileSinkDown(t *testing.T) {
	s := StartSMTPSink(t, SinkTempFail("RCPT"))
	p := StartPostfix(t, PostfixConfig{Relayhost: s.Addr})
	SwaksOK(t, "--server", p.Addr, "--from", "a@bench.example", "--to", "b@bench.example")
	if !waitFor(waitTimeout, func() bool { return strings.Contains(p.Maillog(), "status=deferred") }) {
		t.Fatalf("no deferral logged:\n%s", p.Maillog())
	}
	// Postfix logs the deferral before it moves the queue file from
	// active/ to deferred/; a walk during the rename can see the file in
	// neither directory or in both, so poll for the settled count.
	n := 0
	if !waitFor(waitTimeout, func() bool { n = p.QueueSize(); return n == 1 }) {
		t.Fatalf("queue size %d, want 1", n)
	}
	s.RestartWith()
	p.Flush(t)
	s.WaitCount(t, 1, waitTimeout)
	p.WaitQueueEmpty(t, waitTimeout)
}

// recorder is a testing.TB that records Fatalf and Skipf instead of
// stopping the test.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper()                      {}
func (r *recorder) Fatalf(f string, args ...any) { r.fatal = fmt.Sprintf(f, args...) }
func (r *recorder) Skipf(f string, args ...any)  { r.skip = fmt.Sprintf(f, args...) }

func TestIntegration(t *testing.T) {
	t.Setenv(EnvIntegration, "require")
	r := &recorder{TB: t}
	Integration(r, "the program smtp-sink", "postfix")
	if r.skip != "" || !strings.Contains(r.fatal, "smtp-sink") || !strings.Contains(r.fatal, "postfix") {
		t.Errorf("required: fatal %q, skip %q", r.fatal, r.skip)
	}
	t.Setenv(EnvIntegration, "")
	r = &recorder{TB: t}
	Integration(r, "the program smtp-sink", "postfix")
	if r.fatal != "" || !strings.Contains(r.skip, "postfix") {
		t.Errorf("not required: fatal %q, skip %q", r.fatal, r.skip)
	}
}

func TestIntegrationRequired(t *testing.T) {
	t.Setenv(EnvIntegration, "require")
	if !Required() {
		t.Fatal("Required() false with require set")
	}
	t.Setenv(EnvIntegration, "")
	if Required() {
		t.Fatal("Required() true without require")
	}
	if p := lookPath("no-such-binary-frontdesk"); p != "" {
		t.Fatalf("lookPath found %q", p)
	}
	if p := lookPath("sh"); p == "" {
		t.Fatal("lookPath did not find sh")
	}
}

func TestSinkLMTP(t *testing.T) {
	s := StartSMTPSink(t, SinkLMTP(), SinkHostname("lmtp-sink.test"))
	out := SwaksOK(t, "--protocol", "LMTP", "--server", s.Addr,
		"--from", "a@example.org", "--to", "x@agents.example,y@agents.example")
	if !strings.Contains(out, "lmtp-sink.test") {
		t.Errorf("greeting lacks the hostname:\n%s", out)
	}
	m := parse(t, s.WaitCount(t, 1, waitTimeout)[0])
	if got := m.Header.Get("X-Client-Proto"); got != "LMTP" {
		t.Errorf("X-Client-Proto %q", got)
	}
	if got := m.Header["X-Rcpt-Args"]; len(got) != 2 {
		t.Errorf("X-Rcpt-Args %q, want two recipients", got)
	}
}

// TestDovecotLongTempDir: a test name long enough that unix socket paths
// under t.TempDir() would pass the 107-byte limit.
func TestDovecotLongTempDir(t *testing.T) {
	t.Run(strings.Repeat("a_rather_long_subtest_name_", 4), func(t *testing.T) {
		d := StartDovecotLMTP(t)
		if len(d.LMTPSocket) > 100 {
			t.Fatalf("socket path %d bytes long: %s", len(d.LMTPSocket), d.LMTPSocket)
		}
		SwaksOK(t, "--protocol", "LMTP", "--socket", d.LMTPSocket, "--to", "carol@agents.example")
		d.WaitMaildir(t, "carol@agents.example", 1, waitTimeout)
	})
}
