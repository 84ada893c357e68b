package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/gateway"
	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/rules"
	"github.com/frontdesk-mail/frontdesk/store"
)

// runLearn is `frontdesk learn list|forget|import` (learn.Main) on the
// store of a stopped server.
func runLearn(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return learn.Main(ctx, learn.Env{Open: openLearnTarget}, args, stdout, stderr)
}

func openLearnTarget(cfgPath string) (*learn.Target, error) {
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		return nil, err
	}
	cat := faq.Demo()
	if cfg.FAQFile != "" {
		if cat, err = faq.Load(cfg.FAQFile); err != nil {
			return nil, err
		}
	}
	var rs *rules.Rules
	if cfg.RulesFile != "" {
		rs, err = rules.Load(cfg.RulesFile)
	} else {
		rs, err = rules.Parse("embedded demo rules", rules.DemoSource)
	}
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, err
	}
	st, err := store.Open(filepath.Join(cfg.DataDir, "store"), gateway.StoreOptions(cfg.DataDir, true, nil))
	if err != nil {
		if strings.Contains(err.Error(), "Cannot acquire directory lock") {
			return nil, fmt.Errorf("the store of %s is in use by a running server: stop it first (agents teach a running server by mail: #move, #faq)", cfg.DataDir)
		}
		return nil, gateway.WithRecovery(err, cfgPath)
	}
	var depts []string
	for _, d := range rs.Departments() {
		depts = append(depts, d.Key)
	}
	return &learn.Target{Store: st, Catalog: cat, Departments: depts, PublicURL: cfg.HTTP.PublicURL, Close: st.Close}, nil
}

// withLearned is cat with the examples learned in cfg's data dir, as
// serve ranks and routes (rules test -c, faq suggest -c). Without a store
// there, with learning off, or with the store held by a running server,
// it is cat alone, and note says which.
func withLearned(cfg *config.Config, cat *faq.Catalog, note io.Writer) *faq.Catalog {
	if !cfg.Learn.On() {
		return cat
	}
	if checkStore(cfg.DataDir) != nil {
		return cat
	}
	st, err := store.Open(filepath.Join(cfg.DataDir, "store"), gateway.StoreOptions(cfg.DataDir, false, nil))
	if err != nil {
		fmt.Fprintf(note, "note: learned examples not used (%v)\n", err)
		return cat
	}
	defer st.Close()
	exs, err := learn.List(st)
	if err != nil {
		fmt.Fprintf(note, "note: learned examples not used (%v)\n", err)
		return cat
	}
	return cat.WithExamples(learn.ForFAQ(exs))
}

// learnedFor is withLearned for the config at cfgPath ("" none: cat).
func learnedFor(cfgPath string, cat *faq.Catalog, note io.Writer) *faq.Catalog {
	if cfgPath == "" {
		return cat
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return cat
	}
	return withLearned(cfg, cat, note)
}
