package ticket

import (
	"slices"
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
