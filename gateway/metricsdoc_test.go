package gateway

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every frontdesk_* family a running gateway registers is listed in
// docs/metrics.md, the page of every metric (issue 18): a gateway that has
// filed, relayed and acknowledged one mail is gathered and each family
// looked up in the page. (The e2e test does the same on a real scrape.)
func TestEveryMetricDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "metrics.md"))
	if err != nil {
		t.Fatal(err)
	}
	g := startGateway(t, "sales")
	send(t, g.SMTPAddr().String(), "support@support.test", "quote for 2 units")
	data := filepath.Join(g.dir, "data")
	waitFile(t, filepath.Join(data, "mailboxes", "sales"), "Subject: quote for 2 units")
	waitFile(t, filepath.Join(data, "outbox"), "carol@customer.test", "Auto-Submitted: auto-replied")
	mfs, err := g.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, mf := range mfs {
		name := mf.GetName()
		if !strings.HasPrefix(name, "frontdesk_") {
			continue
		}
		n++
		if !strings.Contains(string(doc), "`"+name+"`") {
			t.Errorf("docs/metrics.md does not list %s (%s)", name, mf.GetHelp())
		}
	}
	if n < 30 {
		t.Errorf("only %d frontdesk_* families gathered; want the gateway's whole set", n)
	}
	t.Logf("%d frontdesk_* families, each listed in docs/metrics.md", n)
}
