package message

import (
	"strings"
	"testing"
)

func TestUnflow(t *testing.T) {
	for _, c := range []struct {
		name, in string
		delsp    bool
		want     string
	}{
		{"soft breaks joined", "The fan rattles when it \r\nstarts and stops after a \r\nminute.\r\nIt is new.", false, "The fan rattles when it starts and stops after a minute.\nIt is new."},
		{"hard breaks kept", "line one\r\nline two\r\n", false, "line one\nline two\n"},
		{"space-stuffed lines", " >not a quote\r\n From here", false, ">not a quote\nFrom here"},
		{"quotes keep their depth", "> we asked \r\n> you this\r\nI answer \r\nnow", false, "> we asked you this\nI answer now"},
		{"a depth change ends a paragraph", "> quoted \r\nmine", false, "> quoted \nmine"},
		{"signature separator is no soft break", "Thanks\r\n-- \r\nAnn", false, "Thanks\n-- \nAnn"},
		{"delsp joins Chinese without a space", "风扇一直 \r\n响，怎么办？", true, "风扇一直响，怎么办？"},
		{"blank lines stay", "a\r\n\r\nb", false, "a\n\nb"},
	} {
		if got := unflow(c.in, c.delsp); got != c.want {
			t.Errorf("%s: unflow(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

// TestFlowedMailReadsAsUnwrapped: a format=flowed mail is read as the
// same words sent unwrapped; a fixed mail's line ends are kept.
func TestFlowedMailReadsAsUnwrapped(t *testing.T) {
	head := "From: a@b.test\r\nTo: help@shop.test\r\nSubject: Fan\r\nMIME-Version: 1.0\r\n"
	body := "The fan rattles when it \r\nstarts. Can you fix it?\r\n"
	for _, c := range []struct{ name, raw, want string }{
		{"flowed", head + "Content-Type: text/plain; charset=utf-8; format=flowed\r\n\r\n" + body, "The fan rattles when it starts. Can you fix it?"},
		{"flowed in an alternative", head + "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8; format=flowed; delsp=no\r\n\r\n" + body + "--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>The fan rattles when it starts. Can you fix it?</p>\r\n--b--\r\n", "The fan rattles when it starts. Can you fix it?"},
		{"fixed", head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body, "The fan rattles when it \r\nstarts. Can you fix it?"},
	} {
		m, err := Parse([]byte(c.raw))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := strings.TrimSpace(m.Text); got != c.want {
			t.Errorf("%s: Text = %q, want %q", c.name, got, c.want)
		}
	}
}

// FuzzUnflow: unflow never adds words (the non-space, non-">" bytes of its
// output are those of its input, in order), and a text with no line that
// ends in a space or begins with a space or ">" comes out unchanged.
func FuzzUnflow(f *testing.F) {
	f.Add("a \r\nb\r\n> c \r\n> d", false)
	f.Add("风扇 \r\n响", true)
	f.Add("plain\nlines\n", false)
	f.Fuzz(func(t *testing.T, s string, delsp bool) {
		got := unflow(s, delsp)
		if strip(got) != strip(s) {
			t.Fatalf("unflow(%q) = %q: words changed", s, got)
		}
		plain := true
		for l := range strings.SplitSeq(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
			if strings.HasSuffix(l, " ") || strings.HasPrefix(l, " ") || strings.HasPrefix(l, ">") {
				plain = false
			}
		}
		if plain && got != strings.ReplaceAll(s, "\r\n", "\n") {
			t.Fatalf("unflow(%q) = %q, want it unchanged", s, got)
		}
	})
}

// strip drops the bytes of spaces, ">", CR and LF.
func strip(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ' ' && c != '>' && c != '\r' && c != '\n' {
			b = append(b, c)
		}
	}
	return string(b)
}
