package gateway

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/frontdesk-mail/frontdesk/ack"
	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/intake"
	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/rules"
)

// Files are the rules and FAQ catalog that serve would use for a config
// (the embedded demos where the config names no file), and what the
// acknowledger counts as the gateway's own mail. `rules test`, `faq
// suggest`, `sla due` and `learn` load them here, so they show what serve
// does.
type Files struct {
	Rules     *rules.Rules
	RulesFile string // "" for the embedded demo
	FAQ       *faq.Catalog
	Ours      ack.Ours
	// NotLearned says why the examples agents taught are not in FAQ
	// when they were asked for and could not be read; nil otherwise.
	NotLearned error
}

// LoadFilesFrom is LoadFiles for the commands that show what serve would
// do (rules test, faq suggest, sla due): the config at configPath (the
// embedded defaults when empty) with rulesFile and faqFile, when given,
// in place of its own, and the learned examples of its data dir, as serve
// with that config would use them: without a config, the embedded
// defaults' ./frontdesk-data, where `learn import` without -c puts them
// (when it holds a store). The file returned is the one an error is
// about.
func LoadFilesFrom(configPath, rulesFile, faqFile string, learned bool) (*Files, string, error) {
	cfg := config.Default()
	if configPath != "" {
		var err error
		if cfg, err = config.Load(configPath); err != nil {
			return nil, configPath, err
		}
	}
	if rulesFile != "" {
		cfg.RulesFile = rulesFile
	}
	if faqFile != "" {
		cfg.FAQFile = faqFile
	}
	f, err := LoadFiles(cfg, learned)
	if err == nil && configPath != "" && f.NotLearned == nil && learned && cfg.Learn.On() && !cfg.Store.Postgres() {
		// Serve would make a data dir that is not there, with no examples
		// in it; a dry run that says nothing would hide a mistyped one.
		if why := notADir(cfg.DataDir); why != "" {
			f.NotLearned = fmt.Errorf("the data_dir of %s, %s, %s: no examples are there", configPath, absPath(cfg.DataDir), why)
		}
	}
	return f, cfg.RulesFile, err
}

// notADir says why dir is not a directory ("does not exist", "is a
// file"), "" when it is one.
func notADir(dir string) string {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "does not exist"
	case err != nil:
		return err.Error()
	case !fi.IsDir():
		return "is not a directory"
	}
	return ""
}

// LoadFiles loads the files of cfg as serve does. With learned, FAQ also
// ranks and routes with the examples agents taught in cfg's data dir and
// the starter examples (learn.StarterFor), as serve's catalog does;
// without a store there, or with the store held by a running server whose
// API does not answer, with the starter examples alone; with learning
// off, it is the catalog alone.
func LoadFiles(cfg *config.Config, learned bool) (*Files, error) {
	f := &Files{RulesFile: cfg.RulesFile, Ours: ours(cfg)}
	var rerr, ferr error
	f.Rules, rerr = loadFile(cfg.RulesFile, demoRules, rules.Load)
	f.FAQ, ferr = loadFile(cfg.FAQFile, demoFAQ, faq.Load)
	if err := fileErrors(cfg, []error{rerr, ferr}, []string{"rules_file", "faq_file"}); err != nil {
		return nil, err
	}
	if !learned || !cfg.Learn.On() {
		return f, nil
	}
	starter, _, err := learn.StarterFor(cfg.Learn.Starter, f.FAQ)
	if err != nil {
		return nil, err
	}
	var stored []learn.Example
	if cfg.Store.Postgres() || CheckDataDir(cfg.DataDir) == nil {
		stored, f.NotLearned = learnedExamples(cfg)
	}
	if exs := learn.WithStarter(stored, starter); len(exs) > 0 {
		f.FAQ = f.FAQ.WithExamples(learn.ForFAQ(exs))
	}
	return f, nil
}

// fileErrors is every error of the files the config's keys name (errs[i]
// of keys[i]) as one config.ErrorList: a file's own problems at their
// places in it, and a file that cannot be read ("open …: no such file or
// directory") at the key's value in the config file
// ("frontdesk.yaml:1:13: rules_file: open …"). A lone error that has no
// place (a file given by -r or -f) is returned as it is.
func fileErrors(cfg *config.Config, errs []error, keys []string) error {
	var all config.ErrorList
	var plain []error
	for i, err := range errs {
		var list config.ErrorList
		var pe *fs.PathError
		switch {
		case err == nil:
			continue
		case errors.As(err, &list):
			all = append(all, list...)
			continue
		case errors.As(err, &pe):
			if e := cfg.KeyError(keys[i]+": "+pe.Error(), keys[i]); e != nil {
				all = append(all, e)
				continue
			}
		}
		plain = append(plain, err)
		all = append(all, &config.Error{File: cfg.File, Msg: err.Error()})
	}
	switch {
	case len(plain) == 1 && len(all) == 1:
		return plain[0]
	case len(all) > 0:
		return all
	}
	return nil
}

// demoRulesName is what the embedded demo rules are called where a file
// name would be.
const demoRulesName = "embedded demo rules"

// demoRules and demoFAQ are what serve and the subcommands use when the
// config names no rules file or FAQ catalog.
func demoRules() (*rules.Rules, error) { return rules.Parse(demoRulesName, rules.DemoSource) }
func demoFAQ() (*faq.Catalog, error)   { return faq.Demo(), nil }

// loadFile is the file at path compiled, or the embedded demo when path is
// "": what a source (newSource) starts with, and what LoadFiles gives the
// subcommands.
func loadFile[T any](path string, demo func() (*T, error), compile func(string) (*T, error)) (*T, error) {
	if path == "" {
		return demo()
	}
	return compile(path)
}

// learnedExamples reads what agents taught from cfg's store, read-only
// beside a stopped server (or beside the running ones on PostgreSQL), and
// from the running server's API (GET /api/learn) while it holds the store.
func learnedExamples(cfg *config.Config) ([]learn.Example, error) {
	st, err := openDataStore(cfg.DataDir, storeDSN(cfg), false, nil)
	if storeInUse(err) {
		// A running server holds the store: its API lists the same
		// examples, so the dry run still shows what serve does.
		exs, err := serverExamples(cfg)
		if ns := (*noServerError)(nil); errors.As(err, &ns) {
			return nil, fmt.Errorf("%w; the dry run leaves the examples stored there out", err)
		}
		if err != nil {
			// Badger's own words ("Cannot acquire directory lock …") say
			// nothing of what to do.
			return nil, fmt.Errorf("the store of %s is in use by a running server whose API did not answer (%v): the dry run leaves the examples stored there out", absPath(cfg.DataDir), err)
		}
		return exs, nil
	}
	if err != nil {
		return nil, err
	}
	defer st.Close()
	return learn.List(st)
}

// serverExamples are the examples of the server running on cfg's store, as
// its API lists them.
func serverExamples(cfg *config.Config) ([]learn.Example, error) {
	a, err := serverAdmin(cfg.DataDir, cfg.HTTP.Listen, cfg.HTTP.APITokenFile)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return a.LearnList(ctx)
}

// ours is the gateway's own mail for RFC 3834 suppression.
func ours(cfg *config.Config) ack.Ours {
	return ack.Ours{Domains: cfg.Domains, Hostname: cfg.Hostname, Addresses: []string{"frontdesk@" + cfg.Hostname}}
}

// Suggest is the FAQ entries an acknowledgement of m (sent with envelope
// sender mailFrom) under decision d would link, as the acker ranks them;
// none, with the reason, when no acknowledgement would go out: the mail is
// refused or dropped, its rule says ack: none, or RFC 3834 suppresses it.
func (f *Files) Suggest(m *message.Message, mailFrom string, d rules.Decision) (hits []faq.Hit, suppressed string) {
	switch {
	case d.Action() != "relay":
		return nil, d.Action()
	case d.Ack == "none":
		return nil, "ack: none"
	}
	if reason, ok := ack.Suppress(m, mailFrom, f.Ours); ok {
		return nil, reason
	}
	return f.FAQ.Suggest(m), ""
}

// SuggestRaw is Suggest for m parsed from raw, routed by f's rules at
// now: none, with the refusal as the reason, when serve refuses raw
// before routing it (intake.Refusal: an empty message).
func (f *Files) SuggestRaw(raw []byte, m *message.Message, now time.Time) (hits []faq.Hit, suppressed string) {
	if r := intake.Refusal(raw); r != nil {
		return nil, "reject (" + rejectCode(r) + " " + r.Text + ")"
	}
	return f.Suggest(m, m.From.Address, f.Rules.EvaluateWith(m, now, f.FAQ))
}

// AckLinks are the ids of Suggest's entries.
func (f *Files) AckLinks(m *message.Message, mailFrom string, d rules.Decision) (ids []string, suppressed string) {
	hits, suppressed := f.Suggest(m, mailFrom, d)
	ids = []string{}
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	return ids, suppressed
}
