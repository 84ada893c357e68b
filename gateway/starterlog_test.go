package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/internal/testenv"
	"github.com/frontdesk-mail/frontdesk/learn"
)

// TestStarterChoiceLogged: the log says at start whether the starter
// examples are used and why, learning off included (before, a gateway
// with learn.enabled: false said nothing of them); and a FAQ catalog
// reloaded to one that would make the other choice is warned about (the
// choice made at start stands until restart, while the dry runs decide
// on the file as it is now). A reload that changes nothing, or a
// learn.starter set in the config, warns of nothing.
func TestStarterChoiceLogged(t *testing.T) {
	starter, err := learn.Starter()
	if err != nil {
		t.Fatal(err)
	}
	small := "- id: gizmo-reset\n  url: https://help.example/gizmo-reset\n  departments: [support]\n  en:\n    title: How do I reset my gizmo?\n    answer: Hold the button for ten seconds.\n"
	for _, c := range []struct {
		name            string
		learn           string
		first, reloaded string // the catalog's files; "demo": the demo catalog
		atStart         string
		warn            string // "": no warning
	}{
		{"learning off", "learn: {enabled: false}", "demo", "demo", `use=false why="learn.enabled is false`, ""},
		{"demo, reloaded to another catalog", "", "demo", small, fmt.Sprintf(`use=true why="%d starter examples"`, len(starter)), `level=WARN msg="starter examples" use=true why="chosen at start, until restart; the reloaded FAQ catalog lacks entries they name`},
		{"another catalog, reloaded to the demo", "", small, "demo", `use=false why="the FAQ catalog lacks entries`, `level=WARN msg="starter examples" use=false why="chosen at start, until restart; the reloaded FAQ catalog has every entry they name`},
		{"demo, reloaded to the demo", "", "demo", "demo", `use=true`, ""},
		{"starter on, reloaded to another catalog", "learn: {starter: true}", "demo", small, `use=true`, ""},
		{"starter off, reloaded to the demo", "learn: {starter: false}", small, "demo", `use=false why="learn.starter is false"`, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			faqFile := filepath.Join(dir, "faq.yaml")
			write := func(which string) {
				b := []byte(which)
				if which == "demo" {
					var err error
					if b, err = os.ReadFile(filepath.Join("..", "faq", "demo.yaml")); err != nil { // the embedded demo's source
						t.Fatal(err)
					}
				}
				if err := os.WriteFile(faqFile, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write(c.first)
			cfgFile := filepath.Join(dir, "frontdesk.yaml")
			os.WriteFile(cfgFile, []byte("hostname: frontdesk.test\ndomains: [support.test]\ndata_dir: data\nfaq_file: faq.yaml\n"+
				"smtp: {listen: \"127.0.0.1:0\"}\nhttp: {listen: \"127.0.0.1:0\"}\nrelay: {target: maildir}\noutbound: {target: maildir}\n"+c.learn+"\n"), 0o644)
			cfg, err := config.Load(cfgFile)
			if err != nil {
				t.Fatal(err)
			}
			var logs testenv.SyncBuffer
			g, err := New(context.Background(), Options{Config: cfg, Registry: prometheus.NewRegistry(), Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			if err != nil {
				t.Fatal(err)
			}
			defer g.Close()
			if !strings.Contains(logs.String(), `msg="starter examples" `+c.atStart) {
				t.Errorf("at start, want %s in the log:\n%s", c.atStart, logs.String())
			}
			write(c.reloaded)
			if err := g.faqs.w.Reload(); err != nil {
				t.Fatal(err)
			}
			got := logs.String()
			if c.warn != "" && !strings.Contains(got, c.warn) {
				t.Errorf("after the reload, want %s in the log:\n%s", c.warn, got)
			}
			if c.warn == "" && strings.Contains(got, "level=WARN") {
				t.Errorf("after the reload, a warning:\n%s", got)
			}
		})
	}
}

// TestOpenLearnTargetSaysStarterUse: `learn list --starter -c CONFIG`
// says whether serve with that config uses the starter examples and why
// (the Target's Starter), without a store. Before, it said only
// "learn.starter says whether they are used".
func TestOpenLearnTargetSaysStarterUse(t *testing.T) {
	own := gizmoCatalog(t)
	yes, no := true, false
	for _, c := range []struct {
		name           string
		faqFile        string
		starter, learn *bool
		want           string
	}{
		{"embedded defaults", "", nil, nil, "used with this config"},
		{"starter off", "", &no, nil, "not used with this config: learn.starter is false"},
		{"learning off", "", nil, &no, "not used with this config: learn.enabled is false"},
		{"another catalog", own, nil, nil, "not used with this config: the FAQ catalog lacks entries"},
		{"another catalog, starter on", own, &yes, nil, "used with this config"},
	} {
		cfg := config.Default()
		cfg.DataDir = filepath.Join(t.TempDir(), "none") // no store: none is needed
		cfg.FAQFile = c.faqFile
		cfg.Learn.Starter, cfg.Learn.Enabled = c.starter, c.learn
		tg, err := OpenLearnTarget(cfg, learn.StoreNone)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if !strings.HasPrefix(tg.Starter, c.want) {
			t.Errorf("%s: %q, want %q", c.name, tg.Starter, c.want)
		}
		tg.Close()
	}
}
