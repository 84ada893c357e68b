package faq

import (
	"os"
	"slices"
	"testing"

	"github.com/frontdesk-mail/frontdesk/internal/testmail"
	"github.com/frontdesk-mail/frontdesk/message"
)

// Passage-level evidence (an experiment, TestEvalPassages).
//
// Entry side, MaxP (Callan 1994, "Passage-level evidence in document
// retrieval"; Dai & Callan 2019): an answer that covers several
// situations dilutes the one paragraph that answers a mail, so the entry
// is scored with its title and keywords and its best passage instead of
// its whole answer. Mail side: a mail's question is often one of its
// sentences, so each fresh sentence (and the subject) is also ranked on
// its own and the best sentence's score is combined with the whole mail's
// (Callan's document + passage combination, turned round).

// wholeAnswer is the shipped document: both answers as one field, which
// the passage index must score exactly as the shipped index does.
func wholeAnswer(e Entry) []string { return []string{fieldTexts(e)[fAnswer]} }

// ranker ranks every entry for a query made by the catalog's index.
type ranker func(q []qterm) []scored

// freshZones are a mail's zones without the quoted history (mailZones
// puts it last when there is any).
func freshZones(m *message.Message, zones []zone) []zone {
	if quoted(m.Text, m.Fresh(), ourDomains(m)) != "" && len(zones) > 1 {
		return zones[:len(zones)-1]
	}
	return zones
}

// rankMail ranks a mail with r; lambda > 0 combines the whole mail's
// score with the best fresh zone's (the subject or one sentence, each
// ranked alone with its zone weight) as (whole + λ·best)/(1 + λ), which
// keeps the linking bar's units: a mail of one sentence scores as
// before.
func rankMail(c *Catalog, r ranker, m *message.Message, lambda float64) ([]scored, intent) {
	zones, in := mailZones(m, c.idx.m)
	whole := r(c.idx.query(zones))
	if lambda == 0 {
		return whole, in
	}
	n := len(c.entries)
	sent := make([]scored, n)
	for _, z := range freshZones(m, zones) {
		for _, s := range r(c.idx.query([]zone{z})) {
			if s.score > sent[s.doc].score {
				sent[s.doc].score, sent[s.doc].extra = s.score, s.extra
			}
		}
	}
	all := make([]scored, n)
	for i := range all {
		all[i].doc = int32(i)
	}
	for _, s := range whole {
		all[s.doc].score, all[s.doc].extra = s.score, s.extra
	}
	for i := range all {
		all[i].score = (all[i].score + lambda*sent[i].score) / (1 + lambda)
		all[i].extra = (all[i].extra + lambda*sent[i].extra) / (1 + lambda)
	}
	return sortScored(all), in
}

// passageVariant is one pre-registered variant of TestEvalPassages.
type passageVariant struct {
	name   string
	split  passageSplit // nil: the shipped whole-entry index
	joint  bool
	lambda float64 // the mail side's weight of the best sentence (0: none)
}

func (v passageVariant) ranker(c *Catalog) ranker {
	if v.split == nil {
		return c.idx.scoreAll
	}
	px := buildPassageIndex(c, v.split, v.joint)
	return px.rank
}

// passageVariants are the variants, written down before public-b was
// measured (the figures are in the package doc):
//
//   - A1 "maxp sent": BM25F of the entry with its best answer sentence (of
//     either language) in place of the answer, one saturation.
//   - A2 "maxp win2": the same with windows of two consecutive sentences
//     (stride 1), Callan's overlapping windows at the answers' scale (2–4
//     sentences a language).
//   - A3 "sep sent": title and keywords by BM25F plus the best sentence by
//     BM25 on its own, saturated apart (the brief's literal reading).
//   - B λ 0.25, 0.5, 1: the shipped entries; the mail's whole score and
//     its best fresh zone's (subject or sentence) combined as (whole +
//     λ·best)/(1+λ). λ 0.5 is the value fixed a priori; 0.25 and 1 bracket
//     it, and the cross-validation below picks among the three.
//   - A1+B 0.5: both, with the a-priori λ.
//
// The adoption rule: a variant ties or beats the shipped method on both
// halves of public/ (objective: recall@3 + top-1 + no-link with the
// shipped linking constants; and the right entry's mean margin), its
// linking constants re-fitted on one half hold on the other as well as
// the shipped ones do, and public-b (in aggregate, measured once) loses
// nothing: recall@3, each language's, top-1, no-link.
//
// On public/'s halves (before public-b was measured) A1 is the one
// candidate: it ties one half (3.000) and wins the other (2.781 against
// 2.728), with the right entry's margin up on both (0.544 / 0.460 against
// 0.533 / 0.427). A2 ties with higher margins; A3 loses a half; B λ0.25
// ties with lower margins, λ0.5 and λ1 lose both halves; A1+B λ0.5 has
// A1's objectives but a lower margin on one half (0.521). Refitted
// linking constants: A1's fit on one half, first in grid order, holds
// 2.500 on the other (pitch factor 2 where the shipped is 2.5: a tie on
// the fitting half), 3.000 when ties keep the shipped constants.
//
// Public-b, measured once for all of them afterwards (recall@3, en / zh /
// mixed, top-1, no-link; shipped 0.857, 0.80 / 0.88 / 0.92, 0.794,
// 0.706): A1 0.873, 0.84 / 0.88 / 0.92, 0.746, 0.765; A2 0.857, 0.80 /
// 0.88 / 0.92, 0.762, 0.765; A3 0.905, 0.84 / 0.96 / 0.92, 0.762, 0.706;
// B λ0.25 0.857, 0.80 / 0.88 / 0.92, 0.778, 0.765; B λ0.5 0.841, 0.80 /
// 0.84 / 0.92, 0.778, 0.765; B λ1 0.825, 0.80 / 0.80 / 0.92, 0.762,
// 0.824; A1+B λ0.5 0.841, 0.80 / 0.84 / 0.92, 0.746, 0.824. A1 lowers
// top-1, so none is adopted.
var passageVariants = []passageVariant{
	{name: "shipped"},
	{name: "A1 maxp sent", split: windows(1), joint: true},
	{name: "A2 maxp win2", split: windows(2), joint: true},
	{name: "A3 sep sent", split: windows(1)},
	{name: "B λ0.25", lambda: 0.25},
	{name: "B λ0.5", lambda: 0.5},
	{name: "B λ1", lambda: 1},
	{name: "A1+B λ0.5", split: windows(1), joint: true, lambda: 0.5},
}

func TestAnswerSentences(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"One. Two!  Three?", []string{"One.", "Two!", "Three?"}},
		{"Visit acme-appliances.example: it costs 1.5 yuan. Then wait.", []string{"Visit acme-appliances.example: it costs 1.5 yuan.", "Then wait."}},
		{"我们包邮。大部分城市 1–3 天送达；偏远地区需要 4–7 天。可以吗？好", []string{"我们包邮。", "大部分城市 1–3 天送达；偏远地区需要 4–7 天。", "可以吗？", "好"}},
		{"line one\nline two", []string{"line one", "line two"}},
	} {
		if got := answerSentences(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("%q: %q, want %q", tc.in, got, tc.want)
		}
	}
	e := Entry{En: Text{Answer: "A. B. C."}, Zh: Text{Answer: "甲。乙。"}}
	if got, want := windows(2)(e), []string{"A. B.", "B. C.", "甲。 乙。"}; !slices.Equal(got, want) {
		t.Errorf("windows(2): %q, want %q", got, want)
	}
	if got, want := windows(1)(e), []string{"A.", "B.", "C.", "甲。", "乙。"}; !slices.Equal(got, want) {
		t.Errorf("windows(1): %q, want %q", got, want)
	}
}

// TestPassageIndexReproducesShipped: with the whole answer as the one
// passage the passage index is the shipped index (the same scores to the
// bit), so the variants differ from the shipped method only in what they
// change; and the mail-side combination with a one-zone mail is the
// whole mail's score.
func TestPassageIndexReproducesShipped(t *testing.T) {
	cat, mails := loadEval(t)
	whole := buildPassageIndex(cat, wholeAnswer, true)
	for _, em := range mails {
		zones, _ := mailZones(em.msg, cat.idx.m)
		q := cat.idx.query(zones)
		if got, want := whole.rank(q), cat.idx.scoreAll(q); !slices.Equal(got, want) {
			t.Fatalf("%s: passage index with whole answers %v, shipped %v", em.File, got, want)
		}
	}
	// a passage split scores differently, and a sentence of an entry's
	// answer ranks that entry first
	px := buildPassageIndex(cat, windows(1), true)
	e := cat.entries[0]
	s := answerSentences(e.En.Answer)[0]
	res := px.rank(cat.idx.query([]zone{{s, 1}}))
	if len(res) == 0 || res[0].doc != 0 {
		t.Errorf("%q: ranked %v, want entry 0 first", s, res)
	}
	m, _ := message.Parse([]byte("Subject: kettle\r\n\r\nMy kettle does not heat.\r\n"))
	one, _ := rankMail(cat, cat.idx.scoreAll, m, 0)
	comb, _ := rankMail(cat, cat.idx.scoreAll, m, 0.5)
	if len(one) == 0 || len(comb) == 0 || comb[0].score > one[0].score+1e-9 {
		t.Errorf("combined top score %v above the whole mail's %v: the best zone cannot outscore the whole", comb, one)
	}
}

// TestEvalPassages measures the passage-level variants (passageVariants)
// on public/'s halves with the shipped linking constants and by 2-fold
// cross-validation of the linking constants (and of λ among B's values),
// and public-b in aggregate with FRONTDESK_SHOW_HELDOUT=1. It fails when
// a variant beats the shipped method on both halves, so that the choice
// is revisited.
func TestEvalPassages(t *testing.T) {
	type result struct {
		halves [2]float64
		cv     [2]float64
		cvKeep [2]float64
	}
	var shipped result
	// cvFit chooses the linking constants on train by grid and measures
	// them on test: ties go to the first in grid order, as in
	// TestEvalSplitHalf and TestEvalRankerComparison, or (keep) to the
	// shipped constants, which a fit then replaces only when it does
	// better on train.
	cvFit := func(c *Catalog, train, test []evalMail, keep bool) (params, metrics) {
		best, bestObj := defaultParams, -1.0
		if keep {
			bestObj = objective(measure(c, train, defaultParams))
		}
		for _, ev := range []float64{0.5, 1, 1.5, 2, 2.5, 3} {
			for _, pf := range []float64{1, 1.5, 2, 2.5, 3} {
				for _, rel := range []float64{0.3, 0.5, 0.7} {
					p := params{evidence: ev, pitch: pf, rel: rel, productEvidence: defaultParams.productEvidence, productReportOnly: defaultParams.productReportOnly, report: defaultParams.report, first: defaultParams.first, firstRRF: defaultParams.firstRRF, firstAll: defaultParams.firstAll, focus: defaultParams.focus}
					if o := objective(measure(c, train, p)); o > bestObj+1e-9 {
						best, bestObj = p, o
					}
				}
			}
		}
		return best, measure(c, test, best)
	}
	for _, set := range evalSets {
		if set == "public-b" && os.Getenv("FRONTDESK_SHOW_HELDOUT") == "" {
			continue
		}
		cat, mails := loadEvalSet(t, set)
		// B's λ chosen by CV: on each half the λ with the best objective
		// (then margin; ties go to the a-priori 0.5), measured on the other
		type bHalf struct {
			lambda   float64
			obj, mar [2]float64
		}
		var bs []bHalf
		for vi, v := range passageVariants {
			r := v.ranker(cat)
			all := make([]evalMail, len(mails))
			var halves [2][]evalMail
			for i, em := range mails {
				em.res, em.in = rankMail(cat, r, em.msg, v.lambda)
				all[i] = em
				halves[i%2] = append(halves[i%2], em)
			}
			if vi == 0 { // the harness must measure the shipped method as loadEvalSet does
				for i, em := range all {
					if !slices.Equal(em.res, mails[i].res) {
						t.Fatalf("%s: harness ranks %v, shipped %v", em.File, em.res, mails[i].res)
					}
				}
			}
			m := measure(cat, all, defaultParams)
			if set != "public" {
				t.Logf("%-8s %-14s %s obj %.3f margin %.3f", set, v.name, fmtM(m), objective(m), rightMargin(cat, all))
				continue
			}
			var res result
			var fits [2]params
			for k := range 2 {
				res.halves[k] = objective(measure(cat, halves[k], defaultParams))
				var held metrics
				fits[k], held = cvFit(cat, halves[k], halves[1-k], false)
				res.cv[k] = objective(held)
				_, held = cvFit(cat, halves[k], halves[1-k], true)
				res.cvKeep[k] = objective(held)
			}
			if vi == 0 {
				shipped = res
			} else if res.halves[0] > shipped.halves[0]+1e-9 && res.halves[1] > shipped.halves[1]+1e-9 {
				t.Errorf("%s beats shipped on both halves of public/ (%.3f %.3f against %.3f %.3f): measure it on public-b and revisit the choice", v.name, res.halves[0], res.halves[1], shipped.halves[0], shipped.halves[1])
			}
			if v.split == nil && v.lambda > 0 {
				bs = append(bs, bHalf{v.lambda, res.halves, [2]float64{rightMargin(cat, halves[0]), rightMargin(cat, halves[1])}})
			}
			t.Logf("%-8s %-14s %s | halves obj %.3f %.3f margin %.3f %.3f | CV held-out obj %.3f %.3f (fits %v %v), ties kept at shipped %.3f %.3f", set, v.name, fmtM(m),
				res.halves[0], res.halves[1], rightMargin(cat, halves[0]), rightMargin(cat, halves[1]), res.cv[0], res.cv[1], fits[0], fits[1], res.cvKeep[0], res.cvKeep[1])
		}
		for k := range 2 {
			if len(bs) == 0 {
				break
			}
			pick := bs[0]
			for _, b := range bs[1:] {
				if b.obj[k] > pick.obj[k]+1e-9 || (b.obj[k] > pick.obj[k]-1e-9 && (b.mar[k] > pick.mar[k]+1e-9 || (b.mar[k] > pick.mar[k]-1e-9 && b.lambda == 0.5))) {
					pick = b
				}
			}
			t.Logf("B's λ chosen on half %d: %.2f, other half obj %.3f margin %.3f (shipped %.3f)", k, pick.lambda, pick.obj[1-k], pick.mar[1-k], shipped.halves[1-k])
		}
	}
}

// BenchmarkPassages is the ranking cost of the variants on a 4 KB mail of
// the rules benchmark's sentences (ranking only, all entries scored; the
// budget is 0.3 ms for ranking and routing together): the shipped index,
// the passage index (as the experiment builds it: one view per entry and
// sentence) and the mail side's extra ranking of every sentence.
func BenchmarkPassages(b *testing.B) {
	m, _ := message.Parse([]byte("From: a@customer.example\r\nSubject: kettle and order\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + testmail.MixedText(4096)))
	m.Fresh()
	cat := Demo()
	for _, v := range []passageVariant{passageVariants[0], passageVariants[1], passageVariants[5]} {
		r := v.ranker(cat)
		b.Run(v.name, func(b *testing.B) {
			for b.Loop() {
				rankMail(cat, r, m, v.lambda)
			}
		})
	}
}

// rank scores every entry (the experiments and the check of scoreDoc;
// Suggest re-ranks candidates with scoreDoc) that shares a term with q, best first: the best
// view's score (joint), or the title and keywords' score plus the best
// passage's (separate).
func (px *passageIndex) rank(q []qterm) []scored {
	best := make([]scored, px.n)
	for i := range best {
		best[i].doc = int32(i)
	}
	for _, s := range px.views.scoreAll(q) {
		d := px.owner[s.doc]
		if s.score > best[d].score {
			best[d].score, best[d].extra = s.score, s.extra
		}
	}
	if px.head != nil {
		for _, s := range px.head.scoreAll(q) {
			best[s.doc].score += s.score
			best[s.doc].extra += s.extra
		}
	}
	for i := range best {
		if s := px.other(q, int32(i), 1); s != 1 {
			best[i].score *= s
			best[i].extra *= s
		}
	}
	return sortScored(best)
}

// sortScored keeps the entries that score, best first.
func sortScored(all []scored) []scored {
	out := slices.DeleteFunc(all, func(s scored) bool { return s.score <= 0 })
	slices.SortFunc(out, byScore)
	return out
}
