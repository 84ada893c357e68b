package faq

import (
	"fmt"
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

// wantVar is one way of letting what the mail asks for (its subject and
// asking or request sentences, scored against the entries' titles and
// keywords alone) choose the first link: mode 0 the shipped first link;
// 1 a transaction entry (not index.productSide) among the linked ones
// leads over a product entry when its want score reaches theta idf units
// and beats the product entry's; 3 the same among all ten candidates
// scoring at least beta of the best; 2 a weighted sum, the whole entry's
// score over the best plus beta times the want score (of transaction
// entries alone with onlyTx). prodW is the want index's weight of
// product nouns.
type wantVar struct {
	name   string
	mode   int     // 0 shipped, 1 lead, 2 fuse
	theta  float64 // lead: least want score (idf units)
	beta   float64 // fuse weight
	prodW  float64 // want index product weight
	onlyTx bool
}

type wantMail struct {
	evalMail
	set  string
	want map[string]map[int32]float64 // by prodW key
}

// TestEvalWantSignal measures the "want" signal of issue 19 on the four
// tuning sets (never public-b): per variant top-1 of the linked mails,
// recall@3 and no-link per set with the mails gained and lost against
// the shipped ranking, then a nested five-fold cross-validation over
// the 294 mails (the variant chosen on four folds by top-1 + recall@3 +
// no-link, measured on the fifth). It fails when the nested choice beats
// the shipped first link, so that the signal is revisited. Measured
// (session 17, with the synonym table's 退货/换货 verb lines): no
// variant gains a mail on public/, eval/dev or eval/dev2; leading with a
// transaction entry at θ ≤ 0.5 gains one mail on eval/dev3 and loses one
// there (and a recall) and one on eval/dev, among the linked entries or
// all ten alike (among all ten at θ 0.5 eval/dev loses three or four);
// θ ≥ 0.75 changes nothing; the weighted sum loses eval/dev2 mails from
// β 0.05 on and every set's from β 0.3. The mails that move at θ 0.3
// among the linked: eval/dev3's purifier the family wants to send back
// (想退掉, 还能退吗: returns-7-day over purifier-filter-light, right);
// eval/dev's kettle with no light (price-protection's "bought" over
// kettle-not-heating) and eval/dev3's rice cooker given in Taipei
// (corporate-bulk-purchase's "gift" over overseas-voltage, a recall
// lost), wrong; eval/dev2's Hong Kong shipping fee, wrong before and
// after. A single title word in an asking sentence is weak evidence of
// a want. Every fold chose the shipped
// ranking (nested top-1 194/233 either way). Not adopted: the asking
// sentences of the tuning mails rarely use the words of the title they
// want (退掉, "take this back", 换一台), and where they do the
// troubleshooting entry leads by more than a title match makes up.
func TestEvalWantSignal(t *testing.T) {
	var mails []wantMail
	var cat *Catalog
	for _, set := range []string{"public", "dev", "dev2", "dev3"} {
		c, ms := loadEvalSet(t, set)
		cat = c
		for _, em := range ms {
			mails = append(mails, wantMail{evalMail: em, set: set, want: map[string]map[int32]float64{}})
		}
	}
	for _, pw := range []float64{0, 0.5} {
		mt := defaultMethod
		mt.fieldWeight = [nFields]float64{3, 2, 0}
		mt.productWeight = pw
		mt.otherProduct = 0
		wix := buildIndexWith(cat.entries, mt)
		for i := range mails {
			zones, _ := mailZones(mails[i].msg, cat.idx.m)
			var wz []zone
			for j, z := range zones {
				if (j == 0 && z.weight > 0) || z.weight == cat.idx.m.ask {
					wz = append(wz, zone{z.text, 1})
				}
			}
			sc := map[int32]float64{}
			for _, s := range wix.scoreAll(wix.query(wz)) {
				sc[s.doc] = s.score / wix.maxIDF()
			}
			mails[i].want[fmt.Sprint(pw)] = sc
		}
	}
	var vars []wantVar
	vars = append(vars, wantVar{name: "shipped"})
	for _, pw := range []float64{0, 0.5} {
		for _, th := range []float64{0.3, 0.5, 0.75, 1, 1.5} {
			vars = append(vars, wantVar{fmt.Sprintf("lead θ%.2f pw%.1f", th, pw), 1, th, 0, pw, true})
		}
		for _, th := range []float64{0.5, 0.75, 1, 1.5} {
			for _, b := range []float64{0.2, 0.3, 0.4} {
				vars = append(vars, wantVar{fmt.Sprintf("leadall θ%.2f r%.1f pw%.1f", th, b, pw), 3, th, b, pw, true})
			}
		}
		for _, b := range []float64{0.05, 0.1, 0.2, 0.3, 0.5} {
			for _, tx := range []bool{true, false} {
				vars = append(vars, wantVar{fmt.Sprintf("fuse β%.2f pw%.1f tx %v", b, pw, tx), 2, 0, b, pw, tx})
			}
		}
	}
	run := func(v wantVar, ms []wantMail) (m metrics) {
		m = metrics{byLang: map[string][2]int{}}
		for _, wm := range ms {
			em := wm.evalMail
			lang := message.Language(em.lang)
			links := cat.pitchFirst(cat.decide(em.q, em.res, em.in, lang, defaultParams), em.in)
			links = wantReorder(cat, v, links, em.res, wm.want[fmt.Sprint(v.prodW)], em.in)
			hits := cat.fill(links, em.res, em.q, nil, lang, defaultParams)
			var ids []string
			for _, h := range hits {
				ids = append(ids, h.ID)
			}
			if len(em.FAQ) == 0 {
				m.none++
				if len(hits) == 0 {
					m.noneKept++
				}
				continue
			}
			m.relevant++
			for _, id := range ids {
				if contains(em.FAQ, id) {
					m.recalled++
					break
				}
			}
			if len(ids) > 0 && contains(em.FAQ, ids[0]) {
				m.top1++
			} else if v.mode == -1 {
				m.misses = append(m.misses, wm.set+"/"+em.File)
			}
		}
		return m
	}
	bySet := func(set string) []wantMail {
		var out []wantMail
		for _, m := range mails {
			if m.set == set {
				out = append(out, m)
			}
		}
		return out
	}
	base := map[string][]string{}
	for _, v := range vars {
		line := fmt.Sprintf("%-28s", v.name)
		for _, set := range []string{"public", "dev", "dev2", "dev3"} {
			m := run(v, bySet(set))
			line += fmt.Sprintf(" | %d/%d r%d nl%d", m.top1, m.relevant, m.recalled, m.noneKept)
			// per-mail diff against shipped
			var ok []string
			for _, wm := range bySet(set) {
				mm := run(v, []wantMail{wm})
				if mm.top1 == 1 {
					ok = append(ok, wm.File)
				}
			}
			if v.mode == 0 {
				base[set] = ok
			} else {
				gain, loss := 0, 0
				for _, f := range ok {
					if !contains(base[set], f) {
						gain++
					}
				}
				for _, f := range base[set] {
					if !contains(ok, f) {
						loss++
					}
				}
				line += fmt.Sprintf(" (+%d-%d)", gain, loss)
			}
		}
		t.Log(line)
	}
	// nested CV
	var tot metrics
	for k := range 5 {
		train, test := cvFold(mails, k, 5)
		bi, bo := 0, -1
		for i, v := range vars {
			m := run(v, train)
			if o := 2*m.top1 + 2*m.recalled + 2*m.noneKept; o > bo {
				bi, bo = i, o
			}
		}
		m := run(vars[bi], test)
		t.Logf("fold %d chose %s: %d/%d r%d", k, vars[bi].name, m.top1, m.relevant, m.recalled)
		tot.top1 += m.top1
		tot.relevant += m.relevant
		tot.recalled += m.recalled
		tot.noneKept += m.noneKept
	}
	s := run(vars[0], mails)
	t.Logf("nested CV top1 %d/%d r%d nl%d; shipped %d/%d r%d nl%d", tot.top1, tot.relevant, tot.recalled, tot.noneKept, s.top1, s.relevant, s.recalled, s.noneKept)
	if tot.top1+tot.recalled+tot.noneKept > s.top1+s.recalled+s.noneKept {
		t.Errorf("the want signal chosen by nested CV (top-1 %d, recall %d, no-link %d) beats the shipped first link (%d, %d, %d): revisit",
			tot.top1, tot.recalled, tot.noneKept, s.top1, s.recalled, s.noneKept)
	}
}

func wantReorder(c *Catalog, v wantVar, links []Hit, res []scored, want map[int32]float64, in intent) []Hit {
	w := func(d int) float64 { return want[int32(d)] }
	if v.mode == 0 || len(links) < 2 {
		return links
	}
	top, ok := c.byID[links[0].ID]
	if !ok {
		return links
	}
	switch v.mode {
	case 1:
		if !c.idx.productSide[top] {
			return links
		}
		for i, h := range links[1:] {
			d := c.byID[h.ID]
			if !c.idx.productSide[d] && w(d) >= v.theta && w(d) > w(top) {
				out := []Hit{h}
				out = append(out, links[:i+1]...)
				return append(out, links[i+2:]...)
			}
		}
	case 3:
		if !c.idx.productSide[top] {
			return links
		}
		for _, r := range res[1:min(len(res), rankDepth)] {
			d := int(r.doc)
			if r.score < v.beta*res[0].score {
				break
			}
			if !c.idx.productSide[d] && w(d) >= v.theta && w(d) > w(top) {
				out := []Hit{c.hit(r, message.English)}
				for _, h := range links {
					if h.ID != out[0].ID {
						out = append(out, h)
					}
				}
				return out
			}
		}
	case 2:
		best, bf := 0, -1.0
		s0 := links[0].Score
		for i, h := range links {
			d := c.byID[h.ID]
			f := h.Score / s0
			if !v.onlyTx || !c.idx.productSide[d] {
				f += v.beta * w(d)
			}
			if f > bf+1e-12 {
				best, bf = i, f
			}
		}
		if best > 0 {
			out := []Hit{links[best]}
			out = append(out, links[:best]...)
			return append(out, links[best+1:]...)
		}
	}
	return links
}

// cvFold splits xs into the k-th of n interleaved folds (every n-th item from
// the k-th) and the rest, for the nested cross-validations.
func cvFold[T any](xs []T, k, n int) (train, test []T) {
	for i, x := range xs {
		if i%n == k {
			test = append(test, x)
		} else {
			train = append(train, x)
		}
	}
	return train, test
}
