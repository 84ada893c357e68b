package message

import (
	"strings"
	"testing"
)

// freshByReplace is FreshOnly as it was before it split the text
// without a CRLF-to-LF copy first.
func freshByReplace(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var out []string
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "--" || (l == "-- ") || quoteStart(t, lines[i+1:]) {
			break
		}
		if strings.HasPrefix(t, ">") {
			continue
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

var freshCases = []string{
	"", "\r", "\n", "\r\n", "a\r", "a\r\r\nb", "a\rb\r\n", "Hi\r\n\r\n> old\r\nnew\r\n",
	"Hello\r\nthere\r\n-- \r\nsig", "Hello\n--\nsig", "x\r\nOn Mon, Li wrote:\r\n> q",
	"text\r\nFrom: a\r\nSent: b\r\n", "text\r\n-----Original Message-----\r\nold",
	"line one \r\n  line two\r\n\r\n", "> only\r\n> quotes\r\n", "a\r\n>b\r\nc\r\r\n",
	"你好\r\n发件人: x\r\n发送时间: y\r\n", "-- \r", "a\r\n-- \r",
}

// TestFreshOnlySameAsBefore: FreshOnly answers as it did when it first
// turned CRLF into LF, for lone CRs, CRs before CRLF and the end of the
// text too.
func TestFreshOnlySameAsBefore(t *testing.T) {
	for _, s := range freshCases {
		checkFresh(t, s)
	}
}

func FuzzFreshOnly(f *testing.F) {
	for _, s := range freshCases {
		f.Add(s)
	}
	f.Fuzz(checkFresh)
}

func checkFresh(t *testing.T, s string) {
	if got, want := FreshOnly(s), freshByReplace(s); got != want {
		t.Fatalf("FreshOnly(%q) = %q, want %q", s, got, want)
	}
}
