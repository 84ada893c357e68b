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

// TestPostgresStopStart: a stopped cluster refuses connections on its
// port, and started again it answers there with its data.
func TestPostgresStopStart(t *testing.T) {
	pg := StartPostgresServer(t)
	if pg == nil {
		return
	}
	u, _ := url.Parse(pg.DSN)
	pg.Stop()
	if c, err := net.Dial("tcp", u.Host); err == nil {
		c.Close()
		t.Fatalf("%s still accepts connections after Stop", u.Host)
	}
	pg.Start()
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatalf("dial %s after Start: %v", u.Host, err)
	}
	c.Close()
}
