package queue

import (
	"context"
	"net"
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
