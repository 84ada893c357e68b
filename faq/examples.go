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
// one document per example, ranked for a mail with the same query as the
// catalog. Its matches are the mail's nearest neighbours among the mails
// agents labelled, and they add evidence for their entries and
// departments beside the catalog's own text, rather than being folded
// into the entries' text: appended to an entry's answer, a few long mails
// swamped its length normalisation and its idf statistics, and held-out
// recall fell (0.873 → 0.841 on public-b).
type examples struct {
	idx     *index
	entries [][]int32 // catalog entries of each example
	dept    []string  // department of each example ("" none)
	// self is each example's score against its own text: how much
	// matching it fully is worth, the unit of a mail's similarity to it.
	self []float64
	// weight is how far to trust a neighbour, measured on the examples
	// themselves: the share of examples whose nearest other example
	// carries one of their labels (leave-one-out 1-NN agreement). Few or
	// inconsistent examples weigh little; a consistent set up to 1. It is
	// the data's own estimate of how often a neighbour's label is right,
	// not a knob.
	weight float64
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
	x.self = make([]float64, len(docs))
	for i, d := range docs {
		x.self[i] = x.idx.scoreDoc(x.idx.query([]zone{{d.En.Answer, 1}}), int32(i))
	}
	x.weight = x.agreement(docs)
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

// evidence ranks the examples for a mail's zones and returns the evidence
// they add, in the catalog's score units: per catalog entry and per
// department. A neighbour counts when it scores at least relFrac of the
// best one (the rule that decides which entries are linked together). Its
// similarity to the mail is its score over its score against its own text
// (capped at 1: the share of the example the mail matches, so long and
// short examples compare), and a label gets the similarity of its closest
// example times the linking bar (bar) times the examples' weight: a mail
// as close to an example as the example is to itself adds what linking
// needs, if the examples agree with each other. The closest example
// rather than the sum, so a label many examples carry is not favoured for
// its numbers.
func (x *examples) evidence(zones []zone, bar float64) (entries map[int32]float64, depts map[string]float64) {
	if x == nil || x.weight == 0 {
		return nil, nil
	}
	res := x.idx.scoreTop(x.idx.query(zones), neighbours)
	if len(res) == 0 || res[0].score <= 0 {
		return nil, nil
	}
	entries, depts = map[int32]float64{}, map[string]float64{}
	for _, r := range res {
		if r.score < relFrac*res[0].score {
			break
		}
		if x.self[r.doc] <= 0 {
			continue
		}
		v := min(1, r.score/x.self[r.doc]) * bar * x.weight
		for _, e := range x.entries[r.doc] {
			entries[e] = max(entries[e], v)
		}
		if d := x.dept[r.doc]; d != "" {
			depts[d] = max(depts[d], v)
		}
	}
	return entries, depts
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
