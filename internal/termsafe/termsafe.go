// Package termsafe keeps what the admin commands print from steering the
// operator's terminal. Ticket subjects, customers' names, timeline text and
// remote servers' replies are written by outsiders; printed as they are,
// an ESC in a subject could retitle the window, hide or overwrite lines,
// or (OSC 52) write the clipboard, and a right-to-left override could make
// a line read differently from what it says.
package termsafe

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// Writer passes text through to W with each control character but tab
// and newline, each C1 control and each bidirectional formatting
// character written as the six characters \uXXXX, and each byte that is
// not UTF-8 as U+FFFD. Inside a JSON string that escape means the same
// character and JSON has none of them elsewhere, so `--json` output
// decodes to the same values; in text they show instead of acting.
type Writer struct {
	W    io.Writer
	tail []byte // the start of a character the next Write completes
}

// NewWriter returns a Writer to w.
func NewWriter(w io.Writer) *Writer { return &Writer{W: w} }

// Unsafe reports whether r is written escaped.
func Unsafe(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// Write writes p made safe; it reports len(p) when all of it was taken.
// A character cut by the end of p is held until the next Write.
func (w *Writer) Write(p []byte) (int, error) {
	b := p
	if len(w.tail) > 0 {
		b = append(w.tail, p...)
		w.tail = nil
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		c := b[i]
		if c >= 0x20 && c < 0x7f || c == '\t' || c == '\n' {
			out = append(out, c)
			i++
			continue
		}
		if !utf8.FullRune(b[i:]) {
			w.tail = append([]byte(nil), b[i:]...)
			break
		}
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			out = utf8.AppendRune(out, utf8.RuneError)
		case Unsafe(r):
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	if _, err := w.W.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
