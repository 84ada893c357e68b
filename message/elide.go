package message

import (
	"bytes"
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/jhillyerd/enmime/v2/mediatype"
)

// Nothing in Frontdesk reads what a photo or a PDF contains: rules look at
// attachments' names and types, the ticket and the FAQ ranking at the
// text. Yet enmime decodes every part, and its boundary reader reads each
// byte of each part one at a time: for a 1 MB mail with three attachments
// that was 16 ms of CPU, 95% of it in attachments nobody reads
// (BenchmarkParse, bench/README.md). So before enmime sees the mail, the
// base64 content of every non-text part is cut out and replaced by one
// line, a marker that carries the decoded size; enmime still parses the
// headers and the structure and decodes the text parts as before.

// elidedPrefix starts the decoded content of a part that was cut out; the
// decoded size follows in decimal.
const elidedPrefix = "\x00frontdesk-elided:"

// cut is a part content to replace: raw[start:end] decodes to size bytes.
type cut struct{ start, end, size int }

// b64class sorts the bytes of a base64 body: 1 a digit, 0 what enmime's
// cleaner drops without a warning here ('=', CR, LF), 2 anything else.
var b64class = func() (t [256]byte) {
	for i := range t {
		t[i] = 2
	}
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") {
		t[c] = 1
	}
	t['='], t['\r'], t['\n'] = 0, 0, 0
	return t
}()

// elidable reports whether the content of a leaf part with header hdr is
// one nobody reads and is safe to cut: base64, of a media type that is
// neither text nor multipart nor message (an attached mail's text is
// read: attachedMessages), and nothing but base64 lines, which can hold
// no boundary (delimiters start with "--"). It returns the decoded size.
// Anything else is left for enmime to decode, as before.
func elidable(hdr, content []byte) (int, bool) {
	if len(content) < 256 { // not worth it; also keeps small mail as it was
		return 0, false
	}
	cte, _ := field(hdr, "Content-Transfer-Encoding")
	if !strings.EqualFold(strings.TrimSpace(cte), "base64") {
		return 0, false
	}
	ct, ok := contentType(hdr)
	if !ok {
		return 0, false
	}
	mt, _, _, err := mediatype.Parse(ct)
	mt = strings.ToLower(mt)
	if err != nil || strings.HasPrefix(mt, "text/") || strings.HasPrefix(mt, "multipart/") || strings.HasPrefix(mt, "message/") || mt == "" {
		return 0, false
	}
	n, bad := b64count(content)
	if bad {
		return 0, false
	}
	if n%4 == 1 { // not decodable: leave the error to enmime
		return 0, false
	}
	return n * 6 / 8, true
}

// b64count counts the base64 digits of content and reports whether it
// holds a byte that is neither a digit nor '=', CR or LF. Eight bytes a
// turn: the classes of a turn are summed and or-ed without a branch, and
// while no byte is bad the sum is the count of digits (each digit is 1,
// '=', CR and LF 0). Byte by byte this loop was half of the parse of a mail
// with attachments (issue 21).
func b64count(content []byte) (n int, bad bool) {
	var or byte
	i := 0
	for ; i+8 <= len(content); i += 8 {
		c := content[i : i+8 : i+8]
		v0, v1, v2, v3 := b64class[c[0]], b64class[c[1]], b64class[c[2]], b64class[c[3]]
		v4, v5, v6, v7 := b64class[c[4]], b64class[c[5]], b64class[c[6]], b64class[c[7]]
		or |= v0 | v1 | v2 | v3 | v4 | v5 | v6 | v7
		n += int(v0) + int(v1) + int(v2) + int(v3) + int(v4) + int(v5) + int(v6) + int(v7)
	}
	for _, c := range content[i:] {
		v := b64class[c]
		or |= v
		n += int(v)
	}
	return n, or&2 != 0
}

// elide returns src with the content of every elidable part replaced by a
// marker line (src itself when there is none), after scanning it with lim.
func elide(src []byte, lim Limits) ([]byte, error) {
	var cuts []cut
	saved := 0
	_, err := scan(src, lim, func(hdr []byte, start, end int) {
		if size, ok := elidable(hdr, src[start:end]); ok {
			cuts = append(cuts, cut{start, end, size})
			saved += end - start
		}
	})
	if err != nil || len(cuts) == 0 {
		return src, err
	}
	out := make([]byte, 0, len(src)-saved+len(cuts)*64)
	prev := 0
	for _, c := range cuts {
		out = append(out, src[prev:c.start]...)
		out = base64.StdEncoding.AppendEncode(out, []byte(elidedPrefix+strconv.Itoa(c.size)))
		out = append(out, "\r\n"...)
		prev = c.end
	}
	return append(out, src[prev:]...), nil
}

// partSize is the decoded size of a part's content: what the marker says
// for a part that was cut out.
func partSize(content []byte) int {
	if s, ok := bytes.CutPrefix(content, []byte(elidedPrefix)); ok {
		if n, err := strconv.Atoi(string(s)); err == nil {
			return n
		}
	}
	return len(content)
}
