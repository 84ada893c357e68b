package faq

import (
	"fmt"
	"testing"
)

// firstVariant is one way of choosing the first link (params.first,
// firstRRF, firstAll).
type firstVariant struct {
	name  string
	first float64
	rrf   float64
	all   bool
}

func (v firstVariant) params() params {
	p := defaultParams
	p.first, p.firstRRF, p.firstAll = v.first, v.rrf, v.all
	return p
}

func firstVariants() []firstVariant {
	var vs []firstVariant
	for _, all := range []bool{false, true} {
		for _, a := range []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1} {
			vs = append(vs, firstVariant{fmt.Sprintf("sum α %.1f all %v", a, all), a, 0, all})
		}
		for _, k := range []float64{1, 3, 10, 60} {
			vs = append(vs, firstVariant{fmt.Sprintf("rrf k %2.0f all %v", k, all), 0, k, all})
		}
	}
	return vs
}

// TestEvalFirstLinkFusion weighs the first link chosen by a fusion of
// the whole-entry ranking and the passage ranking (passages.go), each
// over its own best: a weighted sum (params.first α, 0 the shipped
// whole entry, 1 the passages alone) or reciprocal rank (firstRRF k),
// among the entries decide linked or among all ten candidates
// (firstAll). Whether to link and the later links stay as shipped. It
// prints each variant on the three tuning sets (never public-b) and
// chooses one by nested five-fold cross-validation over their 214 mails
// (top-1 + recall@3 on four folds, measured on the fifth); it fails when
// that beats the shipped first link, so that the choice is revisited.
// Measured (session 16, before the other-product factor; top-1 of 174):
// α 0.1 and 0.2 change nothing (148), α 0.3 146, 0.5 144, passages
// alone 139; reciprocal rank 148 at every k (public/ +1, eval/dev −1,
// a recall lost); the nested choice 147. With it and the stop-word
// inflections: shipped 150, α 0.3 148, passages alone 141, reciprocal
// rank 150 with a recall lost, the nested choice 149. Not adopted: the passage
// ranking finds the right entry among the three more often but puts an
// entry with one well-matching sentence first.
func TestEvalFirstLinkFusion(t *testing.T) {
	var sets [][]evalMail
	var cat *Catalog
	for _, set := range []string{"public", "dev", "dev2"} {
		c, mails := loadEvalSet(t, set)
		cat = c
		sets = append(sets, mails)
	}
	var all []evalMail
	for _, s := range sets {
		all = append(all, s...)
	}
	for _, v := range firstVariants() {
		line := v.name
		for _, s := range sets {
			m := measure(cat, s, v.params())
			line += fmt.Sprintf(" | %d/%d r %d nl %d", m.top1, m.relevant, m.recalled, m.noneKept)
		}
		m := measure(cat, all, v.params())
		line += fmt.Sprintf(" || all top1 %d r %d", m.top1, m.recalled)
		t.Log(line)
	}
	// nested: choose the variant on four folds, measure the fifth
	vs := firstVariants()
	var got metrics
	for k := range 5 {
		train, test := cvFold(all, k, 5)
		bi, bo := 0, -1
		for i, v := range vs {
			m := measure(cat, train, v.params())
			if o := m.top1 + m.recalled; o > bo {
				bi, bo = i, o
			}
		}
		m := measure(cat, test, vs[bi].params())
		t.Logf("fold %d chose %s: top1 %d/%d r %d", k, vs[bi].name, m.top1, m.relevant, m.recalled)
		got.top1 += m.top1
		got.relevant += m.relevant
		got.recalled += m.recalled
	}
	t.Logf("nested CV: top1 %d/%d recall %d", got.top1, got.relevant, got.recalled)
	shipped := measure(cat, all, defaultParams)
	if got.top1+got.recalled > shipped.top1+shipped.recalled {
		t.Errorf("the fusion chosen by nested CV (top-1 %d, recall %d) beats the shipped first link (%d, %d): revisit", got.top1, got.recalled, shipped.top1, shipped.recalled)
	}
}
