package e2e

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"

	"github.com/foxcpp/go-mockdns"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "frontdesk-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "frontdesk")
	build := exec.Command("go", "build", "-race", "-o", binary, "github.com/frontdesk-mail/frontdesk/cmd/frontdesk")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build frontdesk:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testRules routes by address only, with mailboxes the tests know.
const testRules = `departments:
  support:
    name: Customer Support
    addresses: [support, help]
    mailbox: support-team@agents.test
    agents: [alice@agents.test]
    escalate_to: support-lead@agents.test
    sla: {first_response: 4h, resolution: 3d}
  sales:
    name: Sales
    addresses: [sales]
    mailbox: sales-team@agents.test
default_department: support
rules:
  - name: spam is dropped
    if: {header: {name: X-Spam-Flag, equals: "YES"}}
    then: {discard: true}
  - name: blocked sender
    if: {from: {domain: blocked.example}}
    then: {reject: "We do not accept mail from this sender"}
`

// testZones are the DNS answers the gateway gets (SPF for sender
// authentication): customers and agents send from loopback.
func testZones() map[string]mockdns.Zone {
	return map[string]mockdns.Zone{
		"customer.example.":      {TXT: []string{"v=spf1 ip4:127.0.0.0/8 -all"}},
		"agents.test.":           {TXT: []string{"v=spf1 ip4:127.0.0.1 -all"}},
		"_dmarc.agents.test.":    {TXT: []string{"v=DMARC1; p=reject"}},
		"forged.example.":        {TXT: []string{"v=spf1 ip4:192.0.2.1 -all"}},
		"_dmarc.forged.example.": {TXT: []string{"v=DMARC1; p=reject"}},
	}
}

type gateway struct {
	t       *testing.T
	dir     string
	cfgPath string
	SMTP    string
	HTTP    string
	cmd     *exec.Cmd
	stdout  *testenv.SyncBuffer
	stderr  *testenv.SyncBuffer
	exited  chan struct{}
}

// startGateway writes a config (extra YAML lines are appended) and starts
// the binary; it returns once /readyz answers 200.
func startGateway(t *testing.T, extra string) *gateway {
	t.Helper()
	return startGatewayWith(t, extra, nil)
}

// startGatewayWith is startGateway with files written into the gateway's
// directory before it starts (users files, keys, rules.yaml instead of
// testRules).
func startGatewayWith(t *testing.T, extra string, files map[string]string) *gateway {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, name), content)
	}
	g := &gateway{t: t, dir: dir,
		SMTP: fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t)),
		HTTP: fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t)),
	}
	if _, ok := files["rules.yaml"]; !ok {
		os.WriteFile(filepath.Join(dir, "rules.yaml"), []byte(testRules), 0o644)
	}
	dns, err := mockdns.NewServerWithLogger(testZones(), log.New(io.Discard, "", 0), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { dns.Close() })
	cfg := fmt.Sprintf(`hostname: mx.support.test
domains: [support.localhost]
data_dir: data
rules_file: rules.yaml
smtp:
  listen: %s
  shutdown_timeout: 10s
http:
  listen: %s
auth:
  dns_server: %s
`, g.SMTP, g.HTTP, dns.LocalAddr().String())
	// Lines of an "smtp:" block in extra join the block above (YAML keys
	// may not repeat).
	if rest, ok := strings.CutPrefix(extra, "smtp:\n"); ok {
		var block []string
		lines := strings.SplitAfter(rest, "\n")
		i := 0
		for ; i < len(lines) && strings.HasPrefix(lines[i], "  "); i++ {
			block = append(block, lines[i])
		}
		cfg = strings.Replace(cfg, "  shutdown_timeout: 10s\n", "  shutdown_timeout: 10s\n"+strings.Join(block, ""), 1)
		extra = strings.Join(lines[i:], "")
	}
	cfg += extra
	g.cfgPath = filepath.Join(dir, "frontdesk.yaml")
	if err := os.WriteFile(g.cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	g.start()
	t.Cleanup(g.stop)
	return g
}

// inUse finds the address in a "listen tcp ADDR: bind: address already in
// use" start-up error.
var inUse = regexp.MustCompile(`listen tcp (127\.0\.0\.1:\d+): bind: address already in use`)

// start runs the binary and waits for /readyz. A port that FreePort found
// free can still be taken by another process before the gateway binds it;
// then start moves that listener to a new port in the config and tries again.
func (g *gateway) start() {
	t := g.t
	t.Helper()
	for range 3 {
		err := g.startOnce()
		m := inUse.FindStringSubmatch(err)
		if m == nil {
			if err != "" {
				t.Fatal(err)
			}
			return
		}
		fresh := fmt.Sprintf("127.0.0.1:%d", testenv.FreePort(t))
		t.Logf("%s was taken before frontdesk bound it; moving it to %s", m[1], fresh)
		cfg, rerr := os.ReadFile(g.cfgPath)
		if rerr != nil {
			t.Fatal(rerr)
		}
		if err := os.WriteFile(g.cfgPath, bytes.ReplaceAll(cfg, []byte(m[1]), []byte(fresh)), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, a := range []*string{&g.SMTP, &g.HTTP} {
			if *a == m[1] {
				*a = fresh
			}
		}
	}
	t.Fatalf("frontdesk could not bind its ports in 3 tries:\n%s", g.stderr.String())
}

// startOnce runs the binary once; it returns "" when /readyz answers 200,
// else why not.
func (g *gateway) startOnce() string {
	t := g.t
	t.Helper()
	g.stdout, g.stderr = new(testenv.SyncBuffer), new(testenv.SyncBuffer)
	g.cmd = exec.Command(binary, "serve", "-c", g.cfgPath)
	g.cmd.Dir = g.dir
	g.cmd.Stdout, g.cmd.Stderr = g.stdout, g.stderr
	if err := g.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	g.exited = make(chan struct{})
	go func() { g.cmd.Wait(); close(g.exited) }()
	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := http.Get("http://" + g.HTTP + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return ""
			}
		}
		select {
		case <-g.exited:
			return "frontdesk exited during start-up:\n" + g.stderr.String()
		case <-tick.C:
		}
		if time.Now().After(deadline) {
			return "frontdesk not ready after 30s:\n" + g.stderr.String()
		}
	}
}

// stop sends SIGTERM and waits for a clean exit.
func (g *gateway) stop() {
	if g.cmd == nil || g.cmd.Process == nil {
		return
	}
	select {
	case <-g.exited:
		return
	default:
	}
	g.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-g.exited:
		if g.cmd.ProcessState.ExitCode() != 0 {
			g.t.Errorf("frontdesk exited with %d after SIGTERM:\n%s", g.cmd.ProcessState.ExitCode(), g.stderr.String())
		}
	case <-time.After(30 * time.Second):
		g.cmd.Process.Kill()
		g.t.Errorf("frontdesk did not stop within 30s of SIGTERM")
	}
}

// kill9 kills the process without any chance to clean up.
func (g *gateway) kill9() {
	g.cmd.Process.Kill()
	<-g.exited
}

func (g *gateway) maildir(dept string) string {
	return filepath.Join(g.dir, "data", "mailboxes", dept)
}

// waitMaildir polls a Maildir until it holds n messages.
func waitMaildir(t *testing.T, dir string, n int, timeout time.Duration) [][]byte {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var out [][]byte
		for _, sub := range []string{"new", "cur"} {
			ents, _ := os.ReadDir(filepath.Join(dir, sub))
			for _, e := range ents {
				b, err := os.ReadFile(filepath.Join(dir, sub, e.Name()))
				if err == nil {
					out = append(out, b)
				}
			}
		}
		if len(out) >= n {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s holds %d messages after %v, want %d", dir, len(out), timeout, n)
		}
		time.Sleep(20 * time.Millisecond) // polling a directory, not synchronising
	}
}

// smtpConn is a raw SMTP client for commands net/smtp would rewrite.
type smtpConn struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func dialSMTP(t *testing.T, addr string) *smtpConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(30 * time.Second))
	s := &smtpConn{t: t, c: c, r: bufio.NewReader(c)}
	t.Cleanup(func() { c.Close() })
	if code, line := s.read(); code != 220 {
		t.Fatalf("greeting: %s", line)
	}
	return s
}

// read returns the code and the last line of a (multi-line) reply.
func (s *smtpConn) read() (int, string) {
	s.t.Helper()
	var all []string
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			s.t.Fatalf("read reply: %v (so far %q)", err, all)
		}
		line = strings.TrimRight(line, "\r\n")
		all = append(all, line)
		if len(line) < 4 || line[3] != '-' {
			var code int
			fmt.Sscanf(line, "%d", &code)
			return code, strings.Join(all, "\n")
		}
	}
}

func (s *smtpConn) cmd(format string, a ...any) (int, string) {
	s.t.Helper()
	fmt.Fprintf(s.c, format+"\r\n", a...)
	return s.read()
}

func goGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// readOrLog is read, failing with the server's log when the reply is lost.
func (s *smtpConn) readOrLog(g *gateway) (int, string) {
	s.t.Helper()
	line, err := s.r.ReadString('\n')
	if err != nil {
		s.t.Fatalf("read reply: %v\nserver log:\n%s", err, g.stderr.String())
	}
	var code int
	fmt.Sscanf(line, "%d", &code)
	return code, strings.TrimSpace(line)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// syncBuffer is the name some tests here use for testenv.SyncBuffer.
type syncBuffer = testenv.SyncBuffer
