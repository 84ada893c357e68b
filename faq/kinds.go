package faq

import "strings"

// mailKind is a set of the kinds of mail that the catalog has an entry
// for by name, whatever else the mail speaks of: three proposals that are
// not a customer's question — a job (kindJob), coverage, marketing or
// sponsorship (kindPress), a business proposal to distribute the shop's
// products (kindTrade) — and a payment or charge gone wrong (kindCharge).
// Topics reads a mail of a kind by the entries whose title or keywords
// carry the same kind (index.kinds): careers, press contact, dealer
// partnership, payment problems in the demo catalog.
type mailKind uint8

const (
	kindJob mailKind = 1 << iota
	kindPress
	kindTrade
	kindCharge
)

// The kinds' cues, matched on folded text (foldText: Traditional and
// Cantonese folded to Simplified, so the Chinese is written once). They
// are general English and Chinese ways of asking for a job, of offering
// coverage, marketing or sponsorship, and of proposing to distribute a
// maker's goods, in the first person or in the words the catalog's own
// entries for them use (their titles and keywords match them: that is how
// the entries get their kind). Nouns a customer also uses of something
// else are left out or bound to a proposal: "resume" (the cleaning
// resumes), "job" (a good job), "distribution" (a distribution centre),
// 招商 (招商银行, a bank), 代理 alone, 媒体 alone (社交媒体), 网红 (滤网红灯,
// the filter's red light), 开箱 and 测评 alone (开箱发现破损, 看了测评: a
// customer's unboxing and the reviews a buyer reads). A charge gone wrong
// is said of the card, the payment or the money ("card declined",
// "payment didn't go through", "charged twice", 支付失败, 扣了两次):
// "declined to comment" is a press matter.
var (
	jobKindMark = marks{
		newPhrases(words("careers vacancy vacancies internship internships recruitment hiring recruiting"),
			[]string{"job application", "job opening", "job openings", "job offer", "job vacancy", "jobs", "graduate programme", "graduate program",
				"curriculum vitae", "my cv", "my resume", "hiring manager", "apply for the position", "application for the position"}),
		newLiterals("招聘", "求职", "应聘", "应征", "简历", "履历", "实习", "校招", "校园招聘", "应届生", "工作机会"),
	}
	pressKindMark = marks{
		newPhrases(words("journalist journalists reporter blogger bloggers vlogger youtuber influencer influencers kol koc mcn sponsorship sponsor sponsoring seo backlinks"),
			[]string{"press kit", "media kit", "media enquiry", "media inquiry", "interview request", "request an interview", "review unit", "review units", "review sample",
				"organic traffic", "search rankings", "free audit", "lead generation", "digital marketing", "marketing agency", "rate card"}),
		newLiterals("记者", "采访", "博主", "部落客", "达人", "种草", "测评样机", "测评合作", "评测合作", "开箱评测", "开箱测评", "测试机", "评测机", "赞助", "冠名", "品牌合作", "合作邀约", "商务合作", "自媒体", "媒体联络"),
	}
	tradeKindMark = marks{
		newPhrases(
			cross(words("become becoming"), words("your a an the"), []string{"", "exclusive", "official", "authorised", "authorized", "sole", "local"},
				words("distributor distributors dealer dealers reseller resellers importer stockist agent")),
			cross(words("carry carrying stock stocking distribute distributing resell reselling import importing represent representing"),
				words("your the"), append(words("products product range brand brands appliances line goods"), pluralNames()...)),
			[]string{"distribution rights", "distribution partner", "distribution partnership", "distribution enquiry", "distribution inquiry",
				"distributor enquiry", "distributor inquiry", "distributorship", "dealership"}),
		newLiterals("成为经销商", "成为代理", "成为你们的经销商", "成为你们的代理", "申请代理", "做经销商", "做代理", "当代理", "当经销商",
			"代理你们", "代理贵公司", "代理贵司", "经销你们", "分销你们", "独家代理", "区域代理", "总代理", "代理合作", "经销合作", "渠道合作"),
	}
	chargeKindMark = marks{
		newPhrases(
			cross(words("card payment transaction visa mastercard amex paypal"), []string{"", "was", "is", "got", "gets", "keeps getting", "has been", "keeps being"},
				words("declined rejected refused")),
			cross(words("payment transaction"), []string{"didn t", "did not", "doesn t", "does not", "won t", "will not"}, []string{"go through"}),
			cross(words("charged billed debited deducted"), []string{"", "me", "us"}, []string{"twice", "two times", "double", "three times"}),
			[]string{"payment failed", "payment failure", "failed payment", "payment fails", "double charged", "double charge", "duplicate payment", "duplicate charge"}),
		newLiterals("支付失败", "付款失败", "扣款失败", "重复扣款", "重复支付", "重复付款", "扣了两次", "扣了两笔", "付了两次", "多扣", "被拒付", "刷卡失败", "付不了款"),
	}
	kindMarks = []struct {
		k mailKind
		m marks
	}{{kindJob, jobKindMark}, {kindPress, pressKindMark}, {kindTrade, tradeKindMark}, {kindCharge, chargeKindMark}}
	// kindCues also reads kindAskMark and kindOfferMark (bits askBit,
	// offerBit), in the same pass
	kindCues = newCueGroup(jobKindMark, pressKindMark, tradeKindMark, chargeKindMark, kindAskMark, kindOfferMark)
)

// pluralNames is productVocabulary's English names in the plural ("robot
// vacuums"): what a distributor proposes to carry.
func pluralNames() []string {
	var out []string
	for _, n := range productNamesEN() {
		out = append(out, n+"s")
	}
	return out
}

// mailKinds is the kinds of mail folded text (foldText) is.
func mailKinds(folded string) mailKind {
	k, _ := kindReading(folded)
	return k
}

// The bits of kindCues past the kinds'.
const (
	askBit   = 1 << 4
	offerBit = 1 << 5
)

// proposalKinds are the kinds that propose (a job, coverage,
// distribution): a mail of one asks the way in or offers; a charge gone
// wrong does neither.
const proposalKinds = kindJob | kindPress | kindTrade

// kindReading is the kinds of mail folded text is, and for a mail of a
// proposal's kind whether it asks the way in (asksWayIn), from one pass of kindCues
// and, when that finds neither an ask nor an offer, a second over the
// text unwrapped.
func kindReading(folded string) (k mailKind, wayIn bool) {
	bits := kindCues.match(folded)
	for i, km := range kindMarks {
		if bits&(1<<i) != 0 {
			k |= km.k
		}
	}
	switch {
	case k&proposalKinds == 0 || bits&offerBit != 0:
		return k, false
	case bits&askBit != 0:
		return k, true
	}
	return k, asksWayIn(folded)
}

// A mail of a kind either asks the way in — whom to write to, where or
// how to apply, whether there are openings, on what conditions one
// becomes a distributor — or offers something: a CV attached, an
// interview or a statement wanted, an agency's call, audit or rate card,
// a sponsorship in return for a logo. The first asks what its kind's
// entry gives (careers, press contact, dealer partnership: who to write
// to and how), the second proposes and wants a person's answer, not a
// help page. kindAskMark is the closed class of English and Chinese
// questions about the way in and whom to address; kindOfferMark the
// general ways of offering, proposing a call or asking for a comment.
// Both are matched on folded text (apostrophes fold to spaces: "who s").
var (
	kindAskMark = marks{
		newPhrases(
			cross(words("who whom"), words("should could can do would"), words("i we"),
				[]string{"send", "contact", "write to", "speak to", "talk to", "reach", "address", "apply to", "get in touch with"}),
			// the same in an indirect question's order ("let us know who we
			// should speak to")
			cross(words("who whom"), words("i we"), words("should could can"),
				[]string{"send", "contact", "write to", "speak to", "talk to", "reach", "address", "apply to", "get in touch with"}),
			cross([]string{"who is", "who s", "who would be"}, []string{"the right person", "the best person", "the right contact", "the best contact", "in charge of", "responsible for"}),
			cross([]string{"who"}, words("handles deals looks"), []string{"", "with", "after"}),
			cross(words("where how"), words("should could can do"), words("i we"), words("apply send register")),
			cross([]string{"how to", "how do i", "how do we", "how can i", "how can we", "what does it take to"}, words("apply become")),
			cross([]string{"is there", "are there", "do you have", "would there be"}, words("any a an"),
				words("form opening openings vacancy vacancies position positions role roles opportunity opportunities")),
			cross([]string{"are you", "are you currently", "is your team", "is the company"}, words("hiring recruiting")),
			cross([]string{"what are"}, words("the your"), words("conditions requirements terms")),
		),
		newFoldedLiterals("找谁", "联系谁", "和谁联系", "跟谁联系", "与谁联系", "谁负责", "哪位负责", "哪个部门负责", "怎么申请", "如何申请", "怎样申请",
			"申请条件", "合作条件", "代理条件", "经销条件", "需要什么条件", "有什么条件", "有什么要求", "还招人吗", "在招人吗", "招不招人",
			"有没有职位", "有没有岗位", "有没有空缺", "有没有机会", "的机会吗"),
	}
	kindOfferMark = marks{
		newPhrases(words("attached attach enclosed portfolio interview interviews statement comment"),
			[]string{"please find", "rate card", "case studies", "free audit", "no cost audit", "in return", "in exchange",
				"would you be open", "would you be interested", "if you re interested", "if you are interested", "would you consider",
				"quick chat", "quick call", "happy to send", "happy to share", "happy to put", "could we send", "can we send", "may we send"}),
		newFoldedLiterals("附上", "附件", "请查收", "作为回报", "回报", "采访", "访谈", "声明", "报价", "有没有兴趣", "是否有兴趣"),
	}
)

// asksWayIn reports whether folded text (foldText) of a mail of a kind
// asks the way in (kindAskMark, or the Chinese question 有没有…机会 /
// 是否有…机会, "is there a chance of …", with a few words between) and
// offers nothing (kindOfferMark).
func asksWayIn(folded string) bool {
	folded = unwrap(folded) // a question wrapped over two lines
	bits := wayCues.match(folded)
	return bits&2 == 0 && (bits&1 != 0 || chanceAsked(folded))
}

// wayCues reads kindAskMark (bit 0) and kindOfferMark (bit 1) in one pass.
var wayCues = newCueGroup(kindAskMark, kindOfferMark)

// unwrap is s with each line feed a space and carriage returns dropped,
// so that a phrase broken by a hard line wrap reads as one (bytes, not
// runes: both are ASCII, never inside a UTF-8 sequence).
func unwrap(s string) string {
	if strings.IndexByte(s, '\n') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\n':
			b = append(b, ' ')
		case '\r':
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// chanceAsked reports whether folded text asks 有没有 or 是否有 a chance
// (机会) within maxChanceGap bytes: 有没有 brand collaboration 的机会.
func chanceAsked(folded string) bool {
	for _, q := range [...]string{"有没有", "是否有"} {
		for s := folded; ; {
			i := strings.Index(s, q)
			if i < 0 {
				break
			}
			s = s[i+len(q):]
			if j := strings.Index(s, "机会"); j >= 0 && j <= maxChanceGap {
				return true
			}
		}
	}
	return false
}

// maxChanceGap is 48 bytes: a few words, Latin or Chinese (16 CJK
// characters), between 有没有 and 机会 — one clause, not the next.
const maxChanceGap = 48

// newFoldedLiterals is newLiterals of the words as foldText folds them
// (怎么 is read as 怎幺), for marks matched on folded text.
func newFoldedLiterals(words ...string) *literals {
	for i, w := range words {
		words[i] = foldText(w)
	}
	return newLiterals(words...)
}
