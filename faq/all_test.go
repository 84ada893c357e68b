package faq

import (
	"reflect"
	"slices"
	"testing"
)

// TestAll: All yields the entries Entries returns, in the same order.
func TestAll(t *testing.T) {
	c := Demo()
	got := slices.Collect(c.All())
	if len(got) == 0 || !reflect.DeepEqual(got, c.Entries()) {
		t.Fatalf("All yields %d entries, not the %d of Entries in their order", len(got), c.Len())
	}
}
