package faq

import "strings"

// phraseTable adds, where a text has a regional phrase (Taiwan's 軟體,
// 網路, 影片), the terms of its mainland word (软件, 网络, 视频), as the
// synonym table does for its own pairs. Built from "variant<TAB>mainland"
// lines, both sides folded to Simplified (the OpenCC tables behind it
// are written in Traditional characters); pairs that fold to the same
// word are left out.
type phraseTable struct {
	byRune map[rune][]phrase
	n      int
}

type phrase struct {
	variant []rune
	canon   []token
}

func newPhraseTable(data string) *phraseTable {
	pt := &phraseTable{byRune: map[rune][]phrase{}}
	for _, line := range strings.Split(data, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		v, c, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		vr, cr := foldRunes(v), foldRunes(c)
		if len(vr) < 2 || equalRunes(vr, cr) || !isHan(vr[0]) {
			continue
		}
		pt.byRune[vr[0]] = append(pt.byRune[vr[0]], phrase{variant: vr, canon: tokenizePlain(c)})
		pt.n++
	}
	return pt
}

// add appends the mainland terms of the regional phrases in runes (the
// folded runes of fc).
func (pt *phraseTable) add(toks []token, runes []rune, fc []fchar) []token {
	for i := 0; i < len(runes); i++ {
		for _, p := range pt.byRune[runes[i]] {
			v := p.variant
			if i+len(v) > len(runes) || !equalRunes(runes[i:i+len(v)], v) {
				continue
			}
			for _, c := range p.canon {
				toks = append(toks, token{c.term, fc[i].start, fc[i+len(v)-1].end})
			}
		}
	}
	return toks
}
