package faq_test

import (
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/rules"
)

// demoRoute is the department the demo rules give m with c as classifier,
// as the gateway routes it (learn's measure does the same): the mail's
// recipients are its To addresses.
func demoRoute(c *faq.Catalog, m *message.Message) string {
	if len(m.Rcpt) == 0 {
		for _, a := range m.To {
			m.Rcpt = append(m.Rcpt, a.Address)
		}
	}
	return rules.Demo().EvaluateWith(m, time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), c).Department
}

// TestEvalExamplesTuningCV: see faq's examplesTuningCV.
func TestEvalExamplesTuningCV(t *testing.T) { faq.RunExamplesTuningCV(t, demoRoute) }

// TestEvalTuningMisroutes lists the tuning mails the CV routes wrongly and
// the rule that decided each.
func TestEvalTuningMisroutes(t *testing.T) {
	faq.RunTuningMisroutes(t, func(c *faq.Catalog, m *message.Message) (string, string) {
		demoRoute(c, m)
		d := rules.Demo().EvaluateWith(m, time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), c)
		var why []string
		for _, mt := range d.Matched {
			why = append(why, mt.Rule+" "+strings.Join(mt.Why, ", "))
		}
		return d.Department, strings.Join(why, " / ")
	})
}
