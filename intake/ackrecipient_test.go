package intake

import (
	"context"
	"fmt"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/store"
)

// ackItems lists the queued acknowledgements' recipients.
func ackItems(t *testing.T, st *store.Store) [][]string {
	t.Helper()
	items, err := queue.List(st)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, it := range items {
		if it.Kind == "ack" {
			out = append(out, it.To)
		}
	}
	return out
}

// Issue 17, item 3: an acknowledgement goes to the envelope sender only,
// and only when the From agrees with it. Envelope attacker@evil.example
// with From: victim@victim.example (no DMARC, so not "forged") used to
// mail the victim; now nobody is answered and the reason is counted.
func TestAckGoesOnlyToAnAgreeingEnvelopeSender(t *testing.T) {
	cases := []struct {
		name, mailFrom, from string
		spfAligned           func(string) bool
		to                   string // "" for no acknowledgement
		reason               string
	}{
		{"third party in From", "attacker@evil.example", "Victim <victim@victim.example>", nil, "", "sender_mismatch"},
		{"third party, attacker's SPF passes", "attacker@evil.example", "victim@victim.example",
			func(d string) bool { return d == "evil.example" }, "", "sender_mismatch"},
		{"address literal in From", "attacker@evil.example", "x@[127.0.0.1]", nil, "", "invalid_address"},
		{"address literal everywhere", "x@[10.255.255.1]", "x@[10.255.255.1]", nil, "", "invalid_address"},
		{"same address", "carol@customer.example", "Carol <Carol@Customer.Example>", nil, "carol@customer.example", ""},
		{"aligned envelope with SPF pass", "bounce-7@mail.shop.example", "orders@shop.example",
			func(d string) bool { return d == "shop.example" }, "bounce-7@mail.shop.example", ""},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			var m *Metrics
			in, st := metricsIntake(t, reg, &m, Decision{Department: "support", Priority: "normal"})
			in.Acker = suppressFrom{}
			e := *env
			e.MailFrom, e.SPFAligned = c.mailFrom, c.spfAligned
			raw := fmt.Sprintf("From: %s\r\nSubject: please call me\r\nMessage-ID: <r%d@x.example>\r\n\r\nhi\r\n", c.from, i)
			if _, err := in.Accept(context.Background(), &e, []byte(raw)); err != nil {
				t.Fatal(err)
			}
			got := ackItems(t, st)
			if c.to == "" {
				if len(got) != 0 {
					t.Errorf("acknowledgements queued to %v, want none", got)
				}
				if n := testutil.ToFloat64(m.acks.WithLabelValues("suppressed", c.reason)); n != 1 {
					t.Errorf("acks suppressed/%s = %v, want 1", c.reason, n)
				}
				return
			}
			if len(got) != 1 || len(got[0]) != 1 || got[0][0] != c.to {
				t.Errorf("acknowledgements queued to %v, want [[%s]]", got, c.to)
			}
		})
	}
}

// Issue 17, item 3: flood@victim.example and Flood@victim.example. are
// one sender for the cap; they were counted apart (8 acknowledgements in
// an hour with the cap at 5). So are flood+1@ and flood+2@.
func TestAckCapCountsSpellingsOfOneAddressTogether(t *testing.T) {
	for name, spellings := range map[string][]string{
		"case and trailing dot": {"flood@victim.example", "Flood@victim.example.", "FLOOD@VICTIM.EXAMPLE", "flood@Victim.Example."},
		"IDNA":                  {"flood@例子.中国", "flood@xn--fsqu00a.xn--fiqs8s", "Flood@XN--FSQU00A.xn--fiqs8s."},
		// RFC 5233 subaddresses reach one mailbox: a forger writing both
		// envelope and From as victim+1@, victim+2@, … got every one of
		// them acknowledged into the victim's mailbox.
		"subaddress": {"flood@victim.example", "flood+1@victim.example", "Flood+a.b@victim.example.", "flood+@victim.example"},
	} {
		t.Run(name, func(t *testing.T) {
			in, st := newIntake(t, Decision{Department: "support"})
			in.Acker = suppressFrom{}
			in.AckRate = 5
			for i := range 8 {
				addr := spellings[i%len(spellings)]
				e := *env
				e.MailFrom = addr
				raw := fmt.Sprintf("From: %s\r\nSubject: flood %d\r\nMessage-ID: <f%d@victim.example>\r\n\r\nhi\r\n", addr, i, i)
				if _, err := in.Accept(context.Background(), &e, []byte(raw)); err != nil {
					t.Fatal(err)
				}
			}
			if got := ackItems(t, st); len(got) != 5 {
				t.Errorf("%d acknowledgements queued, want 5 (the cap): %v", len(got), got)
			}
		})
	}
}
