package faq

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// BM25F parameters.
const (
	// k1 is BM25's term-frequency saturation. 1.2 is the value the
	// literature and Lucene settled on; FAQ fields are short, so the exact
	// value matters little — a second occurrence adds about a third more.
	k1 = 1.2

	// kq saturates the weight of a term repeated in the query (a mail that
	// says "refund" five times is not five times more about refunds): a
	// weight w counts as w·(kq+1)/(kq+w), so 1→1, 2→1.5, 4→2.
	kq = 2.0
)

// Fields of an entry, and their weights and length normalisation. The title
// says what the entry answers and the keywords are the words an editor chose
// for it, so a term there counts three and two times as much as one that
// only occurs somewhere in the answer (BM25F). Titles and keyword lists are
// all short, so their length matters little (b 0.3); answers vary from two
// to six sentences, so the usual b 0.75 applies.
const (
	fTitle = iota
	fKeywords
	fAnswer
	nFields
)

var (
	fieldWeight = [nFields]float64{3, 2, 1}
	fieldB      = [nFields]float64{0.3, 0.3, 0.75}
)

// method is the ranking's constants, kept together so the evaluation can
// compare variants on both labelled sets.
type method struct {
	fieldWeight, fieldB                      [nFields]float64
	codeWeight                               float64
	subject, replySubject, ask, tell, quoted float64
	// headIDF: a term's idf counts the entries whose title or keywords
	// have it, when any do (an experiment of TestEvalRankerComparison).
	headIDF bool
	// seg segments Chinese text into words (nil: character bigrams only).
	seg segmenter
	// intentWeight scales the query terms in intent, the words that name
	// what the customer wants done (an experiment of TestExperimentIntent;
	// nil in the shipped method).
	intent       map[string]bool
	intentWeight float64
	// stop are terms left out of the index (and so of every query).
	stop map[string]bool
	// idfPow raises every idf to this power (0: 1), an experiment of
	// TestEvalIDFPower.
	idfPow float64
	// product are the terms that name a product (productTerms): a
	// mail's product terms count productWeight in every entry
	// (productGate false, shipped), or only in the entries whose head
	// names a product and none of whose other head terms the mail has
	// (productGate true, an experiment of TestEvalProductFacet).
	product       map[string]bool
	productWeight float64
	productGate   bool
	// phrases folds regional phrasing to mainland vocabulary
	// (TestEvalRegionalPhrases; nil in the shipped method).
	phrases *phraseTable
	// thes adds to a query, for each English word the catalog does not
	// have, the catalog's words among its thesaurus synonyms (thesPick
	// which) at thesWeight of its weight (TestEvalThesaurus; nil in the
	// shipped method).
	thes       *thesaurus
	thesPick   thesPick
	thesWeight float64
	// noEnSynonyms leaves out the English lines of the synonym table
	// (TestEvalThesaurus).
	noEnSynonyms bool
	// general weighs Chinese bigrams' idf by their frequency in general
	// Chinese (zhfreq.go; nil: catalog idf only).
	general *generalWeight
	// otherProduct scales the score of an entry about another product
	// than the mail's (index.headProduct; 0: off, as for the examples'
	// index).
	otherProduct float64
}

// defaultMethod is the shipped ranking; the fields left out are the
// experiments', off.
var defaultMethod = method{
	fieldWeight: fieldWeight, fieldB: fieldB, codeWeight: codeWeight,
	subject: subjectWeight, replySubject: replySubjectWeight, ask: askWeight, tell: tellWeight, quoted: quotedWeight,
	product: productTerms, productWeight: productWeight,
	general: shippedGeneral, otherProduct: otherProductFactor,
}

type posting struct {
	doc int32
	// w is the term's BM25F contribution in this entry without the idf:
	// wtf/(k1+wtf), in [0,1). Query-independent, so computed at build time.
	w float32
}

type index struct {
	n        int
	m        method
	terms    map[string]int32
	idf      []float64
	postings [][]posting
	// words maps English surface words of the catalog to their stems, and
	// deletes maps each word with one letter deleted to the words it came
	// from: together they find catalog words within edit distance 1 of a
	// misspelt query word (symmetric-delete spelling correction).
	words   map[string]string
	deletes map[string][]string
	// stems caches the stems of query words; vocab is the vocabulary as
	// queries look it up.
	stems *stemCache
	vocab *vocab
	// scratch pools the buffers of query tokenization (*queryScratch).
	scratch *sync.Pool
	// accums pools score accumulators (*accum).
	accums *sync.Pool
	// productTerm, productEntry and head serve method.product: which
	// terms name a product, which entries have one in their head, and
	// for each posting whether the term is in that entry's head.
	productTerm  []bool
	productEntry []bool
	head         [][]bool
	// productSide: the entry is about a product (its use, faults,
	// repair, warranty, installation) rather than about buying and
	// receiving one: its title or keywords name a product (productTerms),
	// or name no order, delivery, return, account or payment matter
	// (transactionMark). Topics counts such entries of support's for
	// sales in a pre-sale mail.
	productSide []bool
	// pitchSide: the entry is for pitches — job applications, press and
	// marketing pitches: its title or keywords have the mail's pitch cue
	// (pitchMark; careers and press contact in the demo catalog). Topics
	// reads a pitch by these entries alone.
	pitchSide []bool
	// kinds: the kinds of mail (mailKinds) the entry's title or
	// keywords name (careers: a job; press contact: coverage; dealer
	// partnership: distribution; payment problems: a charge gone
	// wrong); allKinds their union. Topics reads a mail of a kind some
	// entry has by the entries of its kinds alone.
	kinds    []mailKind
	allKinds mailKind
	// troubleSide: the entry is about a product (productSide) and its
	// title reports a fault (reportMark: "Smart kettle doesn't heat",
	// 净水器漏水): a product's troubleshooting, which answers its owner,
	// never a question asked before buying it.
	troubleSide []bool
	// expansion serves method.thes: the catalog terms a query word
	// outside the vocabulary brings in.
	expansion map[string][]expTerm
	// headProduct and productMask serve method.otherProduct: for each
	// entry, the product names (productTerms less the generic
	// genericProducts and the modifiers productModifiers) of its title
	// and keywords as a set of bits (productBit), none for an entry whose
	// head names none or a generic one ("your appliance"); and for each
	// term its bit where it is some entry's product name, else 0.
	headProduct []uint64
	productMask []uint64
}

func fieldTexts(e Entry) [nFields]string {
	return [nFields]string{
		e.En.Title + "\n" + e.Zh.Title,
		strings.Join(e.En.Keywords, "\n") + "\n" + strings.Join(e.Zh.Keywords, "\n"),
		e.En.Answer + "\n" + e.Zh.Answer,
	}
}

func buildIndex(entries []Entry) *index { return buildIndexWith(entries, defaultMethod) }

func buildIndexWith(entries []Entry, mt method) *index {
	ix := &index{
		n:       len(entries),
		m:       mt,
		terms:   map[string]int32{},
		words:   map[string]string{},
		deletes: map[string][]string{},
		stems:   new(stemCache),
		scratch: &sync.Pool{New: func() any { return &queryScratch{weights: map[string]float64{}} }},
		accums:  &sync.Pool{New: func() any { return new(accum) }},
	}
	type tf [nFields]float64
	docTF := make([]map[int32]*tf, len(entries))
	lens := make([][nFields]float64, len(entries))
	var total [nFields]float64
	for d, e := range entries {
		m := map[int32]*tf{}
		for f, text := range fieldTexts(e) {
			for _, t := range appendTokens(nil, text, true, nil, nil, &scratch{seg: mt.seg, phrases: mt.phrases, noEnSyn: mt.noEnSynonyms}) {
				if mt.stop[t.term] {
					continue // not in the vocabulary, so no query has it either
				}
				id, ok := ix.terms[t.term]
				if !ok {
					id = int32(len(ix.terms))
					ix.terms[t.term] = id
				}
				if m[id] == nil {
					m[id] = new(tf)
				}
				m[id][f]++
				lens[d][f]++
			}
			ix.addWords(text)
		}
		for f := range total {
			total[f] += lens[d][f]
		}
		docTF[d] = m
	}
	var avg [nFields]float64
	for f := range avg {
		avg[f] = math.Max(total[f]/math.Max(float64(len(entries)), 1), 1)
	}
	ix.postings = make([][]posting, len(ix.terms))
	headDF := make([]float64, len(ix.terms))
	for d, m := range docTF {
		for id, t := range m {
			if t[fTitle]+t[fKeywords] > 0 {
				headDF[id]++
			}
			var wtf float64
			for f := 0; f < nFields; f++ {
				if t[f] == 0 {
					continue
				}
				norm := 1 - mt.fieldB[f] + mt.fieldB[f]*lens[d][f]/avg[f]
				wtf += mt.fieldWeight[f] * t[f] / norm
			}
			ix.postings[id] = append(ix.postings[id], posting{doc: int32(d), w: float32(wtf / (k1 + wtf))})
		}
	}
	ix.idf = make([]float64, len(ix.terms))
	for id, p := range ix.postings {
		sort.Slice(p, func(i, j int) bool { return p[i].doc < p[j].doc })
		df := float64(len(p))
		if mt.headIDF && headDF[id] > 0 {
			df = headDF[id]
		}
		// The BM25 idf with +1 inside the log (as Lucene) so it never goes
		// negative for a term in more than half of the entries.
		ix.idf[id] = math.Log(1 + (float64(ix.n)-df+0.5)/(df+0.5))
		if mt.idfPow != 0 {
			ix.idf[id] = math.Pow(ix.idf[id], mt.idfPow)
		}
	}
	if mt.general != nil {
		mt.general.apply(ix)
	}
	ix.pitchSide = make([]bool, ix.n)
	for d, e := range entries {
		f := fieldTexts(e)
		ix.pitchSide[d] = pitchMark.MatchString(strings.ToLower(f[fTitle] + "\n" + f[fKeywords]))
	}
	ix.kinds = make([]mailKind, ix.n)
	for d, e := range entries {
		f := fieldTexts(e)
		ix.kinds[d] = mailKinds(foldText(f[fTitle] + "\n" + f[fKeywords]))
		ix.allKinds |= ix.kinds[d]
	}
	if mt.product != nil {
		ix.productSide = make([]bool, ix.n)
		for term, id := range ix.terms {
			if !mt.product[term] {
				continue
			}
			for _, p := range ix.postings[id] {
				if t := docTF[p.doc][id]; t[fTitle]+t[fKeywords] > 0 {
					ix.productSide[p.doc] = true
				}
			}
		}
		for d, e := range entries {
			if !ix.productSide[d] {
				f := fieldTexts(e)
				ix.productSide[d] = !transactionMark.MatchString(foldText(f[fTitle] + "\n" + f[fKeywords]))
			}
		}
		ix.troubleSide = make([]bool, ix.n)
		for d, e := range entries {
			ix.troubleSide[d] = ix.productSide[d] && reportMark.MatchString(foldText(fieldTexts(e)[fTitle]))
		}
	}
	if mt.product != nil && mt.otherProduct > 0 {
		ix.headProduct = make([]uint64, ix.n)
		ix.productMask = make([]uint64, len(ix.terms))
		for d, e := range entries {
			f := fieldTexts(e)
			var names uint64
			generic := false
			for _, t := range appendTokens(nil, f[fTitle]+"\n"+f[fKeywords], true, nil, nil, &scratch{seg: mt.seg, phrases: mt.phrases, noEnSyn: mt.noEnSynonyms}) {
				switch id, ok := ix.terms[t.term]; {
				case !ok || !mt.product[t.term] || productModifiers[t.term]:
				case genericProducts[t.term]:
					// an English generic word stands alone (no name has
					// one); 机器 is also a bigram of 扫地机器人
					generic = generic || isASCII(t.term) || t.term == "电器"
				default:
					names |= productBit(id)
				}
			}
			if !generic {
				ix.headProduct[d] = names
				for term, id := range ix.terms {
					if names&productBit(id) != 0 && mt.product[term] && !productModifiers[term] && !genericProducts[term] {
						ix.productMask[id] = productBit(id)
					}
				}
			}
		}
	}
	if mt.product != nil && mt.productGate {
		ix.productTerm = make([]bool, len(ix.terms))
		for term, id := range ix.terms {
			ix.productTerm[id] = mt.product[term]
		}
		ix.productEntry = make([]bool, ix.n)
		ix.head = make([][]bool, len(ix.terms))
		for id, p := range ix.postings {
			ix.head[id] = make([]bool, len(p))
			for i, q := range p {
				t := docTF[q.doc][int32(id)]
				h := t[fTitle]+t[fKeywords] > 0
				ix.head[id][i] = h
				if h && ix.productTerm[id] {
					ix.productEntry[q.doc] = true
				}
			}
		}
	}
	if mt.thes != nil {
		ix.expansion = mt.thes.expansions(ix.terms, mt.thesPick)
	}
	ix.vocab = &vocab{han: map[[2]rune]string{}, phrases: map[string]string{}, hanWords: map[string]string{}}
	for term := range ix.terms {
		if rs := []rune(term); len(rs) > 2 && isHan(rs[0]) && isHan(rs[len(rs)-1]) {
			ix.vocab.hanWords[term] = term
		} else if len(rs) <= 2 && isHan(rs[0]) && isHan(rs[len(rs)-1]) {
			var k [2]rune
			copy(k[:], rs)
			ix.vocab.han[k] = term
		} else if strings.Contains(term, "_") {
			ix.vocab.phrases[term] = term
		}
	}
	return ix
}

func (ix *index) addWords(text string) {
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z')
	}) {
		if len(w) < typoMinLen-1 || ix.words[w] != "" || stopWords[w] {
			continue
		}
		ix.words[w] = stem(w)
		for i := range w {
			d := w[:i] + w[i+1:]
			ix.deletes[d] = append(ix.deletes[d], w)
		}
	}
}

// typoMinLen: query words this long or longer may be corrected to a catalog
// word one edit away. Shorter words have too many neighbours one edit away
// ("fan"/"pan"/"fun") for a correction to be a good guess.
const typoMinLen = 5

// correct returns the stems of the catalog words within one edit
// (insertion, deletion, substitution or adjacent transposition) of w, in
// order. Several are possible ("coker": cooker, cover); the caller searches
// for all of them and the rest of the query decides.
func (ix *index) correct(w string) []string {
	if len(w) < typoMinLen {
		return nil
	}
	cands := map[string]bool{}
	try := func(k string) {
		for _, c := range ix.deletes[k] {
			if editDistance1(w, c) {
				cands[ix.words[c]] = true
			}
		}
		if s, ok := ix.words[k]; ok && editDistance1(w, k) {
			cands[s] = true
		}
	}
	try(w)
	for i := range w {
		try(w[:i] + w[i+1:])
	}
	out := make([]string, 0, len(cands))
	for s := range cands {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// editDistance1 reports whether a and b (ASCII) differ by exactly one
// insertion, deletion, substitution or adjacent transposition.
func editDistance1(a, b string) bool {
	if a == b {
		return false
	}
	la, lb := len(a), len(b)
	if la > lb {
		a, b, la, lb = b, a, lb, la
	}
	if lb-la > 1 {
		return false
	}
	i := 0
	for i < la && a[i] == b[i] {
		i++
	}
	if la == lb {
		if a[i+1:] == b[i+1:] {
			return true // substitution
		}
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
	}
	return a[i:] == b[i+1:] // insertion
}

// zone is a piece of query text and the weight of its words.
type zone struct {
	text   string
	weight float64
}

// qterm is one query term with its weight after saturation.
type qterm struct {
	id     int32 // -1 when not in the catalog's vocabulary
	term   string
	weight float64
	// extra is what productWeight took off a product term's weight: the
	// evidence it still gives that the mail concerns the catalog.
	extra float64
	// x is the term's summed zone weight (before saturation).
	x float64
}

// queryScratch is what one query reuses of the last one's allocations.
type queryScratch struct {
	scratch
	toks    []token
	weights map[string]float64
}

// query turns weighted zones of text into weighted terms.
func (ix *index) query(zones []zone) []qterm {
	sc := ix.scratch.Get().(*queryScratch)
	defer func() {
		clear(sc.weights)
		ix.scratch.Put(sc)
	}()
	w := sc.weights
	var order []string
	for _, z := range zones {
		sc.scratch.seg = ix.m.seg
		sc.scratch.phrases = ix.m.phrases
		sc.scratch.noEnSyn = ix.m.noEnSynonyms
		sc.toks = appendTokens(sc.toks[:0], z.text, true, ix.stems, ix.vocab, &sc.scratch)
		for _, t := range sc.toks {
			if _, ok := w[t.term]; !ok {
				order = append(order, t.term)
			}
			w[t.term] += z.weight
		}
	}
	return ix.expand(ix.qterms(w, order))
}

// tokenized is a zone tokenized with a vocabulary that includes an
// index's (sharedVocab): its tokens, of which those from syn on are
// synonyms (added whatever the vocabulary).
type tokenized struct {
	weight float64
	toks   []token
	syn    int
}

// sharedTerm is one term of zones tokenized once for two indexes: its
// zone weights summed over all its tokens and over its synonym tokens
// only (each in token order), and where each first occurs (-1: never).
type sharedTerm struct {
	term          string
	all, syn      float64
	first, synPos int32
}

// aggregate sums the zones' tokens per term (pos is a scratch map).
func aggregate(zs []tokenized, pos map[string]int32, out []sharedTerm) []sharedTerm {
	n := int32(0)
	for _, z := range zs {
		for i, t := range z.toks {
			k, ok := pos[t.term]
			if !ok {
				k = int32(len(out))
				pos[t.term] = k
				out = append(out, sharedTerm{term: t.term, first: -1, synPos: -1})
			}
			st := &out[k]
			if st.first < 0 {
				st.first = n
			}
			st.all += z.weight
			if i >= z.syn {
				if st.synPos < 0 {
					st.synPos = n
				}
				st.syn += z.weight
			}
			n++
		}
	}
	clear(pos)
	return out
}

// queryShared is query for zones tokenized once for two indexes (the
// catalog's and the examples', aggregate): the Chinese and phrase terms
// ix does not have count only where they are synonyms, which is what
// ix's own tokenization would have made of the zones — the same terms,
// the same weights summed in the same order, in the same order.
func (ix *index) queryShared(terms []sharedTerm) []qterm {
	type kept struct {
		pos int32
		q   qterm
	}
	ks := make([]kept, 0, len(terms))
	for _, st := range terms {
		id, ok := ix.terms[st.term]
		x, at := st.all, st.first
		if !ok {
			id = -1
			if vocabTerm(st.term) {
				if st.synPos < 0 {
					continue
				}
				x, at = st.syn, st.synPos
			}
		}
		ks = append(ks, kept{at, ix.qterm(id, st.term, x)})
	}
	slices.SortFunc(ks, func(a, b kept) int { return cmp.Compare(a.pos, b.pos) })
	out := make([]qterm, len(ks))
	for i, k := range ks {
		out[i] = k.q
	}
	return ix.expand(out)
}

// vocabTerm reports whether a token is one a vocabulary decides on (a
// Chinese bigram or character, a phrase) rather than a word, which every
// tokenization makes.
func vocabTerm(term string) bool {
	r, _ := utf8.DecodeRuneInString(term)
	return r >= 0x3400 || strings.IndexByte(term, '_') >= 0
}

// sharedVocab is the union of vocabularies: what a tokenization for all
// their indexes must look up.
func sharedVocab(vs ...*vocab) *vocab {
	u := &vocab{han: map[[2]rune]string{}, phrases: map[string]string{}, hanWords: map[string]string{}}
	for _, v := range vs {
		maps.Copy(u.han, v.han)
		maps.Copy(u.phrases, v.phrases)
		maps.Copy(u.hanWords, v.hanWords)
	}
	return u
}

// qterms weighs the terms of a query (w: each term's summed zone weight,
// order: the terms in the order first seen).
func (ix *index) qterms(w map[string]float64, order []string) []qterm {
	out := make([]qterm, 0, len(order))
	for _, term := range order {
		id, ok := ix.terms[term]
		if !ok {
			id = -1
		}
		out = append(out, ix.qterm(id, term, w[term]))
	}
	return out
}

// qterm weighs a term of summed zone weight x.
func (ix *index) qterm(id int32, term string, x float64) qterm {
	x0 := x
	if isCode(term) {
		x *= ix.m.codeWeight
	} else if ix.m.intent[term] {
		x *= ix.m.intentWeight
	}
	w := x * (kq + 1) / (kq + x)
	var extra float64
	if ix.m.product[term] && !ix.m.productGate {
		extra = w * (1 - ix.m.productWeight)
		w *= ix.m.productWeight
	}
	return qterm{id: id, term: term, weight: w, extra: extra, x: x0}
}

// productWeight scales a query's product terms (productTerms: kettle,
// rice cooker, 净水器 …) after saturation. A product noun says what the
// mail concerns, not what is wanted: "I want to return my water
// purifier" is a return, not the purifier's leak. Like a model number
// (codeWeight) it still counts half, since troubleshooting entries are
// about one product. Chosen on public/ (TestEvalProductFacet: 0.5 ties
// on one half and wins on the other, with the larger margin on both).
const productWeight = 0.5

// otherProductFactor scales the score of an entry about another product
// than the one the mail names (index.otherProduct): "my robot keeps
// stopping" and the dehumidifier's "keeps stopping" share a symptom,
// not a product. The mail's product nouns already count productWeight
// in every entry alike, so they cannot tell the robot's entry from the
// dehumidifier's; this does, from the catalog's own titles and
// keywords. Chosen on the three tuning sets (TestEvalOtherProduct: ×0.85
// and ×0.7 gain a mail, ×0.6 and below two, none lost anywhere; ×0.5 is
// the mildest factor of that plateau; see the package doc).
const otherProductFactor = 0.5

// codeWeight scales query terms that are model numbers, codes or letter
// fragments ("ap" of AP-400, "600", "e1"). They name the product, not the
// question — a mail about an AP-600's warranty should not go to whichever
// entry happens to mention the AP-600 — but they still count half, since an
// error code or a model can be exactly what an entry is about.
const codeWeight = 0.5

func isCode(term string) bool {
	if term == "" || term[0] >= utf8.RuneSelf {
		return false
	}
	if len(term) <= 2 && !strings.Contains(term, "_") {
		return true
	}
	for _, r := range term {
		if r >= '0' && r <= '9' {
			return true
		}
	}
	return false
}

type scored struct {
	doc   int32
	score float64
	// extra is what the product terms would add at full weight
	// (qterm.extra): the linking bar counts it (params.productEvidence).
	extra float64
}

// scoreAll returns every entry that shares a term with q, best first.
func (ix *index) scoreAll(q []qterm) []scored { return ix.scoreTop(q, ix.n) }

// accum is a dense score accumulator: one slot per entry, and the entries
// touched, so that clearing it costs what the query touched. Dense slots
// instead of a map keep a query's cost proportional to the postings it
// reads, which is what lets a 10,000-entry catalog rank a mail in well
// under a millisecond.
type accum struct {
	score   []float64
	extra   []float64
	touched []int32
}

// scoreTop returns the k best entries that share a term with q, best
// first (ties by catalog order).
func (ix *index) scoreTop(q []qterm, k int) []scored { return ix.scoreTopWhere(q, k, nil) }

// scoreTopWhere is scoreTop over the entries keep admits (all for nil).
// Topics reads a mail of a kind by a few entries of the whole catalog:
// ranking them alone keeps a 10,000-entry catalog's cost that of the
// postings read, where ranking every entry touched (scoreAll) and
// picking them out costs a sorted insert per entry.
func (ix *index) scoreTopWhere(q []qterm, k int, keep func(int32) bool) []scored {
	if ix.productTerm != nil {
		res := ix.scoreTopProduct(q, ix.n)
		if keep != nil {
			res = slices.DeleteFunc(res, func(s scored) bool { return !keep(s.doc) })
		}
		return res[:min(k, len(res))]
	}
	a := ix.accums.Get().(*accum)
	if len(a.score) < ix.n {
		a.score = make([]float64, ix.n)
	}
	if len(a.extra) < ix.n {
		a.extra = make([]float64, ix.n) // the examples' kNN shares accum but not extra
	}
	for _, t := range q {
		if t.id < 0 {
			continue
		}
		idf := ix.idf[t.id] * t.weight
		for _, p := range ix.postings[t.id] {
			if a.score[p.doc] == 0 {
				a.touched = append(a.touched, p.doc)
			}
			a.score[p.doc] += idf * float64(p.w)
		}
		if t.extra != 0 {
			idf := ix.idf[t.id] * t.extra
			for _, p := range ix.postings[t.id] {
				a.extra[p.doc] += idf * float64(p.w)
			}
		}
	}
	mail := ix.mailProducts(q)
	all := k >= len(a.touched)
	var out []scored
	if keep == nil {
		out = make([]scored, 0, min(k, len(a.touched)))
	}
	for _, d := range a.touched {
		s := scored{d, a.score[d], a.extra[d]}
		if mail != 0 && ix.otherProduct(mail, d) {
			s.score *= ix.m.otherProduct
			s.extra *= ix.m.otherProduct
		}
		a.score[d], a.extra[d] = 0, 0
		if s.score <= 0 || keep != nil && !keep(d) {
			continue
		}
		if all {
			out = append(out, s) // sorted below
			continue
		}
		if len(out) == k && !better(s, out[k-1]) {
			continue
		}
		out = topInsert(out, s, k)
	}
	if all {
		// one sort, where a sorted insert per entry would cost the
		// square of the entries touched
		slices.SortFunc(out, byScore)
	}
	a.touched = a.touched[:0]
	ix.accums.Put(a)
	return out
}

// productBit is a product name's bit in a set of names: one of 64 by
// its term id, so that two names may share one in a large catalog; a
// shared bit only makes an entry look like the mail's product, never the
// other way round.
func productBit(id int32) uint64 { return 1 << (uint32(id) % 64) }

// mailProducts returns the set of the catalog's product names
// (productMask) that q has from the customer's own words (a summed zone
// weight of at least a telling sentence's: not from the quoted history
// alone), 0 for none.
func (ix *index) mailProducts(q []qterm) uint64 {
	if ix.productMask == nil {
		return 0
	}
	var set uint64
	for _, t := range q {
		if t.id >= 0 && t.x >= ix.m.tell {
			set |= ix.productMask[t.id]
		}
	}
	return set
}

// otherProduct reports whether entry d is about another product than
// the mail, which names the products of set (mailProducts, not 0): d's
// head names products and none of them is the mail's.
func (ix *index) otherProduct(set uint64, d int32) bool {
	h := ix.headProduct[d]
	return h != 0 && h&set == 0
}

// byScore orders scored entries best first (slices.SortFunc).
func byScore(a, b scored) int {
	if better(a, b) {
		return -1
	}
	if better(b, a) {
		return 1
	}
	return 0
}

func better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.doc < b.doc
}

// scoreDoc is one entry's score for q (what scoreAll gives it), found by
// binary search in the postings, which are sorted by entry.
func (ix *index) scoreDoc(q []qterm, d int32) float64 {
	if ix.productTerm != nil {
		for _, s := range ix.scoreTopProduct(q, ix.n) {
			if s.doc == d {
				return s.score
			}
		}
		return 0
	}
	var sum float64
	for _, t := range q {
		if t.id < 0 {
			continue
		}
		p := ix.postings[t.id]
		i := sort.Search(len(p), func(i int) bool { return p[i].doc >= d })
		if i < len(p) && p[i].doc == d {
			sum += ix.idf[t.id] * t.weight * float64(p[i].w)
		}
	}
	if mail := ix.mailProducts(q); mail != 0 && ix.otherProduct(mail, d) {
		sum *= ix.m.otherProduct
	}
	return sum
}

// maxIDF is the idf of a term that occurs in a single entry.
func (ix *index) maxIDF() float64 {
	idf := math.Log(1 + (float64(ix.n)-0.5)/1.5)
	if ix.m.idfPow != 0 {
		idf = math.Pow(idf, ix.m.idfPow)
	}
	return idf
}

// scoreTopProduct is scoreTop under method.product (an experiment): a
// product term's contribution counts productWeight, in every entry or,
// with productGate, in a product entry whose other head terms the mail
// does not have.
func (ix *index) scoreTopProduct(q []qterm, k int) []scored {
	score := make([]float64, ix.n)
	prod := make([]float64, ix.n)
	hit := make([]bool, ix.n)
	seen := make([]bool, ix.n)
	for _, t := range q {
		if t.id < 0 {
			continue
		}
		idf := ix.idf[t.id] * t.weight
		for i, p := range ix.postings[t.id] {
			seen[p.doc] = true
			x := idf * float64(p.w)
			if ix.productTerm[t.id] {
				prod[p.doc] += x
				continue
			}
			score[p.doc] += x
			if ix.head[t.id][i] {
				hit[p.doc] = true
			}
		}
	}
	var out []scored
	for d := range ix.n {
		if !seen[d] {
			continue
		}
		g := ix.m.productWeight
		if ix.m.productGate && (!ix.productEntry[d] || hit[d]) {
			g = 1
		}
		if s := score[d] + g*prod[d]; s > 0 {
			out = append(out, scored{int32(d), s, 0})
		}
	}
	sort.Slice(out, func(i, j int) bool { return better(out[i], out[j]) })
	if len(out) > k {
		out = out[:k]
	}
	return out
}
