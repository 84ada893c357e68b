package faq

import (
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
)

// gramIndex is an untuned TF-IDF cosine ranker over character n-grams of
// English words, their stems, and Han unigrams and bigrams: the
// comparison's second ranker.
type gramIndex struct {
	n    int
	nmax int
	idf  map[string]float64
	docs []map[string]float64 // unit vectors
}

// gramCounts adds the features of text to out, each counted w times.
func gramCounts(text string, nmax int, w float64, out map[string]float64) {
	fc := fold(text)
	for i := 0; i < len(fc); {
		r := fc[i].r
		switch {
		case isHan(r):
			j := i
			for j < len(fc) && isHan(fc[j].r) {
				j++
			}
			for k := i; k < j; k++ {
				out["u:"+string(fc[k].r)] += 0.5 * w
				if k+1 < j {
					out["b:"+string([]rune{fc[k].r, fc[k+1].r})] += w
				}
			}
			i = j
		case isWordRune(r):
			j := i
			var b strings.Builder
			for j < len(fc) && isWordRune(fc[j].r) {
				b.WriteRune(fc[j].r)
				j++
			}
			i = j
			word := b.String()
			if stopWords[word] {
				continue
			}
			out["w:"+stem(word)] += w
			rs := []rune("^" + word + "$")
			for n := 3; n <= nmax; n++ {
				for k := 0; k+n <= len(rs); k++ {
					out["g:"+string(rs[k:k+n])] += w
				}
			}
		default:
			i++
		}
	}
}

func gramEntry(e Entry, nmax int) map[string]float64 {
	tf := map[string]float64{}
	for _, t := range []Text{e.En, e.Zh} {
		gramCounts(t.Title, nmax, 2, tf)
		gramCounts(strings.Join(t.Keywords, "\n"), nmax, 1, tf)
		gramCounts(t.Answer, nmax, 1, tf)
	}
	return tf
}

func newGramIndex(entries []Entry, nmax int) *gramIndex {
	g := &gramIndex{n: len(entries), nmax: nmax, idf: map[string]float64{}}
	df := map[string]int{}
	tfs := make([]map[string]float64, len(entries))
	for i, e := range entries {
		tfs[i] = gramEntry(e, nmax)
		for t := range tfs[i] {
			df[t]++
		}
	}
	for t, d := range df {
		g.idf[t] = math.Log(1 + float64(g.n)/float64(d))
	}
	for _, tf := range tfs {
		g.docs = append(g.docs, g.vector(tf))
	}
	return g
}

func (g *gramIndex) vector(tf map[string]float64) map[string]float64 {
	v := map[string]float64{}
	var norm float64
	for t, c := range tf {
		idf, ok := g.idf[t]
		if !ok || c <= 0 {
			continue
		}
		x := (1 + math.Log(c)) * idf
		if c < 1 { // a Han unigram counted once, at weight 0.5
			x = c * idf
		}
		v[t] = x
		norm += x * x
	}
	norm = math.Sqrt(norm)
	for t := range v {
		v[t] /= norm
	}
	return v
}

func (g *gramIndex) rank(subject, body string) []scored {
	tf := map[string]float64{}
	gramCounts(subject, g.nmax, 2, tf)
	gramCounts(body, g.nmax, 1, tf)
	q := g.vector(tf)
	var out []scored
	for d, v := range g.docs {
		var s float64
		for t, x := range q {
			s += x * v[t]
		}
		if s > 0 {
			out = append(out, scored{int32(d), s, 0})
		}
	}
	sort.Slice(out, func(i, j int) bool { return better(out[i], out[j]) })
	return out
}

// cmpMail is a labelled mail with both rankings.
type cmpMail struct {
	evalMail
	bm, gram []scored
	head     []scored            // BM25F with idf from titles and keywords
	fused    map[string][]scored // by fuse's kind
}

// fuse ranks by the sum of each ranking's scores over its top score (kind
// "sum") or by reciprocal rank (k 60, kind "rrf"); "bm" and "gram" are the
// rankings alone, each normalised by its top score.
var fuseKinds = []string{"bm", "gram", "sum", "rrf"}

// rankKinds are the rankings compared: fuseKinds and "head", BM25F with
// the idf of title and keyword terms counted over titles and keywords
// ("headrank": its order, with the bar on the shipped BM25F score).
var rankKinds = append(slices.Clone(fuseKinds), "head", "headrank")

func fuse(kind string, bm, gram []scored) []scored {
	acc := map[int32]float64{}
	add := func(l []scored, w float64) {
		for i, s := range l {
			switch kind {
			case "rrf":
				acc[s.doc] += w / float64(60+i+1)
			default:
				acc[s.doc] += w * s.score / l[0].score
			}
		}
	}
	switch kind {
	case "bm":
		add(bm, 1)
	case "gram":
		add(gram, 1)
	default:
		add(bm, 1)
		add(gram, 1)
	}
	out := make([]scored, 0, len(acc))
	for d, s := range acc {
		out = append(out, scored{d, s, 0})
	}
	sort.Slice(out, func(i, j int) bool { return better(out[i], out[j]) })
	return out
}

// gate is a linking decision. kind "bar": the shipped absolute bar on the
// BM25 score (ev idf units, ×pf for pitches); "margin": the fused top score
// over the mean of the fused top ten at least th (×pf for pitches); "both".
type gate struct {
	kind       string
	ev, pf, th float64
	rel        float64
}

func (g gate) String() string {
	return fmt.Sprintf("%s ev%.1f pf%.1f th%.2f rel%.1f", g.kind, g.ev, g.pf, g.th, g.rel)
}

func margin(res []scored) float64 {
	n := min(len(res), rankDepth)
	var sum float64
	for _, r := range res[:n] {
		sum += r.score
	}
	return res[0].score / (sum / float64(n))
}

func (c *Catalog) decideWith(m cmpMail, res []scored, g gate, head bool) []string {
	in := m.in
	if len(res) == 0 || !in.asks || in.foreign || (in.thanks && !in.explicit) || len(m.bm) == 0 {
		return nil
	}
	pitch := in.pitch || in.complaint
	if g.kind != "margin" && g.kind != "none" {
		bar := g.ev * c.idx.maxIDF()
		if pitch {
			bar *= g.pf
		} else if in.report && !in.thanks {
			bar *= reportFactor
		}
		top := m.bm[0].score
		if head {
			top = m.head[0].score
		}
		if top < bar {
			return nil
		}
	}
	if g.kind == "margin" || g.kind == "both" {
		th := g.th
		if pitch {
			th *= g.pf
		}
		if margin(res) < th {
			return nil
		}
	}
	var ids []string
	for _, r := range res {
		if len(ids) == maxLinks || r.score < g.rel*res[0].score {
			break
		}
		ids = append(ids, c.entries[r.doc].ID)
	}
	return ids
}

func (c *Catalog) measureWith(mails []cmpMail, kind string, g gate) metrics {
	links := make(map[string][]string, len(mails))
	ems := make([]evalMail, len(mails))
	for i, em := range mails {
		links[em.File] = c.decideWith(em, em.fused[kind], g, kind == "head")
		ems[i] = em.evalMail
	}
	return measureIDs(ems, func(em evalMail) []string { return links[em.File] })
}

func objective(m metrics) float64 { return m.recall() + m.top1Rate() + m.noLink() }

func gateGrid(kind string) []gate {
	var out []gate
	for _, rel := range []float64{0.3, 0.5, 0.7} {
		for _, pf := range []float64{1, 1.5, 2, 2.5, 3} {
			switch kind {
			case "bar":
				for _, ev := range []float64{0.5, 1, 1.5, 2, 2.5, 3} {
					out = append(out, gate{kind, ev, pf, 0, rel})
				}
			case "margin":
				for _, th := range []float64{1, 1.2, 1.4, 1.6, 1.8, 2, 2.2, 2.5, 3} {
					out = append(out, gate{kind, 0, pf, th, rel})
				}
			case "both":
				for _, ev := range []float64{0.5, 1, 1.5, 2} {
					for _, th := range []float64{1, 1.2, 1.4, 1.6, 1.8, 2, 2.5} {
						out = append(out, gate{kind, ev, pf, th, rel})
					}
				}
			}
		}
	}
	return out
}

func loadCmp(t *testing.T, set string, nmax int) (*Catalog, []cmpMail) {
	cat, mails := loadEvalSet(t, set)
	g := newGramIndex(cat.entries, nmax)
	hc := *cat
	hm := defaultMethod
	hm.headIDF = true
	hc.idx = buildIndexWith(cat.entries, hm)
	var out []cmpMail
	for _, em := range mails {
		subj, _ := subjectOf(em.msg)
		cm := cmpMail{em, em.res, g.rank(subj, customerText(em.msg, maxBodyBytes)), nil, map[string][]scored{}}
		_, cm.head, _ = hc.candidates(em.msg)
		for _, kind := range fuseKinds {
			cm.fused[kind] = fuse(kind, cm.bm, cm.gram)
		}
		cm.fused["head"] = fuse("bm", cm.head, nil)
		cm.fused["headrank"] = cm.fused["head"]
		out = append(out, cm)
	}
	return cat, out
}

// showB gives public-b's aggregate figures only when FRONTDESK_SHOW_HELDOUT
// is set: choices are made on public/'s halves first, and the held-out
// set is looked at for the chosen ones.
func showB(ms []cmpMail, f func([]cmpMail) metrics) string {
	if os.Getenv("FRONTDESK_SHOW_HELDOUT") == "" {
		return ""
	}
	m := f(ms)
	return fmt.Sprintf(" | public-b %s obj %.3f", fmtM(m), objective(m))
}

func fmtM(m metrics) string {
	return fmt.Sprintf("r@3 %.3f (en %.2f zh %.2f mx %.2f) top1 %.3f nolink %.3f", m.recall(), m.langRecall("en"), m.langRecall("zh"), m.langRecall("mixed"), m.top1Rate(), m.noLink())
}

// TestEvalRankerComparison compares rankers (the shipped BM25F, an
// untuned TF-IDF cosine ranker over character n-grams of English words,
// stems and Han unigrams and bigrams, and their fusions: scores over each
// ranking's top score summed with equal weights, or reciprocal rank with
// k 60) and linking decisions (the shipped absolute bar on the BM25F
// score; a margin, the ranking's top score over the mean of its top ten,
// which needs no unit; both) by 2-fold cross-validation on public/: the
// odd and even mails by file order, every decision constant chosen by
// grid on one half and measured on the other. A change is adopted only
// when it beats the shipped method on both held-out halves and then does
// not lower public-b; the test fails when a candidate does the former, so
// that the decision is revisited. Run with -v for the figures, and with
// FRONTDESK_SHOW_HELDOUT=1 for public-b's aggregate figures beside them.
func TestEvalRankerComparison(t *testing.T) {
	type cv struct {
		name string
		held [2]float64
	}
	var shipped cv
	var others []cv
	for _, nmax := range []int{3, 4, 5} {
		cat, pub := loadCmp(t, "public", nmax)
		_, pubB := loadCmp(t, "public-b", nmax)
		if nmax == 3 { // the harness must measure the shipped method as measure does
			var ems []evalMail
			for _, m := range pub {
				ems = append(ems, m.evalMail)
			}
			want := measure(cat, ems, defaultParams)
			got := cat.measureWith(pub, "bm", gate{"bar", minEvidence, pitchFactor, 0, relFrac})
			if got.recalled != want.recalled || got.top1 != want.top1 || got.noneKept != want.noneKept {
				t.Fatalf("harness measures the shipped method as %s, measure as %s", fmtM(got), fmtM(want))
			}
		}
		var halves [2][]cmpMail
		for i, m := range pub {
			halves[i%2] = append(halves[i%2], m)
		}
		for _, kind := range rankKinds {
			if nmax != 3 && (kind == "bm" || strings.HasPrefix(kind, "head")) {
				continue // bm does not use the n-grams
			}
			ship := gate{"bar", minEvidence, pitchFactor, 0, relFrac}
			t.Logf("n=%d %-4s shipped constants: public halves %s | %s%s", nmax, kind, fmtM(cat.measureWith(halves[0], kind, ship)), fmtM(cat.measureWith(halves[1], kind, ship)),
				showB(pubB, func(ms []cmpMail) metrics { return cat.measureWith(ms, kind, ship) }))
			ung := gate{"none", 0, 1, 0, 0}
			t.Logf("n=%d %-4s ungated: public %s%s", nmax, kind, fmtM(cat.measureWith(pub, kind, ung)), showB(pubB, func(ms []cmpMail) metrics { return cat.measureWith(ms, kind, ung) }))
			for _, gk := range []string{"bar", "margin", "both"} {
				fit := func(ms []cmpMail) gate {
					var best gate
					bestObj := -1.0
					for _, g := range gateGrid(gk) {
						if o := objective(cat.measureWith(ms, kind, g)); o > bestObj+1e-9 {
							best, bestObj = g, o
						}
					}
					return best
				}
				var held [2]metrics
				var fits [2]gate
				for k := range 2 {
					fits[k] = fit(halves[k])
					held[k] = cat.measureWith(halves[1-k], kind, fits[k])
				}
				all := fit(pub)
				res := cv{fmt.Sprintf("n=%d %s %s", nmax, kind, gk), [2]float64{objective(held[0]), objective(held[1])}}
				if kind == "bm" && gk == "bar" {
					shipped = res
				} else {
					others = append(others, res)
				}
				t.Logf("%-15s CV held-out obj %.3f+%.3f [%s | %s] fits {%v} {%v} | all-public fit {%v}: public %s%s",
					res.name, res.held[0], res.held[1], fmtM(held[0]), fmtM(held[1]), fits[0], fits[1], all,
					fmtM(cat.measureWith(pub, kind, all)), showB(pubB, func(ms []cmpMail) metrics { return cat.measureWith(ms, kind, all) }))
			}
		}
	}
	for _, o := range others {
		if o.held[0] > shipped.held[0]+1e-9 && o.held[1] > shipped.held[1]+1e-9 {
			t.Errorf("%s beats the shipped ranking and bar on both held-out halves of public/ (%.3f, %.3f against %.3f, %.3f): measure it on public-b and revisit the choice",
				o.name, o.held[0], o.held[1], shipped.held[0], shipped.held[1])
		}
	}
}
