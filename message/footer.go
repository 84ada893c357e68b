package message

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// What phones, webmail and companies append below the writer's words: a
// phone signature ("Sent from my iPhone", 发自我的iPhone, 从我的华为手机发送)
// and the first line of a legal footer ("CONFIDENTIALITY NOTICE:", "This
// e-mail and any attachments are…", 本邮件…, 免责声明：). The FAQ ranking
// stops reading the customer's words at such a line (package faq builds
// its matchers from these), and Lang does not count what follows it: an
// English disclaimer below a Chinese mail does not make it English.

// PhoneSignatureExpr matches a phone's or webmail's one-line signature:
// "Sent from …" or "Get Outlook for …" and a few words (a line of a
// sentence that happens to begin so, "Sent from Shanghai on 3 December,
// the parcel …", is longer), and in Chinese 发自我的…, 从我的…发送, 发自 (sent
// from) and the like followed by the name of a phone or a mail app (网易
// 邮箱大师, 小米手机: a phone, a mailbox, a client, a tablet, iPhone, iPad,
// Android, Galaxy) and at most a model name and 发送 (sent) after it, or
// 从我的 … 发送 ("sent from my …") on a short line of its own. The Chinese
// openings are ordinary words too: 从我的银行卡扣了两次款 ("from my bank
// card, two charges"), 发自内心 ("from the heart"), 从我的手机银行 ("from my
// phone's banking app"); such a line goes on past the device with words
// of its own, and is the customer's.
const PhoneSignatureExpr = `(?i)^((sent from|get outlook for)(\s+\S+){1,8}\s*$|(发自我的|發自我的|从我的|從我的|寄自我的|来自我的|來自我的|发自|發自)[^，,。.!！?？]{0,20}(手机|手機|邮箱|郵箱|客户端|客戶端|平板|iphone|ipad|android|galaxy)[\p{Latin}\d\s.+-]{0,20}(发送|發送|传送|傳送|大师|大師)?\s*$|(从我的|從我的)[^，,。.!！?？]{0,24}(发送|發送|传送|傳送)\s*$)`

// PhoneSignaturePrefixes are what every match of PhoneSignatureExpr
// begins with, lower case.
func PhoneSignaturePrefixes() []string { return slices.Clone(phoneSignaturePrefixes) }

var phoneSignaturePrefixes = []string{"sent from ", "get outlook for", "发自", "發自", "从我的", "從我的", "寄自我的", "来自我的", "來自我的"}

// LegalFooterExpr matches the first line of a legal footer: the general
// headings of a disclaimer or confidentiality notice in English,
// Simplified and Traditional Chinese, and the sentences such notices
// begin with. A sentence that begins like a notice ("This email is to ask
// about my refund", "本邮件想咨询一下", "Disclaimer: I'm not technical")
// is a notice only with a notice's words in it (confidential, intended,
// recipient …; 保密, 仅供, 收件人 …): a customer's first line is often
// "This email is about …", and everything after a footer line is dropped.
const LegalFooterExpr = `(?i)^(confidentiality notice|disclaimer\s*[:：.]?\s*$|disclaimer\b.{0,200}?(` + noticeWords + `|views|opinions|e-?mail|message)|this (e-?mail|message) and any (attachments?|files)\b|this (e-?mail|message)( and any attachments?)? (is|are|and|may)\b.{0,200}?` + noticeWords + `|the information (contained )?in this (e-?mail|message)\b.{0,200}?` + noticeWords + `|(本邮件|本郵件|此邮件|此郵件).{0,60}?(保密|机密|機密|仅|僅|收件人|收件者|授权|授權|法律|禁止|删除|刪除|病毒|特权|特權|专有|專有|请勿回复|請勿回覆|自动发送|自動發送)|免责声明|免責聲明|保密声明|保密聲明|保密通知|保密提示)`

// noticeWords are the words of a legal notice's first sentence, in
// LegalFooterExpr (a disclaimer's may instead speak of the views in the
// message).
const noticeWords = `(confidential|privileged|intended|proprietary|addressee|recipient|unauthori[sz]ed|prohibited|disclos|legally)`

// LegalFooterPrefixes are what every match of LegalFooterExpr begins
// with, lower case.
func LegalFooterPrefixes() []string { return slices.Clone(legalFooterPrefixes) }

var legalFooterPrefixes = []string{"confidentiality notice", "disclaimer", "this e", "this m", "the information ", "本邮件", "本郵件", "此邮件", "此郵件", "免责声明", "免責聲明", "保密声明", "保密聲明", "保密通知", "保密提示"}

var (
	phoneSignature = regexp.MustCompile(PhoneSignatureExpr)
	legalFooter    = regexp.MustCompile(LegalFooterExpr)
)

// footerLine reports whether the trimmed line t begins a phone signature
// or a legal footer. The prefixes are tested first, in any case as the
// expressions' (?i) matches them: most lines begin with none of them.
func footerLine(t string) bool {
	for _, ps := range [][]string{phoneSignaturePrefixes, legalFooterPrefixes} {
		for _, p := range ps {
			if hasFoldPrefixRunes(t, p) {
				return phoneSignature.MatchString(t) || legalFooter.MatchString(t)
			}
		}
	}
	return false
}

// hasFoldPrefixRunes reports whether s begins with p under Unicode case
// folding ("ſent from" begins with "sent from").
func hasFoldPrefixRunes(s, p string) bool {
	for _, pr := range p {
		r, n := utf8.DecodeRuneInString(s)
		if n == 0 || (r != pr && !strings.EqualFold(string(r), string(pr))) {
			return false
		}
		s = s[n:]
	}
	return true
}

// withoutFooter returns fresh up to its first line that begins a phone
// signature or a legal footer (footerLine).
func withoutFooter(fresh string) string {
	for i := 0; i < len(fresh); {
		j := strings.IndexByte(fresh[i:], '\n')
		end := len(fresh)
		if j >= 0 {
			end = i + j
		}
		if footerLine(unbold(strings.TrimSpace(fresh[i:end]))) {
			return fresh[:i]
		}
		i = end + 1
	}
	return fresh
}
