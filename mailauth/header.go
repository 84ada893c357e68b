package mailauth

import (
	"mime"
	"net/mail"
	"strings"

	"github.com/frontdesk-mail/frontdesk/internal/rfc5322"
)

// field is one header field exactly as it arrived: name line plus any
// continuation lines, line endings included. Working on raw bytes (rather
// than a parsed map) is what lets StripOurAuthResults remove one field and
// leave every other byte as signed, so DKIM signatures stay valid.
type field struct {
	raw  []byte
	name string // as written, without surrounding spaces
}

// value is the unfolded field body after the colon.
func (f field) value() string { return rfc5322.Value(f.raw) }

// splitHeader cuts raw into its header fields and the rest (the blank line
// and the body). Mail without a blank line is all header. It never fails:
// a line that is not a field is kept as a nameless field so that nothing is
// lost when the header is written back.
func splitHeader(raw []byte) (fields []field, rest []byte) {
	head, _, _ := rfc5322.Split(raw)
	for name, f := range rfc5322.Fields(head) {
		fields = append(fields, field{raw: f, name: name})
	}
	return fields, raw[len(head):]
}

// StripOurAuthResults removes every Authentication-Results header field
// whose authserv-id is ours. RFC 8601 §5 requires it: a sender could
// otherwise forge a "dkim=pass" in our name, and agents (or our own trust
// of agents) would read it as our verdict. Everything else is kept byte for
// byte. With an empty authservID raw is returned unchanged.
func StripOurAuthResults(raw []byte, authservID string) []byte {
	if authservID == "" {
		return raw
	}
	fields, rest := splitHeader(raw)
	ours := func(f field) bool {
		return strings.EqualFold(f.name, "Authentication-Results") && strings.EqualFold(authservIDOf(f.value()), authservID)
	}
	// Nearly every mail has none of ours: then raw is the answer, without
	// a copy (a copy of a 1 MB mail per message is what the profile of
	// issue 21 showed here).
	keep := len(raw)
	for _, f := range fields {
		if ours(f) {
			keep -= len(f.raw)
		}
	}
	if keep == len(raw) {
		return raw
	}
	out := make([]byte, 0, keep)
	for _, f := range fields {
		if !ours(f) {
			out = append(out, f.raw...)
		}
	}
	return append(out, rest...)
}

// authservIDOf returns the authserv-id of an Authentication-Results value:
// the first token, after comments are dropped (RFC 8601 §2.2 allows CFWS
// and an optional version after it).
func authservIDOf(v string) string {
	v = stripComments(v)
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, "; \t"); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSuffix(v, ".")
}

// stripComments removes RFC 5322 comments, nested and with quoted pairs;
// quoted strings are left alone.
func stripComments(s string) string {
	var b strings.Builder
	depth, quoted := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && (depth > 0 || quoted) && i+1 < len(s):
			if depth == 0 {
				b.WriteByte(c)
				b.WriteByte(s[i+1])
			}
			i++
		case c == '"' && depth == 0:
			quoted = !quoted
			b.WriteByte(c)
		case c == '(' && !quoted:
			depth++
		case c == ')' && !quoted && depth > 0:
			depth--
			if depth == 0 {
				b.WriteByte(' ')
			}
		default:
			if depth == 0 {
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

// fromDomain finds the RFC5322.From domain DMARC evaluates (RFC 7489 §6.6.1).
// Several From fields, or one naming addresses in different domains, make
// the author ambiguous; ok is false then, and when there is no domain at all.
func fromDomain(fields []field) (domain string, ok bool) {
	var values []string
	for _, f := range fields {
		if strings.EqualFold(f.name, "From") {
			values = append(values, f.value())
		}
	}
	if len(values) != 1 {
		return "", false
	}
	var domains []string
	p := mail.AddressParser{WordDecoder: &mime.WordDecoder{}}
	if list, err := p.ParseList(values[0]); err == nil {
		for _, a := range list {
			domains = append(domains, normDomain(domainOf(a.Address)))
		}
	} else {
		// Clients write odd From lines; the address in angle brackets
		// (or the bare address) is still the one the reader sees.
		v := values[0]
		if i, j := strings.LastIndexByte(v, '<'), strings.LastIndexByte(v, '>'); i >= 0 && j > i {
			v = v[i+1 : j]
		}
		domains = append(domains, normDomain(domainOf(strings.TrimSpace(v))))
	}
	for _, d := range domains {
		if d == "" || d != domains[0] {
			return "", false
		}
	}
	if len(domains) == 0 {
		return "", false
	}
	return domains[0], true
}
