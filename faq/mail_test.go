package faq

import (
	"regexp"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/frontdesk-mail/frontdesk/message"
)

// The cue regexps the phrase sets replaced: the phrase sets must match
// exactly where these do. wrapped lets the regexps' spaces be what
// separates a phrase's words (sepLen): spaces and tabs with at most one
// line break.
func wrapped(src string) *regexp.Regexp {
	const sep = `(?:[ \t\r]+\n?[ \t\r]*|\n[ \t\r]*)`
	src = strings.ReplaceAll(src, "['’ ]", "(?:['’]|\x00)")
	src = strings.ReplaceAll(src, " ", sep)
	return regexp.MustCompile(strings.ReplaceAll(src, "\x00", sep))
}

var cueRegexps = map[string]struct {
	re *regexp.Regexp
	m  interface{ MatchString(string) bool }
}{
	"askEN":       {wrapped(`(?i)\b(could|can|would|will) (you|u|someone|somebody|i|we)\b|\b(may|might) i (know|ask)\b|\bplease (?:(?:also|kindly|urgently) )?(help|advise|let|tell|send|refund|cancel|change|issue|check|confirm|delete|remove|stop|arrange|explain|provide|contact|reply|fix|update|reset|call)\b|\bkindly\b|\bi (would like|want|need|request|wish) to\b|\b(i|we)(?:['’ ]d| would) (like|appreciate|prefer)\b|\bi request\b|\b(how|what|when|where|which|why) (do|does|can|should|is|are|will|long|much|many)\b|\bany (idea|ideas|advice|help|suggestions?)\b|\blet me know\b|\bwondering\b`), askEN},
	"thanks":      {wrapped(`(?i)\b(thank you|thanks|grateful|appreciate|praise|compliments?|kudos|great job|excellent service)\b|谢谢|謝謝|感谢|感謝|多谢|多謝|表扬|表揚|称赞|稱讚|点赞|點讚|好评|好評`), thanksMark},
	"pitch":       {wrapped(`(?i)\b(reporter|journalist|editor|interview request|request an interview|feature (about|on)|media enquiry|collaboration|partnership proposal|sponsorship|influencer|kol|koc|mcn|cooperation|hiring manager|curriculum vitae|my cv|my resume|application for|position of|job opening|rate card|case studies|we manufacture|we supply|oem|odm|seo|organic traffic|search rankings|free audit|lead generation|backlinks|digital marketing|marketing agency|case study|quick call|short call|minute call|book a call|hop on a call|reply stop|brands like yours|companies like yours|businesses like yours|brands your size)\b|供应商|供應商|代工|记者|記者|采访|採訪|合作邀约|合作邀約|商务合作|商務合作|品牌合作|种草|種草|达人|達人|求职|求職|应聘|應徵|简历|簡歷`), pitchMark},
	"question":    {regexp.MustCompile(`\?|？`), questionMark},
	"askZH":       {literalsRegexp(askZH), askZH},
	"askZHStrong": {literalsRegexp(askZHStrong), askZHStrong},
	"complaint":   {wrapped(`(?i)\b(complain|complaint|disgusted|disgusting|pathetic|unacceptable|appalling|rude|terrible service|worst service|useless)\b|投诉|投訴|态度差|態度差|态度问题|態度問題|太差了|气死|氣死`), complaintMark},
}

var cueSamples = []string{
	"Could you check my order?", "COULD YOU", "could  you", "could you_", "couldyou", "I could not",
	"can u help", "Can we?", "will I", "scan you", "may I ask", "might i know", "may I",
	"please help", "Please also refund", "please kindly call", "please urgently fix it", "please   help",
	"pleased to help", "please helps", "Kindly advise", "kindly.", "unkindly", "I would like to", "i want to",
	"i wanted to", "I need to know", "I request a refund", "let me know", "LET ME KNOW!", "let me knowledge",
	"how do I", "What is", "why long", "where are", "which will", "any idea?", "any suggestions", "any suggestion",
	"any suggestionss", "I was wondering", "wonderings", "thank you", "Thanks!", "thankful", "I appreciate it",
	"appreciated", "谢谢您", "多謝晒", "I am a reporter", "Journalist_", "feature about you", "feature on",
	"kol", "KOC and MCN", "my CV", "my resume.", "job opening", "jobopening", "记者", "complain", "complaints",
	"terrible service", "terrible  service", "投诉", "rude!", "", "?", "我想问一下", "résumé", "could\tyou",
	"please\nhelp", "what's", "why does", "how much is it", "how many", "wondering?",
	"这个多少钱", "請問一下", "I want to praise Li", "our rate card", "we supply PCBs", "OEM/ODM", "roomy", "供应商", "compliments to the chef", "complimentary", "Well done!", "great  job", "表扬一下", "給個好評", "可以吗？", "可以", "你好吗", "吗", "想", "\U00015417", "\U00015417吗", "能\xff否", "能否",
	"\xe5\x90", "客服你好，我的订单怎么还没发货", "係唔係", "需不需要",
	"I'd like it back", "we’d prefer", "could \n\n you", "could \r\n you", "please\n\nhelp", "great\t \njob", "i\nd like", "I would appreciate", "i d like", "I'dlike", "id like", "不好意思麻烦你们了", "辛苦了", "麻烦您帮我查", "麻煩了",
}

// literalsRegexp is the alternation of l's words.
func literalsRegexp(l *literals) *regexp.Regexp {
	var alts []string
	for _, ws := range l.byFirst {
		for _, w := range ws {
			alts = append(alts, regexp.QuoteMeta(w.w))
		}
	}
	return regexp.MustCompile(strings.Join(alts, "|"))
}

func TestCuesMatchTheirRegexps(t *testing.T) {
	for name, c := range cueRegexps {
		for _, s := range cueSamples {
			if got, want := c.m.MatchString(s), c.re.MatchString(s); got != want {
				t.Errorf("%s(%q) = %v; the regexp says %v", name, s, got, want)
			}
		}
	}
}

// checkCueGroups: each mark read in a group (mailIntent's one pass per
// text) matches where it matches on its own.
func checkCueGroups(t *testing.T, s string) {
	t.Helper()
	for _, g := range []struct {
		name  string
		group *cueGroup
		marks []interface{ MatchString(string) bool }
	}{
		{"textCues", textCues, []interface{ MatchString(string) bool }{questionMark, askEN, askZH, askZHStrong, pitchMark, complaintMark, thanksMark}},
		{"foldedCues", foldedCues, []interface{ MatchString(string) bool }{reportMark, foreignMark, buyMark, ownMark, retractMark, autoBodyMark, relayMark}},
	} {
		got := g.group.match(s)
		for i, m := range g.marks {
			if in, alone := got&(1<<i) != 0, m.MatchString(s); in != alone {
				t.Errorf("%s mark %d on %q: %v in the group, %v alone", g.name, i, s, in, alone)
			}
		}
	}
}

func TestCueGroupsMatchTheirMarks(t *testing.T) {
	samples := append([]string{"", "it is not working and I want a refund? 谢谢", "thinking of buying one. 我的订单还没到，湿了",
		"another brand's kettle", "we supply OEM 供应商 complaint", "Could you 请问 吗？", "never mind, I'm out of the office 休假中"}, cueSamples...)
	for _, s := range samples {
		checkCueGroups(t, s)
		checkCueGroups(t, foldText(s))
	}
}

func FuzzCues(f *testing.F) {
	for _, s := range cueSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for name, c := range cueRegexps {
			if got, want := c.m.MatchString(s), c.re.MatchString(s); got != want {
				t.Errorf("%s(%q) = %v; the regexp says %v", name, s, got, want)
			}
		}
		checkCueGroups(t, s)
	})
}

var sentenceEndRegexp = regexp.MustCompile(`[.!?。！？\n]+|[;；]`)

var sentenceEndSamples = []string{"", "no end", "one. two", "why?!? then", "a;b", "a;;b", "好。。。吗？\n\n下", "x；y", "…", "a\nb", "end.",
	"a.;b", "a？；b", "\xe3\x80", "\xef\xbc", "x\xef\xbc\x9f", "。！？；", "\xe3\x80\x81", "a!\n。"}

func checkSentenceEnd(t *testing.T, s string) {
	start, end, ok := sentenceEnd(s)
	loc := sentenceEndRegexp.FindStringIndex(s)
	if ok != (loc != nil) || ok && (start != loc[0] || end != loc[1]) {
		t.Errorf("sentenceEnd(%q) = %d, %d, %v; the regexp finds %v", s, start, end, ok, loc)
	}
}

func TestSentenceEndMatchesItsRegexp(t *testing.T) {
	for _, s := range sentenceEndSamples {
		checkSentenceEnd(t, s)
	}
}

func FuzzSentenceEnd(f *testing.F) {
	for _, s := range sentenceEndSamples {
		f.Add(s)
	}
	f.Fuzz(checkSentenceEnd)
}

// TestFoldRuneFastPath checks the shortcut for the CJK Unified Ideographs
// block against the general path (NFKC, lower case, Cantonese and
// Traditional→Simplified).
func TestFoldRuneFastPath(t *testing.T) {
	for r := rune(0x4E00); r <= 0x9FFF; r++ {
		got := foldRune(nil, r)
		s := norm.NFKC.String(string(r))
		var want []rune
		for _, c := range s {
			c = unicode.ToLower(c)
			if x, ok := yue2cmn[c]; ok {
				c = x
			} else if x, ok := t2s[c]; ok {
				c = x
			}
			want = append(want, c)
		}
		if string(got) != string(want) {
			t.Fatalf("foldRune(%U) = %q; the general path gives %q", r, string(got), string(want))
		}
	}
}

func TestQuoted(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"Where is my order?\r\n\r\nOn Mon, Acme wrote:\r\n> We shipped it.", "> We shipped it."},
		{"Where is my order?", ""},
		{"> we asked\nI answer", "> we asked"},
		{"A\n> we asked\nB", "> we asked"}, // answers between quotes: the quotes
		// what no one wrote as words is not history: header blocks,
		// markers, signatures, legal footers and phone signatures
		{"Kettle broken.\n\nFrom: Shop <help@shop.test>\nSent: Monday\nTo: Ann\nSubject: Re: Kettle\n\nWe shipped it.", "We shipped it."},
		{"Kettle broken.\n-- \nAnn Lee\nCONFIDENTIALITY NOTICE: This e-mail may contain privileged data; delete it and any refund advice.", ""},
		{"Kettle broken.\n-- \nAnn Lee\n\nOn Mon, Shop wrote:\n> We shipped it.\n> -- \n> Shop team, returns desk", "> We shipped it."},
		{"Kettle broken.\n\n-----Original Message-----\nFrom: Shop\nSent: Monday\n\nWe shipped it.\nSent from my iPhone\n\nOn Sun, Ann wrote:\n> Where is it?", "We shipped it.\n> Where is it?"},
		{"---------- Forwarded message ---------\nFrom: Ann <ann@home.test>\nDate: Mon\nSubject: Kettle\nTo: help@shop.test\n\nKettle broken.", ""},
	} {
		m := &message.Message{Text: c.text}
		if got := quoted(m.Text, m.Fresh(), nil); got != c.want {
			t.Errorf("quoted(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// TestQuotedLeavesOutOurMails: the quoted zone leaves out the mails the
// help desk wrote (from the domain the mail was sent to: its
// acknowledgements and replies, which every reply button quotes), and
// keeps a customer's mail quoted inside ours and mail from elsewhere.
func TestQuotedLeavesOutOurMails(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"Still broken.\n\nOn Mon, Shop <help@shop.test> wrote:\n> Thank you, we received your message. Refund desk.", ""},
		{"Still broken.\n\nFrom: Shop <help@shop.test>\nSent: Monday\nTo: Ann\nSubject: Re: Fan\n\nTry a reset.\n\nOn Sun, Ann <ann@home.test> wrote:\n> The fan rattles.", "> The fan rattles."},
		{"Still broken.\n\n*发件人:* 客服 <help@SHOP.test>\n*发送时间:* 周一\n\n已收到", ""},
		{"Still broken.\n\nOn Mon, Courier <news@courier.test> wrote:\n> Parcel held.", "> Parcel held."},
		{"Still broken.\n\nOn Mon, Shop <help@shop.test.evil.test> wrote:\n> Parcel held.", "> Parcel held."},
		{"Still broken.\n\nOn Mon, Shop wrote:\n> Parcel held.", "> Parcel held."}, // no address: not known to be ours
	} {
		m := &message.Message{Text: c.text, Rcpt: []string{"support@shop.test"}}
		if got := quoted(m.Text, m.Fresh(), ourDomains(m)); got != c.want {
			t.Errorf("quoted(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestAutoReplyAsksNothing(t *testing.T) {
	for _, c := range []struct {
		head string
		want bool
	}{
		{"Subject: Automatic reply: my kettle will not heat\r\n", true},
		{"Subject: Out of Office: refund?\r\n", true},
		{"Subject: 自动回复: 退款\r\n", true},
		{"Subject: refund?\r\nAuto-Submitted: auto-replied\r\n", true},
		{"Subject: refund?\r\nAuto-Submitted: no\r\n", false},
		{"Subject: refund?\r\nX-Autoreply: yes\r\n", true},
		{"Subject: refund?\r\nPrecedence: auto_reply\r\n", true},
		{"Subject: my auto reply settings do not work\r\n", false},
	} {
		m, _ := message.Parse([]byte("From: a@b.example\r\n" + c.head + "Content-Type: text/plain; charset=utf-8\r\n\r\nMy kettle does not heat. When will I get my refund?\r\n"))
		if got := autoReply(m); got != c.want {
			t.Errorf("%q: autoReply %v, want %v", c.head, got, c.want)
		}
		if got := len(Demo().Suggest(m)) == 0; got != c.want {
			t.Errorf("%q: no links %v, want %v", c.head, got, c.want)
		}
	}
}

// The line regexps' prefilter never turns down a line the regexp matches
// (so it changes the cost of reading a mail, not what is read).
func TestLineStartIsTheRegexp(t *testing.T) {
	lines := []string{"", "Sent from my iPhone", "SENT FROM MY PHONE", "ſent from my phone", "Get Outlook for iOS", "发自我的iPhone",
		"Confidentiality notice: this", "DISCLAIMER", "This e-mail and any attachments are", "The information in this message", "本邮件及其附件",
		"Thanks", "Thank you!", "KIND REGARDS,", "Kind regards", "Best", "br", "谢谢！", "唔該晒", "顺颂商祺", "Thanks for the quick reply, but it still fails",
		"Hi team,", "Hello", "Dear Sir or Madam,", "Good morning", "To whom it may concern", "客服您好：", "亲爱的客服你好！", "我的订单你好", "hey",
		"My kettle is broken", "Could you help?", "  Hi", "\tthanks", "Ｈi", "\xff\xfe",
		"This message is intended only for", "The information contained in this e-mail", "Yours sincerely,", "All the best!", "Best wishes",
		"Warm regards", "Many thanks!", "thx", "To whom it may concern:", "Good afternoon team", "来自我的华为手机", "此致", "敬祝 安康", "\u212aind regards"}
	for _, l := range lines {
		for _, m := range []*lineStart{mobileSig, legalFooter, signOff, salutation} {
			if got, want := m.MatchString(l), m.re.MatchString(l); got != want {
				t.Errorf("%q against %s: %v, the regexp says %v", l, m.re, got, want)
			}
		}
	}
}

func FuzzLineStart(f *testing.F) {
	for _, s := range []string{"Sent from my iPhone", "Kind regards,", "亲爱的客服你好！", "ſent from", "disclaimer"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range []*lineStart{mobileSig, legalFooter, signOff, salutation} {
			if got, want := m.MatchString(s), m.re.MatchString(s); got != want {
				t.Errorf("%q against %s: %v, the regexp says %v", s, m.re, got, want)
			}
		}
	})
}

// A mail about another maker's product gets no link; one that names
// another maker's beside a fault of the shop's own product is about ours.
func TestForeignProduct(t *testing.T) {
	for _, c := range []struct {
		subject, body string
		foreign       bool
	}{
		{"repair", "My air conditioner is another brand's. Can your technician repair it?", true},
		{"kettle leaking", "I switched from another brand's kettle last month. Now your kettle leaks from the bottom. What can I do?", false},
		{"电水壶坏了", "别的牌子的电水壶用了五年都没问题，你们的电水壶一个月就坏了，不能加热。", false},
		{"问一下能不能修空调", "我家的空调是别的牌子的，这两天不制冷了。之前买过你们的净水器，安装师傅挺专业的。", true},
		{"漏水", "我的淨水器是你們的，以前用別的牌子的濾芯，現在漏水了。", false},
		{"question", "Is this kettle quieter than other brands? It does not say.", false},
		{"fix", "It isn't your product, it's a Dyson, and it does not charge. Can you fix it?", true},
		{"kettle", "Your kettle is great, my old one was another brand's. It never worked well.", true},
	} {
		if got := mailIntent(c.subject, c.body).foreign; got != c.foreign {
			t.Errorf("%q: foreign %v, want %v", c.body, got, c.foreign)
		}
	}
}

// TestApostropheSeparatesPhraseWords: the cue phrases are written with
// an apostrophe as a space, as foldText writes it; on raw text "I'd
// like" and "I’d appreciate" must meet "i d like" and "i d appreciate".
func TestApostropheSeparatesPhraseWords(t *testing.T) {
	for _, c := range []struct {
		text string
		asks bool
	}{
		{"You've taken it twice. I'd like the extra one back.", true},
		{"I\u2019d appreciate a call tomorrow.", true},
		{"We'd prefer a replacement.", true},
		{"I would like my money back.", true},
		{"We'd had it for two years and liked it.", false},
		{"I had a lovely time.", false},
	} {
		if got := mailIntent("", c.text).asks; got != c.asks {
			t.Errorf("%q: asks %v, want %v", c.text, got, c.asks)
		}
	}
}

// TestRetractAndTroubleThanks: a request taken back, and the set
// phrases of thanks for trouble, ask nothing; 麻烦 before a verb still
// asks; "not your brand" names another maker's product.
func TestRetractAndTroubleThanks(t *testing.T) {
	for _, c := range []struct {
		subject, body string
		link          bool // decide would link a matching entry
		foreign       bool
	}{
		{"Re: 快递显示签收但没收到", "不用查了，找到了，被邻居代收了。不好意思麻烦你们了。", false, false},
		{"Re: parcel not received", "Never mind, found it at the neighbour's. Sorry!", false, false},
		{"Re: parcel not received", "Never mind the parcel, it came. But can I change the address of my next order?", true, false},
		{"快递还没到", "麻烦帮我查一下快递到哪了", true, false},
		{"快递还没到", "我的快递一周了还没到，麻烦你们了", true, false}, // a report, thanks in advance
		{"空气炸锅坏了", "我的空气炸锅不是你们这个牌子的，请问能修吗？", false, true},
		{"空氣炸鍋壞了", "不是你們的品牌，可以修嗎？", false, true},
		{"your new app", "The new version takes three taps to switch it on and does not show the filter life. That's all, I just wanted someone there to know.", false, false},
		{"order", "I just wanted you to know my order has not arrived. Where is it?", true, false},
		{"售后", "安装师傅很专业，表扬一下，不用回复。", false, false},
	} {
		in := mailIntent(c.subject, c.body)
		if in.foreign != c.foreign {
			t.Errorf("%q: foreign %v, want %v", c.body, in.foreign, c.foreign)
		}
		linked := !in.foreign && in.asks && !((in.thanks || in.retract) && !in.explicit)
		if linked != c.link {
			t.Errorf("%q: would link %v, want %v (%+v)", c.body, linked, c.link, in)
		}
	}
}

// TestCustomerTextStopsAtFooters: the customer's words end at a phone
// signature or a legal footer, the Chinese disclaimer headings
// (免责声明, 保密声明, Traditional 免責聲明) included.
func TestCustomerTextStopsAtFooters(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"烧水壶不加热了\n\n免责声明：本公司不对退款承担责任。", "烧水壶不加热了"},
		{"烧水壶不加热了\n\n免責聲明：本公司不對退款承擔責任。", "烧水壶不加热了"},
		{"烧水壶不加热了\n保密声明：请删除本邮件", "烧水壶不加热了"},
		{"Kettle dead\n\nCONFIDENTIALITY NOTICE: delete this", "Kettle dead"},
		{"Kettle dead\nSent from my iPhone", "Kettle dead"},
		{"Kettle dead\n\n发自网易邮箱大师", "Kettle dead"},
		{"师傅很专业\n发自内心感谢你们", "师傅很专业\n发自内心感谢你们"},
		{"Kettle dead\n我看了免责声明", "Kettle dead\n我看了免责声明"},
		// in bold, as html2text writes an Outlook disclaimer's <b>
		{"Kettle dead\n\n*免责声明：本邮件及其附件可能包含保密信息，仅供指定收件人使用，本公司不对退款承担任何责任。*", "Kettle dead"},
		{"Kettle dead\n\n*CONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential; delete it and any refund advice.*", "Kettle dead"},
	} {
		m := &message.Message{Text: c.text}
		if got := customerText(m, maxBodyBytes); got != c.want {
			t.Errorf("customerText(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// TestCustomerTextReadsEachPiece: a mail of the sender's own, forwarded or
// quoted below their note, is read with its own salutation and closing:
// the note's closing does not end the reading, and the forwarded mail's
// greeting is not a word of the question.
func TestCustomerTextReadsEachPiece(t *testing.T) {
	head := "From: Ann Lee <ann@home.test>\r\nTo: help@shop.test\r\nSubject: Fw: Fan\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
	for _, c := range []struct{ body, want string }{
		{"See my mail below.\nThanks,\nAnn\n\n---------- Forwarded message ---------\nFrom: Ann Lee <ann@home.test>\nDate: Tue\nSubject: Fan\nTo: help@shop.test\n\nGood morning,\nThe fan rattles.\nThanks,\nAnn", "See my mail below.\nThe fan rattles."},
		{"还是没人回复\n谢谢\n\n------------------ 原始邮件 ------------------\n发件人: \"Ann Lee\"<ann@home.test>;\n发送时间: 2026年11月3日\n主题: 风扇\n\n你好，\n风扇一直响\n谢谢", "还是没人回复\n风扇一直响"},
	} {
		m, err := message.Parse([]byte(head + strings.ReplaceAll(c.body, "\n", "\r\n")))
		if err != nil {
			t.Fatal(err)
		}
		if got := customerText(m, maxBodyBytes); got != c.want {
			t.Errorf("customerText(%q) = %q, want %q", c.body, got, c.want)
		}
	}
}
