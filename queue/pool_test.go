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

	"github.com/emersion/go-smtp"
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

// wireConn keeps what the client sent on a server-side connection.
type wireConn struct {
	net.Conn
	mu  *sync.Mutex
	log *bytes.Buffer
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
	mu  sync.Mutex
	log bytes.Buffer
}

func (l *wireListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return wireConn{Conn: c, mu: &l.mu, log: &l.log}, nil
}

// commands returns the verbs received so far (with the name for EHLO),
// without the mail.
func (l *wireListener) commands() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	inData := false
	for _, line := range strings.Split(l.log.String(), "\r\n") {
		switch {
		case inData:
			inData = line != "."
		case line != "":
			verb, arg, _ := strings.Cut(line, " ")
			verb = strings.ToUpper(verb)
			if verb == "EHLO" || verb == "HELO" {
				verb += " " + arg
			}
			out = append(out, verb)
			inData = strings.EqualFold(line, "DATA")
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
	srv := smtp.NewServer(u)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	wl := &wireListener{Listener: ln}
	go srv.Serve(wl)
	defer srv.Close()
	target := &SMTP{Network: "tcp", Addr: ln.Addr().String(), Helo: "mx.test", MaxIdle: 1}
	defer target.Close()
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
	want := []string{"EHLO mx.test", "MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA", "MAIL", "RCPT", "RSET", "EHLO mx.test", "MAIL", "RCPT", "DATA"}
	if got := wl.commands(); !slices.Equal(got, want) {
		t.Errorf("commands on the kept connection:\n got %v\nwant %v", got, want)
	}
}
