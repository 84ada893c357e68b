package ticket

import (
	"fmt"
	"slices"
	"strings"
)

// ByOwner keeps the tickets owner owns ("" all; "none" those nobody owns).
func ByOwner(ts []*Ticket, owner string) []*Ticket {
	if owner == "" {
		return ts
	}
	if owner == "none" {
		owner = ""
	}
	out := ts[:0:0]
	for _, t := range ts {
		if strings.EqualFold(t.Owner, owner) {
			out = append(out, t)
		}
	}
	return out
}

// CheckStatus accepts "" (any status) and Statuses. A filter
// on any other word would match nothing, and an empty list reads as "no
// such tickets", not as the typo it is; so unknown statuses are refused.
func CheckStatus(status string) error {
	if status == "" || slices.Contains(Statuses(), status) {
		return nil
	}
	return fmt.Errorf("unknown status %q (valid: %s)", status, strings.Join(Statuses(), ", "))
}
