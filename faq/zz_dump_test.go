package faq

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

func TestZZDump(t *testing.T) {
	for _, f := range strings.Fields(os.Getenv("DUMP")) {
		raw, _ := os.ReadFile(f)
		m, err := message.Parse(raw)
		fmt.Printf("=== %s err=%v html=%v\n--- text:\n%s\n--- fresh:\n%s\n--- customer:\n%s\n--- quoted:\n%s\n", f, err, m.HTML, m.Text, m.Fresh(), customerText(m, maxBodyBytes), quoted(m.Text, m.Fresh(), ourDomains(m)))
	}
}
