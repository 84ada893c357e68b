package web

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/frontdesk-mail/frontdesk/faq"
	mlang "github.com/frontdesk-mail/frontdesk/message"
)

// maxQueryRunes bounds a search query (a search box holds a sentence).
const maxQueryRunes = 200

// faqCache is the caching of FAQ pages: shared caches may keep them for
// five minutes (a hot reload shows within that).
const faqCache = "public, max-age=300"

type entryLink struct {
	ID, Title, Href string
}

type deptGroup struct {
	ID, Name string
	Entries  []entryLink
	Wide     bool // many entries: the card spans the page, in columns
}

type contact struct {
	Dept, Name, Href, Label, Address string
}

type indexBody struct {
	Groups  []deptGroup
	Contact *contact
}

// mailto is a mailto: link to a department's address with a subject, or
// nil when there is no address to write to.
func (s *Server) mailto(dept, subject string, u *ui) *contact {
	if s.opts.SupportAddress == nil {
		return nil
	}
	addr := s.opts.SupportAddress(dept)
	if addr == "" && dept != "" {
		addr, dept = s.opts.SupportAddress(""), ""
	}
	if addr == "" || strings.ContainsAny(addr, "?&#<>\"' \r\n") {
		return nil
	}
	href := "mailto:" + addr
	if subject != "" {
		href += "?subject=" + strings.ReplaceAll(url.QueryEscape(truncRunes(subject, 120)), "+", "%20")
	}
	name := s.deptName(dept, u)
	if dept == "" {
		name = s.deptName(s.defaultDept(), u)
	}
	return &contact{Dept: dept, Name: name, Href: href, Label: u.WriteTo(name), Address: addr}
}

// defaultDept is the department the default mailto: goes to, for naming it:
// the first department of the catalog, which is support in every catalog
// we ship.
func (s *Server) defaultDept() string {
	for _, e := range s.opts.FAQ().Entries() {
		if len(e.Departments) > 0 {
			return e.Departments[0]
		}
	}
	return "support"
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r)
	u := p.UI
	cat := s.opts.FAQ()
	var groups []deptGroup
	at := map[string]int{}
	for _, e := range cat.Entries() {
		dept := ""
		if len(e.Departments) > 0 {
			dept = e.Departments[0]
		}
		i, ok := at[dept]
		if !ok {
			i = len(groups)
			at[dept] = i
			groups = append(groups, deptGroup{ID: dept, Name: s.deptName(dept, u)})
		}
		groups[i].Entries = append(groups[i].Entries, entryLink{ID: e.ID, Title: e.In(u.Lang).Title, Href: p.Link("/faq/" + url.PathEscape(e.ID))})
	}
	for i := range groups {
		groups[i].Wide = len(groups[i].Entries) > 8
	}
	p.Body = indexBody{Groups: groups, Contact: s.mailto("", "", u)}
	w.Header().Set("Cache-Control", faqCache)
	s.render(w, r, http.StatusOK, "index", pageIndex, p)
}

type entryBody struct {
	ID, DeptName, DeptAnchor string
	Paragraphs               []string
	Keywords                 []string
	Related                  []entryLink
	Contact                  *contact
}

func (s *Server) entry(w http.ResponseWriter, r *http.Request) {
	cat := s.opts.FAQ()
	e, ok := cat.Entry(r.PathValue("id"))
	if !ok {
		s.notFound(w, r)
		return
	}
	p := s.newPage(r)
	u := p.UI
	t := e.In(u.Lang)
	p.Title = t.Title
	dept := ""
	if len(e.Departments) > 0 {
		dept = e.Departments[0]
	}
	b := entryBody{ID: e.ID, DeptName: s.deptName(dept, u), DeptAnchor: "dept-" + dept, Paragraphs: paragraphs(t.Answer)}
	// related entries: the same ranking asked with this entry's title, then
	// the department's other entries
	seen := map[string]bool{e.ID: true}
	add := func(id, title string) {
		if !seen[id] && len(b.Related) < 4 {
			seen[id] = true
			b.Related = append(b.Related, entryLink{ID: id, Title: title, Href: p.Link("/faq/" + url.PathEscape(id))})
		}
	}
	for _, h := range cat.Search(t.Title, u.Lang, 5) {
		add(h.ID, h.Title)
	}
	for _, o := range cat.Entries() {
		if len(o.Departments) > 0 && o.Departments[0] == dept {
			add(o.ID, o.In(u.Lang).Title)
		}
	}
	b.Contact = s.mailto(dept, t.Title, u)
	p.Body = b
	w.Header().Set("Cache-Control", faqCache)
	s.render(w, r, http.StatusOK, "entry", pageEntry, p)
}

// paragraphs splits an answer at blank lines (YAML block scalars keep them).
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

type result struct {
	ID      string
	Href    string
	Title   template.HTML
	Snippet template.HTML
	Dept    string
}

type searchBody struct {
	Query   string
	Results []result
	Contact *contact
}

// jsonHit is one entry of /faq/search?format=json.
type jsonHit struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Score       float64  `json:"score"`
	URL         string   `json:"url"`
	Departments []string `json:"departments"`
}

type jsonResults struct {
	Query   string         `json:"query"`
	Lang    mlang.Language `json:"lang"`
	Results []jsonHit      `json:"results"`
}

// cleanQuery trims a query, drops control characters and bounds it.
func cleanQuery(q string) string {
	// Browsers send UTF-8 from our UTF-8 pages; a query from a GBK form
	// or link is GB18030, not noise.
	q = mlang.ValidText(q)
	q = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, q)
	return strings.TrimSpace(truncRunes(strings.Join(strings.Fields(q), " "), maxQueryRunes))
}

func truncRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// searchLang is the language of a search's page: ?lang= when given, else
// Chinese for a query written in Chinese whatever the browser prefers (the
// customer asked in Chinese: the answers should be in Chinese too, and the
// links to them carry ?lang=zh), else the browser's language.
func searchLang(r *http.Request, q string) (lang mlang.Language, explicit bool) {
	if l, ok := parseLang(r.URL.Query().Get("lang")); ok {
		return l, true
	}
	for _, c := range q {
		if unicode.Is(unicode.Han, c) {
			return mlang.Chinese, true
		}
	}
	return negotiate(r, "")
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	q := cleanQuery(query.Get("q"))
	lang, explicit := searchLang(r, q)
	cat := s.opts.FAQ()
	var hits []faq.Hit
	if q != "" {
		hits = cat.Search(q, lang, 10)
		res := "hit"
		if len(hits) == 0 {
			res = "no_hit"
		}
		s.m.searches.WithLabelValues(res, string(lang)).Inc()
	}
	w.Header().Set("Cache-Control", "no-cache")
	if query.Get("format") == "json" {
		s.searchJSON(w, r, q, lang, cat, hits)
		return
	}
	p := s.newPageIn(r, lang, explicit)
	u := p.UI
	p.Query = q
	p.Title = u.SearchTitle
	if q != "" {
		p.Title = q + " – " + u.SearchTitle
	}
	b := searchBody{Query: q}
	for _, h := range hits {
		e, ok := cat.Entry(h.ID)
		if !ok {
			continue
		}
		t := e.In(lang)
		dept := ""
		if len(e.Departments) > 0 {
			dept = e.Departments[0]
		}
		b.Results = append(b.Results, result{
			ID: h.ID, Href: p.Link("/faq/" + url.PathEscape(h.ID)), Dept: s.deptName(dept, u),
			Title: highlight(cat, t.Title, q), Snippet: snippet(cat, t.Answer, q, lang),
		})
	}
	if q != "" {
		// the right department: the top result's, else the default one
		dept := ""
		if len(hits) > 0 {
			if e, ok := cat.Entry(hits[0].ID); ok && len(e.Departments) > 0 {
				dept = e.Departments[0]
			}
		}
		b.Contact = s.mailto(dept, q, u)
	}
	p.Body = b
	p.NoIndex = true
	s.render(w, r, http.StatusOK, "search", pageSearch, p)
}

func (s *Server) searchJSON(w http.ResponseWriter, r *http.Request, q string, lang mlang.Language, cat *faq.Catalog, hits []faq.Hit) {
	out := jsonResults{Query: q, Lang: lang, Results: []jsonHit{}}
	base := strings.TrimRight(s.opts.PublicURL, "/")
	for _, h := range hits {
		e, _ := cat.Entry(h.ID)
		link := base + "/faq/" + url.PathEscape(h.ID)
		if lang == mlang.Chinese {
			link += "?lang=zh"
		}
		deps := e.Departments
		if deps == nil {
			deps = []string{}
		}
		out.Results = append(out.Results, jsonHit{ID: h.ID, Title: h.Title, Score: round3(h.Score), URL: link, Departments: deps})
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Vary", "Accept-Language")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	if r.Method != http.MethodHead {
		w.Write(append(b, '\n'))
	}
	s.m.views.WithLabelValues(pageSearchJSON).Inc()
}

func round3(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 3, 64), 64)
	return v
}

// highlight is text as HTML with the words that match q in <mark>: the
// spans come from faq's Highlight (the same folding, stemming and typo
// correction as the ranking), every piece of text is escaped.
func highlight(cat *faq.Catalog, text, q string) template.HTML {
	return markSpans(text, cat.Highlight(text, q), 0, len(text))
}

func markSpans(text string, spans []faq.Span, from, to int) template.HTML {
	var b strings.Builder
	at := from
	for _, sp := range spans {
		if sp.End <= from || sp.Start >= to {
			continue
		}
		st, en := max(sp.Start, from), min(sp.End, to)
		b.WriteString(template.HTMLEscapeString(text[at:st]))
		b.WriteString("<mark>")
		b.WriteString(template.HTMLEscapeString(text[st:en]))
		b.WriteString("</mark>")
		at = en
	}
	b.WriteString(template.HTMLEscapeString(text[at:to]))
	return template.HTML(b.String())
}

// snippet is a window of an answer around its first match, with the
// matches marked: about 220 characters of English, 90 of Chinese.
func snippet(cat *faq.Catalog, text, q string, lang mlang.Language) template.HTML {
	width := 220
	if lang == mlang.Chinese {
		width = 90
	}
	spans := cat.Highlight(text, q)
	if len(text) <= width*3 && utf8.RuneCountInString(text) <= width {
		return markSpans(text, spans, 0, len(text))
	}
	first := 0
	if len(spans) > 0 {
		first = spans[0].Start
	}
	// start a little before the first match, at a word boundary
	start := backRunes(text, first, width/4)
	if start > 0 {
		if i := strings.IndexAny(text[start:first], " \u3000，。；、"); i >= 0 && lang != mlang.Chinese {
			start += i + 1
		}
	}
	end := fwdRunes(text, start, width)
	if end < len(text) && lang != mlang.Chinese {
		if i := strings.LastIndexByte(text[start:end], ' '); i > width/2 {
			end = start + i
		}
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("… ")
	}
	b.WriteString(string(markSpans(text, spans, start, end)))
	if end < len(text) {
		b.WriteString(" …")
	}
	return template.HTML(b.String())
}

// backRunes moves n runes back from byte offset i.
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// fwdRunes moves n runes forward from byte offset i.
func fwdRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}
