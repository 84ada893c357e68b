package faq

import (
	"math"
	"os"
	"slices"
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

// fillLinks is the "shipped first, passages fill" fusion: the shipped
// decision (whether to link, and the first link) is kept whole, and the
// second and third links come from the A3 passage ranking (title and
// keywords by BM25F plus the best answer sentence apart), in its order,
// among the entries that score at least rel of its own best.
func fillLinks(c *Catalog, shipped []Hit, a3 []scored, rel float64) []string {
	if len(shipped) == 0 {
		return nil
	}
	out := []string{shipped[0].ID}
	if len(a3) == 0 {
		return out
	}
	for _, s := range a3 {
		if len(out) == maxLinks || s.score < rel*a3[0].score {
			break
		}
		if id := c.entries[s.doc].ID; id != out[0] {
			out = append(out, id)
		}
	}
	return out
}

// measureIDs is measure for link lists made outside decide.
func measureIDs(mails []evalMail, links func(evalMail) []string) metrics {
	m := metrics{byLang: map[string][2]int{}}
	for _, em := range mails {
		ids := links(em)
		if len(em.FAQ) == 0 {
			m.none++
			if len(ids) == 0 {
				m.noneKept++
			}
			continue
		}
		m.relevant++
		v := m.byLang[em.Lang]
		v[1]++
		for _, id := range ids {
			if contains(em.FAQ, id) {
				m.recalled++
				v[0]++
				break
			}
		}
		if len(ids) > 0 && contains(em.FAQ, ids[0]) {
			m.top1++
		}
		m.byLang[em.Lang] = v
	}
	return m
}

// TestEvalPassageFill weighs the links Suggest makes (the first as the
// catalog's index decides, the others from the passage ranking: fill)
// against the catalog index's links alone, on public/'s halves and, with
// FRONTDESK_SHOW_HELDOUT=1, on public-b in aggregate. It fails when fill
// loses on a half of public/. The fusion was conceived after
// TestEvalPassages' figures on public-b were seen (A3: recall@3 up, top-1
// down), so public-b did not judge it blind; its relative bar is the
// shipped relFrac, fixed before (0.7 was measured beside it: public-b
// recall@3 0.857, en 0.76). The labelled mail nobody here sees judges it.
func TestEvalPassageFill(t *testing.T) {
	for _, set := range evalSets {
		if set == "public-b" && os.Getenv("FRONTDESK_SHOW_HELDOUT") == "" {
			continue
		}
		cat, mails := loadEvalSet(t, set)
		alone := func(em evalMail) []string {
			var ids []string
			for _, h := range cat.decide(em.q, em.res, em.in, message.Language(em.lang), defaultParams) {
				ids = append(ids, h.ID)
			}
			return ids
		}
		filled := suggestIDs(cat)
		t.Logf("%-8s index alone %s | filled %s", set, fmtM(measureIDs(mails, alone)), fmtM(measureIDs(mails, filled)))
		if set != "public" {
			continue
		}
		halves := oddEven(mails)
		for k := range 2 {
			a, f := objective(measureIDs(halves[k], alone)), objective(measureIDs(halves[k], filled))
			t.Logf("  half %d: index alone obj %.3f, filled obj %.3f", k, a, f)
			if f < a-1e-9 {
				t.Errorf("half %d of public/: the passage fill loses (%.3f against %.3f)", k, f, a)
			}
		}
	}
}

// TestFillRerankIsWholeRanking: fill re-ranks the catalog's best
// rankDepth entries by their passage score; on the labelled sets (their
// mails, not their labels) it links what the passage ranking of the whole
// catalog would after the same first link, but for at most one mail a
// set: eval/dev2 has one (a living-room question whose third link by
// passages, choosing-a-model, is not among the ten best whole entries).
func TestFillRerankIsWholeRanking(t *testing.T) {
	for _, set := range evalSets {
		cat, mails := loadEvalSet(t, set)
		differ := 0
		for _, em := range mails {
			lang := message.Language(em.lang)
			first := cat.pitchFirst(cat.decide(em.q, em.res, em.in, lang, defaultParams), em.in)
			got := cat.fill(first, em.res, em.q, nil, lang, defaultParams)
			var ids []string
			for _, h := range got {
				ids = append(ids, h.ID)
			}
			whole := cat.pass.rank(em.q)
			if want := fillLinks(cat, first, whole, relFrac); !slices.Equal(ids, want) {
				differ++
				if set != "public-b" { // held out: counted, never named
					t.Logf("%s/%s: re-ranked %v, whole ranking %v", set, em.File, ids, want)
				}
			}
			for _, s := range whole { // scoreDoc gives each entry its score in the whole ranking
				if d := cat.pass.scoreDoc(em.q, s.doc); math.Abs(d-s.score) > 1e-9*max(1, s.score) {
					t.Fatalf("%s/%s: entry %s scoreDoc %v, whole ranking %v", set, em.File, cat.entries[s.doc].ID, d, s.score)
				}
			}
		}
		if differ > 1 {
			t.Errorf("%s: %d mails linked otherwise than by the whole passage ranking", set, differ)
		}
	}
}

// TestEvalCombSumFirst weighs one more variant, written down before
// public-b was measured: the first link chosen by CombSUM (Fox and Shaw
// 1994) of the whole-entry and passage rankings, each divided by its own
// best score, equal weights; whether to link stays the whole-entry
// decision, and the later links come from the passages as in fill. It
// fails when the variant beats Suggest on both halves of public/, so
// that the choice is revisited. Measured: public/ 1.000 / 0.952 / 0.875
// as Suggest, but a half each way (objective 2.957 against 3.000, 2.781
// against 2.728); public-b the same as Suggest (0.905, 0.794, 0.706).
// Not adopted.
func TestEvalCombSumFirst(t *testing.T) {
	for _, set := range evalSets {
		if set == "public-b" && os.Getenv("FRONTDESK_SHOW_HELDOUT") == "" {
			continue
		}
		cat, mails := loadEvalSet(t, set)
		comb := func(em evalMail) []string {
			lang := message.Language(em.lang)
			first := cat.decide(em.q, em.res, em.in, lang, defaultParams)
			if len(first) == 0 {
				return nil
			}
			pass := cat.pass.rank(em.q)
			if len(pass) == 0 || len(em.res) == 0 {
				return fillLinks(cat, first, pass, relFrac)
			}
			sum := map[int32]float64{}
			for _, r := range em.res {
				sum[r.doc] += r.score / em.res[0].score
			}
			for _, r := range pass {
				sum[r.doc] += r.score / pass[0].score
			}
			best := em.res[0].doc
			for d, s := range sum {
				if s > sum[best] || s == sum[best] && d < best {
					best = d
				}
			}
			return fillLinks(cat, []Hit{cat.hit(scored{doc: best}, lang)}, pass, relFrac)
		}
		filled := suggestIDs(cat)
		t.Logf("%-8s filled %s | combsum first %s", set, fmtM(measureIDs(mails, filled)), fmtM(measureIDs(mails, comb)))
		if set != "public" {
			continue
		}
		halves := oddEven(mails)
		var wins int
		for k := range 2 {
			f, c := objective(measureIDs(halves[k], filled)), objective(measureIDs(halves[k], comb))
			t.Logf("  half %d: filled obj %.3f, combsum first obj %.3f", k, f, c)
			if c > f+1e-9 {
				wins++
			}
		}
		if wins == 2 {
			t.Errorf("CombSUM's first link beats Suggest on both halves of public/: measure it on public-b and revisit")
		}
	}
}

// suggestIDs returns the ids Suggest links for a mail.
func suggestIDs(cat *Catalog) func(evalMail) []string {
	return func(em evalMail) []string {
		var ids []string
		for _, h := range cat.Suggest(em.msg) {
			ids = append(ids, h.ID)
		}
		return ids
	}
}

// oddEven splits mails into the two halves the cross-validation uses:
// by file order, the first, third … and the second, fourth …
func oddEven(mails []evalMail) (h [2][]evalMail) {
	for i, em := range mails {
		h[i%2] = append(h[i%2], em)
	}
	return h
}
