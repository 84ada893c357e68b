package smtpd

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestNormalizeLineEnds(t *testing.T) {
	for _, c := range []struct {
		in, want string
		n        int
	}{
		{"", "", 0},
		{"no line end", "no line end", 0},
		{"a\r\nb\r\n", "a\r\nb\r\n", 0},
		{"a\nb\n", "a\r\nb\r\n", 2},
		{"a\rb\r", "a\r\nb\r\n", 2},
		{"a\r\nb\nc\rd", "a\r\nb\r\nc\r\nd", 2},
		{"\n", "\r\n", 1},
		{"\r", "\r\n", 1},
		{"a\n\nb", "a\r\n\r\nb", 2},
		{"a\r\rb", "a\r\n\r\nb", 2},
		{"a\n\r\nb", "a\r\n\r\nb", 1},
		// A run of CRs before an LF is one line ending.
		{"Subject: x\r\r\nFrom: y\r\n", "Subject: x\r\nFrom: y\r\n", 1},
		{"a\r\r\r\n", "a\r\n", 1},
		// SMTP smuggling's end markers become plain lines, which a relay
		// dot-stuffs.
		{"first\n.\nMAIL FROM:<e@x>\r\n", "first\r\n.\r\nMAIL FROM:<e@x>\r\n", 2},
		{"first\r.\rMAIL FROM:<e@x>\r\n", "first\r\n.\r\nMAIL FROM:<e@x>\r\n", 2},
		{"first\r\n.\r\r\nsecond", "first\r\n.\r\nsecond", 1},
	} {
		got, n := normalizeLineEnds([]byte(c.in))
		if string(got) != c.want || n != c.n {
			t.Errorf("normalizeLineEnds(%q) = %q, %d; want %q, %d", c.in, got, n, c.want, c.n)
		}
	}
	clean := []byte("Subject: s\r\n\r\nbody\r\n")
	if got, _ := normalizeLineEnds(clean); &got[0] != &clean[0] {
		t.Error("a message with only CR LF was copied")
	}
}

// FuzzNormalizeLineEnds: the result has every CR in a CR LF and every LF
// after a CR, keeps every other byte in order, is unchanged by a second
// pass, and is data itself when nothing was changed.
func FuzzNormalizeLineEnds(f *testing.F) {
	for _, s := range []string{"", "a\r\nb", "a\nb\rc", "\r\r\n\n\r", ".\r\r\n", "x\n.\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := bytes.Clone(data)
		got, n := normalizeLineEnds(data)
		if !bytes.Equal(data, in) {
			t.Fatal("input modified")
		}
		if n == 0 && !bytes.Equal(got, data) {
			t.Fatalf("n = 0 but %q became %q", data, got)
		}
		if n > 0 && bytes.Equal(got, data) {
			t.Fatalf("n = %d but %q unchanged", n, data)
		}
		if bytes.Count(got, []byte("\r")) != bytes.Count(got, []byte("\r\n")) || bytes.Count(got, []byte("\n")) != bytes.Count(got, []byte("\r\n")) {
			t.Fatalf("%q has a bare CR or LF", got)
		}
		strip := func(b []byte) string {
			return strings.Map(func(r rune) rune {
				if r == '\r' || r == '\n' {
					return -1
				}
				return r
			}, string(b))
		}
		if strip(got) != strip(data) {
			t.Fatalf("%q became %q: other bytes changed", data, got)
		}
		if again, m := normalizeLineEnds(got); m != 0 || !bytes.Equal(again, got) {
			t.Fatalf("second pass changed %q to %q", got, again)
		}
	})
}

// Bare CR and bare LF in a message, through DATA and through BDAT, are
// stored (and so relayed) as CR LF; the message is accepted.
func TestBareLineEndsAreNormalised(t *testing.T) {
	const header = "Subject: bare\r\n\r\n"
	for _, tc := range []struct{ name, body, want string }{
		{"bare LF", "one\ntwo\r\n", "one\r\ntwo\r\n"},
		{"bare CR", "one\rtwo\r\n", "one\r\ntwo\r\n"},
		{"LF . LF", "one\n.\nMAIL FROM:<e@customer.example>\r\n", "one\r\n.\r\nMAIL FROM:<e@customer.example>\r\n"},
		{"CR . CR", "one\r.\rMAIL FROM:<e@customer.example>\r\n", "one\r\n.\r\nMAIL FROM:<e@customer.example>\r\n"},
		{"CR CR LF", "one\r\r\ntwo\r\n", "one\r\ntwo\r\n"},
	} {
		msg := header + tc.body
		for _, verb := range []struct{ name, script string }{
			{"DATA", envelope + "DATA\r\n" + msg + ".\r\nQUIT\r\n"},
			{"BDAT", envelope + fmt.Sprintf("BDAT %d LAST\r\n", len(msg)) + msg + "QUIT\r\n"},
		} {
			t.Run(tc.name+"/"+verb.name, func(t *testing.T) {
				rec := &recorder{}
				s, addr := startRaw(t, Config{}, rec)
				lines := rawSession(t, addr, verb.script)
				waitFor(t, "the server to close the session", func() bool { return s.openConns() == 0 })
				if rec.count() != 1 {
					t.Fatalf("%d messages filed; want 1\nreplies: %q", rec.count(), lines)
				}
				if got := string(rec.msgs[0]); got != header+tc.want {
					t.Errorf("filed %q; want %q", got, header+tc.want)
				}
			})
		}
	}
}

// BenchmarkNormalizeLineEnds: the check every message pays (1 MB of
// 70-byte CR LF lines), and the copy of one with bare LFs.
func BenchmarkNormalizeLineEnds(b *testing.B) {
	line := strings.Repeat("x", 68)
	clean := []byte(strings.Repeat(line+"\r\n", 1<<20/70))
	bare := []byte(strings.Repeat(line+"\n", 1<<20/70))
	for _, c := range []struct {
		name string
		data []byte
	}{{"clean", clean}, {"bare LF", bare}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			for b.Loop() {
				normalizeLineEnds(c.data)
			}
		})
	}
}
