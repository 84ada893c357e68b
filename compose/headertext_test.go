package compose

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"net/mail"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/frontdesk-mail/frontdesk/mailauth"
)

// Issue 17: an acknowledgement repeats the customer's subject and name. A
// 1.9 MB subject (100,000 encoded words) became a Subject field of tens of
// thousands of folded lines, and signing it cost the queue a CPU for
// seconds (go-msgauth's signer reads a field in time quadratic in its
// lines). Subject and names are cut to MaxHeaderText; the header stays a
// few lines long and signing it is cheap.
func TestStrangersHeaderTextIsBounded(t *testing.T) {
	subject := strings.Repeat("é ", 100000)
	name := strings.Repeat("Bob ", 100000)
	m := &Mail{From: mail.Address{Name: "Customer Support", Address: "support@acme.example"},
		To:        []mail.Address{{Name: name, Address: "bob@example.com"}},
		Subject:   "[SUP-1000] Re: " + subject,
		MessageID: "ack.1@mx.acme.example", Date: now, Text: []byte("Hello Bob\n")}
	raw, err := m.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	p := read(t, raw)
	got := p.env.GetHeader("Subject")
	if !strings.HasPrefix(got, "[SUP-1000] Re: é é") || !strings.HasSuffix(got, "…") || len(got) > MaxHeaderText || !utf8.ValidString(got) {
		t.Errorf("Subject of %d bytes: %.60q…%q", len(got), got, got[max(0, len(got)-20):])
	}
	to, err := mail.ParseAddress(p.hdr.Get("To"))
	if err != nil || to.Address != "bob@example.com" || len(to.Name) > MaxHeaderText {
		t.Errorf("To: %v, name of %d bytes", err, len(to.Name))
	}
	head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
	if n := bytes.Count(head, []byte("\r\n")); n > 200 {
		t.Errorf("the header has %d lines", n)
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := mailauth.NewSigner("acme.example", "sel", key)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	if _, err := s.Sign(raw); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(t0); d > time.Second {
		t.Errorf("signing took %v", d)
	}
	// Short text is written whole.
	if h := headerText(" a\r\nb  c "); h != "a b c" {
		t.Errorf("headerText = %q", h)
	}
}
