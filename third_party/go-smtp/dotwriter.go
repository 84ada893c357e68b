package smtp

import (
	"bufio"
	"bytes"
)

// dotWriter is net/textproto's DotWriter (dot-stuffing, LF to CRLF, the
// final ".") with one change, a Frontdesk patch: in the middle of a line
// it writes the run of bytes that needs no change at once instead of a
// byte at a time, which was a quarter of a relay's CPU on 1 MB mail.
type dotWriter struct {
	w     *bufio.Writer
	state int
}

const (
	wstateBegin     = iota // initial state; must be zero
	wstateBeginLine        // beginning of line
	wstateCR               // wrote \r (possibly at end of line)
	wstateData             // writing data in middle of line
)

func (d *dotWriter) Write(b []byte) (n int, err error) {
	bw := d.w
	for n < len(b) {
		if d.state == wstateData {
			// Whole lines first, one IndexByte each: up to the last line
			// end of b that textproto writes as it is.
			if i := cleanLines(b[n:]); i > 0 {
				m, err := bw.Write(b[n : n+i])
				n += m
				if err != nil {
					return n, err
				}
				d.state = wstateBeginLine
				continue
			}
			// The run goes on over every CRLF followed by a byte that
			// leaves the state machine in wstateData again (not '.',
			// CR or LF), so whole lines are written together.
			i := 0
			for {
				j := i + lineBreak(b[n+i:])
				if n+j+2 < len(b) && b[n+j] == '\r' && b[n+j+1] == '\n' && b[n+j+2] != '.' && b[n+j+2] != '\r' && b[n+j+2] != '\n' {
					i = j + 3
					continue
				}
				i = j
				break
			}
			if i > 0 {
				m, err := bw.Write(b[n : n+i])
				n += m
				if err != nil {
					return n, err
				}
				continue
			}
		}
		c := b[n]
		switch d.state {
		case wstateBegin, wstateBeginLine:
			d.state = wstateData
			if c == '.' {
				// escape leading dot
				bw.WriteByte('.')
			}
			fallthrough
		case wstateData:
			if c == '\r' {
				d.state = wstateCR
			}
			if c == '\n' {
				bw.WriteByte('\r')
				d.state = wstateBeginLine
			}
		case wstateCR:
			d.state = wstateData
			if c == '\n' {
				d.state = wstateBeginLine
			}
		}
		if err = bw.WriteByte(c); err != nil {
			break
		}
		n++
	}
	return
}

// cleanLines returns how much of b, written from the middle of a line
// (wstateData), textproto's DotWriter would write unchanged up to and
// including a line feed: lines that end in a CR LF where the CR leaves it
// in wstateCR (not after another CR: a run of CRs alternates its state,
// so that is left to the state machine) and are not followed by a line
// that starts with a dot. One IndexByte per line, where lineBreak takes two
// (Frontdesk patch).
func cleanLines(b []byte) int {
	end := 0
	for i := 0; ; {
		k := bytes.IndexByte(b[i:], '\n')
		if k < 0 {
			return end
		}
		j := i + k
		if j < 1 || b[j-1] != '\r' || j >= 2 && b[j-2] == '\r' {
			return end
		}
		end, i = j+1, j+1
		if i < len(b) && b[i] == '.' {
			return end
		}
	}
}

// lineBreak is the index of the first CR or LF in b, len(b) if none.
func lineBreak(b []byte) int {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		i = len(b)
	}
	if j := bytes.IndexByte(b[:i], '\r'); j >= 0 {
		return j
	}
	return i
}

func (d *dotWriter) Close() error {
	bw := d.w
	switch d.state {
	default:
		bw.WriteByte('\r')
		fallthrough
	case wstateCR:
		bw.WriteByte('\n')
		fallthrough
	case wstateBeginLine:
		bw.WriteString(".\r\n")
	}
	return bw.Flush()
}
