package faq

import (
	_ "embed"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/unicode/norm"
)

// token is one index term found in a text, with the byte span of the text it
// came from (for highlighting).
type token struct {
	term       string
	start, end int32 // texts are bounded far below 2 GB (maxBodyBytes, the message size limit)
}

//go:embed t2s.txt
var t2sData string

// t2s folds Traditional (and Taiwan/Hong Kong variant) characters to
// Simplified ones. The table is generated from OpenCC's dictionaries (see the
// header of t2s.txt): no OpenCC port could be had from the module proxy, and
// for matching a one-character table is what is wanted anyway — both the
// catalog and the query are folded the same way, so a character with several
// Simplified readings (著 → 着) still meets itself.
var t2s = func() map[rune]rune {
	m := make(map[rune]rune, 3300)
	for _, line := range strings.Split(t2sData, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, pair := range strings.Fields(line) {
			a, n := utf8.DecodeRuneInString(pair)
			b, _ := utf8.DecodeRuneInString(pair[n:])
			m[a] = b
		}
	}
	return m
}()

// Most of any Chinese text is in the CJK Unified Ideographs block
// (U+4E00-U+9FFF): unifiedT2S is t2s for that block as a dense table,
// indexed by r-0x4E00, so folding a character there costs an array load
// instead of a map lookup.
const (
	unifiedFirst = 0x4E00
	unifiedLast  = 0x9FFF
)

var unifiedT2S = func() []rune {
	t := make([]rune, unifiedLast-unifiedFirst+1)
	for i := range t {
		t[i] = simplify(rune(unifiedFirst + i))
	}
	return t
}()

// yue2cmn folds the characters of written Cantonese that have a
// one-character Standard Chinese counterpart (冇 没, 唔 不, 嘅 的, 咗 了,
// 喺 在, 佢 他, 俾/畀 给, 睇 看, 攞 拿, 揾/搵 找, 仲 还…) so that a Hong
// Kong customer's "部機冇反應" meets the catalog's "没反应". They are the
// usual correspondences of Cantonese grammar and dictionaries, one
// character for one (a highlight's spans stay right), applied before the
// Traditional→Simplified table. 係 (是 in Cantonese) is left out: it is
// also the Traditional form of 系 (關係, 關係人), and 是 says nothing
// about a mail's topic anyway.
var yue2cmn = map[rune]rune{
	'冇': '没', '唔': '不', '嘅': '的', '咗': '了', '啲': '些', '佢': '他', '喺': '在',
	'俾': '给', '畀': '给', '睇': '看', '攞': '拿', '揾': '找', '搵': '找', '乜': '什', '咁': '这',
	'仲': '还', '啱': '对', '嚟': '来', '嗰': '那', '哋': '们', '諗': '想',
}

// foldRune normalises one rune for matching: NFKC (full-width Latin and
// digits, compatibility ideographs), case folding and Traditional→Simplified.
// It appends the result to dst, which may hold several runes (NFKC of "㎡").
func foldRune(dst []rune, r rune) []rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, r)
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII: the common case, kept fast
		return foldRune(dst, r-0xFEE0)
	case r >= unifiedFirst && r <= unifiedLast:
		// NFKC leaves these as they are and they have no case.
		return append(dst, unifiedT2S[r-unifiedFirst])
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	s := string(buf[:n])
	if !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s)
	}
	for _, c := range s {
		dst = append(dst, simplify(unicode.ToLower(c)))
	}
	return dst
}

// simplify folds a Cantonese character (yue2cmn) or a Traditional one
// (t2s) to its Standard Simplified form.
func simplify(r rune) rune {
	if x, ok := yue2cmn[r]; ok {
		return x
	}
	if x, ok := t2s[r]; ok {
		return x
	}
	return r
}

func isHan(r rune) bool {
	return r >= 0x3400 && unicode.Is(unicode.Han, r)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf { // the letters and digits of ASCII, without the tables
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return r < 0x3400 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// fchar is one folded rune with the span of the original text it came from.
type fchar struct {
	r          rune
	start, end int32
}

// fold normalises s rune by rune, remembering where each folded rune came
// from in s.
func fold(s string) []fchar { return appendFold(make([]fchar, 0, len(s)), s) }

// appendFold appends the folded runes of s to out.
func appendFold(out []fchar, s string) []fchar {
	var tmp [8]rune // a rune folds to a few (NFKC of ㎏ is two)
	for i, r := range s {
		if r < utf8.RuneSelf { // foldRune's first case, without the call: most of most mail
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			out = append(out, fchar{r, int32(i), int32(i + 1)})
			continue
		}
		n := utf8.RuneLen(r)
		if n < 0 {
			n = 1
		}
		if r < utf8.RuneSelf || (r >= unifiedFirst && r <= unifiedLast) {
			out = append(out, fchar{foldRune(tmp[:0], r)[0], int32(i), int32(i + n)})
			continue
		}
		for _, c := range foldRune(tmp[:0], r) {
			out = append(out, fchar{c, int32(i), int32(i + n)})
		}
	}
	return out
}

// scratch holds the buffers one tokenization needs, so that a query reuses
// them instead of allocating its text's size several times over per mail
// (index.scratch pools them).
type scratch struct {
	// seg splits runs of Han characters into words (nil: bigrams only).
	seg segmenter
	// phrases adds the mainland words of regional phrases (nil: none).
	phrases *phraseTable
	// noEnSyn leaves out the synonym table's English lines.
	noEnSyn bool
	fc      []fchar
	words   []token
	buf     []byte
	syn     []token
	runes   []rune
	lens    []int
}

// tokenize turns text into index terms:
//   - runs of Latin letters and digits are words: stop words dropped, the rest
//     stemmed with the Snowball English stemmer (an apostrophe inside a word
//     is dropped: won't → wont);
//   - runs of Han characters become overlapping bigrams (a one-character run
//     becomes a unigram): Chinese has no spaces, and bigrams are the
//     dictionary-free segmentation that works best for short-text retrieval;
//   - English stems next to each other also form a phrase term "a_b", so
//     "charged twice" outranks a text that has both words far apart;
//   - synonyms (synonyms.go) add the canonical terms of a variant wording.
func tokenize(s string) []token { return tokenizeWith(s, true, nil, nil) }

// vocab is what a query needs of an index's vocabulary: its Chinese terms
// (bigrams, and single characters keyed with a zero second rune) and its
// phrase terms ("a_b"). A query needs no term the index does not have, and
// looking terms up spares making a string of every bigram and every pair
// of adjacent words: the term a token gets is the vocabulary's own string.
type vocab struct {
	han     map[[2]rune]string
	phrases map[string]string
	// hanWords are the Chinese words of three or more characters the
	// segmenter found in the catalog.
	hanWords map[string]string
}

// tokenizeWith tokenizes s, with synonyms or without, stemming through
// stems (nil: no cache). With a non-nil v, Chinese and phrase terms are
// only those in v.
func tokenizeWith(s string, withSynonyms bool, stems *stemCache, v *vocab) []token {
	return appendTokens(nil, s, withSynonyms, stems, v, &scratch{})
}

// appendTokens appends the tokens of s to toks, using sc's buffers.
func appendTokens(toks []token, s string, withSynonyms bool, stems *stemCache, v *vocab, sc *scratch) []token {
	fc := appendFold(sc.fc[:0], s)
	sc.fc = fc
	if toks == nil {
		toks = make([]token, 0, len(fc)/4)
	}
	first := len(toks)
	words := sc.words[:0] // stemmed English words of the current run of text, for phrases and synonyms
	buf := sc.buf[:0]     // the word being read, then the phrase being looked up
	defer func() { sc.words, sc.buf = words[:0], buf[:0] }()
	flushWords := func() {
		toks, buf = appendPhrases(toks, words, v, buf)
		words = words[:0]
	}
	var han map[[2]rune]string
	if v != nil {
		han = v.han
	}
	for i := 0; i < len(fc); {
		r := fc[i].r
		switch {
		case isHan(r):
			j := i
			for j < len(fc) && isHan(fc[j].r) {
				j++
			}
			if sc.seg != nil {
				var words map[string]string
				if v != nil {
					words = v.hanWords
				}
				toks = appendHanWords(toks, fc[i:j], han, words, v == nil, sc)
			} else {
				toks = appendHan(toks, fc[i:j], han)
			}
			i = j
		case isWordRune(r):
			j := i
			buf = buf[:0]
			for j < len(fc) {
				c := fc[j].r
				if isWordRune(c) {
					buf = utf8.AppendRune(buf, c)
					j++
					continue
				}
				// apostrophe between letters: won't, customer's
				if (c == '\'' || c == '’') && j+1 < len(fc) && unicode.IsLetter(fc[j+1].r) && len(buf) > 0 {
					j++
					continue
				}
				break
			}
			w := buf
			if len(w) > maxWordLen {
				w = w[:maxWordLen]
			}
			start, end := fc[i].start, fc[j-1].end
			i = j
			if isStopWord(w) {
				continue
			}
			t := token{term: stems.stem(w), start: start, end: end}
			if st := t.term; (len(st) != len(w) || st != string(w)) && isStopStem(st) {
				continue // an inflection of a stop word: gets, getting, wanted
			}
			toks = append(toks, t)
			words = append(words, t)
		default:
			// Sentence punctuation ends a phrase; spaces, hyphens and
			// slashes do not ("wi-fi", "after-sales").
			if !unicode.IsSpace(r) && r != '-' && r != '/' && r != '&' {
				flushWords()
			}
			i++
		}
	}
	flushWords()
	if withSynonyms {
		toks = addSynonyms(toks, first, fc, sc)
	}
	return toks
}

// maxWordLen bounds a "word" so a base64 blob or a URL-ish run in a mail
// body cannot make huge terms; no real word is longer.
const maxWordLen = 32

func appendHan(toks []token, run []fchar, han map[[2]rune]string) []token {
	if len(run) == 1 {
		if han == nil {
			return append(toks, token{string(run[0].r), run[0].start, run[0].end})
		}
		if t, ok := han[[2]rune{run[0].r}]; ok {
			toks = append(toks, token{t, run[0].start, run[0].end})
		}
		return toks
	}
	for k := 0; k+1 < len(run); k++ {
		a, b := run[k], run[k+1]
		if han == nil {
			toks = append(toks, token{string([]rune{a.r, b.r}), a.start, b.end})
		} else if t, ok := han[[2]rune{a.r, b.r}]; ok {
			toks = append(toks, token{t, a.start, b.end})
		}
	}
	return toks
}

// appendPhrases adds a phrase term for each pair of adjacent English stems
// (with v, only those in v), using buf to spell them.
func appendPhrases(toks, words []token, v *vocab, buf []byte) ([]token, []byte) {
	for k := 0; k+1 < len(words); k++ {
		a, b := words[k], words[k+1]
		if isCode(a.term) || isCode(b.term) {
			continue // "order 12345", "ap 400": codes make no phrase worth indexing
		}
		if v == nil {
			toks = append(toks, token{term: a.term + "_" + b.term, start: a.start, end: b.end})
			continue
		}
		buf = append(append(append(buf[:0], a.term...), '_'), b.term...)
		if term, ok := v.phrases[string(buf)]; ok {
			toks = append(toks, token{term: term, start: a.start, end: b.end})
		}
	}
	return toks, buf
}

func isNumber(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// stem reduces an English word to its Snowball stem; words with digits
// (e1, kt17, 2.4ghz) are model numbers and codes and stay as they are.
func stem(w string) string {
	for _, r := range w {
		if r >= '0' && r <= '9' || r >= utf8.RuneSelf {
			return w
		}
	}
	if len(w) <= 2 {
		return w
	}
	return english.Stem(w, true)
}

// stemCache remembers stems: the Snowball stemmer is most of the cost of
// tokenizing English mail, and mail repeats a small vocabulary. Each index
// has one; it stops growing at maxStems words, so a flood of invented words
// cannot grow it without bound. It is a map behind a read-write lock
// rather than a sync.Map so that a word is looked up by its bytes, without
// making a string of it first.
type stemCache struct {
	mu sync.RWMutex
	m  map[string]string // word → stem
}

const maxStems = 50000

// stem returns the stem of the word w (its bytes are not kept).
func (c *stemCache) stem(w []byte) string {
	if c == nil {
		return stem(string(w))
	}
	c.mu.RLock()
	st, ok := c.m[string(w)]
	c.mu.RUnlock()
	if ok {
		return st
	}
	word := string(w)
	st = stem(word)
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]string{}
	}
	if len(c.m) < maxStems {
		c.m[word] = st
	}
	c.mu.Unlock()
	return st
}

// stopWords are English function words and mail pleasantries: they carry no
// topic, and the pleasantries ("thanks", "regards") appear in mails of every
// kind. The list is the usual English one (as in Lucene/Snowball) plus
// contractions, written without the apostrophe as tokenize leaves them.
// "where" and "when" are kept: FAQ titles are questions ("Where is my
// order?", "When will I get my refund?") and these two name what is asked.
// Dates and days are dropped: "ordered last Monday" says nothing about the
// topic, and a rare word like "last" would otherwise match by accident.
// A word whose stem is one of these is dropped as well (isStopStem):
// "gets" and "getting" are "get", which the list drops, and the catalog's
// "Robot vacuum gets stuck" kept a "get" that "my card keeps getting
// declined" matched.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
a about above after again against all am an and any are as at be because been before being below
between both but by can cant could couldnt did didnt do does doesnt doing dont down during each few for
from further had hadnt has hasnt have havent having he hed hell hes her here heres hers herself him
himself his how hows i id ill im ive if in into is isnt it its itself lets me more most mustnt my
myself no nor not of off on once only or other ought our ours ourselves out over own same shant she
shed shell shes should shouldnt so some such than that thats the their theirs them themselves then
there theres these they theyd theyll theyre theyve this those through to too under until up very was
wasnt we wed well were weve werent what whats whens wheres which while who whos whom why
whys with wont would wouldnt you youd youll youre youve your yours yourself yourselves
also just still already really even get got would like want wants please pls kindly thank thanks
thx hi hello hey dear regards best cheers sincerely faithfully many much sorry ok okay yes
s t re fw fwd
today yesterday tomorrow tonight morning afternoon evening last next ago week weeks month months
monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec`) {
		m[w] = true
	}
	return m
}()

// stopByShape holds stopWords by length and first letter (all are a-z
// words of at most maxStopLen letters), a handful in each: isStopWord's
// few comparisons of short strings cost less than the map lookup, which
// was a third of tokenizing a mail.
const maxStopLen = 10

var stopByShape = func() (t [maxStopLen + 1][26][]string) {
	for w := range stopWords {
		if len(w) > maxStopLen || w[0] < 'a' || w[0] > 'z' {
			panic("stop word " + w + " is not a-z of at most maxStopLen letters")
		}
		t[len(w)][w[0]-'a'] = append(t[len(w)][w[0]-'a'], w)
	}
	return t
}()

// isStopStem is stopWords[s]: a word whose stem is a stop word is one
// too (gets, getting → get; wanted → want; likes → like).
func isStopStem(s string) bool {
	if len(s) == 0 || len(s) > maxStopLen || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	return slices.Contains(stopByShape[len(s)][s[0]-'a'], s)
}

// isStopWord is stopWords[string(w)].
func isStopWord(w []byte) bool {
	if len(w) == 0 || len(w) > maxStopLen || w[0] < 'a' || w[0] > 'z' {
		return false
	}
	for _, s := range stopByShape[len(w)][w[0]-'a'] {
		if string(w) == s {
			return true
		}
	}
	return false
}
