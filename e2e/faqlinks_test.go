package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// TestWalkthroughMailGetsTheKettleLink sends the README's walkthrough mail
// through the real binary on the embedded FAQ catalog: a fault report
// without a question mark ("will not heat", "does not come on") is a
// request, and its acknowledgement links the kettle-not-heating entry.
func TestWalkthroughMailGetsTheKettleLink(t *testing.T) {
	g := startGateway(t, "")
	testenv.SwaksOK(t, "--server", g.SMTP, "--from", "carol@customer.example", "--to", "support@support.localhost",
		"--header", "From: Carol <carol@customer.example>", "--header", "Subject: my kettle will not heat",
		"--body", "It stopped working today. The light does not come on when I press the switch.")
	ack := hcMail(t, filepath.Join(g.dir, "data", "outbox"), "/t/")
	if !strings.Contains(ack, "/faq/kettle-not-heating") {
		t.Errorf("the acknowledgement does not link kettle-not-heating:\n%s", ack)
	}
}
