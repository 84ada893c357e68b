package queue

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/idna"
)

// MXResolver is the part of *net.Resolver that MX uses (tests pass a
// resolver that asks a local DNS fake).
type MXResolver interface {
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// MX delivers directly to each recipient domain's mail exchangers, the way
// an MTA does (RFC 5321 §5.1): the domain's MX hosts in preference order
// (Go's resolver already shuffles hosts of equal preference), each of their
// addresses in turn; a domain without MX records is its own mail exchanger
// (its A/AAAA records); a null MX (RFC 7505, a single "." host) means the
// domain accepts no mail, a permanent failure. Addresses that are not
// public (Refused: loopback, private, link-local, …), address literals
// included, are skipped unless AllowPrivate is set; when they are all
// there is, the attempt fails permanently with an error naming
// outbound.allow_private_addresses.
//
// Each host is tried with the SMTP target, one connection per attempt:
//   - a 5xx reply from a host is permanent (that host speaks for the domain;
//     asking the next one would only repeat the answer);
//   - a 4xx reply, a refused or timed-out connection or a dropped session
//     moves on to the next address; when every address failed that way the
//     attempt is a temporary failure and the queue retries it with backoff;
//   - DNS errors other than "no such name" are temporary too.
//
// The connection is plain SMTP: go-smtp's client cannot upgrade a
// connection it opened with our own EHLO name (its STARTTLS helpers send
// "EHLO localhost" before TLS, and its StartTLS method is unexported), so
// opportunistic STARTTLS would need a fork. Deployments that need TLS to
// customers' providers send through a smarthost (outbound.target:
// smtp://…) instead.
//
// Recipients are grouped per domain; intake gives mail to customers one
// recipient each, but an item with several is handled. When some domains
// took the message and others failed temporarily, the delivered recipients
// are removed from it.To, so that the queue (which stores the item after the
// attempt) retries only the others instead of sending duplicates.
type MX struct {
	Resolver MXResolver
	Helo     string
	// Port is the SMTP port of the exchangers: 25 when zero (tests use a
	// free port on loopback addresses).
	Port int
	// Timeout bounds each SMTP command and the body write (see SMTP).
	Timeout time.Duration
	// AllowPrivate lets MX deliver to addresses that are not public
	// (Refused): loopback, private, link-local and the like. Off in
	// production — a customer's address is chosen by a stranger, and
	// x@[127.0.0.1] or a domain whose MX resolves to 10.0.0.5 would make
	// the gateway connect into its own network; tests that run
	// exchangers on loopback turn it on.
	AllowPrivate bool
}

// Refused reports why ip is not a public unicast address that mail to a
// customer may be delivered to, or "" when it is: loopback, private (RFC
// 1918, RFC 4193), link-local, unspecified, multicast, broadcast, "this
// network" (0.0.0.0/8), shared address space (RFC 6598), reserved
// (240.0.0.0/4) and site-local are refused. IPv4-mapped, IPv4-compatible,
// NAT64 and 6to4 IPv6 addresses are also judged as the IPv4 address they
// carry.
func Refused(ip netip.Addr) string {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return "not an IP address"
	case ip.IsUnspecified():
		return "unspecified"
	case ip.IsLoopback():
		return "loopback"
	case ip.IsPrivate():
		return "private"
	case ip.IsLinkLocalUnicast(), ip.IsLinkLocalMulticast():
		return "link-local"
	case ip.IsMulticast(), ip.IsInterfaceLocalMulticast():
		return "multicast"
	case ip.Is4() && ip.As4()[0] == 0:
		return `"this network" (0.0.0.0/8)`
	case ip == netip.AddrFrom4([4]byte{255, 255, 255, 255}):
		return "broadcast"
	case sharedSpace.Contains(ip):
		return "shared address space (100.64.0.0/10)"
	case reserved4.Contains(ip):
		return "reserved (240.0.0.0/4)"
	case siteLocal.Contains(ip):
		return "site-local (fec0::/10)"
	}
	// IPv6 addresses that carry an IPv4 address to a translator or relay
	// (NAT64, 6to4, IPv4-compatible) lead where that address does.
	if ip.Is6() {
		b := ip.As16()
		var v4 netip.Addr
		switch {
		case nat64.Contains(ip), nat64Local.Contains(ip), compat4.Contains(ip):
			v4 = netip.AddrFrom4([4]byte(b[12:16]))
		case sixToFour.Contains(ip):
			v4 = netip.AddrFrom4([4]byte(b[2:6]))
		}
		if v4.IsValid() {
			if why := Refused(v4); why != "" {
				return why + " (as " + v4.String() + ")"
			}
		}
	}
	return ""
}

var (
	sharedSpace = netip.MustParsePrefix("100.64.0.0/10")
	reserved4   = netip.MustParsePrefix("240.0.0.0/4")
	siteLocal   = netip.MustParsePrefix("fec0::/10")
	nat64       = netip.MustParsePrefix("64:ff9b::/96")
	nat64Local  = netip.MustParsePrefix("64:ff9b:1::/48")
	compat4     = netip.MustParsePrefix("::/96")
	sixToFour   = netip.MustParsePrefix("2002::/16")
)

// refusedError is a destination that is not public: permanent, since the
// same name will resolve to the same network next time, and worded so an
// operator finds the setting.
func refusedError(domain, host string, ip netip.Addr, why string) error {
	return fmt.Errorf("mx %s: exchanger %s has %s address %s: refused, delivery is only to public addresses (outbound.allow_private_addresses)", domain, host, why, ip)
}

// maxMXAddrs bounds how many addresses one attempt tries per domain: a
// domain with many exchangers of many addresses must not keep one worker
// for the whole attempt timeout; the next attempt starts from the best
// again. RFC 5321 §4.5.4.1 asks for at least two.
const maxMXAddrs = 10

// Name implements Target.
func (m *MX) Name() string { return "mx" }

// Deliver implements Target.
func (m *MX) Deliver(ctx context.Context, it *Item, body []byte) error {
	if len(it.To) == 0 {
		return Permanent(errors.New("mx: no recipients"))
	}
	// Group by domain, keeping the order of first appearance.
	var domains []string
	groups := map[string][]string{}
	for _, rcpt := range it.To {
		d, err := rcptDomain(rcpt)
		if err != nil {
			return Permanent(err)
		}
		if _, ok := groups[d]; !ok {
			domains = append(domains, d)
		}
		groups[d] = append(groups[d], rcpt)
	}
	var temp, perm []error
	var delivered []string
	for _, d := range domains {
		if err := m.deliverDomain(ctx, it, d, groups[d], body); err != nil {
			if isPermanent(err) {
				perm = append(perm, err)
			} else {
				temp = append(temp, err)
			}
			continue
		}
		delivered = append(delivered, groups[d]...)
	}
	switch {
	case len(temp) == 0 && len(perm) == 0:
		return nil
	case len(temp) == 0:
		return Permanent(errors.Join(perm...))
	default:
		if len(delivered) > 0 {
			it.To = slices.DeleteFunc(it.To, func(r string) bool { return slices.Contains(delivered, r) })
		}
		// Permanently failed recipients stay in the item: they fail again
		// on the retry, and the item ends permanent when only they remain.
		return errors.Join(append(temp, perm...)...)
	}
}

// rcptDomain is the lower-cased domain of an address ("[192.0.2.1]" for an
// address literal), in A-labels: an internationalized address (例子.中国)
// has its MX in DNS as xn--fsqu00a.xn--fiqs8s.
func rcptDomain(rcpt string) (string, error) {
	a := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(rcpt), "<"), ">")
	i := strings.LastIndexByte(a, '@')
	if i < 0 || i == len(a)-1 {
		return "", fmt.Errorf("mx: recipient %q has no domain", rcpt)
	}
	d := strings.TrimSuffix(strings.ToLower(a[i+1:]), ".")
	if isASCII(d) {
		return d, nil
	}
	ad, err := idna.Lookup.ToASCII(d)
	if err != nil {
		return "", fmt.Errorf("mx: recipient %q: domain: %w", rcpt, err)
	}
	return ad, nil
}

// deliverDomain delivers to the recipients rcpts of domain.
func (m *MX) deliverDomain(ctx context.Context, it *Item, domain string, rcpts []string, body []byte) error {
	addrs, err := m.addrs(ctx, domain)
	if err != nil {
		return err
	}
	sub := *it
	sub.To = rcpts
	port := m.Port
	if port == 0 {
		port = 25
	}
	var errs []error
	for _, a := range addrs {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		host := &SMTP{Network: "tcp", Addr: net.JoinHostPort(a.ip, strconv.Itoa(port)), Helo: m.Helo, Timeout: m.Timeout}
		err := host.Deliver(ctx, &sub, body)
		if err == nil {
			return nil
		}
		err = fmt.Errorf("mx %s (%s): %w", domain, a.host, err)
		if isPermanent(err) {
			return Permanent(err)
		}
		errs = append(errs, err)
	}
	return fmt.Errorf("mx %s: no exchanger took the message: %w", domain, errors.Join(errs...))
}

type mxAddr struct{ host, ip string }

// addrs lists the addresses to try for domain, best first.
func (m *MX) addrs(ctx context.Context, domain string) ([]mxAddr, error) {
	if lit, ok := strings.CutPrefix(domain, "["); ok { // address literal
		lit = strings.TrimPrefix(strings.TrimSuffix(lit, "]"), "ipv6:")
		ip, err := netip.ParseAddr(lit)
		if err != nil || ip.Zone() != "" {
			return nil, Permanent(fmt.Errorf("mx: bad address literal %q", domain))
		}
		if why := Refused(ip); why != "" && !m.AllowPrivate {
			return nil, Permanent(refusedError(domain, domain, ip, why))
		}
		return []mxAddr{{domain, ip.Unmap().String()}}, nil
	}
	if m.Resolver == nil {
		return nil, Permanent(errors.New("mx: no resolver configured"))
	}
	mxs, err := m.Resolver.LookupMX(ctx, domain)
	if err != nil && !notFound(err) {
		return nil, fmt.Errorf("mx lookup %s: %w", domain, err)
	}
	mxs = slices.DeleteFunc(mxs, func(mx *net.MX) bool { return mx == nil })
	var hosts []string
	if len(mxs) == 0 {
		// No MX: the domain itself is the exchanger (RFC 5321 §5.1).
		hosts = []string{domain}
	} else {
		slices.SortStableFunc(mxs, func(a, b *net.MX) int { return int(a.Pref) - int(b.Pref) })
		for _, mx := range mxs {
			h := strings.TrimSuffix(mx.Host, ".")
			if h == "" {
				if len(mxs) == 1 {
					return nil, Permanent(fmt.Errorf("mx %s: null MX, the domain accepts no mail (RFC 7505)", domain))
				}
				continue // a "." among real exchangers is a misconfiguration: skip it
			}
			hosts = append(hosts, h)
		}
	}
	var out []mxAddr
	var errs, refused []error
	allNotFound := true
	for _, h := range hosts {
		ips, err := m.Resolver.LookupIPAddr(ctx, h)
		if err != nil {
			allNotFound = allNotFound && notFound(err)
			errs = append(errs, fmt.Errorf("address of %s: %w", h, err))
			continue
		}
		allNotFound = false
		for _, ipa := range ips {
			ip, ok := netip.AddrFromSlice(ipa.IP)
			if why := Refused(ip); why != "" && !m.AllowPrivate {
				refused = append(refused, refusedError(domain, h, ip, why))
				continue
			}
			if len(out) < maxMXAddrs && ok {
				out = append(out, mxAddr{h, ip.Unmap().String()})
			}
		}
	}
	if len(out) == 0 && len(refused) > 0 {
		if len(errs) == 0 {
			// Every exchanger is on a network we do not deliver into:
			// asking again finds the same addresses.
			return nil, Permanent(errors.Join(refused...))
		}
		// Some lookups failed for now: they may yet name public hosts.
		return nil, fmt.Errorf("mx %s: %w", domain, errors.Join(append(errs, refused...)...))
	}
	if len(out) == 0 {
		if len(mxs) == 0 && allNotFound {
			// Neither MX nor address records: no such mail domain.
			return nil, Permanent(fmt.Errorf("mx %s: no MX and no address records: %w", domain, errors.Join(errs...)))
		}
		if len(errs) == 0 {
			errs = append(errs, errors.New("no addresses"))
		}
		return nil, fmt.Errorf("mx %s: %w", domain, errors.Join(errs...))
	}
	return out, nil
}

// notFound reports a DNS "no such name / no such record" answer, as opposed
// to a failure to get an answer.
func notFound(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && de.IsNotFound
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
