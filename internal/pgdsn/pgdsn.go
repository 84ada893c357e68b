// Package pgdsn handles the PostgreSQL connection string of store.dsn,
// which may carry a password: it checks one with pgx's own parser and
// redacts the password from the string and from errors that quote it, so
// that no log line, startup print or error message shows it.
package pgdsn

import (
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Mask replaces a password.
const Mask = "xxxxx"

// Check parses dsn the way the store will connect with it (a
// postgres:// URL or key=value pairs), without connecting.
func Check(dsn string) error {
	if strings.TrimSpace(dsn) == "" {
		return errors.New("empty connection string")
	}
	if i := strings.Index(dsn, "://"); i >= 0 {
		if s := dsn[:i]; s != "postgres" && s != "postgresql" {
			return errors.New("the URL scheme " + s + ":// is not postgres:// or postgresql://")
		}
	}
	// pgxpool's parser, as the store's: it reads the pool's parameters
	// (pool_max_conns, …) and pgx's on top of the connection's.
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return Err(err, dsn)
	}
	// The store's own check (store.pgPoolConfig), here so that the
	// config's load reports it at the key.
	if v, ok := cfg.ConnConfig.RuntimeParams["synchronous_commit"]; ok && v != "on" && v != "remote_apply" {
		return errors.New("synchronous_commit=" + v + ": a 250 must mean the mail is committed to disk (and to the synchronous standby, if any); leave it out (on) or ask for remote_apply")
	}
	return nil
}

// kvPassword is a password=... pair of the key=value form, quoted or not.
var kvPassword = regexp.MustCompile(`(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)`)

// Redact is dsn with its password, if any, masked.
func Redact(dsn string) string {
	if strings.Contains(dsn, "://") {
		if u, err := url.Parse(dsn); err == nil {
			if _, ok := u.User.Password(); ok {
				u.User = url.UserPassword(u.User.Username(), Mask)
			}
			q := u.Query()
			if q.Has("password") {
				q.Set("password", Mask)
				u.RawQuery = q.Encode()
			}
			return u.String()
		}
		// Unparseable: where a password would be is unknown, so only
		// the scheme and what follows the last @ (the host) are shown.
		scheme := dsn[:strings.Index(dsn, "://")+3]
		if at := strings.LastIndex(dsn, "@"); at >= 0 && !strings.Contains(dsn[at:], "password") {
			return scheme + Mask + dsn[at:]
		}
		return scheme + Mask
	}
	return kvPassword.ReplaceAllString(dsn, "${1}"+Mask)
}

// passwords are the forms of the password dsn carries as they may appear
// in a message: decoded, and as written in the URL; none without one.
func passwords(dsn string) []string {
	var out []string
	if i := strings.Index(dsn, "://"); i >= 0 {
		rest := dsn[i+3:]
		if j := strings.IndexAny(rest, "/?"); j >= 0 && !strings.Contains(rest[j:], "@") {
			rest = rest[:j]
		}
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if _, p, ok := strings.Cut(rest[:at], ":"); ok {
				out = append(out, p)
			}
		}
		if u, err := url.Parse(dsn); err == nil {
			if p, ok := u.User.Password(); ok {
				out = append(out, p)
			}
			if p := u.Query().Get("password"); p != "" {
				out = append(out, p, url.QueryEscape(p))
			}
		}
	} else if m := kvPassword.FindStringSubmatch(dsn); m != nil {
		out = append(out, m[2], strings.Trim(m[2], "'"))
	}
	return slices.DeleteFunc(out, func(p string) bool { return p == "" })
}

// Err is err with every appearance of dsn's password masked: pgx
// redacts what it quotes, and this holds for any other error that might
// quote the string.
func Err(err error, dsn string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	changed := false
	for _, p := range passwords(dsn) {
		if strings.Contains(msg, p) {
			msg, changed = strings.ReplaceAll(msg, p, Mask), true
		}
	}
	if !changed {
		return err
	}
	return &redacted{msg: msg, err: err}
}

// redacted keeps the error chain (errors.Is still finds what it wraps)
// but prints without the password.
type redacted struct {
	msg string
	err error
}

func (r *redacted) Error() string { return r.msg }
func (r *redacted) Unwrap() error { return r.err }
