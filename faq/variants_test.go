package faq

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

// rightMargin is the mean, over the mails that some entry answers, of the
// best right entry's score less the best wrong entry's, over the top
// score (ungated ranking): how surely the ranking puts a right entry
// first. Unlike recall and top-1, nearly saturated on public/, it still
// tells variants apart there.
func rightMargin(c *Catalog, mails []evalMail) float64 {
	var sum float64
	var n int
	for _, em := range mails {
		if len(em.FAQ) == 0 {
			continue
		}
		n++
		if len(em.res) == 0 {
			sum--
			continue
		}
		var right, wrong float64
		for _, r := range em.res {
			if contains(em.FAQ, c.entries[r.doc].ID) {
				right = max(right, r.score)
			} else {
				wrong = max(wrong, r.score)
			}
		}
		sum += (right - wrong) / em.res[0].score
	}
	return sum / float64(max(n, 1))
}

type variant struct {
	name string
	mt   method
}

// runVariants measures ranking variants: public/ (the tuning set) by its
// odd and even halves with the shipped decision constants, and public-b
// in aggregate only (FRONTDESK_SHOW_HELDOUT).
func runVariants(t *testing.T, vs []variant) { runVariantsWith(t, vs, defaultParams) }

// runVariantsWith is runVariants with other decision constants.
func runVariantsWith(t *testing.T, vs []variant, p params) {
	t.Logf("decision %+v", p)
	var first [2]float64
	for _, set := range evalSets {
		if set == "public-b" && os.Getenv("FRONTDESK_SHOW_HELDOUT") == "" {
			continue
		}
		cat, mails := loadEvalSet(t, set)
		for vi, v := range vs {
			c := *cat
			c.idx = buildIndexWith(cat.entries, v.mt)
			if cat.pass != nil { // the passages share the variant index's terms and idf
				c.pass = buildPassageIndex(&c, windows(1), false)
			}
			var halves [2][]evalMail
			all := make([]evalMail, len(mails))
			for i, em := range mails {
				em.q, em.res, em.in = c.candidates(em.msg)
				all[i] = em
				halves[i%2] = append(halves[i%2], em)
			}
			m := measure(&c, all, p)
			ung := measure(&c, all, params{evidence: -1, pitch: 1, report: 1, first: defaultParams.first, firstRRF: defaultParams.firstRRF, firstAll: defaultParams.firstAll})
			line := fmtM(m)
			if set == "public" {
				h0, h1 := measure(&c, halves[0], p), measure(&c, halves[1], p)
				if vi == 0 {
					first = [2]float64{objective(h0), objective(h1)}
				} else if objective(h0) > first[0]+1e-9 && objective(h1) > first[1]+1e-9 {
					t.Errorf("%s beats %s on both halves of public/: revisit the choice", v.name, vs[0].name)
				}
				t.Logf("%-8s %-20s %s | halves obj %.3f %.3f margin %.3f %.3f | ungated r@3 %.3f top1 %.3f", set, v.name, line, objective(h0), objective(h1), rightMargin(&c, halves[0]), rightMargin(&c, halves[1]), ung.recall(), ung.top1Rate())
			} else {
				t.Logf("%-8s %-20s %s obj %.3f margin %.3f | ungated r@3 %.3f top1 %.3f", set, v.name, line, objective(m), rightMargin(&c, all), ung.recall(), ung.top1Rate())
			}
		}
	}
}

// labelledExamples are the mails of a set as learn import makes them
// (subject and fresh text, labels as given).
func labelledExamples(mails []evalMail) []Example {
	var out []Example
	for i, em := range mails {
		text := em.msg.Subject + "\n" + em.msg.Fresh()
		if len(text) > 4000 {
			text = truncate(text, 4000)
		}
		out = append(out, Example{ID: fmt.Sprint(i), Department: em.Dept, Entries: em.FAQ, NoLink: len(em.FAQ) == 0, Text: text})
	}
	return out
}

// withExamples measures mails with cat learning from exs under knn p.
func measureLearned(cat *Catalog, exs []Example, p knnParams, mails []evalMail) metrics {
	c := cat.WithExamples(exs)
	if c.ex != nil {
		c.ex.knn = p
	}
	ms := make([]evalMail, len(mails))
	for i, em := range mails {
		r := c.read(em.msg)
		em.res, em.in = r.res, r.in
		ms[i] = em
	}
	return measure(c, ms, defaultParams)
}

func knnGrid() []knnParams {
	var out []knnParams
	for _, sum := range []bool{true, false} {
		for _, agree := range []bool{false, true} {
			for _, l := range []float64{0.25, 0.5, 1, 1.5, 2, 3} {
				out = append(out, knnParams{k: neighbours, lambda: l, sum: sum, agree: agree})
			}
		}
	}
	return out
}

// TestEvalExamplesCV chooses the examples' kNN constants (knnParams) by
// 2-fold cross-validation on public/: examples imported from one half
// (odd or even mails), the other half measured. With
// FRONTDESK_SHOW_HELDOUT=1 it also gives public-b's aggregate figures
// after importing all of public/. It fails when a variant beats the
// shipped one on both halves, so that the choice is revisited.
func TestEvalExamplesCV(t *testing.T) {
	cat, pub := loadEvalSet(t, "public")
	var halves [2][]evalMail
	for i, em := range pub {
		halves[i%2] = append(halves[i%2], em)
	}
	var pubB []evalMail
	if os.Getenv("FRONTDESK_SHOW_HELDOUT") != "" {
		_, pubB = loadEvalSet(t, "public-b")
	}
	base := [2]float64{objective(measure(cat, halves[1], defaultParams)), objective(measure(cat, halves[0], defaultParams))}
	t.Logf("no examples: held-out halves obj %.3f %.3f", base[0], base[1])
	cv := func(p knnParams) (obj [2]float64) {
		for k := range 2 {
			obj[k] = objective(measureLearned(cat, labelledExamples(halves[k]), p, halves[1-k]))
		}
		return obj
	}
	shipped := cv(defaultKNN)
	for _, p := range knnGrid() {
		obj := cv(p)
		if obj[0] > shipped[0]+1e-9 && obj[1] > shipped[1]+1e-9 {
			t.Errorf("%+v beats the shipped %+v on both halves (%.3f %.3f against %.3f %.3f)", p, defaultKNN, obj[0], obj[1], shipped[0], shipped[1])
		}
		line := fmt.Sprintf("%+v: CV obj %.3f %.3f (sum %.3f)", p, obj[0], obj[1], obj[0]+obj[1])
		if pubB != nil {
			m := measureLearned(cat, labelledExamples(pub), p, pubB)
			line += fmt.Sprintf(" | public-b after public: %s obj %.3f", fmtM(m), objective(m))
		}
		t.Log(line)
	}
}

// TestEvalExamplesNearest measures the kNN channel alone: how often the
// nearest learned example carries a right entry or the right department,
// across the halves of public/ (and from public/ to public-b in aggregate
// with FRONTDESK_SHOW_HELDOUT=1). It shows what the examples can add.
func TestEvalExamplesNearest(t *testing.T) {
	cat, pub := loadEvalSet(t, "public")
	sets := map[string][2][]evalMail{}
	var halves [2][]evalMail
	for i, em := range pub {
		halves[i%2] = append(halves[i%2], em)
	}
	sets["public halves"] = [2][]evalMail{halves[0], halves[1]}
	if os.Getenv("FRONTDESK_SHOW_HELDOUT") != "" {
		_, pubB := loadEvalSet(t, "public-b")
		sets["public→public-b"] = [2][]evalMail{pub, pubB}
	}
	for name, s := range sets {
		c := cat.WithExamples(labelledExamples(s[0]))
		// an example's own text is its nearest, at similarity 1 (a
		// duplicate may tie with it)
		for i, ex := range labelledExamples(s[0]) {
			if res := c.ex.nearest(c.ex.idx.query(exampleZones(ex.Text)), 1); len(res) == 0 || res[0].score < 0.999 || res[0].score > 1.001 {
				t.Fatalf("%s: example %d is not its own nearest at similarity 1: %+v", name, i, res)
			}
		}
		var n, right, dright int
		var sims []float64
		for _, em := range s[1] {
			zones, _ := mailZones(em.msg, defaultMethod)
			res := c.ex.nearest(c.ex.idx.query(zones), 1)
			if len(res) == 0 {
				continue
			}
			sims = append(sims, res[0].score)
			if len(em.FAQ) > 0 {
				n++
				for _, e := range c.ex.entries[res[0].doc] {
					if contains(em.FAQ, c.entries[e].ID) {
						right++
						break
					}
				}
			}
			if c.ex.dept[res[0].doc] == em.Dept {
				dright++
			}
		}
		slices.Sort(sims)
		t.Logf("%s: 1-NN entry right %d/%d, dept right %d/%d; nearest sim quartiles %.2f %.2f %.2f", name, right, n, dright, len(s[1]), sims[len(sims)/4], sims[len(sims)/2], sims[3*len(sims)/4])
	}
}

// intentVocabulary is what a customer of a shop asks to have done, in
// general English and Chinese (Simplified; Traditional folds to it): the
// words of the intent-weight experiment.
const intentVocabulary = `
return returns returned exchange exchanged swap replace replacement refund refunded reimburse
repair repaired warranty guarantee invoice receipt fapiao cancel cancelled cancellation
change address install installation installer track tracking deliver delivery shipping
pay payment charged charge price discount coupon voucher
退货 退回 换货 更换 调换 退款 退钱 维修 修理 保修 保养 发票 收据 取消 修改 改地址 地址
安装 物流 快递 配送 发货 付款 支付 扣款 价格 降价 差价 优惠券
`

// TestEvalIntentWeight is issue 19's "separate the intent from the
// product" in its simplest form: query words that name an action
// (return, refund, invoice…) weigh more than the rest, product nouns
// included. Measured on public/'s halves (and public-b in aggregate with
// FRONTDESK_SHOW_HELDOUT=1); it fails when a weight beats the shipped
// method (no weight) on both halves, so that the choice is revisited.
func TestEvalIntentWeight(t *testing.T) {
	terms := map[string]bool{}
	for _, w := range strings.Fields(intentVocabulary) {
		for _, tok := range tokenizePlain(w) {
			terms[tok.term] = true
		}
	}
	var vs []variant
	for _, w := range []float64{1, 1.25, 1.5, 2, 3} {
		m := defaultMethod
		m.intent, m.intentWeight = terms, w
		vs = append(vs, variant{fmt.Sprintf("intent×%.2f", w), m})
	}
	runVariants(t, vs)
}

// TestEvalChineseStopWords leaves the two-character Chinese stop words of
// a general list (zh_stop.txt) out of the index, so that function-word
// bigrams (我们, 可以, 已经) match nothing.
func TestEvalChineseStopWords(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "zh_stop.txt"))
	if err != nil {
		t.Fatal(err)
	}
	stop := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			for _, tok := range tokenizePlain(w) {
				stop[tok.term] = true
			}
		}
	}
	m := defaultMethod
	m.stop = stop
	runVariants(t, []variant{{"bigrams", defaultMethod}, {"zh stop bigrams", m}})
}

// TestEvalAsksGate weighs the "does the mail ask anything" gate: as
// shipped (a question, a request or a fault report), and with every mail
// counted as asking (autoresponders and thank-you notes still get no
// link, pitches still need the higher bar).
func TestEvalAsksGate(t *testing.T) {
	for _, set := range evalSets {
		if set == "public-b" && os.Getenv("FRONTDESK_SHOW_HELDOUT") == "" {
			continue
		}
		cat, mails := loadEvalSet(t, set)
		var shipped [2]float64
		for _, all := range []bool{false, true} {
			var halves [2][]evalMail
			ms := make([]evalMail, len(mails))
			for i, em := range mails {
				if all {
					em.in.asks = !autoReply(em.msg)
				}
				ms[i] = em
				halves[i%2] = append(halves[i%2], em)
			}
			m := measure(cat, ms, defaultParams)
			h := [2]float64{objective(measure(cat, halves[0], defaultParams)), objective(measure(cat, halves[1], defaultParams))}
			t.Logf("%-8s every mail asks %-5v %s obj %.3f | halves obj %.3f %.3f", set, all, fmtM(m), objective(m), h[0], h[1])
			if !all {
				shipped = h
			} else if set == "public" && h[0] > shipped[0]+1e-9 && h[1] > shipped[1]+1e-9 {
				t.Errorf("counting every mail as asking beats the shipped gate on both halves of public/: revisit the choice")
			}
		}
	}
}

// TestEvalIDFPower: with 41 entries a term's idf is a coarse estimate
// (a word that happens to occur in one answer gets the largest), so
// softer or sharper idf (idf^p) may generalise better. The linking bar is
// in units of the largest idf, which scales with it.
func TestEvalIDFPower(t *testing.T) {
	var vs []variant
	for _, p := range []float64{1, 0.5, 0.75, 1.25, 1.5} {
		m := defaultMethod
		m.idfPow = p
		vs = append(vs, variant{fmt.Sprintf("idf^%.2f", p), m})
	}
	runVariants(t, vs)
}

// cvFigures are the four figures of a cross-validation, as mail counts
// pooled over the folds: the acknowledgement's links (Suggest, the
// examples' evidence in all three places) and the department routing
// gives.
type cvFigures struct {
	relevant, recalled, top1 int
	none, noneKept           int
	n, dept                  int
}

func (f *cvFigures) add(g cvFigures) {
	f.relevant += g.relevant
	f.recalled += g.recalled
	f.top1 += g.top1
	f.none += g.none
	f.noneKept += g.noneKept
	f.n += g.n
	f.dept += g.dept
}

func (f cvFigures) recall() float64   { return ratio(f.recalled, f.relevant) }
func (f cvFigures) top1Rate() float64 { return ratio(f.top1, f.relevant) }
func (f cvFigures) noLink() float64   { return ratio(f.noneKept, f.none) }
func (f cvFigures) deptRate() float64 { return ratio(f.dept, f.n) }

// objective weighs the four figures alike.
func (f cvFigures) objective() float64 {
	return f.recall() + f.top1Rate() + f.noLink() + f.deptRate()
}

// mails is how many answers are right: recalled mails, right first
// links, no-link mails left unlinked and departments.
func (f cvFigures) mails() int { return f.recalled + f.top1 + f.noneKept + f.dept }

func (f cvFigures) String() string {
	return fmt.Sprintf("r@3 %.3f top-1 %.3f no-link %.3f dept %.3f obj %.3f", f.recall(), f.top1Rate(), f.noLink(), f.deptRate(), f.objective())
}

// router gives the department a mail is routed to with a catalog as
// classifier: the demo rules (package rules, which imports this one, so
// the test that passes it is in package faq_test).
type router func(c *Catalog, m *message.Message) string

// measureRouted measures mails with c as shipped: Suggest's links and
// route's department.
func measureRouted(c *Catalog, mails []evalMail, route router) cvFigures {
	var f cvFigures
	for _, em := range mails {
		f.n++
		if route(c, em.msg) == em.Dept {
			f.dept++
		}
		hits := c.Suggest(em.msg)
		if len(em.FAQ) == 0 {
			f.none++
			if len(hits) == 0 {
				f.noneKept++
			}
			continue
		}
		f.relevant++
		for i, h := range hits {
			if contains(em.FAQ, h.ID) {
				f.recalled++
				if i == 0 {
					f.top1++
				}
				break
			}
		}
	}
	return f
}

// tuningFolds is the cross-validation over the tuning sets (public/,
// eval/dev, eval/dev2 and eval/dev3, 294 mails): five folds, each measured with the catalog
// learning from the labelled mails of the other four, pooled.
type tuningFolds struct {
	cat   *Catalog
	all   []evalMail
	exs   []Example
	route router
}

const tuningFoldCount = 5

func newTuningFolds(t *testing.T, route router) *tuningFolds {
	_, pub := loadEvalSet(t, "public")
	_, dev := loadEvalSet(t, "dev")
	_, dev2 := loadEvalSet(t, "dev2")
	cat, dev3 := loadEvalSet(t, "dev3")
	all := append(append(append(append([]evalMail{}, pub...), dev...), dev2...), dev3...)
	return &tuningFolds{cat: cat, all: all, exs: labelledExamples(all), route: route}
}

// alone is the catalog without examples on the same mails.
func (cv *tuningFolds) alone() cvFigures { return measureRouted(cv.cat, cv.all, cv.route) }

// run measures the examples under knn p: each fold with the examples
// of the other four.
func (cv *tuningFolds) run(p knnParams) cvFigures {
	return cv.split(p, tuningFoldCount, func(i int) int { return i % tuningFoldCount }, false)
}

// split measures the examples under knn p with the mails assigned to
// folds by fold: each fold is measured with the examples of the others,
// or, with inverse, each fold's examples are learned and the other
// folds measured (a small set of examples).
func (cv *tuningFolds) split(p knnParams, folds int, fold func(i int) int, inverse bool) cvFigures {
	var pooled cvFigures
	for k := range folds {
		var train []Example
		var test []evalMail
		for i := range cv.all {
			if (fold(i) == k) != inverse {
				test = append(test, cv.all[i])
			} else {
				train = append(train, cv.exs[i])
			}
		}
		c := cv.cat.WithExamples(train)
		if c.ex != nil {
			c.ex.knn = p
		}
		pooled.add(measureRouted(c, test, cv.route))
	}
	return pooled
}

// examplesTuningCV is TestEvalExamplesTuningCV (faq_test, which routes
// with the demo rules): it chooses the examples' kNN constants by five-fold
// cross-validation over the tuning sets (public/, eval/dev, eval/dev2 and
// eval/dev3, 294 mails;
// public/'s halves alone are saturated and told the variants nothing),
// examples imported from four folds and the fifth measured, pooled over
// the folds, on all four figures (recall@3, top-1, no-link, department).
// public-b takes no part. It fails when the shipped constants fall more
// than a mail behind the best of the grid, or do not beat the catalog
// alone, or when the no-link examples' votes (knnParams.noLink) cost a
// linked mail or keep no more mails unlinked than the examples without
// them.
func examplesTuningCV(t *testing.T, route router) {
	cv := newTuningFolds(t, route)
	none := cv.alone()
	shipped := cv.run(defaultKNN)
	unvoted := defaultKNN
	unvoted.noLink = 0
	without := cv.run(unvoted)
	t.Logf("no examples        %s", none)
	t.Logf("shipped %+v %s", defaultKNN, shipped)
	t.Logf("no no-link votes   %s", without)
	// Since the linking gate counts state reports and other makers'
	// products (session 14) the tuning sets' no-link mails are all kept
	// but one, which the catalog does not answer: the votes can only tie
	// here, and must cost nothing.
	if shipped.recalled < without.recalled || shipped.top1 < without.top1 || shipped.noneKept < without.noneKept {
		t.Errorf("the no-link votes: %d recalled, %d top-1, %d of %d unlinked; without them %d, %d, %d",
			shipped.recalled, shipped.top1, shipped.noneKept, shipped.none, without.recalled, without.top1, without.noneKept)
	}
	best, bestMails, bestName := 0.0, 0, ""
	for _, k := range []int{maxLinks, 5, neighbours} {
		for _, l := range []float64{0.5, 1, 2, 3, 4, 6, 10} {
			for _, sum := range []bool{false, true} {
				p := defaultKNN
				p.k, p.lambda, p.sum = k, l, sum
				m := cv.run(p)
				best = max(best, m.objective())
				if m.mails() > bestMails {
					bestMails, bestName = m.mails(), fmt.Sprintf("%+v", p)
				}
				t.Logf("%+v %s", p, m)
			}
		}
	}
	// Votes by the similarity above the backdrop (knnParams.backdrop),
	// measured and not adopted (defaultKNN says why): at λ 4 to 8, and
	// at λ 6 against the shipped votes on other assignments of the mails
	// to folds and with few examples (one fold's learned, the other four
	// measured, each mail measured four times).
	for _, l := range []float64{3, 4, 5, 6, 7, 8, 10} {
		p := defaultKNN
		p.backdrop, p.lambda = true, l
		t.Logf("backdrop λ %2.0f %s", l, cv.run(p))
	}
	backdrop := defaultKNN
	backdrop.backdrop, backdrop.lambda = true, 6
	unwithdrawn := defaultKNN
	unwithdrawn.withdraw = 0
	for _, w := range []float64{1, 1.5, 2, 4, 5, 8} {
		p := defaultKNN
		p.withdraw = w
		t.Logf("withdraw %3.1f %s", w, cv.run(p))
	}
	n, gained := len(cv.all), 0
	for _, s := range []struct {
		name    string
		folds   int
		fold    func(int) int
		inverse bool
	}{
		{"5 folds", tuningFoldCount, func(i int) int { return i % tuningFoldCount }, false},
		{"10 folds", 10, func(i int) int { return i % 10 }, false},
		{"contiguous fifths", 5, func(i int) int { return i * 5 / n }, false},
		{"5 folds, permuted", 5, func(i int) int { return i * 37 % 101 % 5 }, false},
		{"2 folds", 2, func(i int) int { return i % 2 }, false},
		{"one fold learned", tuningFoldCount, func(i int) int { return i % tuningFoldCount }, true},
	} {
		now, then := cv.split(defaultKNN, s.folds, s.fold, s.inverse), cv.split(backdrop, s.folds, s.fold, s.inverse)
		t.Logf("%-18s shipped %s | backdrop λ 6 %s", s.name, now, then)
		// the no-link neighbours' withdrawing of loose votes
		// (knnParams.withdraw) costs no figure on any scheme
		off := cv.split(unwithdrawn, s.folds, s.fold, s.inverse)
		t.Logf("%-18s without withdraw %s", s.name, off)
		if now.recalled < off.recalled || now.top1 < off.top1 || now.noneKept < off.noneKept || now.dept < off.dept {
			t.Errorf("%s: withdraw %v: %d recalled, %d top-1, %d no-link, %d departments; without it %d, %d, %d, %d",
				s.name, defaultKNN.withdraw, now.recalled, now.top1, now.noneKept, now.dept, off.recalled, off.top1, off.noneKept, off.dept)
		}
		gained += now.mails() - off.mails()
	}
	if gained <= 0 {
		t.Errorf("withdraw %v keeps no mail more right than without it on any scheme", defaultKNN.withdraw)
	}
	// The no-link examples' votes (knnParams.noLink) under each rule,
	// beside the shipped entry and department votes.
	for _, rule := range []struct {
		name string
		r    noLinkRule
		mus  []float64
	}{{"raise bar", raiseBar, []float64{0.5, 1, 2, 3, 4, 6, 10}},
		{"cued bar", cuedBar, []float64{0.5, 1, 2, 3, 4, 6, 10, 15}},
		{"outvote", outvote, []float64{0.5, 1, 2, 3, 4, 6}},
		{"nearest none", nearestNone, []float64{0.1, 0.15, 0.2, 0.3, 0.4}}} {
		for _, mu := range rule.mus {
			p := defaultKNN
			p.rule, p.noLink = rule.r, mu
			m := cv.run(p)
			best = max(best, m.objective())
			if m.mails() > bestMails {
				bestMails, bestName = m.mails(), fmt.Sprintf("no-link %s %.2f", rule.name, mu)
			}
			t.Logf("no-link %-12s %5.2f %s", rule.name, mu, m)
		}
	}
	// The choice is revisited when some point of the grid gets more
	// than 1% of the mails (two of 214) more right, counted in mails
	// (recalled, first links, no-link mails kept, departments): the
	// objective sums rates, and one no-link mail (1/40) weighs there as
	// much as four recalled ones (1/174), so its best was a lone point
	// that trades recall for no-link (nearest none at 0.10: five
	// recalled mails and four first links lost for four no-link mails
	// kept, session 15). Counted in mails, the best points (λ 3 or 4
	// with the closest example per label) were one or two mails ahead in
	// the five folds and level or behind on 10 folds, contiguous fifths,
	// permuted folds and halves: noise, so the constants stay.
	slack := max(1, len(cv.all)/100)
	t.Logf("the grid's best objective %.3f; most mails right %d (%s), shipped %d", best, bestMails, bestName, shipped.mails())
	if shipped.mails() < bestMails-slack {
		t.Errorf("shipped kNN constants get %d mails right, %s %d: revisit the choice", shipped.mails(), bestName, bestMails)
	}
	if shipped.objective() <= none.objective() {
		t.Errorf("examples do not help unseen mail: %.3f with, %.3f without", shipped.objective(), none.objective())
	}
}
