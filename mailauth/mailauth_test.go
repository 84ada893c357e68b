package mailauth

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-msgauth/authres"
	"github.com/emersion/go-msgauth/dmarc"
	"github.com/foxcpp/go-mockdns"
)

// The compile-time promise of the package doc: both resolvers fit.
var (
	_ Resolver = (*net.Resolver)(nil)
	_ Resolver = (*mockdns.Resolver)(nil)
)

var (
	rsaOnce sync.Once
	rsaKey  *rsa.PrivateKey
)

// testRSAKey is generated once: 2048-bit generation takes a noticeable
// share of a second on the shared CI cores.
func testRSAKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	rsaOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		rsaKey = k
	})
	return rsaKey
}

func testSigner(t testing.TB, domain string) *Signer {
	t.Helper()
	s, err := NewSigner(domain, "sel", testRSAKey(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tempErr is what a SERVFAIL looks like to callers of net.Resolver.
var tempErr = &net.DNSError{Err: "server misbehaving", Name: "x", IsTemporary: true}

// zones is the DNS world of the tests:
//   - example.com: SPF allows 192.0.2.0/24 with -all; DMARC p=reject
//     (sp=quarantine), relaxed alignment.
//   - soft.example: SPF ~all; no DMARC.
//   - nospf.example: nothing at all.
//   - broken.example: every lookup fails temporarily.
//   - strict.example: DMARC adkim=s aspf=s.
//   - mx.relay.example: the HELO name of a bouncing MTA, SPF for itself.
func zones(extra map[string]mockdns.Zone) *mockdns.Resolver {
	z := map[string]mockdns.Zone{
		"example.com.":           {TXT: []string{"v=spf1 ip4:192.0.2.0/24 -all"}},
		"_dmarc.example.com.":    {TXT: []string{"v=DMARC1; p=reject; sp=quarantine"}},
		"sub.example.com.":       {TXT: []string{"v=spf1 ip4:192.0.2.0/24 -all"}},
		"soft.example.":          {TXT: []string{"v=spf1 ip4:192.0.2.0/24 ~all"}},
		"broken.example.":        {Err: tempErr},
		"_dmarc.broken.example.": {Err: tempErr},
		"strict.example.":        {TXT: []string{"v=spf1 ip4:192.0.2.0/24 -all"}},
		"_dmarc.strict.example.": {TXT: []string{"v=DMARC1; p=reject; adkim=s; aspf=s"}},
		"mail.strict.example.":   {TXT: []string{"v=spf1 ip4:192.0.2.0/24 -all"}},
		"mx.relay.example.":      {TXT: []string{"v=spf1 ip4:203.0.113.7 -all"}},
		"_dmarc.bad.example.":    {TXT: []string{"v=DMARC1; p=bogus"}},
		"bad.example.":           {TXT: []string{"v=spf1 ip4:192.0.2.0/24 -all"}},
		// 例子.中国, the domain of an SMTPUTF8 sender, as DNS knows it.
		"xn--fsqu00a.xn--fiqs8s.": {TXT: []string{"v=spf1 ip4:192.0.2.0/24 -all"}},
	}
	for k, v := range extra {
		z[k] = v
	}
	return &mockdns.Resolver{Zones: z}
}

var (
	inside  = net.ParseIP("192.0.2.10")
	outside = net.ParseIP("198.51.100.1")
)

func msg(from, body string) []byte {
	return []byte("From: Customer <" + from + ">\r\n" +
		"To: support@acme.example\r\n" +
		"Subject: Where is my order?\r\n" +
		"Date: Mon, 23 Nov 2026 10:00:00 +0800\r\n" +
		"Message-ID: <c1@example.com>\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n" +
		"\r\n" + body)
}

func withKey(r *mockdns.Resolver, s *Signer) *mockdns.Resolver {
	r.Zones[s.DNSName()+"."] = mockdns.Zone{TXT: []string{s.DNSRecord()}}
	return r
}

func sign(t testing.TB, s *Signer, raw []byte) []byte {
	t.Helper()
	out, err := s.Sign(raw)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSPF(t *testing.T) {
	r := zones(nil)
	for _, tc := range []struct {
		name     string
		ip       net.IP
		helo     string
		mailFrom string
		want     authres.ResultValue
		domain   string
	}{
		{"pass", inside, "mail.example.com", "bounce@example.com", authres.ResultPass, "example.com"},
		{"fail", outside, "evil.example", "bounce@example.com", authres.ResultFail, "example.com"},
		{"softfail", outside, "x", "a@soft.example", authres.ResultSoftFail, "soft.example"},
		{"none", outside, "x", "a@nospf.example", authres.ResultNone, "nospf.example"},
		{"temperror", outside, "x", "a@broken.example", authres.ResultTempError, "broken.example"},
		{"null sender pass via HELO", net.ParseIP("203.0.113.7"), "mx.relay.example", "", authres.ResultPass, "mx.relay.example"},
		{"null sender fail via HELO", outside, "mx.relay.example", "", authres.ResultFail, "mx.relay.example"},
		{"upper case domain", inside, "x", "A@EXAMPLE.COM", authres.ResultPass, "example.com"},
		{"SMTPUTF8 sender, domain in Unicode: pass", inside, "x", "张三@例子.中国", authres.ResultPass, "xn--fsqu00a.xn--fiqs8s"},
		{"SMTPUTF8 sender, domain in Unicode: fail", outside, "x", "张三@例子.中国", authres.ResultFail, "xn--fsqu00a.xn--fiqs8s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := Check(t.Context(), r, tc.ip, tc.helo, tc.mailFrom, msg("a@nospf.example", "hi\r\n"))
			if res.SPF != tc.want || res.SPFDomain != tc.domain {
				t.Errorf("SPF = %s for %q (%s), want %s for %q", res.SPF, res.SPFDomain, res.SPFReason, tc.want, tc.domain)
			}
		})
	}
}

func TestDKIMPass(t *testing.T) {
	s := testSigner(t, "example.com")
	r := withKey(zones(nil), s)
	raw := sign(t, s, msg("a@example.com", "Hello,\r\nmy order #1042 has not arrived.\r\n"))
	res := Check(t.Context(), r, outside, "x", "a@nospf.example", raw)
	if len(res.DKIM) != 1 || res.DKIM[0].Value != authres.ResultPass || res.DKIM[0].Domain != "example.com" {
		t.Fatalf("DKIM = %+v, want one pass for example.com", res.DKIM)
	}
}

func TestDKIMEd25519(t *testing.T) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSigner("example.com", "ed", priv)
	if err != nil {
		t.Fatal(err)
	}
	r := withKey(zones(nil), s)
	res := Check(t.Context(), r, inside, "x", "a@example.com", sign(t, s, msg("a@example.com", "hi\r\n")))
	if len(res.DKIM) != 1 || res.DKIM[0].Value != authres.ResultPass {
		t.Fatalf("DKIM = %+v, want pass", res.DKIM)
	}
}

func TestDKIMFailBodyChanged(t *testing.T) {
	s := testSigner(t, "example.com")
	r := withKey(zones(nil), s)
	raw := sign(t, s, msg("a@example.com", "Please refund 10 EUR.\r\n"))
	raw = bytes.Replace(raw, []byte("10 EUR"), []byte("900 EUR"), 1)
	res := Check(t.Context(), r, inside, "x", "a@example.com", raw)
	if len(res.DKIM) != 1 || res.DKIM[0].Value != authres.ResultFail {
		t.Fatalf("DKIM = %+v, want fail", res.DKIM)
	}
	if res.DKIMAligned {
		t.Error("a failed signature must not count as aligned")
	}
}

func TestDKIMHeaderChangedAndKeyMissing(t *testing.T) {
	s := testSigner(t, "example.com")
	raw := sign(t, s, msg("a@example.com", "hi\r\n"))
	res := Check(t.Context(), zones(nil), inside, "x", "a@example.com", raw) // key not published
	if len(res.DKIM) != 1 || res.DKIM[0].Value != authres.ResultPermError {
		t.Errorf("no key: DKIM = %+v, want permerror", res.DKIM)
	}
	r := withKey(zones(nil), s)
	forged := bytes.Replace(raw, []byte("Subject: Where is my order?"), []byte("Subject: Pay this invoice"), 1)
	res = Check(t.Context(), r, inside, "x", "a@example.com", forged)
	if len(res.DKIM) != 1 || res.DKIM[0].Value != authres.ResultFail {
		t.Errorf("subject changed: DKIM = %+v, want fail", res.DKIM)
	}
	r = zones(map[string]mockdns.Zone{s.DNSName() + ".": {Err: tempErr}})
	res = Check(t.Context(), r, inside, "x", "a@example.com", raw)
	if len(res.DKIM) != 1 || res.DKIM[0].Value != authres.ResultTempError {
		t.Errorf("key lookup SERVFAIL: DKIM = %+v, want temperror", res.DKIM)
	}
}

func TestDKIMTooManySignatures(t *testing.T) {
	s := testSigner(t, "example.com")
	raw := msg("a@example.com", "hi\r\n")
	for range MaxDKIMSignatures + 3 {
		raw = sign(t, s, raw)
	}
	res := Check(t.Context(), withKey(zones(nil), s), inside, "x", "a@example.com", raw)
	if len(res.DKIM) != MaxDKIMSignatures {
		t.Fatalf("verified %d signatures, want the cap %d", len(res.DKIM), MaxDKIMSignatures)
	}
}

func TestDMARCPassViaAlignedDKIMWithSPFFail(t *testing.T) {
	// A forwarder: the envelope is re-sent from a host example.com never
	// authorised, but the customer's DKIM signature survives.
	s := testSigner(t, "example.com")
	r := withKey(zones(nil), s)
	raw := sign(t, s, msg("a@example.com", "hi\r\n"))
	res := Check(t.Context(), r, outside, "forwarder.example", "a@example.com", raw)
	if res.SPF != authres.ResultFail {
		t.Fatalf("SPF = %s, want fail", res.SPF)
	}
	if res.DMARC != authres.ResultPass || !res.DKIMAligned || res.SPFAligned {
		t.Fatalf("DMARC = %s (dkim aligned %v, spf aligned %v), want pass through DKIM only", res.DMARC, res.DKIMAligned, res.SPFAligned)
	}
	if res.DMARCPolicy != dmarc.PolicyReject || res.DMARCDomain != "example.com" {
		t.Errorf("policy %q from %q, want reject from example.com", res.DMARCPolicy, res.DMARCDomain)
	}
	if res.Forged() {
		t.Error("SPF fail with a passing aligned DKIM must not be forged")
	}
}

func TestDMARCPassViaAlignedSPF(t *testing.T) {
	res := Check(t.Context(), zones(nil), inside, "x", "bounce@example.com", msg("a@example.com", "hi\r\n"))
	if res.DMARC != authres.ResultPass || !res.SPFAligned {
		t.Fatalf("DMARC = %s, SPF aligned %v; want pass via SPF", res.DMARC, res.SPFAligned)
	}
}

func TestDMARCFail(t *testing.T) {
	// Spoofed From: example.com, sent from the attacker's own domain,
	// whose SPF passes: SPF alone is no proof of the From: author.
	r := zones(map[string]mockdns.Zone{"attacker.example.": {TXT: []string{"v=spf1 ip4:198.51.100.0/24 -all"}}})
	res := Check(t.Context(), r, outside, "attacker.example", "x@attacker.example", msg("ceo@example.com", "wire money\r\n"))
	if res.SPF != authres.ResultPass {
		t.Fatalf("SPF = %s, want pass for the attacker's own domain", res.SPF)
	}
	if res.DMARC != authres.ResultFail || res.DMARCPolicy != dmarc.PolicyReject {
		t.Fatalf("DMARC = %s p=%s, want fail p=reject", res.DMARC, res.DMARCPolicy)
	}
	if !res.Forged() {
		t.Error("DMARC fail must be forged under the default policy")
	}
	// Also DKIM-signed by the attacker's own domain: still not aligned.
	s := testSigner(t, "attacker.example")
	r = withKey(r, s)
	res = Check(t.Context(), r, outside, "attacker.example", "x@attacker.example", sign(t, s, msg("ceo@example.com", "wire money\r\n")))
	if len(res.DKIM) != 1 || res.DKIM[0].Value != authres.ResultPass || res.DMARC != authres.ResultFail {
		t.Fatalf("DKIM %+v DMARC %s: want an unaligned pass and a DMARC fail", res.DKIM, res.DMARC)
	}
}

func TestDMARCOrgDomainFallback(t *testing.T) {
	// sub.example.com publishes no record: _dmarc.example.com governs it
	// with its subdomain policy sp=quarantine.
	res := Check(t.Context(), zones(nil), outside, "x", "a@sub.example.com", msg("a@sub.example.com", "hi\r\n"))
	if res.DMARCDomain != "example.com" || res.DMARCPolicy != dmarc.PolicyQuarantine {
		t.Fatalf("record from %q with p=%q, want example.com with sp=quarantine", res.DMARCDomain, res.DMARCPolicy)
	}
	if res.DMARC != authres.ResultFail {
		t.Errorf("DMARC = %s, want fail (SPF fail, unsigned)", res.DMARC)
	}
	// Relaxed alignment: MAIL FROM example.com passes SPF for From sub.example.com.
	res = Check(t.Context(), zones(nil), inside, "x", "bounce@example.com", msg("a@sub.example.com", "hi\r\n"))
	if res.DMARC != authres.ResultPass {
		t.Errorf("relaxed SPF alignment across the organisation: DMARC = %s, want pass", res.DMARC)
	}
	// A record on the subdomain itself wins over the organisation's.
	r := zones(map[string]mockdns.Zone{"_dmarc.sub.example.com.": {TXT: []string{"v=DMARC1; p=none"}}})
	res = Check(t.Context(), r, outside, "x", "a@sub.example.com", msg("a@sub.example.com", "hi\r\n"))
	if res.DMARCDomain != "sub.example.com" || res.DMARCPolicy != dmarc.PolicyNone {
		t.Errorf("record from %q p=%q, want sub.example.com p=none", res.DMARCDomain, res.DMARCPolicy)
	}
}

func TestDMARCStrictVersusRelaxed(t *testing.T) {
	s := testSigner(t, "strict.example")
	r := withKey(zones(nil), s)
	// From: a subdomain, d= and MAIL FROM on the parent: relaxed would
	// align, strict (adkim=s; aspf=s) does not.
	r.Zones["_dmarc.mail.strict.example."] = mockdns.Zone{TXT: []string{"v=DMARC1; p=reject; adkim=s; aspf=s"}}
	raw := sign(t, s, msg("a@mail.strict.example", "hi\r\n"))
	res := Check(t.Context(), r, inside, "x", "b@strict.example", raw)
	if res.SPF != authres.ResultPass || len(res.DKIM) != 1 || res.DKIM[0].Value != authres.ResultPass {
		t.Fatalf("setup: SPF %s DKIM %+v, want both pass", res.SPF, res.DKIM)
	}
	if res.DMARC != authres.ResultFail || res.SPFAligned || res.DKIMAligned {
		t.Errorf("strict: DMARC = %s, want fail", res.DMARC)
	}
	r.Zones["_dmarc.mail.strict.example."] = mockdns.Zone{TXT: []string{"v=DMARC1; p=reject"}}
	res = Check(t.Context(), r, inside, "x", "b@strict.example", raw)
	if res.DMARC != authres.ResultPass || !res.SPFAligned || !res.DKIMAligned {
		t.Errorf("relaxed: DMARC = %s (spf %v dkim %v), want pass with both aligned", res.DMARC, res.SPFAligned, res.DKIMAligned)
	}
	// Strict, exact names: passes.
	res = Check(t.Context(), r, inside, "x", "b@strict.example", sign(t, s, msg("a@strict.example", "hi\r\n")))
	if res.DMARC != authres.ResultPass {
		t.Errorf("strict with exact names: DMARC = %s, want pass", res.DMARC)
	}
}

func TestDMARCNoneTempPerm(t *testing.T) {
	res := Check(t.Context(), zones(nil), outside, "x", "a@nospf.example", msg("a@nospf.example", "hi\r\n"))
	if res.DMARC != authres.ResultNone || res.DMARCPolicy != "" {
		t.Errorf("no record: DMARC = %s p=%q, want none", res.DMARC, res.DMARCPolicy)
	}
	res = Check(t.Context(), zones(nil), outside, "x", "a@broken.example", msg("a@broken.example", "hi\r\n"))
	if res.DMARC != authres.ResultTempError {
		t.Errorf("SERVFAIL: DMARC = %s, want temperror", res.DMARC)
	}
	res = Check(t.Context(), zones(nil), inside, "x", "a@bad.example", msg("a@bad.example", "hi\r\n"))
	if res.DMARC != authres.ResultPermError {
		t.Errorf("malformed record: DMARC = %s, want permerror", res.DMARC)
	}
	two := []byte("From: a@example.com\r\nFrom: b@other.example\r\n\r\nhi\r\n")
	res = Check(t.Context(), zones(nil), inside, "x", "a@example.com", two)
	if res.DMARC != authres.ResultPermError || res.FromDomain != "" {
		t.Errorf("two From fields: DMARC = %s from %q, want permerror", res.DMARC, res.FromDomain)
	}
	same := []byte("From: a@Example.com, b@example.COM.\r\n\r\nhi\r\n")
	if res = Check(t.Context(), zones(nil), inside, "x", "a@example.com", same); res.FromDomain != "example.com" || res.DMARC != authres.ResultPass {
		t.Errorf("two authors, one domain in two spellings: from %q DMARC %s, want example.com pass", res.FromDomain, res.DMARC)
	}
	mixed := []byte("From: a@example.com, b@other.example\r\n\r\nhi\r\n")
	if res = Check(t.Context(), zones(nil), inside, "x", "a@example.com", mixed); res.DMARC != authres.ResultPermError {
		t.Errorf("authors in two domains: DMARC = %s, want permerror", res.DMARC)
	}
	idn := []byte("From: =?utf-8?q?K=C3=A4ufer?= <k@EXAMPLE.com>\r\n\r\nhi\r\n")
	if res = Check(t.Context(), zones(nil), inside, "x", "a@example.com", idn); res.FromDomain != "example.com" || res.DMARC != authres.ResultPass {
		t.Errorf("encoded display name: from %q DMARC %s, want example.com pass", res.FromDomain, res.DMARC)
	}
}

func TestDMARCTempErrorFromAlignedDKIM(t *testing.T) {
	// SPF fails, the only aligned signature cannot be fetched right now:
	// DMARC is temperror, not fail — a retry could pass.
	s := testSigner(t, "example.com")
	r := zones(map[string]mockdns.Zone{s.DNSName() + ".": {Err: tempErr}})
	res := Check(t.Context(), r, outside, "x", "a@example.com", sign(t, s, msg("a@example.com", "hi\r\n")))
	if res.DMARC != authres.ResultTempError {
		t.Fatalf("DMARC = %s, want temperror", res.DMARC)
	}
}

func TestForgedTruthTable(t *testing.T) {
	var P authres.ResultValue = authres.ResultPass
	var F authres.ResultValue = authres.ResultFail
	for _, tc := range []struct {
		name        string
		spf         authres.ResultValue
		dkimAligned bool
		dmarc       authres.ResultValue
		policy      dmarc.Policy
		def         bool // under DefaultPolicy
		strict      bool // under every knob on
	}{
		{"all pass", P, true, P, dmarc.PolicyReject, false, false},
		{"spf fail, aligned dkim pass", F, true, P, dmarc.PolicyReject, false, false},
		{"spf fail, no aligned dkim, no dmarc record", F, false, authres.ResultNone, "", true, true},
		{"spf fail, no aligned dkim, dmarc fail", F, false, F, dmarc.PolicyReject, true, true},
		{"spf pass, dmarc fail p=reject", P, false, F, dmarc.PolicyReject, true, true},
		{"spf pass, dmarc fail p=none", P, false, F, dmarc.PolicyNone, true, false},
		{"spf softfail, no dmarc", authres.ResultSoftFail, false, authres.ResultNone, "", false, true},
		{"spf none, dmarc none", authres.ResultNone, false, authres.ResultNone, "", false, false},
		{"spf temperror", authres.ResultTempError, false, authres.ResultNone, "", false, true},
		{"dmarc temperror", P, false, authres.ResultTempError, "", false, true},
		{"spf permerror, dmarc none", authres.ResultPermError, false, authres.ResultNone, "", false, false},
	} {
		res := &Result{SPF: tc.spf, DKIMAligned: tc.dkimAligned, DMARC: tc.dmarc, DMARCPolicy: tc.policy}
		if got := res.Forged(); got != tc.def {
			t.Errorf("%s: Forged() = %v, want %v", tc.name, got, tc.def)
		}
		all := Policy{SPFFail: true, SPFSoftFail: true, DMARCFail: true, DMARCEnforcedOnly: true, TempError: true}
		if got := res.ForgedUnder(all); got != tc.strict {
			t.Errorf("%s: ForgedUnder(all knobs) = %v, want %v", tc.name, got, tc.strict)
		}
		if res.ForgedUnder(Policy{}) {
			t.Errorf("%s: the empty policy must never call a sender forged", tc.name)
		}
	}
	var nilRes *Result
	if nilRes.Forged() || nilRes.Aligned("example.com") {
		t.Error("a nil Result is neither forged nor aligned")
	}
}

func TestAligned(t *testing.T) {
	s := testSigner(t, "agents.acme.example")
	r := withKey(zones(map[string]mockdns.Zone{"acme.example.": {TXT: []string{"v=spf1 ip4:10.0.0.0/8 -all"}}}), s)
	raw := sign(t, s, msg("alice@acme.example", "reply\r\n"))
	res := Check(t.Context(), r, outside, "x", "alice@acme.example", raw)
	if !res.Aligned("acme.example") || !res.Aligned("ACME.example.") {
		t.Error("DKIM d=agents.acme.example passes: aligned with acme.example (relaxed)")
	}
	if res.Aligned("example.com") || res.Aligned("other.acme-example") {
		t.Error("aligned with an unrelated domain")
	}
	res = Check(t.Context(), r, net.ParseIP("10.1.2.3"), "x", "alice@acme.example", msg("alice@acme.example", "x\r\n"))
	if !res.Aligned("acme.example") {
		t.Error("SPF pass for acme.example: aligned")
	}
	res = Check(t.Context(), r, outside, "x", "alice@acme.example", msg("alice@acme.example", "x\r\n"))
	if res.Aligned("acme.example") {
		t.Error("SPF fail, unsigned: not aligned")
	}
}

// SPFAlignedWith vouches for the envelope sender only: a DKIM signature
// of the From domain does not make an unrelated envelope sender the
// author, and the HELO identity of a null sender is nobody to answer.
func TestSPFAlignedWith(t *testing.T) {
	s := testSigner(t, "victim.example")
	r := withKey(zones(map[string]mockdns.Zone{
		"mail.acme.example.": {TXT: []string{"v=spf1 ip4:10.0.0.0/8 -all"}},
		"evil.example.":      {TXT: []string{"v=spf1 ip4:10.0.0.0/8 -all"}},
		"helo.acme.example.": {TXT: []string{"v=spf1 ip4:10.0.0.0/8 -all"}},
	}), s)
	in := net.ParseIP("10.1.2.3")
	res := Check(t.Context(), r, in, "x", "bounce@mail.acme.example", msg("ceo@acme.example", "x\r\n"))
	if !res.SPFAlignedWith("acme.example") || !res.SPFAlignedWith("ACME.example.") {
		t.Error("SPF pass for mail.acme.example: aligned with acme.example")
	}
	if res.SPFAlignedWith("victim.example") {
		t.Error("SPF pass for mail.acme.example: aligned with victim.example")
	}
	res = Check(t.Context(), r, in, "x", "attacker@evil.example", sign(t, s, msg("victim@victim.example", "x\r\n")))
	if res.SPFAlignedWith("victim.example") {
		t.Error("envelope evil.example, DKIM of victim.example: the envelope sender is vouched for by the victim")
	}
	res = Check(t.Context(), r, outside, "x", "bounce@mail.acme.example", msg("ceo@acme.example", "x\r\n"))
	if res.SPFAlignedWith("acme.example") {
		t.Error("SPF fail: aligned")
	}
	res = Check(t.Context(), r, in, "helo.acme.example", "", msg("ceo@acme.example", "x\r\n"))
	if res.SPFAlignedWith("acme.example") {
		t.Error("null sender: the HELO identity counted as the envelope sender")
	}
	var nilRes *Result
	if nilRes.SPFAlignedWith("acme.example") {
		t.Error("nil Result: aligned")
	}
}

func TestAuthResultsHeader(t *testing.T) {
	s := testSigner(t, "example.com")
	r := withKey(zones(nil), s)
	res := Check(t.Context(), r, outside, "fwd.example", "a@example.com", sign(t, s, msg("a@example.com", "hi\r\n")))
	h := res.AuthResultsHeader("mx.acme.example")
	if !strings.HasPrefix(h, "Authentication-Results: mx.acme.example;\r\n\tspf=fail") || !strings.HasSuffix(h, "\r\n") {
		t.Fatalf("header = %q", h)
	}
	for _, want := range []string{"smtp.mailfrom=a@example.com", "dkim=pass", "header.d=example.com", "dmarc=pass", "header.from=example.com", "p=reject"} {
		if !strings.Contains(h, want) {
			t.Errorf("header lacks %q:\n%s", want, h)
		}
	}
	// It parses back, as agents' mail clients will parse it.
	v := strings.TrimPrefix(strings.ReplaceAll(strings.TrimSuffix(h, "\r\n"), "\r\n\t", " "), "Authentication-Results: ")
	id, results, err := authres.Parse(v)
	if err != nil || id != "mx.acme.example" || len(results) != 3 {
		t.Fatalf("Parse = %q, %d results, %v", id, len(results), err)
	}
	// Unsigned mail says dkim=none; sender-controlled text cannot add lines.
	evil := &Result{SPF: authres.ResultPass, MailFrom: "a@x\r\nX-Evil: 1", DMARC: authres.ResultNone, DMARCReason: "a\nb"}
	h = evil.AuthResultsHeader("mx")
	if strings.Count(h, "\n") != strings.Count(h, "\r\n\t")+1 || strings.Contains(h, "X-Evil: 1\r\n") {
		t.Errorf("control characters leaked into the header: %q", h)
	}
	if !strings.Contains(h, "dkim=none") {
		t.Errorf("unsigned mail: %q lacks dkim=none", h)
	}
}

func TestStripOurAuthResults(t *testing.T) {
	raw := "Return-Path: <a@example.com>\r\n" +
		"Authentication-Results: mx.acme.example; dkim=pass header.d=bank.example\r\n" +
		"authentication-results: (forged) MX.ACME.EXAMPLE 1;\r\n\tspf=pass smtp.mailfrom=ceo@acme.example\r\n" +
		"Authentication-Results: mx.acme.example.evil; dkim=pass\r\n" +
		"Authentication-Results: upstream.example; spf=fail\r\n" +
		"X-Other: Authentication-Results: mx.acme.example\r\n" +
		"From: a@example.com\r\n" +
		"\r\n" +
		"Authentication-Results: mx.acme.example; body lines are not headers\r\n"
	got := string(StripOurAuthResults([]byte(raw), "mx.acme.example"))
	want := "Return-Path: <a@example.com>\r\n" +
		"Authentication-Results: mx.acme.example.evil; dkim=pass\r\n" +
		"Authentication-Results: upstream.example; spf=fail\r\n" +
		"X-Other: Authentication-Results: mx.acme.example\r\n" +
		"From: a@example.com\r\n" +
		"\r\n" +
		"Authentication-Results: mx.acme.example; body lines are not headers\r\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	lf := "Authentication-Results: mx.acme.example; spf=pass\nFrom: a@b\n\nbody\n"
	if got := string(StripOurAuthResults([]byte(lf), "mx.acme.example")); got != "From: a@b\n\nbody\n" {
		t.Errorf("LF mail: %q", got)
	}
	if got := StripOurAuthResults([]byte(want), ""); string(got) != want {
		t.Error("an empty authserv-id must change nothing")
	}
	noBody := "Authentication-Results: mx.acme.example; spf=pass\r\nFrom: a@b"
	if got := string(StripOurAuthResults([]byte(noBody), "mx.acme.example")); got != "From: a@b" {
		t.Errorf("header-only mail: %q", got)
	}
}

func TestStripKeepsDKIMValid(t *testing.T) {
	s := testSigner(t, "example.com")
	r := withKey(zones(nil), s)
	signed := sign(t, s, msg("a@example.com", "hi\r\n"))
	raw := append([]byte("Authentication-Results: mx.acme.example; dkim=pass\r\n"), signed...)
	stripped := StripOurAuthResults(raw, "mx.acme.example")
	if !bytes.Equal(stripped, signed) {
		t.Fatal("stripping changed more than our header")
	}
	res := Check(context.Background(), r, inside, "x", "a@example.com", stripped)
	if len(res.DKIM) != 1 || res.DKIM[0].Value != authres.ResultPass {
		t.Fatalf("DKIM after strip = %+v", res.DKIM)
	}
}

func TestHeaderOnlyAndGarbage(t *testing.T) {
	for _, raw := range []string{"", "\r\n", "no colon at all", "DKIM-Signature: v=1; garbage", "From: a@example.com"} {
		res := Check(t.Context(), zones(nil), inside, "x", "a@example.com", []byte(raw))
		if res == nil {
			t.Fatalf("%q: nil result", raw)
		}
	}
	res := Check(t.Context(), zones(nil), inside, "x", "a@example.com", []byte("DKIM-Signature: v=1; garbage"))
	if len(res.DKIM) != 1 || res.DKIM[0].Value != authres.ResultPermError {
		t.Errorf("unreadable signed mail: DKIM = %+v, want permerror", res.DKIM)
	}
}

func FuzzCheck(f *testing.F) {
	s := testSigner(f, "example.com")
	r := withKey(zones(nil), s)
	f.Add(msg("a@example.com", "hi\r\n"))
	f.Add(sign(f, s, msg("a@example.com", "hi\r\n")))
	f.Add([]byte("From: a@example.com, \"x\" <b@sub.example.com>\nAuthentication-Results: mx; spf=pass\n\n"))
	f.Add([]byte("DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=; b=\r\nFrom: (x) <@>\r\n\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		res := Check(context.Background(), r, inside, "x", "a@example.com", raw)
		_ = res.AuthResultsHeader("mx.acme.example")
		_ = res.Forged()
		_ = res.Aligned(res.FromDomain)
		out := StripOurAuthResults(raw, "mx")
		if len(out) > len(raw) {
			t.Fatal("stripping grew the message")
		}
	})
}

// Mail without an Authentication-Results header of ours comes back as it
// is, not copied: a copy of every message was a third of the allocation
// per 256 KB message in BenchmarkPipeline (issue 21).
func TestStripWithoutOursDoesNotCopy(t *testing.T) {
	raw := []byte("Authentication-Results: upstream.example; spf=pass\r\nFrom: a@b\r\n\r\n" + strings.Repeat("body line\r\n", 1000))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 20 {
		if out := StripOurAuthResults(raw, "mx.acme.example"); &out[0] != &raw[0] || len(out) != len(raw) {
			t.Fatal("mail without our header was changed")
		}
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / 20; per > uint64(len(raw))/4 {
		t.Errorf("%d bytes allocated per call for a %d-byte mail without our header: a copy", per, len(raw))
	}
	withOurs := append([]byte("Authentication-Results: mx.acme.example; spf=pass\r\n"), raw...)
	out := StripOurAuthResults(withOurs, "mx.acme.example")
	if !bytes.Equal(out, raw) || cap(out) != len(raw) {
		t.Errorf("stripped: len %d cap %d, want exactly the %d bytes of raw", len(out), cap(out), len(raw))
	}
}

// TestAlignedUnknown: a domain nothing vouched for whose SPF or DKIM
// lookup failed (temperror) is unknown; one that passed, or whose failed
// lookups were another organisation's, is not.
func TestAlignedUnknown(t *testing.T) {
	for _, c := range []struct {
		name string
		res  Result
		want bool
	}{
		{"spf temperror", Result{SPF: authres.ResultTempError, SPFDomain: "agents.example"}, true},
		{"spf temperror, subdomain", Result{SPF: authres.ResultTempError, SPFDomain: "mail.agents.example"}, true},
		{"dkim temperror", Result{SPF: authres.ResultNone, DKIM: []DKIMResult{{Value: authres.ResultTempError, Domain: "agents.example"}}}, true},
		{"spf pass", Result{SPF: authres.ResultPass, SPFDomain: "agents.example"}, false},
		{"temperror but dkim pass", Result{SPF: authres.ResultTempError, SPFDomain: "agents.example", DKIM: []DKIMResult{{Value: authres.ResultPass, Domain: "agents.example"}}}, false},
		{"another organisation's temperror", Result{SPF: authres.ResultTempError, SPFDomain: "other.example"}, false},
		{"spf fail", Result{SPF: authres.ResultFail, SPFDomain: "agents.example"}, false},
	} {
		if got := c.res.AlignedUnknown("agents.example"); got != c.want {
			t.Errorf("%s: AlignedUnknown = %v, want %v", c.name, got, c.want)
		}
	}
	var none *Result
	if none.AlignedUnknown("agents.example") {
		t.Error("a nil result is unknown")
	}
}
