package config

import (
	"fmt"
	"net/url"
)

// Target is a parsed delivery target.
type Target struct {
	Kind    string // "maildir", "smtp", "lmtp"
	Network string // "tcp" or "unix" for smtp/lmtp
	Addr    string // host:port or socket path
}

// ParseTarget parses maildir, smtp://host:port, lmtp://host:port and
// lmtp+unix:///path.
func ParseTarget(s string) (Target, error) {
	if s == "maildir" {
		return Target{Kind: "maildir"}, nil
	}
	u, err := url.Parse(s)
	if err != nil {
		return Target{}, fmt.Errorf("%q is not maildir, smtp://host:port, lmtp://host:port or lmtp+unix:///path", s)
	}
	switch u.Scheme {
	case "smtp", "lmtp":
		if err := checkHostPort(u.Host, false); err != nil || u.Path != "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return Target{}, fmt.Errorf("%q: want %s://host:port (a host name or IP address and a port from 1 to 65535)", s, u.Scheme)
		}
		return Target{Kind: u.Scheme, Network: "tcp", Addr: u.Host}, nil
	case "lmtp+unix":
		if u.Path == "" || u.Host != "" {
			return Target{}, fmt.Errorf("%q: want lmtp+unix:///absolute/path", s)
		}
		return Target{Kind: "lmtp", Network: "unix", Addr: u.Path}, nil
	}
	return Target{}, fmt.Errorf("%q is not maildir, smtp://host:port, lmtp://host:port or lmtp+unix:///path", s)
}
