package faq

import (
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Passage-level evidence for the second and third links.
//
// The catalog's index scores an entry as one document (title, keywords,
// the whole answer). That decides well which entry answers a mail first,
// but an answer that covers several situations dilutes the one sentence
// that answers a mail, so the entries that answer it only in part rank
// low. passageIndex scores an entry by its title and keywords (BM25F
// without the answer) plus its best answer sentence, scored as a BM25
// document of its own and saturated apart (passage retrieval, MaxP:
// Callan 1994, "Passage-level evidence in document retrieval"; Dai and
// Callan 2019). Both parts use the catalog index's term ids, idf (counted
// over entries), k1, field weights and b, so a query made by the catalog's
// index applies as is and the scores have the same units.
//
// Suggest keeps the catalog index's decision (whether to link, and the
// first link) and takes the second and third links from the passage
// ranking, among the entries that score at least relFrac of its best.
// The variants weighed before this one, and the figures, are in the
// package doc (TestEvalPassages, TestEvalPassageFill).

// answerSentences splits an answer into its sentences: English ones end
// at . ! ? followed by white space (not the dot of acme-appliances.example
// or 1.5), Chinese ones at 。！？ (not at ；, which separates clauses of
// one sentence), and a line break ends one too.
func answerSentences(text string) []string {
	var out []string
	start := 0
	flush := func(end int) {
		if s := strings.TrimSpace(text[start:end]); s != "" {
			out = append(out, s)
		}
		start = end
	}
	for i, r := range text {
		n := utf8.RuneLen(r)
		switch r {
		case '。', '！', '？', '\n':
			flush(i + n)
		case '.', '!', '?':
			if next, _ := utf8.DecodeRuneInString(text[i+n:]); i+n == len(text) || unicode.IsSpace(next) {
				flush(i + n)
			}
		}
	}
	flush(len(text))
	return out
}

// passageSplit makes an entry's passages.
type passageSplit func(e Entry) []string

// windows returns the passages of w consecutive sentences of each
// language's answer (stride 1; an answer of fewer sentences is one
// passage).
func windows(w int) passageSplit {
	return func(e Entry) []string {
		var out []string
		for _, a := range []string{e.En.Answer, e.Zh.Answer} {
			s := answerSentences(a)
			if len(s) <= w {
				if len(s) > 0 {
					out = append(out, strings.Join(s, " "))
				}
				continue
			}
			for i := 0; i+w <= len(s); i++ {
				out = append(out, strings.Join(s[i:i+w], " "))
			}
		}
		return out
	}
}

// passageIndex scores entries by their best passage. Its views are one
// (entry, passage) pair each, over the catalog index's term ids and with
// its idf.
//
// joint (an experiment, TestEvalPassages): a view is the entry's title and
// keywords with the passage as its answer field, under one BM25F
// saturation. Otherwise, as Suggest uses it (scoreDoc), the title and keywords are
// scored as BM25F without the answer (head), the passages as BM25
// documents of their own (answer weight, b over the passages' average
// length), and an entry's score is the sum of the two.
type passageIndex struct {
	views *index
	owner []int32 // view → entry
	first []int32 // entry → its first view (an entry's views are adjacent)
	head  *index  // separate: the title and keyword index
	n     int     // entries
	// cat is the catalog's index, whose product names scale an entry
	// about another product than the mail's as there
	// (otherProductFactor).
	cat *index
}

func buildPassageIndex(c *Catalog, split passageSplit, joint bool) *passageIndex {
	mt := c.idx.m
	sc := &scratch{seg: mt.seg, phrases: mt.phrases, noEnSyn: mt.noEnSynonyms}
	tokens := func(text string) map[int32]float64 {
		tf := map[int32]float64{}
		for _, t := range appendTokens(nil, text, true, nil, nil, sc) {
			if id, ok := c.idx.terms[t.term]; ok {
				tf[id]++
			}
		}
		return tf
	}
	sum := func(tf map[int32]float64) (n float64) {
		for _, x := range tf {
			n += x
		}
		return n
	}
	type doc struct {
		owner int32
		head  [fAnswer]map[int32]float64
		hlen  [fAnswer]float64
		ans   map[int32]float64
		alen  float64
	}
	var heads, views []doc
	var avgHead [fAnswer]float64
	var avgAns float64
	for d, e := range c.entries {
		ft := fieldTexts(e)
		h := doc{owner: int32(d)}
		for f := range fAnswer {
			h.head[f] = tokens(ft[f])
			h.hlen[f] = sum(h.head[f])
			avgHead[f] += h.hlen[f]
		}
		heads = append(heads, h)
		ps := split(e)
		if len(ps) == 0 {
			ps = []string{""}
		}
		for _, p := range ps {
			v := h
			v.ans = tokens(p)
			v.alen = sum(v.ans)
			avgAns += v.alen
			views = append(views, v)
		}
	}
	for f := range avgHead {
		avgHead[f] = max(avgHead[f]/float64(max(len(c.entries), 1)), 1)
	}
	avgAns = max(avgAns/float64(max(len(views), 1)), 1)
	build := func(docs []doc, withHead, withAns bool) *index {
		ix := *c.idx
		ix.n = len(docs)
		// per-entry tables of the catalog's index mean nothing here
		ix.productTerm, ix.productEntry, ix.head = nil, nil, nil
		ix.headProduct, ix.productMask = nil, nil
		ix.postings = make([][]posting, len(c.idx.postings))
		for i, v := range docs {
			wtf := map[int32]float64{}
			if withHead {
				for f := range fAnswer {
					norm := 1 - mt.fieldB[f] + mt.fieldB[f]*v.hlen[f]/avgHead[f]
					for id, x := range v.head[f] {
						wtf[id] += mt.fieldWeight[f] * x / norm
					}
				}
			}
			if withAns {
				norm := 1 - mt.fieldB[fAnswer] + mt.fieldB[fAnswer]*v.alen/avgAns
				for id, x := range v.ans {
					wtf[id] += mt.fieldWeight[fAnswer] * x / norm
				}
			}
			for id, x := range wtf {
				ix.postings[id] = append(ix.postings[id], posting{doc: int32(i), w: float32(x / (k1 + x))})
			}
		}
		ix.accums = &sync.Pool{New: func() any { return new(accum) }}
		return &ix
	}
	px := &passageIndex{n: len(c.entries), cat: c.idx}
	px.first = make([]int32, len(c.entries)+1)
	for i, v := range views {
		px.owner = append(px.owner, v.owner)
		px.first[v.owner+1] = int32(i + 1)
	}
	if joint {
		px.views = build(views, true, true)
	} else {
		px.views = build(views, false, true)
		px.head = build(heads, true, false)
	}
	return px
}

// scoreDoc is one entry's score for q of a separate passage index: its
// title and keywords' score plus its best passage's. An entry's views
// are adjacent, so each term's postings are searched once per entry, not
// once per passage.
func (px *passageIndex) scoreDoc(q []qterm, d int32) float64 {
	lo, hi := px.first[d], px.first[d+1]
	var buf [16]float64
	views := buf[:0]
	if n := int(hi - lo); n > len(buf) {
		views = make([]float64, n)
	} else {
		views = buf[:n]
	}
	for _, t := range q {
		if t.id < 0 {
			continue
		}
		p := px.views.postings[t.id]
		i := sort.Search(len(p), func(i int) bool { return p[i].doc >= lo })
		w := px.views.idf[t.id] * t.weight
		for ; i < len(p) && p[i].doc < hi; i++ {
			views[p[i].doc-lo] += w * float64(p[i].w)
		}
	}
	var best float64
	for _, v := range views {
		best = max(best, v)
	}
	return px.other(q, d, px.head.scoreDoc(q, d)+best)
}

// other is s scaled as the catalog's index scales entry d's score for q:
// by otherProductFactor when d is about another product than the mail.
func (px *passageIndex) other(q []qterm, d int32, s float64) float64 {
	if set := px.cat.mailProducts(q); set != 0 && px.cat.otherProduct(set, d) {
		return s * px.cat.m.otherProduct
	}
	return s
}
