package ack

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Recipient decides where an acknowledgement may go, after Suppress found
// no reason to stay silent. RFC 3834 §4 says a response goes to the
// envelope sender (Return-Path), so that is the only candidate; and it is
// answered only when the visible From agrees with it, since the person a
// reader of the acknowledgement would take for its addressee is the From:
//
//   - both are valid public mail addresses (CanonicalAddress) — never an
//     address literal, a dotless or reserved domain;
//   - and they are the same address in canonical form, or the From's
//     domain is aligned (same organisational domain) with the envelope
//     sender's and SPF passed for the envelope sender (spfAligned, from
//     mailauth; nil when sender authentication is off, which leaves only
//     the same address). A mail with no From (or none that parses) has no
//     visible sender to agree, and gets no acknowledgement.
//
// Otherwise nobody is answered: an envelope of attacker@evil.example with
// From: victim@victim.example would make us mail the victim the
// attacker's subject and name (backscatter), and an answer to the
// attacker's own envelope address would be a reply to a mail they did not
// visibly send. It returns the address to answer (the envelope sender as
// given, without a trailing dot), or the reason for none.
func Recipient(envelopeFrom, from string, spfAligned func(fromDomain string) bool) (to, reason string) {
	env := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(envelopeFrom), "<"), ">"))
	if env == "" {
		return "", ReasonNullSender
	}
	canonEnv, err := CanonicalAddress(env)
	if err != nil {
		return "", ReasonInvalidAddress
	}
	to = strings.TrimSuffix(env, ".")
	from = strings.TrimSpace(from)
	if from == "" {
		// No visible sender (no From, or none that parses): nothing
		// agrees with the envelope, which anyone can write.
		return "", ReasonSenderMismatch
	}
	canonFrom, err := CanonicalAddress(from)
	if err != nil {
		return "", ReasonInvalidAddress
	}
	if canonFrom == canonEnv {
		return to, ""
	}
	fromDomain := canonFrom[strings.LastIndexByte(canonFrom, '@')+1:]
	if spfAligned != nil && spfAligned(fromDomain) {
		return to, ""
	}
	return "", ReasonSenderMismatch
}

// reservedTLDs never name a public mail domain: RFC 6761 (localhost,
// invalid), RFC 6762 (local), RFC 7686 (onion), RFC 9476 (alt), ICANN's
// private-use .internal, and the infrastructure domain arpa (home.arpa,
// reverse zones). "example" and "test" (RFC 2606) stay allowed: they do not
// resolve on the public DNS either, so a reply there goes nowhere, and they
// are what documentation and tests use for customers.
var reservedTLDs = map[string]bool{
	"localhost": true, "invalid": true, "local": true, "onion": true, "alt": true, "internal": true, "arpa": true,
}

// addressProfile checks a domain the way mail to it would be looked up:
// IDNA lookup mapping, letters-digits-hyphens labels, DNS lengths.
var addressProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.VerifyDNSLength(true), idna.StrictDomainName(true))

// CanonicalAddress returns addr in the one form in which Frontdesk compares
// and counts customers' addresses, or an error when addr is not a valid
// public mail address. The form is local@domain with:
//
//   - the domain lower-cased, without a trailing dot, in A-labels (IDNA
//     2008 lookup rules: 例子.中国 is xn--fsqu00a.xn--fiqs8s), of at least
//     two labels, not all-numeric at the top (so no dotted quad), not a
//     reserved top-level domain (localhost, invalid, local, onion, alt,
//     internal, arpa), and not an address literal ([127.0.0.1]);
//   - the local part lower-cased. RFC 5321 lets a server treat local parts
//     case-sensitively, but practically none does, and for the uses here
//     (the per-sender cap, "is the From the envelope sender") counting
//     Flood@ and flood@ as one errs on the side of sending fewer mails.
//     It must be a dot-atom or a quoted string of at most 64 octets;
//     UTF-8 is allowed (RFC 6531).
func CanonicalAddress(addr string) (string, error) {
	a := strings.TrimSpace(addr)
	a = strings.TrimSuffix(strings.TrimPrefix(a, "<"), ">")
	i := strings.LastIndexByte(a, '@')
	if i <= 0 || i == len(a)-1 {
		return "", fmt.Errorf("address %q: not local@domain", addr)
	}
	local, domain := a[:i], a[i+1:]
	if err := checkLocal(local); err != nil {
		return "", fmt.Errorf("address %q: %w", addr, err)
	}
	d, err := PublicDomain(domain)
	if err != nil {
		return "", fmt.Errorf("address %q: %w", addr, err)
	}
	return strings.ToLower(local) + "@" + d, nil
}

// CapAddress is the address the per-sender cap counts canonical (see
// CanonicalAddress) without a subaddress: RFC 5233's local+tag reaches
// the local part's mailbox, so flood+1@ and flood+2@ are one sender there,
// or a forger writing victim+N@ as envelope and From had each answered.
func CapAddress(canonical string) string {
	if at := strings.LastIndexByte(canonical, '@'); at > 0 && canonical[0] != '"' {
		if plus := strings.IndexByte(canonical[:at], '+'); plus > 0 {
			return canonical[:plus] + canonical[at:]
		}
	}
	return canonical
}

// PublicDomain returns domain in canonical form (see CanonicalAddress), or
// why it cannot be a public mail domain.
func PublicDomain(domain string) (string, error) {
	if strings.HasPrefix(domain, "[") {
		return "", errors.New("an address literal is not answered")
	}
	d := strings.TrimSuffix(strings.TrimSpace(domain), ".")
	a, err := addressProfile.ToASCII(strings.ToLower(d))
	if err != nil {
		return "", fmt.Errorf("domain %q: %w", domain, err)
	}
	labels := strings.Split(a, ".")
	if len(labels) < 2 {
		return "", fmt.Errorf("domain %q has a single label", domain)
	}
	tld := labels[len(labels)-1]
	if strings.Trim(tld, "0123456789") == "" {
		return "", fmt.Errorf("domain %q: all-numeric top-level label", domain)
	}
	if reservedTLDs[tld] {
		return "", fmt.Errorf("domain %q: .%s is reserved, not a public domain", domain, tld)
	}
	return a, nil
}

// checkLocal accepts an RFC 5321 local part: a dot-atom (atext, and UTF-8
// per RFC 6531) or a quoted string, at most 64 octets.
func checkLocal(local string) error {
	if len(local) > 64 {
		return errors.New("local part longer than 64 octets")
	}
	if strings.HasPrefix(local, `"`) {
		if len(local) < 2 || !strings.HasSuffix(local, `"`) {
			return errors.New("unterminated quoted local part")
		}
		q := local[1 : len(local)-1]
		for j := 0; j < len(q); j++ {
			c := q[j]
			switch {
			case c == '\\':
				j++
				if j == len(q) || q[j] < 0x20 || q[j] == 0x7f {
					return errors.New("bad escape in quoted local part")
				}
			case c == '"' || c < 0x20 || c == 0x7f:
				return errors.New("bad character in quoted local part")
			}
		}
		return nil
	}
	for _, atom := range strings.Split(local, ".") {
		if atom == "" {
			return errors.New("empty atom in local part")
		}
		for j := 0; j < len(atom); j++ {
			c := atom[j]
			if c >= 0x80 { // UTF-8 (validated below)
				continue
			}
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0) {
				return fmt.Errorf("character %q not allowed in local part", c)
			}
		}
	}
	if !utf8.ValidString(local) {
		return errors.New("local part is not valid UTF-8")
	}
	return nil
}
