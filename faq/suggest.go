package faq

import (
	"iter"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/frontdesk-mail/frontdesk/message"
)

// Hit is one ranked entry.
type Hit struct {
	ID    string
	Score float64
	Title string // in the language asked for
}

// Zone weights of a mail.
const (
	// subjectWeight: the subject is the customer's own one-line summary, so
	// its words count double...
	subjectWeight = 2.0
	// replySubjectWeight: ...unless the mail is a reply, when the subject is
	// usually the one we (or someone else) wrote.
	replySubjectWeight = 1.0
	// askWeight and tellWeight: sentences that ask (a question mark, "how",
	// "请问", "could you") say what the customer wants; the others give the
	// context (what they bought, what happened) and count a bit over half.
	askWeight  = 1.0
	tellWeight = 0.6
	// quotedWeight: the quoted history only breaks ties (the help desk's
	// own quoted mails, signatures and footers are not in it: quoted).
	quotedWeight = 0.1
)

// maxSubjectBytes and maxBodyBytes bound the text ranked per mail: a
// customer's question fits in far less (the longest public mail is 1.2 kB),
// and the bounds keep a 25 MB mail from costing more than a few
// milliseconds.
const (
	maxSubjectBytes = 1000
	maxBodyBytes    = 16000
)

// sentences yields the sentences of s, each with the marks that end it
// (sentenceEnd), the last one without if s does not end with one.
func sentences(s string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for s != "" {
			sent := s
			if _, end, ok := sentenceEnd(s); ok {
				sent, s = s[:end], s[end:]
			} else {
				s = ""
			}
			if !yield(sent) {
				return
			}
		}
	}
}

// sentenceEnd returns the span of the first sentence end in s: a run of
// full stops, exclamation and question marks and newlines, or one
// semicolon (what the regexp [.!?。！？\n]+|[;；] finds, without a regexp
// automaton stepping through every mail byte). ok is false when there is
// none.
func sentenceEnd(s string) (start, end int, ok bool) {
	start = -1
	for i := 0; i < len(s); i++ {
		if n := endMark(s[i:]); n > 0 {
			start = i
			break
		}
	}
	if start < 0 {
		return 0, 0, false
	}
	if semicolon(s[start:]) {
		return start, start + endMark(s[start:]), true
	}
	end = start
	for end < len(s) {
		n := endMark(s[end:])
		if n == 0 || semicolon(s[end:]) {
			break
		}
		end += n
	}
	return start, end, true
}

// semicolon reports whether s starts with ; or ；, which end a sentence
// on their own rather than as part of a run of marks.
func semicolon(s string) bool { return s[0] == ';' || strings.HasPrefix(s, "；") }

// endMark returns the length of the sentence end mark s starts with
// (. ! ? newline ; or their full-width forms 。！？；), or 0. The
// full-width marks are E3 80 82 and EF BC 81/9F/9B in UTF-8.
func endMark(s string) int {
	switch s[0] {
	case '.', '!', '?', '\n', ';':
		return 1
	case 0xE3:
		if len(s) >= 3 && s[1] == 0x80 && s[2] == 0x82 {
			return 3
		}
	case 0xEF:
		if len(s) >= 3 && s[1] == 0xBC && (s[2] == 0x81 || s[2] == 0x9F || s[2] == 0x9B) {
			return 3
		}
	}
	return 0
}

// mailZones splits a mail into weighted query text.
func mailZones(m *message.Message, mt method) ([]zone, intent) {
	subj, reply := subjectOf(m)
	subj = truncate(subj, maxSubjectBytes)
	body := truncate(customerText(m, maxBodyBytes), maxBodyBytes)
	zones := []zone{{dropIdioms(subj), mt.subject}}
	if reply {
		zones[0].weight = mt.replySubject
	}
	// split the body into sentences, keeping the question mark with its sentence
	for sent := range sentences(body) {
		if strings.TrimSpace(sent) == "" {
			continue
		}
		w := mt.tell
		if questionMark.MatchString(sent) || (!isASCII(sent) && askZH.MatchString(sent)) || (hasLatin(sent) && (askEN.MatchString(sent) || inverted(sent) || pleaseAsks(sent))) {
			w = mt.ask
		}
		zones = append(zones, zone{dropIdioms(sent), w})
	}
	if q := quoted(m.Text, m.Fresh(), ourDomains(m)); q != "" {
		zones = append(zones, zone{truncate(q, maxBodyBytes), mt.quoted})
	}
	// a reply's subject is the one it answers, usually ours ("Re: How
	// did we do?"): its cues are not the customer's
	cueSubj := subj
	if reply {
		cueSubj = ""
	}
	in := mailIntent(cueSubj, body)
	if autoReply(m) {
		in.asks = false
	}
	return zones, in
}

// rankDepth is how many of the best entries a mail's ranking keeps: three
// are linked at most, and Topics looks at those within relFrac of the
// best, which are never more than a handful.
const rankDepth = 10

// reading is what the catalog makes of a mail: its best entries and what
// the mail does (asks, thanks, pitches). Suggest and Topics both need it,
// for the acknowledgement and for routing; it is computed once per mail and
// catalog and kept on the message (message.Memo).
type reading struct {
	res []scored // the entries, with the examples' evidence
	// lead is the ranking whose best entry is weighed for linking and
	// linked first: res, or the catalog's own when the no-link
	// neighbours withdraw the votes (knnParams.withdraw).
	lead []scored
	in   intent
	// cat is the catalog's own ranking and depts the examples' evidence
	// per department, for Topics (which must not count an example twice:
	// once through its entries and once through its department).
	cat   []scored
	depts map[string]float64
	// q is the mail's query, which the passage ranking of the second
	// and third links reuses, and ev the examples' evidence per entry.
	q  []qterm
	ev map[int32]float64
	// gate is the similarity of the nearest example (learnedTopics).
	gate float64
}

// read ranks the catalog's entries for a mail (no threshold), once per
// message and catalog.
func (c *Catalog) read(m *message.Message) *reading {
	var key any = c.idx
	if c.ex != nil {
		key = c.ex // the same catalog with other examples reads a mail anew
	}
	return m.Memo(key, func() any {
		zones, in := mailZones(m, c.idx.m)
		if c.ex == nil {
			q := c.idx.query(zones)
			res := c.idx.scoreTop(q, rankDepth)
			return &reading{res: res, lead: res, in: in, cat: res, q: q}
		}
		// one tokenization for both indexes (the costlier half of a
		// query), when they tokenize alike
		var q, xq []qterm
		if c.ex.shared != nil {
			terms, done := c.ex.tokenizeShared(zones, c.idx.stems)
			q, xq = c.idx.queryShared(terms), c.ex.idx.queryShared(terms)
			done()
		} else {
			q, xq = c.idx.query(zones), c.ex.idx.query(zones)
		}
		res := c.idx.scoreTop(q, rankDepth)
		r := &reading{res: res, in: in, cat: res, q: q}
		bar := minEvidence * c.idx.maxIDF()
		var none float64
		r.ev, r.depts, r.gate, r.in.against, none = c.ex.votes(xq, bar)
		r.res = c.blend(q, res, r.ev)
		r.lead = r.res
		if c.ex.knn.rule == cuedBar && !r.in.thanks && !r.in.pitch && !r.in.complaint && !r.in.prospective {
			r.in.against = 0
		}
		if w := c.ex.knn.withdraw; w > 0 && none > 0 && len(r.res) > 0 && none > w*r.ev[r.res[0].doc]/(c.ex.knn.lambda*bar) {
			// the neighbours that needed no link outweigh the best
			// entry's: the catalog's own ranking decides whether and
			// what is linked first (knnParams.withdraw)
			r.lead = res
		}
		if c.ex.knn.rule == outvote && r.in.against > 0 {
			if len(r.res) > 0 && r.in.against > r.ev[r.res[0].doc] {
				r.in.against = math.Inf(1)
			} else {
				r.in.against = 0
			}
		}
		return r
	}).(*reading)
}

// candidates ranks all entries for a mail (no threshold), without the memo.
func (c *Catalog) candidates(m *message.Message) ([]qterm, []scored, intent) {
	zones, in := mailZones(m, c.idx.m)
	q := c.idx.query(zones)
	return q, c.idx.scoreAll(q), in
}

func (c *Catalog) hit(s scored, lang message.Language) Hit {
	e := c.entries[s.doc]
	return Hit{ID: e.ID, Score: s.score, Title: e.In(lang).Title}
}

// Decision constants: when does the best entry answer the mail?
const (
	// minEvidence is the least score the best entry needs, in units of the
	// catalog's largest idf (the weight of a term found in one entry only):
	// one distinctive term fully matched plus half of another. Expressed in
	// idf units it keeps its meaning for a catalog of 40 entries or 40,000.
	minEvidence = 1.5

	// pitchFactor raises that bar for mails marked as pitches, applications
	// or complaints: they mention products and services all the time ("our
	// KOLs love your robot vacuum") without asking the help centre
	// anything, so only a strong match (a press-kit request) gets links.
	pitchFactor = 2.5

	// relFrac: the second and third entries are linked only when they score
	// at least this share of the first. Overlapping entries (refunds and
	// returns, the three invoice entries) then come together, and a clear
	// winner stands alone rather than with filler.
	relFrac = 0.5

	// reportFactor lowers the bar for a mail that reports a fault or
	// something that has not happened ("has not arrived", "barely any
	// water", "柜子底板全湿了") and is not thanks, a pitch or a
	// complaint: such a mail asks for help even where the catalog's
	// words are not the customer's.
	reportFactor = 0.75

	// firstPassage: see params.first.
	firstPassage = 0.0

	// minFocus is what the best entry must score without the mail's
	// product nouns, unless the mail reports a fault, in units of the
	// catalog's largest idf (the focus gate): an entry matching the mail
	// in little but the product's name is not linked. 0.4 is the middle
	// of the gap between the probes it withholds (at most 0.21) and the
	// least of those it links (0.57); see the package doc.
	minFocus = 0.4

	// maxLinks is the most an acknowledgement links (docs/design.md, FAQ catalog).
	maxLinks = 3
)

// params are the tunable decision constants, separate so the evaluation can
// check that values chosen on one half of the labelled mails hold on the
// other.
type params struct {
	evidence, pitch, rel float64
	// productEvidence: the bar counts product terms at full weight
	// (scored.extra); with productReportOnly, only in a mail that reports
	// a fault or something that has not happened.
	productEvidence, productReportOnly bool
	// report scales the bar for a mail that reports something that
	// does not work or has not happened and is none of the kinds that
	// need no link (reportFactor).
	report float64
	// first is the passage ranking's weight in the choice of the first
	// link (firstPassage); 0 keeps the whole entry's best.
	first float64
	// firstRRF, when > 0, fuses the two rankings by reciprocal rank with
	// this k instead (an experiment).
	firstRRF float64
	// firstAll lets every candidate be first, not only those decide
	// linked (an experiment).
	firstAll bool
	// focus is what the best entry must score without the product
	// nouns, in a mail that reports nothing, in units of the largest idf
	// (minFocus); 0 does not ask it.
	focus float64
}

var defaultParams = params{evidence: minEvidence, pitch: pitchFactor, rel: relFrac, productEvidence: true, report: reportFactor,
	first: firstPassage, focus: minFocus}

// Suggest returns the entries an acknowledgement of m should link: at most
// three, best first, none when the mail asks nothing the catalog answers.
func (c *Catalog) Suggest(m *message.Message) []Hit {
	return c.suggest(m, defaultParams)
}

func (c *Catalog) suggest(m *message.Message, p params) []Hit {
	if c == nil || m == nil || len(c.entries) == 0 {
		return nil
	}
	r := c.read(m)
	return c.fill(c.pitchFirst(c.decide(r.q, r.lead, r.in, m.Lang(), p), r.in), r.res, r.q, r.ev, m.Lang(), p)
}

// pitchFirst puts first, for a pitch (intent.pitch: a job application, a
// press or marketing pitch), the best of the links that is an entry for
// pitches (index.pitchSide: careers, press contact), as Topics reads a
// pitch by those entries alone: the products and subjects a pitch names
// (a reporter asking about a recall) are what it is about, not what it
// asks. Links without such an entry stay as they are.
func (c *Catalog) pitchFirst(links []Hit, in intent) []Hit {
	if !in.pitch || len(links) < 2 || c.idx.pitchSide == nil {
		return links
	}
	for i, h := range links {
		if d, ok := c.byID[h.ID]; ok && c.idx.pitchSide[d] {
			if i == 0 {
				return links
			}
			out := make([]Hit, 0, len(links))
			out = append(out, h)
			out = append(out, links[:i]...)
			return append(out, links[i+1:]...)
		}
	}
	return links
}

// fill keeps the first of the links decide chose and takes the others
// from the passage ranking (passages.go) of the catalog's candidates res
// (its best rankDepth entries, the examples' evidence ev included as in
// res): the candidates that score at least p.rel of the best of them, in
// that order. Re-ranking the candidates rather than ranking the whole
// catalog again costs a few binary searches per candidate; on both
// labelled sets it links exactly what the passage ranking of the whole
// catalog does (TestFillRerankIsWholeRanking). A Hit's Score after the
// first is its passage score. Without a passage index (catalogs the
// experiments build) the links stay as decide chose them.
func (c *Catalog) fill(links []Hit, res []scored, q []qterm, ev map[int32]float64, lang message.Language, p params) []Hit {
	if len(links) == 0 || c.pass == nil {
		return links
	}
	ranked := make([]scored, 0, rankDepth)
	for _, r := range res[:min(len(res), rankDepth)] {
		if s := c.pass.scoreDoc(q, r.doc) + ev[r.doc]; s > 0 {
			ranked = append(ranked, scored{doc: r.doc, score: s})
		}
	}
	slices.SortFunc(ranked, byScore)
	out := links[:1:1]
	if len(ranked) > 0 && (p.first > 0 || p.firstRRF > 0) {
		out = []Hit{c.fuseFirst(links, res, ranked, lang, p)}
	}
	for _, r := range ranked {
		if len(out) == maxLinks || r.score < p.rel*ranked[0].score {
			break
		}
		if h := c.hit(r, lang); h.ID != out[0].ID {
			out = append(out, h)
		}
	}
	return out
}

// fuseFirst chooses the first link among the candidates decide linked
// (links, the best of res) by the whole entry's score and the passage
// score (ranked), each over its own best, weighted 1 − p.first and
// p.first.
func (c *Catalog) fuseFirst(links []Hit, res []scored, ranked []scored, lang message.Language, p params) Hit {
	n := len(links)
	if p.firstAll {
		n = min(len(res), rankDepth)
	}
	pass := make(map[int32]float64, len(ranked))
	prank := make(map[int32]int, len(ranked))
	for i, r := range ranked {
		pass[r.doc] = r.score / ranked[0].score
		prank[r.doc] = i + 1
	}
	best, bestScore := res[0], math.Inf(-1)
	for i, r := range res[:n] {
		var f float64
		if p.firstRRF > 0 {
			f = 1 / (p.firstRRF + float64(i+1))
			if k, ok := prank[r.doc]; ok {
				f += 1 / (p.firstRRF + float64(k))
			}
		} else {
			f = (1-p.first)*r.score/res[0].score + p.first*pass[r.doc]
		}
		if f > bestScore+1e-12 {
			best, bestScore = r, f
		}
	}
	return c.hit(best, lang)
}

func (c *Catalog) decide(q []qterm, res []scored, in intent, lang message.Language, p params) []Hit {
	if top, bar, gate := c.linkBar(q, res, in, p); gate != "" || top < bar {
		return nil
	}
	var out []Hit
	way, wayIn := c.wayInEntry(q, res, in)
	if wayIn {
		out = append(out, c.hit(way, lang)) // the kind's entry first, then the others as ranked
	}
	for _, r := range res {
		if len(out) == maxLinks || r.score < p.rel*res[0].score {
			break
		}
		if !wayIn || r.doc != way.doc && c.idx.kinds[r.doc]&in.kinds != 0 {
			out = append(out, c.hit(r, lang)) // a way-in ask gets its kinds' entries alone
		}
	}
	return out
}

// wayInEntry is, when the mail asks the way in (intent.wayIn), the best
// entry of its kinds: the best ranked in res, or else the best of the
// kinds' entries that shares a word with the mail (a mail that speaks of
// its experience or its shops ranks other entries higher). ok is false
// when the mail does not ask the way in or no such entry shares a word.
func (c *Catalog) wayInEntry(q []qterm, res []scored, in intent) (s scored, ok bool) {
	if !in.wayIn || in.kinds&c.idx.allKinds == 0 {
		return scored{}, false
	}
	for _, r := range res {
		if c.idx.kinds[r.doc]&in.kinds != 0 {
			return r, true
		}
	}
	top := c.idx.scoreTopWhere(q, 1, func(d int32) bool { return c.idx.kinds[d]&in.kinds != 0 })
	if len(top) == 0 || top[0].score <= 0 {
		return scored{}, false
	}
	return top[0], true
}

// linkBar is the linking decision for the best entry of res: the score
// that is weighed (top) and the bar it must reach, or the gate that
// withholds links whatever the score (gate not "").
func (c *Catalog) linkBar(q []qterm, res []scored, in intent, p params) (top, bar float64, gate string) {
	switch {
	case len(res) == 0:
		return 0, 0, "no entry"
	case !in.asks:
		return 0, 0, "asks nothing" // no question, no request: nothing to answer
	case in.foreign:
		return 0, 0, "foreign" // another maker's product: the catalog answers for ours
	case in.prospective && c.idx.troubleSide != nil && c.idx.troubleSide[res[0].doc]:
		// asked before buying, and the best entry is a product's
		// troubleshooting: the catalog does not answer the question
		return 0, 0, "pre-sale trouble"
	case (in.thanks || in.retract) && !in.explicit:
		return 0, 0, "thanks or retraction" // a thank-you note, or a request taken back, that asks nothing explicit
	}
	if way, ok := c.wayInEntry(q, res, in); ok {
		// a mail of a kind that asks the way in (intent.wayIn): its
		// kind's entry is what it asks, whatever else scores higher; only
		// the examples that needed no link (against) bar it
		return way.score, in.against, ""
	}
	bar = p.evidence * c.idx.maxIDF()
	switch {
	case in.pitch || in.complaint:
		bar *= p.pitch
	case in.report && !in.thanks:
		bar *= p.report
	}
	bar += in.against // the examples that needed no link (knnParams.noLink)
	top = res[0].score
	if p.productEvidence && (in.report || !p.productReportOnly) {
		top += res[0].extra
	}
	if p.focus > 0 && !in.report && top >= bar && res[0].score-c.idx.productPart(q, res[0].doc, in.prospective) < p.focus*c.idx.maxIDF() {
		// the best entry shares little with the mail but the product's
		// name: the catalog does not answer what is asked about it
		return top, bar, "product nouns only"
	}
	return top, bar, ""
}

// productPart is what the product nouns of q (productTerms) give entry d
// of its score, at their ranking weight.
func (ix *index) productPart(q []qterm, d int32, codes bool) float64 {
	var sum float64
	for _, t := range q {
		if t.id < 0 || (t.extra == 0 && !(codes && isCode(t.term))) {
			continue
		}
		p := ix.postings[t.id]
		i := sort.Search(len(p), func(i int) bool { return p[i].doc >= d })
		if i < len(p) && p[i].doc == d {
			sum += ix.idf[t.id] * t.weight * float64(p[i].w)
		}
	}
	return sum
}

// hasLatin reports whether s has an ASCII letter: the English cues need
// one, and most sentences of Chinese mail have none, which spares them the
// costly English regexp.
func hasLatin(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c >= 'a' && c <= 'z' {
			return true
		}
	}
	return false
}

// quoted returns what of text is not in fresh (the quoted history that
// message.Fresh cut), so that the fresh words are not tokenized a second
// time for the tie-breaking zone. When fresh is not one piece of text
// (quotes interleaved with answers, or the sender's own quoted mail read
// as theirs: message.Message.Fresh), it is the lines of text that are not
// fresh's. What no one wrote
// as words is left out (history): the marker lines and header blocks of
// the quoted mails, and signatures, legal footers and phone signatures,
// the writer's and the quoted mails'.
func quoted(text, fresh string, ours []string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	i := strings.Index(text, fresh)
	if i < 0 {
		// not one piece: the lines of text that are not fresh's
		mine := map[string]bool{}
		for l := range strings.SplitSeq(fresh, "\n") {
			mine[strings.TrimSpace(l)] = true
		}
		var b strings.Builder
		for l := range strings.SplitSeq(text, "\n") {
			if t := strings.TrimSpace(l); t == "" || !mine[t] {
				b.WriteString(l)
				b.WriteByte('\n')
			}
		}
		return history(strings.TrimSpace(b.String()), ours)
	}
	return history(strings.TrimSpace(text[:i]+"\n"+text[i+len(fresh):]), ours)
}

// ourDomains returns the domains the mail was sent to (its envelope
// recipients, else its To and Cc), lower case: a quoted mail written from
// one of them is the help desk's own earlier mail.
func ourDomains(m *message.Message) []string {
	var ds []string
	add := func(a string) {
		if _, d, ok := strings.Cut(a, "@"); ok && d != "" {
			d = strings.ToLower(strings.Trim(d, "> "))
			if !slices.Contains(ds, d) {
				ds = append(ds, d)
			}
		}
	}
	for _, a := range m.Rcpt {
		add(a)
	}
	if len(ds) == 0 {
		for _, a := range m.To {
			add(a.Address)
		}
	}
	return ds
}

// history returns text without the lines of quoted mails' markers and
// header blocks (message.QuoteMarker, message.HeaderField), without a
// signature ("-- "), a legal footer or a phone signature (legalFooter,
// mobileSig) up to the next quoted mail's marker, and without the quoted
// mails written from one of the domains ours (message.QuotedWriter: the
// help desk's own acknowledgements and replies, which are not the
// customer's words and which every reply button quotes), also where the
// lines are quoted with "> ". A customer's earlier mail quoted inside
// ours is kept: it has a marker of its own.
func history(text string, ours []string) string {
	lines := strings.Split(text, "\n")
	var b strings.Builder
	sig := false
	for i, l := range lines {
		t := strings.TrimSpace(l)
		for strings.HasPrefix(t, ">") {
			t = strings.TrimSpace(t[1:])
		}
		if message.QuoteMarker(t, lines[i+1:]) {
			sig = fromDomains(message.QuotedWriter(lines[i:]), ours)
			continue
		}
		if u := message.Unbold(t); t == "--" || mobileSig.MatchString(u) || legalFooter.MatchString(u) {
			sig = true
		}
		if sig || message.HeaderField(t) {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l)
	}
	return strings.TrimSpace(b.String())
}

// fromDomains reports whether writer names an address at one of domains.
func fromDomains(writer string, domains []string) bool {
	w := strings.ToLower(writer)
	for _, d := range domains {
		if i := strings.Index(w, "@"+d); i >= 0 {
			if e := i + 1 + len(d); e == len(w) || !isDomainByte(w[e]) {
				return true
			}
		}
	}
	return false
}

func isDomainByte(c byte) bool {
	return c == '.' || c == '-' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
