package web

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

func TestTokensRoundTrip(t *testing.T) {
	tk := NewTokens(bytes.Repeat([]byte{1}, 32))
	safe := regexp.MustCompile(`^[A-Za-z0-9_~-]+\.[A-Za-z0-9_-]+$`)
	for _, id := range []string{"t1", "01JABCDEF0123456789XYZ", "SUP-1042", "a.b", "../x", "日本", "~x", "with space", "x/y?z#w", strings.Repeat("z", 100)} {
		tok := tk.Sign(id)
		if !safe.MatchString(tok) {
			t.Errorf("%q: token %q is not URL-safe", id, tok)
		}
		mac := tok[strings.LastIndexByte(tok, '.')+1:]
		if b, _ := base64.RawURLEncoding.DecodeString(mac); len(b)*8 < 128 {
			t.Errorf("%q: %d-bit MAC", id, len(b)*8)
		}
		got, ok := tk.Verify(tok)
		if !ok || got != id {
			t.Errorf("%q: Verify(%q) = %q, %v", id, tok, got, ok)
		}
		if _, ok := NewTokens(bytes.Repeat([]byte{2}, 32)).Verify(tok); ok {
			t.Errorf("%q: verified under another key", id)
		}
	}
	// one id, one spelling: a plain id base64-encoded is not accepted
	tok := tk.Sign("t1")
	mac := tok[strings.LastIndexByte(tok, '.'):]
	if _, ok := tk.Verify("~" + base64.RawURLEncoding.EncodeToString([]byte("t1")) + mac); ok {
		t.Errorf("alternate spelling accepted")
	}
	if got := tk.URL("http://help.test/", "t1", "zh-CN"); got != "http://help.test/t/"+tok+"?lang=zh" {
		t.Errorf("URL %q", got)
	}
	if got := tk.URL("http://help.test", "t1", "en"); got != "http://help.test/t/"+tok {
		t.Errorf("URL %q", got)
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	dir := t.TempDir()
	k1, err := LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(k1) != 32 {
		t.Fatalf("%d bytes", len(k1))
	}
	fi, err := os.Stat(filepath.Join(dir, "status.key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("%v %v", fi.Mode(), err)
	}
	k2, err := LoadOrCreateKey(dir)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("second load differs: %v", err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("leftover files: %v", ents)
	}
	// a damaged key is an error, never replaced
	os.WriteFile(filepath.Join(dir, "status.key"), []byte("short"), 0o600)
	if _, err := LoadOrCreateKey(dir); err == nil {
		t.Errorf("short key accepted")
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "status.key")); string(b) != "short" {
		t.Errorf("damaged key overwritten")
	}
	// racing creators agree
	dir = t.TempDir()
	var wg sync.WaitGroup
	keys := make([][]byte, 8)
	for i := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := LoadOrCreateKey(dir)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		}()
	}
	wg.Wait()
	for _, k := range keys[1:] {
		if !bytes.Equal(k, keys[0]) {
			t.Fatalf("racing creators got different keys")
		}
	}
	if _, err := LoadOrCreateKey(filepath.Join(dir, "missing")); err == nil {
		t.Errorf("missing dir: no error")
	}
}
