package main

import (
	"net"

	"golang.org/x/net/dns/dnsmessage"
)

// A stub DNS server for the server under test (Frontdesk's auth.dns_server):
// the benchmark runs on loopback only, and SPF/DMARC lookups against the
// system resolver would wait for their timeout. It answers every question
// at once with an authoritative NXDOMAIN, which is what the checks see for
// the loadgen's invented sender domains anyway (SPF none, no DMARC record).
// UDP only; the answers are small.

type dnsStub struct{ pc net.PacketConn }

func startDNS(addr string) (*dnsStub, error) {
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return nil, err
	}
	d := &dnsStub{pc: pc}
	go d.serve()
	return d, nil
}

func (d *dnsStub) Close() { d.pc.Close() }

func (d *dnsStub) serve() {
	buf := make([]byte, 1500)
	for {
		n, from, err := d.pc.ReadFrom(buf)
		if err != nil {
			return
		}
		if out := nxdomain(buf[:n]); out != nil {
			d.pc.WriteTo(out, from)
		}
	}
}

func nxdomain(q []byte) []byte {
	var p dnsmessage.Parser
	h, err := p.Start(q)
	if err != nil {
		return nil
	}
	qs, err := p.AllQuestions()
	if err != nil {
		return nil
	}
	m := dnsmessage.Message{
		Header: dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true,
			RecursionDesired: h.RecursionDesired, RecursionAvailable: true, RCode: dnsmessage.RCodeNameError},
		Questions: qs,
	}
	out, err := m.Pack()
	if err != nil {
		return nil
	}
	return out
}
