package faq_test

import (
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
