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
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/frontdesk-mail/frontdesk/internal/rfc5322"
	"github.com/frontdesk-mail/frontdesk/third_party/go-smtp"
)

// Copy returns the bytes delivered for it: its headers (and the queue id,
// so a duplicate delivered after a crash can be recognised) before body.
// It comes in two pieces so that a large body is not copied: the new
// header block (ours, then body's without it.DropHeaders) and the rest of
// body, a slice of it.
func Copy(it *Item, body []byte) (head, rest []byte) {
	hdr, rest := splitHeader(body)
	var b bytes.Buffer
	b.Grow(len(hdr) + 256)
	// Mail to customers carries no internal ids: its Message-ID is fixed
	// when it is queued, so a duplicate after a crash is recognisable by it.
	if it.Target != Outbound {
		fmt.Fprintf(&b, "X-Frontdesk-Queue-Id: %s\r\n", it.ID)
	}
	for _, h := range it.Headers {
		fmt.Fprintf(&b, "%s: %s\r\n", h.Name, sanitizeHeader(h.Value))
	}
	if len(it.DropHeaders) > 0 {
		dropHeaders(&b, hdr, it.DropHeaders)
	} else {
		b.Write(hdr)
	}
	return b.Bytes(), rest
}

// splitHeader cuts msg after the blank line that ends its header block
// (hdr keeps it); a mail without one is all header.
func splitHeader(msg []byte) (hdr, rest []byte) {
	_, rest, _ = rfc5322.Split(msg)
	return msg[:len(msg)-len(rest)], rest
}

// dropHeaders writes the header block hdr to out without the named fields
// (and their continuation lines); a name ending in "*" drops every field
// whose name starts with the rest.
func dropHeaders(out *bytes.Buffer, hdr []byte, names []string) {
	for name, field := range rfc5322.Fields(hdr) {
		if name == "" || !slices.ContainsFunc(names, func(n string) bool { return headerMatch(name, n) }) {
			out.Write(field)
		}
	}
}

func headerMatch(name, pattern string) bool {
	if p, ok := strings.CutSuffix(pattern, "*"); ok {
		return len(name) >= len(p) && strings.EqualFold(name[:len(p)], p)
	}
	return strings.EqualFold(name, pattern)
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
	head, rest := Copy(it, body)
	head = append([]byte("Return-Path: <"+sanitizeHeader(it.From)+">\r\n"), head...)
	size := len(head) + len(rest)
	_, err = f.Write(head)
	if err == nil {
		_, err = f.Write(rest)
	}
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
	final := filepath.Join(dir, "new", fmt.Sprintf("%s,S=%d", name, size))
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

// SMTP delivers to an SMTP or LMTP server. It keeps a few idle
// connections open between deliveries (the next MAIL follows the reply to
// the last message's end of data), as MTAs do with a relayhost: dialling,
// EHLO and QUIT per message cost more CPU than the message itself at
// mail-gateway sizes.
type SMTP struct {
	LMTP    bool
	Network string // tcp or unix
	Addr    string
	Helo    string
	Timeout time.Duration // per command and for the whole body write
	// MaxIdle bounds the idle connections kept (0: none, a connection per
	// message).
	MaxIdle int

	mu   sync.Mutex
	idle []*smtpConn
}

type smtpConn struct {
	conn net.Conn
	c    *smtp.Client
	last time.Time
}

// idleTimeout is how long an idle connection is trusted: well under the
// 5 minutes RFC 5321 lets a server wait, so the peer has not dropped it.
const idleTimeout = 20 * time.Second

// Name implements Target.
func (s *SMTP) Name() string {
	if s.LMTP {
		return "lmtp"
	}
	return "smtp"
}

func (s *SMTP) take() *smtpConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.idle) > 0 {
		pc := s.idle[len(s.idle)-1]
		s.idle = s.idle[:len(s.idle)-1]
		if time.Since(pc.last) < idleTimeout {
			return pc
		}
		pc.c.Close()
	}
	return nil
}

func (s *SMTP) put(pc *smtpConn) {
	pc.last = time.Now()
	pc.conn.SetDeadline(time.Time{})
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.idle) < s.MaxIdle {
		s.idle = append(s.idle, pc)
		return
	}
	go func() { pc.c.Quit(); pc.c.Close() }()
}

// Close ends the idle connections.
func (s *SMTP) Close() {
	s.mu.Lock()
	idle := s.idle
	s.idle = nil
	s.mu.Unlock()
	for _, pc := range idle {
		pc.c.Quit()
		pc.c.Close()
	}
}

func (s *SMTP) dial(ctx context.Context) (*smtpConn, error) {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	d := net.Dialer{Timeout: 30 * time.Second}
	conn, err := d.DialContext(ctx, s.Network, s.Addr)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", s.Name(), s.Addr, err)
	}
	var c *smtp.Client
	if s.LMTP {
		c = smtp.NewClientLMTP(conn)
	} else {
		c = smtp.NewClient(conn)
	}
	c.CommandTimeout = timeout
	c.SubmissionTimeout = timeout
	if err := c.Hello(s.Helo); err != nil {
		c.Close()
		return nil, s.classify("hello", err)
	}
	return &smtpConn{conn: conn, c: c}, nil
}

// classify makes a 5xx reply permanent.
func (s *SMTP) classify(stage string, err error) error {
	var se *smtp.SMTPError
	if errors.As(err, &se) && !se.Temporary() {
		return Permanent(fmt.Errorf("%s %s: %s: %w", s.Name(), s.Addr, stage, err))
	}
	return fmt.Errorf("%s %s: %s: %w", s.Name(), s.Addr, stage, err)
}

// Deliver implements Target. A kept connection that turns out dead (the
// peer closed it, or answers 421) is replaced by a new one once.
func (s *SMTP) Deliver(ctx context.Context, it *Item, body []byte) error {
	if pc := s.take(); pc != nil {
		err, connFault := s.send(ctx, pc, it, body)
		if !connFault {
			return err
		}
		pc.c.Close()
	}
	pc, err := s.dial(ctx)
	if err != nil {
		return err
	}
	err, connFault := s.send(ctx, pc, it, body)
	if connFault {
		pc.c.Close()
	}
	return err
}

// send runs one transaction on pc. connFault reports an error of the
// connection rather than a reply about this message; pc is then unusable.
// Otherwise pc is kept for the next delivery: as it is after the reply to
// the end of data, which ends the transaction (RFC 5321 §4.1.1.4), or
// after a RSET when the peer refused a command in the middle of one. A
// RSET after every message would cost a round trip per delivery for
// nothing.
func (s *SMTP) send(ctx context.Context, pc *smtpConn, it *Item, body []byte) (err error, connFault bool) {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	if dl, ok := ctx.Deadline(); ok {
		pc.conn.SetDeadline(dl)
	}
	ended := false // the peer answered the end of data
	defer func() {
		if connFault {
			return
		}
		if !ended {
			// go-smtp forgets the EHLO on RSET and would send the next
			// one as "localhost"; introduce ourselves again by name.
			if rerr := pc.c.Reset(); rerr != nil {
				pc.c.Close()
				return
			}
			if rerr := pc.c.Hello(s.Helo); rerr != nil {
				pc.c.Close()
				return
			}
		}
		s.put(pc)
	}()
	fault := func(err error) bool {
		var se *smtp.SMTPError
		return !errors.As(err, &se) || se.Code == 421
	}
	from, opts, err := utf8Envelope(pc.c, it)
	if err != nil {
		return Permanent(fmt.Errorf("%s %s: %w", s.Name(), s.Addr, err)), false
	}
	// MAIL, RCPT and DATA in one round trip where the peer pipelines
	// (RFC 2920): two round trips a mail instead of four, for both ends.
	w, err := pc.c.MailRcptData(from, opts, it.To)
	if err != nil {
		stage, cause := "mail from", err
		var ce *smtp.CommandError
		if errors.As(err, &ce) {
			stage, cause = strings.ToLower(ce.Command), ce.Err
			if ce.Rcpt != "" {
				stage += " " + ce.Rcpt
			}
		}
		return s.classify(stage, cause), fault(cause)
	}
	pc.conn.SetWriteDeadline(time.Now().Add(timeout))
	head, rest := Copy(it, body)
	if _, err := w.Write(head); err != nil {
		return s.classify("data", err), true
	}
	if _, err := w.Write(rest); err != nil {
		return s.classify("data", err), true
	}
	if s.LMTP {
		_, err := w.CloseWithLMTPResponse()
		ended = err == nil || errors.As(err, new(smtp.LMTPDataError))
		if err != nil {
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
					return Permanent(fmt.Errorf("lmtp %s: %w", s.Addr, err)), false
				}
				return fmt.Errorf("lmtp %s: end of data: %w", s.Addr, err), false
			}
			return s.classify("end of data", err), true
		}
	} else if err := w.Close(); err != nil {
		ended = !fault(err)
		return s.classify("end of data", err), fault(err)
	}
	ended = true
	return nil, false
}

// utf8Envelope returns the reverse path and MAIL options for it. An
// internationalized address (RFC 6531) needs SMTPUTF8, which the peer may
// not offer. Then a customer's address as the reverse path of a relay
// becomes the null path: it only says where a bounce would go, and the
// customer's address stays in the header, where agents answer it; an
// internationalized recipient cannot be reached through this peer at all,
// which is permanent (RFC 6531 §3.2: 5.6.7).
func utf8Envelope(c *smtp.Client, it *Item) (string, *smtp.MailOptions, error) {
	rcptASCII := !slices.ContainsFunc(it.To, func(to string) bool { return !isASCII(to) })
	if isASCII(it.From) && rcptASCII {
		return it.From, nil, nil
	}
	if ok, _ := c.Extension("SMTPUTF8"); ok {
		return it.From, &smtp.MailOptions{UTF8: true}, nil
	}
	if !rcptASCII {
		return "", nil, fmt.Errorf("5.6.7 the recipient's address is internationalized and the peer does not offer SMTPUTF8 (RFC 6531)")
	}
	return "", nil, nil
}
