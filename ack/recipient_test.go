package ack

import (
	"strings"
	"testing"
)

func TestCanonicalAddress(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"flood@victim.example", "flood@victim.example"},
		{"Flood@victim.example.", "flood@victim.example"},
		{"<FLOOD@Victim.Example>", "flood@victim.example"},
		{"张三@例子.中国", "张三@xn--fsqu00a.xn--fiqs8s"},
		{"张三@XN--FSQU00A.xn--fiqs8s.", "张三@xn--fsqu00a.xn--fiqs8s"},
		{"a.b+tag@customer.example", "a.b+tag@customer.example"},
		{`"john doe"@customer.example`, `"john doe"@customer.example`},
		{"alice@customer.test", "alice@customer.test"},
		{"x@mail.co.uk", "x@mail.co.uk"},
	} {
		got, err := CanonicalAddress(c.in)
		if err != nil || got != c.want {
			t.Errorf("CanonicalAddress(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{
		"x@[127.0.0.1]", "x@[10.255.255.1]", "x@[IPv6:::1]", "x@127.0.0.1", "x@localhost", "x@host",
		"x@frontdesk.localhost", "x@printer.local", "x@svc.internal", "x@1.0.0.127.in-addr.arpa", "x@abc.onion",
		"x@bad_domain.example", "x@-bad.example", "x@a..example", "x@", "@customer.example", "nodomain",
		"a..b@customer.example", ".a@customer.example", "a b@customer.example", "a@b@customer.example",
		`"unterminated@customer.example`, strings.Repeat("a", 65) + "@customer.example",
		"x@" + strings.Repeat("a", 64) + ".example", "x\r\nBcc: y@customer.example",
	} {
		if got, err := CanonicalAddress(bad); err == nil {
			t.Errorf("CanonicalAddress(%q) = %q, want an error", bad, got)
		}
	}
}

func TestRecipient(t *testing.T) {
	spfVictim := func(d string) bool { return d == "victim.example" } // SPF passed for a victim.example sender
	for _, c := range []struct {
		name, env, from string
		spf             func(string) bool
		to, reason      string
	}{
		{"same address", "carol@customer.example", "carol@customer.example", nil, "carol@customer.example", ""},
		{"same address, other spelling", "<Carol@Customer.Example.>", "carol@customer.example", nil, "Carol@Customer.Example", ""},
		{"no From: nothing agrees with the envelope", "carol@customer.example", "", nil, "", ReasonSenderMismatch},
		{"third party in From, no DMARC", "attacker@evil.example", "victim@victim.example", nil, "", ReasonSenderMismatch},
		{"third party, SPF passed for the attacker only", "attacker@evil.example", "victim@victim.example",
			func(d string) bool { return d == "evil.example" }, "", ReasonSenderMismatch},
		{"aligned domain with SPF pass", "bounces+x@mail.victim.example", "ceo@victim.example", spfVictim, "bounces+x@mail.victim.example", ""},
		{"aligned domain without SPF", "bounces+x@mail.victim.example", "ceo@victim.example", nil, "", ReasonSenderMismatch},
		{"address literal in From", "attacker@evil.example", "x@[127.0.0.1]", nil, "", ReasonInvalidAddress},
		{"address literal as envelope and From", "x@[10.255.255.1]", "x@[10.255.255.1]", nil, "", ReasonInvalidAddress},
		{"dotless envelope", "root@localhost", "root@localhost", nil, "", ReasonInvalidAddress},
		{"null sender", "<>", "carol@customer.example", nil, "", ReasonNullSender},
	} {
		t.Run(c.name, func(t *testing.T) {
			to, reason := Recipient(c.env, c.from, c.spf)
			if to != c.to || reason != c.reason {
				t.Errorf("Recipient(%q, %q) = %q, %q; want %q, %q", c.env, c.from, to, reason, c.to, c.reason)
			}
		})
	}
}

// FuzzCanonicalAddress: addresses come from strangers. The canonical form
// is a fixed point, never an address literal, and never carries a line
// break into a header or an SMTP command.
func FuzzCanonicalAddress(f *testing.F) {
	for _, s := range []string{"flood@victim.example", "Flood@victim.example.", "x@[127.0.0.1]", "张三@例子.中国", `"a b"@c.example`, "a@b@c.example"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := CanonicalAddress(s)
		if err != nil {
			return
		}
		if strings.ContainsAny(c, "\r\n[") {
			t.Fatalf("CanonicalAddress(%q) = %q", s, c)
		}
		again, err := CanonicalAddress(c)
		if err != nil || again != c {
			t.Fatalf("CanonicalAddress(%q) = %q, but that gives %q, %v", s, c, again, err)
		}
	})
}

func TestCapAddress(t *testing.T) {
	for in, want := range map[string]string{
		"flood@victim.example":           "flood@victim.example",
		"flood+1@victim.example":         "flood@victim.example",
		"flood+a+b@victim.example":       "flood@victim.example",
		"flood+@victim.example":          "flood@victim.example",
		"+tag@victim.example":            "+tag@victim.example",
		"flood@plus+domain.example":      "flood@plus+domain.example",
		`"a+b@c"@victim.example`:         `"a+b@c"@victim.example`,
		"no-at-sign":                     "no-at-sign",
		"flood-list@victim.example":      "flood-list@victim.example",
		"flood+1@xn--fsqu00a.xn--fiqs8s": "flood@xn--fsqu00a.xn--fiqs8s",
	} {
		if got := CapAddress(in); got != want {
			t.Errorf("CapAddress(%q) = %q, want %q", in, got, want)
		}
	}
}
