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
