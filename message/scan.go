package message

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/jhillyerd/enmime/v2/mediatype"
)

// Limits bound the MIME structure that Parse hands to the decoder. enmime
// reads every byte of a part through one boundary reader per enclosing
// multipart, byte by byte, so its cost is the sum over bytes of their
// nesting depth: a 3 MB mail nested 40,000 levels deep took 39 s of CPU.
// Scan measures that structure first, in one pass over the lines, and a
// mail beyond a limit is not decoded at all: it is kept and relayed raw,
// as an unparseable one is.
type Limits struct {
	// MaxDepth bounds how many multiparts may enclose a part. Real mail
	// rarely goes past 4 (mixed > related > alternative > text).
	MaxDepth int
	// MaxParts bounds the parts of all multiparts together.
	MaxParts int
	// MaxWorkPerByte and WorkAllowance bound the decoder's work, the sum
	// over the message's bytes of the multiparts they are read through:
	// at most WorkAllowance + MaxWorkPerByte × the message's size. The
	// allowance lets small mail nest up to MaxDepth; the factor lets big
	// mail carry its attachments a few levels deep, as real mail does.
	MaxWorkPerByte int64
	WorkAllowance  int64
	// MaxHeaderFields bounds the fields of the mail's header that are
	// decoded (0: no bound); the rest of the header is not read. Each
	// field costs the decoder a map entry and an allocation or two: 1.5
	// million of them (21 MB) took it 4 s. Real mail has a few dozen.
	MaxHeaderFields int
	// MaxDecodeBytes bounds what the decoder reads of a mail once
	// attachments' content is cut out (0: no bound): the rest is not
	// decoded, so rules and the FAQ see the first MaxDecodeBytes of the
	// text. HTML is the dear part: 20 MB of it took enmime's html2text
	// 1.5 s. The mail itself is kept and relayed whole.
	MaxDecodeBytes int
}

// DefaultLimits are the limits Parse applies: at 3 MB and the bound, the
// decoder spends a small fraction of a second beyond what the bytes cost
// unnested.
var DefaultLimits = Limits{MaxDepth: 16, MaxParts: 1000, MaxWorkPerByte: 4, WorkAllowance: 4 << 20, MaxHeaderFields: 1000, MaxDecodeBytes: 2 << 20}

// LimitError reports a mail whose MIME structure exceeds Limits.
type LimitError struct {
	What  string // "depth", "parts", "work" or "header"
	Limit int64
}

func (e *LimitError) Error() string {
	switch e.What {
	case "depth":
		return fmt.Sprintf("MIME structure too deep: multiparts nested more than %d levels", e.Limit)
	case "parts":
		return fmt.Sprintf("MIME structure too large: more than %d parts", e.Limit)
	case "header":
		return fmt.Sprintf("header too large: more than %d fields (the rest were not read)", e.Limit)
	}
	return fmt.Sprintf("MIME structure too costly to decode: more than %d byte-levels of nesting", e.Limit)
}

// Structure is what Scan found.
type Structure struct {
	Depth int   // the deepest nesting of a part in multiparts
	Parts int   // parts of all multiparts (the root not counted)
	Work  int64 // bytes × the multiparts each is read through
}

// container is a multipart being scanned.
type container struct {
	delim    []byte // "--" + boundary
	preamble bool   // before its first delimiter line
}

// Scan walks raw's MIME structure the way enmime (v2.5) will read it —
// which lines end a part (boundaryReader: a delimiter within the first
// len(boundary)+4 bytes of a line, checked from the outermost multipart
// in), which lines then start, end or fail to continue a multipart (at any
// place in the line), which part headers open a multipart (a boundary
// parameter in the first Content-Type, as enmime's own media type parser
// reads it) — and stops with a *LimitError as soon as a limit of lim is
// passed. Where Scan cannot be exact it errs towards more depth, parts
// and work than enmime would see; FuzzScanBoundsEnmime checks that.
// raw must not contain a CR that does not start a CRLF (see
// dropBareCR): enmime treats those as line starts of their own.
func Scan(raw []byte, lim Limits) (Structure, error) { return scan(raw, lim, nil) }

// scan is Scan that also reports, to leaf when it is not nil, every part
// of a multipart that is not itself a multipart and whose content ends at
// a delimiter: its header hdr (without the blank line) and its content
// raw[start:end], whole lines, up to the line that ends it.
func scan(raw []byte, lim Limits, leaf func(hdr []byte, start, end int)) (Structure, error) {
	return scanLines(raw, lim, leaf, true)
}

// scanLines is scan; skip lets it pass the lines of a part's content that
// cannot end it at once (false: line by line, as the tests compare).
func scanLines(raw []byte, lim Limits, leaf func(hdr []byte, start, end int), skip bool) (Structure, error) {
	var st Structure
	maxWork := lim.WorkAllowance + lim.MaxWorkPerByte*int64(len(raw))
	var stack []container
	// The root header decides whether the mail is a multipart at all.
	pos, ctype := readHeader(raw, 0)
	if mt, params, _, err := mediatype.Parse(ctype); err == nil && strings.HasPrefix(mt, "multipart/") {
		stack = append(stack, container{delim: []byte("--" + params["boundary"]), preamble: true})
		st.Depth = 1
	}
	inHeader := false // reading a part's header
	hdrStart := 0     // where it starts
	content := -1     // where the content of the part being read starts (-1: none)
	var hdr []byte    // and its header
	dashLine := -1    // where the first line with a '-' at or after pos starts (len(raw): none)
	for pos < len(raw) && len(stack) > 0 {
		if skip && content >= 0 {
			// Inside a part's content a line ends the part only if a
			// delimiter ("--" + boundary) starts within its first bytes:
			// lines without a '-' are content whatever they hold. A base64
			// attachment has none, so one IndexByte passes all of it
			// instead of one per line (issue 21). The work is counted as
			// line by line; where it would pass the limit, lines are
			// taken one by one so the error comes where it came.
			if dashLine < pos { // passed: find the next line with a '-'
				dashLine = len(raw)
				if k := bytes.IndexByte(raw[pos:], '-'); k >= 0 {
					dashLine = pos + bytes.LastIndexByte(raw[pos:pos+k], '\n') + 1
				}
			}
			if w := st.Work + int64(dashLine-pos)*int64(len(stack)); dashLine > pos && w <= maxWork {
				st.Work, pos = w, dashLine
				continue
			}
		}
		end := bytes.IndexByte(raw[pos:], '\n')
		if end < 0 {
			end = len(raw)
		} else {
			end += pos + 1
		}
		line := raw[pos:end]
		st.Work += int64(len(line)) * int64(len(stack))
		if st.Work > maxWork {
			return st, &LimitError{What: "work", Limit: maxWork}
		}
		start := pos
		pos = end

		// The boundary readers of the multiparts this line is read
		// through, outermost first: the first that stops ends every
		// part inside it.
		stopped := -1
		for i := range stack {
			if stack[i].preamble {
				break // the innermost, reading lines itself (below)
			}
			if windowStop(raw, start, stack[i].delim) {
				stopped = i
				break
			}
		}
		if stopped >= 0 && content >= 0 {
			if leaf != nil {
				leaf(hdr, content, start)
			}
			content = -1
		}
		if stopped < 0 && !stack[len(stack)-1].preamble {
			if inHeader && blank(line) {
				inHeader = false
				if b, ok := boundaryOf(raw[hdrStart:start]); ok {
					if len(stack)+1 > lim.MaxDepth {
						return st, &LimitError{What: "depth", Limit: int64(lim.MaxDepth)}
					}
					stack = append(stack, container{delim: []byte("--" + b), preamble: true})
					st.Depth = max(st.Depth, len(stack))
				} else {
					content, hdr = pos, raw[hdrStart:start]
				}
			}
			continue // a part's content
		}
		if stopped < 0 {
			// The innermost multiparts reads its own lines: skipped until
			// its first delimiter, then each must be a delimiter.
			stopped = len(stack) - 1
			if blank(line) {
				continue
			}
		}
		// Line is read by multipart stopped's Next: a terminator ends it,
		// a delimiter starts its next part, anything else ends it too
		// (before its first part: is skipped).
		c := &stack[stopped]
		stack = stack[:stopped+1]
		switch {
		case bytes.Contains(line, append(c.delim[:len(c.delim):len(c.delim)], '-', '-')):
			stack = stack[:stopped]
		case end < len(raw) || line[len(line)-1] == '\n':
			if delimAnywhere(line, c.delim) {
				c.preamble = false
				st.Parts++
				if st.Parts > lim.MaxParts {
					return st, &LimitError{What: "parts", Limit: int64(lim.MaxParts)}
				}
				inHeader, hdrStart = true, pos
				continue
			}
			fallthrough
		default:
			if c.preamble {
				continue
			}
			// enmime fails here ("expecting boundary"); count on as if
			// the multipart had ended.
			stack = stack[:stopped]
		}
		inHeader = false
	}
	return st, nil
}

// windowStop reports whether enmime's boundaryReader stops at the line
// starting at raw[start]: it peeks len(delim)+2 bytes there (nothing at
// the very end of the input) and stops for delim followed by white space,
// or for delim + "--".
func windowStop(raw []byte, start int, delim []byte) bool {
	n := len(delim) + 2
	if start+n > len(raw) {
		return false
	}
	w := raw[start : start+n]
	if w[0] == '\r' || w[0] == '\n' {
		return false
	}
	if i := bytes.Index(w, delim); i >= 0 {
		if rest := w[i+len(delim):]; len(rest) > 0 && isSpace(rest[0]) {
			return true
		}
	}
	return bytes.HasPrefix(w, delim) && w[len(delim)] == '-' && w[len(delim)+1] == '-'
}

// delimAnywhere is enmime's isDelimiter: the first delim in the line is
// followed by white space.
func delimAnywhere(line, delim []byte) bool {
	i := bytes.Index(line, delim)
	if i < 0 {
		return false
	}
	rest := line[i+len(delim):]
	return len(rest) > 0 && isSpace(rest[0])
}

// isSpace is unicode.IsSpace for one byte, as enmime applies it.
func isSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r', 0x85, 0xA0:
		return true
	}
	return false
}

func blank(line []byte) bool { return len(line) > 0 && (line[0] == '\r' || line[0] == '\n') }

// readHeader returns where the header block starting at pos ends (after
// its blank line) and its Content-Type value.
func readHeader(raw []byte, pos int) (int, string) {
	start := pos
	for pos < len(raw) {
		end := bytes.IndexByte(raw[pos:], '\n')
		if end < 0 {
			pos = len(raw)
			break
		}
		line := raw[pos : pos+end+1]
		pos += end + 1
		if blank(line) {
			break
		}
	}
	ct, _ := contentType(raw[start:pos])
	return pos, ct
}

// contentType is the first Content-Type field of a header block as
// enmime's ReadHeader assembles it: a line that starts with white space or
// has no colon continues the field before it; a line starting with a
// colon, or whose name has a byte no field name has, is dropped.
func contentType(hdr []byte) (string, bool) { return field(hdr, "Content-Type") }

// field is the first field called name of a header block, as contentType
// reads Content-Type.
func field(hdr []byte, name string) (string, bool) {
	var v []byte
	in, found := false, false
	for len(hdr) > 0 {
		end := bytes.IndexByte(hdr, '\n')
		if end < 0 {
			end = len(hdr) - 1
		}
		line := bytes.TrimRight(hdr[:end+1], "\r\n")
		hdr = hdr[end+1:]
		if len(line) == 0 {
			break
		}
		colon := bytes.IndexByte(line, ':')
		switch {
		case line[0] == ' ' || line[0] == '\t' || colon < 0:
			if in {
				v = append(append(v, ' '), bytes.TrimSpace(line)...)
			}
		case colon == 0 || !fieldName(line[:colon]):
			// dropped
		case in:
			return string(bytes.TrimSpace(v)), true
		case strings.EqualFold(string(bytes.TrimRight(line[:colon], " ")), name):
			in, found = true, true
			v = append(v, bytes.TrimSpace(line[colon+1:])...)
		}
	}
	return string(bytes.TrimSpace(v)), found
}

// fieldName reports whether enmime takes name for a field name: printable
// ASCII or spaces.
func fieldName(name []byte) bool {
	for _, c := range name {
		if c != ' ' && (c < 33 || c > 126) {
			return false
		}
	}
	return true
}

// boundaryOf reports the boundary that makes a part with header hdr a
// multipart for enmime: a non-empty boundary parameter of its first
// Content-Type (enmime does not look at the media type of a part).
func boundaryOf(hdr []byte) (string, bool) {
	ct, ok := contentType(hdr)
	if !ok {
		return "", false
	}
	_, params, _, err := mediatype.Parse(ct)
	if err != nil || params["boundary"] == "" {
		return "", false
	}
	return params["boundary"], true
}

// dropBareCR returns raw with every CR that does not start a CRLF turned
// into a space (a copy; raw itself when there is none). RFC 5322 allows
// no bare CR, and enmime's boundary reader treats one as the start of a
// line in some places but not in others, which no structural scan could
// follow.
func dropBareCR(raw []byte) []byte {
	var out []byte
	for i := bytes.IndexByte(raw, '\r'); i >= 0 && i < len(raw); {
		if i+1 >= len(raw) || raw[i+1] != '\n' {
			if out == nil {
				out = bytes.Clone(raw)
			}
			out[i] = ' '
		}
		j := bytes.IndexByte(raw[i+1:], '\r')
		if j < 0 {
			break
		}
		i += j + 1
	}
	if out == nil {
		return raw
	}
	return out
}
