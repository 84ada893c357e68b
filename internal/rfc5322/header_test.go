package rfc5322

import (
	"bytes"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	big := "X-Big: " + strings.Repeat("a", 1<<20) + "\r\n" // longer than any reader's buffer
	for _, c := range []struct {
		name, raw  string
		head, body string
		ok         bool
	}{
		{"CRLF", "From: a\r\nTo: b\r\n\r\nhello\r\n", "From: a\r\nTo: b\r\n", "hello\r\n", true},
		{"LF", "From: a\nTo: b\n\nhello\n", "From: a\nTo: b\n", "hello\n", true},
		{"no body", "From: a\r\n\r\n", "From: a\r\n", "", true},
		{"no blank line at all", "From: a\r\nTo: b\r\n", "From: a\r\nTo: b\r\n", "", false},
		{"no line ending at all", "From: a", "From: a", "", false},
		{"empty", "", "", "", false},
		{"no header", "\r\nbody\r\n", "", "body\r\n", true},
		{"no header, LF", "\nbody", "", "body", true},
		{"folded header", "Subject: a\r\n b\r\n\tc\r\nTo: x\r\n\r\nbody", "Subject: a\r\n b\r\n\tc\r\nTo: x\r\n", "body", true},
		{"a folded line of spaces is not blank", "Subject: a\r\n \r\n\r\nbody", "Subject: a\r\n \r\n", "body", true},
		{"LF header, CRLF CRLF in body", "From: a\n\nline\r\n\r\nmore", "From: a\n", "line\r\n\r\nmore", true},
		{"mixed endings", "From: a\r\nTo: b\n\r\nbody", "From: a\r\nTo: b\n", "body", true},
		{"doubled CR", "From: a\r\r\n\r\r\nbody", "From: a\r\r\n", "body", true},
		{"bare CR is not a line end", "From: a\r\rbody", "From: a\r\rbody", "", false},
		{"header longer than a buffer", big + "\r\nbody", big, "body", true},
		{"blank line only once counts", "A: 1\n\nB: 2\n\nbody", "A: 1\n", "B: 2\n\nbody", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			head, body, ok := Split([]byte(c.raw))
			if string(head) != c.head || string(body) != c.body || ok != c.ok {
				t.Errorf("Split = %.40q, %.40q, %v; want %.40q, %.40q, %v", head, body, ok, c.head, c.body, c.ok)
			}
			if !ok && body != nil {
				t.Error("body of a mail with no blank line is not nil")
			}
		})
	}
}

func TestFields(t *testing.T) {
	type f struct{ name, raw string }
	for _, c := range []struct {
		name, head string
		want       []f
	}{
		{"CRLF", "From: a\r\nTo: b\r\n", []f{{"From", "From: a\r\n"}, {"To", "To: b\r\n"}}},
		{"LF, folded", "Subject: a\n b\n\tc\nTo: x\n", []f{{"Subject", "Subject: a\n b\n\tc\n"}, {"To", "To: x\n"}}},
		{"no final line ending", "A: 1\r\nB: 2", []f{{"A", "A: 1\r\n"}, {"B", "B: 2"}}},
		{"space before colon", "Subject : x\n", []f{{"Subject", "Subject : x\n"}}},
		{"not a field", "garbage\nA: 1\n", []f{{"", "garbage\n"}, {"A", "A: 1\n"}}},
		{"continuation first", " lost\nA: 1\n", []f{{"", " lost\n"}, {"A", "A: 1\n"}}},
		{"colon first", ": x\n", []f{{"", ": x\n"}}},
		{"empty", "", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []f
			for name, raw := range Fields([]byte(c.head)) {
				got = append(got, f{name, string(raw)})
			}
			if len(got) != len(c.want) {
				t.Fatalf("Fields = %q, want %q", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("field %d = %q, want %q", i, got[i], c.want[i])
				}
			}
		})
	}
	// Stopping early stops.
	n := 0
	for range Fields([]byte("A: 1\nB: 2\nC: 3\n")) {
		if n++; n == 2 {
			break
		}
	}
	if n != 2 {
		t.Errorf("iterated %d fields after break", n)
	}
}

func TestValue(t *testing.T) {
	for _, c := range []struct{ field, want string }{
		{"Subject: hello\r\n", "hello"},
		{"Subject: a\r\n b\r\n\tc\r\n", "a b\tc"},
		{"Subject: a\n  b\n", "a  b"},
		{"Subject:\r\n", ""},
		{"no colon\r\n", ""},
		{"X: a:b\n", "a:b"},
	} {
		if got := Value([]byte(c.field)); got != c.want {
			t.Errorf("Value(%q) = %q, want %q", c.field, got, c.want)
		}
	}
}

// FuzzSplit: for any bytes, the head, the blank line and the body are raw
// in order, the blank line is one, and the fields of the head are the
// head, with no blank line among them.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"From: a\r\n\r\nb", "A: 1\n b\n\nc", "x", "\r\n", " a\n:b\r\r\n\nc", "A: 1\r\n\tB\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		head, body, ok := Split(raw)
		if !bytes.HasPrefix(raw, head) || !bytes.HasSuffix(raw, body) || len(head)+len(body) > len(raw) {
			t.Fatalf("Split(%q) = %q, %q: not the ends of raw", raw, head, body)
		}
		blank := raw[len(head) : len(raw)-len(body)]
		if ok != (len(blank) > 0) || ok && (blank[len(blank)-1] != '\n' || len(bytes.Trim(blank, "\r\n")) != 0) {
			t.Fatalf("Split(%q): blank line %q, ok %v", raw, blank, ok)
		}
		for _, line := range bytes.SplitAfter(head, []byte("\n")) {
			if bytes.HasSuffix(line, []byte("\n")) && len(bytes.TrimLeft(line, "\r")) == 1 {
				t.Fatalf("Split(%q): head %q holds a blank line", raw, head)
			}
		}
		var all []byte
		for name, field := range Fields(head) {
			if len(field) == 0 || name != strings.TrimSpace(name) {
				t.Fatalf("Fields(%q): field %q named %q", head, field, name)
			}
			all = append(all, field...)
		}
		if !bytes.Equal(all, head) {
			t.Fatalf("Fields(%q) give back %q", head, all)
		}
		_ = Value(head)
	})
}
