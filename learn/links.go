package learn

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/message"
)

// Links looks FAQ entries up for an agent's #faq and finds the entries an
// agent's reply links to (intake.FAQLinks), in the catalog in force.
type Links struct {
	Catalog   func() *faq.Catalog
	PublicURL string // http.public_url: the help centre's pages are PublicURL/faq/ID
}

// Link is an entry's title and URL in lang.
func (l Links) Link(id string, lang message.Language) (title, u string, ok bool) {
	c := l.Catalog()
	e, ok := c.Entry(id)
	if !ok {
		return "", "", false
	}
	return e.In(lang).Title, c.URL(e, l.PublicURL, lang), true
}

var faqPath = regexp.MustCompile(`/faq/([A-Za-z0-9][A-Za-z0-9._~%-]*)`)

// Linked returns the entries whose help-centre page (under PublicURL, any
// language) or own url the text links to, in the order they appear.
func (l Links) Linked(text string) []string {
	c := l.Catalog()
	if c == nil {
		return nil
	}
	var out []string
	add := func(id string) {
		for _, x := range out {
			if x == id {
				return
			}
		}
		out = append(out, id)
	}
	base := strings.TrimRight(l.PublicURL, "/")
	for _, m := range faqPath.FindAllStringSubmatchIndex(text, -1) {
		if base != "" && !strings.HasSuffix(text[:m[0]], base) {
			continue // another site's /faq/
		}
		id, err := url.PathUnescape(text[m[2]:m[3]])
		if err != nil {
			continue
		}
		id = strings.TrimRight(id, ".,;:)")
		if _, ok := c.Entry(id); ok {
			add(id)
		}
	}
	for _, e := range c.Entries() {
		if e.URL != "" && strings.Contains(text, e.URL) {
			add(e.ID)
		}
	}
	return out
}
