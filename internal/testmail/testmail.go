// Package testmail builds the support mail that benchmarks and tests
// measure: a customer's text with photos and PDFs attached, as phones and
// mail clients send them (base64 in 76-column lines, non-ASCII file names
// in RFC 2231 and RFC 2047 spellings).
package testmail

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"mime"
)

// Attachment is one file of a generated mail.
type Attachment struct {
	Name string // the file name as the customer sees it (UTF-8)
	Type string // media type
	Size int    // bytes before base64
}

// Kinds are the attachments WithAttachments cycles through: a phone photo,
// a PDF invoice with a Chinese name, a screenshot with a German name.
var Kinds = []Attachment{
	{Name: "IMG_4521 破损.jpg", Type: "image/jpeg"},
	{Name: "发票 2026-11.pdf", Type: "application/pdf"},
	{Name: "Bildschirmfoto Gerät.jpg", Type: "image/jpeg"},
}

// WithAttachments returns a mail of about size bytes: a short text/plain
// part in UTF-8 (quoted-printable, with quoted history) and n attachments
// of Kinds that share the rest of the size, with random content (as
// compressed images and PDFs are). The same seed gives the same mail. It
// also returns the attachments as a parser should report them.
func WithAttachments(size, n int, seed uint64) ([]byte, []Attachment) {
	r := rand.New(rand.NewPCG(seed, 21))
	const boundary = "----=_Part_21_4711.1733500000"
	var b bytes.Buffer
	b.WriteString("From: =?UTF-8?B?5p2O5aic?= <li.na@customer.example>\r\n")
	b.WriteString("To: support@bench.example\r\n")
	b.WriteString("Subject: =?UTF-8?B?5rC06Z2i5Y+w56C05LqG77yM54Wn54mH6KeB6ZmE5Lu2?=\r\n")
	b.WriteString("Date: Mon, 16 Nov 2026 10:21:07 +0800\r\n")
	fmt.Fprintf(&b, "Message-ID: <%x.att@customer.example>\r\n", r.Uint64())
	b.WriteString("MIME-Version: 1.0\r\n")
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", boundary)
	b.WriteString("This is a multi-part message in MIME format.\r\n\r\n")
	fmt.Fprintf(&b, "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", boundary)
	b.WriteString("Hello, the kettle arrived with a cracked lid, photos and the invoice are =\r\nattached. Order 4711, serial AB12345. =E8=AF=B7=E5=B0=BD=E5=BF=AB=E5=A4=84=E7=90=86=E3=80=82\r\n\r\n")
	b.WriteString("Best regards,\r\nLi Na\r\n\r\nOn Sun, 15 Nov 2026, Support wrote:\r\n> Thank you for your order.\r\n\r\n")
	var atts []Attachment
	if n > 0 {
		per := max((size-b.Len()-n*400)*3/4/n, 64)
		for i := range n {
			a := Kinds[i%len(Kinds)]
			a.Size = per
			atts = append(atts, a)
			fmt.Fprintf(&b, "--%s\r\n", boundary)
			if i%2 == 0 { // RFC 2231, as Thunderbird and Apple Mail write it
				fmt.Fprintf(&b, "Content-Type: %s; name*=UTF-8''%s\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment;\r\n filename*=UTF-8''%s\r\n\r\n",
					a.Type, pctEncode(a.Name), pctEncode(a.Name))
			} else { // RFC 2047 in a quoted parameter, as Outlook and Foxmail do
				enc := mime.BEncoding.Encode("UTF-8", a.Name)
				fmt.Fprintf(&b, "Content-Type: %s; name=\"%s\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"%s\"\r\n\r\n",
					a.Type, enc, enc)
			}
			raw := make([]byte, per)
			for j := range raw {
				raw[j] = byte(r.Uint32())
			}
			enc := base64.StdEncoding.EncodeToString(raw)
			for len(enc) > 76 {
				b.WriteString(enc[:76])
				b.WriteString("\r\n")
				enc = enc[76:]
			}
			b.WriteString(enc + "\r\n")
		}
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes(), atts
}

func pctEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var out []byte
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' {
			out = append(out, c)
		} else {
			out = append(out, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(out)
}

// Plain returns a text/plain mail of about size bytes (English, 7bit).
func Plain(size int) []byte {
	var b bytes.Buffer
	b.WriteString("From: Alice <alice@customer.example>\r\nTo: support@bench.example\r\nSubject: Kettle not heating\r\n")
	b.WriteString("Date: Mon, 16 Nov 2026 10:21:07 +0800\r\nMessage-ID: <plain.1@customer.example>\r\nMIME-Version: 1.0\r\n")
	b.WriteString("Content-Type: text/plain; charset=us-ascii\r\n\r\n")
	for b.Len() < size {
		b.WriteString("Hello, my kettle stopped heating this morning and the light does not come on.\r\n")
	}
	return b.Bytes()
}

// MixedText returns about size bytes of a customer's text, lines ending in
// CRLF: English and Chinese sentences about a kettle, an order and a
// double charge in turn, so that a ranking meets several entries and both
// languages, as the FAQ and routing benchmarks need.
func MixedText(size int) string {
	sents := []string{
		"Hello, my kettle stopped heating this morning and the light does not come on.",
		"Could you please tell me where my order is? The tracking number has not updated for five days.",
		"我的订单已经五天没有物流更新了，麻烦帮我查一下快递到哪里了。",
		"I was charged twice for the same order, please refund the duplicate payment.",
	}
	var b bytes.Buffer
	for i := 0; b.Len() < size; i++ {
		b.WriteString(sents[i%len(sents)] + "\r\n")
	}
	return b.String()
}
