package queue

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/foxcpp/go-mockdns"
	"github.com/frontdesk-mail/frontdesk/third_party/go-smtp"
)

// mxHost is an in-process go-smtp server standing in for one mail
// exchanger; rcptErr, when set, is its answer to every RCPT.
type mxHost struct {
	ip      string
	mu      sync.Mutex
	rcptErr error
	got     []mxMail
	conns   int
}

type mxMail struct {
	from string
	to   []string
	data []byte
}

func (h *mxHost) NewSession(*smtp.Conn) (smtp.Session, error) {
	h.mu.Lock()
	h.conns++
	h.mu.Unlock()
	return &mxSession{h: h}, nil
}

func (h *mxHost) mails() []mxMail {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]mxMail(nil), h.got...)
}

func (h *mxHost) connections() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.conns
}

type mxSession struct {
	h    *mxHost
	from string
	to   []string
}

func (s *mxSession) Reset()        { s.from, s.to = "", nil }
func (s *mxSession) Logout() error { return nil }
func (s *mxSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}
func (s *mxSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.h.mu.Lock()
	err := s.h.rcptErr
	s.h.mu.Unlock()
	if err != nil {
		return err
	}
	s.to = append(s.to, to)
	return nil
}
func (s *mxSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.h.mu.Lock()
	s.h.got = append(s.h.got, mxMail{s.from, s.to, b})
	s.h.mu.Unlock()
	return nil
}

// mxNet runs one exchanger per loopback address (127.0.0.2, 127.0.0.3 …),
// all on the same free port, so MX.Port reaches each of them by the address
// the DNS fake gives: the code under test dials exactly what it dials in
// production, only on another port. Other loopback addresses have no server
// on that port (connections are refused).
func mxNet(t *testing.T, up []string) (int, map[string]*mxHost) {
	t.Helper()
	for range 20 {
		port, hosts, err := tryMXNet(t, up)
		if err == nil {
			return port, hosts
		}
		t.Logf("retrying: %v", err) // the port was taken on one of the addresses
	}
	t.Fatal("no port free on all test addresses")
	return 0, nil
}

func tryMXNet(t *testing.T, up []string) (int, map[string]*mxHost, error) {
	first, err := net.Listen("tcp", net.JoinHostPort(up[0], "0"))
	if err != nil {
		t.Fatal(err)
	}
	port := first.Addr().(*net.TCPAddr).Port
	lns := []net.Listener{first}
	for _, ip := range up[1:] {
		ln, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return 0, nil, err
		}
		lns = append(lns, ln)
	}
	hosts := map[string]*mxHost{}
	for i, ln := range lns {
		h := &mxHost{ip: up[i]}
		srv := smtp.NewServer(h)
		srv.Domain = "mx-" + up[i]
		srv.EnableSMTPUTF8 = true
		srv.ErrorLog = log.New(io.Discard, "", 0)
		go srv.Serve(ln)
		t.Cleanup(func() {
			// The deliverer ends its connections with QUIT in the
			// background; wait for that rather than racing it (go-smtp's
			// Close and a connection's command handling share unguarded
			// state).
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if srv.Shutdown(ctx) != nil {
				srv.Close()
			}
		})
		hosts[up[i]] = h
	}
	return port, hosts, nil
}

// mxDNS serves zones from a go-mockdns server and returns a real
// *net.Resolver that asks it, as cmd/frontdesk's dnsResolver does in
// production, so Go's own MX parsing (null MX, sorting) is exercised.
func mxDNS(t *testing.T, zones map[string]mockdns.Zone) *net.Resolver {
	t.Helper()
	srv, err := mockdns.NewServerWithLogger(zones, log.New(io.Discard, "", 0), false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	addr := srv.LocalAddr().String()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
}

func mxItem(to ...string) *Item {
	return &Item{ID: "q1", BodyID: "b1", Target: "outbound", Kind: "ack", From: "", To: to}
}

const mxBody = "From: support@support.test\r\nTo: carol@customer.test\r\nSubject: [SUP-1000] Re: hi\r\nAuto-Submitted: auto-replied\r\n\r\nThanks.\r\n"

func deliverMX(t *testing.T, r MXResolver, port int, it *Item) error {
	t.Helper()
	m := &MX{Resolver: r, Helo: "mx.support.test", Port: port, Timeout: 10 * time.Second, AllowPrivate: true}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return m.Deliver(ctx, it, []byte(mxBody))
}

func wantOneMail(t *testing.T, h *mxHost, rcpt string) {
	t.Helper()
	got := h.mails()
	if len(got) != 1 {
		t.Fatalf("exchanger %s got %d mails, want 1", h.ip, len(got))
	}
	if got[0].from != "" {
		t.Errorf("envelope sender %q, want the null sender", got[0].from)
	}
	if len(got[0].to) != 1 || got[0].to[0] != rcpt {
		t.Errorf("recipients %q, want %q", got[0].to, rcpt)
	}
	// Mail to customers carries no internal queue id.
	if strings.Contains(string(got[0].data), "X-Frontdesk-Queue-Id") || !strings.Contains(string(got[0].data), "Thanks.") {
		t.Errorf("delivered copy:\n%s", got[0].data)
	}
}

func TestMXPreferenceOrder(t *testing.T) {
	port, hosts := mxNet(t, []string{"127.0.0.2", "127.0.0.3", "127.0.0.4"})
	r := mxDNS(t, map[string]mockdns.Zone{
		// Listed worst first: the order of the answer must not matter.
		"customer.test.":     {MX: []net.MX{{Host: "mx3.customer.test.", Pref: 30}, {Host: "mx1.customer.test.", Pref: 5}, {Host: "mx2.customer.test.", Pref: 10}}, A: []string{"127.0.0.4"}},
		"mx1.customer.test.": {A: []string{"127.0.0.2"}},
		"mx2.customer.test.": {A: []string{"127.0.0.3"}},
		"mx3.customer.test.": {A: []string{"127.0.0.4"}},
	})
	if err := deliverMX(t, r, port, mxItem("carol@customer.test")); err != nil {
		t.Fatal(err)
	}
	wantOneMail(t, hosts["127.0.0.2"], "carol@customer.test")
	if n := hosts["127.0.0.3"].connections() + hosts["127.0.0.4"].connections(); n != 0 {
		t.Errorf("less preferred exchangers (or the domain's A record) were contacted %d times", n)
	}
}

func TestMXFallbackToAddressRecords(t *testing.T) {
	port, hosts := mxNet(t, []string{"127.0.0.2"})
	r := mxDNS(t, map[string]mockdns.Zone{
		"customer.test.": {A: []string{"127.0.0.2"}}, // no MX at all
	})
	if err := deliverMX(t, r, port, mxItem("Carol@Customer.Test")); err != nil {
		t.Fatal(err)
	}
	wantOneMail(t, hosts["127.0.0.2"], "Carol@Customer.Test")
}

func TestMXNullMXIsPermanent(t *testing.T) {
	port, hosts := mxNet(t, []string{"127.0.0.2"})
	r := mxDNS(t, map[string]mockdns.Zone{
		// RFC 7505: "no mail here", even though an A record exists.
		"customer.test.": {MX: []net.MX{{Host: ".", Pref: 0}}, A: []string{"127.0.0.2"}},
	})
	err := deliverMX(t, r, port, mxItem("carol@customer.test"))
	if err == nil || !isPermanent(err) || !strings.Contains(err.Error(), "null MX") {
		t.Fatalf("err = %v, want a permanent null-MX failure", err)
	}
	if n := hosts["127.0.0.2"].connections(); n != 0 {
		t.Errorf("the domain's A record was contacted %d times despite a null MX", n)
	}
}

func TestMXNoSuchDomainIsPermanent(t *testing.T) {
	r := mxDNS(t, map[string]mockdns.Zone{"other.test.": {A: []string{"127.0.0.2"}}})
	err := deliverMX(t, r, 2525, mxItem("carol@nowhere.test"))
	if err == nil || !isPermanent(err) {
		t.Fatalf("err = %v, want permanent (no MX, no A)", err)
	}
}

func TestMXDNSFailureIsTemporary(t *testing.T) {
	r := mxDNS(t, map[string]mockdns.Zone{"customer.test.": {Err: errors.New("servfail")}})
	err := deliverMX(t, r, 2525, mxItem("carol@customer.test"))
	if err == nil || isPermanent(err) {
		t.Fatalf("err = %v, want a temporary failure (SERVFAIL)", err)
	}
}

func TestMXFirstHostTempFailsSecondDelivers(t *testing.T) {
	port, hosts := mxNet(t, []string{"127.0.0.2", "127.0.0.3"})
	hosts["127.0.0.2"].rcptErr = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 7, 1}, Message: "greylisted, try later"}
	r := mxDNS(t, map[string]mockdns.Zone{
		"customer.test.":     {MX: []net.MX{{Host: "mx1.customer.test.", Pref: 10}, {Host: "mx2.customer.test.", Pref: 20}}},
		"mx1.customer.test.": {A: []string{"127.0.0.2"}},
		"mx2.customer.test.": {A: []string{"127.0.0.3"}},
	})
	if err := deliverMX(t, r, port, mxItem("carol@customer.test")); err != nil {
		t.Fatal(err)
	}
	if n := hosts["127.0.0.2"].connections(); n != 1 {
		t.Errorf("first exchanger contacted %d times, want 1", n)
	}
	if got := hosts["127.0.0.2"].mails(); len(got) != 0 {
		t.Errorf("first exchanger accepted %d mails despite 451", len(got))
	}
	wantOneMail(t, hosts["127.0.0.3"], "carol@customer.test")
}

func TestMXFirstHostRefusesConnectionSecondDelivers(t *testing.T) {
	port, hosts := mxNet(t, []string{"127.0.0.3"})
	r := mxDNS(t, map[string]mockdns.Zone{
		"customer.test.":     {MX: []net.MX{{Host: "mx1.customer.test.", Pref: 10}, {Host: "mx2.customer.test.", Pref: 20}}},
		"mx1.customer.test.": {A: []string{"127.0.0.2"}}, // nothing listens there
		"mx2.customer.test.": {A: []string{"127.0.0.3"}},
	})
	if err := deliverMX(t, r, port, mxItem("carol@customer.test")); err != nil {
		t.Fatal(err)
	}
	wantOneMail(t, hosts["127.0.0.3"], "carol@customer.test")
}

func TestMX5xxIsPermanentWithoutTryingOthers(t *testing.T) {
	port, hosts := mxNet(t, []string{"127.0.0.2", "127.0.0.3"})
	hosts["127.0.0.2"].rcptErr = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	r := mxDNS(t, map[string]mockdns.Zone{
		"customer.test.":     {MX: []net.MX{{Host: "mx1.customer.test.", Pref: 10}, {Host: "mx2.customer.test.", Pref: 20}}},
		"mx1.customer.test.": {A: []string{"127.0.0.2"}},
		"mx2.customer.test.": {A: []string{"127.0.0.3"}},
	})
	err := deliverMX(t, r, port, mxItem("carol@customer.test"))
	if err == nil || !isPermanent(err) || !strings.Contains(err.Error(), "550") {
		t.Fatalf("err = %v, want permanent 550", err)
	}
	if n := hosts["127.0.0.3"].connections(); n != 0 {
		t.Errorf("second exchanger contacted %d times after a 5xx", n)
	}
}

func TestMXAllDownIsTemporary(t *testing.T) {
	port, hosts := mxNet(t, []string{"127.0.0.4"})
	hosts["127.0.0.4"].rcptErr = &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "shutting down"}
	r := mxDNS(t, map[string]mockdns.Zone{
		"customer.test.":     {MX: []net.MX{{Host: "mx1.customer.test.", Pref: 10}, {Host: "mx2.customer.test.", Pref: 20}, {Host: "mx3.customer.test.", Pref: 30}}},
		"mx1.customer.test.": {A: []string{"127.0.0.2"}}, // refused
		"mx2.customer.test.": {A: []string{"127.0.0.3"}}, // refused
		"mx3.customer.test.": {A: []string{"127.0.0.4"}}, // 421
	})
	err := deliverMX(t, r, port, mxItem("carol@customer.test"))
	if err == nil || isPermanent(err) {
		t.Fatalf("err = %v, want a temporary failure", err)
	}
	for _, want := range []string{"mx1.customer.test", "mx2.customer.test", "mx3.customer.test", "421"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q: %v", want, err)
		}
	}
}

func TestMXGroupsRecipientsPerDomain(t *testing.T) {
	port, hosts := mxNet(t, []string{"127.0.0.2", "127.0.0.3"})
	r := mxDNS(t, map[string]mockdns.Zone{
		"a.test.": {A: []string{"127.0.0.2"}},
		"b.test.": {A: []string{"127.0.0.3"}},
	})
	if err := deliverMX(t, r, port, mxItem("x@a.test", "y@b.test", "z@A.test")); err != nil {
		t.Fatal(err)
	}
	a, b := hosts["127.0.0.2"].mails(), hosts["127.0.0.3"].mails()
	if len(a) != 1 || fmt.Sprint(a[0].to) != "[x@a.test z@A.test]" {
		t.Errorf("a.test got %+v, want one transaction for x and z", a)
	}
	if len(b) != 1 || fmt.Sprint(b[0].to) != "[y@b.test]" {
		t.Errorf("b.test got %+v, want one transaction for y", b)
	}
}

func TestMXPartialDeliveryKeepsOnlyTheRest(t *testing.T) {
	port, hosts := mxNet(t, []string{"127.0.0.2", "127.0.0.3"})
	hosts["127.0.0.3"].rcptErr = &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 2, 0}, Message: "mailbox busy"}
	r := mxDNS(t, map[string]mockdns.Zone{
		"a.test.": {A: []string{"127.0.0.2"}},
		"b.test.": {A: []string{"127.0.0.3"}},
	})
	it := mxItem("x@a.test", "y@b.test")
	err := deliverMX(t, r, port, it)
	if err == nil || isPermanent(err) {
		t.Fatalf("err = %v, want temporary", err)
	}
	if fmt.Sprint(it.To) != "[y@b.test]" {
		t.Errorf("item recipients after the attempt: %q, want only the deferred one", it.To)
	}
	// The retry goes to b.test only: a.test does not get a duplicate.
	hosts["127.0.0.3"].mu.Lock()
	hosts["127.0.0.3"].rcptErr = nil
	hosts["127.0.0.3"].mu.Unlock()
	if err := deliverMX(t, r, port, it); err != nil {
		t.Fatal(err)
	}
	if n := len(hosts["127.0.0.2"].mails()); n != 1 {
		t.Errorf("a.test got %d copies, want 1", n)
	}
	wantOneMail(t, hosts["127.0.0.3"], "y@b.test")
}

// A customer with an internationalized address (RFC 6531) is reached
// through the MX of the domain's A-labels, with SMTPUTF8.
func TestMXInternationalizedDomain(t *testing.T) {
	port, hosts := mxNet(t, []string{"127.0.0.2"})
	r := mxDNS(t, map[string]mockdns.Zone{
		"xn--fsqu00a.xn--fiqs8s.":    {MX: []net.MX{{Host: "mx.xn--fsqu00a.xn--fiqs8s.", Pref: 10}}}, // 例子.中国
		"mx.xn--fsqu00a.xn--fiqs8s.": {A: []string{"127.0.0.2"}},
	})
	if err := deliverMX(t, r, port, mxItem("张三@例子.中国")); err != nil {
		t.Fatal(err)
	}
	wantOneMail(t, hosts["127.0.0.2"], "张三@例子.中国")
	// A Unicode domain that has no A-label form fails before any lookup.
	if err := deliverMX(t, r, port, mxItem("张三@例子.中国-")); err == nil || !isPermanent(err) || !strings.Contains(err.Error(), "idna") {
		t.Errorf("delivery to a domain with a bad label: %v; want a permanent failure for the domain", err)
	}
}

// Issue 17, item 3: a stranger chooses the customer's address, so MX must
// not connect into our own networks: x@[127.0.0.1], x@[10.255.255.1] or a
// domain whose exchanger resolves to loopback fail permanently, naming the
// setting, and no connection is made. With AllowPrivate (tests) they are
// delivered.
func TestMXRefusesNonPublicAddresses(t *testing.T) {
	port, hosts := mxNet(t, []string{"127.0.0.2"})
	r := mxDNS(t, map[string]mockdns.Zone{
		"customer.test.":     {MX: []net.MX{{Host: "mx1.customer.test.", Pref: 10}, {Host: "mx2.customer.test.", Pref: 20}}},
		"mx1.customer.test.": {A: []string{"127.0.0.2"}},
		"mx2.customer.test.": {A: []string{"10.255.255.1"}, AAAA: []string{"fe80::1"}},
		"plain.test.":        {A: []string{"127.0.0.2"}}, // no MX: the domain's own address
	})
	for _, rcpt := range []string{"x@[127.0.0.2]", "x@[10.255.255.1]", "x@[IPv6:::1]", "x@[IPv6:::ffff:127.0.0.2]", "x@[0.0.0.0]",
		"x@[169.254.169.254]", "carol@customer.test", "carol@plain.test"} {
		m := &MX{Resolver: r, Helo: "mx.support.test", Port: port, Timeout: 10 * time.Second}
		err := m.Deliver(context.Background(), mxItem(rcpt), []byte(mxBody))
		if err == nil || !isPermanent(err) || !strings.Contains(err.Error(), "outbound.allow_private_addresses") {
			t.Errorf("%s: err = %v, want a permanent refusal naming the setting", rcpt, err)
		}
	}
	if n := hosts["127.0.0.2"].connections(); n != 0 {
		t.Errorf("the loopback exchanger was contacted %d times", n)
	}
	if err := deliverMX(t, r, port, mxItem("carol@customer.test")); err != nil {
		t.Fatalf("with AllowPrivate: %v", err)
	}
	wantOneMail(t, hosts["127.0.0.2"], "carol@customer.test")
}

// A refusal found next to a lookup that failed for now is temporary: the
// other exchanger may be public once its name resolves.
func TestMXRefusedBesideATemporaryFailureIsTemporary(t *testing.T) {
	r := mxDNS(t, map[string]mockdns.Zone{
		"customer.test.":     {MX: []net.MX{{Host: "mx1.customer.test.", Pref: 10}, {Host: "mx2.customer.test.", Pref: 20}}},
		"mx1.customer.test.": {A: []string{"192.168.1.1"}},
		"mx2.customer.test.": {Err: errors.New("servfail")},
	})
	m := &MX{Resolver: r, Helo: "mx.support.test", Port: 2525, Timeout: 10 * time.Second}
	err := m.Deliver(context.Background(), mxItem("carol@customer.test"), []byte(mxBody))
	if err == nil || isPermanent(err) || !strings.Contains(err.Error(), "private") {
		t.Fatalf("err = %v, want a temporary failure that mentions the refused private address", err)
	}
}

func TestRefused(t *testing.T) {
	for ip, want := range map[string]string{
		"127.0.0.1": "loopback", "::1": "loopback", "::ffff:127.0.0.1": "loopback", "10.1.2.3": "private",
		"172.16.0.1": "private", "192.168.0.1": "private", "fd00::1": "private", "169.254.169.254": "link-local",
		"fe80::1": "link-local", "0.0.0.0": "unspecified", "::": "unspecified", "0.1.2.3": `"this network" (0.0.0.0/8)`,
		"239.1.2.3": "multicast", "224.0.0.1": "link-local", "ff02::1": "link-local", "255.255.255.255": "broadcast", "100.64.0.1": "shared address space (100.64.0.0/10)",
		"240.0.0.1": "reserved (240.0.0.0/4)", "fec0::1": "site-local (fec0::/10)",
		"64:ff9b::7f00:1": "loopback (as 127.0.0.1)", "64:ff9b::a9fe:a9fe": "link-local (as 169.254.169.254)",
		"64:ff9b:1::a00:1": "private (as 10.0.0.1)", "::7f00:1": "loopback (as 127.0.0.1)", "2002:c0a8:101::1": "private (as 192.168.1.1)",
		"192.0.2.1": "", "2001:db8::1": "", "8.8.8.8": "", "::ffff:8.8.8.8": "", "64:ff9b::808:808": "", "2002:808:808::1": "",
	} {
		if got := Refused(netip.MustParseAddr(ip)); got != want {
			t.Errorf("Refused(%s) = %q, want %q", ip, got, want)
		}
	}
}
