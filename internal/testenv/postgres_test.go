package testenv

import (
	"net"
	"net/url"
	"testing"
)

// TestStartPostgres: the private cluster listens on loopback only and
// answers its DSN's port.
func TestStartPostgres(t *testing.T) {
	dsn := StartPostgres(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	host, _, err := net.SplitHostPort(u.Host)
	if err != nil || host != "127.0.0.1" {
		t.Fatalf("DSN %s: host %q, %v; want 127.0.0.1", dsn, host, err)
	}
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatalf("dial %s: %v", u.Host, err)
	}
	c.Close()
}
