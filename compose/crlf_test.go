package compose

import (
	"bytes"
	"strings"
	"testing"
)

// crlfByReplace is what toCRLF did before it was made one pass: every
// CRLF to LF, then every LF to CRLF.
func crlfByReplace(b []byte) []byte {
	return []byte(strings.ReplaceAll(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n", "\r\n"))
}

var crlfCases = []string{
	"", "a", "\n", "\r", "\r\n", "\n\n", "\r\r\n", "\n\r", "a\nb", "a\r\nb\n", "a\r\nb\r\n",
	"<p>Hi</p>\n<p>there</p>\n", "tail\r", "x\r\r\r\n\ny", "\r\n\r\n\n",
}

// TestToCRLF: every line ends with CRLF, a lone CR stays, and the
// result is byte for byte what two replacements made.
func TestToCRLF(t *testing.T) {
	want := map[string]string{"a\nb": "a\r\nb", "\r\r\n": "\r\r\n", "\n\r": "\r\n\r", "a\r\nb\n": "a\r\nb\r\n"}
	for _, s := range crlfCases {
		checkCRLF(t, s)
		if w, ok := want[s]; ok {
			if got := string(toCRLF([]byte(s))); got != w {
				t.Errorf("toCRLF(%q) = %q, want %q", s, got, w)
			}
		}
	}
}

func FuzzToCRLF(f *testing.F) {
	for _, s := range crlfCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkCRLF(t, s) })
}

func checkCRLF(t *testing.T, s string) {
	in := []byte(s)
	if got, want := toCRLF(in), crlfByReplace([]byte(s)); !bytes.Equal(got, want) {
		t.Fatalf("toCRLF(%q) = %q, want %q", s, got, want)
	}
	if string(in) != s {
		t.Fatalf("toCRLF changed its argument %q to %q", s, in)
	}
}

// tidyTextByJoin is tidyText as it was before it made its result in one
// copy.
func tidyTextByJoin(b []byte) []byte {
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	var out []string
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			blank++
			if blank > 1 || len(out) == 0 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return []byte(strings.Join(out, "\r\n") + "\r\n")
}

// FuzzTidyText: tidyText makes the bytes it made with strings.Join,
// an empty text's lone CRLF included.
func FuzzTidyText(f *testing.F) {
	for _, s := range append(crlfCases, "\n\nHello  \n\n\n\nWorld\t\n\n", " \t\n") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := tidyText([]byte(s)), tidyTextByJoin([]byte(s)); !bytes.Equal(got, want) {
			t.Fatalf("tidyText(%q) = %q, want %q", s, got, want)
		}
	})
}
