package message

import (
	"strings"
	"testing"
)

// TestLangIgnoresFooters: a phone signature or a legal footer in another
// language than the writer's words does not decide the mail's language.
func TestLangIgnoresFooters(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"Chinese mail, English disclaimer", "烧水壶不加热了，怎么办？\n\nCONFIDENTIALITY NOTICE: This e-mail and any attachments are confidential and intended solely for the addressee. If you are not the intended recipient, please delete it and notify the sender immediately.", "zh"},
		{"Chinese mail, English 'This email' notice", "净化器红灯一直亮\n\nThis email and any attachments are confidential and may be privileged; any use by others is prohibited and may be unlawful.", "zh"},
		{"English mail, Chinese phone signature", "kettle dead. help\n\n从我的华为手机发送", "en"},
		{"English mail, iPhone in Chinese", "where is my order\n\n发自我的iPhone", "en"},
		{"English mail, Chinese disclaimer", "My purifier light stays red after the filter change, what should I do?\n\n免责声明：本邮件及其附件可能包含保密信息，仅供指定收件人使用。如果您不是指定收件人，请立即通知发件人并删除本邮件，不得使用、复制或披露其内容。", "en"},
		{"Traditional disclaimer", "Where is my parcel?\n\n免責聲明：本郵件及其附件可能載有機密資料，僅供指定收件人使用。如閣下並非指定收件人，請立即通知寄件人並刪除本郵件。", "en"},
		{"no footer", "我的订单在哪里", "zh"},
	} {
		raw := "From: a@b.test\r\nTo: help@shop.test\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + strings.ReplaceAll(c.body, "\n", "\r\n")
		m, _ := Parse([]byte(raw))
		if got := string(m.Lang()); got != c.want {
			t.Errorf("%s: Lang = %s, want %s", c.name, got, c.want)
		}
	}
}

func TestFooterLine(t *testing.T) {
	for line, want := range map[string]bool{
		"Sent from my iPhone":                  true,
		"从我的华为手机发送":                            true,
		"免责声明：本邮件仅供收件人使用":                      true,
		"保密声明：本邮件含有保密信息":                       true,
		"CONFIDENTIALITY NOTICE: this message": true,
		"Disclaimer: the views expressed":      true,
		"The kettle was sent from Shanghai":    false,
		"This kettle is broken":                false,
		"我收到的邮件说免责声明":                          false,
		"发自网易邮箱大师":                             true,
		"發自我的 iPad":                            true,
		"发自 Android 客户端":                       true,
		"发自内心感谢你们的师傅":                          false,
		"发自内心地说，手机App很好用":                      false,
		"":                                       false,
		"Ths":                                    false,
		"the information in this email is wrong": true, // the notice's own opening sentence
	} {
		if got := footerLine(line); got != want {
			t.Errorf("footerLine(%q) = %v, want %v", line, got, want)
		}
	}
}

// FuzzFooterLine: the prefix gate never hides a line the expressions
// match.
func FuzzFooterLine(f *testing.F) {
	for _, s := range []string{"Sent from my iPhone", "免责声明：x", "this e-mail is", "THIS MESSAGE MAY", "ſent from my"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := phoneSignature.MatchString(s) || legalFooter.MatchString(s)
		if got := footerLine(s); got != want {
			t.Fatalf("footerLine(%q) = %v, the expressions say %v", s, got, want)
		}
	})
}
