package ticket

import (
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/sla"
)

func TestMoveRecountsFromArrival(t *testing.T) {
	arrived := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tk := New(NewParams{Tag: "SUP-1", Department: "support", Customer: "c@example.com",
		Policy: Policy{FirstResponse: sla.Duration{Business: 4 * time.Hour}, Resolution: sla.Duration{Days: 3}}},
		Entry{At: arrived, Kind: KindCustomer}, arrived, nil)
	moved := arrived.Add(2 * time.Hour)
	tk.Move("finance", Policy{FirstResponse: sla.Duration{Business: 24 * time.Hour}, Resolution: sla.Duration{Business: 48 * time.Hour}},
		"alice@acme.example", moved, nil)
	if tk.Department != "finance" {
		t.Fatalf("department %q", tk.Department)
	}
	if d := tk.Deadline("first_response"); d == nil || !d.Due.Equal(arrived.Add(24*time.Hour)) {
		t.Fatalf("first response %+v, want due %v (from arrival)", d, arrived.Add(24*time.Hour))
	}
	if d := tk.Deadline("resolution"); d == nil || !d.Due.Equal(arrived.Add(48*time.Hour)) {
		t.Fatalf("resolution %+v", d)
	}
	last := tk.Timeline[len(tk.Timeline)-1]
	if last.Kind != KindSystem || last.From != "alice@acme.example" || !strings.Contains(last.Text, "moved from support to finance") {
		t.Fatalf("timeline %+v", last)
	}
}

func TestMoveKeepsMetClocksAndDropsUntracked(t *testing.T) {
	arrived := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tk := New(NewParams{Tag: "SUP-2", Department: "support", Customer: "c@example.com",
		Policy: Policy{FirstResponse: sla.Duration{Business: time.Hour}, Resolution: sla.Duration{Business: 10 * time.Hour}}},
		Entry{At: arrived, Kind: KindCustomer}, arrived, nil)
	tk.AddAgentReply(Entry{At: arrived.Add(30 * time.Minute), Kind: KindAgent}, arrived.Add(30*time.Minute))
	met := *tk.Deadline("first_response")
	tk.Move("hr", Policy{FirstResponse: sla.Duration{Business: 8 * time.Hour}}, "bob@acme.example", arrived.Add(time.Hour), nil)
	if d := tk.Deadline("first_response"); d == nil || !d.Due.Equal(met.Due) || d.MetAt.IsZero() {
		t.Fatalf("met clock changed: %+v, was %+v", d, met)
	}
	if d := tk.Deadline("resolution"); d != nil {
		t.Fatalf("resolution kept under a policy without one: %+v", d)
	}
}
