package smtpd

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/third_party/go-smtp"

	"github.com/frontdesk-mail/frontdesk/intake"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/sla"
	"github.com/frontdesk-mail/frontdesk/store"
)

type routeAll struct{}

func (routeAll) Route(*message.Message, time.Time) intake.Decision {
	return intake.Decision{Department: "support", Priority: "normal"}
}
func (routeAll) Department(key string) (intake.Department, bool) {
	return intake.Department{Key: key, Mailbox: key + "@agents.test", Addresses: []string{key}}, true
}
func (routeAll) Calendar(string) (*sla.Calendar, bool) { return nil, true }

type counter struct{ n uint64 }

func (c *counter) Next() (uint64, error) { c.n++; return c.n, nil }

// startServer runs a Server over a real (in-memory) store and returns its
// address and the store.
func startServer(t *testing.T, cfg Config) (string, *store.Store) {
	t.Helper()
	st, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	q := queue.New(st, queue.Config{}, nil, nil, nil)
	in := intake.New(st, q, routeAll{}, "mx.test", nil, nil)
	in.Numbers = &counter{}
	if cfg.MaxMessageBytes == 0 {
		cfg.MaxMessageBytes = 1 << 20
	}
	if cfg.MaxConnections == 0 {
		cfg.MaxConnections = 10
	}
	cfg.MaxLineLength, cfg.ReadTimeout, cfg.WriteTimeout, cfg.Hostname = 64<<10, 10*time.Second, 10*time.Second, "mx.test"
	s := New(cfg, &Policy{Domains: []string{"support.test"}}, in, nil, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	t.Cleanup(func() { s.Shutdown(t.Context()); st.Close() })
	return ln.Addr().String(), st
}

func TestStoreFailureAnswers451(t *testing.T) {
	addr, st := startServer(t, Config{})
	if err := sendPlain(addr, "Subject: ok\r\n\r\nbody\r\n"); err != nil {
		t.Fatalf("healthy store: %v", err)
	}
	st.Close() // the disk is gone: commits fail
	err := sendPlain(addr, "Subject: lost?\r\n\r\nbody\r\n")
	var se *smtp.SMTPError
	if !errors.As(err, &se) || se.Code != 451 || se.EnhancedCode != (smtp.EnhancedCode{4, 3, 0}) {
		t.Fatalf("after store failure got %v; want 451 4.3.0", err)
	}
	if !strings.Contains(se.Message, "try again") {
		t.Errorf("451 text does not tell the sender to retry: %q", se.Message)
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
	addr, _ := startServer(t, Config{MaxMessageBytes: 4096, MaxRecipients: 2})
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
	addr, _ := startServer(t, Config{MaxConnections: 2})
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
// each must be stored as it was sent, whatever the order of their sizes.
func TestMessagesOnOneConnectionKeepTheirBytes(t *testing.T) {
	addr, st := startServer(t, Config{MaxMessageBytes: 4 << 20})
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
	items, err := queue.List(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		var raw []byte
		st.View(func(txn *store.Txn) error {
			raw, err = txn.GetRaw(it.BodyID)
			return err
		})
		_, body, _ := strings.Cut(string(raw), "Subject: ")
		if !sent["Subject: "+body] {
			t.Errorf("stored message %s (%d bytes) is not one that was sent", it.BodyID, len(raw))
		}
		delete(sent, "Subject: "+body)
	}
	if len(sent) != 0 {
		t.Errorf("%d sent messages not stored", len(sent))
	}
}
