package gateway

import (
	"github.com/frontdesk-mail/frontdesk/ack"
	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/rules"
)

// Files are the rules and FAQ catalog that serve would use for a config
// (the embedded demos where the config names no file), and what the
// acknowledger counts as the gateway's own mail. `rules test`, `faq
// suggest` and `sla due` load them here, so they show what serve does.
type Files struct {
	Rules     *rules.Rules
	RulesFile string // "" for the embedded demo
	FAQ       *faq.Catalog
	Ours      ack.Ours
}

// LoadFiles loads the files of cfg as serve does.
func LoadFiles(cfg *config.Config) (*Files, error) {
	f := &Files{RulesFile: cfg.RulesFile, Ours: ours(cfg)}
	var err error
	if cfg.RulesFile == "" {
		f.Rules, err = rules.Parse("embedded demo rules", rules.DemoSource)
	} else {
		f.Rules, err = rules.Load(cfg.RulesFile)
	}
	if err != nil {
		return nil, err
	}
	if cfg.FAQFile == "" {
		f.FAQ = faq.Demo()
	} else if f.FAQ, err = faq.Load(cfg.FAQFile); err != nil {
		return nil, err
	}
	return f, nil
}

// ours is the gateway's own mail for RFC 3834 suppression.
func ours(cfg *config.Config) ack.Ours {
	return ack.Ours{Domains: cfg.Domains, Hostname: cfg.Hostname, Addresses: []string{"frontdesk@" + cfg.Hostname}}
}

// AckLinks are the FAQ ids an acknowledgement of m (sent with envelope
// sender mailFrom) under decision d would link, as the acker ranks them;
// none, with the reason, when no acknowledgement would go out: the mail is
// refused or dropped, its rule says ack: none, or RFC 3834 suppresses it.
func (f *Files) AckLinks(m *message.Message, mailFrom string, d rules.Decision) (ids []string, suppressed string) {
	ids = []string{}
	switch {
	case d.Action() != "relay":
		return ids, d.Action()
	case d.Ack == "none":
		return ids, "ack: none"
	}
	if reason, ok := ack.Suppress(m, mailFrom, f.Ours); ok {
		return ids, reason
	}
	for _, h := range f.FAQ.Suggest(m) {
		ids = append(ids, h.ID)
	}
	return ids, ""
}
