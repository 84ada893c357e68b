package faq

// segmenter splits a run of Chinese characters (folded to Simplified) into
// words.
type segmenter interface {
	// split appends to dst the lengths, in runes, of the words of run, in
	// order; they sum to len(run).
	split(dst []int, run []rune) []int
	// crossBigrams reports whether the bigrams that straddle two words are
	// kept (the segmentation then only adds the longer words).
	crossBigrams() bool
}

// appendHanWords tokenizes a run of Han characters with sc.seg: the bigrams
// (all of them, or only those inside a word), and each word of three or
// more characters as a term of its own. han and words are the vocabulary
// (nil: every term); a one-character run is a unigram as without a
// segmenter.
func appendHanWords(toks []token, run []fchar, han map[[2]rune]string, words map[string]string, full bool, sc *scratch) []token {
	if len(run) == 1 {
		return appendHan(toks, run, han)
	}
	rs := sc.runes[:0]
	for _, c := range run {
		rs = append(rs, c.r)
	}
	sc.runes = rs
	lens := sc.seg.split(sc.lens[:0], rs)
	sc.lens = lens
	cross := sc.seg.crossBigrams()
	if cross {
		toks = appendHan(toks, run, han)
	}
	at := 0
	for _, n := range lens {
		w := run[at : at+n]
		if !cross && n >= 2 {
			toks = appendHan(toks, w, han)
		}
		if n >= 3 {
			s := string(rs[at : at+n])
			if full {
				toks = append(toks, token{s, w[0].start, w[n-1].end})
			} else if t, ok := words[s]; ok {
				toks = append(toks, token{t, w[0].start, w[n-1].end})
			}
		}
		at += n
	}
	return toks
}
