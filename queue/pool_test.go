package queue

import (
	"bytes"
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/frontdesk-mail/frontdesk/third_party/go-smtp"
)

// countingListener counts accepted connections.
type countingListener struct {
	net.Listener
	n     atomic.Int32
	conns chan net.Conn
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
		l.conns <- c
	}
	return c, err
}

func TestSMTPTargetReusesConnections(t *testing.T) {
	u := &upstream{received: make(chan struct{}, 100)}
	srv := smtp.NewServer(u)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cl := &countingListener{Listener: ln, conns: make(chan net.Conn, 10)}
	go srv.Serve(cl)
	defer srv.Close()
	target := &SMTP{Network: "tcp", Addr: ln.Addr().String(), Helo: "mx.test", MaxIdle: 1}
	defer target.Close()
	it := &Item{ID: "q", From: "a@x.test", To: []string{"b@y.test"}}
	for i := range 3 {
		if err := target.Deliver(context.Background(), it, []byte("Subject: x\r\n\r\nbody\r\n")); err != nil {
			t.Fatalf("delivery %d: %v", i, err)
		}
	}
	if n := cl.n.Load(); n != 1 {
		t.Errorf("3 deliveries used %d connections, want 1", n)
	}
	// The peer drops the kept connection: the next delivery notices and
	// dials again instead of failing the message.
	(<-cl.conns).Close()
	if err := target.Deliver(context.Background(), it, []byte("Subject: y\r\n\r\nbody\r\n")); err != nil {
		t.Fatalf("delivery after the peer closed the kept connection: %v", err)
	}
	if n := cl.n.Load(); n != 2 {
		t.Errorf("%d connections after a dropped one, want 2", n)
	}
	if len(u.received) != 4 {
		t.Errorf("upstream got %d messages, want 4", len(u.received))
	}
}

// wireConn keeps what the client sent on a server-side connection, and
// the server's replies.
type wireConn struct {
	net.Conn
	mu      *sync.Mutex
	log     *bytes.Buffer
	replies *bytes.Buffer
}

func (c wireConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.replies.Write(p)
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func (c wireConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.log.Write(p[:n])
	c.mu.Unlock()
	return n, err
}

type wireListener struct {
	net.Listener
	mu      sync.Mutex
	log     bytes.Buffer
	replies bytes.Buffer
}

func (l *wireListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return wireConn{Conn: c, mu: &l.mu, log: &l.log, replies: &l.replies}, nil
}

// commands returns the verbs received so far (with the name for EHLO),
// without the mail. A DATA the server answered 354 is followed by mail
// up to its lone dot; a refused one (pipelined, RFC 2920) is not.
func (l *wireListener) commands() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	// The last line of each reply, in order: the greeting's, then one
	// per command and per end of data.
	var codes []string
	for _, line := range strings.Split(l.replies.String(), "\r\n") {
		if len(line) >= 4 && line[3] == ' ' {
			codes = append(codes, line[:3])
		}
	}
	next := 1
	reply := func() string {
		if next >= len(codes) {
			return ""
		}
		next++
		return codes[next-1]
	}
	var out []string
	inData := false
	for _, line := range strings.Split(l.log.String(), "\r\n") {
		switch {
		case inData:
			if line == "." {
				inData = false
				reply()
			}
		case line != "":
			verb, arg, _ := strings.Cut(line, " ")
			verb = strings.ToUpper(verb)
			if verb == "EHLO" || verb == "HELO" {
				verb += " " + arg
			}
			out = append(out, verb)
			inData = reply() == "354" && verb == "DATA"
		}
	}
	return out
}

// refusingUpstream refuses RCPT TO:<refused@…> in an orderly way, which
// leaves a transaction open that RSET has to end.
type refusingUpstream struct{ upstream }

func (u *refusingUpstream) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &refusingSession{upSession{u: &u.upstream}}, nil
}

type refusingSession struct{ upSession }

func (s *refusingSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasPrefix(to, "refused@") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	return nil
}

// A kept connection goes straight from one message to the next: the reply
// to the end of data ends a transaction, so RSET is sent only after a
// refusal in the middle of one.
func TestSMTPTargetResetsOnlyAnOpenTransaction(t *testing.T) {
	u := &refusingUpstream{upstream{received: make(chan struct{}, 100)}}
	wl, target := wireTarget(t, smtp.NewServer(u))
	body := []byte("Subject: x\r\n\r\nbody\r\n")
	ok := &Item{ID: "q1", From: "a@x.test", To: []string{"b@y.test"}}
	refused := &Item{ID: "q2", From: "a@x.test", To: []string{"refused@y.test"}}
	for i, it := range []*Item{ok, ok, refused, ok} {
		err := target.Deliver(context.Background(), it, body)
		if wantErr := it == refused; (err != nil) != wantErr {
			t.Fatalf("delivery %d (%s): err = %v, want error %v", i, it.To[0], err, wantErr)
		}
		if pe := new(PermanentError); it == refused && !errors.As(err, &pe) {
			t.Errorf("a 550 to RCPT should fail the item for good: %v", err)
		}
	}
	if len(u.received) != 3 {
		t.Errorf("upstream got %d messages, want 3", len(u.received))
	}
	// Commands are read before the reply, so the last one is in the log.
	// MAIL, RCPT and DATA go together (PIPELINING): the refused
	// recipient's DATA is refused too, and RSET ends the transaction.
	want := []string{"EHLO mx.test", "MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA", "RSET", "EHLO mx.test", "MAIL", "RCPT", "DATA"}
	if got := wl.commands(); !slices.Equal(got, want) {
		t.Errorf("commands on the kept connection:\n got %v\nwant %v", got, want)
	}
}

// lines returns the command lines received so far that start with verb.
func (l *wireListener) lines(verb string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range strings.Split(l.log.String(), "\r\n") {
		if strings.HasPrefix(strings.ToUpper(line), verb) {
			out = append(out, line)
		}
	}
	return out
}

// Customers with internationalized addresses (RFC 6531): SMTPUTF8 goes
// with the mail where the peer offers it. Where it does not, a relay's
// customer reverse path becomes the null path (the address stays in the
// header) and a mail to such a customer fails for good with 5.6.7.
func TestSMTPTargetInternationalizedAddresses(t *testing.T) {
	body := []byte("Subject: x\r\n\r\nbody\r\n")
	for _, tc := range []struct {
		name     string
		peerUTF8 bool
		it       *Item
		mail     string // the MAIL command sent; "" none
		rcpt     string
		perm     bool
	}{
		{"ascii", false, &Item{From: "a@x.test", To: []string{"b@y.test"}}, "MAIL FROM:<a@x.test> BODY=8BITMIME", "RCPT TO:<b@y.test>", false},
		{"utf8 sender, peer with SMTPUTF8", true, &Item{From: "张三@例子.中国", To: []string{"b@y.test"}}, "MAIL FROM:<张三@例子.中国> BODY=8BITMIME SMTPUTF8", "RCPT TO:<b@y.test>", false},
		{"utf8 sender, peer without", false, &Item{From: "张三@例子.中国", To: []string{"b@y.test"}}, "MAIL FROM:<> BODY=8BITMIME", "RCPT TO:<b@y.test>", false},
		{"utf8 recipient, peer with SMTPUTF8", true, &Item{From: "", To: []string{"张三@例子.中国"}}, "MAIL FROM:<> BODY=8BITMIME SMTPUTF8", "RCPT TO:<张三@例子.中国>", false},
		{"utf8 recipient, peer without", false, &Item{From: "", To: []string{"张三@例子.中国"}}, "", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := smtp.NewServer(&upstream{received: make(chan struct{}, 10)})
			srv.EnableSMTPUTF8 = tc.peerUTF8
			wl, target := wireTarget(t, srv)
			tc.it.ID = "q1"
			err := target.Deliver(context.Background(), tc.it, body)
			if tc.perm {
				if pe := new(PermanentError); !errors.As(err, &pe) || !strings.Contains(err.Error(), "5.6.7") {
					t.Fatalf("Deliver = %v; want a permanent 5.6.7 failure", err)
				}
				if got := wl.lines("MAIL"); len(got) != 0 {
					t.Errorf("a transaction was started: %q", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := wl.lines("MAIL"); len(got) != 1 || got[0] != tc.mail {
				t.Errorf("MAIL = %q; want %q", got, tc.mail)
			}
			if got := wl.lines("RCPT"); len(got) != 1 || got[0] != tc.rcpt {
				t.Errorf("RCPT = %q; want %q", got, tc.rcpt)
			}
		})
	}
}

// wireTarget serves srv on a loopback port through a wireListener and
// returns an SMTP target for it that keeps one connection; both end with
// the test.
func wireTarget(t *testing.T, srv *smtp.Server) (*wireListener, *SMTP) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	wl := &wireListener{Listener: ln}
	go srv.Serve(wl)
	t.Cleanup(func() { srv.Close() })
	target := &SMTP{Network: "tcp", Addr: ln.Addr().String(), Helo: "mx.test", MaxIdle: 1}
	t.Cleanup(target.Close)
	return wl, target
}
