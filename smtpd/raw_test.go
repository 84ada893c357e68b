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

	"github.com/frontdesk-mail/frontdesk/message"
)

// recorder is an Acceptor that keeps what it was given.
type recorder struct {
	mu   sync.Mutex
	msgs [][]byte
}

func (r *recorder) Accept(_ context.Context, _ *message.Envelope, data []byte) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, data)
	return fmt.Sprintf("Q%d", len(r.msgs)), nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.msgs)
}

// startRaw runs a Server over acc and returns it with its address.
func startRaw(t testing.TB, cfg Config, acc Acceptor) (*Server, string) {
	t.Helper()
	if cfg.MaxMessageBytes == 0 {
		cfg.MaxMessageBytes = 1 << 20
	}
	if cfg.MaxConnections == 0 {
		cfg.MaxConnections = 100
	}
	if cfg.MaxLineLength == 0 {
		cfg.MaxLineLength = 2000
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = 10 * time.Second
	}
	cfg.WriteTimeout, cfg.Hostname = 10*time.Second, "mx.test"
	s := New(cfg, &Policy{Domains: []string{"support.test"}}, acc, nil, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	return s, ln.Addr().String()
}

// openConns is how many connections the server still holds.
func (s *Server) openConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// rawSession sends script over a plain TCP connection, half-closes it (the
// client is gone: no more bytes will come) and returns every reply line the
// server wrote until it closed its side.
func rawSession(t testing.TB, addr, script string) []string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.WriteString(c, script); err != nil {
		t.Fatal(err)
	}
	c.(*net.TCPConn).CloseWrite()
	var lines []string
	sc := bufio.NewScanner(c)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines
}

const envelope = "EHLO client.test\r\nMAIL FROM:<a@customer.example>\r\nRCPT TO:<support@support.test>\r\n"

// A message whose end never arrived must get no 250 and must not be filed:
// the sender did not see a 250, will retry, and a filed fragment would be a
// second, truncated ticket. go-smtp ≤ v0.26.0 took EOF inside a BDAT chunk
// for the end of the chunk (third_party/go-smtp carries the fix).
func TestTruncatedMessageIsNotAccepted(t *testing.T) {
	fragment := "Subject: half\r\n\r\nthe first 34 byte"
	if len(fragment) != 34 {
		t.Fatal(len(fragment))
	}
	cases := []struct {
		name, script string
		accepted     int
	}{
		{"BDAT LAST cut short", envelope + "BDAT 5000 LAST\r\n" + fragment, 0},
		{"BDAT cut short", envelope + "BDAT 5000\r\n" + fragment, 0},
		{"BDAT then no LAST", envelope + "BDAT 34\r\n" + fragment, 0},
		{"BDAT size line only", envelope + "BDAT 5000 LAST\r\n", 0},
		{"DATA cut short", envelope + "DATA\r\n" + fragment + "\r\nmore\r\n", 0},
		{"DATA cut in the end marker", envelope + "DATA\r\n" + fragment + "\r\n.\r", 0},
		// Controls: the same exchanges complete are accepted.
		{"BDAT complete", envelope + "BDAT 34 LAST\r\n" + fragment, 1},
		{"BDAT in two chunks", envelope + "BDAT 20\r\n" + fragment[:20] + "BDAT 14 LAST\r\n" + fragment[20:], 1},
		{"DATA complete", envelope + "DATA\r\n" + fragment + "\r\n.\r\n", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			s, addr := startRaw(t, Config{}, rec)
			lines := rawSession(t, addr, tc.script)
			waitFor(t, "the server to close the session", func() bool { return s.openConns() == 0 })
			queued := 0
			for _, l := range lines {
				if strings.HasPrefix(l, "250 2.0.0 OK: queued") {
					queued++
				}
			}
			if queued != tc.accepted || rec.count() != tc.accepted {
				t.Errorf("%d replies 250 queued, %d messages filed; want %d\nreplies: %q", queued, rec.count(), tc.accepted, lines)
			}
		})
	}
}

// A line over max_line_length in DATA is refused for good (500 5.5.0), not
// with a 4xx that makes the sender retry the same message for days.
func TestOverlongDataLineIsPermanent(t *testing.T) {
	rec := &recorder{}
	_, addr := startRaw(t, Config{MaxLineLength: 2000}, rec)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	var lines []string
	sc := bufio.NewScanner(c)
	next := func() string {
		if !sc.Scan() {
			t.Fatalf("connection closed; replies: %q", lines)
		}
		lines = append(lines, sc.Text())
		return sc.Text()
	}
	// A client waits for 354 before the message (RFC 2920 §3.1).
	io.WriteString(c, envelope+"DATA\r\n")
	for !strings.HasPrefix(next(), "354 ") {
	}
	io.WriteString(c, "Subject: long\r\n\r\n"+strings.Repeat("x", 2500)+"\r\n.\r\n")
	got := next()
	if !strings.HasPrefix(got, "500 5.5.0 Line too long") || !strings.Contains(got, "2000 bytes") {
		t.Errorf("reply to the message: %q; want 500 5.5.0 Line too long … 2000 bytes\nreplies: %q", got, lines)
	}
	if rec.count() != 0 {
		t.Errorf("%d messages filed", rec.count())
	}
}

// BDAT is held to the same line limit as DATA, with the same permanent
// answer: go-smtp measures the lines of DATA only, and a sender must not
// be told 250 by one verb for what the other refuses for good.
func TestOverlongBDATLineIsPermanent(t *testing.T) {
	for _, c := range []struct {
		name string
		line int
		want string
	}{
		{"over the limit", 2500, "500 5.5.0 Line too long"},
		{"at the limit", 1998, "250 2.0.0 OK: queued"}, // with its CR and the LF before it, 2000
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{}
			_, addr := startRaw(t, Config{MaxLineLength: 2000}, rec)
			// The long line comes after 8 KB of short ones: go-smtp checks
			// the line length of whatever it reads while it reads commands
			// (its buffer takes 4 KB), so a long line in that first read
			// ends the session with 500 5.4.0 before BDAT is seen, and
			// only the rest of a chunk is read without the check.
			body := "Subject: long\r\n\r\n" + strings.Repeat("a short line of the message\r\n", 300) + strings.Repeat("x", c.line) + "\r\nend\r\n"
			lines := rawSession(t, addr, envelope+fmt.Sprintf("BDAT %d LAST\r\n", len(body))+body+"QUIT\r\n")
			got := ""
			for _, l := range lines {
				if strings.HasPrefix(l, c.want) {
					got = l
				}
			}
			filed := 0
			if strings.HasPrefix(c.want, "250") {
				filed = 1
			}
			if got == "" || rec.count() != filed {
				t.Errorf("replies %q, %d filed; want %q and %d filed", lines, rec.count(), c.want, filed)
			}
		})
	}
	for _, c := range []struct {
		data  string
		limit int
		long  bool
	}{
		{"abc", 0, false}, {"ab", 3, false}, {"abc", 3, true}, {"ab\ncd\n", 3, false}, {"ab\r\ncd", 3, true},
		{"a\nabc", 3, true}, {"ab\n\nab", 3, false}, {strings.Repeat("x\n", 100), 2, false}, {"x\n", 1, true},
	} {
		if got := longLine([]byte(c.data), c.limit); got != c.long {
			t.Errorf("longLine(%q, %d) = %v", c.data, c.limit, got)
		}
	}
}

// RCPT TO:<postmaster> without a domain is accepted (RFC 5321 §4.5.1) and
// filed for postmaster at our domain.
func TestBarePostmasterIsAccepted(t *testing.T) {
	rec := &recorder{}
	var env *message.Envelope
	acc := acceptFunc(func(e *message.Envelope, data []byte) (string, error) {
		env = e
		return rec.Accept(context.Background(), e, data)
	})
	_, addr := startRaw(t, Config{}, acc)
	lines := rawSession(t, addr, "EHLO client.test\r\nMAIL FROM:<a@customer.example>\r\nRCPT TO:<Postmaster>\r\nDATA\r\nSubject: hi\r\n\r\nhello\r\n.\r\nQUIT\r\n")
	if rec.count() != 1 || env == nil || len(env.Rcpt) != 1 || env.Rcpt[0] != "postmaster@support.test" {
		t.Fatalf("filed %d, envelope %+v; want one message for postmaster@support.test\nreplies: %q", rec.count(), env, lines)
	}
}

type acceptFunc func(*message.Envelope, []byte) (string, error)

func (f acceptFunc) Accept(_ context.Context, e *message.Envelope, data []byte) (string, error) {
	return f(e, data)
}

// SMTP smuggling: only CR LF "." CR LF ends DATA. A bare LF or CR around a
// dot is data, so a second message hidden in the first is never filed
// apart from it; and a line "." CR followed by more than LF is data with
// only its dot removed, after which the real end marker still ends the
// message (go-smtp lost the CR and then the end marker: the session read
// its next commands as mail and the message got no 250). What is filed has
// its bare CRs and LFs made CR LF (normalizeLineEnds), so the hidden
// commands are plain lines of the one message, dot-stuffed when relayed.
func TestSmuggledEndMarkersAreData(t *testing.T) {
	const smuggled = "MAIL FROM:<evil@customer.example>\r\nRCPT TO:<support@support.test>\r\nDATA\r\nSubject: injected\r\n\r\nevil\r\n"
	for _, tc := range []struct{ name, body, want string }{
		{"LF . CR LF", "first\n.\r\n" + smuggled, "first\r\n.\r\n" + smuggled},
		{"CR . CR LF", "first\r.\r\n" + smuggled, "first\r\n.\r\n" + smuggled},
		{"CR LF . LF", "first\r\n.\n" + smuggled, "first\r\n\r\n" + smuggled},
		{"LF . LF", "first\n.\n" + smuggled, "first\r\n.\r\n" + smuggled},
		{"CR . CR", "first\r.\r" + smuggled, "first\r\n.\r\n" + smuggled},
		{"CR LF . CR", "first\r\n.\r" + smuggled, "first\r\n\r\n" + smuggled},
		// The dot-CR line (third_party/go-smtp's fix): the reader gives
		// "\r\r\n" for ".\r\r\n", one line break once normalised.
		{"CR LF . CR CR LF", "first\r\n.\r\r\nsecond\r\n", "first\r\n\r\nsecond\r\n"},
		// … and the end marker right after that line still ends the
		// message (upstream read it as data and the session hung).
		{"CR LF . CR CR LF, then the end", "first\r\n.\r\r\n", "first\r\n\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			s, addr := startRaw(t, Config{}, rec)
			lines := rawSession(t, addr, envelope+"DATA\r\nSubject: s\r\n\r\n"+tc.body+".\r\nQUIT\r\n")
			waitFor(t, "the server to close the session", func() bool { return s.openConns() == 0 })
			queued, bye := 0, false
			for _, l := range lines {
				queued += strings.Count(l, "250 2.0.0 OK: queued")
				bye = bye || strings.HasPrefix(l, "221 ")
			}
			if queued != 1 || rec.count() != 1 || !bye {
				t.Fatalf("%d replies 250 queued, %d messages filed, QUIT answered %v; want 1, 1, true\nreplies: %q", queued, rec.count(), bye, lines)
			}
			if got := string(rec.msgs[0]); !strings.HasSuffix(got, "Subject: s\r\n\r\n"+tc.want) {
				t.Errorf("filed %q; want it to end %q", got, "Subject: s\r\n\r\n"+tc.want)
			}
		})
	}
}
