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
	for e := range c.All() {
		if e.URL != "" && linksTo(text, e.URL) {
			add(e.ID)
		}
	}
	return out
}

// linksTo says text has u as a whole URL: not as the start of a longer
// one (https://help.example/faq/returns in …/faq/returns-7-day). What may
// follow u is the end, a query or fragment, or a character no URL path
// has (a space, a bracket, a quote); a full stop or comma only when no
// path character follows it.
func linksTo(text, u string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], u)
		if j < 0 {
			return false
		}
		rest := text[i+j+len(u):]
		if ends(rest) {
			return true
		}
		i += j + 1
	}
}

func ends(rest string) bool {
	if rest == "" {
		return true
	}
	switch c := rest[0]; {
	case c == '?' || c == '#':
		return true
	case c == '/' || c == '.' || c == ',' || c == ';' || c == ':' || c == '!':
		return ends(rest[1:]) || (c != '/' && !pathChar(rest[1]))
	default:
		return !pathChar(c)
	}
}

// pathChar: a letter, digit or one of -_~% (RFC 3986's unreserved and
// percent-encoding), which continue a path segment; not non-ASCII, since
// Chinese text follows a link without a space (…/faq/returns，谢谢).
func pathChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '~' || c == '%'
}
