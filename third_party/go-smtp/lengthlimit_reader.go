package smtp

import (
	"bytes"
	"errors"
	"io"
)

var ErrTooLongLine = errors.New("smtp: too long a line in input stream")

// lineLimitReader reads from the underlying Reader but restricts
// line length of lines in input stream to a certain length.
//
// If line length exceeds the limit - Read returns ErrTooLongLine
type lineLimitReader struct {
	R         io.Reader
	LineLimit int

	curLineLength int
}

func (r *lineLimitReader) Read(b []byte) (int, error) {
	if r.curLineLength > r.LineLimit && r.LineLimit > 0 {
		return 0, ErrTooLongLine
	}

	n, err := r.R.Read(b)
	if err != nil {
		return n, err
	}

	if r.LineLimit == 0 {
		return n, nil
	}

	// Frontdesk patch: line by line with IndexByte rather than a byte at a
	// time. A line feed counts as the first byte of the next line, as
	// before; the bytes before it extend the current one. When the whole
	// read is no longer than the limit, a line that starts and ends inside
	// it cannot pass it: only the first and the last are measured.
	if buf := b[:n]; len(buf) <= r.LineLimit {
		i := bytes.IndexByte(buf, '\n')
		if i >= 0 {
			if r.curLineLength+i > r.LineLimit {
				r.curLineLength += i
				return 0, ErrTooLongLine
			}
			r.curLineLength = len(buf) - bytes.LastIndexByte(buf, '\n')
			return n, nil
		}
	}
	for buf := b[:n]; ; {
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			r.curLineLength += len(buf)
			if r.curLineLength > r.LineLimit {
				return 0, ErrTooLongLine
			}
			break
		}
		if r.curLineLength+i > r.LineLimit {
			r.curLineLength += i // and every later Read fails too
			return 0, ErrTooLongLine
		}
		r.curLineLength = 1
		buf = buf[i+1:]
	}

	return n, nil
}
