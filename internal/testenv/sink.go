package testenv

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Sink is a running Postfix smtp-sink: an SMTP (or LMTP) server on
// 127.0.0.1 that accepts, or refuses as configured, whatever it is sent and
// writes every accepted message to a file in Dir. It stands in for the
// upstream a Frontdesk queue relays to (a smarthost, an agent's SMTP server).
type Sink struct {
	// Addr is the sink's host:port on 127.0.0.1.
	Addr string
	// Dir holds one file per completed transaction (smtp-sink -d): msg-*
	// for accepted ones, refused-* for messages whose "." the sink refused.
	// Files of transactions still in progress are there too; Messages
	// leaves them out.
	Dir string

	t       testing.TB
	bin     string
	realDir string // Dir with symlinks resolved, as /proc/PID/fd shows it
	mu      sync.Mutex
	cfg     sinkConfig
	proc    *proc // nil while stopped
}

type sinkConfig struct {
	hostname      string
	tempFail      []string
	permFail      []string
	disconnect421 []string
	hangup        []string
	tempReply     string
	permReply     string
	lmtp          bool
	extra         []string
}

// SinkOption configures StartSMTPSink and Sink.Restart.
type SinkOption func(*sinkConfig)

// SinkTempFail makes the sink answer the named commands with a temporary
// error, "450 4.3.0 Error: command failed" unless SinkTempFailReply changes
// it (smtp-sink -r). Commands are CONNECT, HELO, EHLO, LHLO, MAIL, RCPT,
// DATA, "." (end of data), RSET, NOOP, QUIT. For relay-retry tests: "RCPT"
// defers every recipient, "." defers the message after its data was sent.
func SinkTempFail(cmds ...string) SinkOption {
	return func(c *sinkConfig) { c.tempFail = append(c.tempFail, cmds...) }
}

// SinkPermFail makes the sink answer the named commands with a permanent
// error, "500 5.3.0 Error: command failed" unless SinkPermFailReply changes
// it (smtp-sink -f), for bounce tests.
func SinkPermFail(cmds ...string) SinkOption {
	return func(c *sinkConfig) { c.permFail = append(c.permFail, cmds...) }
}

// SinkDisconnect421 makes the sink reply 421 and disconnect after the named
// commands (smtp-sink -Q), like a server shutting down mid-session.
func SinkDisconnect421(cmds ...string) SinkOption {
	return func(c *sinkConfig) { c.disconnect421 = append(c.disconnect421, cmds...) }
}

// SinkHangup makes the sink drop the connection without a reply after the
// named commands (smtp-sink -q), like a crashing or unreachable peer.
func SinkHangup(cmds ...string) SinkOption {
	return func(c *sinkConfig) { c.hangup = append(c.hangup, cmds...) }
}

// SinkTempFailReply sets the reply used by SinkTempFail, e.g.
// "451 4.3.0 try again later" (smtp-sink -b).
func SinkTempFailReply(reply string) SinkOption {
	return func(c *sinkConfig) { c.tempReply = reply }
}

// SinkPermFailReply sets the reply used by SinkPermFail, e.g.
// "550 5.1.1 no such user" (smtp-sink -B).
func SinkPermFailReply(reply string) SinkOption {
	return func(c *sinkConfig) { c.permReply = reply }
}

// SinkLMTP makes the sink speak LMTP instead of SMTP (smtp-sink -L).
func SinkLMTP() SinkOption { return func(c *sinkConfig) { c.lmtp = true } }

// SinkHostname sets the name in the sink's greeting and EHLO reply
// (smtp-sink -h; default "smtp-sink"). A Postfix relaying to the sink
// reports a mail loop if this equals its own myhostname.
func SinkHostname(name string) SinkOption { return func(c *sinkConfig) { c.hostname = name } }

// SinkArgs passes further smtp-sink options through unchanged, e.g.
// SinkArgs("-w", "5") to delay the reply to DATA.
func SinkArgs(args ...string) SinkOption {
	return func(c *sinkConfig) { c.extra = append(c.extra, args...) }
}

// StartSMTPSink runs Postfix's smtp-sink (Debian package postfix) on
// 127.0.0.1 on a free port, writing each received message to its own file
// in a t.TempDir() (smtp-sink -d), and stops it in t.Cleanup. Tests use it
// as a real upstream server whose replies they control and whose received
// mail they can read back. When run as root, smtp-sink drops to the user
// nobody (its -u option is mandatory for root) and the dump directory is
// owned by that user.
func StartSMTPSink(t testing.TB, opts ...SinkOption) *Sink {
	t.Helper()
	bin := LookPath(t, "smtp-sink", "postfix")
	dir := filepath.Join(tempDir(t), "sink")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatalf("testenv: %v", err)
	}
	if isRoot() {
		uid, gid := lookupUser(t, "nobody")
		if err := os.Chown(dir, uid, gid); err != nil {
			t.Fatalf("testenv: %v", err)
		}
	}
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	s := &Sink{
		Addr:    fmt.Sprintf("127.0.0.1:%d", FreePort(t)),
		Dir:     dir,
		t:       t,
		bin:     bin,
		realDir: realDir,
	}
	for _, o := range opts {
		o(&s.cfg)
	}
	t.Cleanup(s.stop)
	s.start()
	return s
}

// lookupUser returns the uid and gid of a system user.
func lookupUser(t testing.TB, name string) (int, int) {
	t.Helper()
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatalf("testenv: looking up the user %s: %v", name, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return uid, gid
}

// args is the smtp-sink command line for the current configuration.
func (s *Sink) args() []string {
	c := s.cfg
	a := []string{s.bin}
	if isRoot() {
		a = append(a, "-u", "nobody")
	}
	if c.hostname != "" {
		a = append(a, "-h", c.hostname)
	}
	if c.lmtp {
		a = append(a, "-L")
	}
	list := func(flag string, cmds []string) {
		if len(cmds) > 0 {
			a = append(a, flag, strings.Join(cmds, ","))
		}
	}
	list("-r", c.tempFail)
	list("-f", c.permFail)
	list("-Q", c.disconnect421)
	list("-q", c.hangup)
	if c.tempReply != "" {
		a = append(a, "-b", c.tempReply)
	}
	if c.permReply != "" {
		a = append(a, "-B", c.permReply)
	}
	a = append(a, c.extra...)
	// One file per transaction: the template expands with strftime and
	// smtp-sink appends a random hex id; the file is created at MAIL FROM,
	// unlinked if the transaction is abandoned, and closed at the end of
	// DATA before the reply to "." — also when that reply is a refusal, so
	// a sink that refuses "." names its files "refused-", which Messages
	// leaves out.
	prefix := "msg-"
	for _, cmds := range [][]string{c.tempFail, c.permFail, c.disconnect421, c.hangup} {
		for _, cmd := range cmds {
			if strings.TrimSpace(cmd) == "." {
				prefix = "refused-"
			}
		}
	}
	a = append(a, "-d", filepath.Join(s.Dir, prefix+"%Y%m%dT%H%M%S-"))
	return append(a, "inet:"+s.Addr, "100")
}

// start runs smtp-sink and waits until it accepts connections.
func (s *Sink) start() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc != nil {
		s.t.Fatalf("testenv: the sink on %s is already running", s.Addr)
	}
	p, err := startProc("smtp-sink", s.Dir, s.args()...)
	if err != nil {
		s.t.Fatalf("testenv: %v", err)
	}
	if err := waitListening(s.Addr, 10*time.Second, p.done); err != nil {
		p.stop(time.Second)
		s.t.Fatalf("testenv: smtp-sink: %v\n%s", err, p.describe())
	}
	s.proc = p
}

// stop kills smtp-sink and removes the files of transactions it had not
// finished, which its client never saw accepted.
func (s *Sink) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.proc
	if p == nil {
		return
	}
	open := openFiles(p)
	p.stop(5 * time.Second)
	for f := range open {
		// Only capture files: the process also had /dev/null and such open.
		if filepath.Dir(f) == s.realDir && (strings.HasPrefix(filepath.Base(f), "msg-") || strings.HasPrefix(filepath.Base(f), "refused-")) {
			os.Remove(f)
		}
	}
	s.proc = nil
}

// Stop stops the sink, so that connections to Addr are refused until
// Restart: "the upstream is down". Mail the sink had accepted stays
// readable through Messages.
func (s *Sink) Stop() {
	s.stop()
}

// Restart starts a stopped sink again on the same port with the same
// configuration (stopping it first if it is running): "the upstream is
// back".
func (s *Sink) Restart() {
	s.t.Helper()
	s.stop()
	s.start()
}

// RestartWith is Restart with exactly the options given instead of the
// ones the sink had, e.g. a sink started with SinkTempFail("RCPT") and
// restarted with RestartWith() accepts mail again.
func (s *Sink) RestartWith(opts ...SinkOption) {
	s.t.Helper()
	s.stop()
	s.mu.Lock()
	s.cfg = sinkConfig{}
	for _, o := range opts {
		o(&s.cfg)
	}
	s.mu.Unlock()
	s.start()
}

// Running reports whether the sink is running (not Stopped).
func (s *Sink) Running() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.proc != nil && !s.proc.exited()
}

// Output is what smtp-sink wrote to stdout and stderr, for failure messages.
func (s *Sink) Output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return ""
	}
	return s.proc.out.String()
}

// openFiles returns the files the process has open, from /proc/PID/fd.
func openFiles(p *proc) map[string]bool {
	open := map[string]bool{}
	if p == nil || p.exited() {
		return open
	}
	fdDir := fmt.Sprintf("/proc/%d/fd", p.cmd.Process.Pid)
	ents, err := os.ReadDir(fdDir)
	if err != nil {
		return open
	}
	for _, e := range ents {
		if target, err := os.Readlink(filepath.Join(fdDir, e.Name())); err == nil {
			open[target] = true
		}
	}
	return open
}

// Messages returns the messages the sink has accepted so far, oldest first.
// Each is the file smtp-sink wrote, with LF line endings: its own header
// lines first — X-Client-Addr, X-Client-Proto, X-Helo-Args, X-Mail-Args
// (the MAIL FROM address and parameters), one X-Rcpt-Args per RCPT TO, a
// Received header — then the message's header and body as received, so
// net/mail.ReadMessage parses the envelope and the headers together.
// Transactions still in progress (their file is still open in smtp-sink, as
// /proc/PID/fd shows) are left out, so every message returned is complete.
func (s *Sink) Messages() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	ents, err := os.ReadDir(s.Dir)
	if err != nil {
		return nil
	}
	// List first, then see what is open: a file closed after the listing is
	// complete; one opened after it is not in the listing.
	open := openFiles(s.proc)
	type msg struct {
		mod  time.Time
		name string
		data []byte
	}
	var msgs []msg
	for _, e := range ents {
		path := filepath.Join(s.Dir, e.Name())
		if !strings.HasPrefix(e.Name(), "msg-") || open[filepath.Join(s.realDir, e.Name())] {
			continue
		}
		fi, err := os.Stat(path)
		if err != nil || !fi.Mode().IsRegular() {
			continue // aborted transactions are unlinked
		}
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		msgs = append(msgs, msg{fi.ModTime(), e.Name(), data})
	}
	sort.Slice(msgs, func(i, j int) bool {
		if !msgs[i].mod.Equal(msgs[j].mod) {
			return msgs[i].mod.Before(msgs[j].mod)
		}
		return msgs[i].name < msgs[j].name
	})
	out := make([][]byte, len(msgs))
	for i, m := range msgs {
		out[i] = m.data
	}
	return out
}

// WaitCount polls until the sink has accepted at least n messages and
// returns them all (see Messages); it fails the test when timeout passes
// first, with what did arrive.
func (s *Sink) WaitCount(t testing.TB, n int, timeout time.Duration) [][]byte {
	t.Helper()
	var msgs [][]byte
	if waitFor(timeout, func() bool { msgs = s.Messages(); return len(msgs) >= n }) {
		return msgs
	}
	t.Fatalf("testenv: the sink on %s received %d messages within %v, want %d; sink output:\n%s",
		s.Addr, len(msgs), timeout, n, s.Output())
	return nil
}
