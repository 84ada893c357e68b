package ticket

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
)

// ByOwner keeps the tickets owner owns ("" all; "none", in any case,
// those nobody owns). owner may be written as a mail client shows an
// address ("Alice <alice@acme.example>") and in any case.
func ByOwner(ts []*Ticket, owner string) []*Ticket {
	owner = strings.TrimSpace(owner)
	if owner == "" {
		return ts
	}
	if strings.EqualFold(owner, "none") {
		owner = ""
	} else if a, err := mail.ParseAddress(owner); err == nil {
		owner = a.Address
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

// CheckDepartment accepts "" (any department) and, in any case as List
// compares them, the departments valid (the rules' keys). Like an unknown
// status, an unknown department would list nothing and read as an empty
// department instead of the typo it is.
func CheckDepartment(dept string, valid []string) error {
	dept = strings.TrimSpace(dept)
	if dept == "" || slices.ContainsFunc(valid, func(v string) bool { return strings.EqualFold(v, dept) }) {
		return nil
	}
	return fmt.Errorf("unknown department %q (valid: %s)", dept, strings.Join(valid, ", "))
}
