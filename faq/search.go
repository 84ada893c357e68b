package faq

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/frontdesk-mail/frontdesk/message"
)

// searchCut: the help-centre search lists entries scoring at least this
// share of the best one. Short queries match many entries weakly ("filter"
// is in a dozen answers); the tail below a quarter of the best is noise.
const searchCut = 0.25

// defaultSearchLimit is used when Search is called with limit ≤ 0.
const defaultSearchLimit = 10

// Search ranks entries for a query typed in the help centre's search box,
// with the same scorer as Suggest. English words of five letters or more
// that the catalog does not know are corrected to a catalog word one edit
// away ("warrenty" → warranty). lang chooses the language of the titles.
func (c *Catalog) Search(query string, lang message.Language, limit int) []Hit {
	if c == nil || len(c.entries) == 0 {
		return nil
	}
	if limit <= 0 {
		limit = defaultSearchLimit
	}
	q := c.searchQuery(query)
	res := c.idx.scoreTop(q, limit)
	var out []Hit
	for _, r := range res {
		if len(out) == limit || r.score < searchCut*res[0].score {
			break
		}
		out = append(out, c.hit(r, lang))
	}
	return out
}

// searchQuery tokenizes a typed query, correcting misspelt English words.
func (c *Catalog) searchQuery(query string) []qterm {
	query = truncate(query, maxQueryBytes)
	q := c.idx.query([]zone{{query, 1}})
	surface := map[string]string{} // stem → a word of the query that has it
	for _, w := range strings.FieldsFunc(strings.ToLower(query), func(r rune) bool { return !(r >= 'a' && r <= 'z') }) {
		if len(w) >= typoMinLen && len(w) <= maxWordLen {
			if st := stem(w); surface[st] == "" {
				surface[st] = w
			}
		}
	}
	n := len(q)
	for i := 0; i < n; i++ {
		t := q[i]
		if t.id >= 0 || strings.Contains(t.term, "_") || t.term == "" || t.term[0] >= 0x80 {
			continue
		}
		fixes := c.idx.correct(surface[t.term])
		for k, s := range fixes {
			id, ok := c.idx.terms[s]
			if !ok {
				continue
			}
			// several corrections share the word's weight
			ct := qterm{id: id, term: s, weight: t.weight / float64(len(fixes))}
			if k == 0 {
				q[i] = ct
			} else {
				q = append(q, ct)
			}
		}
	}
	return q
}

// maxQueryBytes bounds a search query: a search box holds a few words, and
// the bound keeps a pasted novel from costing more than a mail.
const maxQueryBytes = 2000

// truncate cuts s to at most n bytes at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Terms returns the terms a query is searched for, as the catalog
// understands them: folded (full-width, case, Traditional → Simplified),
// stemmed, with Chinese as bigrams and typos corrected. Pair it with
// Highlight to mark matches in an entry's text.
func (c *Catalog) Terms(query string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range c.searchQuery(query) {
		if t.id < 0 || seen[t.term] || strings.Contains(t.term, "_") {
			continue
		}
		seen[t.term] = true
		out = append(out, t.term)
	}
	return out
}

// Span is a byte range [Start, End) of a text.
type Span struct{ Start, End int }

// Highlight returns the byte ranges of text whose words match the query
// (after the same folding, stemming and typo correction as Search),
// merged and in order, so the help centre can mark them whatever form the
// customer typed them in.
func (c *Catalog) Highlight(text, query string) []Span {
	want := map[string]bool{}
	for _, t := range c.Terms(query) {
		want[t] = true
	}
	if len(want) == 0 {
		return nil
	}
	var spans []Span
	for _, t := range tokenizeWith(text, true, c.idx.stems, nil) {
		if want[t.term] {
			spans = append(spans, Span{int(t.start), int(t.end)})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start < spans[j].Start })
	var out []Span
	for _, s := range spans {
		if n := len(out); n > 0 && s.Start <= out[n-1].End {
			if s.End > out[n-1].End {
				out[n-1].End = s.End
			}
			continue
		}
		out = append(out, s)
	}
	return out
}
