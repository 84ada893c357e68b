package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// The workload: a pool of pre-built message templates (so that generating
// mail costs nothing inside the timed loop), each a support mail of about
// the requested size. Per message only the trace headers are new: a unique
// X-Bench-Id, the send time X-Bench-Sent (read back by the sink for the
// end-to-end latency) and a Message-ID.
//
// Mix (fixed by the seed, identical for every server in one run):
//   - 40% English text/plain; UTF-8, quoted-printable or 7bit
//   - 25% Chinese text/plain in UTF-8, base64
//   - 15% Chinese text/plain in GBK, base64 (as Foxmail and older Outlook send it)
//   - 20% multipart/mixed: a short text part (any of the above) and a base64
//     attachment (PDF, XLSX or JPEG) that carries most of the size
//
// Subjects with Chinese are RFC 2047-encoded. Every body line is shorter
// than 998 octets and none starts with ".", so the templates are already
// dot-stuffed and sent as-is.

var englishSentences = []string{
	"Hello, my kettle stopped heating this morning and the light does not come on.",
	"I bought the AC-3200 air purifier last month and the filter indicator keeps blinking.",
	"Could you please tell me where my order is? The tracking number has not updated for five days.",
	"We would like a quotation for 200 units of the DH-50 dehumidifier for our hotels.",
	"I was charged twice for the same order, please refund the duplicate payment.",
	"The washing machine shows error E21 and will not drain, I have tried restarting it.",
	"Is the model with the steel tank in stock, and how loud is it at night?",
	"Thank you for the quick reply yesterday, the replacement part arrived today.",
	"Please send me the manual for the rice cooker RC-18 in PDF, I lost the paper copy.",
	"My account password reset email never arrives, I checked the spam folder too.",
	"The delivery driver left the parcel outside and the box was damaged by the rain.",
	"Can you issue a VAT invoice with our company tax id for the attached order?",
	"I am writing to ask about the warranty: the fan makes a grinding noise after eight months.",
	"Our procurement team needs the price list and minimum order quantity for distributors.",
	"The app says the device is offline although the wifi works for every other appliance.",
	"Best regards, and thanks in advance for your help with this.",
}

var chineseSentences = []string{
	"您好，我上个月买的空气净化器滤网指示灯一直在闪，请问怎么处理？",
	"我的订单已经五天没有物流更新了，麻烦帮我查一下快递到哪里了。",
	"洗衣机显示错误代码E21，不能排水，重启之后还是一样。",
	"请问这款电热水壶有没有现货？我们公司想团购五十台。",
	"同一个订单被扣款两次，请尽快把多扣的钱退给我，谢谢。",
	"电饭煲的说明书丢了，能不能发一份电子版给我？",
	"风扇用了八个月就有很大的噪音，还在保修期内吗？",
	"麻烦开一张增值税专用发票，抬头和税号见附件。",
	"快递员把包裹放在门口，箱子被雨淋坏了，里面的机器也有划痕。",
	"账号登录不了，找回密码的邮件一直收不到，垃圾箱也看过了。",
	"我们是一家连锁酒店，想了解一下除湿机的批发价格和起订量。",
	"谢谢你们昨天的回复，换货的配件今天已经收到了。",
	"设备在手机应用里一直显示离线，但是家里的无线网络是正常的。",
	"此致敬礼，期待您的回复。",
}

var subjectsEN = []string{
	"Kettle not heating", "Order #%d still not delivered", "Quotation request for 200 units",
	"Charged twice for order %d", "Washing machine error E21", "Warranty question about the fan",
	"Re: replacement part", "Manual for RC-18 please", "Cannot reset my password", "Damaged delivery",
	"VAT invoice for order %d", "Distributor price list",
}

var subjectsZH = []string{
	"滤网指示灯一直闪", "订单%d物流没有更新", "电热水壶团购询价", "重复扣款请退款（订单%d）",
	"洗衣机故障 E21", "风扇噪音 保修咨询", "请发一份说明书", "账号登录不了", "包裹损坏", "开票申请 订单%d",
}

var firstNames = []string{"Alice", "Bob", "Chen Wei", "Li Na", "Wang Fang", "Zhang Min", "Maria", "Tom", "Liu Yang", "Priya"}
var fromDomains = []string{"customer.example", "mail.example.org", "163.example", "qq.example", "hotel-group.example", "customer17.example", "corp.example"}
var rcptLocal = []string{"support", "support", "support", "help", "sales", "billing"}

type kind int

const (
	kindEnglish kind = iota
	kindChineseUTF8
	kindChineseGBK
)

type template struct {
	// The sender: display name (encoded) and the address's local part
	// and domain; per message the local part gets a customer number
	// (--senders), so that a run looks like many customers, not 64.
	fromName, fromLocal, fromDomain string
	rcpt                            string
	// head ends with CRLF; body starts after the blank line. The per-message
	// headers are inserted in front of head.
	head []byte
	body []byte
}

func (t *template) size() int {
	return len(t.head) + 2 + len(t.body) + 2*len(t.sender(0)) + len(t.fromName) + 30
}

// sender is the envelope and From address of customer number k.
func (t *template) sender(k int) string {
	return fmt.Sprintf("%s.%d@%s", t.fromLocal, k, t.fromDomain)
}

// buildTemplates returns n templates of about size bytes each. With
// atts > 0 every template is a multipart/mixed with a short text part and
// atts attachments (photos and PDFs, see attachmentKinds) sharing the rest
// of the size: the mail with attachments of issue 21.
func buildTemplates(n, size int, domain string, seed uint64, atts int) []*template {
	r := rand.New(rand.NewPCG(seed, 0x6672_6f6e_7464_6573))
	out := make([]*template, n)
	for i := range out {
		out[i] = buildTemplate(r, size, domain, i, atts)
	}
	return out
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// attachmentKinds are what --attachments cycles through: a phone photo,
// a PDF invoice, a screenshot (non-ASCII names, RFC 2047-encoded).
var attachmentKinds = []struct{ name, typ string }{
	{"IMG_4521 破损.jpg", "image/jpeg"},
	{"发票 2026-11.pdf", "application/pdf"},
	{"Bildschirmfoto Gerät.jpg", "image/jpeg"},
}

func buildTemplate(r *rand.Rand, size int, domain string, i, atts int) *template {
	name := pick(r, firstNames)
	fromLocal := strings.ToLower(strings.ReplaceAll(name, " ", "."))
	fromDomain := pick(r, fromDomains)
	rcpt := pick(r, rcptLocal) + "@" + domain
	roll := r.IntN(100)
	multipart := roll >= 80 || atts > 0
	var k kind
	switch {
	case roll < 40 || (multipart && roll < 88):
		k = kindEnglish
	case roll < 65 || (multipart && roll < 95):
		k = kindChineseUTF8
	default:
		k = kindChineseGBK
	}

	var subject string
	if k == kindEnglish {
		subject = pick(r, subjectsEN)
	} else {
		subject = pick(r, subjectsZH)
	}
	if strings.Contains(subject, "%d") {
		subject = fmt.Sprintf(subject, 100000+r.IntN(900000))
	}
	var encSubject string
	if k == kindChineseGBK {
		gb, _ := simplifiedchinese.GBK.NewEncoder().String(subject)
		encSubject = "=?GBK?B?" + base64.StdEncoding.EncodeToString([]byte(gb)) + "?="
	} else {
		encSubject = mime.BEncoding.Encode("UTF-8", subject) // ASCII stays as is
	}
	encName := mime.QEncoding.Encode("UTF-8", name)

	var h bytes.Buffer
	fmt.Fprintf(&h, "To: %s\r\n", rcpt)
	if r.IntN(4) == 0 {
		fmt.Fprintf(&h, "Cc: %s\r\n", pick(r, rcptLocal)+"@"+domain)
	}
	fmt.Fprintf(&h, "Subject: %s\r\n", encSubject)
	fmt.Fprintf(&h, "Date: Mon, 16 Nov 2026 %02d:%02d:%02d +0800\r\n", 8+r.IntN(12), r.IntN(60), r.IntN(60))
	if r.IntN(3) == 0 {
		ref := fmt.Sprintf("<%x.%d@%s>", r.Uint64(), i, "support.example")
		fmt.Fprintf(&h, "In-Reply-To: %s\r\nReferences: %s\r\n", ref, ref)
	}
	h.WriteString("MIME-Version: 1.0\r\n")
	fmt.Fprintf(&h, "User-Agent: %s\r\n", pick(r, []string{"Mozilla Thunderbird 128.4", "Foxmail 7.2.25", "Microsoft Outlook 16.0", "Apple Mail (2.3774)"}))
	h.WriteString("X-Mailer-Trace: bench\r\n")

	// The text part gets a size share; the rest is the attachment.
	textTarget := size - h.Len() - 300
	attTarget := 0
	if multipart {
		textTarget = min(textTarget, 600+r.IntN(1200))
		attTarget = size - h.Len() - textTarget - 600
	}
	textTarget = max(textTarget, 120)

	ctype, cte, text := textBody(r, k, textTarget)
	var b bytes.Buffer
	if !multipart {
		fmt.Fprintf(&h, "Content-Type: %s\r\nContent-Transfer-Encoding: %s\r\n", ctype, cte)
		b.Write(text)
	} else {
		boundary := fmt.Sprintf("----=_Part_%d_%x", i, r.Uint32())
		fmt.Fprintf(&h, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n", boundary)
		b.WriteString("This is a multi-part message in MIME format.\r\n\r\n")
		fmt.Fprintf(&b, "--%s\r\nContent-Type: %s\r\nContent-Transfer-Encoding: %s\r\n\r\n", boundary, ctype, cte)
		b.Write(text)
		kinds := []struct{ name, typ string }{[]struct{ name, typ string }{
			{"invoice-2026-11.pdf", "application/pdf"},
			{"发票信息.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
			{"IMG_4521.jpg", "image/jpeg"},
		}[r.IntN(3)]}
		if atts > 0 {
			kinds = kinds[:0]
			for j := range atts {
				kinds = append(kinds, attachmentKinds[j%len(attachmentKinds)])
			}
		}
		for _, att := range kinds {
			fmt.Fprintf(&b, "--%s\r\nContent-Type: %s; name=\"%s\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"%s\"\r\n\r\n",
				boundary, att.typ, mime.BEncoding.Encode("UTF-8", att.name), mime.BEncoding.Encode("UTF-8", att.name))
			per := attTarget
			if atts > 0 {
				per = attTarget/atts - 200 // each part's header
			}
			raw := make([]byte, max(per, 64)*3/4)
			for j := range raw {
				raw[j] = byte(r.Uint32())
			}
			writeBase64Lines(&b, raw)
		}
		fmt.Fprintf(&b, "--%s--\r\n", boundary)
	}
	return &template{fromName: encName, fromLocal: fromLocal, fromDomain: fromDomain, rcpt: rcpt, head: h.Bytes(), body: b.Bytes()}
}

// textBody returns Content-Type, Content-Transfer-Encoding and the encoded
// body lines (CRLF) of about n bytes on the wire.
func textBody(r *rand.Rand, k kind, n int) (string, string, []byte) {
	var out bytes.Buffer
	switch k {
	case kindEnglish:
		// 7bit text wrapped at 72 columns.
		line := ""
		for out.Len() < n {
			s := pick(r, englishSentences)
			if r.IntN(8) == 0 {
				s = "> " + s // quoted history
			}
			if len(line)+len(s)+1 > 72 {
				out.WriteString(line + "\r\n")
				line = ""
				if r.IntN(5) == 0 {
					out.WriteString("\r\n")
				}
			}
			if line != "" {
				line += " "
			}
			line += s
		}
		out.WriteString(line + "\r\n")
		return "text/plain; charset=us-ascii; format=flowed", "7bit", out.Bytes()
	default:
		// Chinese: append sentences (transcoded to GBK for the GBK kind)
		// until the base64 of the payload is about n bytes.
		charset := "UTF-8"
		enc := simplifiedchinese.GBK.NewEncoder()
		if k == kindChineseGBK {
			charset = "GBK"
		}
		var payload []byte
		for len(payload)*4/3 < n {
			s := pick(r, chineseSentences)
			if r.IntN(6) == 0 {
				s = pick(r, englishSentences) // mixed text: model numbers, quoted English
			}
			if r.IntN(3) == 0 {
				s += "\r\n"
			}
			if k == kindChineseGBK {
				if gb, err := enc.String(s); err == nil && utf8.ValidString(s) {
					s = gb
				}
			}
			payload = append(payload, s...)
		}
		writeBase64Lines(&out, payload)
		return "text/plain; charset=" + charset, "base64", out.Bytes()
	}
}

func writeBase64Lines(b *bytes.Buffer, raw []byte) {
	enc := base64.StdEncoding.EncodeToString(raw)
	for len(enc) > 76 {
		b.WriteString(enc[:76])
		b.WriteString("\r\n")
		enc = enc[76:]
	}
	if enc != "" {
		b.WriteString(enc)
		b.WriteString("\r\n")
	}
}

// traceHeaders are the per-message headers in front of the template's:
// the sender, and the ids and send time the sink reads back.
func traceHeaders(dst []byte, t *template, from string, runID string, seq int64, sentUnixNano int64, domain string) []byte {
	dst = fmt.Appendf(dst, "Return-Path: <%s>\r\nFrom: %s <%s>\r\n", from, t.fromName, from)
	dst = fmt.Appendf(dst, "Message-ID: <%s.%d@loadgen.%s>\r\n", runID, seq, domain)
	dst = fmt.Appendf(dst, "X-Bench-Id: %s.%d\r\n", runID, seq)
	dst = fmt.Appendf(dst, "X-Bench-Sent: %d\r\n", sentUnixNano)
	return dst
}
