package faq

import (
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

// RunExamplesTuningCV runs the examples' tuning-set cross-validation
// (examplesTuningCV) with route giving a mail's department: package
// rules imports this one, so the demo rules are passed in by a test of
// package faq_test.
func RunExamplesTuningCV(t *testing.T, route func(c *Catalog, m *message.Message) string) {
	examplesTuningCV(t, route)
}
