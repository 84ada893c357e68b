// Package mailauth authenticates the sender of inbound mail — SPF on the
// envelope, DKIM on the signatures, DMARC on how both line up with the
// From: domain a reader sees — and signs the mail Frontdesk sends. Its
// verdict serves three callers: intake adds an Authentication-Results header
// so agents see who really sent a mail, the acknowledgement path asks
// Forged() so that a forged From: never earns a reply (that reply would be
// backscatter to the victim), and agents writing over the MX are trusted only
// when their domain's authentication is Aligned. All DNS goes through one
// injected Resolver, so the tests answer from go-mockdns and never touch the
// network. Check never fails: DNS trouble is a temperror result, a broken
// record a permerror, as RFC 7208 and RFC 7489 define them.
package mailauth

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"slices"
	"strings"

	"blitiri.com.ar/go/spf"
	"github.com/emersion/go-msgauth/authres"
	"github.com/emersion/go-msgauth/dkim"
	"github.com/emersion/go-msgauth/dmarc"
	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Resolver is the DNS Frontdesk needs for sender authentication. Both
// *net.Resolver and go-mockdns's *mockdns.Resolver satisfy it, and so does
// blitiri SPF's DNSResolver, which it mirrors.
type Resolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
	LookupAddr(ctx context.Context, addr string) ([]string, error)
}

// MaxDKIMSignatures bounds the signatures verified per message: each costs
// a DNS lookup and an RSA operation, and a sender controls how many it adds.
const MaxDKIMSignatures = 5

// DKIMResult is the outcome of one DKIM-Signature.
type DKIMResult struct {
	Value      authres.ResultValue // pass, fail, temperror, permerror
	Domain     string              // d=
	Identifier string              // i=
	Reason     string              // why it did not pass
}

// Result is the sender authentication of one message.
type Result struct {
	SPF       authres.ResultValue // pass, fail, softfail, neutral, none, temperror, permerror
	SPFReason string
	// SPFDomain is the identity SPF checked: the MAIL FROM domain, or the
	// HELO name for the null sender (RFC 7208 §2.4). DMARC aligns it.
	SPFDomain string
	MailFrom  string // the envelope sender as given, "" for <>
	Helo      string

	DKIM []DKIMResult // one per signature verified; empty when unsigned

	DMARC       authres.ResultValue // pass, fail, none, temperror, permerror
	DMARCReason string
	// DMARCPolicy is the policy the From domain asks for (sp= when the
	// record came from the organisational domain of a subdomain), "" when
	// there is no usable record.
	DMARCPolicy dmarc.Policy
	// DMARCDomain is where the record was found: FromDomain itself or its
	// organisational domain.
	DMARCDomain string

	FromDomain string // RFC5322.From domain, lower case, A-labels; "" when unusable

	// SPFAligned and DKIMAligned say whether a passing SPF identity or a
	// passing DKIM d= aligns with FromDomain, under the record's aspf and
	// adkim, or relaxed when there is no record.
	SPFAligned, DKIMAligned bool
}

// Check authenticates a message received from ip, which said HELO helo and
// MAIL FROM mailFrom ("" for the null sender); raw is the message as
// received. It always returns a Result.
func Check(ctx context.Context, r Resolver, ip net.IP, helo, mailFrom string, raw []byte) *Result {
	res := &Result{MailFrom: mailFrom, Helo: helo}
	res.checkSPF(ctx, r, ip)
	fields, _ := splitHeader(raw)
	res.checkDKIM(ctx, r, raw, fields)
	res.checkDMARC(ctx, r, fields)
	return res
}

func (res *Result) checkSPF(ctx context.Context, r Resolver, ip net.IP) {
	sender := res.MailFrom
	if sender == "" {
		// RFC 7208 §2.4: the null sender is checked as postmaster@HELO,
		// so bounces are still tied to the host that sent them.
		sender = "postmaster@" + res.Helo
	}
	res.SPFDomain = normDomain(domainOf(sender))
	if res.SPFDomain == "" {
		res.SPFDomain = normDomain(res.Helo)
	}
	if d := domainOf(sender); d != "" && d != res.SPFDomain {
		// An SMTPUTF8 sender's domain in Unicode: DNS is asked, and the
		// policy's macros see, its A-labels.
		sender = sender[:len(sender)-len(d)] + res.SPFDomain
	}
	v, err := spf.CheckHostWithSender(ip, res.Helo, sender, spf.WithContext(ctx), spf.WithResolver(r))
	res.SPF = authres.ResultValue(v)
	if err != nil && v != spf.Pass {
		res.SPFReason = err.Error()
	}
}

// checkDKIM verifies raw's signatures; fields is its header (splitHeader).
func (res *Result) checkDKIM(ctx context.Context, r Resolver, raw []byte, fields []field) {
	if !slices.ContainsFunc(fields, isDKIMSignature) {
		// Nothing to verify: the verifier would only read the header.
		return
	}
	if w := dkimWork(fields); w > MaxDKIMWork {
		res.DKIM = append(res.DKIM, DKIMResult{Value: authres.ResultPermError,
			Reason: fmt.Sprintf("header too costly to verify (%d MB of work for the verifier, the limit is %d MB)", w>>20, MaxDKIMWork>>20)})
		return
	}
	verifs, err := verifyDKIM(ctx, r, raw)
	for _, v := range verifs {
		d := DKIMResult{Domain: normDomain(v.Domain), Identifier: v.Identifier}
		switch {
		case v.Err == nil:
			d.Value = authres.ResultPass
		case dkim.IsTempFail(v.Err):
			d.Value, d.Reason = authres.ResultTempError, v.Err.Error()
		case dkim.IsPermFail(v.Err):
			d.Value, d.Reason = authres.ResultPermError, v.Err.Error()
		default:
			d.Value, d.Reason = authres.ResultFail, v.Err.Error()
		}
		res.DKIM = append(res.DKIM, d)
	}
	if err != nil && err != dkim.ErrTooManySignatures && len(res.DKIM) == 0 {
		// The header could not be read at all: a signature is there but
		// nothing about it can be verified.
		res.DKIM = append(res.DKIM, DKIMResult{Value: authres.ResultPermError, Reason: err.Error()})
	}
}

// verifyDKIM runs go-msgauth's verifier. The recover is there because the
// verifier parses hostile bytes: a panic deep in a library must cost this
// message its DKIM verdict, not the gateway its process.
func verifyDKIM(ctx context.Context, r Resolver, raw []byte) (verifs []*dkim.Verification, err error) {
	defer func() {
		if p := recover(); p != nil {
			verifs, err = nil, fmt.Errorf("dkim verifier panicked: %v", p)
		}
	}()
	return dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{
		// go-msgauth's lookup has no context; the closure carries ours,
		// and returns the resolver's error unwrapped because the library
		// tells temporary from permanent failures by type assertion.
		LookupTXT:        func(name string) ([]string, error) { return r.LookupTXT(ctx, name) },
		MaxVerifications: MaxDKIMSignatures,
	})
}

func isDKIMSignature(f field) bool { return strings.EqualFold(f.name, "DKIM-Signature") }

// MaxDKIMWork bounds dkimWork: a header that would cost the verifier more
// is not verified (permerror). Real mail costs a few kilobytes; at the
// limit the verifier spends some tens of milliseconds.
const MaxDKIMWork = 32 << 20

// dkimWork is what go-msgauth's verifier (v0.7) spends on a header before
// any signature is checked, in bytes copied or scanned, and it grows
// faster than the header: its reader appends each continuation line to
// the field read so far (a copy of the field per line, so a field of n
// lines costs n²/2 lines), and for each name in a signature's h= list its
// header picker scans the fields, each up to its colon. A 1.9 MB Subject of
// 100,000 folded lines cost it 37 s of CPU (issue 17).
func dkimWork(fields []field) int64 {
	var w, scan int64
	picks, sigs := 0, 0
	for _, f := range fields {
		// The reader: every continuation line copies the field so far.
		var sofar int64
		for pos := 0; pos < len(f.raw); {
			n := bytes.IndexByte(f.raw[pos:], '\n') + 1
			if n == 0 {
				n = len(f.raw) - pos
			}
			if pos > 0 && (f.raw[pos] == ' ' || f.raw[pos] == '\t') {
				w += sofar
			}
			sofar += int64(n)
			pos += n
		}
		// The picker: one scan of the field up to its colon per pick.
		c := bytes.IndexByte(f.raw, ':')
		if c < 0 {
			c = len(f.raw)
		}
		scan += int64(c) + 16
		if isDKIMSignature(f) && sigs < MaxDKIMSignatures {
			sigs++
			for tag := range strings.SplitSeq(f.value(), ";") {
				k, v, _ := strings.Cut(tag, "=")
				if strings.TrimSpace(k) == "h" {
					picks += strings.Count(v, ":") + 1
				}
			}
		}
		if w > MaxDKIMWork {
			return w // enough: a bomb need not be measured to its end
		}
	}
	return w + int64(picks)*scan
}

func (res *Result) checkDMARC(ctx context.Context, r Resolver, fields []field) {
	from, ok := fromDomain(fields)
	if !ok {
		// RFC 7489 §6.6.1: without exactly one author domain there is
		// nothing to align with; the mail cannot pass.
		res.DMARC, res.DMARCReason = authres.ResultPermError, "no single RFC5322.From domain"
		res.alignment(dmarc.AlignmentRelaxed, dmarc.AlignmentRelaxed)
		return
	}
	res.FromDomain = normDomain(from)
	rec, recDomain, err := fetchDMARC(ctx, r, res.FromDomain)
	switch {
	case err == dmarc.ErrNoPolicy:
		res.DMARC = authres.ResultNone
		res.alignment(dmarc.AlignmentRelaxed, dmarc.AlignmentRelaxed)
		return
	case dmarc.IsTempFail(err):
		res.DMARC, res.DMARCReason = authres.ResultTempError, err.Error()
		res.alignment(dmarc.AlignmentRelaxed, dmarc.AlignmentRelaxed)
		return
	case err != nil:
		res.DMARC, res.DMARCReason = authres.ResultPermError, err.Error()
		res.alignment(dmarc.AlignmentRelaxed, dmarc.AlignmentRelaxed)
		return
	}
	res.DMARCDomain = recDomain
	res.DMARCPolicy = rec.Policy
	if recDomain != res.FromDomain && rec.SubdomainPolicy != "" {
		res.DMARCPolicy = rec.SubdomainPolicy
	}
	res.alignment(rec.SPFAlignment, rec.DKIMAlignment)
	switch {
	case res.SPFAligned || res.DKIMAligned:
		res.DMARC = authres.ResultPass
	case res.alignedTempError(rec.SPFAlignment, rec.DKIMAlignment):
		// A lookup that failed for now could have passed: the sender
		// should be judged again later, not called forged.
		res.DMARC, res.DMARCReason = authres.ResultTempError, "aligned identifier unavailable"
	default:
		res.DMARC, res.DMARCReason = authres.ResultFail, "no aligned SPF or DKIM pass"
	}
}

// alignment fills SPFAligned and DKIMAligned.
func (res *Result) alignment(spfMode, dkimMode dmarc.AlignmentMode) {
	if res.FromDomain == "" {
		return
	}
	res.SPFAligned = res.SPF == authres.ResultPass && aligned(res.SPFDomain, res.FromDomain, spfMode)
	for _, d := range res.DKIM {
		if d.Value == authres.ResultPass && aligned(d.Domain, res.FromDomain, dkimMode) {
			res.DKIMAligned = true
		}
	}
}

func (res *Result) alignedTempError(spfMode, dkimMode dmarc.AlignmentMode) bool {
	if res.SPF == authres.ResultTempError && aligned(res.SPFDomain, res.FromDomain, spfMode) {
		return true
	}
	for _, d := range res.DKIM {
		if d.Value == authres.ResultTempError && aligned(d.Domain, res.FromDomain, dkimMode) {
			return true
		}
	}
	return false
}

// fetchDMARC looks up the From domain's record and, when it has none, the
// record of its organisational domain (RFC 7489 §6.6.3): mail from
// support.shop.example is governed by _dmarc.shop.example when the
// subdomain publishes nothing of its own.
func fetchDMARC(ctx context.Context, r Resolver, domain string) (*dmarc.Record, string, error) {
	opts := &dmarc.LookupOptions{LookupTXT: func(name string) ([]string, error) { return r.LookupTXT(ctx, name) }}
	rec, err := dmarc.LookupWithOptions(domain, opts)
	if err != dmarc.ErrNoPolicy {
		return rec, domain, err
	}
	org := orgDomain(domain)
	if org == domain {
		return nil, domain, err
	}
	rec, err = dmarc.LookupWithOptions(org, opts)
	return rec, org, err
}

// orgDomain is the organisational domain: the public suffix plus one label,
// from the Public Suffix List (private entries included, so two tenants of
// a hosting suffix are not one organisation). A name the list cannot place
// is its own organisation.
func orgDomain(domain string) string {
	org, err := publicsuffix.EffectiveTLDPlusOne(domain)
	if err != nil {
		return domain
	}
	return org
}

// aligned reports identifier alignment (RFC 7489 §3.1): strict needs the
// same name, relaxed the same organisational domain.
func aligned(id, from string, mode dmarc.AlignmentMode) bool {
	id, from = normDomain(id), normDomain(from)
	if id == "" || from == "" {
		return false
	}
	if id == from {
		return true
	}
	if mode == dmarc.AlignmentStrict {
		return false
	}
	return orgDomain(id) == orgDomain(from)
}

// Aligned reports whether SPF or a DKIM signature passed for an identity
// in domain's organisation (relaxed alignment). Intake uses it to trust an
// agent's mail arriving over the MX: a From: naming the agents' domain is
// believed only when that domain's own infrastructure vouches for it.
func (res *Result) Aligned(domain string) bool {
	if res == nil {
		return false
	}
	if res.SPF == authres.ResultPass && aligned(res.SPFDomain, domain, dmarc.AlignmentRelaxed) {
		return true
	}
	for _, d := range res.DKIM {
		if d.Value == authres.ResultPass && aligned(d.Domain, domain, dmarc.AlignmentRelaxed) {
			return true
		}
	}
	return false
}

// AlignedUnknown reports whether, for an identity in domain's
// organisation, SPF or a DKIM signature could not be checked (temperror:
// DNS trouble) and none passed: whether the mail is domain's own is not
// known now, and may be later. Intake answers an agent's mail in that
// state with a temporary failure, so the agent's server retries.
func (res *Result) AlignedUnknown(domain string) bool {
	if res == nil || res.Aligned(domain) {
		return false
	}
	if res.SPF == authres.ResultTempError && aligned(res.SPFDomain, domain, dmarc.AlignmentRelaxed) {
		return true
	}
	for _, d := range res.DKIM {
		if d.Value == authres.ResultTempError && aligned(d.Domain, domain, dmarc.AlignmentRelaxed) {
			return true
		}
	}
	return false
}

// SPFAlignedWith reports whether SPF passed for the envelope sender (not
// the HELO name of a null sender) and the sender's domain is in domain's
// organisation (relaxed alignment). Acknowledgements use it: a reply to
// the envelope sender is sent for a From of another address only when the
// From's domain is vouched for by that sender this way.
func (res *Result) SPFAlignedWith(domain string) bool {
	return res != nil && res.MailFrom != "" && res.SPF == authres.ResultPass &&
		aligned(res.SPFDomain, domain, dmarc.AlignmentRelaxed)
}

// Policy decides when a sender counts as forged, that is when an
// acknowledgement would more likely reach a victim of spoofing than the
// author. The fields are the admin's knobs; DefaultPolicy is the default.
type Policy struct {
	// SPFFail: an SPF fail is forged unless a DKIM signature aligned with
	// the From domain passes. The exception exists because forwarding
	// breaks SPF but keeps DKIM intact.
	SPFFail bool
	// SPFSoftFail treats softfail (~all) like fail. Off by default: ~all
	// is how domains say "we are not sure our list is complete".
	SPFSoftFail bool
	// DMARCFail: a DMARC fail is forged.
	DMARCFail bool
	// DMARCEnforcedOnly limits DMARCFail to domains publishing
	// p=quarantine or p=reject; p=none asks receivers to observe only.
	DMARCEnforcedOnly bool
	// TempError fails closed: an SPF or DMARC temperror counts as forged.
	// Off by default because a DNS hiccup on our side would silence
	// acknowledgements to genuine customers.
	TempError bool
}

// DefaultPolicy: no acknowledgement on an SPF fail without a passing
// aligned DKIM signature, or on a DMARC fail.
var DefaultPolicy = Policy{SPFFail: true, DMARCFail: true}

// Forged reports whether the sender is forged under DefaultPolicy.
func (res *Result) Forged() bool { return res.ForgedUnder(DefaultPolicy) }

// ForgedUnder reports whether the sender is forged under p. A nil Result
// (no check was made) is not forged.
func (res *Result) ForgedUnder(p Policy) bool {
	if res == nil {
		return false
	}
	spfFailed := res.SPF == authres.ResultFail || (p.SPFSoftFail && res.SPF == authres.ResultSoftFail)
	if p.SPFFail && spfFailed && !res.DKIMAligned {
		return true
	}
	if p.DMARCFail && res.DMARC == authres.ResultFail {
		if !p.DMARCEnforcedOnly || res.DMARCPolicy == dmarc.PolicyQuarantine || res.DMARCPolicy == dmarc.PolicyReject {
			return true
		}
	}
	if p.TempError && (res.SPF == authres.ResultTempError || res.DMARC == authres.ResultTempError) {
		return true
	}
	return false
}

// AuthResultsHeader formats the result as an Authentication-Results header
// field (RFC 8601) for authservID, "Authentication-Results: " included,
// folded before each method and ending in CRLF, ready to prepend to the
// message.
func (res *Result) AuthResultsHeader(authservID string) string {
	results := []authres.Result{&authres.SPFResult{
		Value:  res.SPF,
		Reason: clean(res.SPFReason),
		From:   clean(res.spfFrom()),
		Helo:   clean(res.Helo),
	}}
	if len(res.DKIM) == 0 {
		results = append(results, &authres.DKIMResult{Value: authres.ResultNone})
	}
	for _, d := range res.DKIM {
		results = append(results, &authres.DKIMResult{
			Value: d.Value, Reason: clean(d.Reason), Domain: clean(d.Domain), Identifier: clean(d.Identifier),
		})
	}
	reason := res.DMARCReason
	if res.DMARCPolicy != "" {
		reason = strings.TrimSpace("p=" + string(res.DMARCPolicy) + " " + reason)
	}
	results = append(results, &authres.DMARCResult{Value: res.DMARC, Reason: clean(reason), From: clean(res.FromDomain)})
	v := authres.Format(clean(authservID), results)
	// Fold at the method separators so the line stays readable and under
	// the 998-octet limit however many signatures there are.
	v = strings.ReplaceAll(v, "; ", ";\r\n\t")
	return "Authentication-Results: " + v + "\r\n"
}

// spfFrom is smtp.mailfrom as RFC 8601 writes it: the address checked.
func (res *Result) spfFrom() string {
	if res.MailFrom == "" {
		return "postmaster@" + res.Helo
	}
	return res.MailFrom
}

// clean keeps a value from breaking the header: reasons carry DNS error
// text and domains come from the sender, so CR, LF and other controls are
// replaced; long reasons are cut.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return ""
}

// normDomain makes domains comparable: lower case, no trailing dot, and
// A-labels, since DNS and the Public Suffix List speak ASCII while an
// SMTPUTF8 From: may be written in Unicode.
func normDomain(d string) string {
	d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
	if a, err := idna.Lookup.ToASCII(d); err == nil {
		return a
	}
	return d
}
