package faq

import (
	_ "embed"
	"fmt"
	"iter"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/frontdesk-mail/frontdesk/internal/adminfile"
	"github.com/frontdesk-mail/frontdesk/message"
)

// Text is one language's version of an entry.
type Text struct {
	Title    string
	Keywords []string
	Answer   string
}

// Entry is one FAQ entry. Entries handed out by a Catalog share their
// slices with it: treat them as read-only.
type Entry struct {
	ID          string
	URL         string // may be empty: the help centre's own page is used
	Departments []string
	En, Zh      Text
	Line        int // line of the entry in its file, for messages
}

// In returns the entry's text in lang ("zh" or "en"), falling back to the
// other language when the entry has no title in that one.
func (e Entry) In(lang message.Language) Text {
	if lang == message.Chinese {
		if e.Zh.Title != "" {
			return e.Zh
		}
		return e.En
	}
	if e.En.Title != "" {
		return e.En
	}
	return e.Zh
}

// Catalog is a parsed, indexed FAQ catalog. It is immutable after Parse and
// safe for concurrent use.
type Catalog struct {
	entries []Entry
	byID    map[string]int
	idx     *index
	// pass ranks the entries by their best answer sentence: the second
	// and third links (passages.go); nil in catalogs the experiments
	// build, which then link by idx alone.
	pass *passageIndex
	// ex is what agents taught (WithExamples); nil for the admin's
	// catalog alone.
	ex *examples
}

// Entries returns the entries in file order (a copy of the list).
func (c *Catalog) Entries() []Entry { return append([]Entry(nil), c.entries...) }

// All yields the entries in file order, as Entries has them, without
// copying the list: for a caller that only reads them once per mail.
func (c *Catalog) All() iter.Seq[Entry] { return slices.Values(c.entries) }

// Len is the number of entries.
func (c *Catalog) Len() int { return len(c.entries) }

// Entry looks an entry up by id.
func (c *Catalog) Entry(id string) (Entry, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Entry{}, false
	}
	return c.entries[i], true
}

// URL is the link to an entry for a customer writing in lang: the entry's own
// url when it has one, else the help centre's page publicURL/faq/<id>, with
// ?lang=zh for Chinese so the page opens in the customer's language.
func (c *Catalog) URL(e Entry, publicURL string, lang message.Language) string {
	if e.URL != "" {
		return e.URL
	}
	u := strings.TrimRight(publicURL, "/") + "/faq/" + url.PathEscape(e.ID)
	if lang == message.Chinese {
		u += "?lang=zh"
	}
	return u
}

//go:embed demo.yaml
var demoYAML []byte

var demo = sync.OnceValue(func() *Catalog {
	c, err := Parse("demo.yaml", demoYAML)
	if err != nil {
		panic("faq: embedded demo catalog: " + err.Error())
	}
	return c
})

// Demo returns the embedded demo catalog (a copy of the evaluation catalog
// of Acme Appliances), used when no faq_file is configured. It is built on
// first use and shared.
func Demo() *Catalog { return demo() }

// Load reads and parses a catalog file.
func Load(path string) (*Catalog, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("FAQ file: %w", err)
	}
	return Parse(path, data)
}

// Error is one problem in a catalog file, at a position.
type Error = adminfile.Error

// Errors lists every problem found in a catalog file, in file order; its
// Error() prints one "file:line:col: message" per line.
type Errors = adminfile.List

// idPattern is kebab-case: ids appear in URLs and labels, so they are kept to
// lower-case ASCII words joined by single hyphens.
var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// langKey recognises keys that look like a language tag (en, zh, fr, zh-tw):
// such a key is reported as an unknown language block, not an unknown key.
var langKey = regexp.MustCompile(`^[a-z]{2,3}([-_][a-zA-Z]{2,4})?$`)

type parser struct {
	errs adminfile.Collector
}

func (p *parser) errf(n *yaml.Node, format string, args ...any) {
	p.errs.At(n, format, args...)
}

// Parse parses a catalog; filename is used in error messages only. All
// problems are reported at once, as Errors.
func Parse(filename string, data []byte) (*Catalog, error) {
	p := &parser{errs: adminfile.Collector{File: filename, AtStart: true}}
	doc, synErr := adminfile.Unmarshal(filename, data)
	if synErr != nil {
		synErr.Msg = "yaml: " + synErr.Msg
		return nil, Errors{synErr}
	}
	var entries []Entry
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		root := doc.Content[0]
		switch {
		case root.Kind == yaml.SequenceNode:
			first := map[string]*yaml.Node{}
			for _, item := range root.Content {
				e, idNode, ok := p.entry(item)
				if idNode != nil && e.ID != "" {
					if prev, dup := first[e.ID]; dup {
						p.errf(idNode, "duplicate id %q (first defined at line %d)", e.ID, prev.Line)
						continue
					}
					first[e.ID] = idNode
				}
				if ok {
					entries = append(entries, e)
				}
			}
		case root.Kind == yaml.ScalarNode && root.Tag == "!!null":
			// an empty file: an empty catalog
		default:
			p.errf(root, "catalog must be a list of entries")
		}
	}
	if err := p.errs.Err(); err != nil {
		return nil, err
	}
	return newCatalog(entries), nil
}

func newCatalog(entries []Entry) *Catalog {
	c := &Catalog{entries: entries, byID: make(map[string]int, len(entries))}
	for i, e := range entries {
		c.byID[e.ID] = i
	}
	c.idx = buildIndex(entries)
	c.pass = buildPassageIndex(c, windows(1), false)
	return c
}

func (p *parser) entry(n *yaml.Node) (Entry, *yaml.Node, bool) {
	var e Entry
	if n.Kind != yaml.MappingNode {
		p.errf(n, "entry must be a mapping with id, url, departments, en and zh")
		return e, nil, false
	}
	e.Line = n.Line
	var idNode *yaml.Node
	ok := true
	seen := map[string]bool{}
	langs := 0
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			p.errf(k, "key %q given twice", k.Value)
			ok = false
			continue
		}
		seen[k.Value] = true
		switch k.Value {
		case "id":
			idNode = v
			if s, good := p.str(v, "id"); good {
				e.ID = s
				if !idPattern.MatchString(s) {
					p.errf(v, "bad id %q: use lower-case letters, digits and single hyphens (kebab-case)", s)
					ok = false
				}
			} else {
				ok = false
			}
		case "url":
			if s, good := p.str(v, "url"); good && s != "" {
				u, err := url.Parse(s)
				if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
					p.errf(v, "url %q must be an absolute http or https URL", s)
					ok = false
				}
				e.URL = s
			}
		case "departments":
			e.Departments = p.strList(v, "departments")
		case string(message.English), string(message.Chinese):
			t, good := p.text(k, v)
			if !good {
				ok = false
			}
			langs++
			if message.Language(k.Value) == message.English {
				e.En = t
			} else {
				e.Zh = t
			}
		default:
			if langKey.MatchString(k.Value) {
				p.errf(k, "unknown language block %q (want en or zh)", k.Value)
			} else {
				p.errf(k, "unknown key %q (want id, url, departments, en, zh)", k.Value)
			}
			ok = false
		}
	}
	if idNode == nil {
		p.errf(n, "entry has no id")
		ok = false
	}
	if langs == 0 {
		p.errf(n, "entry %s has no en or zh block", e.ID)
		ok = false
	}
	return e, idNode, ok
}

func (p *parser) text(k, n *yaml.Node) (Text, bool) {
	var t Text
	if n.Kind != yaml.MappingNode {
		p.errf(n, "%s must be a mapping with title, keywords and answer", k.Value)
		return t, false
	}
	ok := true
	for i := 0; i+1 < len(n.Content); i += 2 {
		kk, v := n.Content[i], n.Content[i+1]
		switch kk.Value {
		case "title":
			t.Title, _ = p.str(v, k.Value+".title")
		case "keywords":
			t.Keywords = p.strList(v, k.Value+".keywords")
		case "answer":
			t.Answer, _ = p.str(v, k.Value+".answer")
		default:
			p.errf(kk, "unknown key %q in %s (want title, keywords, answer)", kk.Value, k.Value)
			ok = false
		}
	}
	if strings.TrimSpace(t.Title) == "" {
		p.errf(n, "%s block has no title", k.Value)
		ok = false
	}
	return t, ok
}

func (p *parser) str(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		if n.Kind == yaml.ScalarNode {
			return "", true
		}
		p.errf(n, "%s must be a string", what)
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

func (p *parser) strList(n *yaml.Node, what string) []string {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.errf(n, "%s must be a list of strings", what)
		return nil
	}
	var out []string
	for _, it := range n.Content {
		if it.Kind != yaml.ScalarNode {
			p.errf(it, "%s must be a list of strings", what)
			continue
		}
		if s := strings.TrimSpace(it.Value); s != "" {
			out = append(out, s)
		}
	}
	return out
}
