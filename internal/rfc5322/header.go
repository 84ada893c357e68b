// Package rfc5322 splits a raw message into its header block and body,
// and the header block into fields, on the bytes as they arrived: no
// field is parsed, decoded or rewritten, so what is written back out is
// byte for byte what came in (which DKIM signatures need). Mail from the
// network ends lines in CRLF, mail from files often in LF alone, and
// some mixes the two; every function here takes both.
package rfc5322

import (
	"bytes"
	"iter"
	"strings"
)

// Split cuts raw after the blank line that ends its header block. head is
// the header fields with their line endings; body is what follows the
// blank line. ok is false when raw has no blank line: then it is all
// header and body is nil. The blank line itself is
// raw[len(head):len(raw)-len(body)].
//
// A blank line is one with nothing before its LF but CRs (a stray CR
// doubled by a gateway on the way is still the end of the header), found
// line by line, so an LF-only header is not run on into a CRLF CRLF in its
// body. A header line may be of any length.
func Split(raw []byte) (head, body []byte, ok bool) {
	for i := 0; i < len(raw); {
		j := bytes.IndexByte(raw[i:], '\n')
		if j < 0 {
			break
		}
		if len(bytes.TrimLeft(raw[i:i+j], "\r")) == 0 {
			return raw[:i], raw[i+j+1:], true
		}
		i += j + 1
	}
	return raw, nil, false
}

// Fields yields the fields of a header block as written: each name line
// with its continuation lines (those starting with a space or a tab),
// line endings included, and its name without surrounding white space.
// A line with no colon, or a continuation line with no field before it,
// is yielded as a field with an empty name, so that a caller writing
// fields back loses nothing. Concatenating every raw yielded gives head.
func Fields(head []byte) iter.Seq2[string, []byte] {
	return func(yield func(string, []byte) bool) {
		start, name := -1, ""
		for pos := 0; pos < len(head); {
			n := bytes.IndexByte(head[pos:], '\n') + 1
			if n == 0 {
				n = len(head) - pos
			}
			line := head[pos : pos+n]
			if (line[0] == ' ' || line[0] == '\t') && start >= 0 {
				pos += n
				continue
			}
			if start >= 0 && !yield(name, head[start:pos]) {
				return
			}
			start, name = pos, ""
			if c := bytes.IndexByte(line, ':'); c > 0 {
				name = strings.TrimSpace(string(line[:c]))
			}
			pos += n
		}
		if start >= 0 {
			yield(name, head[start:])
		}
	}
}

// Value is a field's body unfolded (RFC 5322 §2.2.3: the line breaks
// removed, the white space after them kept) and trimmed; "" when the
// field has no colon.
func Value(field []byte) string {
	i := bytes.IndexByte(field, ':')
	if i < 0 {
		return ""
	}
	v := string(field[i+1:])
	v = strings.ReplaceAll(v, "\r\n", "")
	v = strings.ReplaceAll(v, "\n", "")
	return strings.TrimSpace(v)
}
