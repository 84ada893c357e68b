package mailauth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"sync"
	"testing"
	"time"
)

// countingResolver answers from fixed tables and counts the questions.
type countingResolver struct {
	mu    sync.Mutex
	calls map[string]int
	txt   map[string][]string
	fail  map[string]error
}

func (r *countingResolver) count(k string) {
	r.mu.Lock()
	r.calls[k]++
	r.mu.Unlock()
}

func (r *countingResolver) LookupTXT(_ context.Context, name string) ([]string, error) {
	r.count("txt " + name)
	if err := r.fail[name]; err != nil {
		return nil, err
	}
	if t, ok := r.txt[name]; ok {
		return slices.Clone(t), nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: name, IsNotFound: true}
}

func (r *countingResolver) LookupMX(_ context.Context, name string) ([]*net.MX, error) {
	r.count("mx " + name)
	return []*net.MX{{Host: "mx." + name, Pref: 10}}, nil
}

func (r *countingResolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	r.count("ip " + host)
	return []net.IPAddr{{IP: net.IPv4(127, 0, 0, 1)}}, nil
}

func (r *countingResolver) LookupAddr(_ context.Context, addr string) ([]string, error) {
	r.count("ptr " + addr)
	return []string{"host.example."}, nil
}

func TestCache(t *testing.T) {
	up := &countingResolver{calls: map[string]int{},
		txt:  map[string][]string{"customer.example": {"v=spf1 -all"}},
		fail: map[string]error{"slow.example": &net.DNSError{Err: "i/o timeout", Name: "slow.example", IsTimeout: true}},
	}
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	c := NewCache(up, time.Minute, 3)
	c.now = func() time.Time { return now }
	ctx := context.Background()

	for range 3 {
		txt, err := c.LookupTXT(ctx, "customer.example")
		if err != nil || !slices.Equal(txt, []string{"v=spf1 -all"}) {
			t.Fatalf("LookupTXT = %q, %v", txt, err)
		}
		txt[0] = "changed by a caller" // must not reach the cache
		_, err = c.LookupTXT(ctx, "_dmarc.customer.example")
		var de *net.DNSError
		if !errors.As(err, &de) || !de.IsNotFound {
			t.Fatalf("NXDOMAIN came back as %v", err)
		}
		if _, err := c.LookupTXT(ctx, "slow.example"); err == nil {
			t.Fatal("a timeout came back as an answer")
		}
		c.LookupMX(ctx, "customer.example")
	}
	want := map[string]int{"txt customer.example": 1, "txt _dmarc.customer.example": 1, "txt slow.example": 3, "mx customer.example": 1}
	for k, n := range want {
		if up.calls[k] != n {
			t.Errorf("%s asked upstream %d times, want %d", k, up.calls[k], n)
		}
	}
	if txt, _ := c.LookupTXT(ctx, "customer.example"); txt[0] != "v=spf1 -all" {
		t.Errorf("a caller's change reached the cache: %q", txt)
	}

	// Full (3 live entries): a new name is answered but not kept.
	c.LookupAddr(ctx, "127.0.0.1")
	c.LookupAddr(ctx, "127.0.0.1")
	if up.calls["ptr 127.0.0.1"] != 2 {
		t.Errorf("with the cache full, ptr asked %d times, want 2", up.calls["ptr 127.0.0.1"])
	}
	// After the TTL every answer is asked again, and expired entries make
	// room.
	now = now.Add(time.Minute)
	c.LookupTXT(ctx, "customer.example")
	c.LookupAddr(ctx, "127.0.0.1")
	c.LookupAddr(ctx, "127.0.0.1")
	if up.calls["txt customer.example"] != 2 || up.calls["ptr 127.0.0.1"] != 3 {
		t.Errorf("after the TTL: txt asked %d times (want 2), ptr %d (want 3)", up.calls["txt customer.example"], up.calls["ptr 127.0.0.1"])
	}
}

func TestCacheConcurrent(t *testing.T) {
	up := &countingResolver{calls: map[string]int{}, txt: map[string][]string{"a.example": {"v=spf1 +all"}}}
	c := NewCache(up, time.Minute, 100)
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if txt, err := c.LookupTXT(context.Background(), "a.example"); err != nil || len(txt) != 1 {
				t.Errorf("LookupTXT = %q, %v", txt, err)
			}
		})
	}
	wg.Wait()
	if n := up.calls["txt a.example"]; n < 1 || n > 50 {
		t.Errorf("asked upstream %d times", n)
	}
}

// A full cache looks for expired entries at most every TTL/16, not at
// every new name: each look walks every entry under the lock all lookups
// take, so a flood of mail from random sender domains made every lookup
// of a new name walk all 10,000 (audit 4: 86 µs each). Names that differ
// only in case share an entry.
func TestCacheFullAndCase(t *testing.T) {
	spf := []string{"v=spf1 -all"}
	up := &countingResolver{calls: map[string]int{}, txt: map[string][]string{"Customer.Example": spf, "customer.example": spf, "CUSTOMER.EXAMPLE": spf}}
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	c := NewCache(up, time.Minute, 100)
	c.now = func() time.Time { return now }
	ctx := context.Background()

	for _, name := range []string{"Customer.Example", "customer.example", "CUSTOMER.EXAMPLE"} {
		if txt, err := c.LookupTXT(ctx, name); err != nil || len(txt) != 1 {
			t.Fatalf("LookupTXT(%s) = %q, %v", name, txt, err)
		}
	}
	if n := up.calls["txt Customer.Example"] + up.calls["txt customer.example"] + up.calls["txt CUSTOMER.EXAMPLE"]; n != 1 {
		t.Errorf("one name in three spellings asked upstream %d times, want 1", n)
	}

	for i := range 99 {
		c.LookupMX(ctx, fmt.Sprintf("d%d.example", i))
	}
	for i := range 500 { // a flood of new names, the cache full of live entries
		now = now.Add(time.Millisecond)
		c.LookupMX(ctx, fmt.Sprintf("flood%d.example", i))
	}
	if c.sweeps > 1 {
		t.Errorf("500 new names in 0.5 s walked the full cache %d times, want at most 1", c.sweeps)
	}
	// The entries expire: the next new name after the TTL finds room.
	now = now.Add(time.Minute)
	c.LookupMX(ctx, "late.example")
	c.LookupMX(ctx, "late.example")
	if up.calls["mx late.example"] != 1 {
		t.Errorf("after the TTL a new name was asked %d times, want 1 (kept)", up.calls["mx late.example"])
	}
}
