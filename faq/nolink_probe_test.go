package faq

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/frontdesk-mail/frontdesk/message"
)

// probe is a short mail written for TestNoLinkProbes (not copied from any
// labelled set) and the entries that answer it: none for a mail that needs
// no link, else any one of want among the links counts (recall@3).
type probe struct {
	name, subject, body string
	want                []string
}

// noLinkProbes are mails a support inbox gets that the catalog does not
// answer, or that ask nothing: questions about what the catalog does not
// cover (features before buying, services the shop does not list, store
// visits, opening hours, data sharing), closing replies, rants, auto-replies
// without their headers, notices, newsletters, applications, press and
// sponsorship asks, another maker's product. Half of them (linkProbes) look
// like them and need a link.
var noLinkProbes = []probe{
	{"feature-delay-timer", "rice cooker question", "Hello, before I order: does the rice cooker have a delay start so rice is ready when I get home?", nil},
	{"feature-voice-assistant", "AP-600", "Does the AP-600 work with Alexa or Google Home voice commands?", nil},
	{"store-visit", "showroom", "Is there a shop in Hangzhou where I could look at the robot vacuum before buying it?", nil},
	{"opening-hours-zh", "门店营业时间", "请问你们广州的线下门店周末几点开门？", nil},
	{"old-appliance-haul-away", "old fridge", "When you deliver the new dehumidifier, can the driver take my old one away for recycling?", nil},
	{"ac-cleaning-service", "cleaning service", "Do you offer a deep cleaning service for air conditioners? Our unit smells musty.", nil},
	{"data-sold", "my email", "Do you sell customer email addresses to advertisers?", nil},
	{"closing-worked", "Re: kettle not heating", "ok that worked, thanks a lot!", nil},
	{"closing-zh", "回复：订单查询", "收到，谢谢！", nil},
	{"closing-bare-zh", "回复：退款", "收到", nil},
	{"closing-got-it", "Re: installation", "Got it, I'll be home on Thursday then.", nil},
	{"rant-website", "your website", "Your website is a maze and the pop-ups never stop. Honestly the most annoying online shop I have used this year.", nil},
	{"auto-reply-body", "Re: your enquiry", "I am out of the office until 14 June with limited access to email. For urgent matters please contact my colleague Wang Li.", nil},
	{"auto-reply-zh", "回复：您的订单", "您好，我现在休假中，6月20日回来后会尽快回复您的邮件。", nil},
	{"remittance", "Payment advice INV-2291", "This is an automatically generated notice: CNY 12,400.00 has been transferred to your account for invoice INV-2291. No reply is needed.", nil},
	{"courier-notice", "Your parcel has been delivered", "SF Express: parcel SF1234567890 was delivered to the locker at Block 3 at 14:02. Pickup code 4471.", nil},
	{"newsletter", "This week's deals", "Spring sale: 20% off kitchen appliances and free delivery on orders over ¥99. Click here to unsubscribe from our newsletter.", nil},
	{"application-zh", "应聘售后客服", "您好，我是今年的应届毕业生，附件是我的简历，想应聘贵公司的售后客服岗位。", nil},
	{"sponsor-marathon", "Community marathon", "We are organising a community marathon in October and are looking for sponsors. Would Acme consider becoming a gold sponsor?", nil},
	{"other-maker-kettle", "kettle", "I bought a Midea kettle at the supermarket and now it will not heat. Could you tell me what to do?", nil},
	{"product-praise", "love it", "The purifier is fantastic, the air in the bedroom feels so much cleaner. Well done to your design team.", nil},
	{"podcast-zh", "播客采访邀请", "我们是一档科技播客，想邀请贵公司创始人做一期访谈节目，不知是否方便？", nil},
	{"descale-kettle", "limescale", "How do I get the white limescale off the inside of the kettle?", nil},
	{"brown-rice-ratio", "brown rice", "The rice cooker is great. What water ratio should I use for brown rice?", nil},
	{"bpa-kettle", "plastic", "Is the plastic in your kettle lid BPA free?", nil},
	{"future-price", "Double 11", "Will the robot vacuum be cheaper on Double 11? I'd rather wait if so.", nil},
	{"custom-colour", "colour", "Can I order the air purifier in a custom colour to match my living room?", nil},
	{"multi-floor-maps", "maps", "Before I buy: can the robot vacuum app keep maps of two floors?", nil},
	{"survey-thesis", "research", "I'm a student writing a thesis on smart homes. Could I send your customers a short survey?", nil},
	{"factory-visit", "field trip", "Could my class of 30 students visit your factory for a field trip in May?", nil},
	{"wastewater-ratio-zh", "净水器", "想买净水器，请问废水比例是多少？", nil},
	{"kettle-milk-zh", "电水壶", "请问电水壶可以直接煮牛奶吗？", nil},
	{"pet-waste-zh", "扫地机器人", "扫地机器人能不能识别宠物粪便？准备入手前问一下。", nil},
	{"hq-address-zh", "公司地址", "你们公司总部的地址在哪里？我想寄一封感谢信。", nil},
	{"hotline-hours-zh", "客服电话", "周末客服电话几点下班？", nil},
	{"praise-long", "AP-600", "Just a note to say the AP-600 purifier has been brilliant since we set it up in the nursery. The app, the filter reminder and the quiet sleep mode all work exactly as promised. Keep it up!", nil},
	{"application-no-cv-word", "Customer service role", "I am writing to apply for the customer service role on your careers page. I have three years of experience handling returns, refunds and warranty claims for an electronics retailer, and I speak English and Mandarin.", nil},
	{"no-reply-mailbox", "Re: Your request has been received", "This mailbox is not monitored. For questions about orders, deliveries or invoices please contact our purchasing department.", nil},
	{"courier-eta", "Delivery today", "Your parcel from Acme Appliances will be delivered today between 14:00 and 16:00. Track your delivery with number JD0012345678.", nil},
	{"supplier-pitch-zh", "包装材料合作", "您好，我们是一家专业生产家电包装泡沫和纸箱的工厂，可以为贵司的净水器、电饭煲提供定制包装，价格优惠，期待合作。", nil},
	{"thanks-long-zh", "感谢维修师傅", "上周师傅上门修好了除湿机，还教我怎么清洗滤网，非常专业，特此感谢！", nil},
	{"event-invite", "Smart home expo", "We would like to invite Acme to exhibit at the Smart Home Expo in Shenzhen on 12-14 September. Booth packages start at ¥18,000; would you like the floor plan?", nil},
	{"rant-noreq-zh", "太失望了", "买了你们的扫地机器人，客服电话打了三次都没人接，真的很失望。", nil},
	{"made-where-mixed", "AP-400", "请问AP-400的filter是made in China吗？", nil},
	// a purchase or an order told of, then a question the catalog does
	// not answer
	{"narrate-then-sponsor", "question", "I ordered the rice cooker last week and the delivery was quick. Could you tell me if you sponsor school cooking clubs?", nil},
	{"narrate-then-referral", "referral", "Our parcel arrived yesterday and the courier was lovely. Do you have a referral scheme for friends?", nil},
	{"zh-narrate-then-recycle", "旧机回收", "上个月买的净水器已经装好了，用着不错。请问你们回收旧的饮水机吗？", nil},
	{"narrate-refund-then-app-dark", "app", "My refund for the returned kettle arrived, all good. Does the Acme Home app have a dark mode?", nil},
	{"zh-order-then-store", "门店", "我的订单已经签收了。请问你们在深圳有实体店吗？", nil},
	{"warranty-other-shop", "warranty", "I bought a dehumidifier from a market stall with no receipt, it is not one of yours I think. Can you repair it?", nil},
	// written after the focus gate and autoBodyMark, to see what else
	// fails
	{"praise-rhetorical", "wow", "How did you make the AP-400 so quiet?! We sleep right next to it. Love it.", nil},
	{"receipt-fyi", "receipt", "FYI, the receipt from the store is attached for your records.", nil},
	{"confirm-received", "Re: replacement base", "Just confirming the replacement base arrived today and the kettle boils again. Cheers!", nil},
	{"review-posted-zh", "评价", "已经在京东给了五星好评，净化器效果很好。", nil},
	{"competitor-compare", "Dyson vs yours", "Is your AP-600 better than the Dyson TP07? Which one filters more pollen?", nil},
	{"student-project", "school project", "Hi, I'm 12 and doing a school project on robot vacuums. How does the robot know where the stairs are?", nil},
	{"hk-closing", "Re: 維修", "收到，唔該晒！", nil},
	{"gift-card", "gift cards", "Do you sell gift cards I could give my parents for their anniversary?", nil},
	{"supplier-invoice", "Invoice 4471 from BrightPack", "Please find attached our invoice 4471 for the packaging delivered in May, payable within 30 days.", nil},
	// questions of a product's use that no entry answers, which match
	// its troubleshooting by its name
	{"kettle-noise", "kettle", "My kettle makes a rattling noise, is that normal?", nil},
	{"purifier-smell", "purifier", "Why does my air purifier smell odd when it starts?", nil},
	{"rice-sticky", "rice cooker", "Why does the rice cooker make the rice so sticky at the bottom?", nil},
	{"rice-pot-dishwasher-zh", "电饭煲", "电饭煲内胆可以放洗碗机吗？", nil},
	// thanks and praise that ask for them to be passed on, and pitches
	// and applications in other words (written after the focus gate)
	{"pass-thanks", "technician", "The technician who installed our water purifier yesterday was excellent. Could you pass my thanks on to him?", nil},
	{"pass-thanks-zh", "感谢", "昨天来安装净水器的师傅很专业，麻烦帮我转达一下谢意。", nil},
	{"thanks-review", "feedback", "Thanks for the quick refund. Would you like me to leave a review somewhere?", nil},
	{"praise-manager", "great agent", "Your agent Lily sorted out my invoice in five minutes. Please let her manager know she did a great job.", nil},
	{"thanks-mixed", "Re: 退货", "退货已经处理好了，thanks a lot! 你们的 service 很棒。", nil},
	{"application-zh2", "实习申请", "您好，我是大三学生，想申请贵公司的暑期实习，简历已附上，请查收。", nil},
	{"pitch-photos", "product photography", "We are a studio that shoots product photos for appliance brands. Could we send you our portfolio and rates?", nil},
	{"press-review-follow", "Re: review", "Our review of the AP-600 went live today, here is the link. Thanks again for the review unit!", nil},
}

var linkProbes = []probe{
	{"thanks-then-refund", "Re: return", "Thanks for the quick reply. One more thing: how long does the refund take to reach my credit card?", []string{"refund-timing"}},
	{"complaint-money-back", "unacceptable", "This is unacceptable. The kettle leaked all over the counter after two days. I want my money back.", []string{"returns-7-day", "exchanges", "refund-timing"}},
	{"kettle-dead", "kettle dead", "won't switch on.", []string{"kettle-not-heating"}},
	{"rice-e1-zh", "电饭煲显示E1", "煮到一半就显示E1了", []string{"rice-cooker-e1"}},
	{"mixed-vacuum-stuck", "扫地机", "我的robot vacuum每天都卡在sofa下面，怎么办", []string{"vacuum-stuck-errors"}},
	{"received-but-broken-zh", "收到了", "收到了，但是盒子破了，里面的滤网也裂了。", []string{"damaged-on-arrival"}},
	{"thanks-manual", "thanks", "Thanks for fixing the order! Also, where can I download the manual for the dehumidifier?", []string{"manuals-download"}},
	{"presale-voltage", "using it in the US", "I'm thinking of buying the rice cooker for my daughter in Boston. Will it work on 110V?", []string{"overseas-voltage"}},
	{"ship-hk", "Hong Kong delivery", "Do you deliver to Hong Kong, and how much is the shipping?", []string{"shipping-hk-macau-taiwan"}},
	{"fapiao", "invoice", "Can I still get a fapiao for last month's order?", []string{"invoice-request"}},
	{"invoice-wrong-zh", "发票", "谢谢你们。发票抬头写错了，能重新开一张吗？", []string{"invoice-correction"}},
	{"delete-account-zh", "注销", "我想注销账号，并删除我的个人信息。", []string{"privacy-data-deletion"}},
	{"charged-twice", "payment", "The payment went through twice on my card.", []string{"payment-problems"}},
	{"where-parcel", "parcel", "It's been a week and my parcel still hasn't come.", []string{"order-tracking"}},
	{"rant-cancel", "worst service ever", "Worst service ever, nobody answers the phone. Cancel my order now.", []string{"cancel-order"}},
	{"which-model", "bedroom", "Which purifier suits a 20 square metre bedroom?", []string{"choosing-a-model"}},
	{"noise-night", "noise", "How loud is the dehumidifier at night? I want to run it while we sleep.", []string{"energy-noise-specs"}},
	{"bulk-zh", "采购", "我们公司想采购50台净水器做员工福利，有批量价格吗？", []string{"corporate-bulk-purchase"}},
	{"distributor", "distribution", "We would like to become a distributor of your appliances in Malaysia.", []string{"dealer-partnership"}},
	{"dehumidifier-hk", "抽濕機", "部抽濕機成日停機，水箱都冇水。", []string{"dehumidifier-no-water"}},
	{"closing-but-still", "Re: wifi", "ok, I tried resetting the router but the app still can't find the purifier.", []string{"wifi-app-pairing"}},
	{"dehumidifier-switches-off", "dehumidifier", "The dehumidifier keeps switching itself off after half an hour.", []string{"dehumidifier-no-water"}},
	{"vacuum-spins-zh", "扫地机器人", "扫地机器人老是在原地转圈", []string{"vacuum-stuck-errors"}},
	{"kettle-clicks-off", "kettle", "The kettle clicks off before the water boils.", []string{"kettle-not-heating"}},
	{"vacuum-circles", "robot vacuum", "My robot vacuum just goes round in circles in the hallway.", []string{"vacuum-stuck-errors"}},
	// short questions of a product's use that its entry answers, in a
	// word or two besides the product's name
	{"vacuum-beeps", "robot", "The robot vacuum beeps twice and stops, what does that mean?", []string{"vacuum-stuck-errors"}},
	{"dehumidifier-ice", "dehumidifier", "There is ice on the back of my dehumidifier, what should I do?", []string{"dehumidifier-no-water"}},
	{"vacuum-battery", "robot vacuum", "How long should the robot vacuum's battery last?", []string{"vacuum-dock-charging"}},
	{"kettle-keep-warm", "kettle", "How do I set the kettle to keep water at 80 degrees?", []string{"kettle-not-heating"}},
	{"purifier-beeping-zh", "净水器", "净水器一直嘀嘀响是怎么回事？", []string{"water-purifier-leak"}},
	{"purifier-red-light-zh", "空气净化器", "空气净化器亮红灯是什么意思？", []string{"purifier-filter-light"}},
	{"vacuum-error-5", "robot", "What does error 5 on the robot vacuum mean?", []string{"vacuum-stuck-errors"}},
	{"pass-thanks-then-invoice", "thanks", "Please pass my thanks to Lily for her help. Also, how do I get an invoice for the order?", []string{"invoice-request"}},
	{"zh-relay-then-install", "谢谢", "替我谢谢上次的客服。另外想问一下净水器怎么预约安装？", []string{"installation-booking"}},
	{"internship-ask", "internship", "Do you offer summer internships for engineering students?", []string{"careers"}},
}

// probeFloor is what the linking decision reaches on the probes.
var probeFloor = struct{ noLink, recalled int }{64, 22}

// probeOutcome runs Suggest on each probe and returns how many of the
// no-link probes got no link and how many of the link probes had a wanted
// entry among their links, with a line per miss.
func probeOutcome(c *Catalog) (noLink, recalled int, misses []string) {
	run := func(p probe) []string {
		m := testMail(p.subject, p.body+"\r\n")
		var ids []string
		for _, h := range c.Suggest(m) {
			ids = append(ids, h.ID)
		}
		return ids
	}
	for _, p := range noLinkProbes {
		if ids := run(p); len(ids) == 0 {
			noLink++
		} else {
			misses = append(misses, fmt.Sprintf("%s: want no link, got %v", p.name, ids))
		}
	}
	for _, p := range linkProbes {
		ids := run(p)
		hit := false
		for _, id := range ids {
			hit = hit || contains(p.want, id)
		}
		if hit {
			recalled++
		} else {
			misses = append(misses, fmt.Sprintf("%s: want %v, got %v", p.name, p.want, ids))
		}
	}
	return noLink, recalled, misses
}

// TestNoLinkProbes measures the linking decision on the probes: mails
// unlike the labelled sets, of the kinds that need no link and of kinds
// that look like them and need one.
func TestNoLinkProbes(t *testing.T) {
	noLink, recalled, misses := probeOutcome(Demo())
	t.Logf("probes: no link %d/%d, recall@3 %d/%d", noLink, len(noLinkProbes), recalled, len(linkProbes))
	if testing.Verbose() {
		t.Log("  " + strings.Join(misses, "\n  "))
	}
	// With the code before the focus gate (minFocus), autoBodyMark,
	// relayMark and the cues added beside them (卡在, beeping and alarms,
	// a code shown, an error, "keeps doing", 老是; 谢意, 感激, 致谢), the
	// probes read no link 54/71 and recall@3 20/35.
	if noLink < probeFloor.noLink || recalled < probeFloor.recalled {
		t.Errorf("probes: no link %d/%d (want ≥ %d), recall@3 %d/%d (want ≥ %d):\n  %s", noLink, len(noLinkProbes), probeFloor.noLink,
			recalled, len(linkProbes), probeFloor.recalled, strings.Join(misses, "\n  "))
	}
}

// TestNoLinkMargins prints, with -v, how far each tuning mail and probe is
// from the linking bar: for the best entry top/bar (≥ 1 links), the parts
// of the bar its product nouns (in full), codes and other words give, the
// score without the product nouns in idf units (the focus gate's,
// minFocus) and the score without their extra weight, of the bar; and the
// gate that withholds links, if any. It fails where linkBar's verdict and
// decide's links disagree. The held-out set is not read.
func TestNoLinkMargins(t *testing.T) {
	row := func(set, name string, none bool, c *Catalog, q []qterm, res []scored, in intent, lang message.Language) {
		top, bar, gate := c.linkBar(q, res, in, defaultParams)
		if linked := gate == "" && top >= bar; linked != (len(c.decide(q, res, in, lang, defaultParams)) > 0) {
			t.Errorf("%s/%s: linkBar says linked %v (top %.2f, bar %.2f, gate %q), decide does not agree", set, name, linked, top, bar, gate)
		}
		if !testing.Verbose() {
			return // the table is for -v
		}
		var prod, codes, other, focus float64
		if len(res) > 0 {
			prod, codes, other = c.idx.splitEvidence(q, res[0].doc)
			focus = res[0].score - c.idx.productPart(q, res[0].doc, in.prospective)
		}
		kind := "link"
		if none {
			kind = "none"
		}
		best := ""
		if len(res) > 0 {
			best = c.entries[res[0].doc].ID
		}
		r := "-"
		if gate == "" || top > 0 { // a gate after the bar was weighed
			r = fmt.Sprintf("%.2f %.2f %.2f %.2f %.2f %.2f", top/bar, prod/bar, codes/bar, other/bar, focus/c.idx.maxIDF(), res[0].score/bar)
		}
		t.Logf("%-6s %-4s %5s %-22s %-26s %+v %s", set, kind, r, gate, best, intentFlags(in), name)
	}
	for _, set := range []string{"public", "dev", "dev2", "dev3"} {
		c, mails := loadEvalSet(t, set)
		for _, em := range mails {
			row(set, em.File, len(em.FAQ) == 0, c, em.q, em.res, em.in, message.Language(em.lang))
		}
	}
	c := Demo()
	for _, ps := range [][]probe{noLinkProbes, linkProbes} {
		for _, p := range ps {
			m := testMail(p.subject, p.body+"\r\n")
			q, res, in := c.candidates(m)
			row("probe", p.name, p.want == nil, c, q, res, in, m.Lang())
		}
	}
}

// intentFlags names the cues of in that are set.
func intentFlags(in intent) string {
	var f []string
	for _, x := range []struct {
		on   bool
		name string
	}{{in.asks, "asks"}, {in.explicit, "explicit"}, {in.report, "report"}, {in.thanks, "thanks"}, {in.pitch, "pitch"},
		{in.complaint, "complaint"}, {in.retract, "retract"}, {in.foreign, "foreign"}, {in.prospective, "prospective"}, {in.owned, "owned"}, {in.wayIn, "wayIn"}} {
		if x.on {
			f = append(f, x.name)
		}
	}
	return strings.Join(f, ",")
}

// TestNoLinkDecisionVariants prints, with -v, the linking decision's
// variants on the tuning sets and the probes: recall@3 and no-link counts,
// and the margins — the largest top/bar of a mail that needs no link and
// is kept unlinked (how close it came), the smallest of a mail linked to
// a right entry (how close it came to losing it), and how many of each
// lie within 15% of the bar, on the tuning sets. It fails when a variant
// gets more than 1% of the counted mails more right than the shipped
// decision. The held-out set is not read.
func TestNoLinkDecisionVariants(t *testing.T) {
	old := defaultParams
	old.productReportOnly, old.focus = false, 0
	type variant struct {
		name string
		p    params
	}
	vs := []variant{{"no focus gate", old}}
	a := old
	a.productReportOnly = true
	vs = append(vs, variant{"products in bar for reports only", a})
	for _, f := range []float64{0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 1} {
		b := old
		b.focus = f
		vs = append(vs, variant{fmt.Sprintf("focus %.2f", f), b})
	}
	for _, f := range []float64{0.4} {
		b := a
		b.focus = f
		vs = append(vs, variant{fmt.Sprintf("both, focus %.2f", f), b})
	}
	type set struct {
		c     *Catalog
		mails []evalMail
	}
	var sets []set
	for _, name := range []string{"public", "dev", "dev2"} {
		c, mails := loadEvalSet(t, name)
		sets = append(sets, set{c, mails})
	}
	demo := Demo()
	var probes []evalMail
	for _, ps := range [][]probe{noLinkProbes, linkProbes} {
		for _, p := range ps {
			m := testMail(p.subject, p.body+"\r\n")
			q, res, in := demo.candidates(m)
			probes = append(probes, evalMail{label: label{File: p.name, FAQ: p.want}, msg: m, res: res, q: q, in: in, lang: string(m.Lang())})
		}
	}
	sets = append(sets, set{demo, probes})
	// score counts the mails a decision gets right over every set: no
	// variant of the table may beat the shipped one by more than 1% of
	// the mails counted (the rule of TestEvalExamplesTuningCV: less is
	// noise at these sizes)
	counted := 0
	score := func(p params) int {
		n := 0
		counted = 0
		for _, s := range sets {
			m := measure(s.c, s.mails, p)
			n += m.recalled + m.noneKept
			counted += m.relevant + m.none
		}
		return n
	}
	shipped := score(defaultParams)
	for _, v := range vs {
		var cells []string
		maxNone, minLink := 0.0, math.Inf(1)
		nearNone, nearLink := 0, 0
		var near []string
		for k, s := range sets {
			m := measure(s.c, s.mails, v.p)
			cells = append(cells, fmt.Sprintf("%d/%d %d/%d", m.recalled, m.relevant, m.noneKept, m.none))
			if k == len(sets)-1 {
				break // the margins are the tuning sets'
			}
			for _, em := range s.mails {
				top, bar, gate := s.c.linkBar(em.q, em.res, em.in, v.p)
				if gate != "" {
					continue
				}
				r := top / bar
				switch {
				case len(em.FAQ) == 0 && r < 1:
					maxNone = max(maxNone, r)
					if r >= 0.85 {
						nearNone++
						near = append(near, fmt.Sprintf("%s %.2f", em.File, r))
					}
				case len(em.FAQ) > 0 && r >= 1 && contains(em.FAQ, s.c.entries[em.res[0].doc].ID):
					minLink = min(minLink, r)
					if r < 1.15 {
						nearLink++
						near = append(near, fmt.Sprintf("%s %.2f", em.File, r))
					}
				}
			}
		}
		if right := score(v.p); float64(right) > float64(shipped)+0.01*float64(counted) {
			t.Errorf("%s gets %d mails right (recalled and kept unlinked, tuning sets and probes), the shipped decision %d: more than 1%% of %d", v.name, right, shipped, counted)
		}
		t.Logf("%-34s public %s  dev %s  dev2 %s  probes %s | no-link max %.2f (%d ≥ 0.85), right first link min %.2f (%d < 1.15)",
			v.name, cells[0], cells[1], cells[2], cells[3], maxNone, nearNone, minLink, nearLink)
		t.Logf("    near the bar: %s", strings.Join(near, ", "))
	}
}

// autoBodyMark reads what a machine or an absent sender writes of its own
// mail, and not a customer telling of an absence or of another mail
// (English on folded text, Simplified and Traditional Chinese).
func TestAutoBodyMark(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"This is an automated message. Please do not reply to this email.", true},
		{"This message was automatically generated by our accounts system.", true},
		{"This mailbox is not monitored.", true},
		{"I'm out of the office until Monday with limited access to email.", true},
		{"I am currently on annual leave and will reply when I am back.", true},
		{"本邮件由系统自动发送，请勿直接回复。", true},
		{"您好，我正在休假，回来后回复您。", true},
		{"您好，我正在休假，回來後回覆您。", true},
		{"I was out of the office when the courier came, so the parcel went back. Can you resend it?", false},
		{"Your system sent me an automated message but my refund still has not arrived.", false},
		{"I'm going on leave next week, can the installer come before then?", false},
		{"快递来的时候我不在家，请问怎么重新派送？", false},
		// wrapped by the mail client: a phrase crosses one line break,
		// not a blank line; Chinese lines join between Han characters
		{"This is an automated confirmation. Please do not reply to this\r\nmessage; use the portal.", true},
		{"This is an automated\nemail.", true},
		{"Please do not reply to this\n\nmessage board post, it is old.", false},
		{"本邮件由系统自动发送，请勿直接\n回复。", true},
	} {
		if got := autoBodyMark.MatchString(joinHanWraps(foldText(c.text), 0)); got != c.want {
			t.Errorf("autoBodyMark(%q) = %v, want %v", c.text, got, c.want)
		}
	}
	if in := mailIntent("Re: your enquiry", "This mailbox is not monitored. For questions about orders please contact our purchasing team."); in.asks {
		t.Error("a no-reply mailbox's notice read as asking")
	}
	if in := mailIntent("parcel", "I was out of the office when the courier came. Can you resend it?"); !in.asks {
		t.Error("a customer's absence read as an autoresponder's")
	}
}

// TestMaskANotA: Chinese A-not-A questions (能不能, 是不是, 得唔得) are
// blanked for the cues, so their negation is not read as a fault, and a
// real negation (不能开机) is left alone.
func TestMaskANotA(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"能不能把报告发我", " 把报告发我"},
		{"是不是坏了", " 坏了"},
		{"得唔得用", " 用"},
		{"有冇门市", " 门市"},
		{"不能开机", "不能开机"},
		{"不不不", "不不不"},
		{"ab能不能", "ab "},
		{"", ""},
	} {
		if got := maskANotA(c.in); got != c.want {
			t.Errorf("maskANotA(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if in := mailIntent("净化器安全吗", "请问会不会产生臭氧？能不能把报告发我看一下？"); in.report {
		t.Error("an A-not-A question read as a fault report")
	}
	if in := mailIntent("净化器", "净化器不能开机了，怎么办？"); !in.report {
		t.Error("不能开机 not read as a fault report")
	}
}

// TestJoinHanWraps: a line break between two Han characters is a wrap;
// one after punctuation or before Latin text, and a blank line, stay.
func TestJoinHanWraps(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"请勿直接\n回复", "请勿直接回复"},
		{"请勿直接\r\n回复", "请勿直接回复"},
		{"你好。\n请问", "你好。\n请问"},
		{"你好\n\n请问", "你好\n\n请问"},
		{"型号\nap400", "型号\nap400"},
		{"no breaks", "no breaks"},
		{"一\n二\n三", "一二三"},
		{"一\r\n\r\n二", "一\r\n\r\n二"},
		{"\n二", "\n二"},
		{"一\n", "一\n"},
	} {
		if got := joinHanWraps(c.in, 0); got != c.want {
			t.Errorf("joinHanWraps(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestNotBoughtYet: "not bought yet" (还没买) is a purchase not made, and
// 是…买的 one made.
func TestNotBoughtYet(t *testing.T) {
	for _, c := range []struct {
		subject, body string
		want          bool
	}{
		{"S8", "S8 能不能接入 HomeKit？还没买，在比较几个牌子。", true},
		{"S8", "I have not ordered yet. Does the S8 work with HomeKit?", true},
		{"电饭煲", "电饭煲是前年双十一买的，内胆掉皮了，还管不管？", false},
	} {
		if got := mailIntent(c.subject, c.body).prospective; got != c.want {
			t.Errorf("prospective(%q) = %v, want %v", c.body, got, c.want)
		}
	}
}

// The focus gate: a question that matches its best entry by the
// product's name alone gets no link; the same product's fault report,
// which names the product and a symptom, does, and so does a question
// that one keyword of the entry answers (English, Simplified Chinese).
func TestFocusGate(t *testing.T) {
	c := Demo()
	checkFirstLinks(t, c, []firstLinkCase{
		{"Double 11", "Will the robot vacuum be cheaper on Double 11?", ""},
		{"电水壶", "请问电水壶可以直接煮牛奶吗？", ""},
		{"kettle", "My kettle won't boil any more.", "kettle-not-heating"},
		{"电水壶", "我的电水壶坏了，按了没反应。", "kettle-not-heating"},
		{"空气净化器", "空气净化器亮红灯是什么意思？", "purifier-filter-light"},
	})
}

// The fault signs added with the focus gate: a code shown on the display,
// an error, a sound of alarm, something stuck (on folded text, as
// mailIntent reads them; Traditional folds to Simplified).
func TestReportSigns(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"煮到一半就显示E1了", true},
		{"電飯煲顯示E3", true},
		{"开机就跳E5", true},
		{"The app shows an error when I pair it.", true},
		{"The robot vacuum beeps twice and stops.", true},
		{"净水器一直嘀嘀响", true},
		{"漏水报警响了", true},
		{"扫地机每天都卡在沙发下面", true},
		{"显示屏很亮，颜色也好看", false},
		{"屏幕显示正常，想问保修多久", false},
		{"The display is bright and easy to read.", false},
		{"想买扫地机器人，请问噪音大吗？", false},
	} {
		if got := reportMark.MatchString(foldText(c.text)); got != c.want {
			t.Errorf("reportMark(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// relayMark: a thank-you note that asks only for the thanks to be passed
// on does not ask explicitly; one that also asks something does.
func TestRelayedThanks(t *testing.T) {
	for _, c := range []struct {
		subject, body string
		explicit      bool
	}{
		{"technician", "The technician was excellent. Could you pass my thanks on to him?", false},
		{"great agent", "Lily did a great job. Please let her manager know.", false},
		{"感谢", "师傅很专业，麻烦帮我转达一下谢意。", false},
		{"感謝", "師傅很專業，麻煩幫我轉達一下謝意。", false},
		{"thanks", "Please pass my thanks to Lily. Also, how do I get an invoice?", true},
		{"谢谢", "替我谢谢上次的客服。另外想问一下净水器怎么预约安装？", true},
		// not a thank-you note: the relay cue changes nothing
		{"message", "Could you pass this on to the courier? The parcel is not here.", true},
	} {
		in := mailIntent(c.subject, c.body)
		if in.explicit != c.explicit {
			t.Errorf("%q: explicit %v, want %v (%s)", c.body, in.explicit, c.explicit, intentFlags(in))
		}
	}
}

// keepsDoing: "keeps"/"kept" before a verb in -ing tells a recurring
// fault; "keep" alone, or before a noun, does not.
func TestKeepsDoing(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"The dehumidifier keeps switching itself off.", true},
		{"it kept beeping all night", true},
		{"Keeps stopping after ten minutes", true},
		{"It keeps the water warm.", false},
		{"How do I keep it running quietly?", false},
		{"the keeper is missing", false},
		{"bookkeeps nothing", false},
		{"keeps", false},
		{"kept sing", false},
	} {
		if got := keepsDoing(foldText(c.text)); got != c.want {
			t.Errorf("keepsDoing(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// splitEvidence is entry d's score for q in three parts: what the product
// terms give (at full weight, as the bar counts them), what the codes
// give, and what the other terms give.
func (ix *index) splitEvidence(q []qterm, d int32) (prod, codes, other float64) {
	for _, t := range q {
		if t.id < 0 {
			continue
		}
		p := ix.postings[t.id]
		i := sort.Search(len(p), func(i int) bool { return p[i].doc >= d })
		if i == len(p) || p[i].doc != d {
			continue
		}
		s := ix.idf[t.id] * float64(p[i].w)
		switch {
		case ix.m.product[t.term]:
			prod += s * (t.weight + t.extra)
		case isCode(t.term):
			codes += s * t.weight
		default:
			other += s * t.weight
		}
	}
	return prod, codes, other
}

// TestReplySubjectIsNotTheCustomers: a reply's subject is the mail it
// answers (a survey's "How did we do?"), so its question mark does not
// make the customer's words a question; the same words under a subject
// of the customer's own that asks still ask. "Works fine now" says the
// problem is gone.
func TestReplySubjectIsNotTheCustomers(t *testing.T) {
	body := "8/10. Delivery was quick and the driver carried it upstairs. The drain hose instructions were only pictures. Works fine now.\r\n"
	_, in := mailZones(testMail("Re: How did we do?", body), defaultMethod)
	if in.explicit {
		t.Errorf("a reply read as asking by its subject's question mark: %+v", in)
	}
	if !in.retract {
		t.Errorf("\"works fine now\" not read as the problem gone: %+v", in)
	}
	_, in = mailZones(testMail("Which way round does the drain hose clip go?", body), defaultMethod)
	if !in.explicit {
		t.Errorf("the customer's own subject question not read as asking: %+v", in)
	}
}

// maskANotARef is maskANotA as first written, a rune at a time (and,
// as maskANotA, with no invalid byte taken for the verb): the reference
// FuzzMaskANotA holds the faster one to.
func maskANotARef(folded string) string {
	var out []byte
	for i := 0; i < len(folded); {
		r, n := utf8.DecodeRuneInString(folded[i:])
		if strings.HasPrefix(folded[i:], "有冇") { // Cantonese "have or not"
			if out == nil {
				out = append(make([]byte, 0, len(folded)), folded[:i]...)
			}
			out = append(out, ' ')
			i += len("有冇")
			continue
		}
		if r >= 0x3400 && r != utf8.RuneError && i+n < len(folded) {
			neg, m := utf8.DecodeRuneInString(folded[i+n:])
			if neg == '不' || neg == '没' || neg == '沒' || neg == '唔' || neg == '冇' {
				if r2, k := utf8.DecodeRuneInString(folded[i+n+m:]); r2 == r && r != neg {
					if out == nil {
						out = append(make([]byte, 0, len(folded)), folded[:i]...)
					}
					out = append(out, ' ')
					i += n + m + k
					continue
				}
			}
		}
		if out != nil {
			out = append(out, folded[i:i+n]...)
		}
		i += n
	}
	if out == nil {
		return folded
	}
	return string(out)
}

func FuzzMaskANotA(f *testing.F) {
	for _, s := range []string{"能不能把报告发我", "是不是坏了", "得唔得用", "有冇门市", "不能开机", "不不不", "ab能不能", "", "有冇冇", "能不能不能", "好不好不好", "\xe4\xb8", "不\xff不"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := maskANotA(s), maskANotARef(s); got != want {
			t.Errorf("maskANotA(%q) = %q, the reference says %q", s, got, want)
		}
	})
}
