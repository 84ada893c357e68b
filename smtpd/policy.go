package smtpd

import (
	"strings"

	"github.com/frontdesk-mail/frontdesk/third_party/go-smtp"
)

// Policy decides which recipients this gateway accepts. It is deliberately
// strict: Frontdesk is the final destination for its domains and never a
// relay, so anything that could route mail elsewhere (percent hacks, bang
// paths, quoted local parts containing '@', address literals, source routes
// pointing elsewhere) is refused before DATA.
type Policy struct {
	Domains []string
	// Known reports whether a department owns the address; nil accepts
	// every local part.
	Known func(addr string) bool
	// RejectUnknown refuses local parts no department owns instead of
	// routing them to the default department.
	RejectUnknown bool
}

// postmaster is the local part every mail domain must accept.
const postmaster = "postmaster"

var (
	errRelayDenied = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Message: "Relaying denied: this server only accepts mail for its own support domains"}
	errBadLocal = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 3},
		Message: "Bad recipient address syntax: routing characters are not accepted in the local part"}
	errUnknownUser = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
		Message: "No such mailbox here: write to one of our support addresses"}
	errBadSender = &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 1, 7},
		Message: "Bad sender address syntax"}
)

// CheckRcpt returns nil when addr may be accepted, else the SMTP error to
// answer. It also returns the normalised address (domain lower-cased,
// trailing dot removed).
//
// Postmaster is always accepted (RFC 5321 §4.5.1), with or without a
// domain and whatever the case of its letters or RejectUnknown: the bare
// "<postmaster>" is ours by definition and becomes postmaster at our first
// domain, which routes it like any address (a department that lists
// postmaster, else the default department).
func (p *Policy) CheckRcpt(addr string) (string, *smtp.SMTPError) {
	if strings.EqualFold(addr, postmaster) && len(p.Domains) > 0 {
		return postmaster + "@" + strings.ToLower(strings.TrimSuffix(p.Domains[0], ".")), nil
	}
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 {
		return "", errRelayDenied
	}
	local, domain := addr[:at], strings.ToLower(addr[at+1:])
	// "support.localhost." is the same fully qualified name.
	domain = strings.TrimSuffix(domain, ".")
	if !validDomain(domain) || !p.ours(domain) {
		return "", errRelayDenied
	}
	if !validLocal(local) {
		return "", errBadLocal
	}
	if strings.EqualFold(local, postmaster) {
		return postmaster + "@" + domain, nil
	}
	norm := local + "@" + domain
	if p.RejectUnknown && p.Known != nil && !p.Known(norm) {
		return "", errUnknownUser
	}
	return norm, nil
}

// CheckSender validates MAIL FROM (the null sender is allowed).
func (p *Policy) CheckSender(addr string) *smtp.SMTPError {
	if addr == "" {
		return nil
	}
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 || strings.ContainsAny(addr, " \t\r\n<>") {
		return errBadSender
	}
	return nil
}

func (p *Policy) ours(domain string) bool {
	for _, d := range p.Domains {
		if strings.EqualFold(strings.TrimSuffix(d, "."), domain) {
			return true
		}
	}
	return false
}

// validDomain accepts LDH labels only: no address literals ([127.0.0.1]),
// no second '@', no empty labels.
func validDomain(d string) bool {
	if d == "" || len(d) > 253 {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// validLocal accepts an RFC 5321 dot-string without the characters that
// old MTAs treat as routing ('%', '!', '@', ':') and without quoting
// leftovers. UTF-8 local parts are accepted (SMTPUTF8 customers).
func validLocal(l string) bool {
	if l == "" || len(l) > 64 || l[0] == '.' || l[len(l)-1] == '.' || strings.Contains(l, "..") {
		return false
	}
	for _, r := range l {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		case strings.ContainsRune(".!#$&'*+-/=?^_`{|}~", r) && r != '!':
		case r >= 0x80:
		default:
			return false
		}
	}
	return true
}
