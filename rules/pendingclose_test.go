package rules

import (
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/sla"
)

func TestPendingCloseParsing(t *testing.T) {
	const head = "departments:\n  support:\n    addresses: [support]\n"
	for _, tc := range []struct {
		name, sla string
		want      sla.Duration
		err       string
	}{
		{"days", "    sla: {pending_close: 5d}\n", sla.Duration{Days: 5}, ""},
		{"hours", "    sla: {first_response: 4h, pending_close: 36h}\n", sla.Duration{Business: 36 * 3600e9}, ""},
		{"absent", "    sla: {first_response: 4h}\n", sla.Duration{}, ""},
		{"bad", "    sla: {pending_close: soon}\n", sla.Duration{}, `rules.yaml:4:26: department support: sla: pending_close: bad duration "soon"`},
		{"not a string", "    sla: {pending_close: [1d]}\n", sla.Duration{}, "pending_close"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Parse("rules.yaml", []byte(head+tc.sla+"default_department: support\n"))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d, _ := r.Department("support")
			if d.SLA.PendingClose != tc.want {
				t.Errorf("pending_close = %+v, want %+v", d.SLA.PendingClose, tc.want)
			}
		})
	}
}

func TestPendingCloseNotInRuleOverride(t *testing.T) {
	src := "departments:\n  support:\n    addresses: [support]\ndefault_department: support\nrules:\n  - name: r\n    if: {subject: {contains: x}}\n    then: {sla: {pending_close: 1d}}\n"
	_, err := Parse("rules.yaml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), `unknown key "pending_close"`) {
		t.Fatalf("a rule's sla took pending_close: %v", err)
	}
}
