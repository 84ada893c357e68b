package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/message"

	"go.yaml.in/yaml/v3"
)

func evalDir() string { return filepath.Join("..", "..", "shared", "eval") }

// evalSetDir is where a labelled set is: dev is this repository's
// eval/dev (a tuning set beside public, blind to public-b), the others
// are ../shared/eval's.
func evalSetDir(set string) string {
	if set == "dev" || set == "dev2" || set == "dev3" || set == "dev4" || set == "dev5" || set == "dev6" {
		return filepath.Join("..", "eval", set)
	}
	return filepath.Join(evalDir(), set)
}

type label struct {
	File       string `yaml:"file"`
	Lang       string `yaml:"lang"`
	Department string `yaml:"department"`
}

// deptTarget is the department accuracy the demo rules must reach on the
// held-out set public-b: issue 19's 0.92, which the catalog-based
// classifier reaches since session 15's changes (0.938 since session
// 16's mail kinds, measured once at its end; 0.925: pitches read by
// the careers and press entries alone, a refund or payment gone wrong
// not kept with the address's department, Chinese function words
// weighed by their general frequency, the wider reading of requests and
// retractions; 0.887 before, 0.875 before a pre-sale
// question's product entries counted for sales, 0.850 before product
// nouns counted half in the ranking, 0.825 before the address's
// department was kept for entries it shares).
const deptTarget = 0.92

// TestDemoRoutingAccuracy routes the labelled mails of the public sets
// and eval/dev with the demo rules and the demo FAQ catalog as classifier (envelope
// recipients taken from the To header) and prints the department accuracy
// overall and per language. It fails under the target on public-b, the
// held-out set; misses are listed for the tuning sets only (-v), since
// public-b's mails are not to be looked at one by one, and public-b's
// figures are printed only with FRONTDESK_SHOW_HELDOUT=1, so that tuning
// runs do not look at it.
func TestDemoRoutingAccuracy(t *testing.T) {
	for _, set := range []string{"public", "dev", "dev2", "dev3", "dev4", "dev5", "dev6", "public-b"} {
		dir := evalSetDir(set)
		data, err := os.ReadFile(filepath.Join(dir, "labels.yaml"))
		if err != nil {
			if os.Getenv("FRONTDESK_INTEGRATION") == "require" {
				t.Fatalf("labels: %v", err)
			}
			t.Skipf("evaluation data not found: %v", err)
		}
		var labels []label
		if err := yaml.Unmarshal(data, &labels); err != nil {
			t.Fatal(err)
		}
		if len(labels) == 0 {
			t.Fatal("no labels")
		}
		r := Demo()
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		total, good := map[string]int{}, map[string]int{}
		for _, l := range labels {
			raw, err := os.ReadFile(filepath.Join(dir, l.File))
			if err != nil {
				t.Fatal(err)
			}
			m, _ := message.Parse(raw)
			for _, a := range m.To {
				m.Rcpt = append(m.Rcpt, a.Address)
			}
			d := r.EvaluateWith(m, now, faq.Demo())
			total["all"]++
			total[l.Lang]++
			if d.Department == l.Department {
				good["all"]++
				good[l.Lang]++
				continue
			}
			if set == "public-b" || !testing.Verbose() {
				continue
			}
			var rules []string
			for _, mt := range d.Matched {
				rules = append(rules, mt.Rule+" "+strings.Join(mt.Why, ", "))
			}
			t.Logf("miss %s (%s): want %s, got %s; matched: %s", l.File, l.Lang, l.Department, d.Department, strings.Join(rules, " | "))
		}
		acc := func(k string) float64 { return float64(good[k]) / float64(max(total[k], 1)) }
		if set == "public-b" && acc("all") < deptTarget {
			t.Errorf("%s: department accuracy below %.2f", set, deptTarget)
		}
		if set == "public-b" && os.Getenv("FRONTDESK_SHOW_HELDOUT") == "" {
			// each look at the held-out set is counted (issue 19): its
			// figure is printed only when asked for
			continue
		}
		t.Logf("%-8s department accuracy %.3f (%d/%d)  en %.3f  zh %.3f  mixed %.3f", set, acc("all"), good["all"], total["all"],
			acc("en"), acc("zh"), acc("mixed"))
	}
}

// TestDemoRoutingExamples: mails written for this test (not from the
// labelled set) that the demo rules should route per the routing policy in
// the evaluation README.
func TestDemoRoutingExamples(t *testing.T) {
	r := Demo()
	// known lists the cases the catalog-based classifier still gets wrong
	// (issue 19: the method's limits, reported in the README). They are
	// logged, and the test fails if one starts to pass, so that the list
	// shrinks rather than rots.
	known := map[string]bool{"Price": true}
	for _, c := range []struct {
		to, subject, body, want string
	}{
		{"support", "Purifier rattling", "My air purifier makes a loud rattling noise, can you help?", "support"},
		{"support", "Returning my vacuum", "I'd like to return my vacuum, it's too big for our flat.", "support"},
		{"sales", "My refund", "When will I get my refund? I sent the kettle back two weeks ago.", "finance"},
		{"support", "退货", "我想退货，怎么操作？", "support"},
		{"support", "咨询", "请问你们招聘售后工程师吗？", "hr"},
		{"support", "Partnership", "We are a retailer in Thailand with 12 shops and would like to stock your products.", "sales"},
		{"support", "Invoice", "Can I get a VAT invoice for my order AC123?", "finance"},
		{"support", "Checkout problem", "My payment didn't go through at checkout but the money left my account.", "finance"},
		{"support", "Office purchase", "We would like to order 200 units of the AP-400 for our offices.", "sales"},
		{"support", "Collab?", "I'm a YouTuber (80k subscribers) and would love to review your vacuum on my YouTube channel.", "pr"},
		{"support", "Pressure cooker error", "Press the start button and it shows E3.", "support"},
		{"support", "Application for warranty repair", "My kettle stopped working after 3 months.", "support"},
		{"support", "Application for the position of sales engineer", "Please find my CV attached.", "hr"},
		{"support", "Price", "How much is the AP-600 in Hong Kong?", "sales"},
		{"sales", "Price dropped", "The price dropped a week after I bought it, can I get the difference?", "support"},
		{"support", "激活不了", "WiFi 激活一直失败，app 显示 error", "support"},
		{"support", "我是你们的粉丝", "我是你们的忠实粉丝，家里全是你们的产品。扫地机最近充不进电了。", "support"},
		{"support", "申请成为经销商", "我们在成都有三家门店，想申请成为你们的经销商。", "sales"},
		{"support", "采访邀请", "我是南方日报的记者，想就智能家电出海采访贵司负责人。", "pr"},
		{"support", "發票", "請問可以補開發票嗎？", "finance"},
		{"jobs", "Question", "Hello, is the internship still open?", "hr"},
		{"press", "Hello", "Could you send us a statement about the kettle recall?", "pr"},
		{"billing", "Broken kettle", "My kettle is broken, not working at all.", "support"},
		// a pre-sale question naming a product or its parts is sales',
		// though it matches the product's troubleshooting entries; the
		// fault report of one owned stays support's, whatever the address
		{"support", "Robot vacuum question", "I'm thinking of buying the robot vacuum. Does it get stuck under sofas or on cables?", "sales"},
		{"sales", "Robot vacuum stuck", "My robot vacuum keeps getting stuck under the sofa and on cables. What can I do?", "support"},
		{"support", "扫地机器人", "想买扫地机器人，请问它会不会卡在沙发底下或者被电线缠住？", "sales"},
		{"sales", "除湿机不出水", "我的除湿机不出水，水箱是空的，怎么办？", "support"},
		{"support", "除濕機", "打算買除濕機，請問水箱滿了會自動停機嗎？", "sales"},
		{"sales", "除濕機不出水", "我的除濕機不出水，水箱是空的，怎麼辦？", "support"},
		// an owner's report is after-sale, however much it speaks of choosing
		{"sales", "Too weak", "I bought the AP-400 for a 30 m2 bedroom but it is not strong enough, the room size on the page was wrong.", "support"},
		// however weakly the catalog matches it
		{"support", "净水器", "想买一台净水器，还在犹豫。你们这款每天能出多少纯水？水压低的小区能用吗？", "sales"},
		{"sales", "Charged twice", "I was charged twice for the same order. Please refund one of the payments.", "finance"},
		// a refund or payment reported gone wrong is finance's though its
		// entry is support's too; how a refund works stays with the address
		{"support", "Refund still not here", "Your warehouse signed for the dehumidifier I sent back two weeks ago, but the refund still hasn't reached my card.", "finance"},
		{"support", "退款还没到", "退回去的净水器仓库已经签收一个星期了，退款还没到账。", "finance"},
		{"support", "Returning the kettle", "If I return the kettle, how long does the refund take to reach my credit card?", "support"},
		// a marketing pitch is read by the press and careers entries
		// alone, whatever products it names
		// a proposal is read by the entries of its kind: distribution is
		// sales', marketing and sponsorship pr's, a job hr's, whatever the
		// address and the products it names
		{"press", "Partnership - Peru", "We have nine appliance showrooms in Lima and would like to carry your air purifiers in Peru. Who handles new markets?", "sales"},
		{"sales", "Your rankings", "Your robot vacuum pages are not on page one. Our marketing agency can send a free audit this week.", "pr"},
		{"sales", "社团赞助", "我们是大学摄影社，年底影展想请贵公司赞助几台空气净化器作奖品。", "pr"},
		{"sales", "Collaboration idea", "Our media agency's creators run home and lifestyle channels with 300k followers. We would love a collaboration on your air purifiers and robot vacuums for the spring campaign. Happy to share our rate card.", "pr"},
	} {
		raw := mkmail("Customer <c@example.net>", c.to+"@acme-appliances.example", c.subject, c.body)
		m := parse(t, raw, c.to+"@acme-appliances.example")
		d := r.EvaluateWith(m, weekdayNoon, faq.Demo())
		var why []string
		for _, mt := range d.Matched {
			why = append(why, mt.Rule+": "+strings.Join(mt.Why, ", "))
		}
		switch {
		case d.Department != c.want && known[c.subject]:
			t.Logf("known miss: %q to %s: got %s, want %s (%s)", c.subject, c.to, d.Department, c.want, strings.Join(why, " | "))
		case d.Department != c.want:
			t.Errorf("%q to %s: got %s, want %s (%s)", c.subject, c.to, d.Department, c.want, strings.Join(why, " | "))
		case known[c.subject]:
			t.Errorf("%q to %s: now routed right; take it off the known misses", c.subject, c.to)
		}
	}
}

// fixedTopics is a classifier that says the same of every mail.
type fixedTopics []faq.Topic

func (f fixedTopics) Topics(*message.Message) []faq.Topic { return f }

// Content decides when it is clear, the address when it is not, and
// nothing changes without a classifier; the trace says why.
func TestAboutRoutesByContentWhenClear(t *testing.T) {
	r := Demo()
	m := parse(t, mkmail("c@example.net", "sales@acme-appliances.example", "charged twice", "My card was charged twice."), "sales@acme-appliances.example")
	clear := fixedTopics{{Department: "finance", Confidence: 0.8, Entries: []string{"payment-problems"}}, {Department: "support", Confidence: 0.2}}
	unclear := fixedTopics{{Department: "finance", Confidence: 0.4}, {Department: "support", Confidence: 0.35}}
	for _, c := range []struct {
		name string
		cls  Classifier
		want string
	}{
		{"clear content", clear, "finance"},
		{"unclear content", unclear, "sales"},
		{"no classifier", nil, "sales"},
	} {
		d := r.EvaluateWith(m, weekdayNoon, c.cls)
		if d.Department != c.want {
			t.Errorf("%s: department %s, want %s (%+v)", c.name, d.Department, c.want, d.Matched)
		}
	}
	d := r.EvaluateWith(m, weekdayNoon, clear)
	why := fmt.Sprint(d.Matched)
	if !strings.Contains(why, "about finance (confidence 0.80 ≥ 0.50; FAQ topics payment-problems)") || len(d.Topics) != 2 {
		t.Errorf("trace: %s; topics %+v", why, d.Topics)
	}
	if d := r.Evaluate(m, weekdayNoon); d.Topics != nil {
		t.Errorf("topics without a classifier: %+v", d.Topics)
	}
}

// When the leading entry is also the address's department's (Topic.Also),
// the content does not contradict the address and the mail stays; when
// the address's department is not among the entry's, content decides.
func TestAboutKeepsTheAddressItsEntryShares(t *testing.T) {
	r := Demo()
	coupons := fixedTopics{{Department: "sales", Confidence: 0.8, Entries: []string{"coupons"}, Also: []string{"support"}}}
	for _, c := range []struct{ to, want, why string }{
		{"support", "support", "about support (confidence 0.80 ≥ 0.50; FAQ topics coupons; kept with the address's department: the entry is sales's too)"},
		{"billing", "sales", "about sales (confidence 0.80 ≥ 0.50; FAQ topics coupons)"},
	} {
		to := c.to + "@acme-appliances.example"
		m := parse(t, mkmail("c@example.net", to, "coupon", "My coupon code does not work."), to)
		d := r.EvaluateWith(m, weekdayNoon, coupons)
		if d.Department != c.want || !strings.Contains(fmt.Sprint(d.Matched), c.why) {
			t.Errorf("to %s: department %s, want %s; trace %v, want %q", c.to, d.Department, c.want, d.Matched, c.why)
		}
		if coupons[0].Department != "sales" {
			t.Fatalf("the classifier's topics were changed in place: %+v", coupons)
		}
	}
}

// An agent's correction is not held back by the address rule: after one
// #move to finance, a similar mail sent to support@ goes to finance,
// though its leading entry (refund-timing) is support's too.
func TestLearnedDepartmentBeatsTheSharedEntry(t *testing.T) {
	r := Demo()
	taught := faq.Example{ID: "1", Department: "finance", Text: "trade-in rebate not received\nI traded in my old washing machine when I bought the new one and the 300 yuan trade-in rebate never arrived. Where is it?"}
	to := "support@acme-appliances.example"
	m := func() *message.Message {
		return parse(t, mkmail("c@example.net", to, "trade-in rebate not received",
			"I traded in my old fridge when I bought a new one, and the trade-in rebate never arrived. Where is it?"), to)
	}
	if d := r.EvaluateWith(m(), weekdayNoon, faq.Demo()); d.Department != "support" {
		t.Fatalf("before learning: %s (%v), want support", d.Department, d.Matched)
	}
	d := r.EvaluateWith(m(), weekdayNoon, faq.Demo().WithExamples([]faq.Example{taught}))
	if d.Department != "finance" || strings.Contains(fmt.Sprint(d.Matched), "kept with the address") {
		t.Errorf("after learning: %s (%v), want finance by content", d.Department, d.Matched)
	}
}

// The trace says when a pre-sale question was taken from support's
// troubleshooting entries to sales.
func TestAboutExplainsPreSale(t *testing.T) {
	to := "support@acme-appliances.example"
	m := parse(t, mkmail("c@example.net", to, "Robot vacuum question",
		"I'm thinking of buying the robot vacuum. Does it get stuck under sofas or on cables?"), to)
	d := Demo().EvaluateWith(m, weekdayNoon, faq.Demo())
	why := fmt.Sprint(d.Matched)
	if d.Department != "sales" || !strings.Contains(why, "FAQ topics vacuum-stuck-errors") || !strings.Contains(why, "asked before buying: product entries count for sales") {
		t.Errorf("department %s, trace %s", d.Department, why)
	}
	m = parse(t, mkmail("c@example.net", to, "Robot vacuum stuck",
		"My robot vacuum keeps getting stuck under the sofa and on cables. What can I do?"), to)
	if d := Demo().EvaluateWith(m, weekdayNoon, faq.Demo()); d.Department != "support" || strings.Contains(fmt.Sprint(d.Matched), "before buying") {
		t.Errorf("fault report: department %s, trace %v", d.Department, d.Matched)
	}
}

// TestAboutTraceSaysWhatWasLearned: a confidence learned examples give is
// named in the trace; a department only examples vote for has no FAQ
// topics, and the trace says what it rests on instead of "FAQ topics ".
// Before, it read "about finance (confidence 0.66 ≥ 0.50; FAQ topics )".
func TestAboutTraceSaysWhatWasLearned(t *testing.T) {
	r := Demo()
	m := parse(t, mkmail("c@example.net", "support@acme-appliances.example", "trade-in rebate", "The rebate never came."), "support@acme-appliances.example")
	for _, c := range []struct {
		topics fixedTopics
		why    string
	}{
		{fixedTopics{{Department: "finance", Confidence: 0.66, Learned: 0.66}}, "about finance (confidence 0.66 ≥ 0.50; learned examples 0.66)"},
		{fixedTopics{{Department: "finance", Confidence: 0.82, Learned: 0.64, Entries: []string{"refund-timing"}}},
			"about finance (confidence 0.82 ≥ 0.50; FAQ topics refund-timing; learned examples 0.64)"},
	} {
		d := r.EvaluateWith(m, weekdayNoon, c.topics)
		if why := fmt.Sprint(d.Matched); d.Department != "finance" || !strings.Contains(why, c.why) {
			t.Errorf("department %s, trace %s; want %q", d.Department, why, c.why)
		}
	}
}

// TestAddressTopicIsListedOnce: when the address's department takes the
// shared entry's place and has a topic of its own further down (its
// learned examples), the two are one topic: the department is listed once,
// and its bar is met by their sum (audit item 16: "support 0.46
// (coupons); support 0.06 (learned examples 0.06)", under the bar 0.50).
func TestAddressTopicIsListedOnce(t *testing.T) {
	r := Demo()
	tops := fixedTopics{
		{Department: "sales", Confidence: 0.46, Entries: []string{"coupons"}, Also: []string{"support"}},
		{Department: "finance", Confidence: 0.40, Entries: []string{"refund-timing"}},
		{Department: "support", Confidence: 0.06, Learned: 0.06},
	}
	to := "support@acme-appliances.example"
	m := parse(t, mkmail("c@example.net", to, "coupon", "My coupon code does not work."), to)
	d := r.EvaluateWith(m, weekdayNoon, tops)
	var depts []string
	for _, tp := range d.Topics {
		depts = append(depts, tp.Department)
	}
	if fmt.Sprint(depts) != "[support finance]" || d.Topics[0].Confidence != 0.52 || d.Topics[0].Learned != 0.06 ||
		fmt.Sprint(d.Topics[0].Entries) != "[coupons]" {
		t.Errorf("topics %+v", d.Topics)
	}
	if d.Department != "support" || !strings.Contains(fmt.Sprint(d.Matched), "about support (confidence 0.52 ≥ 0.50; FAQ topics coupons; learned examples 0.06; kept with") {
		t.Errorf("department %s, trace %v", d.Department, d.Matched)
	}
	if len(tops) != 3 || tops[0].Department != "sales" || tops[2].Department != "support" {
		t.Fatalf("the classifier's topics were changed in place: %+v", tops)
	}
}

// TestTraceSaysTheAddressDecided: when no rule sets the department, the
// decision says the address (or the default) decided it and why the
// content did not (audit item 17); when content decides, it says nothing.
func TestTraceSaysTheAddressDecided(t *testing.T) {
	r := Demo()
	vague := fixedTopics{{Department: "support", Confidence: 0.30, Entries: []string{"kettle-not-heating"}}, {Department: "finance", Confidence: 0.2}}
	clear := fixedTopics{{Department: "finance", Confidence: 0.9, Entries: []string{"payment-problems"}}}
	for _, c := range []struct {
		name, to string
		cls      Classifier
		dept     string
		want     string
	}{
		{"under the bar", "sales", vague, "sales", "the recipient address sales@acme-appliances.example (sales): the content is not clear enough (leading topic support 0.30 < 0.50)"},
		{"no topic", "sales", fixedTopics{}, "sales", "the recipient address sales@acme-appliances.example (sales): the content matches no topic"},
		{"no classifier", "billing", nil, "finance", "the recipient address billing@acme-appliances.example (finance): no classifier: about conditions do not hold"},
		{"default department", "nobody", vague, "support", "the default department (no recipient address is a department's): the content is not clear enough (leading topic support 0.30 < 0.50)"},
		{"content decides", "sales", clear, "finance", ""},
	} {
		to := c.to + "@acme-appliances.example"
		m := parse(t, mkmail("c@example.net", to, "question", "Hello, I have a question about my account and also the kettle."), to)
		d := r.EvaluateWith(m, weekdayNoon, c.cls)
		if d.Department != c.dept || d.ByAddress != c.want {
			t.Errorf("%s: department %s, want %s; ByAddress %q, want %q", c.name, d.Department, c.dept, d.ByAddress, c.want)
		}
	}
}
