package smtp

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

type EnhancedCode [3]int

// SMTPError specifies the error code, enhanced error code (if any) and
// message returned by the server.
type SMTPError struct {
	Code         int
	EnhancedCode EnhancedCode
	Message      string
}

// NoEnhancedCode is used to indicate that enhanced error code should not be
// included in response.
//
// Note that RFC 2034 requires an enhanced code to be included in all 2xx, 4xx
// and 5xx responses. This constant is exported for use by extensions, you
// should probably use EnhancedCodeNotSet instead.
var NoEnhancedCode = EnhancedCode{-1, -1, -1}

// EnhancedCodeNotSet is a nil value of EnhancedCode field in SMTPError, used
// to indicate that backend failed to provide enhanced status code. X.0.0 will
// be used (X is derived from error code).
var EnhancedCodeNotSet = EnhancedCode{0, 0, 0}

func (err *SMTPError) Error() string {
	s := fmt.Sprintf("SMTP error %03d", err.Code)
	if err.Message != "" {
		s += ": " + err.Message
	}
	return s
}

func (err *SMTPError) Temporary() bool {
	return err.Code/100 == 4
}

var ErrDataTooLarge = &SMTPError{
	Code:         552,
	EnhancedCode: EnhancedCode{5, 3, 4},
	Message:      "Maximum message size exceeded",
}

type dataReader struct {
	r     *bufio.Reader
	state int

	limited bool
	n       int64 // Maximum bytes remaining

	// Frontdesk patch: DATA's line-length limit is measured here, on the
	// lines as they came (dot-stuffed, CR LF included), rather than by a
	// lineLimitReader under the connection's buffer (see Conn.init).
	lineLimit int  // 0: none
	lineLen   int  // bytes of the current line read so far
	tooLong   bool // Read has returned ErrTooLongLine
}

func newDataReader(c *Conn) *dataReader {
	dr := &dataReader{
		r:         c.text.R,
		lineLimit: c.server.MaxLineLength,
	}

	if c.server.MaxMessageBytes > 0 {
		dr.limited = true
		dr.n = int64(c.server.MaxMessageBytes)
	}

	return dr
}

func (r *dataReader) Read(b []byte) (n int, err error) {
	if r.limited {
		if r.n <= 0 {
			return 0, ErrDataTooLarge
		}
		if int64(len(b)) > r.n {
			b = b[0:r.n]
		}
	}

	// Code below is taken from net/textproto with only one modification to
	// not rewrite CRLF -> LF.

	// Run data through a simple state machine to
	// elide leading dots and detect End-of-Data (<CR><LF>.<CR><LF>) line.
	const (
		stateBeginLine = iota // beginning of line; initial state; must be zero
		stateDot              // read . at beginning of line
		stateDotCR            // read .\r at beginning of line
		stateCR               // read \r (possibly at end of line)
		stateData             // reading data in middle of line
		stateEOF              // reached .\r\n end marker line
	)
	for n < len(b) && r.state != stateEOF {
		// Frontdesk patch: in the middle of a line every byte up to the
		// next CR is data, whatever it is. Copy that run from the buffer
		// at once instead of a byte at a time (the state machine below
		// was a third of a relay's CPU on 1 MB mail).
		if r.state == stateData && r.r.Buffered() > 0 {
			k := r.r.Buffered()
			if k > len(b)-n {
				k = len(b) - n
			}
			buf, _ := r.r.Peek(k)
			// The run goes on over every CRLF followed by a byte that
			// leaves the state machine in stateData again (not '.',
			// not CR), so whole lines are copied together.
			i := 0
			for {
				j := bytes.IndexByte(buf[i:], '\r')
				if j < 0 {
					i = len(buf)
					break
				}
				j += i
				if j+2 < len(buf) && buf[j+1] == '\n' && buf[j+2] != '.' && buf[j+2] != '\r' {
					i = j + 3
					continue
				}
				i = j
				break
			}
			if i > 0 && r.lineLimit > 0 {
				// Up to the byte that makes a line too long; the byte
				// path below reads that byte and fails.
				i = r.measure(buf[:i])
				if i > 0 && buf[i-1] == '\r' {
					// Cut between a CR and its LF (in the run, every
					// CR is followed by LF).
					r.state = stateCR
				}
			}
			if i > 0 {
				copy(b[n:], buf[:i])
				r.r.Discard(i)
				n += i
				continue
			}
		}
		var c byte
		c, err = r.r.ReadByte()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			break
		}
		if r.lineLimit > 0 {
			if r.lineLen++; r.lineLen > r.lineLimit {
				// Left unread, so that drain goes on from here.
				r.r.UnreadByte()
				r.lineLen--
				r.tooLong = true
				err = ErrTooLongLine
				break
			}
			if c == '\n' {
				r.lineLen = 0
			}
		}
		switch r.state {
		case stateBeginLine:
			if c == '.' {
				r.state = stateDot
				continue
			}
			if c == '\r' {
				r.state = stateCR
				break
			}
			r.state = stateData
		case stateDot:
			if c == '\r' {
				r.state = stateDotCR
				continue
			}
			r.state = stateData
		case stateDotCR:
			if c == '\n' {
				r.state = stateEOF
				continue
			}
			// Frontdesk patch (as net/textproto): not the end marker, so
			// only the leading dot goes; emit the CR held back and read c
			// again in the middle of the line. Upstream dropped the CR, and
			// with c a CR went on in stateData through the CR LF after it,
			// so the end marker on the next line was taken for data.
			r.r.UnreadByte()
			r.lineLen-- // it is counted again when read again
			c = '\r'
			r.state = stateData
		case stateCR:
			if c == '\n' {
				r.state = stateBeginLine
				break
			}
			r.state = stateData
		case stateData:
			if c == '\r' {
				r.state = stateCR
			}
		}
		b[n] = c
		n++
	}
	if err == nil && r.state == stateEOF {
		err = io.EOF
	}

	if r.limited {
		r.n -= int64(n)
	}
	return
}

// measure counts the bytes of p towards the current line's length and
// returns how many of them fit within the line limit (Frontdesk patch).
// Any LF ends a line.
func (r *dataReader) measure(p []byte) int {
	if r.lineLen+len(p) <= r.lineLimit {
		// No line in p can be too long: only the last one's length is
		// needed (the run is at most the buffer, 32 KB; the limit is
		// usually larger).
		if j := bytes.LastIndexByte(p, '\n'); j >= 0 {
			r.lineLen = len(p) - j - 1
		} else {
			r.lineLen += len(p)
		}
		return len(p)
	}
	for off := 0; ; {
		j := bytes.IndexByte(p[off:], '\n')
		end := len(p)
		if j >= 0 {
			end = off + j + 1
		}
		if r.lineLen+end-off > r.lineLimit {
			fit := r.lineLimit - r.lineLen
			r.lineLen = r.lineLimit
			return off + fit
		}
		if j < 0 {
			r.lineLen += end - off
			return len(p)
		}
		r.lineLen = 0
		off = end
	}
}

// drain reads what is left of the message, to its end marker, with no
// size or line limit, so that the session can go on at the command after
// it (Frontdesk patch: upstream's line limit stayed on while it drained,
// so the rest of a message with an over-long line was never read).
func (r *dataReader) drain() {
	r.limited = false
	r.lineLimit = 0
	io.Copy(io.Discard, r)
}
