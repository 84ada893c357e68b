package faq

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/frontdesk-mail/frontdesk/message"
)

// The mail side of ranking: which words of a mail are the customer's
// question, and whether the mail asks anything at all.

// replyPrefix matches the reply/forward markers and ticket tags that mail
// clients and ticket systems put in front of a subject.
var replyPrefix = regexp.MustCompile(`(?i)^\s*((re|aw|sv|fw|fwd|回复|回覆|答复|转发|轉寄|轉發)\s*[:：]\s*|\[[A-Z]+-\d+\]\s*)+`)

// mobileSig matches the one-line signatures phones and webmail append.
var mobileSig = newLineStart(message.PhoneSignaturePrefixes(), nil, message.PhoneSignatureExpr)

// legalFooter matches the first line of the disclaimers companies append.
var legalFooter = newLineStart(message.LegalFooterPrefixes(), nil, message.LegalFooterExpr)

// signOff matches a closing line, alone or with the writer's name after a
// comma ("Thanks, Priya"): everything after it is the signature.
var signOff = newLineStart([]string{"thank", "thx", "many thanks", "cheers", "regards", "best", "kind regards", "warm regards", "all the best", "sincerely", "yours ", "br", "谢谢", "多谢", "感谢", "唔该", "唔該", "敬祝", "此致", "祝好", "顺颂商祺"}, nil, `(?i)^(thanks|thank you|many thanks|thanks so much|thanks a lot|thx|cheers|regards|best|best regards|kind regards|warm regards|best wishes|all the best|sincerely|yours sincerely|yours faithfully|yours truly|br|谢谢|多谢|感谢|唔该|唔該|唔该晒|唔該晒|敬祝|此致|祝好|顺颂商祺)([\s,.!，。！~～]*|(?-i:,\s*\p{Lu}[\p{L}'.-]*(\s\p{Lu}[\p{L}'.-]*)?[\s.!]*))$`)

// salutation matches an opening line such as "Hi team," or "您好：".
var salutation = newLineStart([]string{"hi", "hello", "hey", "dear", "good ", "to whom it may concern", "你好", "您好", "客服"}, []string{"你好", "您好"}, `(?i)^(hi|hello|hey|dear|good (morning|afternoon|evening)|to whom it may concern|你好|您好|客服你好|客服您好|hi there)\b.{0,60}$|^[^\s]{0,12}(你好|您好)[\s,，:：!！]*$`)

// lineStart is a regexp anchored at the start of a line, with the
// literal beginnings of its alternatives (matched in any case, as its
// (?i) does) and words whose presence lets a match start anywhere else: a
// line that begins with none of them and has none of the words cannot
// match, and the regexp is not run. customerText asks four of them of
// every line of a mail, and the backtracker costs about a microsecond a
// line whether or not it matches: most of reading a 4 KB mail, before.
type lineStart struct {
	re       *regexp.Regexp
	prefixes []string
	words    []string
	// firsts holds the first rune of every prefix and the runes that
	// fold to it: a line whose first rune is none of them begins with no
	// prefix, which most lines of a mail show without trying each.
	firsts map[rune]bool
}

// newLineStart compiles expr; prefixes are what every match starts with
// (one of them, lower case), words what an alternative that can start
// with anything must contain.
func newLineStart(prefixes, words []string, expr string) *lineStart {
	l := &lineStart{re: regexp.MustCompile(expr), prefixes: prefixes, words: words, firsts: map[rune]bool{}}
	for _, p := range prefixes {
		r, _ := utf8.DecodeRuneInString(p)
		l.firsts[r] = true
		for c := unicode.SimpleFold(r); c != r; c = unicode.SimpleFold(c) {
			l.firsts[c] = true
		}
	}
	return l
}

// MatchString is the regexp's MatchString.
func (l *lineStart) MatchString(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	if !(l.firsts[r] && slices.ContainsFunc(l.prefixes, func(p string) bool { return hasFoldPrefix(s, p) })) &&
		!slices.ContainsFunc(l.words, func(w string) bool { return strings.Contains(s, w) }) {
		return false
	}
	return l.re.MatchString(s)
}

// hasFoldPrefix reports whether s begins with p under Unicode simple case
// folding (what a regexp's (?i) matches: "ſent" begins with "sent").
func hasFoldPrefix(s, p string) bool {
	for _, pr := range p {
		if s == "" {
			return false
		}
		r, n := rune(s[0]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s)
		}
		if r != pr && !foldEq(r, pr) {
			return false
		}
		s = s[n:]
	}
	return true
}

// foldEq reports whether a and b are in one case-folding orbit, the
// common cases (ASCII, Han) without unicode.SimpleFold's table search.
func foldEq(a, b rune) bool {
	switch {
	case a < utf8.RuneSelf && b < utf8.RuneSelf:
		return a|0x20 == b|0x20 && a|0x20 >= 'a' && a|0x20 <= 'z'
	case b < utf8.RuneSelf:
		return slices.Contains(asciiOrbits[b], a)
	case a < utf8.RuneSelf:
		return slices.Contains(asciiOrbits[a], b)
	case isHan(a) || isHan(b):
		return false // Han has no case
	}
	for c := unicode.SimpleFold(a); c != a; c = unicode.SimpleFold(c) {
		if c == b {
			return true
		}
	}
	return false
}

// asciiOrbits are the runes beyond ASCII that fold to each ASCII one
// (K, the Kelvin sign, to k; ſ to s).
var asciiOrbits = func() (o [utf8.RuneSelf][]rune) {
	for r := rune(0); r < utf8.RuneSelf; r++ {
		for c := unicode.SimpleFold(r); c != r; c = unicode.SimpleFold(c) {
			if c >= utf8.RuneSelf {
				o[r] = append(o[r], c)
			}
		}
	}
	return o
}()

// customerText returns the customer's own words: the fresh body without the
// salutation, the closing and everything after it, phone signatures and
// legal footers. It stops once it has limit bytes, all a caller that keeps
// the first limit bytes reads: a 256 KB mail is not read line by line to
// the end for the 16 KB that are ranked.
func customerText(m *message.Message, limit int) string {
	var b strings.Builder
	// each piece the sender wrote (message.Message.FreshParts: the text
	// above the history, their own mail quoted or forwarded) has its own
	// salutation and closing
	for _, part := range m.FreshParts() {
		content := 0
		for rest := part; rest != "" && b.Len() < limit; {
			var l string
			l, rest, _ = strings.Cut(rest, "\n")
			t := strings.TrimSpace(l)
			if t == "" {
				continue
			}
			// a line's beginning is read without html2text's *bold*
			// (Outlook writes its disclaimers' headings in bold)
			u := message.Unbold(t)
			if mobileSig.MatchString(u) || legalFooter.MatchString(u) || strings.Trim(t, "_-=*") == "" {
				break
			}
			if content > 0 && signOff.MatchString(u) {
				break
			}
			if content == 0 && salutation.MatchString(u) && utf8.RuneCountInString(u) <= 40 {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(t)
			content++
		}
	}
	return b.String()
}

// subjectOf strips reply prefixes and ticket tags. It also reports whether
// the mail is a reply: then the subject is usually our own earlier one.
func subjectOf(m *message.Message) (string, bool) {
	s := replyPrefix.ReplaceAllString(m.Subject, "")
	return strings.TrimSpace(s), s != m.Subject
}

// Markers of a question or a request. They are deliberately broad: a mail
// that asks anything at all should be answered with links when the catalog
// covers it; these only rule out mails that ask nothing.
var (
	questionMark = newLiterals("?", "？")
	askEN        = newPhrases(
		cross(words("could can would will"), words("you u someone somebody i we")),
		cross(words("may might"), words("i"), words("know ask")),
		// "please" before a verb of request is explicit; before any other
		// word but a set phrase it still asks (pleaseAsks)
		cross(words("please"), []string{"", "also", "kindly", "urgently"}, pleaseVerbs),
		words("kindly wondering"),
		cross(words("i"), []string{"would like", "want", "need", "request", "wish"}, words("to")),
		[]string{"i request", "let me know"},
		// the conditional of wanting, English's polite request with or
		// without an infinitive ("I'd like the extra one back", "I would
		// appreciate a call"); split at the apostrophe, as words are
		cross([]string{"i d", "i would", "we d", "we would"}, words("like appreciate prefer")),
		cross(words("how what when where which why"), words("do does can should is are will long much many")),
		cross(words("any"), words("idea ideas advice help suggestion suggestions")),
	)
	pleaseVerbs = words("help advise let tell send refund cancel change issue check confirm delete remove stop arrange explain provide contact reply fix update reset call")
	// askZHStrong are the Chinese markers that are requests in any
	// context; 怎么 or 什么 also occur in statements ("she showed me how").
	// The Chinese cues are plain words: a substring test per word is
	// several times faster than a regexp alternation on the hot path
	// (every sentence of every mail).
	askZHStrong = newLiterals("请问", "請問", "能不能", "可不可以", "可唔可以", "能否", "可否", "希望可以", "请帮", "請幫", "能帮我", "能幫我", "可以帮我", "可以幫我", "想问", "想問", "想了解", "想知道", "想咨询", "想諮詢")
	// trouble is 麻烦, "may I trouble you (to)", an explicit request
	// unless it is the set phrase 麻烦了, 麻烦你(们)了, 麻烦您了 (troubleAsks):
	// thanks in advance or for trouble taken, which ends a report ("快递
	// 一周还没到，麻烦你们了": linked, as a report) as often as a mail that
	// takes its request back ("找到了，不好意思麻烦你们了": not linked, as
	// a retraction), so it is neither a request nor thanks.
	trouble = []string{"麻烦", "麻煩"}
	// helpMe is "help me/us", a request where it begins a clause (the
	// imperative: "帮我查一下"); after an adverb or a subject it tells what
	// someone did ("师傅顺手帮我们换了垫片"), which asks nothing.
	helpMe = []string{"帮我", "幫我"}
	askZH  = newLiterals("吗", "嗎", "呢", "请问", "請問", "怎么", "怎麼", "如何", "什么", "甚麼", "什麼", "多久", "几天", "幾天", "多少", "能不能", "可不可以", "可以吗", "有没有", "有沒有", "是否", "是不是", "麻烦", "麻煩", "请帮", "請幫", "帮我", "幫我", "希望可以", "想问", "想問", "想了解", "想知道", "想咨询", "想諮詢", "想申请", "想申請", "係咪", "係唔係", "點樣", "點解", "可唔可以", "使唔使", "有冇", "幾時", "咩", "能否", "要不要", "需不需要")
)

// troubleAsks reports whether s has 麻烦 (trouble) other than in the set
// phrase of thanks for trouble taken (麻烦了, 麻烦你了, 麻烦你们了, 麻烦您了).
func troubleAsks(s string) bool {
	for _, w := range trouble {
		for rest := s; ; {
			i := strings.Index(rest, w)
			if i < 0 {
				break
			}
			rest = rest[i+len(w):]
			after := rest
			for _, who := range []string{"你们", "你們", "你", "您"} {
				if strings.HasPrefix(after, who) {
					after = after[len(who):]
					break
				}
			}
			if !strings.HasPrefix(after, "了") {
				return true
			}
		}
	}
	return false
}

// clauseInitial reports whether one of ws begins a clause of s that
// asks: at its start or after anything but a letter or a digit
// (punctuation, a space, a line break), with spaces and the polite
// openings a request begins with (politeOpenings: 你好, 您好, 你们, 您,
// 客服) allowed between, and not in the perfective (perfective: a
// Chinese clause without a subject may begin with the verb and tell what
// someone did).
func clauseInitial(s string, ws []string) bool {
	for _, w := range ws {
		for off := 0; ; {
			i := strings.Index(s[off:], w)
			if i < 0 {
				break
			}
			at := off + i
			if clauseStart(s[:at]) && !perfective(s[at+len(w):]) {
				return true
			}
			off = at + len(w)
		}
	}
	return false
}

// imperativeVerbs are the verbs of a request (pleaseVerbs without those
// that as often begin a sentence as nouns: "Issue with…", "Update:",
// "Refund still not received", "Change of address", "Reply to…", "Call
// log"), with take, give and show: a sentence that begins with one of
// them, bare, is an imperative ("Stop sending me texts.", "Cancel my
// order.").
var imperativeVerbs = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range words("help advise let tell send cancel check confirm delete remove stop arrange explain provide contact fix reset take give show") {
		m[w] = true
	}
	return m
}()

// imperative reports whether a sentence of text begins with a verb of
// request (imperativeVerbs), after "please", "just", "kindly", "so" or
// "and" if any.
func imperative(text string) bool {
	for sent := range sentences(text) {
		for w := range firstWords(sent) {
			if imperativeVerbs[w] {
				return true
			}
			if w != "please" && w != "just" && w != "kindly" && w != "so" && w != "and" {
				break
			}
		}
	}
	return false
}

// pleaseSetPhrases are the words after "please" in the set phrases that
// ask nothing of the reader: of an attachment or a footer ("please find
// attached", "please see below", "please note", "please consider the
// environment"), of an autoresponder ("please do not reply") and of a
// pitch's closing ("please feel free", "please don't hesitate").
var pleaseSetPhrases = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range words("find see note consider do don feel accept be ignore disregard forgive excuse refer") {
		m[w] = true
	}
	return m
}()

// pleaseAsks reports whether text has "please" (Please, PLEASE) before a word
// that is not one of pleaseSetPhrases, after "also", "kindly", "just" or
// "urgently" if any: English's marker of a request, whatever its verb
// ("please handle this", "could you please…").
func pleaseAsks(text string) bool {
	for off := 0; ; {
		k := strings.Index(text[off:], "lease")
		if k2 := strings.Index(text[off:], "LEASE"); k2 >= 0 && (k < 0 || k2 < k) {
			k = k2
		}
		if k < 0 {
			return false
		}
		at := off + k
		off = at + len("lease")
		if at == 0 || text[at-1]|0x20 != 'p' || at >= 2 && isWordByte(text[at-2]) || off < len(text) && isWordByte(text[off]) {
			continue
		}
		for w := range firstWords(text[off:]) {
			if w == "also" || w == "kindly" || w == "just" || w == "urgently" {
				continue
			}
			if !pleaseSetPhrases[w] {
				return true
			}
			break
		}
	}
}

// auxiliaries are the English verbs that begin a question by changing
// places with its subject ("Can that be sorted before it ships",
// "Is there a charger for it"): a sentence that begins with one,
// capitalised and followed by a word, asks whether it ends with a
// question mark or not (inverted).
var auxiliaries = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range words("Can Could Would Will Is Are Do Does Did Should Shall May Might Was Were") {
		m[w] = true
	}
	return m
}()

// inverted reports whether a sentence of text is a question by English
// word order (auxiliaries): its first word an auxiliary written with a
// capital, as a sentence begins (a line of a wrapped paragraph that
// begins "will not turn on" continues a sentence), then a space and a
// lower-case word or "I" — not "Do not …", a closing formula
// ("Do not hesitate to contact me"), and not a name ("May 5", "Will
// Chen").
func inverted(text string) bool {
	for sent := range sentences(text) {
		s := strings.TrimLeft(sent, " \t\"'")
		i := 0
		for i < len(s) && s[i]|0x20 >= 'a' && s[i]|0x20 <= 'z' {
			i++
		}
		if i == 0 || !auxiliaries[s[:i]] || i+2 > len(s) || s[i] != ' ' {
			continue
		}
		next := s[i+1:]
		if next[0] >= 'a' && next[0] <= 'z' && !strings.HasPrefix(next, "not ") || next[0] == 'I' && (len(next) == 1 || next[1] == ' ') {
			return true
		}
	}
	return false
}

// firstWords yields the words at the start of s, lower case (ASCII
// letters; anything else ends a word, and a word is at most 16 bytes),
// until something other than a space or a quotation mark stands between
// two words.
func firstWords(s string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		var buf [16]byte
		i := 0
		for {
			for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '"' || s[i] == '\'' || s[i] == '\n' || s[i] == '\r') {
				i++
			}
			j := i
			for j < len(s) && (s[j]|0x20 >= 'a' && s[j]|0x20 <= 'z') {
				j++
			}
			if j == i || j-i > len(buf) || j < len(s) && isWordByte(s[j]) {
				return
			}
			w := buf[:0]
			for k := i; k < j; k++ {
				w = append(w, s[k]|0x20)
			}
			if !yield(string(w)) {
				return
			}
			i = j
		}
	}
}

// perfective reports whether the clause s begins with has the
// perfective aspect markers 了 or 过 (過): it tells what was done
// ("帮我们把旧的也拆了"), it does not ask for it. The clause ends at the
// next punctuation mark or line break.
func perfective(s string) bool {
	for _, r := range s {
		switch {
		case r == '了' || r == '过' || r == '過':
			return true
		case unicode.IsPunct(r) || r == '\n':
			return false
		}
	}
	return false
}

// politeOpenings may stand between a clause's start and its verb.
var politeOpenings = []string{"你好", "您好", "你们", "您", "客服"}

// clauseStart reports whether what follows before begins a clause.
func clauseStart(before string) bool {
	for {
		t := strings.TrimRightFunc(before, unicode.IsSpace)
		for _, p := range politeOpenings {
			t = strings.TrimSuffix(t, p)
		}
		if t == before {
			break
		}
		before = t
	}
	r, _ := utf8.DecodeLastRuneInString(before)
	return before == "" || !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// Markers of a fault report. A customer who writes "the light does not
// come on" is asking for help as surely as one who adds "what should I
// do?": a report of something that does not work counts as a request. The
// cues are general English and Chinese (including Cantonese) ways of saying
// that something fails — negated auxiliaries, failure words, and the words
// of goods that arrive damaged, incomplete or wrong (the vocabulary of the
// catalog's damaged-on-arrival and exchange entries is the same) — not
// words of any labelled mail.
var reportMark = marks{
	newPhrases(
		cross(words("does did do is was are were will would could has have had can"), words("not")),
		words("doesn didn isn wasn aren won cannot stopped broken faulty fails failed failing malfunction malfunctioning leaking leaks stuck dead"),
		[]string{"no longer", "not working"},
		// the rest of English's negated auxiliaries (a closed class;
		// matched on folded text, where "can't" is "can t"), the
		// negative adverb "never" and the adverbs of "almost not"
		words("don hasn haven hadn weren couldn wouldn"),
		[]string{"can t", "never"},
		words("barely hardly scarcely"),
		// the signs of a fault one sees, smells or hears: water where it
		// should not be, smoke, burning, heat, a tripped fuse, rust, mould
		words("wet soaked dripping drips smoke smoking sparks sparking overheating overheats overheated tripped rusty rusted mould mouldy mold moldy beeping beeps"),
		[]string{"burning smell", "smells burnt", "smell of burning"},
		// what arrives wrong is a fault too: damage, missing parts, the
		// wrong item
		words("damage damaged crack cracks cracked dent dents dented smashed shattered scratch scratches scratched defect defects defective missing"),
		// an error, or an error code shown
		words("error errors"),
		[]string{"wrong item", "wrong colour", "wrong color", "wrong model", "not in the box"},
	),
	newLiterals(append(codeShown(), "破损", "破損", "损坏", "損壞", "摔坏", "摔壞", "裂了", "裂开", "裂開", "开裂", "開裂", "裂痕", "碎了", "磕碰", "凹陷", "划痕", "劃痕", "缺件", "少件", "缺配件", "发错", "發錯", "寄错", "寄錯",
		// "not (yet)" with a verb of arriving or receiving, and the
		// aspect adverbs of "still not" (还没, 仍未, 一直没 …)
		"没到", "沒到", "没收到", "沒收到", "未收到", "收不到", "还没", "還沒", "还未", "還未", "仍未", "尚未", "一直没", "一直沒", "还是没", "還是沒", "几乎没", "幾乎沒",
		// the signs of a fault (matched on folded text, so written once,
		// in Simplified)
		"湿了", "湿透", "进水", "渗水", "滴水", "冒烟", "烧焦", "焦味", "糊味", "异味", "异响", "嘀嘀响", "滴滴响", "响个不停", "一直响", "报警", "发烫", "过热", "跳闸", "生锈", "发霉",
		"坏了", "壞了", "坏掉", "壞掉", "故障", "失败", "失敗", "报错", "報錯", "错误", "錯誤", "漏水", "不工作", "不能", "不了", "不亮", "不热", "不熱", "没反应", "沒反應", "冇反應", "冇反应", "无法", "無法", "没法", "沒法", "唔得", "唔到", "唔work", "死机", "死機", "卡住", "卡在", "老是", "动不动", "停机", "停機", "不动", "不動", "不转", "不轉", "没电", "沒電", "冇電", "充不进", "充不進")...),
}

// codeShown is a code shown on a display: 显示, 出现, 跳 or 报 followed by
// a letter (显示E1, 跳E3; on folded text, lower case).
func codeShown() []string {
	var out []string
	for _, v := range []string{"显示", "出现", "跳", "报"} {
		for c := 'a'; c <= 'z'; c++ {
			out = append(out, v+string(c))
		}
	}
	return out
}

// absentFromBox reports whether folded text says that something was not
// in what was delivered: "no" up to three words before "in the box" (or
// the package, parcel, carton, delivery: "there's no faucet in the box",
// "no power cord in the package"), or 箱子里/盒子里/包装里/包裹里 followed
// by 没有 — a part missing on arrival, told without the word "missing".
// The words are English's and Chinese's closed class of containers a
// delivery comes in.
func absentFromBox(folded string) bool {
	for _, box := range [...]string{" in the box", " in the package", " in the parcel", " in the carton", " in the delivery"} {
		for s, off := folded, 0; ; {
			i := strings.Index(s[off:], box)
			if i < 0 {
				break
			}
			i += off
			w := strings.Fields(s[max(0, i-40):i])
			if len(w) > 4 {
				w = w[len(w)-4:]
			}
			for _, x := range w[:max(0, len(w)-1)] {
				if x == "no" {
					return true
				}
			}
			off = i + len(box)
		}
	}
	for _, box := range [...]string{"箱子里没有", "盒子里没有", "包装里没有", "包裹里没有", "箱里没有", "盒里没有"} {
		if strings.Contains(folded, box) {
			return true
		}
	}
	return false
}

// keepsDoing reports whether folded text has "keeps" or "kept" before a
// verb in -ing ("keeps switching itself off", "kept beeping"): the
// habitual aspect English tells a recurring fault with. "Keep" alone is
// not enough ("how do I keep it clean?").
func keepsDoing(folded string) bool {
	for rest := folded; ; {
		i := strings.Index(rest, "ke")
		if i < 0 {
			return false
		}
		w := rest[i:]
		rest = rest[i+2:]
		if i > 0 && isWordByte(folded[len(folded)-len(w)-1]) {
			continue
		}
		var n int
		switch {
		case strings.HasPrefix(w, "keeps "):
			n = len("keeps ")
		case strings.HasPrefix(w, "kept "):
			n = len("kept ")
		default:
			continue
		}
		j := n
		for j < len(w) && w[j] >= 'a' && w[j] <= 'z' {
			j++
		}
		if j-n > 4 && strings.HasSuffix(w[n:j], "ing") && (j == len(w) || !isWordByte(w[j])) {
			return true
		}
	}
}

// Markers of mails that, even when they mention products or services, are
// not customers asking the help centre something: thanks and praise, job
// applications, press and marketing pitches, complaints about people. When
// one is present, an entry must score higher to be linked (pitchFactor).
var (
	thanksMark = marks{newPhrases([]string{"thank you", "thanks", "grateful", "appreciate", "praise", "compliment", "compliments", "kudos", "great job", "excellent service"}), newLiterals("谢谢", "謝謝", "感谢", "感謝", "多谢", "多謝", "谢意", "謝意", "感激", "致谢", "致謝", "表扬", "表揚", "称赞", "稱讚", "点赞", "點讚", "好评", "好評")}
	pitchMark  = marks{newPhrases(words("reporter journalist editor collaboration sponsorship influencer kol koc mcn cooperation"), []string{"interview request", "request an interview", "feature about", "feature on", "media enquiry", "partnership proposal", "hiring manager", "curriculum vitae", "my cv", "my resume", "application for", "position of", "job opening", "rate card", "case studies", "we manufacture", "we supply", "oem", "odm",
		"seo", "organic traffic", "search rankings", "free audit", "lead generation", "backlinks", "digital marketing", "marketing agency",
		// the conventions of a cold sales mail: a short call offered, a
		// client's case study, the recipient's peers, the opt-out line
		"case study", "quick call", "short call", "minute call", "book a call", "hop on a call", "reply stop",
		"brands like yours", "companies like yours", "businesses like yours", "brands your size"}), newLiterals("供应商", "供應商", "代工", "记者", "記者", "采访", "採訪", "合作邀约", "合作邀約", "商务合作", "商務合作", "品牌合作", "种草", "種草", "达人", "達人", "求职", "求職", "应聘", "應徵", "简历", "簡歷")}
	complaintMark = marks{newPhrases(words("complain complaint disgusted disgusting pathetic unacceptable appalling rude useless"), []string{"terrible service", "worst service"}), newLiterals("投诉", "投訴", "态度差", "態度差", "态度问题", "態度問題", "太差了", "气死", "氣死")}
)

// foreignMark: the product the mail is about is another maker's. The
// catalog answers for the shop's own products, so such a mail gets no link
// however well its words match ("my air conditioner is another brand's,
// can your technician repair it?"). The cues are the general ways of
// saying that a thing is of another make, in the possessive or
// attributive form (another brand's, 别的牌子的) rather than the plural of
// a comparison ("quieter than other brands"), matched on folded text.
var foreignMark = marks{
	newPhrases(cross(words("another other different"), words("brand make manufacturer"), words("s")),
		cross(words("of from by"), words("another"), words("brand make manufacturer")),
		cross(words("of from by"), words("a"), words("different other"), words("brand make manufacturer")),
		cross(words("not"), []string{"your brand", "one of yours", "one of your products", "your product", "made by you"}),
		cross(words("isn wasn"), words("t"), []string{"your brand", "one of yours", "your product", "made by you"}),
	),
	newLiterals(append([]string{"别的牌子的", "其他牌子的", "其它牌子的", "别的品牌的", "其他品牌的", "其它品牌的", "不是你们的产品", "不是你们家的", "不是你们公司的产品"},
		notYourBrand()...)...),
}

// notYourBrand is 不是你们…牌子/品牌, "not your brand", with what may stand
// between (的, 这个, 家, 家的): on folded text, Traditional is Simplified.
func notYourBrand() []string {
	var out []string
	for _, mid := range []string{"", "的", "这个", "这", "家", "家的"} {
		for _, noun := range []string{"牌子", "品牌"} {
			out = append(out, "不是你们"+mid+noun)
		}
	}
	return out
}

// yoursMark names the shop's own product as the customer's ("your
// kettle", "it is yours", 你们的电水壶, 是你们的): the possessive "your" or
// 你们(家)的 with one of the general appliance names (productNames), or
// "is yours"/是你们的, matched on folded text. See yoursFaulty.
var yoursMark = marks{
	newPhrases(cross(words("your"), productNamesEN()),
		[]string{"is yours", "it s yours", "is one of yours", "bought from you", "bought it from you", "purchased from you"}),
	newLiterals(append(zhPossessed(productNamesZH()), "是你们的", "是你们家的", "在你们这买", "在你们家买", "从你们这买")...),
}

// yoursFaulty reports whether a sentence of folded text reports a fault
// (reportMark) of the shop's own product (yoursMark): "I switched from
// another brand's kettle. Now your kettle leaks." is about ours, though
// it names another maker's, while "my air conditioner is another brand's
// … I bought your purifier before" is about the other maker's.
func yoursFaulty(folded string) bool {
	for sent := range sentences(folded) {
		if yoursMark.MatchString(sent) && reportMark.MatchString(sent) {
			return true
		}
	}
	return false
}

// zhPossessed returns 你们的 and 你们家的 before each of names.
func zhPossessed(names []string) []string {
	var out []string
	for _, n := range names {
		out = append(out, "你们的"+n, "你们家的"+n)
	}
	return out
}

// autoSubject matches the subjects autoresponders give their replies
// (Outlook, Exchange, Gmail, QQ and 163 mail, in English and Chinese).
var autoSubject = regexp.MustCompile(`(?i)^\s*(automatic reply|auto(matic)?[- ]?reply|auto:|out of (the )?office|ooo\b|autoreply|自动回复|自動回覆|自動回复|自动答复|自動答覆)`)

// autoReply reports whether m was sent by an autoresponder (RFC 3834's
// Auto-Submitted, the X-Autoreply and X-Autorespond headers, Precedence:
// auto_reply, or an autoresponder's subject): it asks nothing of anyone.
func autoReply(m *message.Message) bool {
	for _, v := range m.Header("Auto-Submitted") {
		if v = strings.ToLower(strings.TrimSpace(v)); v != "" && v != "no" {
			return true
		}
	}
	if len(m.Header("X-Autoreply")) > 0 || len(m.Header("X-Autorespond")) > 0 {
		return true
	}
	for _, v := range m.Header("Precedence") {
		if strings.EqualFold(strings.TrimSpace(v), "auto_reply") {
			return true
		}
	}
	return autoSubject.MatchString(m.Subject)
}

// intent summarises what a mail does.
type intent struct {
	asks      bool // a question, a request or a fault report somewhere
	explicit  bool // a question mark or an unambiguous request
	report    bool // a report of something that does not work or has not happened
	foreign   bool // about another maker's product (foreignMark)
	retract   bool // takes back an earlier request (retractMark)
	thanks    bool // gratitude or praise expressed in the body (not a closing "Thanks,")
	pitch     bool // job application, press or marketing pitch
	complaint bool
	// prospective: the mail asks before buying (buyMark) and says nothing
	// of a product or order the customer already has (ownMark).
	prospective bool
	// kinds are the kinds of mail it is (mailKinds): a proposal of a
	// job, coverage or marketing, distribution, or a charge gone wrong.
	// Topics reads it by the entries of those kinds.
	kinds mailKind
	// wayIn: a mail of a kind that asks the way in and offers nothing
	// (asksWayIn): what its kind's entry answers.
	wayIn bool
	// owned: the mail says the customer has the product or an order
	// (ownMark); Topics reads it (an owner's report is after-sale).
	owned bool
	// against is what learned examples that needed no link add to the
	// linking bar (knnParams.noLink); not a cue of the mail's own words.
	against float64
}

func mailIntent(subject, body string) intent {
	all := subject + "\n" + body
	a := textCues.match(all)
	has := func(bit int) bool { return a&(1<<bit) != 0 }
	question, askEn := has(cueQuestion), has(cueAskEN)
	// the body's wrapped lines join, not the subject to the body
	folded := foldText(all)
	folded = joinHanWraps(folded, strings.IndexByte(folded, '\n')+1)
	f := foldedCues.match(maskANotA(folded))
	report := f&(1<<cueReport) != 0 || keepsDoing(folded) || absentFromBox(folded)
	thanks := has(cueThanks) && thanksMark.MatchString(body) // found in all, then in body alone
	explicit := question || askEn || has(cueAskZHStrong) || clauseInitial(all, helpMe) || troubleAsks(all)
	if explicit && thanks && f&(1<<cueRelay) != 0 {
		explicit = explicitBesides(all, relayMark)
	}
	kinds, wayIn := kindReading(folded)
	return intent{
		asks:        (explicit || inverted(body) || pleaseAsks(all) || has(cueAskZH) || report || imperative(body)) && f&(1<<cueAuto) == 0,
		report:      report,
		foreign:     f&(1<<cueForeign) != 0 && !yoursFaulty(folded),
		retract:     f&(1<<cueRetract) != 0,
		explicit:    explicit,
		thanks:      thanks,
		pitch:       has(cuePitch),
		complaint:   has(cueComplaint),
		prospective: !has(cuePitch) && f&(1<<cueBuy) != 0 && f&(1<<cueOwn) == 0,
		kinds:       kinds,
		wayIn:       wayIn,
		owned:       f&(1<<cueOwn) != 0,
	}
}

// joinHanWraps removes the line breaks of folded text after byte from
// that stand between two Han characters: Chinese puts no space between
// words, so a line that mail wraps inside a sentence or a word
// ("请勿直接⏎回复") is joined as it was written, for the cues read on
// it. (English phrases cross a line break by themselves: sepLen.) It
// copies the text only when it joins something.
func joinHanWraps(folded string, from int) string {
	var b []byte
	last := 0 // folded[last:i] is not yet copied to b
	for i := from; i < len(folded); {
		k := strings.IndexByte(folded[i:], '\n')
		if k < 0 {
			break
		}
		i += k
		start, end := i, i+1
		if start > 0 && folded[start-1] == '\r' {
			start--
		}
		for end < len(folded) && folded[end] == '\r' {
			end++
		}
		before, _ := utf8.DecodeLastRuneInString(folded[:start])
		after, _ := utf8.DecodeRuneInString(folded[end:])
		if isHan(before) && isHan(after) {
			if b == nil {
				b = make([]byte, 0, len(folded))
			}
			b = append(b, folded[last:start]...)
			last = end
		}
		i = end
	}
	if b == nil {
		return folded
	}
	return string(append(b, folded[last:]...))
}

// maskANotA blanks Chinese's A-not-A questions (能不能 "can or
// cannot", 会不会, 是不是, 有没有, Cantonese 得唔得, 有冇; the verb, a
// negation 不 没 沒 唔 冇, the verb again) in folded text, for the cues
// read on it: the negation in them asks, it does not report
// ("能不能把报告发我" is no fault, where "不能开机" is), and so is
// Cantonese 有冇 ("有冇電?" asks). The form is
// Chinese grammar's, for any verb; the question cues read the mail
// unmasked.
func maskANotA(folded string) string {
	// the spans to blank, found from each negation's occurrences (one
	// strings.Index each: most text has none, and strings.IndexAny
	// decodes every rune)
	var spans [][2]int
	for _, neg := range [...]string{"不", "没", "沒", "唔", "冇"} {
		for off := 0; ; {
			k := strings.Index(folded[off:], neg)
			if k < 0 {
				break
			}
			p := off + k
			off = p + len(neg)
			r, m := utf8.DecodeLastRuneInString(folded[:p])
			if r == '有' && neg == "冇" { // Cantonese "have or not"
				spans = append(spans, [2]int{p - m, off})
			} else if r2, m2 := utf8.DecodeRuneInString(folded[off:]); r >= 0x3400 && r != utf8.RuneError && r == r2 && string(r) != neg {
				spans = append(spans, [2]int{p - m, off + m2})
			}
		}
	}
	if spans == nil {
		return folded
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	b := make([]byte, 0, len(folded))
	last := 0
	for _, sp := range spans {
		if sp[0] < last {
			continue // overlapping the one blanked before it
		}
		b = append(append(b, folded[last:sp[0]]...), ' ')
		last = sp[1]
	}
	return string(append(b, folded[last:]...))
}

// relayMark: the mail asks to pass thanks or praise on to someone ("could
// you pass my thanks on to him?", "please let her manager know",
// 麻烦帮我转达谢意, 替我谢谢师傅): a request, but of the people, not of the
// help centre. In a thank-you note it does not count as asking
// explicitly (explicitBesides), so the note gets no link unless another
// sentence asks. General ways of relaying a message, matched on folded
// text.
var relayMark = marks{
	newPhrases(
		cross(words("pass"), []string{"on", "along", ""}, words("my our"), words("thanks gratitude compliments appreciation")),
		cross(words("pass"), words("this that it"), words("on along")),
		cross(words("convey forward relay give"), words("my our"), words("thanks gratitude compliments appreciation")),
		cross(words("let tell"), words("her his their"), words("manager supervisor boss team")),
	),
	newLiterals("转达", "转告", "帮我谢谢", "替我谢谢", "代我谢谢", "帮我感谢", "替我感谢", "代我感谢"),
}

// explicitBesides reports whether a sentence of text that does not match
// skip (on folded text) asks explicitly, as mailIntent's explicit reads
// a whole mail.
func explicitBesides(text string, skip marks) bool {
	for sent := range sentences(text) {
		if skip.MatchString(foldText(sent)) {
			continue
		}
		if questionMark.MatchString(sent) || askEN.MatchString(sent) || askZHStrong.MatchString(sent) || clauseInitial(sent, helpMe) || troubleAsks(sent) {
			return true
		}
	}
	return false
}

// The marks mailIntent reads in one pass over the mail's text (textCues)
// and one over its folded text (foldedCues), by their bits; the order of
// each group's marks is that of its constants.
const (
	cueQuestion = iota
	cueAskEN
	cueAskZH
	cueAskZHStrong
	cuePitch
	cueComplaint
	cueThanks
)

const (
	cueReport = iota
	cueForeign
	cueBuy
	cueOwn
	cueRetract
	cueAuto
	cueRelay
)

// retractMark: the customer takes back what an earlier mail asked ("never
// mind", "please ignore my last email", "found it", 不用查了, 找到了, 没事了):
// the general ways of withdrawing a request or saying the problem went
// away, matched on folded text. Such a mail, like thanks, gets no link
// unless it also asks something explicitly. "Works again" is not among
// them: "it works again for an hour, then stops" reports a fault.
var retractMark = marks{
	newPhrases([]string{"never mind", "nevermind", "please ignore", "please disregard", "ignore my", "disregard my",
		"found it", "no need to", "no longer need", "problem solved", "problem is solved", "all sorted", "sorted it", "sorted now",
		"figured it out", "managed to fix", "managed to solve",
		// the problem gone, said of now ("works fine now"; "works now"
		// alone also opens "works now and then")
		"works fine now", "working fine now", "works perfectly now", "working perfectly now", "works ok now", "working ok now",
		"all good now", "it s fixed now", "it is fixed now", "fixed itself"},
		// a mail written to be read, not answered ("I just wanted someone
		// there to know")
		cross(words("just only"), []string{"wanted", "want"}, []string{"you", "someone", "someone there", "somebody", "you all", "you guys", "your team"}, []string{"to know"})),
	newLiterals("不用查了", "不用了", "不用麻烦", "找到了", "没事了", "已经解决", "问题解决了", "已解决", "搞定了", "恢复正常了", "又好了", "请忽略", "请无视",
		"不用回复", "无需回复", "不需要回复"),
}

// autoBodyMark: the mail says of itself that a machine sent it or that
// its sender is away — what an autoresponder, a no-reply mailbox or a
// system's notice writes when its headers (Auto-Submitted, an
// auto-reply subject: autoReply) do not say so: "this is an automated
// message", "this mailbox is not monitored", "I am out of the office",
// 系统自动发送, 请勿直接回复, 正在休假. The phrases are in the first person
// or about "this" message, so that a customer telling of an absence ("I
// was out of the office when the courier came") or of another mail is
// not read as one. Matched on folded text; such a mail asks nothing of
// anyone, whatever its words say ("for questions about orders, please
// contact…").
var autoBodyMark = marks{
	newPhrases(
		cross([]string{"this is an"}, words("automatic automated automatically"), words("reply response message notice notification generated email mail confirmation acknowledgement acknowledgment receipt")),
		cross([]string{"this message", "this email", "this mail", "this notice"}, words("is was has been"), []string{"automatically generated", "generated automatically", "sent automatically", "automatically sent"}),
		cross([]string{"this mailbox", "this inbox", "this email address", "this address"}, words("is"), []string{"not monitored", "unmonitored", "not attended"}),
		cross([]string{"do not reply to this", "please do not reply to this"}, words("email mail message notice")),
		cross([]string{"i am", "i m", "i will be"}, []string{"", "currently"}, []string{"out of the office", "out of office", "away from the office", "on annual leave", "on leave until", "on holiday until", "on vacation until"}),
	),
	newLiterals("此邮件为自动回复", "这是一封自动回复", "本邮件为自动回复", "系统自动发送", "系统自动发出", "由系统自动", "请勿直接回复", "请勿回复此邮件", "请勿回复本邮件",
		"我正在休假", "我现在休假", "正在休假中", "休假中", "我不在办公室", "目前不在办公室"),
}

var (
	textCues   = newCueGroup(marks{zh: questionMark}, marks{en: askEN}, marks{zh: askZH}, marks{zh: askZHStrong}, pitchMark, complaintMark, thanksMark)
	foldedCues = newCueGroup(reportMark, foreignMark, buyMark, ownMark, retractMark, autoBodyMark, relayMark)
)

// Markers of a purchase not yet made, and of one already made. A customer
// who is "thinking of buying" a rice cooker and asks what its inner pot is
// made of asks a pre-sale question (sales'), although the words that
// decide the ranking are the inner pot's, which the rice cooker's
// troubleshooting entry (support's) has; the same words from someone whose
// rice cooker "stopped heating" are support's. They are general English
// and Chinese (Simplified; Traditional and Cantonese fold to it) ways of
// saying that one means to buy, asks before buying, which one to get,
// whether it is in stock, or for a quotation, or that one has bought,
// ordered, received or owns the product — general language knowledge of
// purchase intent, not words of any labelled mail. They are matched on
// the folded text (foldText): case, width, Traditional and Cantonese
// characters folded as the ranking folds them.
var (
	buyMark = marks{
		newPhrases(
			cross(words("thinking"), words("of about"), words("buying getting purchasing ordering")),
			cross(words("considering interested"), []string{"", "in"}, words("buying purchasing ordering")),
			cross(words("planning plan plans intend intending hoping looking going want wanted wanting like"), words("to"), words("buy purchase order")),
			cross(words("before"), []string{"", "i", "we"}, words("buy buying purchase purchasing order ordering")),
			cross(words("should"), words("i we"), words("buy choose order")),
			cross(words("which"), []string{"", "one", "model"}, words("should")),
			cross(words("where"), []string{"can i", "can we", "to", "do i", "could i"}, words("buy purchase")),
			[]string{"worth buying", "in stock", "out of stock", "back in stock", "a quote", "quotation"},
			// not bought yet
			cross([]string{"haven t", "hasn t", "have not", "has not", "not yet"}, []string{"", "yet"}, words("bought ordered purchased")),
			[]string{"not bought yet", "not yet bought", "yet to buy", "yet to order"},
		),
		newLiterals("想买", "想要买", "想购买", "想入手", "想订购", "想采购", "打算买", "打算购买", "打算入手", "准备买", "准备购买", "准备入手", "准备采购",
			"考虑买", "考虑购买", "考虑入手", "计划买", "计划购买", "购买前", "买之前", "下单前", "下单之前", "值得买吗", "值不值得买", "值得入手吗", "买哪",
			"选哪款", "选哪一款", "选哪台", "选哪个型号", "有没有货", "有货吗", "有现货", "还有货", "报价", "询价", "哪里买", "哪里可以买", "哪里能买",
			"在哪买", "边度买", "有没得卖",
			// not bought yet, and "buy one" with its classifier but no
			// aspect marker (买了一台 is bought)
			"还没买", "还未买", "尚未购买", "未购买", "没买", "还没下单"),
	}
	ownMark = marks{
		newPhrases(
			cross(words("i we"), []string{"", "ve", "have", "had", "just", "recently", "already"}, words("bought purchased ordered received")),
			cross(words("my our"), append(words("order orders unit purchase parcel package delivery"), productNamesEN()...)),
			cross(words("bought purchased"), words("it one this them")),
			cross(words("i we"), []string{"ve", "have"}, []string{"", "only"}, words("had used owned")),
			[]string{"had it", "had mine", "got mine", "using it", "been using", "i have both"},
			// a fault is reported of a product one has (the plainest of
			// reportMark's words: its negations also ask "will it not…")
			[]string{"stopped working", "not working", "doesn t work", "does not work", "isn t working", "is broken", "broken", "faulty",
				"won t turn on", "won t switch on"},
			[]string{"order number", "order no", "order id", "tracking number"},
		),
		newLiterals(append([]string{"买了", "购买了", "已经买", "已买", "已购", "订单", "单号", "下了单", "下单了", "收到", "到货", "签收", "用了",
			"坏了", "坏掉", "报错", "没反应", "死机", "不工作", "用不了", "开不了",
			// 是…买的, the focus construction of a purchase made ("是前年
			// 双十一买的", "在京东买的")
			"买的"},
			append(cross([]string{"我的", "我家的", "我家", "我们家", "我们家的", "家里的"}, productNamesZH()),
				// "my" is also said with a classifier: Cantonese 我部機,
				// 我個煲, 屋企部機; Mandarin 我那台, 家里那台
				"我部", "我个", "我台", "我那台", "我家那台", "家里那台", "屋企部", "屋企个")...)...),
	}
)

// transactionMark names the matters of buying and receiving a product
// rather than of the product itself: orders, delivery, shipping and
// customs, returns, exchanges and refunds, accounts and personal data,
// payment, invoices, coupons and prices — the routing policy's support
// categories other than product use, faults, repairs, warranty and
// installation, and finance's, in general English and Chinese words.
// An entry whose title or keywords have one of them and name no product
// (index.productSide) answers a buyer's logistics, which are the same
// before a purchase as after it: a delivery question from someone about
// to buy is still support's.
var transactionMark = marks{
	newPhrases(words("order orders ordering deliver delivery delivered shipping shipped courier parcel customs duty duties returns refund refunds account login password privacy address payment invoice coupon coupons price"),
		[]string{"log in", "return an", "return a", "return it", "personal data"}),
	newLiterals("订单", "下单", "配送", "发货", "运费", "快递", "物流", "关税", "清关", "退货", "换货", "退款", "账号", "登录", "密码", "隐私", "地址", "付款",
		"支付", "发票", "优惠", "价格"),
}

// productNamesEN and productNamesZH are productVocabulary's names in each
// language, as written (lower case, Simplified).
func productNamesEN() []string { return productNames(false) }
func productNamesZH() []string { return productNames(true) }

func productNames(han bool) []string {
	var out []string
	for _, line := range strings.Split(productVocabulary, "\n") {
		for _, w := range strings.Split(line, "|") {
			w = strings.TrimSpace(w)
			if r, _ := utf8.DecodeRuneInString(w); w != "" && isHan(r) == han {
				out = append(out, w)
			}
		}
	}
	return out
}

// prospective reports whether text asks before a purchase (buyMark) and
// says nothing of one made (ownMark): a pre-sale question.
func prospective(text string) bool { return prospectiveFolded(foldText(text)) }

// prospectiveFolded is prospective of text already folded (foldText).
func prospectiveFolded(f string) bool { return buyMark.MatchString(f) && !ownMark.MatchString(f) }

// foldText folds s as the ranking folds it (foldRune: NFKC, lower case,
// Cantonese and Traditional characters to Standard Simplified), with an
// apostrophe written as a space, so that the phrase "i ve had" meets
// "I've had" and "I’ve had".
func foldText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var tmp [8]rune
	for _, r := range s {
		if r == '\u2019' {
			r = ' '
		}
		if r < utf8.RuneSelf {
			if r == '\'' {
				r = ' '
			}
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		}
		if (r < unifiedFirst || r > unifiedLast) && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			b.WriteRune(r) // punctuation (，。“”): no cue has it, and NFKC would cost an allocation each
			continue
		}
		for _, c := range foldRune(tmp[:0], r) {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// literals matches when any of its words occurs in the text. It runs on
// every sentence of every mail, Chinese mostly, where one strings.Contains
// per word stops at nearly every character (the words' first bytes are the
// first bytes of most Han characters). Instead, one pass over the text
// tests each rune against a bitmap of the words' first runes, and only a
// rune that starts some word is looked at further.
type literals struct {
	first   [1 << 16 / 64]uint64 // bit r&0xFFFF: some word starts with r (or a rune sharing its low 16 bits)
	byFirst map[rune][]literal
}

// literal is a word of a literals set and the set it came from (a bit of
// a cueGroup; 1 in a set of its own).
type literal struct {
	w   string
	bit uint32
}

func newLiterals(words ...string) *literals {
	l := &literals{byFirst: map[rune][]literal{}}
	for _, w := range words {
		l.add(literal{w, 1})
	}
	return l
}

func (l *literals) add(w literal) {
	r, _ := utf8.DecodeRuneInString(w.w)
	l.first[(r&0xFFFF)>>6] |= 1 << (r & 63)
	l.byFirst[r] = append(l.byFirst[r], w)
}

// MatchString reports whether s contains one of the words.
func (l *literals) MatchString(s string) bool { return l.match(s, 1) != 0 }

// match returns the bits of the words s contains, looking no further once
// it has every bit of want.
func (l *literals) match(s string, want uint32) (got uint32) {
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if l.first[(r&0xFFFF)>>6]&(1<<(r&63)) != 0 {
			for _, w := range l.byFirst[r] {
				if w.bit&^got != 0 && strings.HasPrefix(s[i:], w.w) {
					if got |= w.bit; got&want == want {
						return got
					}
				}
			}
		}
		i += n
	}
	return got
}

// The English cues are lists of phrases matched as whole words, ignoring
// case, with spaces (and at most one line break: sepLen) between the
// words: what a regexp such as (?i)\b(could|can) (you|we)\b matches,
// found with one pass over the words of the text and a map lookup per
// word instead of a regexp automaton
// stepping through every byte (the cues run on every mail, several times).

// phrases is a set of English phrases keyed by their first word. first
// has bit wordBit(w) set for every first word w: most words of a mail
// start no phrase, and the bitmap, probed with a hash computed while the
// word is read, says so without a map lookup (with some 500 first words
// in 65,536 bits, one word in a hundred that starts none is looked up).
// A word that passes is looked up alone (one: the sets with a one-word
// phrase of it) and with the word after it (two: "my kettle", "please
// help", and the words after those): common first words such as "my",
// "i" and "please" begin dozens of phrases each, which one lookup of the
// pair replaces.
type phrases struct {
	m     map[string][]phraseTail // by first word, as added (cueGroup merges them)
	first [1 << 16 / 64]uint64
	one   map[string]uint32
	two   map[string][]phraseTail
}

// wordHash folds lower-case c into h, FNV-1a (start from fnvOffset).
func wordHash(h uint32, c byte) uint32 { return (h ^ uint32(c)) * 16777619 }

const fnvOffset = 2166136261

// wordBit is the bit of phrases.first a word of hash h sets.
func wordBit(h uint32) uint32 { return (h >> 16) ^ (h & 0xFFFF) }

// phraseTail is the words of a phrase after its first and the set it came
// from (a bit of a cueGroup; 1 in a set of its own).
type phraseTail struct {
	rest []string
	bit  uint32
}

// newPhrases builds the set from lists of phrases (lower case, words
// separated by one space).
func newPhrases(lists ...[]string) *phrases {
	p := newPhraseSet()
	for _, l := range lists {
		for _, ph := range l {
			w := strings.Fields(ph)
			c := w[0][0]
			if c < 'a' || c > 'z' || len(w[0]) > 32 {
				panic("faq: a phrase must start with a word of 1-32 lower-case letters: " + ph)
			}
			p.add(w[0], phraseTail{w[1:], 1})
		}
	}
	return p
}

func newPhraseSet() *phrases {
	return &phrases{m: map[string][]phraseTail{}, one: map[string]uint32{}, two: map[string][]phraseTail{}}
}

func (p *phrases) add(first string, t phraseTail) {
	h := uint32(fnvOffset)
	for k := 0; k < len(first); k++ {
		h = wordHash(h, first[k])
	}
	b := wordBit(h)
	p.first[b>>6] |= 1 << (b & 63)
	p.m[first] = append(p.m[first], t)
	if len(t.rest) == 0 {
		p.one[first] |= t.bit
		return
	}
	pair := first + " " + t.rest[0]
	p.two[pair] = append(p.two[pair], phraseTail{t.rest[1:], t.bit})
}

// words splits a space-separated list.
func words(s string) []string { return strings.Fields(s) }

// cross returns every concatenation of one item of each list, joined by a
// space; an empty item leaves its position out ("please help" and "please
// also help" from ["please"], ["", "also"], ["help"]).
func cross(lists ...[]string) []string {
	out := []string{""}
	for _, l := range lists {
		var next []string
		for _, a := range out {
			for _, b := range l {
				switch {
				case b == "":
					next = append(next, a)
				case a == "":
					next = append(next, b)
				default:
					next = append(next, a+" "+b)
				}
			}
		}
		out = next
	}
	return out
}

// isWordByte is \w of RE2: what a \b boundary is between.
func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// MatchString reports whether one of the phrases occurs in s.
func (p *phrases) MatchString(s string) bool { return p.match(s, 1) != 0 }

// match returns the bits of the phrases that occur in s, looking no
// further once it has every bit of want.
func (p *phrases) match(s string, want uint32) (got uint32) {
	var buf [66]byte // a first word of up to 32 letters, a space, the next
	for i := 0; i < len(s); {
		if !isWordByte(s[i]) {
			i++
			continue
		}
		j, h := i, uint32(fnvOffset)
		for j < len(s) && isWordByte(s[j]) {
			c := lower(s[j])
			if j-i < 32 {
				buf[j-i] = c
			}
			h = wordHash(h, c)
			j++
		}
		if b := wordBit(h); j-i <= 32 && p.first[b>>6]&(1<<(b&63)) != 0 {
			n := j - i
			if bits := p.one[string(buf[:n])] &^ got; bits != 0 {
				if got |= bits; got&want == want {
					return got
				}
			}
			// The next word, after exactly one space (or an apostrophe:
			// "I'd like" is the phrase "i d like", as on folded text).
			if k := j + sepLen(s, j); k > j && k < len(s) && isWordByte(s[k]) {
				buf[n] = ' '
				m := n + 1
				for ; k < len(s) && isWordByte(s[k]); k++ {
					if m < len(buf) {
						buf[m] = lower(s[k])
					}
					m++
				}
				if m <= len(buf) {
					for _, t := range p.two[string(buf[:m])] {
						if t.bit&^got != 0 && followedBy(s[k:], t.rest) {
							if got |= t.bit; got&want == want {
								return got
							}
						}
					}
				}
			}
		}
		i = j
	}
	return got
}

// sepLen is the length of the word separator at s[j]: an apostrophe
// (ASCII or U+2019, which foldText also writes as a space), or a run of
// spaces and tabs with at most one line break in it — mail is wrapped
// at 72 to 78 columns, and a phrase that the wrap splits ("please do not
// reply to this⏎message") is the same phrase, where a blank line ends
// a paragraph; 0 when s[j] is none of these.
func sepLen(s string, j int) int {
	switch {
	case j >= len(s):
		return 0
	case s[j] == '\'':
		return 1
	case strings.HasPrefix(s[j:], "\u2019"):
		return 3
	}
	k, breaks := j, 0
	for ; k < len(s); k++ {
		switch s[k] {
		case ' ', '\t', '\r':
			continue
		case '\n':
			if breaks++; breaks < 2 {
				continue
			}
			return 0
		}
		break
	}
	return k - j
}

// followedBy reports whether s starts with " w1 w2 …" (each word whole;
// an apostrophe separates words as a space does).
func followedBy(s string, rest []string) bool {
	for _, w := range rest {
		n := sepLen(s, 0)
		if n == 0 || len(s) < n+len(w) || !strings.EqualFold(s[n:n+len(w)], w) {
			return false
		}
		s = s[n+len(w):]
		if s != "" && isWordByte(s[0]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// marks matches English phrases or Chinese words.
type marks struct {
	en *phrases
	zh *literals
}

// MatchString reports whether s contains one of the phrases or words.
func (m marks) MatchString(s string) bool { return m.en.MatchString(s) || m.zh.MatchString(s) }

// cueGroup is several marks read in one pass over a text for each
// language instead of one per mark: bit i of what match returns says
// whether marks i matched. Every mail's linking decision reads a dozen
// marks, and one pass each was most of its cost (BenchmarkMailIntent).
type cueGroup struct {
	en  *phrases
	zh  *literals
	all uint32
}

// newCueGroup merges ms (at most 32; a mark may lack one language).
func newCueGroup(ms ...marks) *cueGroup {
	g := &cueGroup{en: newPhraseSet(), zh: &literals{byFirst: map[rune][]literal{}}}
	for i, m := range ms {
		bit := uint32(1) << i
		g.all |= bit
		if m.en != nil {
			for first, ts := range m.en.m {
				for _, t := range ts {
					g.en.add(first, phraseTail{t.rest, bit})
				}
			}
		}
		if m.zh != nil {
			for _, ws := range m.zh.byFirst {
				for _, w := range ws {
					g.zh.add(literal{w.w, bit})
				}
			}
		}
	}
	return g
}

// match returns the bits of the marks s matches.
func (g *cueGroup) match(s string) uint32 {
	got := g.en.match(s, g.all)
	if got != g.all {
		got |= g.zh.match(s, g.all&^got)
	}
	return got
}
