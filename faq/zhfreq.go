package faq

import (
	_ "embed"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// zhFreqData is the general frequency of the most common two-character
// Chinese words (see the header of zh_freq.txt for where it comes from):
// a catalog of a few dozen entries cannot tell a function word (所以,
// 一个, 已经) from a topic word (拖布, 发票) by its idf alone.
//
//go:embed zh_freq.txt
var zhFreqData string

// zhGeneral maps each two-character word of zh_freq.txt (folded as the
// index folds text) to its general information, ln(total/count): 6.0 for
// 一个, the most common, 7.6 for 所以, 9.7 for 地址 and 10.0 for the
// table's last, of rank 2000.
var zhGeneral = parseZhFreq(zhFreqData)

// generalFloor is the multiplier of the idf of the most common word
// (一个). With the table's 2000 words 0, 0.25 and 0.5 give the same
// figures on the tuning sets (TestEvalChineseGeneralFrequency); 0.25 is
// the middle. With larger tables (the rise then ends at a rarer word)
// 0 loses a Chinese mail from 3000 words on, 0.25 from 5000, 0.5 at no
// size up to 10000: the floor and the table's size go together.
const generalFloor = 0.25

// shippedGeneral is the shipped weighting: a Chinese bigram's idf is
// multiplied by generalFloor for the most common word of zh_freq.txt,
// rising linearly in the general information to 1 for the table's last
// word (rank 2000) and any bigram not in the table: 我们 keeps a third
// of its idf, 所以 and 不能 about half, 只有 0.86, 地址 0.95, and 拖布,
// 水箱, 发票 and 密码 all of it.
var shippedGeneral = newGeneralWeight(zhGeneral, genMult, generalFloor)

// newGeneralWeight is the weighting of form over the whole table g: s(g)
// from floor for its most common word to 1 for its least common.
func newGeneralWeight(g map[string]float64, form generalForm, floor float64) *generalWeight {
	gw := &generalWeight{g: g, form: form, lo: math.Inf(1), hi: math.Inf(-1), floor: floor}
	for _, v := range g {
		gw.lo, gw.hi = math.Min(gw.lo, v), math.Max(gw.hi, v)
	}
	return gw
}

func parseZhFreq(data string) map[string]float64 {
	var total float64
	m := map[string]float64{}
	for _, line := range strings.Split(data, "\n") {
		if n, ok := strings.CutPrefix(line, "#total "); ok {
			total, _ = strconv.ParseFloat(strings.TrimSpace(n), 64)
			continue
		}
		w, c, ok := strings.Cut(line, "\t")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		f, err := strconv.ParseFloat(c, 64)
		if err != nil || f <= 0 || utf8.RuneCountInString(w) != 2 {
			continue
		}
		m[w] = f
	}
	if total <= 0 {
		return nil
	}
	for w, f := range m {
		m[w] = math.Log(total / f)
	}
	return m
}

// generalForm is how a bigram's general information weighs its idf.
type generalForm int

const (
	// genMult multiplies the idf by s(g).
	genMult generalForm = iota
	// genCap caps the idf at s(g) times the largest idf.
	genCap
	// genBlend mixes the catalog idf with s(g) times the largest idf
	// (every Han bigram, s 1 for one not in the table).
	genBlend
)

// generalWeight weighs the idf of Chinese bigrams by their general
// frequency g (zhGeneral): s(g) is floor at or below lo, 1 at or above
// hi, linear between (lo = hi: a step at hi).
type generalWeight struct {
	g            map[string]float64
	form         generalForm
	lo, hi       float64
	floor, blend float64
}

func (gw *generalWeight) s(g float64) float64 {
	switch {
	case g >= gw.hi:
		return 1
	case g <= gw.lo:
		return gw.floor
	}
	return gw.floor + (1-gw.floor)*(g-gw.lo)/(gw.hi-gw.lo)
}

// apply reweighs the idf of ix's Chinese bigrams.
func (gw *generalWeight) apply(ix *index) {
	top := ix.maxIDF()
	for term, id := range ix.terms {
		g, ok := gw.g[term]
		switch gw.form {
		case genMult:
			if ok {
				ix.idf[id] *= gw.s(g)
			}
		case genCap:
			if ok {
				ix.idf[id] = math.Min(ix.idf[id], top*gw.s(g))
			}
		case genBlend:
			rs := []rune(term)
			if len(rs) != 2 || !isHan(rs[0]) || !isHan(rs[1]) {
				continue
			}
			s := 1.0
			if ok {
				s = gw.s(g)
			}
			ix.idf[id] = (1-gw.blend)*ix.idf[id] + gw.blend*top*s
		}
	}
}
