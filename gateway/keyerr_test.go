package gateway

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/config"
)

// A file the config names that is missing or bad stops serve with an
// error at the key's value in the config file, "frontdesk.yaml:L:C: key:
// …", like every other config error (audit 2, F11); a users file's own
// bad line keeps its place in that file.
func TestFileKeyErrorsAtTheKey(t *testing.T) {
	dir := t.TempDir()
	certPEM, keyPEM := selfSigned(t)
	_, otherKey := selfSigned(t)
	for name, content := range map[string]string{
		"cert.pem": certPEM, "key.pem": keyPEM, "other-key.pem": otherKey, "junk.pem": "not PEM at all\n",
		"empty.passwd": "# agents: none yet\n", "bad.passwd": "alice:notahash\n",
		"dkim.pub":    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n",
		"empty.token": "\n", "bad.yaml": "x: [\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	users := func(file string) string {
		return "submission:\n  listen: \"127.0.0.1:0\"\n  users_file: " + file + "\n  allow_insecure_auth: true\n"
	}
	dkim := func(file string) string {
		return "outbound:\n  dkim:\n    domain: support.test\n    selector: s1\n    key_file: " + file + "\n"
	}
	tlsFiles := func(cert, key string) string {
		return "smtp:\n  listen: \"127.0.0.1:0\"\n  tls:\n    cert_file: " + cert + "\n    key_file: " + key + "\n"
	}
	token := func(file string) string {
		return "http:\n  listen: \"127.0.0.1:0\"\n  api_token_file: " + file + "\n"
	}
	cfgFile := filepath.Join(dir, "frontdesk.yaml")
	cases := []struct {
		name, block string
		prefix      string // after the config file's name
		has         string
	}{
		{"users file missing", users("nope.passwd"), ":6:15: submission.users_file: open ", "nope.passwd: no such file or directory"},
		{"users file without agents", users("empty.passwd"), ":6:15: submission.users_file: ", "empty.passwd: no agents:"},
		{"dkim key missing", dkim("nokey.pem"), ":8:15: outbound.dkim.key_file: open ", "nokey.pem: no such file or directory"},
		{"dkim key not PEM", dkim("junk.pem"), ":8:15: outbound.dkim.key_file: ", "junk.pem: no PEM private key block found"},
		{"dkim key a public key", dkim("dkim.pub"), ":8:15: outbound.dkim.key_file: ", "dkim.pub: no private key in it (found PUBLIC KEY)"},
		{"tls cert missing", tlsFiles("nocert.pem", "key.pem"), ":7:16: smtp.tls.cert_file: open ", "nocert.pem: no such file or directory"},
		{"tls key missing", tlsFiles("cert.pem", "nokey.pem"), ":8:15: smtp.tls.key_file: open ", "nokey.pem: no such file or directory"},
		{"tls cert not PEM", tlsFiles("junk.pem", "key.pem"), ":7:16: smtp.tls.cert_file: ", "junk.pem: tls: failed to find any PEM data in certificate input"},
		{"tls key is the certificate", tlsFiles("cert.pem", "cert.pem"), ":8:15: smtp.tls.key_file: ", "cert.pem: tls: found a certificate rather than a key"},
		{"tls key of another certificate", tlsFiles("cert.pem", "other-key.pem"), ":8:15: smtp.tls.key_file: ", "other-key.pem: tls: private key does not match public key"},
		{"api token file missing", token("notoken"), ":6:19: http.api_token_file: open ", "notoken: no such file or directory"},
		{"api token file empty", token("empty.token"), ":6:19: http.api_token_file: ", "empty.token is empty"},
		{"rules file missing", "rules_file: norules.yaml\n", ":4:13: rules_file: open ", "norules.yaml: no such file or directory"},
		{"faq file missing", "faq_file: nofaq.yaml\n", ":4:11: faq_file: open ", "nofaq.yaml: no such file or directory"},
		{"templates dir missing", "templates_dir: nodir\n", ":4:16: templates_dir: stat ", "nodir: no such file or directory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := "hostname: frontdesk.test\ndomains: [support.test]\ndata_dir: data-" + strings.ReplaceAll(c.name, " ", "-") + "\n" + c.block
			if !strings.Contains(c.block, "smtp:") {
				src += "smtp: {listen: \"127.0.0.1:0\"}\n"
			}
			if !strings.Contains(c.block, "http:") {
				src += "http: {listen: \"127.0.0.1:0\"}\n"
			}
			if err := os.WriteFile(cfgFile, []byte(src), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(cfgFile)
			if err != nil {
				t.Fatal(err)
			}
			g, err := New(context.Background(), Options{Config: cfg, Registry: prometheus.NewRegistry(), Logger: testLogger(t)})
			if err == nil {
				g.Close()
				t.Fatalf("serve started with %s", c.name)
			}
			if !strings.HasPrefix(err.Error(), cfgFile+c.prefix) || !strings.Contains(err.Error(), c.has) {
				t.Errorf("error %q;\nwant it to start %q and hold %q", err, cfgFile+c.prefix, c.has)
			}
		})
	}

	// A named file's own bad lines keep their places in it.
	for _, c := range []struct{ block, want string }{
		{users("bad.passwd"), filepath.Join(dir, "bad.passwd") + ":1:7: "},
		{"rules_file: bad.yaml\n", filepath.Join(dir, "bad.yaml") + ":1:4: "},
		{"faq_file: bad.yaml\n", filepath.Join(dir, "bad.yaml") + ":1:4: "},
	} {
		src := "hostname: frontdesk.test\ndomains: [support.test]\ndata_dir: data-bad\n" + c.block + "smtp: {listen: \"127.0.0.1:0\"}\nhttp: {listen: \"127.0.0.1:0\"}\n"
		if err := os.WriteFile(cfgFile, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(cfgFile)
		if err != nil {
			t.Fatal(err)
		}
		if g, err := New(context.Background(), Options{Config: cfg, Registry: prometheus.NewRegistry(), Logger: testLogger(t)}); err == nil {
			g.Close()
			t.Fatalf("serve started with %q", c.block)
		} else if !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: error %q; want it to start %q", c.block, err, c.want)
		}
	}
}

// fileKeyError without a config file (the defaults) names the key alone
// and keeps the error it wraps.
func TestFileKeyErrorWithoutConfigFile(t *testing.T) {
	_, err := os.ReadFile(filepath.Join(t.TempDir(), "nope.pem"))
	got := fileKeyError(config.Default(), err, "smtp", "tls", "cert_file")
	if !strings.HasPrefix(got.Error(), "smtp.tls.cert_file: open ") || !os.IsNotExist(unwrapAll(got)) {
		t.Errorf("fileKeyError = %v; want smtp.tls.cert_file: open …, wrapping the not-exist error", got)
	}
	if fileKeyError(config.Default(), nil, "x") != nil {
		t.Error("fileKeyError(nil) is not nil")
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok || u.Unwrap() == nil {
			return err
		}
		err = u.Unwrap()
	}
}

// selfSigned is a throwaway certificate and its key, PEM.
func selfSigned(t *testing.T) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "frontdesk.test"}, DNSNames: []string{"frontdesk.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})), string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}))
}
