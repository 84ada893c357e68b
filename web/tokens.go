package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	mlang "github.com/frontdesk-mail/frontdesk/message"
)

// KeyFile is the name of the status-link key in the data directory.
const KeyFile = "status.key"

// keySize is the size of a generated key: 256 bits, HMAC-SHA256's block
// strength.
const keySize = 32

// macSize is how much of the HMAC-SHA256 a token carries: 18 bytes, 144
// bits, 24 characters of base64url. Far beyond guessing at any rate a web
// server answers, short enough for a link in a mail.
const macSize = 18

// maxTokenLen bounds what Verify looks at.
const maxTokenLen = 512

// Tokens signs ticket ids into status-link tokens and verifies them. It is
// safe for concurrent use.
type Tokens struct {
	key []byte
}

// NewTokens returns a signer with key (use LoadOrCreateKey). It panics on a
// key shorter than 16 bytes, which would be a wiring mistake.
func NewTokens(key []byte) *Tokens {
	if len(key) < 16 {
		panic("web: status-link key shorter than 16 bytes")
	}
	return &Tokens{key: append([]byte(nil), key...)}
}

func (t *Tokens) mac(id string) []byte {
	m := hmac.New(sha256.New, t.key)
	// domain separation: the key signs status links and nothing else
	m.Write([]byte("frontdesk status link v1\x00"))
	m.Write([]byte(id))
	return m.Sum(nil)[:macSize]
}

// Sign returns the token for a ticket id: the id, ".", and the MAC in
// base64url. An id that is not made of URL-safe characters (letters,
// digits, '-', '_') is base64url-encoded behind a '~', so a token is
// always one clean path segment.
func (t *Tokens) Sign(ticketID string) string {
	return encodeID(ticketID) + "." + base64.RawURLEncoding.EncodeToString(t.mac(ticketID))
}

// Verify returns the ticket id a token was signed for, or ok=false for a
// malformed, truncated or tampered token. The MAC is compared in constant
// time.
func (t *Tokens) Verify(token string) (ticketID string, ok bool) {
	if len(token) == 0 || len(token) > maxTokenLen {
		return "", false
	}
	i := strings.LastIndexByte(token, '.')
	if i <= 0 {
		return "", false
	}
	id, ok := decodeID(token[:i])
	if !ok {
		return "", false
	}
	got, err := base64.RawURLEncoding.Strict().DecodeString(token[i+1:])
	if err != nil || len(got) != macSize {
		return "", false
	}
	if !hmac.Equal(got, t.mac(id)) {
		return "", false
	}
	return id, true
}

// URL is the status link for a ticket: publicURL + "/t/" + token, with
// ?lang=zh when the customer writes Chinese, so the page opens in their
// language whatever their browser says.
func (t *Tokens) URL(publicURL, ticketID string, lang mlang.Language) string {
	u := strings.TrimRight(publicURL, "/") + "/t/" + t.Sign(ticketID)
	if l, _ := parseLang(string(lang)); l == mlang.Chinese {
		u += "?lang=zh"
	}
	return u
}

func plainID(id string) bool {
	if id == "" || id[0] == '~' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func encodeID(id string) string {
	if plainID(id) {
		return id
	}
	return "~" + base64.RawURLEncoding.EncodeToString([]byte(id))
}

func decodeID(s string) (string, bool) {
	if rest, ok := strings.CutPrefix(s, "~"); ok {
		b, err := base64.RawURLEncoding.Strict().DecodeString(rest)
		if err != nil || len(b) == 0 || plainID(string(b)) {
			return "", false // one id, one spelling
		}
		return string(b), true
	}
	if !plainID(s) {
		return "", false
	}
	return s, true
}

// LoadOrCreateKey returns the status-link key kept in
// <dataDir>/status.key, creating it once with 32 random bytes, mode 0600.
// The file appears atomically (written to a temporary file, fsynced and
// hard-linked into place), so a crash never leaves a short key and two
// processes starting at once end up with the same key. A key file of the
// wrong size is an error, never silently replaced: replacing it would
// break every status link already mailed.
func LoadOrCreateKey(dataDir string) ([]byte, error) {
	path := filepath.Join(dataDir, KeyFile)
	if key, err := readKey(path); !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	key := make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dataDir, ".status.key-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, err
	}
	if _, err := tmp.Write(key); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readKey(path) // another process won the race
		}
		return nil, err
	}
	if d, err := os.Open(dataDir); err == nil {
		d.Sync()
		d.Close()
	}
	return key, nil
}

func readKey(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(key) != keySize {
		return nil, fmt.Errorf("%s: %d bytes, want %d (a status-link key; delete it only if you accept that every status link already sent stops working)", path, len(key), keySize)
	}
	return key, nil
}
