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
		// a first line that begins like a footer is the writer's: the
		// subject alone (English here) does not decide the language
		{"Chinese mail that begins 从我的 (from my)", "从我的银行卡扣了两次款，订单只有一个，请帮我退回多扣的那一笔。", "zh"},
		{"Chinese mail that begins 本邮件 (this mail)", "本邮件想咨询一下：扫地机器人回不了充电座，也充不进电，怎么办？", "zh"},
		{"Traditional mail that begins 從我的", "從我的信用卡被扣了兩次款，請問怎麼退回？", "zh"},
	} {
		raw := "From: a@b.test\r\nTo: help@shop.test\r\nSubject: Double charge\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + strings.ReplaceAll(c.body, "\n", "\r\n")
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
		"":    false,
		"Ths": false,
		// a customer's own sentence that begins like a notice is no notice
		// unless a notice's words are in it
		"the information in this email is wrong":                                                 false,
		"The information contained in this email is confidential and may be legally privileged.": true,
		"This email and any attachments are confidential and intended solely for the addressee.": true,
		"This email and any files transmitted with it are":                                       true, // wrapped
		"This message may contain confidential information.":                                     true,
		"This email is to ask when my refund will arrive.":                                       false,
		"This message and the last one are about the same thing: the dehumidifier is dry.":       false,
		"Disclaimer: I'm not very technical. My robot vacuum shows E5.":                          false,
		"DISCLAIMER":  true,
		"Disclaimer:": true,
		"本邮件想咨询一下：扫地机器人回不了充电座":           false,
		"本邮件及其附件含有保密信息，仅限于发送给上面地址中列出的个人": true,
		"本郵件可能載有機密資料，僅供指定收件人使用":          true,
		"此邮件为系统自动发送，请勿回复":                true,
		// the openings of phone signatures are ordinary Chinese words too
		"从我的银行卡扣了两次款，订单只有一个，请帮我退回多扣的那一笔。":                                                  false,
		"從我的信用卡被扣了兩次款，請問怎麼退回？":                                                             false,
		"从我的手机银行扣款两次":                                                                      false,
		"从我的iPhone上看不到订单":                                                                  false,
		"发自我的内心感谢你们":                                                                       false,
		"从我的 iPhone 发送":                                                                    true,
		"從我的 iPhone 傳送":                                                                    true,
		"发自我的iPhone":                                                                       true,
		"发自我的小米手机 Redmi K70":                                                               true,
		"来自我的华为手机":                                                                         true,
		"从我的华为 Mate 60 Pro 手机发送":                                                           true,
		"从我的三星Galaxy智能手机发送":                                                                true,
		"發自我的 Galaxy S24":                                                                  true,
		"从我的邮箱里找不到你们的回复，能重新发一次吗":                                                           false,
		"Sent from Shanghai on 3 December, the parcel has not arrived and nobody answers.": false,
		"Sent from my Verizon, Samsung Galaxy smartphone":                                  true,
		"Get Outlook for iOS<https://aka.ms/o0ukef>":                                       true,
		"Sent from Mail<https://go.microsoft.com/fwlink/?LinkId=550986> for Windows":       true,
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
