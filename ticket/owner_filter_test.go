package ticket

import (
	"context"
	"time"

	"github.com/frontdesk-mail/frontdesk/store"
	"slices"
	"strings"
	"testing"
)

// TestByOwner: the owner filter of tickets list --owner and the API's
// ?owner= takes an address however an operator spells it (any case, the
// display-name form a mail client copies, spaces around it) and "none"
// in any case; before, ?owner=None and --owner 'Alice <alice@…>' listed
// nothing, an empty list that reads as "nobody has tickets".
func TestByOwner(t *testing.T) {
	ts := []*Ticket{{Tag: "SUP-1", Lifecycle: Lifecycle{Owner: "alice@agents.test"}}, {Tag: "SUP-2"}, {Tag: "SUP-3", Lifecycle: Lifecycle{Owner: "bob@agents.test"}}}
	for _, c := range []struct {
		owner string
		want  []string
	}{
		{"", []string{"SUP-1", "SUP-2", "SUP-3"}},
		{"alice@agents.test", []string{"SUP-1"}},
		{"ALICE@Agents.Test", []string{"SUP-1"}},
		{" alice@agents.test ", []string{"SUP-1"}},
		{"Alice <alice@agents.test>", []string{"SUP-1"}},
		{"<bob@agents.test>", []string{"SUP-3"}},
		{"none", []string{"SUP-2"}},
		{"None", []string{"SUP-2"}},
		{" NONE ", []string{"SUP-2"}},
		{"carol@agents.test", nil},
	} {
		var got []string
		for _, tk := range ByOwner(ts, c.owner) {
			got = append(got, tk.Tag)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("ByOwner(%q) = %v, want %v", c.owner, got, c.want)
		}
	}
}

// TestListDepartmentAnyCase: tickets list --department and the API's
// ?department= find a department however it is capitalised (#move takes
// any case too); before, --department Support or IT's tickets under "it"
// listed nothing.
func TestListDepartmentAnyCase(t *testing.T) {
	st, err := store.Open("", store.Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	a, b := lcTicket("SUP-1", "c@x", now), lcTicket("SUP-2", "d@x", now)
	a.Department, b.Department = "support", "IT"
	if err := st.Update(context.Background(), func(txn *store.Txn) error {
		if err := Put(txn, nil, a); err != nil {
			return err
		}
		return Put(txn, nil, b)
	}); err != nil {
		t.Fatal(err)
	}
	for dept, want := range map[string]string{"support": "SUP-1", "Support": "SUP-1", "IT": "SUP-2", "it": "SUP-2", " it ": "SUP-2"} {
		ts, err := List(st, "", dept)
		if err != nil || len(ts) != 1 || ts[0].Tag != want {
			t.Errorf("List(%q): %d tickets, %v; want %s", dept, len(ts), err, want)
		}
	}
}

// TestCheckDepartment: tickets list --department takes "" or a department
// of the rules, in any case as List compares; anything else is refused
// with the valid ones, as CheckStatus refuses an unknown status.
func TestCheckDepartment(t *testing.T) {
	valid := []string{"support", "IT"}
	for _, c := range []struct {
		dept, err string
	}{
		{"", ""},
		{"support", ""},
		{"SUPPORT", ""},
		{"it", ""},
		{" it ", ""},
		{"nope", `unknown department "nope" (valid: support, IT)`},
		{"supp", `unknown department "supp"`},
	} {
		err := CheckDepartment(c.dept, valid)
		if (c.err == "") != (err == nil) || (err != nil && err.Error() != c.err && !strings.HasPrefix(err.Error(), c.err)) {
			t.Errorf("CheckDepartment(%q) = %v; want %q", c.dept, err, c.err)
		}
	}
	if err := CheckDepartment("x", nil); err == nil {
		t.Error("CheckDepartment with no departments accepted x")
	}
}
