package rules

import (
	"testing"

	"github.com/frontdesk-mail/frontdesk/sla"
)

// The department's own address is built here only: the first bare local
// part of its addresses, else its key.
func TestDepartmentAddress(t *testing.T) {
	for _, c := range []struct {
		d    Department
		want string
	}{
		{Department{Key: "support", Addresses: []string{"help@other.example", "helpdesk", "support"}}, "helpdesk@acme.example"},
		{Department{Key: "sales", Addresses: []string{"sales@acme.example"}}, "sales@acme.example"},
		{Department{Key: "billing"}, "billing@acme.example"},
	} {
		if got := c.d.Address("acme.example"); got != c.want {
			t.Errorf("%+v: Address = %q, want %q", c.d, got, c.want)
		}
	}
}

// Where a department's mail is delivered is decided here only: its
// mailbox, else its key at the gateway's host name, also for a department
// the rules in force no longer have.
func TestInbox(t *testing.T) {
	for _, c := range []struct {
		key  string
		d    Department
		want string
	}{
		{"sales", Department{Key: "sales", Mailbox: "sales-team@agents.example"}, "sales-team@agents.example"},
		{"support", Department{Key: "support", Addresses: []string{"helpdesk"}}, "support@frontdesk.example"},
		{"gone", Department{}, "gone@frontdesk.example"},
	} {
		if got := Inbox(c.key, c.d, "frontdesk.example"); got != c.want {
			t.Errorf("Inbox(%q, %+v) = %q, want %q", c.key, c.d, got, c.want)
		}
	}
}

// A decision carries the ticket's policy from its rules.Policy, and the
// matched rules' names in order.
func TestDecisionTicketPolicy(t *testing.T) {
	var d Decision
	if d.TicketPolicy() != (sla.Policy{}) || d.RuleNames() != nil {
		t.Fatalf("zero decision: %+v %v", d.TicketPolicy(), d.RuleNames())
	}
	d.SLA = &Policy{}
	d.SLA.Calendar = "office"
	d.Matched = []Match{{Rule: "a"}, {Rule: "b"}}
	if d.TicketPolicy().Calendar != "office" || len(d.RuleNames()) != 2 || d.RuleNames()[1] != "b" {
		t.Fatalf("got %+v %v", d.TicketPolicy(), d.RuleNames())
	}
}
