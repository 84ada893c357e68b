package smtpd

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/third_party/go-smtp"

	"github.com/frontdesk-mail/frontdesk/message"
)

// startServer runs a Server over acc (a recorder when nil) and returns
// its address.
func startServer(t *testing.T, cfg Config, acc Acceptor) string {
	t.Helper()
	if acc == nil {
		acc = &recorder{}
	}
	if cfg.MaxMessageBytes == 0 {
		cfg.MaxMessageBytes = 1 << 20
	}
	if cfg.MaxConnections == 0 {
		cfg.MaxConnections = 10
	}
	cfg.MaxLineLength, cfg.ReadTimeout, cfg.WriteTimeout, cfg.Hostname = 64<<10, 10*time.Second, 10*time.Second, "mx.test"
	s := New(cfg, &Policy{Domains: []string{"support.test"}}, acc, nil, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	t.Cleanup(func() { s.Shutdown(t.Context()) })
	return ln.Addr().String()
}

// An Acceptor's error other than a rejection (intake's StoreError when
// the store fails) is answered 451 4.3.0: the sender tries again.
func TestStoreFailureAnswers451(t *testing.T) {
	var failing atomic.Bool
	acc := acceptFunc(func(*message.Envelope, []byte) (string, error) {
		if failing.Load() {
			return "", fmt.Errorf("store: %w", errors.New("DB Closed"))
		}
		return "Q1", nil
	})
	addr := startServer(t, Config{}, acc)
	if err := sendPlain(addr, "Subject: ok\r\n\r\nbody\r\n"); err != nil {
		t.Fatalf("healthy store: %v", err)
	}
	failing.Store(true) // the disk is gone: commits fail
	err := sendPlain(addr, "Subject: lost?\r\n\r\nbody\r\n")
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 451 || se.EnhancedCode != (smtp.EnhancedCode{4, 3, 0}) {
		t.Fatalf("after store failure got %v; want 451 4.3.0", err)
	}
	if !strings.Contains(se.Message, "try again") {
		t.Errorf("451 text does not tell the sender to retry: %q", se.Message)
	}
}

type rejected string

func (r rejected) Error() string     { return "rejected: " + string(r) }
func (r rejected) Rejection() string { return string(r) }

// An Acceptor's Rejection, however wrapped, is answered 550 5.7.1 with its
// text (intake.RejectedError: a rule's reject).
func TestRejectionAnswers550(t *testing.T) {
	acc := acceptFunc(func(*message.Envelope, []byte) (string, error) {
		return "", fmt.Errorf("routing: %w", rejected("We do not accept mail from this sender"))
	})
	addr := startServer(t, Config{}, acc)
	err := sendPlain(addr, "Subject: spam\r\n\r\nbody\r\n")
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 550 || se.EnhancedCode != (smtp.EnhancedCode{5, 7, 1}) ||
		se.Message != "We do not accept mail from this sender" {
		t.Fatalf("rejection answered %v; want 550 5.7.1 with the rejection's text", err)
	}
}

// sendPlain sends without STARTTLS (smtp.SendMail requires it).
func sendPlain(addr, body string) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	return c.SendMail("a@customer.example", []string{"support@support.test"}, strings.NewReader(body))
}

func TestLimits(t *testing.T) {
	addr := startServer(t, Config{MaxMessageBytes: 4096, MaxRecipients: 2}, nil)
	err := sendPlain(addr, "Subject: big\r\n\r\n"+strings.Repeat("x", 5000)+"\r\n")
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 552 || se.EnhancedCode != (smtp.EnhancedCode{5, 3, 4}) {
		t.Errorf("oversize: %v; want 552 5.3.4", err)
	}
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Hello("client.test")
	c.Mail("a@customer.example", nil)
	for i, want := range []int{250, 250, 452} {
		err := c.Rcpt("support@support.test", nil)
		code := 250
		if errors.As(err, &se) {
			code = se.Code
		}
		if code != want {
			t.Errorf("RCPT %d: %v; want %d", i+1, err, want)
		}
	}
}

func TestConnectionCap(t *testing.T) {
	addr := startServer(t, Config{MaxConnections: 2}, nil)
	var held []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 512)
		c.Read(buf) // greeting: the connection is counted
		held = append(held, c)
	}
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 512)
	n, _ := c.Read(buf)
	if !strings.HasPrefix(string(buf[:n]), "421 4.7.0") {
		t.Errorf("third connection got %q; want 421 4.7.0", buf[:n])
	}
	for _, h := range held {
		h.Close()
	}
}

func TestCheckRcpt(t *testing.T) {
	p := &Policy{Domains: []string{"support.test"}, Known: func(a string) bool { return strings.HasPrefix(a, "support") }}
	cases := []struct {
		addr, norm string
		err        *smtp.SMTPError
		reject     bool
	}{
		{"support@support.test", "support@support.test", nil, false},
		{"Support@SUPPORT.TEST", "Support@support.test", nil, false},
		{"support@support.test.", "support@support.test", nil, false},
		{"who@support.test", "who@support.test", nil, false},
		{"who@support.test", "", errUnknownUser, true},
		{"a@other.test", "", errRelayDenied, false},
		{"a%other.test@support.test", "", errBadLocal, false},
		{"a!b@support.test", "", errBadLocal, false},
		{"a@b@support.test", "", errBadLocal, false},
		{"a@support.test@other.test", "", errRelayDenied, false},
		{"a@[127.0.0.1]", "", errRelayDenied, false},
		{"a@sub.support.test", "", errRelayDenied, false},
		{"a@support..test", "", errRelayDenied, false},
		{".a@support.test", "", errBadLocal, false},
		{"a..b@support.test", "", errBadLocal, false},
		{"@support.test", "", errRelayDenied, false},
		{"support", "", errRelayDenied, false},
		// RFC 5321 §4.5.1: postmaster always, with or without a domain.
		{"postmaster", "postmaster@support.test", nil, true},
		{"PostMaster", "postmaster@support.test", nil, false},
		{"Postmaster@Support.Test", "postmaster@support.test", nil, true},
		{"postmaster@other.test", "", errRelayDenied, true},
		{"postmaster.x", "", errRelayDenied, false},
		{"a b@support.test", "", errBadLocal, false},
		{"a\"b@support.test", "", errBadLocal, false},
	}
	for _, c := range cases {
		p.RejectUnknown = c.reject
		norm, err := p.CheckRcpt(c.addr)
		if err != c.err || norm != c.norm {
			t.Errorf("CheckRcpt(%q, rejectUnknown=%v) = %q, %v; want %q, %v", c.addr, c.reject, norm, err, c.norm, c.err)
		}
	}
}

func FuzzCheckRcpt(f *testing.F) {
	for _, s := range []string{"support@support.test", "a%b@support.test", "a@[1.2.3.4]", "\"x@y\"@support.test"} {
		f.Add(s)
	}
	p := &Policy{Domains: []string{"support.test"}}
	f.Fuzz(func(t *testing.T, addr string) {
		norm, err := p.CheckRcpt(addr)
		if err != nil {
			return
		}
		// Whatever is accepted is for our domain and has a plain local part.
		at := strings.LastIndexByte(norm, '@')
		if at < 0 || norm[at+1:] != "support.test" || strings.ContainsAny(norm[:at], "@%!:\" ") {
			t.Fatalf("accepted %q as %q", addr, norm)
		}
	})
}

// Messages read one after another on one connection share the read buffer;
// each must reach Accept as it was sent, whatever the order of their sizes,
// and stay so after Accept returned (the recorder keeps the very slices,
// as intake does until its commit).
func TestMessagesOnOneConnectionKeepTheirBytes(t *testing.T) {
	rec := &recorder{}
	addr := startServer(t, Config{MaxMessageBytes: 4 << 20}, rec)
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sent := map[string]bool{}
	for i, size := range []int{300 << 10, 10, 200 << 10, 900 << 10, 64 << 10, 1} {
		line := strings.Repeat(string(rune('a'+i)), 76) + "\r\n"
		body := fmt.Sprintf("Subject: message %d\r\n\r\n%s", i, strings.Repeat(line, size/len(line)+1))
		if err := c.SendMail("a@customer.example", []string{"support@support.test"}, strings.NewReader(body)); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		sent[body] = true
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for i, raw := range rec.msgs {
		_, body, _ := strings.Cut(string(raw), "Subject: ")
		if !sent["Subject: "+body] {
			t.Errorf("accepted message %d (%d bytes) is not one that was sent", i, len(raw))
		}
		delete(sent, "Subject: "+body)
	}
	if len(sent) != 0 {
		t.Errorf("%d sent messages not accepted as sent", len(sent))
	}
}
