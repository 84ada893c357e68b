package mailauth

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/ack"
	"github.com/frontdesk-mail/frontdesk/message"

	"github.com/emersion/go-msgauth/authres"
)

func writePEM(t *testing.T, typ string, der []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "key.pem")
	// A certificate before the key: bundles like this are common.
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("not parsed")})
	data = append(data, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})...)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadSigner(t *testing.T) {
	k := testRSAKey(t)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	ed8, err := x509.MarshalPKCS8PrivateKey(edKey)
	if err != nil {
		t.Fatal(err)
	}
	for name, file := range map[string]string{
		"PKCS#1 RSA":     writePEM(t, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k)),
		"PKCS#8 RSA":     writePEM(t, "PRIVATE KEY", pkcs8),
		"PKCS#8 Ed25519": writePEM(t, "PRIVATE KEY", ed8),
	} {
		t.Run(name, func(t *testing.T) {
			s, err := LoadSigner("Example.com", "sel", file)
			if err != nil {
				t.Fatal(err)
			}
			r := withKey(zones(nil), s)
			res := Check(t.Context(), r, inside, "x", "a@example.com", sign(t, s, msg("a@example.com", "hi\r\n")))
			if len(res.DKIM) != 1 || res.DKIM[0].Value != authres.ResultPass {
				t.Fatalf("DKIM = %+v", res.DKIM)
			}
		})
	}

	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ec8, _ := x509.MarshalPKCS8PrivateKey(ec)
	for name, tc := range map[string]struct{ file, want string }{
		"missing": {filepath.Join(t.TempDir(), "nope.pem"), "no such file"},
		"not PEM": {writeFile(t, "hello"), "no PEM private key"},
		"ECDSA":   {writePEM(t, "PRIVATE KEY", ec8), "unsupported key type"},
		"corrupt": {writePEM(t, "RSA PRIVATE KEY", []byte("junk")), "parse PKCS#1"},
		// openssl ecparam -genkey writes SEC1: a private key, of a kind
		// DKIM does not sign with, not a file without one.
		"SEC1 EC":            {writePEM(t, "EC PRIVATE KEY", sec1(t, ec)), "EC key: DKIM signs with RSA or Ed25519"},
		"PKCS#8 encrypted":   {writePEM(t, "ENCRYPTED PRIVATE KEY", []byte("sealed")), "encrypted with a passphrase"},
		"PKCS#1 encrypted":   {writeFile(t, "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nc2VhbGVk\n-----END RSA PRIVATE KEY-----\n"), "encrypted with a passphrase"},
		"only a certificate": {writeFile(t, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("x")}))), "no private key in it (found CERTIFICATE)"},
	} {
		_, err := LoadSigner("example.com", "sel", tc.file)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one mentioning %q", name, err, tc.want)
		}
	}
	// Go itself no longer makes keys under 1024 bits; a hand-built one
	// stands for an old key file.
	short := &rsa.PrivateKey{PublicKey: rsa.PublicKey{N: new(big.Int).Lsh(big.NewInt(1), 767), E: 65537}}
	if _, err := NewSigner("example.com", "sel", short); err == nil || !strings.Contains(err.Error(), "too short") {
		t.Errorf("768-bit RSA key: err = %v, want too short", err)
	}
	if _, err := NewSigner("", "sel", k); err == nil {
		t.Error("empty domain accepted")
	}
	var noKey crypto.Signer
	if _, err := NewSigner("example.com", "sel", noKey); err == nil {
		t.Error("nil key accepted")
	}
}

func sec1(t *testing.T, k *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func writeFile(t *testing.T, s string) string {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSignHeaders(t *testing.T) {
	s := testSigner(t, "example.com")
	lf := bytes.ReplaceAll(msg("a@example.com", "line one\r\nline two\r\n"), []byte("\r\n"), []byte("\n"))
	out := sign(t, s, lf)
	if bytes.Contains(bytes.ReplaceAll(out, []byte("\r\n"), nil), []byte("\n")) {
		t.Error("bare LF left in the signed message")
	}
	hdr := string(out[:bytes.Index(out, []byte("\r\n\r\n"))])
	for _, want := range []string{"DKIM-Signature:", "c=relaxed/relaxed", "a=rsa-sha256", "d=example.com", "s=sel"} {
		if !strings.Contains(hdr, want) {
			t.Errorf("signature lacks %q:\n%s", want, hdr)
		}
	}
	h := strings.ToLower(strings.Join(strings.Fields(hdr), ""))
	if !strings.Contains(h, "h=from:to:subject:date:message-id:in-reply-to:references:auto-submitted:mime-version:content-type") {
		t.Errorf("h= tag is not the signed header list:\n%s", hdr)
	}
	if _, err := s.Sign([]byte("From: a@example.com")); err == nil {
		t.Error("a message without a body separator was signed")
	}
}

// pyVerify is an independent DKIM verifier: Debian's python3-dkim, with a
// dnsfunc that answers the test's key records and nothing else — no
// network. It reads JSON cases from stdin and prints one verdict a line;
// one process for all cases, since importing dkim alone takes a second.
const pyVerify = `
import sys, json, base64, dkim
for c in json.load(sys.stdin):
    name, record = c["name"].encode(), c["record"].encode()
    def dnsfunc(q, timeout=5, name=name, record=record):
        return record if q.rstrip(b'.').lower() == name.lower() else None
    ok = dkim.verify(base64.b64decode(c["msg"]), dnsfunc=dnsfunc)
    print("PASS" if ok else "FAIL")
`

type pyCase struct {
	Name   string `json:"name"`
	Record string `json:"record"`
	Msg    []byte `json:"msg"` // base64 in JSON
	label  string
	want   string
}

func pythonDKIM(t *testing.T) string {
	t.Helper()
	const py = "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import dkim, nacl").Run(); err != nil {
		msg := "python3-dkim (Debian's /usr/bin/python3 with dkim and nacl) is not available: " + err.Error()
		if os.Getenv("FRONTDESK_INTEGRATION") == "require" {
			t.Fatalf("%s, and FRONTDESK_INTEGRATION=require is set (install python3-dkim python3-nacl)", msg)
		}
		t.Skipf("%s; skipping (set FRONTDESK_INTEGRATION=require to make this a failure)", msg)
	}
	return py
}

func runPy(t *testing.T, py string, cases []pyCase) {
	t.Helper()
	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", pyVerify)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("python3 dkim: %v\n%s", err, out)
	}
	got := strings.Fields(string(out))
	if len(got) != len(cases) {
		t.Fatalf("python3 dkim printed %q for %d cases", out, len(cases))
	}
	for i, c := range cases {
		if got[i] != c.want {
			t.Errorf("%s: python3-dkim says %s, want %s", c.label, got[i], c.want)
		}
	}
}

func TestIndependentVerifierPythonDKIM(t *testing.T) {
	py := pythonDKIM(t)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	ed, err := NewSigner("example.com", "ed", edKey)
	if err != nil {
		t.Fatal(err)
	}
	raw := []byte("From: \"Customer Support\" <support@acme.example>\r\n" +
		"To: Li Wei <li.wei@example.cn>\r\n" +
		"Subject: =?utf-8?b?W1NVUC0xMDQyXSBSZTog5oiR55qE6K6i5Y2V?=\r\n" +
		"Date: Mon, 23 Nov 2026 10:00:00 +0800\r\n" +
		"Message-ID: <ack.abc@mx.acme.example>\r\n" +
		"In-Reply-To: <c1@example.cn>\r\n" +
		"References:  <c0@example.cn>\r\n  <c1@example.cn>\r\n" +
		"Auto-Submitted: auto-replied\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain;   charset=utf-8\r\n" +
		"\r\n" +
		"您好，\r\n我们已收到您的邮件。   \r\n\r\n\r\n")
	var cases []pyCase
	for _, s := range []*Signer{testSigner(t, "acme.example"), ed} {
		signed := sign(t, s, raw)
		add := func(label, want string, m []byte) {
			cases = append(cases, pyCase{Name: s.DNSName(), Record: s.DNSRecord(), Msg: m, label: s.DNSRecord()[:18] + ": " + label, want: want})
		}
		add("our signature", "PASS", signed)
		// The verifier is not vacuous: a changed body fails.
		add("tampered body", "FAIL", bytes.Replace(signed, []byte("收到"), []byte("拒绝"), 1))
		// Relaxed canonicalisation: refolding a header in transit is fine.
		add("refolded subject", "PASS", bytes.Replace(signed, []byte("Subject: =?utf-8"), []byte("Subject:\r\n =?utf-8"), 1))
		// Auto-Submitted is signed: a second one added in transit (to make
		// the acknowledgement look human-written) breaks the signature.
		add("second Auto-Submitted added", "FAIL", bytes.Replace(signed, []byte("MIME-Version"), []byte("Auto-Submitted: no\r\nMIME-Version"), 1))
	}
	// A real acknowledgement as ack.Build writes it, signed by the key
	// the config would load: what customers' providers will verify.
	m, err := message.Parse([]byte("From: =?utf-8?b?5p2O5Lyf?= <li.wei@example.cn>\r\nSubject: =?utf-8?b?5oiR55qE6K6i5Y2V?=\r\n" +
		"Message-ID: <c1@example.cn>\r\n\r\n我的订单还没有到。\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	tm, err := ack.Load("")
	if err != nil {
		t.Fatal(err)
	}
	ackMail, err := ack.Build(tm, ack.Input{
		DepartmentName: "客户服务", DepartmentAddress: "support@acme.example", Original: m, TicketTag: "SUP-1042",
		Due: time.Date(2026, 11, 24, 10, 0, 0, 0, time.FixedZone("CST", 8*3600)), Hostname: "mx.acme.example",
		FAQ: []ack.Link{{Title: "订单查询", URL: "https://help.acme.example/faq/orders"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := testSigner(t, "acme.example")
	cases = append(cases, pyCase{Name: s.DNSName(), Record: s.DNSRecord(), Msg: sign(t, s, ackMail), label: "ack.Build output", want: "PASS"})
	runPy(t, py, cases)
}
