package mailauth

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"sync"
	"time"
)

// Cache remembers a Resolver's answers for a short time. Support mail
// comes from few domains (the big providers and a company's regular
// customers), and every message costs an SPF and a DMARC lookup for its
// domain, often more: without a cache those are DNS round trips and
// message parsing on every message, a large share of the CPU the checks
// cost under load. Answers are kept for TTL at most, whatever the record's
// own TTL (Go's resolver does not report it), so a DNS change is seen within
// TTL; "no such name" and "no such record" are kept too (the common answer
// for DMARC), other errors never. A local caching resolver (unbound)
// honours the records' TTLs and serves the whole host; this cache only
// saves the round trip to it.
type Cache struct {
	r   Resolver
	ttl time.Duration
	max int
	now func() time.Time

	mu sync.Mutex
	m  map[string]cached
	// swept is when put last looked for expired entries in a full cache,
	// sweeps how often it did: at most every sweepEvery, since each look
	// walks every entry under mu (audit 4: with 10,000 live entries every
	// lookup of a new name, as from a flood of random sender domains,
	// walked them all, 86 µs under the lock that every lookup takes).
	swept  time.Time
	sweeps int
}

// sweepEvery is how often, at most, a full cache looks for expired
// entries to make room: a fraction of the TTL, so that an expired entry
// holds its room for at most that long.
func (c *Cache) sweepEvery() time.Duration { return c.ttl / 16 }

type cached struct {
	v     any // the answer: []string, []*net.MX or []net.IPAddr
	err   error
	until time.Time
}

// NewCache wraps r, keeping answers for ttl and at most max of them.
func NewCache(r Resolver, ttl time.Duration, max int) *Cache {
	return &Cache{r: r, ttl: ttl, max: max, now: time.Now, m: map[string]cached{}}
}

// get returns a live entry for key.
func (c *Cache) get(key string) (cached, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || !c.now().Before(e.until) {
		return cached{}, false
	}
	return e, true
}

// put keeps e unless its error is one that may go away at once (a timeout,
// a server failure) or the cache is full of live entries.
func (c *Cache) put(key string, e cached) {
	var dnsErr *net.DNSError
	if e.err != nil && !(errors.As(e.err, &dnsErr) && dnsErr.IsNotFound) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.m) >= c.max {
		if now.Sub(c.swept) < c.sweepEvery() {
			return
		}
		c.swept = now
		c.sweeps++
		for k, old := range c.m {
			if !now.Before(old.until) {
				delete(c.m, k)
			}
		}
		if len(c.m) >= c.max {
			return
		}
	}
	e.until = now.Add(c.ttl)
	c.m[key] = e
}

// lookup answers key from the cache, or asks and keeps the answer. Callers
// get copies: the SPF and DMARC code may keep or change what they get.
// Names differing only in case are one entry (DNS names are
// case-insensitive, RFC 4343): a sender's Customer.Example and
// customer.example cost one question.
func lookup[T any](c *Cache, key string, clone func(T) T, ask func() (T, error)) (T, error) {
	key = strings.ToLower(key)
	if e, ok := c.get(key); ok {
		v, _ := e.v.(T)
		return clone(v), e.err
	}
	v, err := ask()
	c.put(key, cached{v: clone(v), err: err})
	return v, err
}

// LookupTXT implements Resolver.
func (c *Cache) LookupTXT(ctx context.Context, name string) ([]string, error) {
	return lookup(c, "txt "+name, slices.Clone, func() ([]string, error) { return c.r.LookupTXT(ctx, name) })
}

// LookupMX implements Resolver.
func (c *Cache) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	return lookup(c, "mx "+name, cloneMX, func() ([]*net.MX, error) { return c.r.LookupMX(ctx, name) })
}

// LookupIPAddr implements Resolver.
func (c *Cache) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	return lookup(c, "ip "+host, slices.Clone, func() ([]net.IPAddr, error) { return c.r.LookupIPAddr(ctx, host) })
}

// LookupAddr implements Resolver.
func (c *Cache) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	return lookup(c, "ptr "+addr, slices.Clone, func() ([]string, error) { return c.r.LookupAddr(ctx, addr) })
}

func cloneMX(mx []*net.MX) []*net.MX {
	if mx == nil {
		return nil
	}
	out := make([]*net.MX, len(mx))
	for i, m := range mx {
		c := *m
		out[i] = &c
	}
	return out
}
