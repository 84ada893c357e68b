package queue

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
)

// Copy returns the bytes delivered for it: its headers (and the queue id,
// so a duplicate delivered after a crash can be recognised) before body.
func Copy(it *Item, body []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(body) + 256)
	// Mail to customers carries no internal ids: its Message-ID is fixed
	// when it is queued, so a duplicate after a crash is recognisable by it.
	if it.Target != "outbound" {
		fmt.Fprintf(&b, "X-Frontdesk-Queue-Id: %s\r\n", it.ID)
	}
	for _, h := range it.Headers {
		fmt.Fprintf(&b, "%s: %s\r\n", h.Name, sanitizeHeader(h.Value))
	}
	if len(it.DropHeaders) > 0 {
		body = dropHeaders(body, it.DropHeaders)
	}
	b.Write(body)
	return b.Bytes()
}

// dropHeaders removes the named fields (with their continuation lines)
// from the header block of msg.
func dropHeaders(msg []byte, names []string) []byte {
	var out bytes.Buffer
	out.Grow(len(msg))
	skipping := false
	rest := msg
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, '\n')
		line := rest
		if i >= 0 {
			line = rest[:i+1]
		}
		rest = rest[len(line):]
		if len(bytes.TrimRight(line, "\r\n")) == 0 { // end of the header block
			out.Write(line)
			out.Write(rest)
			return out.Bytes()
		}
		if line[0] == ' ' || line[0] == '\t' {
			if !skipping {
				out.Write(line)
			}
			continue
		}
		skipping = false
		if c := bytes.IndexByte(line, ':'); c > 0 {
			for _, n := range names {
				if strings.EqualFold(string(bytes.TrimSpace(line[:c])), n) {
					skipping = true
				}
			}
		}
		if !skipping {
			out.Write(line)
		}
	}
	return out.Bytes()
}

// sanitizeHeader keeps a value on one line: header values come from mail
// and rules, and a CR or LF in them would inject headers.
func sanitizeHeader(v string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, v)
}

// Maildir delivers into Maildirs under Root: Root/<Item.Mailbox>/ (or Root
// itself when Mailbox is empty), with the tmp → new rename of the Maildir
// spec and fsyncs of the file and both directories, so a delivered message
// survives a power loss.
type Maildir struct {
	Root     string
	Hostname string
	seq      atomic.Uint64
}

// Name implements Target.
func (m *Maildir) Name() string { return "maildir" }

// Deliver implements Target.
func (m *Maildir) Deliver(ctx context.Context, it *Item, body []byte) error {
	dir := m.Root
	if it.Mailbox != "" {
		if strings.ContainsAny(it.Mailbox, "/\\") || it.Mailbox == "." || it.Mailbox == ".." {
			return Permanent(fmt.Errorf("maildir: bad mailbox name %q", it.Mailbox))
		}
		dir = filepath.Join(m.Root, it.Mailbox)
	}
	if err := EnsureMaildir(dir); err != nil {
		return err
	}
	var rnd [4]byte
	rand.Read(rnd[:])
	now := time.Now()
	name := fmt.Sprintf("%d.M%dP%dQ%dR%s.%s", now.Unix(), now.Nanosecond()/1000, os.Getpid(), m.seq.Add(1), hex.EncodeToString(rnd[:]), m.host())
	tmp := filepath.Join(dir, "tmp", name)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return fmt.Errorf("maildir: %w", err)
	}
	// Final delivery records the envelope sender (RFC 5321 §4.4).
	data := append([]byte("Return-Path: <"+sanitizeHeader(it.From)+">\r\n"), Copy(it, body)...)
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("maildir write %s: %w", tmp, err)
	}
	final := filepath.Join(dir, "new", fmt.Sprintf("%s,S=%d", name, len(data)))
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("maildir: %w", err)
	}
	return syncDir(filepath.Join(dir, "new"))
}

func (m *Maildir) host() string {
	h := m.Hostname
	if h == "" {
		h, _ = os.Hostname()
	}
	// '/' and ':' are not allowed in Maildir names.
	return strings.NewReplacer("/", "\\057", ":", "\\072").Replace(h)
}

// EnsureMaildir creates dir/{tmp,new,cur}.
func EnsureMaildir(dir string) error {
	for _, sub := range []string{"tmp", "new", "cur"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o750); err != nil {
			return fmt.Errorf("maildir: %w", err)
		}
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}

// SMTP delivers to an SMTP or LMTP server. One connection per attempt
// keeps it simple and robust; agent mailboxes are low-rate.
type SMTP struct {
	LMTP    bool
	Network string // tcp or unix
	Addr    string
	Helo    string
	Timeout time.Duration // per command and for the whole body write
}

// Name implements Target.
func (s *SMTP) Name() string {
	if s.LMTP {
		return "lmtp"
	}
	return "smtp"
}

// Deliver implements Target.
func (s *SMTP) Deliver(ctx context.Context, it *Item, body []byte) (err error) {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	d := net.Dialer{Timeout: 30 * time.Second}
	conn, err := d.DialContext(ctx, s.Network, s.Addr)
	if err != nil {
		return fmt.Errorf("%s %s: %w", s.Name(), s.Addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	var c *smtp.Client
	if s.LMTP {
		c = smtp.NewClientLMTP(conn)
	} else {
		c = smtp.NewClient(conn)
	}
	c.CommandTimeout = timeout
	c.SubmissionTimeout = timeout
	defer c.Close()
	wrap := func(stage string, err error) error {
		var se *smtp.SMTPError
		if errors.As(err, &se) && !se.Temporary() {
			return Permanent(fmt.Errorf("%s %s: %s: %w", s.Name(), s.Addr, stage, err))
		}
		return fmt.Errorf("%s %s: %s: %w", s.Name(), s.Addr, stage, err)
	}
	if err := c.Hello(s.Helo); err != nil {
		return wrap("hello", err)
	}
	if err := c.Mail(it.From, nil); err != nil {
		return wrap("mail from", err)
	}
	for _, rcpt := range it.To {
		if err := c.Rcpt(rcpt, nil); err != nil {
			return wrap("rcpt to "+rcpt, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return wrap("data", err)
	}
	conn.SetWriteDeadline(time.Now().Add(timeout))
	if _, err := w.Write(Copy(it, body)); err != nil {
		return wrap("data", err)
	}
	if s.LMTP {
		if _, err := w.CloseWithLMTPResponse(); err != nil {
			var le smtp.LMTPDataError
			if errors.As(err, &le) {
				// Retry the whole item if any recipient failed temporarily;
				// permanent only if all failed permanently.
				perm := true
				for _, e := range le {
					if e.Temporary() {
						perm = false
					}
				}
				if perm {
					return Permanent(fmt.Errorf("lmtp %s: %w", s.Addr, err))
				}
			}
			return wrap("end of data", err)
		}
	} else if err := w.Close(); err != nil {
		return wrap("end of data", err)
	}
	c.Quit()
	return nil
}
