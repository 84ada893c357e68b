package ack

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTemplates(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestOverrideLookupOrder(t *testing.T) {
	dir := writeTemplates(t, map[string]string{
		"ack.en.txt":          "GENERAL EN {{.TicketTag}}\n",
		"ack.finance.en.txt":  "FINANCE EN {{.TicketTag}} {{.DepartmentName}}\n",
		"ack.finance.en.html": "<p>FINANCE HTML {{.TicketTag}}</p>\n",
		"vip.en.txt":          "VIP {{.CustomerName}}\n",
		"notes.md":            "not a template, ignored",
	})
	tm, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dept, lang string
		txt, html        string
	}{
		{"ack", "finance", "en", "ack.finance.en.txt", "ack.finance.en.html"},
		{"ack", "support", "en", "ack.en.txt", ""},                              // dir text only: no built-in HTML mixed in
		{"ack", "support", "zh", "built-in:ack.zh.txt", "built-in:ack.zh.html"}, // no zh override
		{"ack", "finance", "fr", "ack.finance.en.txt", "ack.finance.en.html"},   // language falls back to en
		{"vip", "support", "zh", "vip.en.txt", ""},
	} {
		txt, html := tm.Source(tc.name, tc.dept, tc.lang)
		if filepath.Base(txt) != tc.txt || (html != "" || tc.html != "") && filepath.Base(html) != tc.html {
			t.Errorf("%s/%s/%s: got %q %q, want %q %q", tc.name, tc.dept, tc.lang, txt, html, tc.txt, tc.html)
		}
	}

	in := input(t, enMail)
	in.Department = "finance"
	in.DepartmentName = "Billing"
	env, _ := build(t, tm, in)
	if strings.TrimSpace(env.Text) != "FINANCE EN SUP-1042 Billing" || !strings.Contains(env.HTML, "FINANCE HTML") {
		t.Errorf("finance override not used: %q / %q", env.Text, env.HTML)
	}
	in.Department = "support"
	env, _ = build(t, tm, in)
	if strings.TrimSpace(env.Text) != "GENERAL EN SUP-1042" || env.HTML != "" {
		t.Errorf("general override: %q / HTML %q (want text only)", env.Text, env.HTML)
	}
	if !strings.HasPrefix(env.Root.ContentType, "text/plain") {
		t.Errorf("text-only ack is %s", env.Root.ContentType)
	}
	in.Template = "vip"
	env, _ = build(t, tm, in)
	if strings.TrimSpace(env.Text) != "VIP Bob Smith" {
		t.Errorf("named template: %q", env.Text)
	}
}
