package faq

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
	kindCues = newCueGroup(jobKindMark, pressKindMark, tradeKindMark, chargeKindMark)
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
	bits := kindCues.match(folded)
	var k mailKind
	for i, km := range kindMarks {
		if bits&(1<<i) != 0 {
			k |= km.k
		}
	}
	return k
}
