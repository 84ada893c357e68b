package zhconv

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestToTraditional(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// Phrases the characters alone would convert otherwise.
		{"头发", "頭髮"},
		{"发现", "發現"},
		{"干燥", "乾燥"},
		{"面条", "麵條"},
		{"后来", "後來"},
		{"皇后", "皇后"},
		{"一只", "一隻"},
		{"我的头发很干燥，后来发现一只猫", "我的頭髮很乾燥，後來發現一隻貓"},
		{"干活", "幹活"},
		// Sentences of the built-in acknowledgement and notices.
		{"感谢您联系客服团队。我们已收到您的邮件，工单编号为 SUP-1042。", "感謝您聯繫客服團隊。我們已收到您的郵件，工單編號為 SUP-1042。"},
		{"我们将在 11月24日（周二）10:00 前回复您。", "我們將在 11月24日（週二）10:00 前回覆您。"},
		{"在等待期间，以下文章或许已经能解答您的问题：", "在等待期間，以下文章或許已經能解答您的問題："},
		{"如需补充信息，请直接回复本邮件，并保留主题中的 SUP-7。", "如需補充信息，請直接回覆本郵件，並保留主題中的 SUP-7。"},
		{"<p><a href=\"https://help.example/t/abc\">查看工单 SUP-7 的进度</a></p>", "<p><a href=\"https://help.example/t/abc\">查看工單 SUP-7 的進度</a></p>"},
		{"[SUP-7] Re: 您的来信", "[SUP-7] Re: 您的來信"},
		// Nothing to convert.
		{"", ""},
		{"Dear customer, your ticket is SUP-1042: https://help.example/t/x?a=1&b=2", "Dear customer, your ticket is SUP-1042: https://help.example/t/x?a=1&b=2"},
		{"感謝您聯繫我們，我們的頭髮與麵條都很乾燥。", "感謝您聯繫我們，我們的頭髮與麵條都很乾燥。"},
		{"部機冇反應，開唔到，係咪壞咗？", "部機冇反應，開唔到，係咪壞咗？"},
		{"bad \xff\xfe bytes 发", "bad \xff\xfe bytes 發"},
	} {
		if got := ToTraditional(c.in); got != c.want {
			t.Errorf("ToTraditional(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestToTraditionalKeeping(t *testing.T) {
	for _, c := range []struct {
		in   string
		keep []string
		want string
	}{
		{"余美玲，您好！感谢您联系我们。", []string{"余美玲"}, "余美玲，您好！感謝您聯繫我們。"},
		{"余美玲，您好！感谢您联系我们。", nil, "餘美玲，您好！感謝您聯繫我們。"},
		// A name in HTML, escaped: the caller keeps that form too.
		{"<p>游 &amp; 范，您好！</p><p>其余的问题</p>", []string{"游 & 范", "游 &amp; 范"}, "<p>游 &amp; 范，您好！</p><p>其餘的問題</p>"},
		// Kept whole, not character by character.
		{"游美玲，您好！欢迎游览", []string{"游美玲"}, "游美玲，您好！歡迎遊覽"},
		// The subject as the customer wrote it; our words around it converted.
		{"[SUP-7] Re: 关于皇后大道的干洗店 您的来信", []string{"关于皇后大道的干洗店"}, "[SUP-7] Re: 关于皇后大道的干洗店 您的來信"},
		// A URL that is not ASCII.
		{"查看进度：https://帮助.example/后台 售后", []string{"https://帮助.example/后台"}, "查看進度：https://帮助.example/后台 售後"},
		// What the conversion leaves alone, and empty and ASCII strings.
		{"陳大文，您好！感谢", []string{"陳大文", "", "abc"}, "陳大文，您好！感謝"},
	} {
		if got := ToTraditionalKeeping(c.in, c.keep...); got != c.want {
			t.Errorf("ToTraditionalKeeping(%q, %q) = %q, want %q", c.in, c.keep, got, c.want)
		}
	}
}

// TestTableIsFixed: every conversion the tables make is Traditional
// already, so converting twice changes nothing more.
func TestTableIsFixed(t *testing.T) {
	tb := load()
	if len(tb.chars) < 3000 || len(tb.phrases) < 5000 {
		t.Fatalf("%d characters and %d phrases: the tables did not load", len(tb.chars), len(tb.phrases))
	}
	for k, v := range tb.chars {
		if got := ToTraditional(string(v)); got != string(v) {
			t.Errorf("%c → %c, which converts again to %s", k, v, got)
		}
	}
	for k, v := range tb.phrases {
		if got := ToTraditional(v); got != v {
			t.Errorf("%s → %s, which converts again to %s", k, v, got)
		}
	}
}

func TestIsTraditional(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{"您好，我的电水壶坏了，按开关没有反应，怎么办？", false},
		{"您好，我的電水壺壞了，按開關沒有反應，怎麼辦？", true},                                        // Taiwan
		{"你好，我部電飯煲唔開得，按咗個掣都冇反應，係咪壞咗？呢個係我嘅訂單號碼。", true},                           // Hong Kong Cantonese
		{"唔好意思，佢冇嚟，咗嘅", false},                                                   // Cantonese characters only: neither
		{"Hi, my kettle (model KT-200) 壞了，開關沒反應 since yesterday. Thanks!", true}, // mixed
		{"Hi, my kettle (model KT-200) 坏了，开关没反应 since yesterday. Thanks!", false},
		{"Hello, my kettle is broken. Order 4711.", false}, // no Han
		{"", false},
		{"皇后只有一台", false}, // characters both write alike
		{"发發", false},     // as many of each
	} {
		if got := IsTraditional(c.text); got != c.want {
			t.Errorf("IsTraditional(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// skeleton is s with each run of non-ASCII bytes replaced by one NUL: the
// ASCII bytes and where they stand between the rest.
func skeleton(s string) string {
	var b strings.Builder
	in := false
	for i := 0; i < len(s); i++ {
		if s[i] < utf8.RuneSelf && s[i] != 0 {
			b.WriteByte(s[i])
			in = false
		} else if !in {
			b.WriteByte(0)
			in = true
		}
	}
	return b.String()
}

func FuzzToTraditional(f *testing.F) {
	for _, s := range []string{"头发", "我头发干了，后来发现一只猫", "<p>工单 SUP-1</p>", "Dear 王发, see https://x.example/t/发", "皇后来了", "發发", "a\x00发"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			t.Skip()
		}
		out := ToTraditional(s)
		if !utf8.ValidString(out) {
			t.Fatalf("ToTraditional(%q) = %q: not UTF-8", s, out)
		}
		if skeleton(out) != skeleton(s) {
			t.Fatalf("ToTraditional(%q) = %q: ASCII moved or changed", s, out)
		}
		if again := ToTraditional(out); again != out {
			t.Fatalf("ToTraditional(%q) = %q, and again %q", s, out, again)
		}
	})
}

// TestTwiceAcrossJoins converts pairs of the tables' own keys and
// conversions written one after the other, where a phrase may start in one
// and end in the other: converting the result again changes nothing.
func TestTwiceAcrossJoins(t *testing.T) {
	tb := load()
	var words []string
	for k, v := range tb.phrases {
		words = append(words, k, v)
	}
	for k, v := range tb.chars {
		words = append(words, string(k), string(v))
	}
	slices.Sort(words)
	n, bad := len(words), 0
	for i, a := range words {
		for _, j := range []int{i + 1, i * 7919, i*104729 + 13} {
			s := a + words[j%n]
			once := ToTraditional(s)
			if twice := ToTraditional(once); twice != once {
				bad++
				if bad <= 20 {
					t.Errorf("%s → %s → %s", s, once, twice)
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d joins change when converted again", bad, 3*n)
	}
}

func FuzzToTraditionalKeeping(f *testing.F) {
	f.Add("余美玲，您好！感谢您联系我们。", "余美玲")
	f.Add("<p>游 &amp; 范</p>其余", "游 & 范")
	f.Add("发发发", "发")
	f.Fuzz(func(t *testing.T, s, keep string) {
		if !utf8.ValidString(s) || !utf8.ValidString(keep) {
			t.Skip()
		}
		out := ToTraditionalKeeping(s, keep)
		if !utf8.ValidString(out) {
			t.Fatalf("ToTraditionalKeeping(%q, %q) = %q: not UTF-8", s, keep, out)
		}
		if skeleton(out) != skeleton(s) {
			t.Fatalf("ToTraditionalKeeping(%q, %q) = %q: ASCII moved or changed", s, keep, out)
		}
		if strings.Contains(s, keep) && !strings.Contains(out, keep) {
			t.Fatalf("ToTraditionalKeeping(%q, %q) = %q: lost what it keeps", s, keep, out)
		}
	})
}

// benchText is a 4 KB Chinese mail's worth of a template sentence.
var benchText = strings.Repeat("感谢您联系客服团队。我们已收到您的邮件，工单编号为 SUP-1042，后来发现头发干燥。", 40)

func BenchmarkToTraditional4K(b *testing.B) {
	load()
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		ToTraditional(benchText)
	}
}

func BenchmarkIsTraditional4K(b *testing.B) {
	load()
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		IsTraditional(benchText)
	}
}

// BenchmarkLoad is the first call's cost: parsing the embedded tables.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		parseTables()
	}
}
