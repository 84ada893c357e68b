package faq

import (
	"math"
	"strings"

	"github.com/frontdesk-mail/frontdesk/message"
)

// exampleZones reads an example's text (its subject, a newline, the
// customer's fresh text) as a mail is read: the same zones and weights,
// the salutation and the closing cut.
func exampleZones(text string) []zone {
	subj, body, _ := strings.Cut(text, "\n")
	m, _ := message.Parse([]byte("Subject: " + strings.TrimSpace(subj) + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body))
	zones, _ := mailZones(m, defaultMethod)
	return zones
}

// The examples' nearest-neighbour channel: a mail's cosine similarity to
// each learned example, over the same term weights as the catalog's
// queries (zone weight, saturation, idf of the examples), and a vote per
// entry and department by the similarity of the nearest examples that
// carry it.

// knnParams are the channel's constants.
type knnParams struct {
	// k is how many neighbours vote.
	k int
	// lambda scales the votes into the catalog's score units: a mail
	// identical to one example adds lambda times the linking bar to the
	// example's entries (less the backdrop's share, see backdrop;
	// defaultKNN says how it was chosen).
	lambda float64
	// sum: votes add up over the neighbours (else the closest counts).
	sum bool
	// agree scales the votes by the examples' leave-one-out agreement.
	agree bool
	// noLink scales the votes of no-link examples (Example.NoLink)
	// against linking, in linking bars as lambda does for entries; how
	// they count is rule.
	noLink float64
	rule   noLinkRule
	// backdrop: an example votes for its entries by its similarity
	// above the backdrop, the similarity of the (k+1)-th nearest example
	// (0 when fewer share a word with the mail), rather than by its
	// similarity itself (measured, not adopted: defaultKNN).
	backdrop bool
	// withdraw: the catalog's own ranking decides whether a mail is
	// linked, and its first link, when the no-link examples among its
	// neighbours outweigh those of its best entry: their summed
	// similarity is more than withdraw times the best entry's votes' (0:
	// never). The votes still choose the second and third links.
	withdraw float64
}

// noLinkRule is how the no-link examples among a mail's neighbours weigh
// against linking it.
type noLinkRule int

const (
	// raiseBar: their votes are added to the linking bar, so the best
	// entry's score (the catalog's and its own votes) must clear the bar
	// and them.
	raiseBar noLinkRule = iota
	// cuedBar: as raiseBar, for mails whose own words are of a kind that
	// often needs no link (intent: thanks, a pitch or application, a
	// complaint, a question asked before buying); a plain question is
	// left to the catalog.
	cuedBar
	// outvote: no link when their votes are more than the best entry's
	// own votes (the catalog's score does not count).
	outvote
	// nearestNone: no link when the nearest example is a no-link one and
	// its similarity is at least noLink.
	nearestNone
)

// defaultKNN is chosen by five-fold cross-validation over both tuning
// sets, public/ and eval/dev (TestEvalExamplesTuningCV: examples from four
// folds, the fifth measured). λ 1 and the closest example only (chosen
// before on public/'s halves, which are saturated and tied every λ up to
// 1.5) added 0.02 recall@3 and 0.01 top-1 there; λ 2 to 4 all add 0.044
// and 0.044 (0.889 → 0.933, 0.789 → 0.833) and keep the no-link rate,
// while λ 10 loses it (0.80 → 0.70): an example's vote then outweighs
// the linking bar for mail that needs no link. λ 3 is the middle of that
// plateau. k is maxLinks: ten neighbours let weakly similar examples
// vote, and cost a mail of no-link at every λ. Votes add up over the
// neighbours, so two examples that agree count more than one; with three
// neighbours a label many examples carry is not favoured for its numbers
// alone.
//
// The votes of no-link examples (a labelled set's `faq: []`) raise the
// linking bar of mail that reads as thanks, a pitch or an application,
// or a complaint (cuedBar) by noLink 4 linking bars times their summed
// similarity, chosen by the same cross-validation: over μ 0.5 to 15,
// μ 3 to 10 keep one more mail of the 20 that need none unlinked (0.85 →
// 0.90) and cost no linked mail, 15 costs one; with 10 folds, with
// contiguous folds and with 2 folds μ 3 to 6 gain that mail or tie and
// never cost one, so μ is 4, inside that. Raising every mail's bar
// (raiseBar) gains the same mail at μ 3 but loses two linked mails
// (recall@3 0.944 → 0.922), more as μ grows: a real question shares
// words (a product, "installation") with a thank-you note. Withholding
// when the no-link votes beat the best entry's (outvote) gains one or
// two mails and loses eight to fourteen linked ones; the nearest
// example's being a no-link one at a similarity of θ (nearestNone) gains
// one at θ 0.1 to 0.15 and loses two to four linked mails.
//
// Since reports are read more widely (session 14, the package doc), the
// tuning sets' cross-validation keeps 19 of its 20 no-link mails
// unlinked with or without these votes (the twentieth asks what the
// catalog does not answer): it no longer tells μ apart, and the test
// holds only that the votes cost no linked mail. On public-b after
// public/ and eval/dev they keep one more of 17 unlinked (one look).
//
// Session 15 measured the channel in the same cross-validation as it
// ships (Suggest's links, the examples' evidence in all three places)
// and with the demo rules' department: catalog alone recall@3 0.944,
// top-1 0.856, no-link 0.950, department 0.945; with these constants
// 0.967 / 0.856 / 0.950 / 0.945. The examples made three first links
// right and three wrong: a mail shares a product or "order" with many
// examples, the nearest example of an unseen mail is mostly at
// similarity 0.05 to 0.3, and every neighbour moves its entries by up to
// a linking bar.
//
// Session 16: with the four tuning sets (294 mails) the examples cost a
// mail of no-link in the five folds (0.869 → 0.852): a courier's
// careless delivery reported with no question the catalog answers,
// whose nearest examples are two no-link ones (similarity 0.34 and
// 0.13) and the third a delivery-times question at 0.10, whose vote
// (1.6) lifted the catalog's 3.1 over the bar of 3.75. The no-link
// votes did not count there (cuedBar: a report is none of the cued
// kinds). withdraw 3 leaves the linking decision and the first link to
// the catalog's own ranking when the no-link neighbours' summed
// similarity is more than three times that of the best entry's voters
// (reading.lead); the votes still choose the second and third links.
// It keeps that mail unlinked with five folds, ten and permuted folds
// (no-link 0.852 → 0.869, 0.836 → 0.852, 0.852 → 0.869), ties on
// contiguous fifths, two folds and one fold learned, and moves no other
// mail on any of them (TestEvalExamplesTuningCV holds every figure on
// every scheme against withdraw 0). 2 to 4 move that mail alone; 5 and
// 8 no longer keep it; 1.5 costs a first link (a refund mail whose
// catalog's first is order tracking) and 1 that first link for one
// more no-link mail. Letting the catalog's ranking choose all three
// links costs, with one fold learned, a second link only the examples
// found (a distributor's mail: the dealer entry, outside the catalog's
// best ten); adding the best entry's votes to the bar instead loses the
// catalog's own first link when the votes had put another entry first.
// The other no-link mail the examples link (a pre-sale question whose
// catalog best, a troubleshooting entry, the pre-sale gate withholds,
// and which the votes for the voltage entry move out of first place)
// has its no-link neighbour at 0.11 against 0.08 for the voters: only
// withdraw 1 reaches it.
//
// Measured and not adopted. Votes by the similarity above the backdrop
// (knnParams.backdrop: the (k+1)-th neighbour's), so that only examples
// nearer than the mail's background vote: at λ 4 to 7 one or two first
// links more (λ 6: top-1 0.878, the other three figures unchanged), λ 8
// loses a recalled mail, 10 two; with ten folds, contiguous fifths and a
// permutation of the folds λ 4 to 7 gain one to three first links, two
// folds tie; keeping the catalog's own first link gives both mails back.
// But with few examples it is weaker: one fold's 22 examples learned and
// the other four measured, it loses half a mail against these constants
// (2 of 360 recalls and first links), on public/'s halves one first
// link of 23 (TestLearnedHalvesCV), and the held-out guard
// TestLearningCurve (public-b after public/'s first 10, 25, 50) failed
// at 10 examples on top-1. It is kept as a knob, off. Session 16,
// with withdraw 3 and the 294 tuning mails, λ 6 against the shipped
// votes, in mails: five folds one recalled and one first link more, ten
// folds and contiguous fifths one no-link mail more, permuted folds a
// first link more and a no-link mail less, two folds three first links
// more and a recalled and a no-link mail less (two pre-sale questions
// linked, a courier complaint kept), one fold learned ahead; a figure
// lost on two schemes, so still off. Also dropped, by
// the same cross-validation (objective r@3 + top-1 + no-link +
// department, 3.718 as shipped, 3.740 with the backdrop at λ 6): votes
// by similarity^1.5 or ^2 (with or without the backdrop, λ 1 to 25: at
// most 3.729, one mail); votes scaled by the catalog's best score
// instead of the linking bar (at most 3.729, and 3.607 at λ 3: the
// votes then grow with the catalog's own match and reorder its strong
// matches); the examples' words as a low-weight BM25 document per entry
// (Rocchio; weight 0.1 to 1, with and without the kNN votes: 3.695 at
// best, and no-link falls to 0.90 to 0.75 from weight 0.25 as the
// expansion lifts thank-you notes over the linking bar); example text
// read flat instead of zoned as a mail is (subject ×2, asks and tells),
// one mail less (r@3 or department); for departments, the backdrop on
// the department votes and the gate (two mails less), the gate's power
// 1, 1.5 or 3 instead of 2, and 1, 5 or 10 department voters (ties or
// one to three mails less).
//
// Session 18: a question asked before buying (intent.prospective) is one
// of cuedBar's kinds. The pre-sale questions the catalog does not answer
// (an ioniser's ozone, a slow-cook mode, a student discount) are a kind
// of mail that often needs no link, and its no-link examples are what
// tell it; without the rule the starter set's pre-sale examples lifted
// such mail over the bar. Measured with the starter set of every tuning
// set, each set with the examples of the others: no link eval/dev3 0.857
// → 1.000, eval/dev4 0.750 → 0.812, eval/dev5 0.733 → 0.867, eval/dev2
// and eval/dev6 the same; recall@3, top-1 and department the same on
// every set. With the 214 examples of public/, eval/dev and eval/dev2:
// eval/dev3 and eval/dev5 one mail more unlinked. public-b as shipped
// (one look): no link 0.765 → 0.824, the other figures the same. The
// cross-validation over the 294 mails is unchanged (its pre-sale mails'
// neighbours are not no-link ones). TestNoLinkExampleWithholdsFromPreSale.
var defaultKNN = knnParams{k: maxLinks, lambda: 3, sum: true, noLink: 4, rule: cuedBar, withdraw: 3}

// exVectors holds the examples' unit vectors as postings: per term id of
// the example index, the examples that have it and their component.
type exVectors struct {
	postings [][]posting
}

func (x *Learned) vectors(docs []Entry) *exVectors {
	v := &exVectors{postings: make([][]posting, len(x.idx.postings))}
	for i, d := range docs {
		q := x.idx.query(exampleZones(d.En.Answer))
		var norm float64
		for _, t := range q {
			if t.id >= 0 {
				w := t.weight * x.idx.idf[t.id]
				norm += w * w
			}
		}
		if norm == 0 {
			continue
		}
		norm = math.Sqrt(norm)
		for _, t := range q {
			if t.id >= 0 {
				v.postings[t.id] = append(v.postings[t.id], posting{doc: int32(i), w: float32(t.weight * x.idx.idf[t.id] / norm)})
			}
		}
	}
	return v
}

// nearest returns the k examples most similar to the query q (of the
// example index), with their cosine similarity, best first.
func (x *examples) nearest(q []qterm, k int) []scored {
	var qn float64
	for _, t := range q {
		idf := x.idx.maxIDF() // a word no example has: as rare as can be
		if t.id >= 0 {
			idf = x.idx.idf[t.id]
		}
		qn += (t.weight * idf) * (t.weight * idf)
	}
	if qn == 0 {
		return nil
	}
	qn = math.Sqrt(qn)
	a := x.idx.accums.Get().(*accum)
	if len(a.score) < x.idx.n {
		a.score = make([]float64, x.idx.n)
	}
	// When the query's postings are many against the examples (common
	// words in a large set), the slots are added to without noting which
	// were touched, and all of them are read after: a branch less per
	// posting, and one pass over n slots instead of over the touched.
	var postings int
	for _, t := range q {
		if t.id >= 0 {
			postings += len(x.vecs.postings[t.id])
		}
	}
	dense := postings > x.idx.n
	for _, t := range q {
		if t.id < 0 {
			continue
		}
		w := t.weight * x.idx.idf[t.id] / qn
		ps := x.vecs.postings[t.id]
		if dense {
			sc := a.score[:x.idx.n]
			for _, p := range ps {
				sc[p.doc] += w * float64(p.w)
			}
			continue
		}
		for _, p := range ps {
			if a.score[p.doc] == 0 {
				a.touched = append(a.touched, p.doc)
			}
			a.score[p.doc] += w * float64(p.w)
		}
	}
	out := make([]scored, 0, k)
	if dense {
		// in document order, so a later example with the same
		// similarity as the k-th is never better than it
		sc := a.score[:x.idx.n]
		for d, v := range sc {
			if v <= 0 || len(out) == k && v <= out[k-1].score {
				continue
			}
			out = topInsert(out, scored{int32(d), v, 0}, k)
		}
		clear(sc)
	}
	for _, d := range a.touched {
		s := scored{d, a.score[d], 0}
		a.score[d] = 0
		if s.score <= 0 || len(out) == k && !better(s, out[k-1]) {
			continue
		}
		out = topInsert(out, s, k)
	}
	a.touched = a.touched[:0]
	x.idx.accums.Put(a)
	return out
}

// topInsert puts s, which is better than the k-th of out (best first),
// into its place, keeping at most k.
func topInsert(out []scored, s scored, k int) []scored {
	if len(out) == k {
		out = out[:k-1]
	}
	i := len(out)
	out = append(out, s)
	for i > 0 && better(s, out[i-1]) {
		out[i] = out[i-1]
		i--
	}
	out[i] = s
	return out
}

// votes is the kNN evidence for a mail's query q of the example index:
// per entry in the catalog's score units (bar is the linking bar), per
// department the similarity of its closest example (summed over the
// neighbours with knnParams.sum), the similarity of the nearest
// example (for Topics, learnedTopics), and the no-link examples' votes
// against linking (in score units; knnParams.noLink).
//
// none is the summed similarity of the no-link neighbours, whatever
// the rule (knnParams.withdraw).
func (x *examples) votes(q []qterm, bar float64) (entries map[int32]float64, depts map[string]float64, gate, against, none float64) {

	p := x.knn
	n := p.k
	if p.backdrop {
		n++
	}
	res := x.nearest(q, n)
	if len(res) == 0 {
		return nil, nil, 0, 0, 0
	}
	var backdrop float64
	if p.backdrop && len(res) > p.k {
		backdrop = res[p.k].score
		res = res[:p.k]
	}
	scale := p.lambda * bar
	if p.agree {
		scale *= x.weight
	}
	entries, depts = map[int32]float64{}, map[string]float64{}
	add := func(v *float64, s float64) {
		if p.sum {
			*v += s
		} else {
			*v = max(*v, s)
		}
	}
	for _, r := range res {
		if x.noLink[r.doc] {
			add(&against, r.score*p.noLink*bar)
			add(&none, r.score)
		}
		if sim := r.score - backdrop; sim > 0 {
			for _, e := range x.entries[r.doc] {
				v := entries[e]
				add(&v, sim*scale)
				entries[e] = v
			}
		}
		if d := x.dept[r.doc]; d != "" {
			v := depts[d]
			add(&v, r.score)
			depts[d] = v
		}
	}
	if p.rule == nearestNone {
		against = 0
		if x.noLink[res[0].doc] && p.noLink > 0 && res[0].score >= p.noLink {
			against = math.Inf(1)
		}
	}
	return entries, depts, res[0].score, against, none
}
