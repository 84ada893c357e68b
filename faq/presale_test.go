package faq

import (
	"slices"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

// The pre-sale cues (buyMark, ownMark) on mails written for this test in
// English, Simplified and Traditional Chinese and Cantonese: asking
// before a purchase counts, unless the mail also says the customer has
// the product or an order.
func TestProspective(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"I'm thinking of buying the rice cooker. What is the inner pot made of?", true},
		{"Before I buy: does the robot vacuum get stuck on cables?", true},
		{"Which model should we get for a 40 m2 living room?", true},
		{"Could you send a quotation for 50 kettles?", true},
		{"My rice cooker stopped heating. What is the inner pot made of?", false},
		{"I've had the purifier since July. Where can I buy a new filter?", false},
		{"I’ve only had it four months; where do I buy a filter?", false},
		{"I bought the kettle last week and I'm thinking of buying another one.", false},
		{"The inner pot coating is peeling off. What is it made of?", false},
		{"想买扫地机器人，请问会不会卡在沙发底下？", true},
		{"准备入手一台净水器，滤芯多久换一次？", true},
		{"我的扫地机器人坏了，想买个新的，哪款好？", false},
		{"真不该买这个，净化器选哪个模式比较省电？", false},
		{"打算買一台除濕機，請問水箱滿了會自動停機嗎？", true},
		{"上個月買了除濕機，打算再買一台，水箱滿了會停機嗎？", false},
		{"想買部抽濕機，請問會唔會好嘈？", true},
		{"我部抽濕機壞咗，想買過部新嘅，有冇推介？", false},
		{"Where is my order AC123?", false},
	} {
		if got := prospective(c.text); got != c.want {
			t.Errorf("prospective(%q) = %v, want %v", c.text, got, c.want)
		}
	}
	// a pitch is not a purchase (issue 19: "a supplier's pitch is not a
	// sale"), though it asks for a quotation
	if in := mailIntent("Kettle heating elements", "We manufacture heating elements for kettles, OEM and ODM. Could we send a quotation for your kettle?"); in.prospective {
		t.Error("a supplier's pitch counted as a pre-sale question")
	}
}

// An entry is about a product (productSide) unless its title and
// keywords speak of buying and receiving one and name no product: of the
// demo catalog's support entries, the troubleshooting, warranty, repair,
// installation, manual and firmware entries are, and the order,
// delivery, return, account and payment entries are not.
func TestProductSide(t *testing.T) {
	c := Demo()
	side := map[string]bool{}
	for d, e := range c.entries {
		side[e.ID] = c.idx.productSide[d]
	}
	for _, id := range []string{"rice-cooker-e1", "vacuum-stuck-errors", "vacuum-dock-charging", "kettle-not-heating", "warranty-policy",
		"repair-booking", "installation-booking", "manuals-download", "firmware-update"} {
		if !side[id] {
			t.Errorf("%s: not about a product", id)
		}
	}
	for _, id := range []string{"order-tracking", "shipping-delivery-times", "shipping-hk-macau-taiwan", "shipping-international", "cancel-order",
		"change-order-address", "returns-7-day", "exchanges", "account-password", "privacy-data-deletion", "refund-timing", "payment-problems"} {
		if side[id] {
			t.Errorf("%s: about a product", id)
		}
	}
}

// A pre-sale question that names a product or one of its parts is about
// sales, though it matches the product's troubleshooting entries; the
// same product's fault report stays support's, and a delivery question
// before buying stays support's (English, Simplified, Traditional).
func TestTopicsPreSale(t *testing.T) {
	c := Demo()
	for _, tc := range []struct {
		subject, body string
		want          string
		preSale       bool
		entry         string // an entry the leading topic must name
	}{
		{"robot vacuum question", "I'm thinking of buying the robot vacuum. Does it get stuck under sofas or on cables?", "sales", true, "vacuum-stuck-errors"},
		{"robot vacuum stuck", "My robot vacuum keeps getting stuck under the sofa and on cables. What can I do?", "support", false, "vacuum-stuck-errors"},
		{"kettle", "Before I buy the smart kettle: does the base light come on when it keeps warm?", "sales", true, "kettle-not-heating"},
		{"扫地机器人", "想买扫地机器人，请问它会不会卡在沙发底下或者被电线缠住？", "sales", true, "vacuum-stuck-errors"},
		{"除湿机", "我的除湿机不出水，水箱是空的，怎么办？", "support", false, "dehumidifier-no-water"},
		{"除濕機", "打算買除濕機，請問水箱滿了會自動停機嗎？", "sales", true, "dehumidifier-no-water"},
		{"除濕機", "我的除濕機不出水，水箱是空的，怎麼辦？", "support", false, "dehumidifier-no-water"},
		{"寄到乌鲁木齐", "想买扫地机器人，寄到乌鲁木齐要几天？运费多少？", "support", false, "shipping-delivery-times"},
	} {
		m, _ := message.Parse([]byte("Subject: " + tc.subject + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + tc.body + "\r\n"))
		ts := c.Topics(m)
		if len(ts) == 0 {
			t.Errorf("%q: no topics", tc.body)
			continue
		}
		if top := ts[0]; top.Department != tc.want || top.PreSale != tc.preSale || !slices.Contains(top.Entries, tc.entry) {
			t.Errorf("%q: leading topic %+v, want %s (pre-sale %v) with %s", tc.body, top, tc.want, tc.preSale, tc.entry)
		}
	}
}

// FuzzProspective: the cues never panic on any text, and folding is
// idempotent, so a text and its folded form read alike.
func FuzzProspective(f *testing.F) {
	for _, s := range []string{"I'm thinking of buying the rice cooker.", "想買部抽濕機，請問會唔會好嘈？", "我部抽濕機壞咗", "ＢＥＦＯＲＥ Ｉ ＢＵＹ", "㎡ ’ \xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		once := foldText(s)
		if twice := foldText(once); twice != once {
			t.Errorf("foldText not idempotent: %q → %q → %q", s, once, twice)
		}
		if prospective(s) != prospective(once) {
			t.Errorf("%q and its folded form read differently", s)
		}
	})
}

// An entry is for pitches (pitchSide) when its title or keywords carry
// the mails' pitch cue: of the demo catalog's entries, careers and press
// contact, and no other.
func TestPitchSide(t *testing.T) {
	c := Demo()
	var got []string
	for d, e := range c.entries {
		if c.idx.pitchSide[d] {
			got = append(got, e.ID)
		}
	}
	if want := []string{"careers", "press-contact"}; !slices.Equal(got, want) {
		t.Errorf("pitch entries %v, want %v", got, want)
	}
}

// Two readings of a mail's intent in Topics (mails written for this
// test): a pitch is about the pitch entries alone, whatever products it
// names; a refund or payment reported gone wrong keeps its finance entry
// to finance (no Also for the address to keep it by), while a question
// of how refunds work, or a pre-sale payment question, still lists the
// entry's other departments.
func TestTopicsPitchAndFinanceReport(t *testing.T) {
	c := Demo()
	for _, tc := range []struct {
		subject, body string
		want          string
		also          bool // the leading topic lists other departments
	}{
		{"Collaboration idea", "Our media agency's creators run home and lifestyle channels with 300k followers. We would love a collaboration on your air purifiers and robot vacuums for the spring campaign. Happy to share our rate card.", "pr", false},
		{"Refund still not here", "Your warehouse signed for the dehumidifier I sent back two weeks ago, but the refund still hasn't reached my card.", "finance", false},
		{"退款还没到", "退回去的净水器仓库已经签收一个星期了，退款还没到账。", "finance", false},
		{"Returning the kettle", "If I return the kettle, how long does the refund take to reach my credit card?", "finance", true},
	} {
		m, _ := message.Parse([]byte("Subject: " + tc.subject + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + tc.body + "\r\n"))
		ts := c.Topics(m)
		if len(ts) == 0 {
			t.Errorf("%q: no topics", tc.subject)
			continue
		}
		if top := ts[0]; top.Department != tc.want || (len(top.Also) > 0) != tc.also {
			t.Errorf("%q: leading topic %+v, want %s (others listed: %v)", tc.subject, top, tc.want, tc.also)
		}
		r := c.read(m)
		if r.in.pitch {
			for _, x := range ts {
				for _, id := range x.Entries {
					if e, _ := c.Entry(id); !pitchMark.MatchString(strings.ToLower(e.En.Title + " " + strings.Join(e.En.Keywords, " "))) {
						t.Errorf("%q: a pitch is about %s", tc.subject, id)
					}
				}
			}
		}
	}
}

// TestPreSaleTroubleshootingIsNoAnswer: a question asked before buying
// whose best entry is a product's troubleshooting gets no link; the
// owner's question and a pre-sale question the catalog answers do.
func TestPreSaleTroubleshootingIsNoAnswer(t *testing.T) {
	cat := Demo()
	for _, c := range []struct {
		subject, body, want string
	}{
		{"rice cooker question", "Before I buy the rice cooker: can it cook porridge slowly for eight hours? Does it show an error when the pot is missing?", ""},
		{"rice cooker E1", "My rice cooker shows E1 and stops. What should I do?", "rice-cooker-e1"},
		{"delivery", "I'm thinking of buying the AP-600. How many days does delivery to Chengdu take, and what is the shipping fee?", "shipping-delivery-times"},
	} {
		m, err := message.Parse([]byte("From: a@customer.example\r\nTo: support@acme-appliances.example\r\nSubject: " + c.subject + "\r\n\r\n" + c.body + "\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		hits := cat.Suggest(m)
		got := ""
		if len(hits) > 0 {
			got = hits[0].ID
		}
		if got != c.want {
			t.Errorf("%q: first link %q, want %q (%v)", c.body, got, c.want, hits)
		}
	}
	if !cat.idx.troubleSide[cat.byID["kettle-not-heating"]] || cat.idx.troubleSide[cat.byID["choosing-a-model"]] || cat.idx.troubleSide[cat.byID["payment-problems"]] {
		t.Error("troubleSide: a product's fault entries only")
	}
}

// A question asked before buying is clear about what it is however
// weakly the catalog matches its words (the catalog answers owners): its
// topics are not scaled down by the best entry's score, so a pre-sale
// question whose product entries lead goes to sales from support@ too.
// Mails written for this test; each matches its best entry below the
// linking bar.
func TestPreSaleTopicsAreClear(t *testing.T) {
	c := Demo()
	for _, body := range []string{
		"想买一台净水器，还在犹豫。你们这款每天能出多少纯水？水压低的小区能用吗？",
		"Thinking of buying a purifier for my bedroom. Does it have a night light I can switch off?",
	} {
		m, _ := message.Parse([]byte("Subject: question\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n"))
		r := c.read(m)
		if len(r.cat) == 0 || r.cat[0].score >= minEvidence*c.idx.maxIDF() {
			t.Fatalf("%q: the test wants a weak match, best %v", body, r.cat)
		}
		ts := c.Topics(m)
		if len(ts) == 0 || ts[0].Department != "sales" || !ts[0].PreSale || ts[0].Confidence < 0.5 {
			t.Errorf("%q: topics %s, want sales (pre-sale) with confidence ≥ 0.5", body, fmtTopics(ts))
		}
	}
}

// The mirror of the pre-sale reading: an owner who reports something
// wrong asks after the sale, and the choosing entry (sales' alone)
// counts for support; without the report or the ownership it stays
// sales'. Mails written for this test.
func TestTopicsAfterSale(t *testing.T) {
	c := Demo()
	for _, tc := range []struct {
		body string
		want string
	}{
		{"I bought the AP-400 for a 30 m2 bedroom but it is not strong enough, the room size on the page was wrong.", "support"},
		{"Which purifier suits a 30 m2 bedroom, the AP-400 or the AP-600? What room size is each for?", "sales"},
	} {
		m, _ := message.Parse([]byte("Subject: room size\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + tc.body + "\r\n"))
		ts := c.Topics(m)
		if len(ts) == 0 || ts[0].Department != tc.want || !slices.Contains(ts[0].Entries, "choosing-a-model") {
			t.Errorf("%q: topics %s, want %s leading with choosing-a-model", tc.body, fmtTopics(ts), tc.want)
		}
	}
}
