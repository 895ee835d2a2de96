//go:build !js

package classroom

import (
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiters holds one token bucket per client address. A client is an IPv4
// address, or the /64 prefix of an IPv6 one (a device usually has a whole
// /64 to choose addresses from). Buckets idle for a while are dropped, and
// the table has a fixed size: past it, new clients are refused until old
// ones go idle.
type limiters struct {
	rate  rate.Limit
	burst int

	mu    sync.Mutex
	m     map[netip.Addr]*bucket
	swept time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

const (
	// maxClients bounds the limiters' table.
	maxClients = 20_000
	// idleAfter is how long an unused bucket is kept (it is full again
	// by then at any useful rate).
	idleAfter = 5 * time.Minute
)

func newLimiters(r rate.Limit, burst int) *limiters {
	return &limiters{rate: r, burst: burst, m: map[netip.Addr]*bucket{}}
}

// clientAddr returns the client of r: the address the connection comes
// from (no forwarding header is trusted: the server runs on the teacher's
// machine, with no proxy in front).
func clientAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		a = p.Addr()
	}
	return a
}

// get returns the bucket of the client, or nil when the table is full.
func (l *limiters) get(a netip.Addr, now time.Time) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.m {
			if now.Sub(b.seen) > idleAfter {
				delete(l.m, k)
			}
		}
		l.swept = now
	}
	b := l.m[a]
	if b == nil {
		if len(l.m) >= maxClients {
			return nil
		}
		b = &bucket{lim: rate.NewLimiter(l.rate, l.burst)}
		l.m[a] = b
	}
	b.seen = now
	return b.lim
}

// allow takes a token from the client's bucket and reports whether there
// was one.
func (l *limiters) allow(r *http.Request) bool {
	now := time.Now()
	lim := l.get(clientAddr(r), now)
	return lim != nil && lim.AllowN(now, 1)
}

// exhausted reports whether the client's bucket is empty, without taking
// a token.
func (l *limiters) exhausted(r *http.Request) bool {
	now := time.Now()
	lim := l.get(clientAddr(r), now)
	return lim == nil || lim.TokensAt(now) < 1
}
