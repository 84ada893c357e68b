// Package testenv starts the real mail software that Frontdesk's tests talk
// to — swaks and Python's smtplib as clients, Postfix's smtp-sink and a
// private Postfix instance as upstream peers, a private Dovecot LMTP server
// as the agents' mailboxes — each on 127.0.0.1, on a free port, in a
// t.TempDir(), stopped in t.Cleanup. A missing peer skips the test, or fails
// it when FRONTDESK_INTEGRATION=require (as CI sets), naming the Debian
// package that provides it. Readiness and delivery are awaited by polling
// with deadlines, never by sleeping.
package testenv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// EnvIntegration is the environment variable that turns a missing peer from
// a skip into a failure when it is set to "require".
const EnvIntegration = "FRONTDESK_INTEGRATION"

// Required reports whether FRONTDESK_INTEGRATION=require is set, that is
// whether a missing peer must fail the test instead of skipping it.
func Required() bool {
	return os.Getenv(EnvIntegration) == "require"
}

// Integration reports that a peer the test needs (what) is unavailable: it
// skips the test, or fails it when FRONTDESK_INTEGRATION=require, so that CI
// cannot go green by silently skipping the tests that talk to real software.
// debPackage names the Debian package that provides the peer. It does not
// return.
func Integration(t testing.TB, what, debPackage string) {
	t.Helper()
	unavailable(t, fmt.Sprintf("%s is not available (install the Debian package %s)", what, debPackage))
}

// unavailable skips or fails the test with msg, per FRONTDESK_INTEGRATION.
func unavailable(t testing.TB, msg string) {
	t.Helper()
	if Required() {
		t.Fatalf("%s, and %s=require is set", msg, EnvIntegration)
		return
	}
	t.Skipf("%s; skipping (set %s=require to make this a failure)", msg, EnvIntegration)
}

// extraBinDirs are searched after $PATH: Debian puts the Postfix and Dovecot
// tools in sbin directories that a non-root $PATH usually lacks, and the
// Postfix daemons under /usr/lib/postfix/sbin.
var extraBinDirs = []string{
	"/usr/sbin", "/sbin", "/usr/local/sbin",
	"/usr/lib/postfix/sbin", "/usr/lib/dovecot",
}

// lookPath is LookPath without the testing side: the path or "".
func lookPath(bin string) string {
	if p, err := exec.LookPath(bin); err == nil {
		if abs, err := filepath.Abs(p); err == nil {
			return abs
		}
		return p
	}
	for _, d := range extraBinDirs {
		p := filepath.Join(d, bin)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// LookPath finds the executable bin in $PATH or in the sbin and libexec
// directories Debian uses for mail software (/usr/sbin, /usr/lib/postfix/sbin,
// /usr/lib/dovecot …), so tests find smtp-sink or dovecot whatever the
// caller's $PATH. When it is missing the test skips or fails per Integration.
func LookPath(t testing.TB, bin, debPackage string) string {
	t.Helper()
	if p := lookPath(bin); p != "" {
		return p
	}
	Integration(t, "the program "+bin, debPackage)
	return ""
}

var (
	portsMu sync.Mutex
	ports   = map[int]bool{}
)

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago, for a
// peer that must be told its port on the command line or in a config file.
// Within one test binary it never returns the same port twice, so two peers
// started by one test cannot collide with each other.
//
// The port is drawn from below the kernel's ephemeral range: a port the
// kernel hands out for ":0" is also what it hands out for the next outgoing
// connection of any process, so between our probe and the peer's bind a
// client in a parallel test package could take it ("address already in use").
func FreePort(t testing.TB) int {
	t.Helper()
	lo, hi := portRange()
	for range 200 {
		port := lo + rand.IntN(hi-lo)
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue
		}
		l.Close()
		portsMu.Lock()
		used := ports[port]
		ports[port] = true
		portsMu.Unlock()
		if !used {
			return port
		}
	}
	t.Fatalf("testenv: no free port found in %d-%d", lo, hi)
	return 0
}

// portRange is the range FreePort draws from: the 10,000 ports below the
// start of the ephemeral range (net.ipv4.ip_local_port_range).
func portRange() (lo, hi int) {
	hi = 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if n, err := strconv.Atoi(f[0]); err == nil && n > 11024 {
				hi = n
			}
		}
	}
	return hi - 10000, hi
}

// pollInterval is the period of every readiness and delivery poll loop.
const pollInterval = 10 * time.Millisecond

// dialAddr splits addr into a network and address: "unix:/path" and "/path"
// are unix sockets, anything else is TCP host:port.
func dialAddr(addr string) (network, address string) {
	switch {
	case strings.HasPrefix(addr, "unix:"):
		return "unix", strings.TrimPrefix(addr, "unix:")
	case strings.HasPrefix(addr, "/"):
		return "unix", addr
	}
	return "tcp", addr
}

// WaitListening polls until something accepts connections on addr (TCP
// "host:port", or a unix socket as "unix:/path" or "/path") and fails the
// test when timeout passes first. It is how tests wait for a peer or a
// server under test to be ready, instead of sleeping.
func WaitListening(t testing.TB, addr string, timeout time.Duration) {
	t.Helper()
	if err := waitListening(addr, timeout, nil); err != nil {
		t.Fatalf("testenv: %v", err)
	}
}

// waitListening polls addr; it gives up early when done is closed (the
// process that should listen has exited).
func waitListening(addr string, timeout time.Duration, done <-chan struct{}) error {
	network, address := dialAddr(addr)
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	var lastErr error
	for {
		c, err := net.DialTimeout(network, address, 250*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		lastErr = err
		if time.Now().After(deadline) {
			return fmt.Errorf("nothing listening on %s after %v: %v", addr, timeout, lastErr)
		}
		select {
		case <-tick.C:
		case <-done:
			return fmt.Errorf("the process exited before listening on %s", addr)
		}
	}
}

// SyncBuffer is a bytes.Buffer safe for a process's stdout and stderr and a
// reading test at the same time.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// proc is a peer process run in its own process group, so that stopping it
// also stops the children it forked and nothing else.
type proc struct {
	name string
	cmd  *exec.Cmd
	out  *SyncBuffer
	done chan struct{}
	err  error // the Wait result, valid once done is closed
}

// startProc starts argv[0] with args in a new process group, its stdout and
// stderr collected in memory.
func startProc(name string, dir string, argv ...string) (*proc, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	out := &SyncBuffer{}
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %v", name, err)
	}
	p := &proc{name: name, cmd: cmd, out: out, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// exited reports whether the process has exited.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends SIGTERM to the process group, waits up to grace for the leader
// to exit, then SIGKILLs the group (which also takes any straggling
// children) and waits for the leader.
func (p *proc) stop(grace time.Duration) {
	pgid := p.cmd.Process.Pid
	if !p.exited() {
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(grace):
		}
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	<-p.done
}

// describe is the process's exit status and output, for failure messages.
func (p *proc) describe() string {
	status := "still running"
	if p.exited() {
		status = fmt.Sprintf("exited: %v", p.err)
	}
	return fmt.Sprintf("%s (%s); output:\n%s", p.name, status, p.out.String())
}

// ClientTimeout bounds every swaks and python3 run.
var ClientTimeout = 60 * time.Second

// runClient runs a client program with ClientTimeout and returns its
// combined output.
func runClient(path string, env []string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), ClientTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stdin = nil
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() == context.DeadlineExceeded {
		err = fmt.Errorf("%s timed out after %v: %w", filepath.Base(path), ClientTimeout, err)
	}
	return string(out), err
}

// Swaks runs swaks (the scriptable SMTP/LMTP client from the Debian package
// swaks) with args, bounded by ClientTimeout, and returns its combined
// output — the whole transcript — and the error from running it. Tests use
// it as an independent, real client: a non-zero exit code (see ExitCode)
// tells where the transaction failed: 2 connection, 21 banner, 22 HELO,
// 23 MAIL, 24 all RCPTs, 25 DATA, 26 end of data (".").
func Swaks(t testing.TB, args ...string) (string, error) {
	t.Helper()
	path := LookPath(t, "swaks", "swaks")
	return runClient(path, nil, args...)
}

// SwaksOK is Swaks for a transaction that must succeed: it fails the test
// with the transcript when swaks exits non-zero.
func SwaksOK(t testing.TB, args ...string) string {
	t.Helper()
	out, err := Swaks(t, args...)
	if err != nil {
		t.Fatalf("swaks %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// ExitCode is the exit status in an error returned by Swaks or Python3: 0
// for nil, -1 when the program did not exit normally (not found, killed).
func ExitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// Python3 runs script with python3 -c, passing args as sys.argv[1:], bounded
// by ClientTimeout, and returns the combined output. It exists for clients
// written with smtplib (a second, independent SMTP implementation next to
// swaks) and for checks with python3-dkim. Debian's /usr/bin/python3 is
// preferred to whatever python3 comes first in $PATH, because the Debian
// packages (python3-dkim) install their modules for that interpreter.
func Python3(t testing.TB, script string, args ...string) (string, error) {
	t.Helper()
	path := "/usr/bin/python3"
	if fi, err := os.Stat(path); err != nil || fi.Mode()&0o111 == 0 {
		path = LookPath(t, "python3", "python3")
	}
	return runClient(path, []string{"PYTHONDONTWRITEBYTECODE=1", "PYTHONIOENCODING=utf-8"},
		append([]string{"-c", script}, args...)...)
}

// isRoot reports whether the tests run as root: peers then drop privileges
// to an unprivileged user, which must be able to reach their directories.
func isRoot() bool { return os.Geteuid() == 0 }

// openPath makes dir and its parent (the test's temporary root, which Go
// creates with mode 0700) traversable by other users, so that a peer that
// drops privileges (smtp-sink -u, Dovecot, Postfix) can reach its files.
func openPath(t testing.TB, dir string) {
	t.Helper()
	for _, d := range []string{dir, filepath.Dir(dir)} {
		fi, err := os.Stat(d)
		if err != nil {
			t.Fatalf("testenv: %v", err)
		}
		if err := os.Chmod(d, fi.Mode().Perm()|0o711); err != nil {
			t.Fatalf("testenv: %v", err)
		}
	}
}

// tempDir is t.TempDir(), opened for unprivileged peers when running as
// root.
func tempDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if isRoot() {
		openPath(t, dir)
	}
	return dir
}

// waitFor polls cond until it returns true or timeout passes.
func waitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		<-tick.C
	}
}

// FilesContaining returns the files under dir whose bytes contain token:
// what an erasure or a purge must leave none of.
func FilesContaining(t testing.TB, dir string, token []byte) []string {
	t.Helper()
	var hits []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, err := os.ReadFile(path); err == nil && bytes.Contains(b, token) {
				hits = append(hits, path)
			}
		}
		return err
	})
	if err != nil {
		t.Fatalf("testenv: search %s: %v", dir, err)
	}
	return hits
}
