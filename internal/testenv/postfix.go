package testenv

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// PostfixConfig describes a private Postfix instance: a loopback MTA that
// accepts mail durably and relays it to one next hop.
type PostfixConfig struct {
	// Relayhost is the next hop for all mail, host:port (written as
	// relayhost = [host]:port, no MX lookup) or a literal Postfix relayhost
	// value when it contains '['. Required: a Frontdesk or a Sink address.
	Relayhost string
	// RelayDomains are the recipient domains relayed for any client;
	// default bench.example. Clients on 127.0.0.0/8 may relay anywhere.
	RelayDomains []string
	// Listen is the smtpd listener, 127.0.0.1:port; empty: a free port.
	Listen string
	// Hostname is myhostname, default postfix-peer.localdomain. It must
	// differ from the name the relayhost greets with, or Postfix reports a
	// mail loop and defers.
	Hostname string
	// ProcessLimit is default_process_limit, default 250.
	ProcessLimit int
	// Main holds extra main.cf lines ("name = value"), written last so they
	// override the defaults above, e.g. "message_size_limit = 52428800".
	Main []string
}

// Postfix is a running private Postfix instance.
type Postfix struct {
	// Addr is the smtpd listener, 127.0.0.1:port.
	Addr string
	// Dir is the instance's scratch directory: etc/, queue/, data/, log/.
	Dir string
	// ConfigDir is Dir/etc, the argument of postfix -c.
	ConfigDir string
	// MaillogPath is Postfix's log file (maillog_file; there is no syslog).
	MaillogPath string

	postfix string
}

// postfixMainCF is main.cf of a private instance (see StartPostfix).
const postfixMainCF = `# Private Postfix for Frontdesk tests and benchmarks: loopback only, no
# local delivery, everything relayed to relayhost.
compatibility_level = 3.6
queue_directory = {{dir}}/queue
data_directory = {{dir}}/data
myhostname = {{hostname}}
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
local_transport = error:local delivery is disabled
relay_domains = {{relay_domains}}
relay_recipient_maps =
relayhost = {{relayhost}}
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination
default_process_limit = {{process_limit}}
smtpd_tls_security_level = none
smtp_tls_security_level = none
biff = no
maillog_file = {{dir}}/log/maillog
# maillog_file must lie under one of these prefixes (default: /var, /dev/stdout).
maillog_file_prefixes = {{dir}}/log
`

// PostfixMainCF returns the main.cf of a private instance in the scratch
// directory dir (absolute) for cfg.
func PostfixMainCF(dir string, cfg PostfixConfig) (string, error) {
	if cfg.Relayhost == "" {
		return "", fmt.Errorf("PostfixConfig.Relayhost is required")
	}
	relayhost := cfg.Relayhost
	if !strings.Contains(relayhost, "[") {
		host, port, err := net.SplitHostPort(relayhost)
		if err != nil {
			return "", fmt.Errorf("relayhost %q: %v", relayhost, err)
		}
		relayhost = fmt.Sprintf("[%s]:%s", host, port)
	}
	domains := cfg.RelayDomains
	if len(domains) == 0 {
		domains = []string{"bench.example"}
	}
	hostname := cfg.Hostname
	if hostname == "" {
		hostname = "postfix-peer.localdomain"
	}
	limit := cfg.ProcessLimit
	if limit == 0 {
		limit = 250
	}
	conf := postfixMainCF
	for k, v := range map[string]string{
		"dir":           dir,
		"hostname":      hostname,
		"relay_domains": strings.Join(domains, ", "),
		"relayhost":     relayhost,
		"process_limit": strconv.Itoa(limit),
	} {
		conf = strings.ReplaceAll(conf, "{{"+k+"}}", v)
	}
	for _, l := range cfg.Main {
		conf += l + "\n"
	}
	return conf, nil
}

// postfixPipeServices are master.cf's pipe(8) transports in Debian's
// master.cf, which the private instance drops.
var postfixPipeServices = []string{"maildrop", "uucp", "ifmail", "bsmtp", "scalemail-backend", "mailman"}

// WritePostfixConfig sets up a private Postfix instance in the scratch
// directory dir (absolute; it must be reachable by the postfix user) for
// cfg, with cfg.Listen set: it is what StartPostfix does before starting,
// for a benchmark harness that manages the instance itself. Must run as
// root. The equivalent shell commands, for a bench script:
//
//	mkdir -p $DIR/etc $DIR/queue $DIR/data $DIR/log
//	chown postfix $DIR/data
//	cp /etc/postfix/master.cf /etc/postfix/postfix-files $DIR/etc/
//	cat > $DIR/etc/main.cf        # PostfixMainCF
//	postconf -c $DIR/etc -MX smtp/inet maildrop/unix uucp/unix ifmail/unix \
//	    bsmtp/unix scalemail-backend/unix mailman/unix
//	postconf -c $DIR/etc -F '*/*/chroot = n'
//	postconf -c $DIR/etc -Me '127.0.0.1:10025/inet = 127.0.0.1:10025 inet n - n - - smtpd'
//	postfix -c $DIR/etc start     # runs postfix check first; creates queue/*
//	...
//	postfix -c $DIR/etc stop
func WritePostfixConfig(dir string, cfg PostfixConfig) error {
	if cfg.Listen == "" {
		return fmt.Errorf("PostfixConfig.Listen is required")
	}
	if _, _, err := net.SplitHostPort(cfg.Listen); err != nil {
		return fmt.Errorf("listen %q: %v", cfg.Listen, err)
	}
	etc := filepath.Join(dir, "etc")
	for _, sub := range []string{"etc", "queue", "data", "log"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return err
		}
	}
	// master runs as root but the daemons as the postfix user, which must
	// own data_directory (master.lock, the TLS caches).
	pu, err := user.Lookup("postfix")
	if err != nil {
		return fmt.Errorf("the postfix user: %v", err)
	}
	uid, _ := strconv.Atoi(pu.Uid)
	if err := os.Chown(filepath.Join(dir, "data"), uid, -1); err != nil {
		return err
	}
	for _, f := range []string{"master.cf", "postfix-files"} {
		b, err := os.ReadFile(filepath.Join("/etc/postfix", f))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(etc, f), b, 0o644); err != nil {
			return err
		}
	}
	main, err := PostfixMainCF(dir, cfg)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(etc, "main.cf"), []byte(main), 0o644); err != nil {
		return err
	}
	postconf := lookPath("postconf")
	if postconf == "" {
		return fmt.Errorf("postconf not found")
	}
	// Drop the system's port 25 listener and the pipe transports, never
	// chroot (the queue is not set up for it), listen on cfg.Listen.
	drop := []string{"-c", etc, "-MX", "smtp/inet"}
	for _, s := range postfixPipeServices {
		drop = append(drop, s+"/unix")
	}
	for _, args := range [][]string{
		drop,
		{"-c", etc, "-F", "*/*/chroot = n"},
		{"-c", etc, "-Me", fmt.Sprintf("%s/inet = %s inet n - n - - smtpd", cfg.Listen, cfg.Listen)},
	} {
		if out, err := exec.Command(postconf, args...).CombinedOutput(); err != nil {
			return fmt.Errorf("postconf %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	return nil
}

// StartPostfix runs a private Postfix instance (Debian package postfix),
// never the system's: its own config directory,
// queue and maillog_file in a t.TempDir(), smtpd only on 127.0.0.1, all
// mail relayed to cfg.Relayhost. It is started with postfix -c DIR start
// and stopped with postfix -c DIR stop in t.Cleanup; the system instance
// (/etc/postfix, /var/spool/postfix) is never touched. Tests use it as a
// real MTA in front of Frontdesk, the load benchmark as the baseline.
// Postfix needs root: without it the test skips (or fails when required).
func StartPostfix(t testing.TB, cfg PostfixConfig) *Postfix {
	t.Helper()
	bin := LookPath(t, "postfix", "postfix")
	LookPath(t, "postconf", "postfix")
	if !isRoot() {
		unavailable(t, fmt.Sprintf("a private Postfix instance needs root, and the tests run as uid %d", os.Geteuid()))
	}
	if cfg.Listen == "" {
		cfg.Listen = fmt.Sprintf("127.0.0.1:%d", FreePort(t))
	}
	dir := tempDir(t)
	p := &Postfix{
		Addr:        cfg.Listen,
		Dir:         dir,
		ConfigDir:   filepath.Join(dir, "etc"),
		MaillogPath: filepath.Join(dir, "log", "maillog"),
		postfix:     bin,
	}
	if err := WritePostfixConfig(dir, cfg); err != nil {
		t.Fatalf("testenv: postfix: %v", err)
	}
	if out, err := p.command("start"); err != nil {
		t.Fatalf("testenv: postfix -c %s start: %v\n%s\nmaillog:\n%s", p.ConfigDir, err, out, p.Maillog())
	}
	t.Cleanup(func() { p.stop(t) })
	if err := waitListening(p.Addr, 20*time.Second, nil); err != nil {
		t.Fatalf("testenv: postfix: %v\nmaillog:\n%s", err, p.Maillog())
	}
	return p
}

// command runs postfix -c ConfigDir verb, for at most a minute: a
// postfix command that hangs (once seen with an instance whose log daemon
// never started) fails its test with the maillog instead of holding the
// whole run until go test's timeout.
func (p *Postfix) command(verb string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, p.postfix, "-c", p.ConfigDir, verb).CombinedOutput()
	if ctx.Err() != nil {
		err = fmt.Errorf("postfix %s: no answer within a minute: %w", verb, ctx.Err())
	}
	return string(out), err
}

// stop runs postfix stop (which itself waits up to 5 s for master to exit
// and then kills its process group) and checks that the instance is down.
func (p *Postfix) stop(t testing.TB) {
	if out, err := p.command("stop"); err != nil {
		t.Errorf("testenv: postfix -c %s stop: %v\n%s", p.ConfigDir, err, out)
	}
	if !waitFor(10*time.Second, func() bool { _, err := p.command("status"); return err != nil }) {
		t.Errorf("testenv: the private postfix in %s is still running after stop", p.Dir)
	}
}

// Maillog is the contents of the instance's log file, for failure messages
// and for tests that look for a delivery's status= line.
func (p *Postfix) Maillog() string {
	b, _ := os.ReadFile(p.MaillogPath)
	return string(b)
}

// Flush asks Postfix to retry deferred mail now (postfix flush) instead of
// after its backoff (minimal_backoff_time, 300 s by default), e.g. after
// the relayhost came back.
func (p *Postfix) Flush(t testing.TB) {
	t.Helper()
	// A message whose deferral is logged may still sit in the active
	// queue for a moment; a flush then finds nothing to flush and the
	// message waits out its backoff. So wait for the active queue to drain.
	if !waitFor(30*time.Second, func() bool { return p.queueCount("active") == 0 }) {
		t.Fatalf("testenv: the private postfix's active queue did not drain; maillog:\n%s", p.Maillog())
	}
	if out, err := p.command("flush"); err != nil {
		t.Fatalf("testenv: postfix -c %s flush: %v\n%s", p.ConfigDir, err, out)
	}
}

// QueueSize is the number of messages in the instance's queue (incoming,
// active, deferred, hold): 0 once everything has been relayed.
func (p *Postfix) QueueSize() int {
	n := 0
	for _, q := range []string{"maildrop", "incoming", "active", "deferred", "hold"} {
		n += p.queueCount(q)
	}
	return n
}

// queueCount is the number of messages in one of the queue's directories.
func (p *Postfix) queueCount(queue string) int {
	n := 0
	filepath.WalkDir(filepath.Join(p.Dir, "queue", queue), func(_ string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return nil
	})
	return n
}

// WaitQueueEmpty polls until the queue is empty and fails the test when
// timeout passes first.
func (p *Postfix) WaitQueueEmpty(t testing.TB, timeout time.Duration) {
	t.Helper()
	// A walk of the queue directories can miss a file that Postfix renames
	// from deferred/ back to active/ mid-walk, so empty must be seen on two
	// polls in a row.
	zeros := 0
	if !waitFor(timeout, func() bool {
		if p.QueueSize() == 0 {
			zeros++
		} else {
			zeros = 0
		}
		return zeros >= 2
	}) {
		t.Fatalf("testenv: the private postfix still has %d queued messages after %v; maillog:\n%s",
			p.QueueSize(), timeout, p.Maillog())
	}
}
