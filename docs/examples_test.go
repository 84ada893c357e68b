package docs

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/rules"
)

// TestYAMLExamplesLoad holds the rules files and configs that the README
// and docs/design.md show to what the code accepts: a reader copies them.
func TestYAMLExamplesLoad(t *testing.T) {
	block := regexp.MustCompile("(?s)```yaml\n(.*?)```")
	var nRules, nConfig int
	for _, doc := range []string{"../README.md", "design.md"} {
		text, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range block.FindAllStringSubmatch(string(text), -1) {
			body := []byte(m[1])
			switch {
			case strings.Contains(m[1], "\ndepartments:") || strings.HasPrefix(m[1], "departments:") || strings.HasPrefix(m[1], "calendars:"):
				nRules++
				if _, err := rules.Parse(doc, body); err != nil {
					t.Errorf("%s: yaml block %d (rules) does not compile:\n%v", doc, i+1, err)
				}
			case strings.Contains(m[1], "\nsmtp:"):
				nConfig++
				if _, err := config.Parse(doc, body); err != nil {
					t.Errorf("%s: yaml block %d (config) does not load:\n%v", doc, i+1, err)
				}
			}
		}
	}
	if nRules < 2 || nConfig < 2 {
		t.Errorf("found %d rules and %d config examples; want the README's and design.md's of each", nRules, nConfig)
	}
}
