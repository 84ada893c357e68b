package faq

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

func terms(s string) []string {
	var out []string
	for _, t := range tokenize(s) {
		out = append(out, t.term)
	}
	return out
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"cjk bigrams", "扫地机器人", []string{"扫地", "地机", "机器", "器人"}},
		{"one-char run is a unigram", "A 锅 B", []string{"锅", "b"}},
		{"traditional folds to simplified", "掃地機器人", []string{"扫地", "地机", "机器", "器人"}},
		{"taiwan and hong kong forms", "電飯煲 濾網", []string{"电饭", "饭煲", "滤网"}},
		{"cantonese folds to standard chinese", "部機冇反應，仲未收到", []string{"部机", "机没", "没反", "反应", "还未", "未收", "收到"}},
		{"係 stays 系 (關係)", "關係", []string{"关系"}},
		{"full-width latin and digits", "ＲＥＦＵＮＤ ＡＰ－４００", []string{"refund", "ap", "400"}},
		{"case folding and stemming", "Refunds REFUNDED refunding", []string{"refund", "refund", "refund", "refund_refund", "refund_refund"}},
		{"stop words dropped", "Where is my order?", []string{"where", "order", "where_order"}},
		{"apostrophe kept inside a word", "it won’t charge", []string{"charg"}},
		{"mixed script", "AP-400 的filter灯", []string{"ap", "400", "的", "filter", "灯"}},
		{"codes stay whole", "E1 KT17-2604", []string{"e1", "kt17", "2604"}},
		{"chinese synonym adds the canonical word", "抽湿机", []string{"抽湿", "湿机", "除湿", "湿机"}},
		{"english synonym adds the canonical word", "money back", []string{"money", "back", "money_back", "refund"}},
		{"phrases stop at punctuation", "charged. twice", []string{"charg", "twice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := terms(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("tokenize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTokenSpans(t *testing.T) {
	s := "Ｗｉ-Ｆｉ 掃地機"
	for _, tok := range tokenize(s) {
		if tok.start < 0 || int(tok.end) > len(s) || tok.start >= tok.end {
			t.Fatalf("bad span %+v in %q", tok, s)
		}
	}
	c := Demo()
	text := "扫地机器人被困"
	sp := c.Highlight(text, "掃地機")
	// the customer's 掃地機 is the catalog's 扫地机器人: the whole word is marked
	if len(sp) != 1 || text[sp[0].Start:sp[0].End] != "扫地机器人" {
		t.Errorf("Highlight = %v", sp)
	}
}

func TestEditDistance1(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"warranty", "warrenty", true}, {"filter", "filtr", true}, {"receive", "recieve", true},
		{"cooker", "coker", true}, {"refund", "refund", false}, {"refund", "refudn", true}, {"abc", "xyz", false},
		{"filter", "filters", true}, {"filter", "fitlers", false},
	} {
		if got := editDistance1(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance1(%q, %q) = %v", tt.a, tt.b, got)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"yaml unclosed map", "- id: a\n  en: {title: A\n- id: b\n", []string{"f.yaml:3:1: yaml: ',' or '}' must be specified"}},
		{"unknown key", "- id: a\n  en: {title: A}\n  colour: red\n", []string{"f.yaml:3:3: unknown key \"colour\""}},
		{"unknown language block", "- id: a\n  en: {title: A}\n  fr: {title: B}\n", []string{"f.yaml:3:3: unknown language block \"fr\""}},
		{"missing id", "- en: {title: A}\n", []string{"f.yaml:1:3: entry has no id"}},
		{"missing title", "- id: a\n  en:\n    answer: x\n", []string{"f.yaml:3:5: en block has no title"}},
		{"bad id", "- id: Bad_ID\n  en: {title: A}\n", []string{"f.yaml:1:7: bad id \"Bad_ID\""}},
		{"duplicate id", "- id: a\n  en: {title: A}\n- id: a\n  en: {title: B}\n", []string{"f.yaml:3:7: duplicate id \"a\" (first defined at line 1)"}},
		{"unknown key in block", "- id: a\n  en: {title: A, body: x}\n", []string{"f.yaml:2:18: unknown key \"body\" in en"}},
		{"bad url", "- id: a\n  url: ftp://x\n  en: {title: A}\n", []string{"f.yaml:2:8: url \"ftp://x\""}},
		{"keywords not a list", "- id: a\n  en: {title: A, keywords: x}\n", []string{"f.yaml:2:28: en.keywords must be a list"}},
		{"not a list", "id: a\n", []string{"f.yaml:1:1: catalog must be a list"}},
		{"yaml syntax", "- id: [a\n", []string{"f.yaml:"}},
		{"all problems at once", "- id: a\n  x: 1\n- en: {title: B}\n- id: a\n  en: {title: C}\n  zh: {}\n",
			[]string{"f.yaml:1:3: entry a has no en or zh block", "f.yaml:2:3: unknown key \"x\"", "f.yaml:3:3: entry has no id", "f.yaml:4:7: duplicate id", "f.yaml:6:7: zh block has no title"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			var el Errors
			if !errors.As(err, &el) {
				t.Fatalf("error %T, want Errors", err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%s", len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("error %d = %q, want prefix %q", i, lines[i], w)
				}
			}
		})
	}
}

func TestParseDemo(t *testing.T) {
	c := Demo()
	if c.Len() != 41 {
		t.Errorf("demo has %d entries", c.Len())
	}
	e, ok := c.Entry("refund-timing")
	if !ok || e.Zh.Title != "退款多久到账？" || len(e.En.Keywords) == 0 {
		t.Fatalf("Entry(refund-timing) = %+v, %v", e, ok)
	}
	if got := c.URL(e, "http://x", "zh"); got != e.URL {
		t.Errorf("URL = %q", got)
	}
	e.URL = ""
	if got := c.URL(e, "http://127.0.0.1:8025/", "zh"); got != "http://127.0.0.1:8025/faq/refund-timing?lang=zh" {
		t.Errorf("URL = %q", got)
	}
	if got := c.URL(e, "http://h", "en"); got != "http://h/faq/refund-timing" {
		t.Errorf("URL = %q", got)
	}
	if _, err := Parse("empty.yaml", nil); err != nil {
		t.Errorf("empty file: %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("Load of a missing file: no error")
	}
}

func TestSearch(t *testing.T) {
	c := Demo()
	tests := []struct{ q, lang, want string }{
		{"where is my order", "en", "order-tracking"},
		{"warrenty", "en", "warranty-policy"},         // typo
		{"refnd not recieved", "en", "refund-timing"}, // two typos
		{"dehumidifer no water", "en", "dehumidifier-no-water"},
		{"money back", "en", "refund-timing"},        // customer's words
		{"ＥＺ ＷＡＹ", "zh", "shipping-hk-macau-taiwan"}, // full-width
		{"掃地機卡住", "zh", "vacuum-stuck-errors"},       // traditional
		{"除濕機不出水", "zh", "dehumidifier-no-water"},
		{"抽湿机 不出水", "zh", "dehumidifier-no-water"}, // regional word
		{"電子鍋 E1", "zh", "rice-cooker-e1"},
		{"发票开错了", "zh", "invoice-correction"},
		{"专票", "zh", "invoice-vat-special"},
		{"wifi 连不上", "zh", "wifi-app-pairing"},
		{"filter light", "en", "purifier-filter-light"},
		{"cancel my order", "en", "cancel-order"},
		{"how loud is it", "en", "energy-noise-specs"},
	}
	for _, tt := range tests {
		hits := c.Search(tt.q, message.Language(tt.lang), 3)
		if len(hits) == 0 || hits[0].ID != tt.want {
			t.Errorf("Search(%q) = %v, want %s first", tt.q, hits, tt.want)
			continue
		}
		if e, _ := c.Entry(tt.want); hits[0].Title != e.In(message.Language(tt.lang)).Title {
			t.Errorf("Search(%q) title %q, want the %s one", tt.q, hits[0].Title, tt.lang)
		}
	}
	if h := c.Search("the and of", "en", 3); len(h) != 0 {
		t.Errorf("stop words only: %v", h)
	}
	if h := c.Search("refund", "en", 1); len(h) != 1 {
		t.Errorf("limit 1: %v", h)
	}
	if got := c.Terms("Warrenty REFUNDS 掃地機"); !reflect.DeepEqual(got, []string{"warranti", "refund", "扫地", "地机", "机器", "器人"}) {
		t.Errorf("Terms = %q", got)
	}
}

func TestSuggestBasics(t *testing.T) {
	c := Demo()
	msg := func(subject, body string) *message.Message {
		m, _ := message.Parse([]byte("From: a@b.example\r\nSubject: " + subject + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body))
		return m
	}
	if h := c.Suggest(msg("Refund", "I returned the kettle two weeks ago. When will I get my money back?")); len(h) == 0 || h[0].ID != "refund-timing" {
		t.Errorf("refund mail: %v", h)
	}
	if h := c.Suggest(msg("扫地机", "扫地机老是卡住，怎么办？")); len(h) == 0 || h[0].ID != "vacuum-stuck-errors" || h[0].Title != "扫地机器人被困 / 显示故障代码" {
		t.Errorf("zh mail: %v", h)
	}
	if h := c.Suggest(msg("Thanks", "Thank you so much, the repaired vacuum works again.\n\nThanks,\nAnn")); len(h) != 0 {
		t.Errorf("thank-you note linked %v", h)
	}
	// Praise is thanks: the "withholds links from thanks, praise"
	if h := c.Suggest(msg("Your installer", "Just a note of praise for your engineer Mr Li: our water purifier was leaking and he fixed it in one visit, on time and tidy. Excellent service.")); len(h) != 0 {
		t.Errorf("praise linked %v", h)
	}
	if h := c.Suggest(msg("表扬维修师傅", "净水器漏水的问题，李师傅上门一次就修好了，准时到，活干得干净利落。特地写邮件表扬一下。")); len(h) != 0 {
		t.Errorf("zh praise linked %v", h)
	}
	// Pitches ask the help centre nothing (issue 19: "a supplier's pitch
	// is not a sale"): a marketing agency's and a supplier's
	if h := c.Suggest(msg("Q1 livestream sales for your purifiers", "We manage 40 home creators and tripled a kitchen brand's sales with livestreams. Your robot vacuum's error codes and how it gets unstuck would make great demo content. Can we send our rate card and case studies?")); len(h) != 0 {
		t.Errorf("agency pitch linked %v", h)
	}
	if h := c.Suggest(msg("Kettle heating elements", "We manufacture heating elements and thermostats for kettles, OEM and ODM. Could we quote for the element of your electric kettle?")); len(h) != 0 {
		t.Errorf("supplier pitch linked %v", h)
	}
	// A fault report is a request even without a question mark (the
	// README's walkthrough mail).
	if h := c.Suggest(msg("my kettle will not heat", "It stopped working today. The light does not come on when I press the switch.")); len(h) == 0 || h[0].ID != "kettle-not-heating" {
		t.Errorf("fault report: %v", h)
	}
	if h := c.Suggest(msg("电水壶", "我的电水壶坏了，指示灯不亮。")); len(h) == 0 || h[0].ID != "kettle-not-heating" {
		t.Errorf("zh fault report: %v", h)
	}
	// So is goods arriving damaged or incomplete, in its nouns too ("a
	// crack", 裂痕), not only "broken".
	if h := c.Suggest(msg("Kettle delivered today", "The courier left the parcel at my door. The box was crushed and the kettle arrived damaged: the lid has a crack across it.")); len(h) == 0 || h[0].ID != "damaged-on-arrival" {
		t.Errorf("damage report: %v", h)
	}
	if h := c.Suggest(msg("今天到货", "快递今天送到，外箱压扁了，电水壶运输中磕碰，盖子上有一道裂痕。")); len(h) == 0 || h[0].ID != "damaged-on-arrival" {
		t.Errorf("zh damage report: %v", h)
	}
	if h := c.Suggest(msg("", "")); len(h) != 0 {
		t.Errorf("empty mail linked %v", h)
	}
	var nilCat *Catalog
	if h := nilCat.Suggest(msg("x", "y")); h != nil {
		t.Errorf("nil catalog: %v", h)
	}
	empty, _ := Parse("e.yaml", []byte("[]"))
	if h := empty.Suggest(msg("refund?", "refund?")); h != nil {
		t.Errorf("empty catalog: %v", h)
	}
}

// FuzzParse: the catalog parser never panics and either returns a catalog
// or positioned errors.
func FuzzParse(f *testing.F) {
	f.Add(demoYAML[:4000])
	f.Add([]byte("- id: a\n  en: {title: A, keywords: [x, y], answer: z}\n"))
	f.Add([]byte("- id: a\n  x: &a [*a]\n"))
	f.Add([]byte("- {id: a, zh: {title: 退款}}\n- id: a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 8<<10 {
			return // the parser is linear; small inputs let the fuzzer explore more
		}
		c, err := Parse("f.yaml", data)
		if err != nil {
			if c != nil {
				t.Fatal("catalog and error")
			}
			var el Errors
			if !errors.As(err, &el) || len(el) == 0 {
				t.Fatalf("error %T %v", err, err)
			}
			return
		}
		for _, e := range c.Entries() {
			c.Search(e.En.Title+e.Zh.Title, "en", 3)
		}
	})
}

// FuzzSuggest: arbitrary raw messages never make Suggest panic, nor link
// more than three entries.
func FuzzSuggest(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "eval", "public", "*.eml"))
	for i, p := range files {
		if i%5 == 0 {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte("Subject: =?utf-8?B?6YCA5qy+?=\r\n\r\n退款？？"))
	f.Add([]byte("\xff\xfe\x00garbage ＡＰ－４００ 掃"))
	c := Demo()
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, _ := message.Parse(raw)
		if h := c.Suggest(m); len(h) > maxLinks {
			t.Fatalf("%d links", len(h))
		}
		c.Search(string(raw), "zh", 5)
		c.Highlight(string(raw), string(raw))
	})
}

// genCatalog builds a synthetic catalog of n entries from the demo's
// vocabulary, for benchmarks.
func genCatalog(n int) *Catalog {
	demo := Demo().Entries()
	entries := make([]Entry, n)
	for i := range entries {
		a, b := demo[i%len(demo)], demo[(i*7+3)%len(demo)]
		entries[i] = Entry{
			ID: fmt.Sprintf("e%d", i), Departments: a.Departments,
			En: Text{Title: a.En.Title, Keywords: append(append([]string{}, a.En.Keywords...), b.En.Keywords[:2]...), Answer: a.En.Answer + " " + b.En.Answer},
			Zh: Text{Title: a.Zh.Title, Keywords: append(append([]string{}, a.Zh.Keywords...), b.Zh.Keywords[:2]...), Answer: a.Zh.Answer + " " + b.Zh.Answer},
		}
	}
	return newCatalog(entries)
}

func benchMails(b *testing.B) []*message.Message {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "eval", "public", "*.eml"))
	var ms []*message.Message
	for _, p := range files {
		raw, _ := os.ReadFile(p)
		m, _ := message.Parse(raw)
		ms = append(ms, m)
	}
	if len(ms) == 0 {
		m, _ := message.Parse([]byte("Subject: refund\r\n\r\nWhen will I get my money back? 退款多久到账？"))
		ms = append(ms, m)
	}
	return ms
}

func BenchmarkSuggest(b *testing.B) {
	ms := benchMails(b)
	for _, bc := range []struct {
		name string
		c    *Catalog
	}{{"demo", Demo()}, {"10000", genCatalog(10000)}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				bc.c.Suggest(ms[i%len(ms)])
			}
		})
	}
}

// BenchmarkSuggest4K ranks mails of the size the load benchmark sends
// (bench/): 4 KB of English or Chinese customer text.
func BenchmarkSuggest4K(b *testing.B) {
	en := []string{
		"Hello, my kettle stopped heating this morning and the light does not come on.",
		"Could you please tell me where my order is? The tracking number has not updated for five days.",
		"I was charged twice for the same order, please refund the duplicate payment.",
		"The washing machine shows error E21 and will not drain, I have tried restarting it.",
		"My account password reset email never arrives, I checked the spam folder too.",
		"Thank you for the quick reply yesterday, the replacement part arrived today.",
	}
	zh := []string{
		"您好，我上个月买的空气净化器滤网指示灯一直在闪，请问怎么处理？",
		"我的订单已经五天没有物流更新了，麻烦帮我查一下快递到哪里了。",
		"同一个订单被扣款两次，请尽快把多扣的钱退给我，谢谢。",
		"账号登录不了，找回密码的邮件一直收不到，垃圾箱也看过了。",
	}
	body := func(sents []string) string {
		var sb strings.Builder
		for i := 0; sb.Len() < 4096; i++ {
			sb.WriteString(sents[i%len(sents)])
			if i%3 == 2 {
				sb.WriteString("\r\n")
			} else {
				sb.WriteString(" ")
			}
		}
		return sb.String()
	}
	for _, bc := range []struct{ name, subject, body string }{
		{"en", "Order still not delivered", body(en)},
		{"zh", "=?UTF-8?B?6K6i5Y2V54mp5rWB5rKh5pyJ5pu05paw?=", body(zh)},
	} {
		raw := "From: a@customer.example\r\nSubject: " + bc.subject + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + bc.body
		m, err := message.Parse([]byte(raw))
		if err != nil {
			b.Fatal(err)
		}
		c := Demo()
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				c.Suggest(m)
			}
		})
	}
}

// Routing (Topics) and the acknowledgement (Suggest) read a mail once:
// the second finds the reading on the message.
func TestTopicsAndSuggestReadAMailOnce(t *testing.T) {
	c := Demo()
	m, _ := message.Parse([]byte("Subject: my kettle will not heat\r\n\r\nIt stopped working today. The light does not come on when I press the switch.\r\n"))
	c.Topics(m)
	r := m.Memo(c.idx, func() any { t.Fatal("Topics did not keep its reading on the message"); return nil }).(*reading)
	if len(r.res) == 0 || c.entries[r.res[0].doc].ID != "kettle-not-heating" {
		t.Fatalf("reading %+v", r.res)
	}
	if h := c.Suggest(m); len(h) == 0 || h[0].ID != "kettle-not-heating" {
		t.Errorf("Suggest %v", h)
	}
}

// scoreTop keeps the k best of the full ranking (every entry scored on
// its own and sorted), in the same order.
func TestScoreTopIsThePrefixOfTheFullRanking(t *testing.T) {
	c, mails := loadEval(t)
	for _, m := range mails {
		zones, _ := mailZones(m.msg, c.idx.m)
		q := c.idx.query(zones)
		var all []scored // every entry's score, sorted the plain way
		for d := range c.idx.n {
			if s := c.idx.scoreDoc(q, int32(d)); s > 0 {
				all = append(all, scored{int32(d), s, 0})
			}
		}
		sort.SliceStable(all, func(i, j int) bool { return all[i].score > all[j].score })
		for _, k := range []int{1, 3, rankDepth} {
			got := c.idx.scoreTop(q, k)
			for i := range got {
				got[i].extra = 0 // scoreDoc gives the score only
			}
			if want := all[:min(k, len(all))]; !slices.Equal(got, want) {
				t.Errorf("%s k=%d: %v, want %v", m.File, k, got, want)
			}
		}
	}
}

// One learned example counts: a mail in its words ranks its entry first
// and is about its department, though the catalog alone matches neither
// (it is linked once the catalog's own match and the example's together
// clear the bar); a mail in other words is not touched by it.
func TestOneLearnedExampleCounts(t *testing.T) {
	c := Demo().WithExamples([]Example{{ID: "x1", Department: "hr", Entries: []string{"careers"},
		Text: "zorblax gizmo\nMy zorblax gizmo quibbles every morning, what can I do?"}})
	if n, _ := c.Examples(); n != 1 {
		t.Fatalf("examples %d, want 1", n)
	}
	m, _ := message.Parse([]byte("Subject: zorblax gizmo\r\n\r\nWhy does my zorblax gizmo quibble?\r\n"))
	if r := c.read(m); len(r.res) == 0 || c.entries[r.res[0].doc].ID != "careers" {
		t.Errorf("ranking %+v, want careers first", r.res)
	}
	if ts := c.Topics(m); len(ts) == 0 || ts[0].Department != "hr" {
		t.Errorf("Topics %+v, want hr first", ts)
	}
	if h := Demo().Suggest(m); len(h) != 0 {
		t.Errorf("without the example: %v, want no link", h)
	}
	other, _ := message.Parse([]byte("Subject: kettle\r\n\r\nMy kettle will not heat, what should I do?\r\n"))
	if a, b := fmt.Sprint(c.Suggest(other)), fmt.Sprint(Demo().Suggest(other)); a != b {
		t.Errorf("an unrelated example changed a mail's links: %s, without it %s", a, b)
	}
}

// The neighbours' similarity is a cosine: 1 for a mail with exactly an
// example's words, in (0, 1) for a partial match, and the nearest first.
func TestNearestIsACosine(t *testing.T) {
	c := Demo().WithExamples([]Example{
		{ID: "a", Department: "finance", Text: "refund for the broken kettle"},
		{ID: "b", Department: "support", Text: "robot vacuum stuck under the sofa again"},
	})
	x := c.ex
	res := x.nearest(x.idx.query([]zone{{"refund for the broken kettle", 1}}), 2)
	if len(res) != 1 || res[0].doc != 0 || res[0].score < 0.999 || res[0].score > 1.001 {
		t.Fatalf("identical text: %+v, want example a at similarity 1", res)
	}
	res = x.nearest(x.idx.query([]zone{{"my robot vacuum is stuck and I want a refund", 1}}), 2)
	if len(res) != 2 || res[0].doc != 1 || !(res[0].score < 1 && res[1].score > 0 && res[1].score <= res[0].score) {
		t.Fatalf("partial match: %+v, want b then a, similarities in (0, 1)", res)
	}
}
