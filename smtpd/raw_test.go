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

// replyReader reads a server's replies over a raw connection.
type replyReader struct {
	t     testing.TB
	sc    *bufio.Scanner
	lines []string // every line read so far, for failure messages
}

// next returns the next reply's last line (a multi-line reply's "250-"
// lines are skipped), failing the test if the connection ends first.
func (r *replyReader) next() string {
	r.t.Helper()
	for r.sc.Scan() {
		l := r.sc.Text()
		r.lines = append(r.lines, l)
		if len(l) < 4 || l[3] != '-' {
			return l
		}
	}
	r.t.Fatalf("connection ended (%v); replies so far: %q", r.sc.Err(), r.lines)
	return ""
}

// expect reads one reply and fails the test unless it starts with want.
func (r *replyReader) expect(what, want string) {
	r.t.Helper()
	if got := r.next(); !strings.HasPrefix(got, want) {
		r.t.Fatalf("reply to %s: %q, want %q…; replies: %q", what, got, want, r.lines)
	}
}

// end fails the test unless the server closes the connection with no
// further reply.
func (r *replyReader) end() {
	r.t.Helper()
	if r.sc.Scan() {
		r.t.Fatalf("unprompted reply %q; replies: %q", r.sc.Text(), append(r.lines, r.sc.Text()))
	}
}

const longLineReply = "500 5.5.0 Line too long: a line of the message is longer than 2000 bytes, its CR LF counted"

// A line over max_line_length in DATA is refused for good (500 5.5.0), not
// with a 4xx that makes the sender retry the same message for days; the
// refusal is the one reply to it, and the session goes on (the rest of the
// message is read to its end marker, RFC 5321 §4.1.1.4) so the client can
// send its next message. go-smtp's line-length reader sat under the
// connection's buffer: after the 500 5.5.0 its error came back to the
// command loop, which wrote "500 5.4.0 Too long line, closing connection"
// unprompted and closed (audit 2, F3; the client saw that reply as the
// answer to its next command, or a reset connection). The message is sent
// in several ways, each a few times: in one write after 354, cut inside the
// long line, cut just after it, and pipelined with the envelope.
func TestOverlongDataLineGetsOneReplyAndTheSessionGoesOn(t *testing.T) {
	rec := &recorder{}
	_, addr := startRaw(t, Config{MaxLineLength: 2000}, rec)
	head := "Subject: long\r\n\r\nfirst line\r\n"
	long := strings.Repeat("x", 2500) + "\r\n"
	msg := head + long + "last line\r\n.\r\n"
	good := "Subject: fine\r\n\r\nshort lines only\r\n.\r\n"
	splits := map[string][]string{
		"one write":            {msg},
		"cut inside the line":  {head + long[:1500], long[1500:] + "last line\r\n.\r\n"},
		"cut after the line":   {head + long, "last line\r\n.\r\n"},
		"cut before the CR LF": {head + long[:2500], long[2500:] + "last line\r\n.\r\n"},
	}
	const rounds = 10
	for name, parts := range splits {
		for _, pipelined := range []bool{false, true} {
			for i := 0; i < rounds; i++ {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					t.Fatal(err)
				}
				c.SetDeadline(time.Now().Add(20 * time.Second))
				r := &replyReader{t: t, sc: bufio.NewScanner(c)}
				if pipelined {
					// A client that does not wait for 354 (RFC 2920 says
					// it should): the whole message in the same write.
					io.WriteString(c, envelope+"DATA\r\n"+parts[0])
					for _, p := range parts[1:] {
						io.WriteString(c, p)
					}
					for _, w := range []string{"220 ", "250 ", "250 ", "250 ", "354 "} {
						r.expect(name, w)
					}
				} else {
					io.WriteString(c, envelope+"DATA\r\n")
					for _, w := range []string{"220 ", "250 ", "250 ", "250 ", "354 "} {
						r.expect(name, w)
					}
					for _, p := range parts {
						io.WriteString(c, p)
					}
				}
				r.expect(name+": the message", longLineReply)
				// The next commands get their own replies.
				io.WriteString(c, "NOOP\r\nMAIL FROM:<a@customer.example>\r\nRCPT TO:<support@support.test>\r\nDATA\r\n")
				for _, w := range []string{"250 2.0.0 I have successfully done nothing", "250 ", "250 ", "354 "} {
					r.expect(name+": after the refusal", w)
				}
				io.WriteString(c, good+"QUIT\r\n")
				r.expect(name+": the next message", "250 2.0.0 OK: queued")
				r.expect(name+": QUIT", "221 ")
				r.end()
				c.Close()
			}
		}
	}
	if want := len(splits) * 2 * rounds; rec.count() != want {
		t.Errorf("%d messages filed, want %d (the good ones)", rec.count(), want)
	}
	for _, m := range rec.msgs {
		if strings.Contains(string(m), "xxx") {
			t.Fatalf("the message with the long line was filed: %q", m[:60])
		}
	}
}

// BDAT is held to the same line limit as DATA, with the same permanent
// answer: go-smtp measures the lines of DATA only, and a sender must not
// be told 250 by one verb for what the other refuses for good. The answer
// does not depend on how the chunk arrives: in the same write as the BDAT
// command (what RFC 3030 pipelining clients do) go-smtp's line-length
// check, under the connection's buffer, measured the chunk's first bytes
// as if they were commands and answered "500 5.4.0 Too long line, closing
// connection" (audit 2, F2). The session goes on after the refusal.
func TestOverlongBDATLineIsPermanent(t *testing.T) {
	padding := strings.Repeat("a short line of the message\r\n", 300) // 8 KB
	for _, c := range []struct {
		name string
		pad  string
		line int
		want string
	}{
		{"over the limit", "", 2500, longLineReply},
		{"one over the limit", "", 1999, longLineReply}, // with its CR LF, 2001
		{"at the limit", "", 1998, "250 2.0.0 OK: queued"},
		{"over the limit after 8 KB", padding, 2500, longLineReply},
		{"at the limit after 8 KB", padding, 1998, "250 2.0.0 OK: queued"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{}
			_, addr := startRaw(t, Config{MaxLineLength: 2000}, rec)
			body := "Subject: long\r\n\r\n" + c.pad + strings.Repeat("x", c.line) + "\r\nend\r\n"
			lines := rawSession(t, addr, envelope+fmt.Sprintf("BDAT %d LAST\r\n", len(body))+body+"NOOP\r\nQUIT\r\n")
			if len(lines) < 3 {
				t.Fatalf("replies %q", lines)
			}
			tail := lines[len(lines)-3:]
			if !strings.HasPrefix(tail[0], c.want) || !strings.HasPrefix(tail[1], "250 2.0.0 I have successfully done nothing") || !strings.HasPrefix(tail[2], "221 ") {
				t.Errorf("replies %q; want %q…, then 250 to NOOP and 221", lines, c.want)
			}
			filed := 0
			if strings.HasPrefix(c.want, "250") {
				filed = 1
			}
			if rec.count() != filed {
				t.Errorf("%d filed, want %d", rec.count(), filed)
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
