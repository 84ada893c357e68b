package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sla due takes its rules from -c or from -r, never both: like rules test
// and faq suggest, it refuses the pair instead of silently using one.
func TestSLADueConfigOrRules(t *testing.T) {
	dir := t.TempDir()
	rulesFile := filepath.Join(dir, "rules.yaml")
	writeAt(t, rulesFile, "calendars: {office: {timezone: UTC, hours: {mon-fri: \"09:00-17:00\"}}}\n"+
		"departments: {support: {addresses: [support]}}\ndefault_department: support\n")
	cfg := filepath.Join(dir, "frontdesk.yaml")
	writeAt(t, cfg, "rules_file: rules.yaml\n")
	missing := filepath.Join(dir, "nope.yaml")
	if _, err := os.Stat(missing); err == nil {
		t.Fatal(missing + " exists")
	}
	due := []string{"--calendar", "office", "--start", "2026-11-23T09:00:00Z", "--duration", "1h", "--json"}
	cases := []struct {
		name   string
		args   []string
		code   int
		out    string
		errMsg string
	}{
		{"both", []string{"-c", cfg, "-r", rulesFile}, 2, "", "give either -c or -r, not both"},
		{"both, config missing", []string{"-c", missing, "-r", rulesFile}, 2, "", "give either -c or -r, not both"},
		{"both, after the other flags", append(append([]string{}, due...), "-r", rulesFile, "-c", cfg), 2, "", "give either -c or -r, not both"},
		{"config", []string{"-c", cfg}, 0, `{"due":"2026-11-23T10:00:00Z"}`, ""},
		{"rules", []string{"-r", rulesFile}, 0, `{"due":"2026-11-23T10:00:00Z"}`, ""},
		{"config missing", []string{"-c", missing}, 1, "", missing},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runCmd(t, append(append([]string{"sla", "due"}, c.args...), due...)...)
			if code != c.code || strings.TrimSpace(out) != c.out || !strings.Contains(errs, c.errMsg) {
				t.Errorf("sla due %v: exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr with %q", c.args, code, out, errs, c.code, c.out, c.errMsg)
			}
		})
	}
}
