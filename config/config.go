// Package config is the server configuration of Frontdesk: its schema, the
// embedded defaults that let `frontdesk serve` run with no file at all, and
// validation that reports every problem as `file:line:col: message`, the way
// admins expect from compilers, so a typo never starts a half-configured
// mail server.
package config

import (
	"fmt"
	"io"
	"math"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/frontdesk-mail/frontdesk/internal/adminfile"
	"github.com/frontdesk-mail/frontdesk/internal/pgdsn"
)

// Config is the whole server configuration (frontdesk.yaml).
type Config struct {
	Hostname   string     `yaml:"hostname"`
	Domains    []string   `yaml:"domains"`
	DataDir    string     `yaml:"data_dir"`
	SMTP       SMTP       `yaml:"smtp"`
	Submission Submission `yaml:"submission"`
	HTTP       HTTP       `yaml:"http"`
	Relay      Relay      `yaml:"relay"`
	Outbound   Outbound   `yaml:"outbound"`
	Tickets    Tickets    `yaml:"tickets"`
	Auth       Auth       `yaml:"auth"`
	Acks       Acks       `yaml:"acks"`
	Learn      Learn      `yaml:"learn"`
	Store      Store      `yaml:"store"`
	Retention  Retention  `yaml:"retention"`
	// RulesFile, FAQFile and TemplatesDir are absolute after Load (relative
	// paths are taken from the config file's directory); empty means the
	// embedded demo set.
	RulesFile    string `yaml:"rules_file"`
	FAQFile      string `yaml:"faq_file"`
	TemplatesDir string `yaml:"templates_dir"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `yaml:"log_level"`
	// MemoryLimit is the Go runtime's soft memory limit ("192MiB"; "0":
	// none; GOMEMLIMIT in the environment wins): near it the garbage
	// collector runs more often instead of letting the heap grow to twice
	// what is live. Under load the live heap is mostly received mail held
	// between DATA and its commit, which costs the collector little to
	// mark; without a limit 200 sessions sending 1 MB mail peaked at
	// ~480 MB, with 256 MiB under 300 MB (bench/README.md). Since
	// smtp.large_messages bounds that mail (~120 MB live at C=200 × 1 MB),
	// 192 MiB keeps the heap there without more CPU per message
	// (BenchmarkPipeline/1m-c200: VmHWM 261-274 -> 213 MB). Mail is never
	// refused for it.
	MemoryLimit string `yaml:"memory_limit"`

	// File is the path the config was loaded from ("" for defaults).
	File string `yaml:"-"`
	// doc is File's YAML tree, for KeyError; nil for the defaults.
	doc *yaml.Node
}

// KeyError is msg about the value of key (a path of mapping keys) as an
// error at that value's place in the config file ("file:line:col: msg"),
// for problems found after loading (a rules_file that cannot be read);
// nil when the file does not set key or there is no file.
func (c *Config) KeyError(msg string, key ...string) *Error {
	if c.doc == nil || len(key) == 0 {
		return nil
	}
	n := c.doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, k := range key {
		var next *yaml.Node
		for i := 0; n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return &Error{File: c.File, Line: n.Line, Col: n.Column, Msg: msg}
}

// SMTP is the public MX listener.
type SMTP struct {
	Listen          string `yaml:"listen"`
	MaxMessageBytes int64  `yaml:"max_message_bytes"`
	MaxRecipients   int    `yaml:"max_recipients"`
	// MaxLineLength bounds one line, DATA included. RFC 5322 says 998, but
	// real senders emit single-line HTML and JSON; 64 KiB keeps them while
	// bounding memory per connection.
	MaxLineLength  int `yaml:"max_line_length"`
	MaxConnections int `yaml:"max_connections"`
	// MaxConnectionsPerIP caps one client address's concurrent sessions
	// (421 4.7.0 past it; 0: no cap), so one host cannot hold every slot;
	// an IPv6 client is counted by its /64.
	MaxConnectionsPerIP int `yaml:"max_connections_per_ip"`
	// LargeMessages is how many sessions at once may read a message past
	// its first 256 KiB (0: no limit); the others wait before reading on,
	// so memory holds about this many whole messages plus 256 KiB per
	// session, not a whole message per session.
	LargeMessages int `yaml:"large_messages"`
	// ProgressTimeout closes a session that has received no message data
	// for this long (0: never); NOOP, RSET and the like do not extend it.
	ProgressTimeout Duration `yaml:"progress_timeout"`
	ReadTimeout     Duration `yaml:"read_timeout"`
	WriteTimeout    Duration `yaml:"write_timeout"`
	// ShutdownTimeout bounds how long sessions in DATA may run on after SIGTERM.
	ShutdownTimeout Duration `yaml:"shutdown_timeout"`
	// RejectUnknownRecipients refuses local parts no department owns
	// (550 5.1.1) instead of routing them to the default department.
	RejectUnknownRecipients bool `yaml:"reject_unknown_recipients"`
	TLS                     TLS  `yaml:"tls"`
}

// TLS enables STARTTLS when both files are set.
type TLS struct {
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
}

// Submission is the agents' authenticated submission listener (optional).
type Submission struct {
	Listen    string `yaml:"listen"`
	UsersFile string `yaml:"users_file"`
	// AllowInsecureAuth allows AUTH without TLS: only for a listener on
	// loopback or a trusted network.
	AllowInsecureAuth bool `yaml:"allow_insecure_auth"`
}

// HTTP is the metrics, health, API and help-centre listener.
type HTTP struct {
	Listen       string `yaml:"listen"`
	APITokenFile string `yaml:"api_token_file"`
	PublicURL    string `yaml:"public_url"`
}

// Relay is how mail reaches the agents.
type Relay struct {
	// Target is maildir, smtp://host:port, lmtp://host:port or lmtp+unix:///path.
	Target      string   `yaml:"target"`
	Workers     int      `yaml:"workers"`
	GiveUpAfter Duration `yaml:"give_up_after"`
	// MinBackoff and MaxBackoff bound the exponential retry delay.
	MinBackoff Duration `yaml:"min_backoff"`
	MaxBackoff Duration `yaml:"max_backoff"`
}

// Outbound is how acknowledgements and agents' replies reach customers.
type Outbound struct {
	Target string `yaml:"target"` // maildir | smtp://host:port | mx
	DKIM   DKIM   `yaml:"dkim"`
	// MXPort is the port of customers' mail exchangers for target mx (25;
	// tests point it at loopback servers).
	MXPort int `yaml:"mx_port"`
	// AllowPrivateAddresses lets target mx deliver to loopback, private,
	// link-local and other non-public addresses (queue.Refused). Off by
	// default: customers' addresses and their DNS are chosen by strangers,
	// who could otherwise point the gateway into its own network. Tests
	// that run exchangers on 127.0.0.1 turn it on.
	AllowPrivateAddresses bool `yaml:"allow_private_addresses"`
}

// DKIM signs outbound mail when all three are set.
type DKIM struct {
	Domain   string `yaml:"domain"`
	Selector string `yaml:"selector"`
	KeyFile  string `yaml:"key_file"`
}

// Auth is sender authentication (SPF, DKIM, DMARC) of mail on the MX.
type Auth struct {
	// Check turns the checks on (default true): they add an
	// Authentication-Results header for agents, stop acknowledgements to
	// forged senders and let agents answer from the MX.
	Check *bool `yaml:"check"`
	// DNSServer is host:port of the resolver to ask; empty: the system's.
	DNSServer string   `yaml:"dns_server"`
	Timeout   Duration `yaml:"timeout"`
	// AuthservID names us in Authentication-Results (default: hostname).
	AuthservID string `yaml:"authserv_id"`
}

// Enabled reports whether the checks run.
func (a Auth) Enabled() bool { return a.Check == nil || *a.Check }

// Acks configures acknowledgements.
type Acks struct {
	// Enabled: send acknowledgements (default true).
	Enabled *bool `yaml:"enabled"`
	// PerSenderPerHour caps acknowledgements to one sender, persisted
	// across restarts, so a loop or a flood cannot make us a spammer.
	PerSenderPerHour int `yaml:"per_sender_per_hour"`
}

// On reports whether acknowledgements are sent.
func (a Acks) On() bool { return a.Enabled == nil || *a.Enabled }

// Learn configures learning from agents' corrections (package learn).
type Learn struct {
	// Enabled: #move and replies that link FAQ entries record the
	// customer's words as examples, and routing and FAQ links use the
	// examples (default true). Off, nothing is recorded and the examples
	// already stored are not used (nor deleted: `frontdesk learn forget`).
	Enabled *bool `yaml:"enabled"`
	// Starter: rank and route with the starter examples that ship with
	// the demo FAQ catalog (learn.Starter: the labelled tuning mail) beside
	// the stored ones. Unset, they are used when the catalog has every
	// entry they name (the demo catalog, or one grown from it); true uses
	// them with any catalog, false never. With learning off no example is
	// used, starter or stored.
	Starter *bool `yaml:"starter"`
}

// On reports whether the gateway learns.
func (l Learn) On() bool { return l.Enabled == nil || *l.Enabled }

// Tickets configures ticket numbering.
type Tickets struct {
	TagPrefix string `yaml:"tag_prefix"`
	// ReopenWindow: a customer's follow-up to a ticket resolved longer ago
	// than this opens a new ticket that links the old one.
	ReopenWindow Duration `yaml:"reopen_window"`
	// CollisionWindow: an agent's reply this soon after another agent's
	// reply to the same ticket is held until its sender confirms it
	// (#send) or drops it (#drop); 0 turns the check off.
	CollisionWindow *Duration `yaml:"collision_window"`
}

// Collision is tickets.collision_window with its default (10m).
func (t Tickets) Collision() time.Duration {
	if t.CollisionWindow == nil {
		return 10 * time.Minute
	}
	return t.CollisionWindow.D()
}

// Store chooses and tunes the store: Badger in data_dir (the default) or
// a PostgreSQL database that several gateways share.
type Store struct {
	// Backend is badger or postgres.
	Backend string `yaml:"backend"`
	// DSN is the PostgreSQL connection string (backend postgres only). It
	// may carry a password: print it only through Redacted.
	DSN string `yaml:"dsn"`
	// SyncWrites fsyncs every commit before the 250 reply. Turning it off
	// survives a process crash but not a power loss.
	SyncWrites *bool    `yaml:"sync_writes"`
	GCInterval Duration `yaml:"gc_interval"`
	// MinFree is the free space under data_dir below which SMTP answers
	// 452 4.3.1 at MAIL FROM: bytes with an optional unit (500MB, 2GiB)
	// or a percentage of the filesystem (5%). Empty: 1 GiB or 5%,
	// whichever is smaller (MinFreeBytes).
	MinFree string `yaml:"min_free"`
	// InlineMail (Badger only) is the largest mail, in bytes, kept in
	// Badger with its record instead of the spool when that saves the
	// commit an fsync (no other commit on its way); 0 spools every mail.
	// See store.Options.InlineMail for what it costs.
	InlineMail int `yaml:"inline_mail"`
}

// Backends of store.backend.
const (
	BackendBadger   = "badger"
	BackendPostgres = "postgres"
)

// Postgres reports whether the store is a PostgreSQL database.
func (s Store) Postgres() bool { return s.Backend == BackendPostgres }

// RedactedDSN is DSN with its password masked, for messages and logs.
func (s Store) RedactedDSN() string { return pgdsn.Redact(s.DSN) }

// MinFreeBytes is Store.MinFree for a filesystem of total bytes.
func (s Store) MinFreeBytes(total int64) int64 {
	if s.MinFree == "" {
		return min(1<<30, total/20)
	}
	n, pct, _ := parseMinFree(s.MinFree)
	if pct > 0 {
		return int64(float64(total) * pct / 100)
	}
	return n
}

// MemoryLimitBytes is MemoryLimit in bytes (0: none).
func (c *Config) MemoryLimitBytes() (int64, error) {
	if strings.TrimSpace(c.MemoryLimit) == "" {
		return 0, nil
	}
	n, pct, err := parseMinFree(c.MemoryLimit)
	if err != nil || pct != 0 {
		return 0, fmt.Errorf("%q is not a size (e.g. 256MiB, 1GiB, 0)", c.MemoryLimit)
	}
	return n, nil
}

// SoftMemoryLimit is the Go soft memory limit serve sets: memory_limit
// from the config, unless GOMEMLIMIT is set, which the runtime has already
// applied and which wins. Under load the heap holds messages waiting for
// their commit; without a limit the collector let it grow to twice what
// was live (bench/README.md).
func (c *Config) SoftMemoryLimit(getenv func(string) string) (int64, string) {
	if getenv("GOMEMLIMIT") != "" {
		return 0, "GOMEMLIMIT"
	}
	n, err := c.MemoryLimitBytes()
	if err != nil { // not reached: Load validates it
		return 0, "memory_limit"
	}
	return n, "memory_limit"
}

// GCPercent is the garbage collector's target serve sets (GOGC): 400
// while a soft memory limit is in force (memory_limit, or GOMEMLIMIT), so
// that the heap may grow to five times what is live rather than twice;
// the limit still bounds it, and near the limit the collector runs as
// often as it must. The full pipeline allocates about 260-340 KB per 4 KB
// mail (parsed copies, the FAQ query, the acknowledgement, the database
// driver's buffers) and little of it stays live, so collections were 15%
// of serve's CPU. BenchmarkPipeline/4k-c20 on PostgreSQL: 0.65 cpu-ms/msg
// at 100, 0.56 at 200, 0.52-0.54 at 400; the whole server on PostgreSQL
// accepted 4-9% more at 400 than at 200 (bench/README.md "Session 14").
// Where the heap is limit-bound (200 sessions sending 256 KB or 1 MB)
// peak RSS is the same at 200 and 400 (about 200 MB); at 20 sessions
// sending 4 KB it rises from 67 to 94 MB on PostgreSQL, 156 to 215 MB on
// Badger; idle, 50 MB either way. 0 means leave the runtime's own: GOGC
// in the environment wins, and without a memory limit (memory_limit 0
// without GOMEMLIMIT, or GOMEMLIMIT=off) a heap five times what is live
// would have no bound.
func (c *Config) GCPercent(getenv func(string) string) int {
	if getenv("GOGC") != "" {
		return 0
	}
	switch env := getenv("GOMEMLIMIT"); env {
	case "":
		if n, _ := c.SoftMemoryLimit(getenv); n == 0 {
			return 0
		}
	case "off", strconv.FormatInt(math.MaxInt64, 10):
		// The runtime's "no limit", which overrides memory_limit too.
		return 0
	}
	return 400
}

// parseMinFree reads "500MB", "2GiB", "1073741824" or "5%".
func parseMinFree(v string) (bytes int64, percent float64, err error) {
	v = strings.TrimSpace(v)
	if p, ok := strings.CutSuffix(v, "%"); ok {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || f <= 0 || f >= 100 {
			return 0, 0, fmt.Errorf("%q is not a percentage between 0 and 100", v)
		}
		return 0, f, nil
	}
	i := strings.IndexFunc(v, func(r rune) bool { return !(r >= '0' && r <= '9') })
	num, unit := v, ""
	if i >= 0 {
		num, unit = v[:i], strings.TrimSpace(v[i:])
	}
	n, err := strconv.ParseInt(num, 10, 64)
	mult := map[string]int64{"": 1, "B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}[unit]
	if err != nil || mult == 0 || n < 0 || n > (1<<62)/mult {
		return 0, 0, fmt.Errorf("%q is not a size (e.g. 500MB, 2GiB) or a percentage (5%%)", v)
	}
	return n * mult, 0, nil
}

// Duration is a time.Duration written in Go syntax ("10m", "1h30m").
type Duration time.Duration

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// UnmarshalYAML parses Go duration syntax.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return err
	}
	v, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("bad duration %q (want Go syntax such as 30s, 10m, 1h30m)", s)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes the duration back in Go syntax.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// Default returns the embedded defaults: mail for support.localhost on
// 127.0.0.1:2525, HTTP on 127.0.0.1:8025, data under ./frontdesk-data, relay
// into Maildirs, the demo rules and FAQ.
func Default() *Config {
	return &Config{
		Hostname: "frontdesk.localhost",
		Domains:  []string{"support.localhost"},
		DataDir:  "frontdesk-data",
		SMTP: SMTP{
			Listen:          "127.0.0.1:2525",
			MaxMessageBytes: 25 << 20,
			MaxRecipients:   50,
			MaxLineLength:   64 << 10,
			MaxConnections:  1000,
			// Enough for a busy MTA's parallel deliveries; one address is
			// one sender, not a fiftieth of the server.
			MaxConnectionsPerIP: 20,
			LargeMessages:       32,
			// RFC 5321 §4.5.3.2.7 gives a server 5 minutes between
			// commands; a session gets that much in all without data.
			ProgressTimeout: Duration(5 * time.Minute),
			ReadTimeout:     Duration(5 * time.Minute),
			WriteTimeout:    Duration(time.Minute),
			ShutdownTimeout: Duration(30 * time.Second),
		},
		HTTP: HTTP{
			Listen:    "127.0.0.1:8025",
			PublicURL: "http://127.0.0.1:8025",
		},
		Relay: Relay{
			Target:      "maildir",
			Workers:     4,
			GiveUpAfter: Duration(5 * 24 * time.Hour),
			MinBackoff:  Duration(30 * time.Second),
			MaxBackoff:  Duration(30 * time.Minute),
		},
		Outbound:    Outbound{Target: "maildir"},
		Tickets:     Tickets{TagPrefix: "SUP", ReopenWindow: Duration(30 * 24 * time.Hour)},
		Store:       Store{Backend: BackendBadger, GCInterval: Duration(10 * time.Minute)},
		Retention:   DefaultRetention(),
		Auth:        Auth{Timeout: Duration(10 * time.Second)},
		Acks:        Acks{PerSenderPerHour: 5},
		LogLevel:    "info",
		MemoryLimit: "192MiB",
	}
}

// SyncWrites reports whether commits are fsynced (default true).
func (s Store) Sync() bool { return s.SyncWrites == nil || *s.SyncWrites }

// Error is one problem in a config file; a problem with no place in it
// (a required key that is missing) prints as "file: message".
type Error = adminfile.Error

// ErrorList is every problem found in one file, in the order found.
type ErrorList = adminfile.List

// LoadOrDefault is Load, or the embedded defaults when path is empty (no
// -c): every command runs on the same defaults as serve.
func LoadOrDefault(path string) (*Config, error) {
	if path == "" {
		return Default(), nil
	}
	return Load(path)
}

// MaxFileSize bounds a config file. The whole file is read and held as a
// YAML tree at many times its size; the README's reference config, every
// key with its comment, is under 8 KB, so 1 MB is far beyond any config an
// admin writes, and a larger file (a log or a mail saved over it, a wrong -c) is
// refused without being read whole.
const MaxFileSize = 1 << 20

// tooBig is the error for a config file over MaxFileSize.
func tooBig(file string, size int64) ErrorList {
	return ErrorList{{File: file, Line: 1, Col: 1, Msg: fmt.Sprintf(
		"the file is %d bytes; a config file may be at most %d bytes (1 MB): is this the config file?", size, MaxFileSize)}}
}

// Load reads a config file over the defaults and validates it. Every problem
// is reported, as an ErrorList. A file over MaxFileSize is refused without
// reading it whole.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > MaxFileSize {
		return nil, tooBig(path, fi.Size())
	}
	return Parse(path, data)
}

// Parse is Load on bytes already read; filename is used in messages and to
// resolve relative paths.
func Parse(filename string, data []byte) (*Config, error) {
	cfg := Default()
	cfg.File = filename
	cfg.HTTP.PublicURL = "" // unless the file sets it, derived from http.listen below
	if len(data) > MaxFileSize {
		return nil, tooBig(filename, int64(len(data)))
	}
	errs := &adminfile.Collector{File: filename}
	add := errs.At
	doc, synErr := adminfile.Unmarshal(filename, data)
	if synErr != nil {
		return nil, ErrorList{synErr}
	}
	if len(doc.Content) > 0 {
		adminfile.DecodeStrict(doc.Content[0], cfg, "config", add)
	}
	if cfg.HTTP.PublicURL == "" {
		cfg.HTTP.PublicURL = publicURL(cfg.HTTP.Listen, cfg.Hostname)
	}
	if len(errs.Errs) == 0 {
		cfg.validate(doc, add)
	}
	if len(errs.Errs) > 0 {
		return nil, errs.Errs
	}
	cfg.resolvePaths(filepath.Dir(filename))
	cfg.doc = doc
	return cfg, nil
}

// publicURL is the help centre's address when http.public_url is not set:
// the HTTP listener itself, so that the links in acknowledgements reach the
// port the gateway listens on; a wildcard address is named by hostname.
func publicURL(listen, hostname string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return "http://" + listen // validate reports the listen address
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = hostname
	}
	return "http://" + net.JoinHostPort(host, port)
}

func (c *Config) resolvePaths(base string) {
	abs := func(p *string) {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(base, *p)
		}
	}
	for _, p := range []*string{&c.RulesFile, &c.FAQFile, &c.TemplatesDir, &c.DataDir,
		&c.SMTP.TLS.CertFile, &c.SMTP.TLS.KeyFile, &c.Submission.UsersFile, &c.HTTP.APITokenFile, &c.Outbound.DKIM.KeyFile} {
		abs(p)
	}
}

// validate checks values that decode fine but make no sense.
func (c *Config) validate(doc *yaml.Node, add func(*yaml.Node, string, ...any)) {
	at := func(path ...string) *yaml.Node { return find(doc, path...) }
	// The hostname goes into HELO, Received and Message-ID headers of
	// every copy we relay: anything but a domain name (a CR LF above all)
	// would be written into them.
	if !ValidDomain(c.Hostname) {
		add(at("hostname"), "hostname: %q is not a domain name (letters, digits and hyphens in dot-separated labels)", c.Hostname)
	}
	if len(c.Domains) == 0 {
		add(at("domains"), "domains: at least one recipient domain is needed")
	}
	for i, d := range c.Domains {
		if !ValidDomain(strings.TrimSuffix(d, ".")) {
			add(at("domains", fmt.Sprint(i)), "domains: %q is not a domain name", d)
		}
	}
	if id := c.Auth.AuthservID; id != "" && !ValidDomain(id) {
		add(at("auth", "authserv_id"), "auth.authserv_id: %q is not a domain name", id)
	}
	if d := c.Outbound.DKIM.Domain; d != "" && !ValidDomain(d) {
		add(at("outbound", "dkim", "domain"), "outbound.dkim.domain: %q is not a domain name", d)
	}
	for _, l := range []struct {
		v    string
		path []string
		opt  bool
	}{{c.SMTP.Listen, []string{"smtp", "listen"}, false}, {c.HTTP.Listen, []string{"http", "listen"}, false}, {c.Submission.Listen, []string{"submission", "listen"}, true}} {
		if l.opt && l.v == "" {
			continue
		}
		if err := checkHostPort(l.v, true); err != nil {
			add(at(l.path...), "%s: %v", strings.Join(l.path, "."), err)
		}
	}
	if n, err := c.MemoryLimitBytes(); err != nil {
		add(at("memory_limit"), "memory_limit: %v", err)
	} else if n != 0 && n < 64<<20 {
		add(at("memory_limit"), "memory_limit: %q is too small (0 for none, or at least 64MiB)", c.MemoryLimit)
	}
	if c.SMTP.MaxMessageBytes < 1024 {
		add(at("smtp", "max_message_bytes"), "smtp.max_message_bytes: %d is too small (at least 1024)", c.SMTP.MaxMessageBytes)
	}
	if c.SMTP.MaxRecipients < 1 {
		add(at("smtp", "max_recipients"), "smtp.max_recipients: must be at least 1")
	}
	if c.SMTP.MaxLineLength < 1000 {
		add(at("smtp", "max_line_length"), "smtp.max_line_length: must be at least 1000 (RFC 5321 allows 1000-octet lines)")
	}
	if c.SMTP.MaxConnections < 1 {
		add(at("smtp", "max_connections"), "smtp.max_connections: must be at least 1")
	}
	if c.SMTP.LargeMessages < 0 {
		add(at("smtp", "large_messages"), "smtp.large_messages: must be 0 (no limit) or more")
	}
	if c.SMTP.MaxConnectionsPerIP < 0 {
		add(at("smtp", "max_connections_per_ip"), "smtp.max_connections_per_ip: must be 0 (no cap) or more")
	}
	if p := c.SMTP.ProgressTimeout.D(); p < 0 || p > 0 && p < 10*time.Second {
		add(at("smtp", "progress_timeout"), "smtp.progress_timeout: %v is too short (0 for none, else at least 10s)", p)
	}
	if c.SMTP.ReadTimeout <= 0 || c.SMTP.WriteTimeout <= 0 {
		add(at("smtp"), "smtp: read_timeout and write_timeout must be positive")
	}
	if (c.SMTP.TLS.CertFile == "") != (c.SMTP.TLS.KeyFile == "") {
		add(at("smtp", "tls"), "smtp.tls: cert_file and key_file go together")
	}
	if c.Submission.Listen != "" && c.Submission.UsersFile == "" {
		add(at("submission"), "submission: users_file is needed when listen is set")
	}
	if _, err := ParseTarget(c.Relay.Target); err != nil {
		add(at("relay", "target"), "relay.target: %v", err)
	}
	if c.Relay.Workers < 1 || c.Relay.Workers > 256 {
		add(at("relay", "workers"), "relay.workers: %d is out of range 1..256", c.Relay.Workers)
	}
	if c.Relay.MinBackoff <= 0 || c.Relay.MaxBackoff < c.Relay.MinBackoff {
		add(at("relay"), "relay: need 0 < min_backoff <= max_backoff")
	}
	if c.Relay.GiveUpAfter <= 0 {
		add(at("relay", "give_up_after"), "relay.give_up_after: must be positive")
	}
	switch t := c.Outbound.Target; {
	case t == "maildir", t == "mx":
	default:
		if tg, err := ParseTarget(t); err != nil || tg.Kind != "smtp" {
			add(at("outbound", "target"), "outbound.target: %q is not maildir, mx or smtp://host:port", t)
		}
	}
	if c.HTTP.PublicURL != "" {
		if u, err := url.Parse(c.HTTP.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add(at("http", "public_url"), "http.public_url: %q is not an http(s) URL", c.HTTP.PublicURL)
		} else if u.User != nil {
			// Not quoted: it holds the password.
			add(at("http", "public_url"), "http.public_url: has a user name or password, which would be in every link mailed to customers")
		} else if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(c.HTTP.PublicURL, "#") {
			add(at("http", "public_url"), "http.public_url: %q has a query or fragment; links in mail are built by appending a path to it", c.HTTP.PublicURL)
		}
	}
	if p := c.Tickets.TagPrefix; p == "" || strings.IndexFunc(p, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') }) >= 0 {
		add(at("tickets", "tag_prefix"), "tickets.tag_prefix: %q must be upper-case letters and digits", p)
	}
	if w := c.Tickets.CollisionWindow; w != nil && (w.D() < 0 || w.D() > 24*time.Hour) {
		add(at("tickets", "collision_window"), "tickets.collision_window: %s is outside 0 (off) to 24h", w.D())
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		add(at("log_level"), "log_level: %q is not debug, info, warn or error", c.LogLevel)
	}
	if c.Auth.DNSServer != "" {
		if err := checkHostPort(c.Auth.DNSServer, false); err != nil {
			add(at("auth", "dns_server"), "auth.dns_server: %v", err)
		}
	}
	if c.Auth.Timeout <= 0 {
		add(at("auth", "timeout"), "auth.timeout: must be positive")
	}
	if c.Outbound.MXPort < 0 || c.Outbound.MXPort > 65535 {
		add(at("outbound", "mx_port"), "outbound.mx_port: %d is not a port", c.Outbound.MXPort)
	}
	if c.Outbound.AllowPrivateAddresses && c.Outbound.Target != "mx" {
		// Only MX delivery picks addresses from strangers' DNS; elsewhere
		// the key would do nothing, which an admin should hear about.
		add(at("outbound", "allow_private_addresses"), "outbound.allow_private_addresses: applies to target mx only (target is %q)", c.Outbound.Target)
	}
	if c.Acks.PerSenderPerHour < 1 {
		add(at("acks", "per_sender_per_hour"), "acks.per_sender_per_hour: must be at least 1")
	}
	if (c.Outbound.DKIM.Domain == "") != (c.Outbound.DKIM.KeyFile == "") || (c.Outbound.DKIM.Domain == "") != (c.Outbound.DKIM.Selector == "") {
		add(at("outbound", "dkim"), "outbound.dkim: domain, selector and key_file go together")
	}
	if c.DataDir == "" {
		add(at("data_dir"), "data_dir: must not be empty")
	}
	if c.Retention.Interval < Duration(time.Minute) {
		add(at("retention", "interval"), "retention.interval: must be at least 1m")
	}
	switch c.Store.Backend {
	case BackendBadger:
		if c.Store.DSN != "" {
			add(at("store", "dsn"), "store.dsn: only for store.backend postgres (the backend is badger, which keeps the store in data_dir)")
		}
	case BackendPostgres:
		if c.Store.DSN == "" {
			add(at("store", "backend"), "store.dsn: needed with store.backend postgres (e.g. postgres://frontdesk@db1.internal/frontdesk?sslmode=verify-full)")
		} else if err := pgdsn.Check(c.Store.DSN); err != nil {
			add(at("store", "dsn"), "store.dsn: %v", err)
		}
	default:
		add(at("store", "backend"), "store.backend: %q is not badger or postgres", c.Store.Backend)
	}
	if c.Store.MinFree != "" {
		if _, _, err := parseMinFree(c.Store.MinFree); err != nil {
			add(at("store", "min_free"), "store.min_free: %v", err)
		}
	}
	if c.Store.InlineMail < 0 || c.Store.InlineMail > maxInlineMail {
		add(at("store", "inline_mail"), "store.inline_mail: %d is not between 0 (spool every mail) and %d bytes", c.Store.InlineMail, maxInlineMail)
	}
}

// maxInlineMail bounds store.inline_mail: larger mail belongs in the spool.
const maxInlineMail = 1 << 20

// ValidDomain reports whether s is a domain name in LDH form: dot-separated
// labels of 1 to 63 letters, digits and inner hyphens, 253 octets at most,
// no trailing dot (internationalized names are written as A-labels).
func ValidDomain(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

// checkHostPort checks host:port with a numeric port in range (0, "any
// free port", only where listening) and a host that is empty (listen
// only), an IP address or a domain name.
func checkHostPort(s string, listen bool) error {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return fmt.Errorf("%q is not host:port", s)
	}
	n, err := strconv.Atoi(port)
	low := 1
	if listen {
		low = 0
	}
	if err != nil || n < low || n > 65535 {
		return fmt.Errorf("%q: port %q is not a number from %d to 65535", s, port, low)
	}
	switch {
	case host == "" && listen:
	case net.ParseIP(host) != nil:
	case ValidDomain(host):
	default:
		return fmt.Errorf("%q: %q is not an IP address or a host name", s, host)
	}
	return nil
}

// find returns the value node at a path of mapping keys / sequence indexes.
func find(n *yaml.Node, path ...string) *yaml.Node {
	if n == nil {
		return nil
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, p := range path {
		switch n.Kind {
		case yaml.MappingNode:
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == p {
					next = n.Content[i+1]
				}
			}
			if next == nil {
				return n
			}
			n = next
		case yaml.SequenceNode:
			var i int
			if _, err := fmt.Sscan(p, &i); err != nil || i >= len(n.Content) {
				return n
			}
			n = n.Content[i]
		default:
			return n
		}
	}
	return n
}
