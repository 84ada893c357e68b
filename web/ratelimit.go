package web

import (
	"container/list"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// triesLimiter limits failed status-link tries per client address with a
// token bucket each, kept in a bounded LRU map: when it is full the least
// recently seen address is forgotten (it starts again with a full bucket,
// the same as an address seen for the first time).
type triesLimiter struct {
	mu    sync.Mutex
	every rate.Limit
	burst int
	max   int
	lru   *list.List // of *tries, most recent at the front
	byKey map[string]*list.Element
}

type tries struct {
	key string
	lim *rate.Limiter
}

func newTriesLimiter(refill time.Duration, burst, max int) *triesLimiter {
	return &triesLimiter{every: rate.Every(refill), burst: burst, max: max, lru: list.New(), byKey: map[string]*list.Element{}}
}

// blocked reports whether key has no tries left at now. It does not
// create an entry: addresses that never failed cost nothing.
func (l *triesLimiter) blocked(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.byKey[key]
	if !ok {
		return false
	}
	l.lru.MoveToFront(e)
	return e.Value.(*tries).lim.TokensAt(now) < 1
}

// fail spends one try of key.
func (l *triesLimiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.byKey[key]
	if !ok {
		if l.lru.Len() >= l.max {
			old := l.lru.Back()
			l.lru.Remove(old)
			delete(l.byKey, old.Value.(*tries).key)
		}
		e = l.lru.PushFront(&tries{key: key, lim: rate.NewLimiter(l.every, l.burst)})
		l.byKey[key] = e
	} else {
		l.lru.MoveToFront(e)
	}
	e.Value.(*tries).lim.AllowN(now, 1)
}

func (l *triesLimiter) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lru.Len()
}

// retryAfter is how long a blocked address waits for its next try.
func (l *triesLimiter) retryAfter() time.Duration {
	return time.Duration(float64(time.Second) / float64(l.every))
}

// remoteKey is the rate-limit key of a request: the client's IP address,
// or its /64 for IPv6 (one subscriber usually holds a whole /64).
func remoteKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return addrKey(host)
}

func addrKey(host string) string {
	a, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}
