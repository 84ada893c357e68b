package faq

import (
	"slices"
	"strings"
)

// thesaurus is a general English thesaurus over stems: for a stem, the
// stems of the single-word synonyms of each sense of the words that have
// it, senses in the thesaurus's order (WordNet's: most frequent first),
// words in the thesaurus's (alphabetical) order; firsts are where each
// word's senses start.
type thesaurus struct {
	senses map[string][][]string
	firsts map[string][]int
}

// thesPick says which of a word's synonyms a query adds.
type thesPick int

const (
	thesAll       thesPick = iota // every sense's synonyms
	thesFirst                     // the first sense's of the first word with the stem (abatable for abate)
	thesFirstFive                 // the first five that the catalog has, in sense order
	thesFirstEach                 // the first sense's of each word with the stem
)

// parseThesaurus reads "stem<TAB>syn syn;syn syn…" lines: a stem and its
// senses (separated by ";", possibly empty), each a list of synonym
// stems. Lines starting with "#" are comments.
func parseThesaurus(data string) *thesaurus {
	th := &thesaurus{senses: map[string][][]string{}, firsts: map[string][]int{}}
	for len(data) > 0 {
		var line string
		line, data, _ = strings.Cut(data, "\n")
		if line == "" || line[0] == '#' {
			continue
		}
		head, rest, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		var senses [][]string
		for s := range strings.SplitSeq(rest, ";") {
			senses = append(senses, strings.Fields(s))
		}
		th.firsts[head] = append(th.firsts[head], len(th.senses[head]))
		th.senses[head] = append(th.senses[head], senses...)
	}
	return th
}

// expTerm is a catalog term a thesaurus adds to a query.
type expTerm struct {
	id   int32
	term string
}

// expansions maps each stem the thesaurus has and the catalog's
// vocabulary (terms) does not to the catalog terms among its synonyms.
func (th *thesaurus) expansions(terms map[string]int32, pick thesPick) map[string][]expTerm {
	out := map[string][]expTerm{}
	for head, senses := range th.senses {
		if _, ok := terms[head]; ok {
			continue
		}
		var exp []expTerm
		seen := map[string]bool{head: true}
		for si, s := range senses {
			if pick == thesFirst && si > 0 {
				break
			}
			if pick == thesFirstEach && !slices.Contains(th.firsts[head], si) {
				continue
			}
			for _, syn := range s {
				id, ok := terms[syn]
				if !ok || seen[syn] {
					continue
				}
				seen[syn] = true
				exp = append(exp, expTerm{id, syn})
			}
		}
		if pick == thesFirstFive && len(exp) > 5 {
			exp = exp[:5]
		}
		if len(exp) > 0 {
			out[head] = exp
		}
	}
	return out
}

// expand adds to q, for each English word of the query that the catalog
// does not have, the catalog's words among its thesaurus synonyms, at
// thesWeight of the word's own (summed zone) weight: they count as a
// weaker occurrence of the catalog's word, saturated with its own.
func (ix *index) expand(q []qterm) []qterm {
	if len(ix.expansion) == 0 {
		return q
	}
	var add map[string]float64
	var order []expTerm
	for _, t := range q {
		if t.id >= 0 || !plainWord(t.term) {
			continue
		}
		for _, e := range ix.expansion[t.term] {
			if add == nil {
				add = map[string]float64{}
			}
			if _, ok := add[e.term]; !ok {
				order = append(order, e)
			}
			add[e.term] += ix.m.thesWeight * t.x
		}
	}
	if add == nil {
		return q
	}
	for i, t := range q {
		if x, ok := add[t.term]; ok && t.id >= 0 {
			q[i] = ix.qterm(t.id, t.term, t.x+x)
			delete(add, t.term)
		}
	}
	for _, e := range order {
		if x, ok := add[e.term]; ok {
			q = append(q, ix.qterm(e.id, e.term, x))
		}
	}
	return q
}

// plainWord reports whether term is an English stem (letters only): not
// a code, a phrase or Chinese.
func plainWord(term string) bool {
	if len(term) <= 2 {
		return false
	}
	for i := 0; i < len(term); i++ {
		if c := term[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
