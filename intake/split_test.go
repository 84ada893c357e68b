package intake

import "testing"

// A header block ends at its first blank line, whatever line endings the
// body uses: an LF-only mail whose body holds a CRLF CRLF must not have
// its body's first lines read as header fields.
func TestHeaderValueStopsAtTheFirstBlankLine(t *testing.T) {
	for _, c := range []struct {
		name, raw, field, want string
	}{
		{"CRLF", "From: a\r\nIn-Reply-To: <t@x>\r\n\r\nbody\r\n", "In-Reply-To", "t@x"},
		{"LF", "From: a\nIn-Reply-To: <t@x>\n\nbody\n", "In-Reply-To", "t@x"},
		{"LF header, CRLF CRLF in body", "From: a\nSubject: s\n\nIn-Reply-To: <forged@x>\r\n\r\nmore", "In-Reply-To", ""},
		{"folded", "Subject: a\r\n b\r\n\r\n", "Subject", "a b"},
		{"no blank line", "From: a\r\nIn-Reply-To: <t@x>\r\n", "In-Reply-To", "t@x"},
	} {
		if got := headerValue([]byte(c.raw), c.field); got != c.want {
			t.Errorf("%s: headerValue(%s) = %q, want %q", c.name, c.field, got, c.want)
		}
	}
}
