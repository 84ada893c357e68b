package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDefaultIsValid(t *testing.T) {
	cfg, err := Parse("empty.yaml", []byte("{}\n"))
	if err != nil {
		t.Fatalf("defaults do not validate: %v", err)
	}
	if cfg.SMTP.Listen != "127.0.0.1:2525" || cfg.HTTP.Listen != "127.0.0.1:8025" || cfg.Domains[0] != "support.localhost" {
		t.Errorf("unexpected defaults: %+v", cfg)
	}
	if !cfg.Store.Sync() {
		t.Error("sync_writes must default to true")
	}
	if cfg.SMTP.LargeMessages != 32 {
		t.Errorf("smtp.large_messages default %d, want 32", cfg.SMTP.LargeMessages)
	}
	if cfg.SMTP.MaxConnectionsPerIP != 20 || cfg.SMTP.ProgressTimeout.D() != 5*time.Minute {
		t.Errorf("per-address cap %d, progress timeout %v; want 20 and 5m", cfg.SMTP.MaxConnectionsPerIP, cfg.SMTP.ProgressTimeout.D())
	}
}

func TestParseOverrides(t *testing.T) {
	src := `hostname: mx.acme-appliances.example
domains: [acme-appliances.example]
data_dir: data
smtp:
  listen: 127.0.0.1:2626
  max_message_bytes: 1048576
  read_timeout: 2m
relay:
  target: lmtp://127.0.0.1:24
rules_file: rules.yaml
`
	cfg, err := Parse("/etc/frontdesk/frontdesk.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SMTP.ReadTimeout.D() != 2*time.Minute || cfg.SMTP.MaxMessageBytes != 1<<20 || cfg.Relay.Target != "lmtp://127.0.0.1:24" {
		t.Errorf("overrides not applied: %+v", cfg.SMTP)
	}
	if cfg.RulesFile != filepath.Join("/etc/frontdesk", "rules.yaml") || cfg.DataDir != "/etc/frontdesk/data" {
		t.Errorf("paths not resolved: %q %q", cfg.RulesFile, cfg.DataDir)
	}
	if cfg.SMTP.MaxRecipients != 50 {
		t.Errorf("unset key lost its default: %d", cfg.SMTP.MaxRecipients)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string
	}{
		{"unknown top key", "hostnme: x\n", []string{`f.yaml:1:1: unknown key "hostnme" (did you mean "hostname"?)`}},
		{"yaml tab", "smtp:\n  listen: 127.0.0.1:25\n\tmax_recipients: 5\n", []string{"f.yaml:3:1: found character '\t' that cannot start any token"}},
		{"yaml control character", "hostname: mx\x07.example\n", []string{`f.yaml:1:13: control characters are not allowed`}},
		{"unknown nested key", "smtp:\n  listen: 127.0.0.1:25\n  max_mesage_bytes: 5\n", []string{`f.yaml:3:3: unknown key "smtp.max_mesage_bytes" (did you mean "max_message_bytes"?)`}},
		{"bad int", "smtp:\n  max_recipients: many\n", []string{`f.yaml:2:19: smtp.max_recipients: want a whole number, got "many"`}},
		{"bad duration", "smtp:\n  read_timeout: soon\n", []string{`f.yaml:2:17: smtp.read_timeout: bad duration "soon"`}},
		{"bad target", "relay:\n  target: ftp://x\n", []string{`f.yaml:2:11: relay.target: "ftp://x" is not maildir`}},
		{"bad listen", "smtp:\n  listen: 2525\n", []string{`f.yaml:2:11: smtp.listen: "2525" is not host:port`}},
		// Links are the public_url with a path appended: a query or a
		// fragment broke every link in mail; user info put a password in
		// every customer's mail.
		{"public_url with a query", "http:\n  public_url: https://help.example/x?a=1\n", []string{`f.yaml:2:15: http.public_url: "https://help.example/x?a=1" has a query or fragment; links in mail are built by appending a path to it`}},
		{"public_url with a fragment", "http:\n  public_url: https://help.example/#top\n", []string{`f.yaml:2:15: http.public_url: "https://help.example/#top" has a query or fragment`}},
		{"public_url with a password", "http:\n  public_url: https://u:secret@help.example\n", []string{`f.yaml:2:15: http.public_url: has a user name or password, which would be in every link mailed to customers`}},
		{"two errors", "hostnme: x\nsmtp: {listen: [a]}\n", []string{"f.yaml:1:1:", "f.yaml:2:16: smtp.listen: want a single value"}},
		{"no domains", "domains: []\n", []string{"f.yaml:1:10: domains: at least one"}},
		{"tag prefix", "tickets: {tag_prefix: sup}\n", []string{`f.yaml:1:23: tickets.tag_prefix: "sup"`}},
		{"yaml syntax", "smtp: [\n", []string{"f.yaml:"}},
		{"bad memory_limit", "memory_limit: lots\n", []string{`f.yaml:1:15: memory_limit: "lots" is not a size (e.g. 256MiB, 1GiB, 0)`}},
		{"memory_limit percent", "memory_limit: 50%\n", []string{`f.yaml:1:15: memory_limit: "50%" is not a size`}},
		{"memory_limit too small", "memory_limit: 1MiB\n", []string{`f.yaml:1:15: memory_limit: "1MiB" is too small (0 for none, or at least 64MiB)`}},
		{"unknown backend", "store:\n  backend: mysql\n", []string{`f.yaml:2:12: store.backend: "mysql" is not badger or postgres`}},
		{"postgres without dsn", "store:\n  backend: postgres\n", []string{`f.yaml:2:12: store.dsn: needed with store.backend postgres`}},
		{"dsn with badger", "store:\n  dsn: postgres://u@h/db\n", []string{`f.yaml:2:8: store.dsn: only for store.backend postgres`}},
		{"dsn not postgres", "store: {backend: postgres, dsn: \"mysql://u:hunter2@h/db\"}\n", []string{`f.yaml:1:33: store.dsn: the URL scheme mysql:// is not postgres:// or postgresql://`}},
		{"dsn unparseable", "store:\n  backend: postgres\n  dsn: \"postgres://u:hunter2@h:port/db\"\n", []string{`f.yaml:3:8: store.dsn: cannot parse`}},
		{"dsn bad sslmode", "store:\n  backend: postgres\n  dsn: host=h password=hunter2 sslmode=sometimes\n", []string{`f.yaml:3:8: store.dsn: cannot parse`}},
		{"bad min_free", "store:\n  min_free: lots\n", []string{`f.yaml:2:13: store.min_free: "lots" is not a size`}},
		{"negative inline_mail", "store:\n  inline_mail: -1\n", []string{`f.yaml:2:16: store.inline_mail: -1 is not between 0 (spool every mail) and 1048576 bytes`}},
		{"min_free percent", "store: {min_free: 120%}\n", []string{`f.yaml:1:19: store.min_free: "120%" is not a percentage`}},
		{"private addresses not a bool", "outbound:\n  target: mx\n  allow_private_addresses: sometimes\n",
			[]string{`f.yaml:3:28: outbound.allow_private_addresses: want true or false, got "sometimes"`}},
		{"private addresses without mx", "outbound: {target: maildir, allow_private_addresses: true}\n",
			[]string{`f.yaml:1:54: outbound.allow_private_addresses: applies to target mx only (target is "maildir")`}},
		{"hostname with a header in it", "hostname: \"evil\\r\\nX-Injected: 1\"\n", []string{`f.yaml:1:11: hostname: "evil\r\nX-Injected: 1" is not a domain name`}},
		{"hostname with a space", "hostname: mx example\n", []string{`f.yaml:1:11: hostname: "mx example" is not a domain name`}},
		{"domain with a newline", "domains: [\"a.example\\n\"]\n", []string{`f.yaml:1:11: domains: "a.example\n" is not a domain name`}},
		{"authserv_id", "auth: {authserv_id: \"a;b\"}\n", []string{`f.yaml:1:21: auth.authserv_id: "a;b" is not a domain name`}},
		{"listen port out of range", "smtp:\n  listen: 127.0.0.1:99999\n", []string{`f.yaml:2:11: smtp.listen: "127.0.0.1:99999": port "99999" is not a number from 0 to 65535`}},
		{"listen port by name", "http:\n  listen: 127.0.0.1:http\n", []string{`f.yaml:2:11: http.listen: "127.0.0.1:http": port "http" is not a number`}},
		{"listen host", "submission:\n  listen: \"a b:25\"\n  users_file: u\n", []string{`f.yaml:2:11: submission.listen: "a b:25": "a b" is not an IP address or a host name`}},
		{"dns_server port 0", "auth: {dns_server: \"127.0.0.1:0\"}\n", []string{`f.yaml:1:20: auth.dns_server: "127.0.0.1:0": port "0" is not a number from 1 to 65535`}},
		{"outbound smtp without host", "outbound:\n  target: smtp://\n", []string{`f.yaml:2:11: outbound.target: "smtp://" is not maildir, mx or smtp://host:port`}},
		{"outbound lmtp", "outbound:\n  target: lmtp://127.0.0.1:24\n", []string{`f.yaml:2:11: outbound.target: "lmtp://127.0.0.1:24" is not maildir`}},
		{"relay smtp port out of range", "relay:\n  target: smtp://127.0.0.1:70000\n", []string{`f.yaml:2:11: relay.target: "smtp://127.0.0.1:70000": want smtp://host:port`}},
		{"per-ip cap", "smtp: {max_connections_per_ip: -1}\n", []string{`f.yaml:1:32: smtp.max_connections_per_ip: must be 0 (no cap) or more`}},
		{"large messages", "smtp: {large_messages: -1}\n", []string{`f.yaml:1:24: smtp.large_messages: must be 0 (no limit) or more`}},
		{"progress timeout", "smtp: {progress_timeout: 1s}\n", []string{`f.yaml:1:26: smtp.progress_timeout: 1s is too short`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(c.src))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestParseTarget(t *testing.T) {
	good := map[string]Target{
		"maildir":                    {Kind: "maildir"},
		"smtp://127.0.0.1:25":        {Kind: "smtp", Network: "tcp", Addr: "127.0.0.1:25"},
		"lmtp://[::1]:24":            {Kind: "lmtp", Network: "tcp", Addr: "[::1]:24"},
		"lmtp+unix:///run/lmtp.sock": {Kind: "lmtp", Network: "unix", Addr: "/run/lmtp.sock"},
	}
	for s, want := range good {
		got, err := ParseTarget(s)
		if err != nil || got != want {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %+v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "smtp://host", "lmtp+unix://rel/path", "http://x:1", "smtp://h:1/x",
		"smtp://", "smtp://:25", "smtp://h:0", "smtp://h:99999", "smtp://h:smtp", "smtp://u@h:25", "smtp://h:25?x=1", "lmtp://a_b:24"} {
		if _, err := ParseTarget(s); err == nil {
			t.Errorf("ParseTarget(%q) accepted", s)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("smtp: {listen: 127.0.0.1:1}\n"))
	f.Add([]byte("domains: [a.example]\nrelay: {target: maildir}\n"))
	f.Add([]byte("hostname: \"mx\\r\\nX: 1\"\nsmtp: {listen: \"127.0.0.1:99999\", max_connections_per_ip: 3, progress_timeout: 30s}\n"))
	f.Add([]byte("outbound: {target: \"smtp://\"}\nauth: {dns_server: \"[::1]:53\"}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("f.yaml", data)
		if err != nil {
			return
		}
		if cfg == nil {
			t.Fatal("nil config without error")
		}
		// What validates is usable: names fit in headers, listeners and
		// targets have ports in range, limits are not negative.
		if !ValidDomain(cfg.Hostname) || strings.ContainsAny(cfg.Hostname, "\r\n :;") {
			t.Fatalf("hostname %q accepted", cfg.Hostname)
		}
		for _, l := range []string{cfg.SMTP.Listen, cfg.HTTP.Listen} {
			if checkHostPort(l, true) != nil {
				t.Fatalf("listen %q accepted", l)
			}
		}
		if _, err := ParseTarget(cfg.Relay.Target); err != nil {
			t.Fatalf("relay.target %q accepted: %v", cfg.Relay.Target, err)
		}
		if o := cfg.Outbound.Target; o != "maildir" && o != "mx" {
			if tg, err := ParseTarget(o); err != nil || tg.Kind != "smtp" || tg.Addr == "" {
				t.Fatalf("outbound.target %q accepted", o)
			}
		}
		if cfg.SMTP.MaxConnectionsPerIP < 0 || cfg.SMTP.ProgressTimeout < 0 || cfg.SMTP.MaxConnections < 1 || cfg.SMTP.MaxLineLength < 1000 {
			t.Fatalf("limits accepted: %+v", cfg.SMTP)
		}
	})
}

// Without public_url, links in mail point at the HTTP listener the file
// configures (a wildcard address by the hostname); a public_url set is kept.
func TestPublicURLFollowsTheListener(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"{}\n", "http://127.0.0.1:8025"},
		{"http: {listen: 127.0.0.1:8026}\n", "http://127.0.0.1:8026"},
		{"hostname: help.acme.example\nhttp: {listen: \"0.0.0.0:80\"}\n", "http://help.acme.example:80"},
		{"hostname: help.acme.example\nhttp: {listen: \":8080\"}\n", "http://help.acme.example:8080"},
		{"http: {listen: \"[::1]:8026\"}\n", "http://[::1]:8026"},
		{"http: {listen: 127.0.0.1:8026, public_url: \"https://help.acme.example\"}\n", "https://help.acme.example"},
	} {
		cfg, err := Parse("f.yaml", []byte(c.src))
		if err != nil {
			t.Fatalf("%q: %v", c.src, err)
		}
		if cfg.HTTP.PublicURL != c.want {
			t.Errorf("%q: public_url %q, want %q", c.src, cfg.HTTP.PublicURL, c.want)
		}
	}
}

func TestMinFreeBytes(t *testing.T) {
	const total = 100 << 30
	cases := []struct {
		v    string
		want int64
	}{
		{"", 1 << 30},
		{"500MB", 500e6},
		{"2GiB", 2 << 30},
		{"1048576", 1 << 20},
		{"10%", total / 10},
	}
	for _, c := range cases {
		if got := (Store{MinFree: c.v}).MinFreeBytes(total); got != c.want {
			t.Errorf("MinFreeBytes(%q) = %d, want %d", c.v, got, c.want)
		}
	}
	if got := (Store{}).MinFreeBytes(10 << 30); got != (10<<30)/20 {
		t.Errorf("default on a 10 GiB disk = %d, want 5%%", got)
	}
}

func FuzzParseMinFree(f *testing.F) {
	for _, s := range []string{"", "5%", "2GiB", "500MB", "1e9", "-1", "99999999999999999999TiB", "0.5%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		n, pct, err := parseMinFree(v)
		if err == nil && (n < 0 || pct < 0 || pct >= 100) {
			t.Errorf("parseMinFree(%q) = %d, %v", v, n, pct)
		}
	})
}

// MX delivery into private networks is off unless asked for.
func TestAllowPrivateAddresses(t *testing.T) {
	cfg, err := Parse("f.yaml", []byte("{}\n"))
	if err != nil || cfg.Outbound.AllowPrivateAddresses {
		t.Fatalf("default: %v, %v; want off", cfg.Outbound.AllowPrivateAddresses, err)
	}
	cfg, err = Parse("f.yaml", []byte("outbound: {target: mx, allow_private_addresses: true}\n"))
	if err != nil || !cfg.Outbound.AllowPrivateAddresses {
		t.Fatalf("set: %+v, %v", cfg.Outbound, err)
	}
}

func TestLearnIsOnUnlessTurnedOff(t *testing.T) {
	c, err := Parse("t.yaml", []byte("domains: [a.example]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Learn.On() {
		t.Fatal("learning off by default")
	}
	c, err = Parse("t.yaml", []byte("domains: [a.example]\nlearn: {enabled: false}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Learn.On() {
		t.Fatal("learn.enabled: false left learning on")
	}
}

// TestStoreBackend: postgres with a DSN loads, and no error about a DSN
// ever quotes its password.
func TestStoreBackend(t *testing.T) {
	cfg, err := Parse("f.yaml", []byte("store:\n  backend: postgres\n  dsn: postgres://frontdesk:hunter2@db1.internal/frontdesk?sslmode=disable\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Store.Postgres() || cfg.Store.RedactedDSN() != "postgres://frontdesk:xxxxx@db1.internal/frontdesk?sslmode=disable" {
		t.Errorf("postgres %v, redacted %q", cfg.Store.Postgres(), cfg.Store.RedactedDSN())
	}
	if d := Default(); d.Store.Postgres() || d.Store.Backend != "badger" {
		t.Errorf("default backend %q", d.Store.Backend)
	}
	for _, src := range []string{
		"store:\n  backend: postgres\n  dsn: \"postgres://u:hunter2@h:port/db\"\n",
		"store:\n  backend: postgres\n  dsn: host=h password=hunter2 sslmode=sometimes\n",
		"store:\n  backend: postgres\n  dsn: \"postgres://u:hunter2@h/db?sslmode=sometimes\"\n",
	} {
		_, err := Parse("f.yaml", []byte(src))
		if err == nil || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%q: %v", src, err)
		}
	}
}

func TestKeyError(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("hostname: mx.example\nrules_file: r.yaml\nsmtp:\n  listen:   127.0.0.1:2525\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		key  []string
		want string
	}{
		{[]string{"rules_file"}, "c.yaml:2:13: m"},
		{[]string{"smtp", "listen"}, "c.yaml:4:13: m"},
		{[]string{"faq_file"}, ""},
		{[]string{"smtp", "nosuch"}, ""},
		{[]string{"rules_file", "x"}, ""},
		{nil, ""},
	} {
		got := ""
		if e := cfg.KeyError("m", c.key...); e != nil {
			got = e.Error()
		}
		if got != c.want {
			t.Errorf("KeyError(%v) = %q, want %q", c.key, got, c.want)
		}
	}
	if e := Default().KeyError("m", "rules_file"); e != nil {
		t.Errorf("defaults: %v", e)
	}
}
