package sla

import "testing"

// The kinds are stored in tickets, shown by the API, used as metric labels
// and are the rules file's keys: their strings must never change.
func TestKindStrings(t *testing.T) {
	for _, c := range []struct {
		k       Kind
		str, en string
	}{
		{FirstResponse, "first_response", "first response"},
		{NextResponse, "next_response", "next response"},
		{Resolution, "resolution", "resolution"},
		{PendingClose, "pending_close", "auto-close"},
	} {
		if string(c.k) != c.str || c.k.Name("en") != c.en || c.k.Name("zh-CN") == c.en {
			t.Errorf("%q: name %q / %q", c.k, c.k.Name("en"), c.k.Name("zh-CN"))
		}
	}
	if ks := Kinds(); len(ks) != 3 || ks[0] != FirstResponse || ks[2] != Resolution {
		t.Errorf("Kinds() = %v", ks)
	}
	if Kind("other").Name("zh") != "other" {
		t.Error("an unknown kind is not named by its key")
	}
}
