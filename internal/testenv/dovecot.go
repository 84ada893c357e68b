package testenv

import (
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Dovecot is a private Dovecot instance that only speaks LMTP: the agents'
// mailboxes a Frontdesk queue delivers to with an lmtp:// or lmtp+unix://
// target. Every recipient is accepted and stored in its own Maildir under
// MailRoot.
type Dovecot struct {
	// LMTPAddr is the LMTP listener's host:port on 127.0.0.1.
	LMTPAddr string
	// LMTPSocket is the path of the LMTP unix socket.
	LMTPSocket string
	// MailRoot holds one directory per user: MailRoot/<user>/Maildir.
	MailRoot string
	// Dir is the instance's directory: dovecot.conf, run/, state/, log.
	Dir string
	// LogPath is Dovecot's log file.
	LogPath string

	proc *proc
}

// dovecotConf is the complete configuration of a private instance; no file
// of the system instance (/etc/dovecot) is included.
const dovecotConf = `# Private Dovecot for Frontdesk tests: LMTP only, loopback only.
base_dir = {{run}}
state_dir = {{dir}}/state
instance_name = {{instance}}
protocols = lmtp
listen = 127.0.0.1
ssl = no
log_path = {{log}}
info_log_path = {{log}}
mail_location = maildir:{{mailroot}}/%u/Maildir
# The mail user is an ordinary unprivileged user (nobody when the tests run
# as root); Dovecot refuses uids below first_valid_uid (default 500).
first_valid_uid = {{uid}}
first_valid_gid = 1
default_internal_user = {{internal_user}}
default_internal_group = {{internal_group}}
default_login_user = {{login_user}}
lmtp_save_to_detail_mailbox = no
passdb {
  driver = static
  args = nopassword=y
}
userdb {
  driver = static
  args = uid={{uid}} gid={{gid}} home={{mailroot}}/%u
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = {{port}}
  }
  unix_listener {{socket}} {
    mode = 0666
  }
}
{{nonroot}}`

// StartDovecotLMTP runs a private Dovecot (Debian packages dovecot-core and
// dovecot-lmtpd) in the foreground with its own dovecot.conf in a
// t.TempDir(): no IMAP or POP3, LMTP on 127.0.0.1:<free port> and on a unix
// socket, a static userdb that accepts any user and stores its mail as
// Maildir. It is stopped in t.Cleanup. When the tests run as root the mail
// is written as the user nobody (Dovecot refuses uid 0 for mail) and the
// test, being root, reads it anyway; otherwise everything runs as the
// current user.
func StartDovecotLMTP(t testing.TB) *Dovecot {
	t.Helper()
	bin := LookPath(t, "dovecot", "dovecot-core")
	if lookPath("lmtp") == "" {
		Integration(t, "Dovecot's LMTP server (/usr/lib/dovecot/lmtp)", "dovecot-lmtpd")
	}
	dir := tempDir(t)
	// Unix socket paths are limited to 107 bytes, and Dovecot keeps its
	// sockets in base_dir; a long $TMPDIR or test name would break them.
	run := filepath.Join(dir, "run")
	if len(run) > 70 {
		short, err := os.MkdirTemp("/tmp", "fdtest-dovecot-")
		if err != nil {
			t.Fatalf("testenv: %v", err)
		}
		t.Cleanup(func() { os.RemoveAll(short) })
		if isRoot() {
			os.Chmod(short, 0o755)
		}
		run = filepath.Join(short, "run")
	}
	d := &Dovecot{
		Dir:        dir,
		MailRoot:   filepath.Join(dir, "mail"),
		LogPath:    filepath.Join(dir, "dovecot.log"),
		LMTPSocket: filepath.Join(filepath.Dir(run), "lmtp.sock"),
	}
	port := FreePort(t)
	d.LMTPAddr = fmt.Sprintf("127.0.0.1:%d", port)
	for _, sub := range []string{"state", "mail"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o755); err != nil {
			t.Fatalf("testenv: %v", err)
		}
	}

	vars := map[string]string{
		"dir":      dir,
		"run":      run,
		"log":      d.LogPath,
		"mailroot": d.MailRoot,
		"socket":   d.LMTPSocket,
		"port":     fmt.Sprint(port),
		"instance": fmt.Sprintf("fdtest-%d", port),
	}
	if isRoot() {
		uid, gid := lookupUser(t, "nobody")
		if err := os.Chown(d.MailRoot, uid, gid); err != nil {
			t.Fatalf("testenv: %v", err)
		}
		vars["uid"], vars["gid"] = fmt.Sprint(uid), fmt.Sprint(gid)
		// Dovecot's own unprivileged users, created by dovecot-core.
		vars["internal_user"], vars["internal_group"], vars["login_user"] = "dovecot", "dovecot", "dovenull"
		vars["nonroot"] = ""
	} else {
		u, err := user.Current()
		if err != nil {
			t.Fatalf("testenv: %v", err)
		}
		g, err := user.LookupGroupId(u.Gid)
		if err != nil {
			t.Fatalf("testenv: %v", err)
		}
		vars["uid"], vars["gid"] = u.Uid, u.Gid
		vars["internal_user"], vars["internal_group"], vars["login_user"] = u.Username, g.Name, u.Username
		// Without root, Dovecot cannot chroot.
		vars["nonroot"] = "service anvil {\n  chroot =\n}\n"
	}
	conf := dovecotConf
	for k, v := range vars {
		conf = strings.ReplaceAll(conf, "{{"+k+"}}", v)
	}
	confPath := filepath.Join(dir, "dovecot.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		t.Fatalf("testenv: %v", err)
	}

	p, err := startProc("dovecot", dir, bin, "-F", "-c", confPath)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	d.proc = p
	t.Cleanup(func() { p.stop(10 * time.Second) })
	for _, addr := range []string{d.LMTPAddr, "unix:" + d.LMTPSocket} {
		if err := waitListening(addr, 20*time.Second, p.done); err != nil {
			t.Fatalf("testenv: dovecot: %v\n%s\nlog:\n%s", err, p.describe(), d.Log())
		}
	}
	return d
}

// Log is the contents of Dovecot's log file, for failure messages.
func (d *Dovecot) Log() string {
	b, _ := os.ReadFile(d.LogPath)
	return string(b)
}

// Mailbox is the Maildir of user: the address given in RCPT TO, lowercased
// (Dovecot's username is the full address, %Lu).
func (d *Dovecot) Mailbox(user string) string {
	return filepath.Join(d.MailRoot, strings.ToLower(user), "Maildir")
}

// Messages returns the messages in user's Maildir (new/ and cur/), oldest
// first. Dovecot writes each into tmp/ and renames it into new/, so every
// file seen here is complete.
func (d *Dovecot) Messages(user string) [][]byte {
	box := d.Mailbox(user)
	type msg struct {
		name string
		data []byte
	}
	var msgs []msg
	for _, sub := range []string{"new", "cur"} {
		ents, err := os.ReadDir(filepath.Join(box, sub))
		if err != nil {
			continue
		}
		for _, e := range ents {
			if !e.Type().IsRegular() {
				continue
			}
			data, err := os.ReadFile(filepath.Join(box, sub, e.Name()))
			if err != nil {
				continue // moved from new/ to cur/ meanwhile
			}
			msgs = append(msgs, msg{e.Name(), data})
		}
	}
	// Maildir names start with the delivery time: seconds, then
	// M<microseconds>; order by those, then by the whole name.
	sort.Slice(msgs, func(i, j int) bool { return maildirKey(msgs[i].name) < maildirKey(msgs[j].name) })
	out := make([][]byte, len(msgs))
	for i, m := range msgs {
		out[i] = m.data
	}
	return out
}

// maildirKey makes "1795381573.M478329P11954.host" sort by time.
func maildirKey(name string) string {
	secs, rest, _ := strings.Cut(name, ".")
	usec := ""
	if strings.HasPrefix(rest, "M") {
		usec = strings.TrimLeft(rest[1:], "0123456789")
		usec = rest[1 : len(rest)-len(usec)]
	}
	return fmt.Sprintf("%020s.%06s.%s", secs, usec, name)
}

// WaitMaildir polls until user's Maildir holds at least n messages and
// returns them (see Messages); it fails the test when timeout passes first,
// with Dovecot's log.
func (d *Dovecot) WaitMaildir(t testing.TB, user string, n int, timeout time.Duration) [][]byte {
	t.Helper()
	var msgs [][]byte
	if waitFor(timeout, func() bool { msgs = d.Messages(user); return len(msgs) >= n }) {
		return msgs
	}
	t.Fatalf("testenv: %s has %d messages after %v, want %d; dovecot log:\n%s",
		d.Mailbox(user), len(msgs), timeout, n, d.Log())
	return nil
}
