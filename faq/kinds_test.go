package faq

import (
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

// The mail kinds (mailKinds) on sentences written for this test: each
// kind's general phrasings in English, Simplified and Traditional
// Chinese, and the customer's uses of the same nouns that are not one
// (the red light of a filter, a bank's name, a box opened, a
// distribution centre, cleaning that resumes, a job well done, a
// newspaper that declined to comment, a warranty claim rejected).
func TestMailKinds(t *testing.T) {
	for _, c := range []struct {
		text string
		want mailKind
	}{
		{"Are you hiring? I'd like to send you my CV for a warehouse role.", kindJob},
		{"Is the graduate programme open for applications this year?", kindJob},
		{"请问你们今年还招聘实习生吗？", kindJob},
		{"您好，附件是我的履歷，想應徵工程師。", kindJob},
		{"I run a home-tech blog and would love a review unit of the S8.", kindPress},
		{"Our student club is looking for a sponsor for the spring fair.", kindPress},
		{"We help brands climb search rankings with a free audit.", kindPress},
		{"我是小红书博主，想谈谈测评合作。", kindPress},
		{"學校運動會誠邀貴公司贊助獎品。", kindPress},
		{"We own eight appliance shops in Lima and would like to stock your products.", kindTrade},
		{"Could we become your exclusive distributor for Chile?", kindTrade},
		{"我们在西安有门店，想代理你们的产品。", kindTrade},
		{"想了解一下如何成為經銷商。", kindTrade},
		{"Journalist here: could we interview your CEO? We also have job openings for writers.", kindJob | kindPress},
		{"My card was declined three times at checkout.", kindCharge},
		{"The payment didn't go through but the money left my account.", kindCharge},
		{"You charged me twice for order AC123.", kindCharge},
		{"微信支付失败了，但是钱扣了。", kindCharge},
		{"同一張訂單扣了兩次錢。", kindCharge},
		// a customer's words, not one of the kinds
		{"换了滤网红灯还亮着，怎么复位？", 0},
		{"退款到招商银行的卡要几天？", 0},
		{"开箱发现外壳有裂痕。", 0},
		{"看了网上的测评，想问噪音大不大。", 0},
		{"My parcel has been at your distribution centre for a week.", 0},
		{"The vacuum doesn't resume cleaning after charging.", 0},
		{"The technician did a great job, thank you.", 0},
		{"Where is my order?", 0},
		{"The paper says your company declined to comment.", 0},
		{"My warranty claim was rejected, why?", 0},
	} {
		if got := mailKinds(foldText(c.text)); got != c.want {
			t.Errorf("mailKinds(%q) = %03b, want %03b", c.text, got, c.want)
		}
	}
}

// The demo catalog's entries take their kinds from their own titles and
// keywords: careers a job, press contact coverage, dealer partnership
// distribution, payment problems a charge gone wrong, and no other entry
// any.
func TestEntryKinds(t *testing.T) {
	c := Demo()
	want := map[string]mailKind{"careers": kindJob, "press-contact": kindPress, "dealer-partnership": kindTrade, "payment-problems": kindCharge}
	for d, e := range c.entries {
		if got := c.idx.kinds[d]; got != want[e.ID] {
			t.Errorf("%s: kinds %03b, want %03b", e.ID, got, want[e.ID])
		}
	}
	if c.idx.allKinds != kindJob|kindPress|kindTrade|kindCharge {
		t.Errorf("allKinds %03b", c.idx.allKinds)
	}
}

// A mail of a kind is read by the entries of its kind alone, whatever
// else it matches: a distributor's country matches the shipping entries,
// a sponsor's or an agency's products their faults, a job seeker's
// question the products of the shop, a declined card the product being
// bought. Mails written for this test.
func TestTopicsReadAMailByItsKind(t *testing.T) {
	c := Demo()
	for _, tc := range []struct {
		subject, body string
		want          string
		entry         string
	}{
		{"Partnership - Chile", "We run eleven appliance showrooms in Santiago and sell online too. We would like to carry your robot vacuums and air purifiers in Chile, shipped to our warehouse. Who should we talk to?", "sales", "dealer-partnership"},
		{"越南代理", "我们在胡志明市有二十家家电店，想代理你们的电饭煲和电水壶，请问需要什么条件？", "sales", "dealer-partnership"},
		{"Quick question", "Your robot vacuum pages do not rank for 'quiet air purifier'. Our marketing agency can fix that; shall I send a free audit?", "pr", "press-contact"},
		{"贊助邀請", "我們是大學登山社，活動需要一台空氣清淨機當獎品，想請貴公司贊助。", "pr", "press-contact"},
		{"Card declined", "I'm ordering the robot vacuum and the dehumidifier on your site and my Mastercard keeps getting declined. Can you check?", "finance", "payment-problems"},
		{"Is this real?", "Someone on WhatsApp says you are hiring remote order reviewers if I pay a training fee. Is Acme hiring for this?", "hr", "careers"},
	} {
		m, _ := message.Parse([]byte("Subject: " + tc.subject + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + tc.body + "\r\n"))
		ts := c.Topics(m)
		if len(ts) == 0 || ts[0].Department != tc.want || ts[0].Confidence < 0.5 || ts[0].Entries[0] != tc.entry {
			t.Errorf("%q: topics %+v, want %s from %s, confidence ≥ 0.5", tc.subject, ts, tc.want, tc.entry)
		}
	}
}

// FuzzMailKinds: the kind cues never panic on any text, and read a text
// and its folded form alike (folding is what they are matched on).
func FuzzMailKinds(f *testing.F) {
	for _, s := range []string{"Could we become your exclusive distributor?", "我是部落客，想談開箱評測合作", "My Visa gets declined", "滤网红灯", "\xff\xfe 招商银行"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		once := foldText(s)
		if a, b := mailKinds(once), mailKinds(foldText(once)); a != b {
			t.Errorf("%q: kinds %03b, of its folded form %03b", s, a, b)
		}
	})
}
