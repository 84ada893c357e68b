package ack

import (
	"bytes"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

var oursA = Ours{
	Domains:   []string{"acme.example"},
	Addresses: []string{"support@acme.example", "billing@acme.example", "frontdesk@mx.acme.example"},
	Hostname:  "mx.acme.example",
}

const customer = `From: "Bob Smith" <bob@example.com>
To: support@acme.example
Subject: Kettle broken
Message-ID: <c1@example.com>

My kettle is broken.
`

// withHeader adds header lines to the customer's mail.
func withHeader(h string) string { return h + "\n" + customer }

func TestSuppress(t *testing.T) {
	for _, tc := range []struct {
		name, env, raw, want string
	}{
		{"normal customer mail", "bob@example.com", customer, ""},
		{"Auto-Submitted: no is a person", "bob@example.com", withHeader("Auto-Submitted: no"), ""},
		{"Auto-Submitted: No (comment)", "bob@example.com", withHeader("Auto-Submitted: No (sent by Bob)"), ""},
		{"X-Auto-Response-Suppress: DR only", "bob@example.com", withHeader("X-Auto-Response-Suppress: DR, NDR"), ""},
		{"Precedence: first-class", "bob@example.com", withHeader("Precedence: first-class"), ""},
		{"envelope in brackets", "<bob@example.com>", customer, ""},
		{"a person named Bouncer", "bouncer@example.com", strings.Replace(customer, "bob@", "bouncer@", 1), ""},
		{"a customer of a subdomain-like domain", "bob@notacme.example", customer, ""},

		{"null sender", "", customer, ReasonNullSender},
		{"null sender <>", "<>", customer, ReasonNullSender},
		{"auto-replied", "bob@example.com", withHeader("Auto-Submitted: auto-replied"), ReasonAutoSubmitted},
		{"auto-generated with params", "bob@example.com", withHeader("Auto-Submitted: auto-generated; owner-email=x@example.com"), ReasonAutoSubmitted},
		{"X-Autoreply", "bob@example.com", withHeader("X-Autoreply: yes"), ReasonAutoSubmitted},
		{"X-Autorespond", "bob@example.com", withHeader("X-Autorespond: vacation"), ReasonAutoSubmitted},
		{"Precedence bulk", "bob@example.com", withHeader("Precedence: bulk"), ReasonPrecedence},
		{"Precedence list", "bob@example.com", withHeader("Precedence: List"), ReasonPrecedence},
		{"Precedence junk", "bob@example.com", withHeader("Precedence: junk"), ReasonPrecedence},
		{"List-Id", "bob@example.com", withHeader("List-Id: Kettles <kettles.lists.example.com>"), ReasonList},
		{"List-Unsubscribe only", "bob@example.com", withHeader("List-Unsubscribe: <mailto:u@example.com>"), ReasonList},
		{"X-Auto-Response-Suppress All", "bob@example.com", withHeader("X-Auto-Response-Suppress: All"), ReasonSuppressHeader},
		{"X-Auto-Response-Suppress OOF", "bob@example.com", withHeader("X-Auto-Response-Suppress: DR, OOF"), ReasonSuppressHeader},
		{"X-Auto-Response-Suppress AutoReply", "bob@example.com", withHeader("X-Auto-Response-Suppress: AutoReply"), ReasonSuppressHeader},
		{"MAILER-DAEMON envelope", "MAILER-DAEMON@mx.example.com", customer, ReasonRobotSender},
		{"postmaster From", "bob@example.com", strings.Replace(customer, "bob@example.com", "postmaster@example.com", 1), ReasonRobotSender},
		{"noreply", "noreply@shop.example", customer, ReasonRobotSender},
		{"no-reply with tag", "no-reply+orders@shop.example", customer, ReasonRobotSender},
		{"do_not_reply", "Do_Not_Reply@bank.example", customer, ReasonRobotSender},
		{"shop.noreply From", "bob@example.com", strings.Replace(customer, "bob@example.com", "shop.noreply@shop.example", 1), ReasonRobotSender},
		{"VERP bounce address", "bounces+1234-bob=example.com@lists.example", customer, ReasonRobotSender},
		{"bounce-", "bounce-77@mailer.example", customer, ReasonRobotSender},
		// Mailing lists' administrative addresses (Mailman, Majordomo,
		// LISTSERV, sendmail's owner- convention): their mail is a list's
		// bounce, probe or moderation notice, never a customer.
		{"Mailman -bounces with VERP", "kettles-bounces+bob=example.com@lists.example", customer, ReasonRobotSender},
		{"-bounce", "news-bounce@lists.example", customer, ReasonRobotSender},
		{"owner- envelope", "owner-kettles@lists.example", customer, ReasonRobotSender},
		{"-owner From", "bob@example.com", strings.Replace(customer, "bob@example.com", "kettles-owner@lists.example", 1), ReasonRobotSender},
		{"-request envelope", "Kettles-Request@lists.example", customer, ReasonRobotSender},
		{"a person named Owner", "owner@example.com", strings.Replace(customer, "bob@", "owner@", 1), ""},
		{"a person named Request", "request.smith@example.com", strings.Replace(customer, "bob@", "request.smith@", 1), ""},
		{"Precedence bulk with a comment", "bob@example.com", withHeader("Precedence: bulk (newsletter)"), ReasonPrecedence},
		{"Precedence quoted", "bob@example.com", withHeader(`Precedence: "list"`), ReasonPrecedence},
		{"own address in From", "bob@example.com", strings.Replace(customer, "bob@example.com", "Support@acme.example", 1), ReasonOwnMail},
		{"own domain envelope", "alice@acme.example", customer, ReasonOwnMail},
		{"own subdomain", "daemon@mx.acme.example", customer, ReasonOwnMail},
		{"own Message-ID", "bob@example.com", strings.Replace(customer, "<c1@example.com>", "<reply.77@mx.acme.example>", 1), ReasonOwnMail},
		{"DSN", "", withHeader("Content-Type: multipart/report; report-type=delivery-status; boundary=x"), ReasonBounce},
		{"MDN from a person's address", "bob@example.com", withHeader("Content-Type: multipart/report; report-type=disposition-notification; boundary=x"), ReasonBounce},
		{"reply to our ack", "bob@example.com", withHeader("In-Reply-To: <ack.123abc@MX.acme.example>"), ReasonLoop},
		{"our ack deep in References", "bob@example.com", withHeader("References: <x@y> <ack.1@mx.acme.example> <z@y>"), ReasonLoop},
		{"X-Loop naming our host", "bob@example.com", withHeader("X-Loop: mx.acme.example"), ReasonLoop},
		{"X-Loop naming our address", "bob@example.com", withHeader("X-Loop: support@acme.example"), ReasonLoop},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := parse(t, tc.raw)
			reason, suppressed := Suppress(m, tc.env, oursA)
			if reason != tc.want || suppressed != (tc.want != "") {
				t.Errorf("Suppress = %q, %v; want %q", reason, suppressed, tc.want)
			}
		})
	}
}

func TestSuppressReasonsAreTheEnum(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Reasons {
		if seen[r] || r == "" || strings.ToLower(r) != r {
			t.Errorf("bad or duplicate reason %q", r)
		}
		seen[r] = true
	}
	if len(Reasons) != 13 {
		t.Errorf("%d reasons, want the 13 metric labels", len(Reasons))
	}
}

// TestTwoInstancesDoNotLoop: Frontdesk A acknowledges a customer whose
// address is in fact Frontdesk B's support address (a misconfigured
// forward, or a spoofed sender). B must not acknowledge A's ack — and even
// when every RFC 3834 marker was stripped on the way and B does answer,
// A must not answer B's: the loop ends at the second ack at the latest.
func TestTwoInstancesDoNotLoop(t *testing.T) {
	tm := builtins(t)
	oursB := Ours{Domains: []string{"bolt.example"}, Addresses: []string{"help@bolt.example"}, Hostname: "mx.bolt.example"}
	ackFrom := func(t *testing.T, ours Ours, dept string, m *message.Message, tag string) []byte {
		t.Helper()
		in := Input{DepartmentName: "Support", DepartmentAddress: dept, Original: m, TicketTag: tag, Hostname: ours.Hostname}
		raw, err := Build(tm, in)
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	strip := func(raw []byte) []byte {
		// What a careless forwarder does: drop the auto-reply markers.
		var out [][]byte
		for _, l := range bytes.Split(raw, []byte("\r\n")) {
			if bytes.HasPrefix(l, []byte("Auto-Submitted:")) || bytes.HasPrefix(l, []byte("X-Auto-Response-Suppress:")) {
				continue
			}
			out = append(out, l)
		}
		return bytes.Join(out, []byte("\r\n"))
	}
	reparse := func(t *testing.T, raw []byte) *message.Message {
		m, err := message.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}

	// A customer mail that claims to come from B's support address.
	first := parse(t, "From: help@bolt.example\nTo: support@acme.example\nSubject: Hello\nMessage-ID: <m1@bolt.example>\n\nhi\n")
	if reason, s := Suppress(first, "help@bolt.example", oursA); s {
		t.Fatalf("A would not acknowledge the first mail: %s", reason)
	}
	ackA := ackFrom(t, oursA, "support@acme.example", first, "SUP-1")

	// As sent: null envelope sender and Auto-Submitted. B stays silent.
	if reason, s := Suppress(reparse(t, ackA), "", oursB); !s || reason != ReasonNullSender {
		t.Errorf("B on A's ack as sent: %q %v, want null_sender", reason, s)
	}
	// Re-sent by a forwarder with an envelope sender: Auto-Submitted still says it.
	if reason, s := Suppress(reparse(t, ackA), "fwd@relay.example", oursB); !s || reason != ReasonAutoSubmitted {
		t.Errorf("B on A's forwarded ack: %q %v, want auto_submitted", reason, s)
	}
	// Every marker stripped: B cannot tell and acknowledges.
	strippedA := reparse(t, strip(ackA))
	if reason, s := Suppress(strippedA, "fwd@relay.example", oursB); s {
		t.Fatalf("B suppressed a mail with no markers (%s); the worst case needs B to answer", reason)
	}
	ackB := ackFrom(t, oursB, "help@bolt.example", strippedA, "HD-7")

	// B's ack, equally stripped, reaches A: it answers A's own ack.
	// This second ack is where it ends.
	if reason, s := Suppress(reparse(t, strip(ackB)), "fwd@relay.example", oursA); !s || reason != ReasonLoop {
		t.Errorf("A on B's ack: %q %v, want loop", reason, s)
	}
	// And unstripped, A stays silent for the plainer reason too.
	if reason, s := Suppress(reparse(t, ackB), "", oursA); !s || reason != ReasonLoop {
		t.Errorf("A on B's ack as sent: %q %v, want loop", reason, s)
	}
}

func FuzzSuppress(f *testing.F) {
	f.Add([]byte(strings.ReplaceAll(customer, "\n", "\r\n")), "bob@example.com")
	f.Add([]byte("Auto-Submitted: \r\nX-Loop: \r\nIn-Reply-To: <ack.@>\r\nFrom: <@>\r\n\r\n"), "")
	f.Add([]byte("Content-Type: multipart/report; boundary=\"b\"\r\n\r\n--b\r\n\r\n--b--"), "<>")
	f.Add([]byte("From: =?utf-8?q?=0D=0A?= <a@>\n\n"), "@")
	f.Fuzz(func(t *testing.T, raw []byte, env string) {
		m, _ := message.Parse(raw)
		reason, s := Suppress(m, env, oursA)
		if s == (reason == "") {
			t.Fatalf("suppressed=%v with reason %q", s, reason)
		}
		if s {
			known := false
			for _, r := range Reasons {
				known = known || r == reason
			}
			if !known {
				t.Fatalf("reason %q is not in Reasons", reason)
			}
		}
	})
}

// The gateway's own later mail (auto-close, resolution notices) goes to a
// ticket's customer only at an address a person reads.
func TestUnanswerable(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{"bob@example.com", ""},
		{" Bob@Example.COM ", ""},
		{"bouncer@example.com", ""},
		{"erased", ReasonInvalidAddress},
		{"", ReasonInvalidAddress},
		{"bob@example.com\r\nBcc: x@y", ReasonInvalidAddress},
		{"billing@acme.example", ReasonOwnMail},
		{"someone@eu.acme.example", ReasonOwnMail},
		{"frontdesk@mx.acme.example", ReasonOwnMail},
		{"no-reply@shop.example", ReasonRobotSender},
		{"MAILER-DAEMON@example.com", ReasonRobotSender},
		{"bounces+123=x@lists.example", ReasonRobotSender},
	} {
		got, ok := Unanswerable(tc.addr, oursA)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("Unanswerable(%q) = %q, %v; want %q", tc.addr, got, ok, tc.want)
		}
	}
}

func TestAutomatic(t *testing.T) {
	for _, c := range []struct {
		name, head, env string
		want            bool
	}{
		{"a person", "From: c@x.example\r\n", "c@x.example", false},
		{"auto-submitted no", "From: c@x.example\r\nAuto-Submitted: no (by hand)\r\n", "c@x.example", false},
		{"out of office", "From: c@x.example\r\nAuto-Submitted: auto-replied\r\n", "c@x.example", true},
		{"auto-generated", "From: c@x.example\r\nAuto-Submitted: Auto-Generated; owner-email=\"c@x.example\"\r\n", "c@x.example", true},
		{"x-autoreply", "From: c@x.example\r\nX-Autoreply: yes\r\n", "c@x.example", true},
		{"precedence auto_reply", "From: c@x.example\r\nPrecedence: Auto_Reply\r\n", "c@x.example", true},
		{"precedence bulk is a list, not an answer", "From: c@x.example\r\nPrecedence: bulk\r\n", "c@x.example", false},
		{"null sender", "From: c@x.example\r\n", "<>", true},
		{"a report", "From: postmaster@x.example\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n", "postmaster@x.example", true},
	} {
		if got := Automatic(parse(t, c.head+"Subject: s\r\n\r\nbody\r\n"), c.env); got != c.want {
			t.Errorf("%s: Automatic = %v, want %v", c.name, got, c.want)
		}
	}
}
