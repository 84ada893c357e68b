package smtpd

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// dialFrom connects from a given loopback address (all of 127.0.0.0/8 is
// local on Linux), so one test can be several clients.
func dialFrom(t *testing.T, local, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Skipf("cannot dial from %s: %v", local, err)
	}
	c.SetDeadline(time.Now().Add(20 * time.Second))
	return c
}

// One address opening 50 sessions gets 20 and a 421 for the rest, and a
// client at another address is still served meanwhile.
func TestPerIPConnectionCap(t *testing.T) {
	rec := &recorder{}
	s, addr := startRaw(t, Config{MaxConnections: 100, MaxConnectionsPerIP: 20}, rec)
	var greetings, refused int
	var refusal string
	for range 50 {
		c := dialFrom(t, "127.0.0.1", addr)
		defer c.Close()
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case strings.HasPrefix(line, "220 "):
			greetings++
		case strings.HasPrefix(line, "421 4.7.0 "):
			refused++
			refusal = line
		default:
			t.Fatalf("unexpected greeting %q", line)
		}
	}
	if greetings != 20 || refused != 30 {
		t.Errorf("50 connections from one address: %d greeted, %d refused; want 20 and 30", greetings, refused)
	}
	if !strings.Contains(refusal, "from your address") || !strings.Contains(refusal, "20") {
		t.Errorf("refusal %q does not say why", refusal)
	}
	if n := s.openConns(); n != 20 {
		t.Errorf("server holds %d connections; want 20", n)
	}

	other := dialFrom(t, "127.0.0.2", addr)
	defer other.Close()
	lines := exchange(t, other, envelope+"DATA\r\nSubject: hi\r\n\r\nhello\r\n.\r\nQUIT\r\n")
	if rec.count() != 1 {
		t.Errorf("a client at another address was not served: %q", lines)
	}
}

// exchange writes script, half-closes and reads every reply line.
func exchange(t *testing.T, c net.Conn, script string) []string {
	t.Helper()
	io.WriteString(c, script)
	c.(*net.TCPConn).CloseWrite()
	var lines []string
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

// A session that only sends NOOP (or RSET, HELP, …) is closed once the
// progress allowance is used up, however often it speaks.
func TestChattySessionWithoutProgressIsClosed(t *testing.T) {
	const allowance = 400 * time.Millisecond
	s, addr := startRaw(t, Config{ProgressTimeout: allowance}, &recorder{})
	for _, cmd := range []string{"NOOP", "RSET", "HELP", "VRFY a", "EHLO x", "MAIL FROM:<a@customer.example>\r\nRCPT TO:<support@support.test>\r\nRSET"} {
		t.Run(strings.Fields(cmd)[0], func(t *testing.T) {
			// The server's allowance starts when it accepts the connection,
			// so the client's clock must start before it dials: started
			// after, it ran a few milliseconds short of the server's.
			start := time.Now()
			c := dialFrom(t, "127.0.0.1", addr)
			defer c.Close()
			lines := make(chan string, 1000)
			go func() {
				defer close(lines)
				sc := bufio.NewScanner(c)
				for sc.Scan() {
					lines <- sc.Text()
				}
			}()
			tick := time.NewTicker(allowance / 8)
			defer tick.Stop()
			var last string
		loop:
			for {
				select {
				case l, ok := <-lines:
					if !ok {
						break loop
					}
					last = l
				case <-tick.C:
					if time.Since(start) > 10*time.Second {
						t.Fatalf("session still open after %v of %s", time.Since(start), cmd)
					}
					io.WriteString(c, cmd+"\r\n") // an error: the server has closed
				}
			}
			if !strings.HasPrefix(last, "421 4.4.2") {
				t.Errorf("last reply %q; want 421 4.4.2", last)
			}
			if d := time.Since(start); d < allowance {
				t.Errorf("closed after %v, before the allowance of %v", d, allowance)
			}
			waitFor(t, "the connection to be released", func() bool { return s.openConns() == 0 })
		})
	}
}

// A slow message whose data keeps coming is not cut by the allowance:
// message data is progress.
func TestSlowSteadyMessageIsNotCut(t *testing.T) {
	const allowance = 300 * time.Millisecond
	rec := &recorder{}
	_, addr := startRaw(t, Config{ProgressTimeout: allowance, ReadTimeout: time.Second}, rec)
	c := dialFrom(t, "127.0.0.1", addr)
	defer c.Close()
	r := bufio.NewReader(c)
	io.WriteString(c, envelope+"DATA\r\n")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(line, "354 ") {
			break
		}
	}
	io.WriteString(c, "Subject: slow\r\n\r\n")
	tick := time.NewTicker(allowance / 4)
	defer tick.Stop()
	// 2.4 s in all: eight allowances and more than two read timeouts; a
	// line more than progressUnit long in each quarter of the allowance.
	for i := range 32 {
		<-tick.C
		if _, err := fmt.Fprintf(c, "%03d %s\r\n", i, strings.Repeat("x", progressUnit+10)); err != nil {
			t.Fatalf("server closed during a steady message: %v", err)
		}
	}
	io.WriteString(c, ".\r\n")
	line, err := r.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "250 ") || rec.count() != 1 {
		t.Fatalf("reply %q, %v, %d filed; want 250 and one message", line, err, rec.count())
	}
}

// posingListener hands out connections whose remote address is the next of
// addrs: clients the test cannot dial from (IPv6 addresses beyond ::1).
type posingListener struct {
	net.Listener
	mu    sync.Mutex
	addrs []string
}

type posingConn struct {
	net.Conn
	remote net.Addr
}

func (c posingConn) RemoteAddr() net.Addr { return c.remote }

func (l *posingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	ip := l.addrs[0]
	l.addrs = l.addrs[1:]
	l.mu.Unlock()
	return posingConn{Conn: c, remote: &net.TCPAddr{IP: net.ParseIP(ip), Port: 40000}}, nil
}

// An IPv6 client holds a whole /64 (RFC 6177; one host can use any address
// in it), so the per-address cap counts the /64: 50 sessions from 50
// addresses of one /64 get 20, and a client in another /64 is served.
// IPv4 addresses are counted one by one, however they are written.
func TestPerIPConnectionCapCountsIPv6Slash64(t *testing.T) {
	rec := &recorder{}
	var addrs []string
	for i := range 50 {
		addrs = append(addrs, fmt.Sprintf("2001:db8:1:2:%x::%x", i, i+1))
	}
	addrs = append(addrs, "2001:db8:1:3::1", "192.0.2.1", "::ffff:192.0.2.2")
	s := New(Config{MaxMessageBytes: 1 << 20, MaxConnections: 100, MaxConnectionsPerIP: 20, MaxLineLength: 2000,
		ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second, Hostname: "mx.test"},
		&Policy{Domains: []string{"support.test"}}, rec, nil, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(&posingListener{Listener: ln, addrs: addrs})
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	greet := func() string {
		c, err := net.DialTimeout("tcp", ln.Addr().String(), 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		c.SetDeadline(time.Now().Add(20 * time.Second))
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		return line
	}
	greetings := 0
	for range 50 {
		if strings.HasPrefix(greet(), "220 ") {
			greetings++
		}
	}
	if greetings != 20 {
		t.Errorf("50 connections from one IPv6 /64: %d greeted; want 20", greetings)
	}
	for _, who := range []string{"another /64", "an IPv4 client", "another IPv4 client written IPv4-mapped"} {
		if line := greet(); !strings.HasPrefix(line, "220 ") {
			t.Errorf("%s was refused: %q", who, line)
		}
	}
}

// Table test of the key the per-address cap counts by.
func TestClientKey(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{"192.0.2.1:25", "192.0.2.1"},
		{"[::ffff:192.0.2.1]:25", "192.0.2.1"},
		{"[::1]:25", "::/64"},
		{"[2001:db8:1:2::1]:25", "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:ffff:ffff:ffff:ffff]:25", "2001:db8:1:2::/64"},
		{"[2001:db8:1:3::1]:25", "2001:db8:1:3::/64"},
		{"[fe80::1%eth0]:25", "fe80::/64"},
	} {
		a, err := net.ResolveTCPAddr("tcp", tc.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := clientIP(a); got != tc.want {
			t.Errorf("clientIP(%s) = %q; want %q", tc.addr, got, tc.want)
		}
	}
	if got := clientIP(fakeAddr("not an address")); got != "not an address" {
		t.Errorf("clientIP of an unparsable address = %q", got)
	}
}

type fakeAddr string

func (a fakeAddr) Network() string { return "tcp" }
func (a fakeAddr) String() string  { return string(a) }
