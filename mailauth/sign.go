package mailauth

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/emersion/go-msgauth/dkim"
)

// SignedHeaders are the fields a signature covers. Those that decide how a
// reader and a mail client treat the message are here: who it is from and
// to, what it says it is, which thread it joins, and Auto-Submitted, whose
// removal would turn our acknowledgement into mail other systems answer.
// A listed field the message lacks is signed as absent, so it cannot be
// added in transit either.
var SignedHeaders = []string{
	"From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
	"Auto-Submitted", "MIME-Version", "Content-Type",
}

// minRSABits is the floor of RFC 8301 §3.2: verifiers (go-msgauth among
// them) reject signatures made with shorter keys.
const minRSABits = 1024

// Signer DKIM-signs outbound mail for one domain and selector.
type Signer struct {
	domain, selector string
	key              crypto.Signer
}

// NewSigner returns a Signer using key, an *rsa.PrivateKey of at least
// 1024 bits or an ed25519.PrivateKey.
func NewSigner(domain, selector string, key crypto.Signer) (*Signer, error) {
	if domain == "" || selector == "" {
		return nil, errors.New("dkim signer: domain and selector are required")
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if k.N.BitLen() < minRSABits {
			return nil, fmt.Errorf("dkim signer: RSA key of %d bits is too short (RFC 8301 needs at least %d)", k.N.BitLen(), minRSABits)
		}
	case ed25519.PrivateKey:
	case nil:
		return nil, errors.New("dkim signer: no key")
	default:
		return nil, fmt.Errorf("dkim signer: unsupported key type %T (want RSA or Ed25519)", key)
	}
	return &Signer{domain: strings.ToLower(domain), selector: selector, key: key}, nil
}

// LoadSigner reads a PEM private key — PKCS#1 "RSA PRIVATE KEY" or PKCS#8
// "PRIVATE KEY" holding RSA or Ed25519 — and returns a Signer for it.
func LoadSigner(domain, selector, keyFile string) (*Signer, error) {
	data, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("dkim key: %w", err)
	}
	key, err := parseKey(data)
	if err != nil {
		return nil, fmt.Errorf("dkim key %s: %w", keyFile, err)
	}
	s, err := NewSigner(domain, selector, key)
	if err != nil {
		return nil, fmt.Errorf("dkim key %s: %w", keyFile, err)
	}
	return s, nil
}

func parseKey(data []byte) (crypto.Signer, error) {
	var found []string
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			if len(found) == 0 {
				return nil, errors.New("no PEM private key block found")
			}
			return nil, fmt.Errorf("no private key in it (found %s): want a PEM RSA or Ed25519 private key", strings.Join(found, ", "))
		}
		if strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") || block.Type == "ENCRYPTED PRIVATE KEY" {
			return nil, errors.New("the key is encrypted with a passphrase, which the gateway cannot ask for: write it unencrypted (openssl pkey -in KEY -out KEY.plain) and keep that file readable only by the gateway")
		}
		switch block.Type {
		case "RSA PRIVATE KEY":
			k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("parse PKCS#1 key: %w", err)
			}
			return k, nil
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("parse PKCS#8 key: %w", err)
			}
			s, ok := k.(crypto.Signer)
			if !ok {
				return nil, fmt.Errorf("PKCS#8 key of type %T cannot sign", k)
			}
			return s, nil
		case "EC PRIVATE KEY":
			return nil, errors.New("an EC key: DKIM signs with RSA or Ed25519 only (RFC 8463); make one with openssl genpkey -algorithm ed25519 or -algorithm rsa")
		}
		// Other blocks (EC parameters, certificates) are skipped: key
		// files often bundle them.
		found = append(found, block.Type)
	}
}

// Domain is the d= of the signatures.
func (s *Signer) Domain() string { return s.domain }

// Selector is the s= of the signatures.
func (s *Signer) Selector() string { return s.selector }

// DNSName is where the public key must be published.
func (s *Signer) DNSName() string { return s.selector + "._domainkey." + s.domain }

// DNSRecord is the TXT record to publish at DNSName.
func (s *Signer) DNSRecord() string {
	switch pub := s.key.Public().(type) {
	case *rsa.PublicKey:
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			// Cannot happen for a key NewSigner accepted.
			panic(fmt.Sprintf("marshal RSA public key: %v", err))
		}
		return "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der)
	case ed25519.PublicKey:
		return "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub)
	}
	return ""
}

// Sign returns raw with a DKIM-Signature field prepended (relaxed/relaxed,
// SHA-256, SignedHeaders). Bare LF line endings are made CRLF first: the
// signature must cover the bytes that go on the wire, and SMTP sends CRLF.
func (s *Signer) Sign(raw []byte) ([]byte, error) {
	msg := toCRLF(raw)
	if !bytes.Contains(msg, []byte("\r\n\r\n")) {
		return nil, errors.New("dkim sign: message has no header/body separator")
	}
	signer, err := dkim.NewSigner(&dkim.SignOptions{
		Domain:                 s.domain,
		Selector:               s.selector,
		Signer:                 s.key,
		Hash:                   crypto.SHA256,
		HeaderCanonicalization: dkim.CanonicalizationRelaxed,
		BodyCanonicalization:   dkim.CanonicalizationRelaxed,
		HeaderKeys:             SignedHeaders,
	})
	if err != nil {
		return nil, fmt.Errorf("dkim sign: %w", err)
	}
	if _, err := signer.Write(msg); err != nil {
		signer.Close()
		return nil, fmt.Errorf("dkim sign: %w", err)
	}
	if err := signer.Close(); err != nil {
		return nil, fmt.Errorf("dkim sign: %w", err)
	}
	sig := signer.Signature()
	out := make([]byte, 0, len(sig)+len(msg))
	return append(append(out, sig...), msg...), nil
}

// toCRLF turns every bare LF into CRLF and leaves CRLF alone.
func toCRLF(b []byte) []byte {
	n := bytes.Count(b, []byte("\n")) - bytes.Count(b, []byte("\r\n"))
	if n == 0 {
		return b
	}
	out := make([]byte, 0, len(b)+n)
	for i, c := range b {
		if c == '\n' && (i == 0 || b[i-1] != '\r') {
			out = append(out, '\r')
		}
		out = append(out, c)
	}
	return out
}
