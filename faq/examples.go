package faq

import "slices"

// Example is a customer's words that agents labelled (package learn): the
// department the ticket belonged in and the entries that answered it.
// Either may be empty, not both.
type Example struct {
	ID         string
	Department string
	Entries    []string
	Text       string
}

// examples is the second index of a catalog that learned from examples:
// one document per example, over which a mail's nearest neighbours are
// found by cosine similarity (knn.go). They add evidence for their
// entries and departments beside the catalog's own text, rather than
// being folded into the entries' text: appended to an entry's answer, a
// few long mails swamped its length normalisation and its idf
// statistics, and held-out recall fell (0.873 → 0.841 on public-b).
type examples struct {
	idx     *index
	entries [][]int32 // catalog entries of each example
	dept    []string  // department of each example ("" none)
	// weight is how far to trust a neighbour, measured on the examples
	// themselves: the share of examples whose nearest other example
	// carries one of their labels (leave-one-out 1-NN agreement). It is
	// the data's own estimate of how often a neighbour's label is right,
	// reported by Examples (learn list) and, with knnParams.agree, a
	// factor of the votes.
	weight float64
	// vecs are the examples' term vectors for the cosine (knn.go).
	vecs *exVectors
	knn  knnParams
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
// its own entries. The receiver is unchanged. Entries an example names
// that the catalog no longer has are ignored; an example left with
// neither an entry nor a department is skipped.
func (c *Catalog) WithExamples(exs []Example) *Catalog {
	if c == nil {
		return nil
	}
	out := &Catalog{entries: c.entries, byID: c.byID, idx: c.idx}
	x := &examples{}
	var docs []Entry
	for _, ex := range exs {
		var ids []int32
		for _, id := range ex.Entries {
			if i, ok := c.byID[id]; ok && !slices.Contains(ids, int32(i)) {
				ids = append(ids, int32(i))
			}
		}
		dept := ex.Department
		if dept == "" && len(ids) > 0 && len(c.entries[ids[0]].Departments) > 0 {
			dept = c.entries[ids[0]].Departments[0]
		}
		if len(ids) == 0 && dept == "" {
			continue
		}
		docs = append(docs, Entry{ID: ex.ID, En: Text{Answer: ex.Text}})
		x.entries = append(x.entries, ids)
		x.dept = append(x.dept, dept)
	}
	if len(docs) == 0 {
		return out
	}
	x.idx = buildIndexWith(docs, method{fieldWeight: fieldWeight, fieldB: fieldB, codeWeight: codeWeight,
		subject: subjectWeight, replySubject: replySubjectWeight, ask: askWeight, tell: tellWeight, quoted: quotedWeight})
	x.weight = x.agreement(docs)
	x.vecs = x.vectors(docs)
	x.knn = defaultKNN
	out.ex = x
	return out
}

// agreement is the leave-one-out 1-NN agreement of the examples: for each
// (of an evenly spread sample), does the best other example share its
// department or one of its entries?
func (x *examples) agreement(docs []Entry) float64 {
	n := len(docs)
	if n < 2 {
		return 0
	}
	step := max(1, n/looSample)
	var agree, total int
	for i := 0; i < n; i += step {
		q := x.idx.query([]zone{{docs[i].En.Answer, 1}})
		res := x.idx.scoreTop(q, 2)
		total++
		for _, r := range res {
			if int(r.doc) == i {
				continue
			}
			if x.sameLabel(i, int(r.doc)) {
				agree++
			}
			break
		}
	}
	return float64(agree) / float64(total)
}

func (x *examples) sameLabel(a, b int) bool {
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
			out = append(out, scored{d, c.idx.scoreDoc(q, d) + v})
		}
	}
	slices.SortFunc(out, func(a, b scored) int {
		if better(a, b) {
			return -1
		}
		if better(b, a) {
			return 1
		}
		return 0
	})
	if len(out) > rankDepth {
		out = out[:rankDepth]
	}
	return out
}
