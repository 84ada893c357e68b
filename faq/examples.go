package faq

import (
	"slices"
	"sync"
)

// Example is a customer's words that agents labelled (package learn): the
// department the ticket belonged in and the entries that answered it, or
// NoLink: the agents said that no entry answers it (a labelled set's
// `faq: []`), which votes against linking anything to mail like it. An
// example with none of the three is left out.
type Example struct {
	ID         string
	Department string
	Entries    []string
	// NoLink: no entry answers these words. An example that has Entries
	// is not a no-link one, whatever NoLink says.
	NoLink bool
	Text   string
}

// Learned is the index of a set of learned examples, apart from any
// catalog: building it (tokenizing every example, its idf, its term
// vectors, the leave-one-out neighbours) is the costly part, seconds for
// ten thousand examples, and it depends on the examples only. Binding it
// to a catalog (Catalog.WithLearned) resolves the examples' entries and
// departments in that catalog and is cheap, so a FAQ reload need not
// wait for a rebuild, and a server can build the next one in the
// background while mails are ranked with the last (package learn). It is
// immutable and safe for concurrent use.
type Learned struct {
	idx   *index
	vecs  *exVectors
	depts []string   // department of each example as taught ("" none)
	ids   [][]string // entry ids of each example as taught
	// noLink: the example says no entry answers it (Example.NoLink).
	noLink []bool
	// loo are the leave-one-out neighbours of the agreement's sample:
	// for every step-th example, the best other example (-1 none).
	loo  []int32
	step int
}

// NewLearned indexes exs. An example with no entry, no department and
// no NoLink is left out.
func NewLearned(exs []Example) *Learned {
	l := &Learned{}
	var docs []Entry
	for _, ex := range exs {
		noLink := ex.NoLink && len(ex.Entries) == 0
		if ex.Department == "" && len(ex.Entries) == 0 && !noLink {
			continue
		}
		docs = append(docs, Entry{ID: ex.ID, En: Text{Answer: ex.Text}})
		l.depts = append(l.depts, ex.Department)
		l.ids = append(l.ids, ex.Entries)
		l.noLink = append(l.noLink, noLink)
	}
	if len(docs) == 0 {
		return l
	}
	l.idx = buildIndexWith(docs, method{fieldWeight: fieldWeight, fieldB: fieldB, codeWeight: codeWeight,
		subject: subjectWeight, replySubject: replySubjectWeight, ask: askWeight, tell: tellWeight, quoted: quotedWeight,
		product: productTerms, productWeight: productWeight})
	l.neighbours(docs)
	l.vecs = l.vectors(docs)
	return l
}

// Len is how many examples l indexes.
func (l *Learned) Len() int {
	if l == nil {
		return 0
	}
	return len(l.depts)
}

// examples is the second index of a catalog that learned from examples:
// one document per example, over which a mail's nearest neighbours are
// found by cosine similarity (knn.go). They add evidence for their
// entries and departments beside the catalog's own text, rather than
// being folded into the entries' text: appended to an entry's answer, a
// few long mails swamped its length normalisation and its idf
// statistics, and held-out recall fell (0.873 → 0.841 on public-b).
type examples struct {
	*Learned
	entries [][]int32 // catalog entries of each example
	dept    []string  // department of each example ("" none)
	// weight is how far to trust a neighbour, measured on the examples
	// themselves: the share of examples whose nearest other example
	// carries one of their labels (leave-one-out 1-NN agreement). It is
	// the data's own estimate of how often a neighbour's label is right,
	// reported by Examples (learn list) and, with knnParams.agree, a
	// factor of the votes.
	weight float64
	knn    knnParams
	// shared is the catalog's and the examples' vocabularies together: a
	// mail is tokenized once with it for both indexes (tokenizeShared).
	shared *vocab
	toks   *sync.Pool // *sharedScratch
}

type sharedScratch struct {
	scratch
	toks  []token
	zs    []tokenized
	ends  []int
	pos   map[string]int32
	terms []sharedTerm
}

// tokenizeShared tokenizes a mail's zones once for the catalog's index
// and the examples' (index.queryShared); done releases the buffers
// once both queries are made.
func (x *examples) tokenizeShared(zones []zone, stems *stemCache) (terms []sharedTerm, done func()) {
	sc := x.toks.Get().(*sharedScratch)
	toks, zs, ends := sc.toks[:0], sc.zs[:0], sc.ends[:0]
	for _, z := range zones {
		first := len(toks)
		toks = appendTokens(toks, z.text, false, stems, x.shared, &sc.scratch)
		syn := len(toks) - first
		toks = addSynonyms(toks, first, sc.scratch.fc, &sc.scratch)
		zs = append(zs, tokenized{weight: z.weight, syn: syn})
		ends = append(ends, len(toks))
	}
	// the zones' tokens are sliced out of toks once it no longer grows
	at := 0
	for i, end := range ends {
		zs[i].toks = toks[at:end]
		at = end
	}
	sc.toks, sc.zs, sc.ends = toks, zs, ends
	if sc.pos == nil {
		sc.pos = map[string]int32{}
	}
	sc.terms = aggregate(zs, sc.pos, sc.terms[:0])
	terms = sc.terms
	return terms, func() { x.toks.Put(sc) }
}

// Bounds on the work of the example index, not quality knobs: the
// neighbours a mail reads (as many as the entries it keeps), and how many
// examples the leave-one-out agreement is measured on (it is an estimate,
// and a sample of this size puts its standard error under 0.025).
const (
	neighbours = rankDepth
	looSample  = 400
)

// WithExamples returns a catalog that ranks and routes with exs beside
// its own entries: WithLearned(NewLearned(exs)).
func (c *Catalog) WithExamples(exs []Example) *Catalog {
	if c == nil {
		return nil
	}
	return c.WithLearned(NewLearned(exs))
}

// WithLearned returns a catalog that ranks and routes with the examples
// of l beside its own entries. The receiver is unchanged. Entries an
// example names that the catalog does not have are ignored; an example
// left with neither an entry nor a department votes for nothing. It costs
// a map lookup per example label, not a rebuild.
func (c *Catalog) WithLearned(l *Learned) *Catalog {
	if c == nil {
		return nil
	}
	out := &Catalog{entries: c.entries, byID: c.byID, idx: c.idx, pass: c.pass}
	if l.Len() == 0 {
		return out
	}
	x := &examples{Learned: l, entries: make([][]int32, len(l.depts)), dept: make([]string, len(l.depts)), knn: defaultKNN}
	for i, names := range l.ids {
		var ids []int32
		for _, id := range names {
			if j, ok := c.byID[id]; ok && !slices.Contains(ids, int32(j)) {
				ids = append(ids, int32(j))
			}
		}
		dept := l.depts[i]
		if dept == "" && len(ids) > 0 && len(c.entries[ids[0]].Departments) > 0 {
			dept = c.entries[ids[0]].Departments[0]
		}
		x.entries[i], x.dept[i] = ids, dept
	}
	x.weight = x.agreement()
	if c.idx.m.seg == nil && l.idx.m.seg == nil {
		x.shared = sharedVocab(c.idx.vocab, l.idx.vocab)
		x.toks = &sync.Pool{New: func() any { return new(sharedScratch) }}
	}
	out.ex = x
	return out
}

// neighbours finds the leave-one-out neighbours of the agreement's
// sample: for each of an evenly spread sample of examples, the best other
// example by the index's own ranking.
func (l *Learned) neighbours(docs []Entry) {
	n := len(docs)
	if n < 2 {
		return
	}
	l.step = max(1, n/looSample)
	for i := 0; i < n; i += l.step {
		q := l.idx.query([]zone{{docs[i].En.Answer, 1}})
		nn := int32(-1)
		for _, r := range l.idx.scoreTop(q, 2) {
			if int(r.doc) != i {
				nn = r.doc
				break
			}
		}
		l.loo = append(l.loo, nn)
	}
}

// agreement is the leave-one-out 1-NN agreement of the examples: for each
// of the sample, does the best other example share its department or one
// of its entries (in this catalog), or are both no-link examples?
func (x *examples) agreement() float64 {
	if len(x.loo) == 0 {
		return 0
	}
	var agree int
	for k, nn := range x.loo {
		if nn >= 0 && x.sameLabel(k*x.step, int(nn)) {
			agree++
		}
	}
	return float64(agree) / float64(len(x.loo))
}

func (x *examples) sameLabel(a, b int) bool {
	if x.noLink[a] && x.noLink[b] {
		return true
	}
	if x.dept[a] != "" && x.dept[a] == x.dept[b] {
		return true
	}
	for _, e := range x.entries[a] {
		if slices.Contains(x.entries[b], e) {
			return true
		}
	}
	return false
}

// Examples is how many examples the catalog learned from, and the weight
// their matches carry (see examples.weight).
func (c *Catalog) Examples() (n int, weight float64) {
	if c == nil || c.ex == nil {
		return 0, 0
	}
	return len(c.ex.dept), c.ex.weight
}

// blend adds the examples' evidence to the catalog's ranking res of query
// q: entries the catalog ranked lower than it keeps are scored in full.
func (c *Catalog) blend(q []qterm, res []scored, ev map[int32]float64) []scored {
	if len(ev) == 0 {
		return res
	}
	out := make([]scored, 0, len(res)+len(ev))
	seen := map[int32]bool{}
	for _, r := range res {
		r.score += ev[r.doc]
		seen[r.doc] = true
		out = append(out, r)
	}
	for d, v := range ev {
		if !seen[d] {
			out = append(out, scored{d, c.idx.scoreDoc(q, d) + v, 0})
		}
	}
	slices.SortFunc(out, byScore)
	if len(out) > rankDepth {
		out = out[:rankDepth]
	}
	return out
}
