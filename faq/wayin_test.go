package faq

import (
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

// TestWayInLinksItsKindsEntry: a mail of a kind (a job, coverage or
// sponsorship, distribution) that asks the way in — whom to write to,
// how to apply, on what conditions — gets its kind's entry, however few
// of its words the entry shares; one that offers (a CV attached, an
// interview wanted, a call or an audit proposed, a logo in return) stays
// unlinked. The mails are written for this test.
func TestWayInLinksItsKindsEntry(t *testing.T) {
	c := Demo()
	for _, tc := range []struct {
		name, subject, body string
		want                string // the first link; "" for none
	}{
		{"job-who", "Work in your Ningbo warehouse", "Hello, I have driven delivery vans for six years and live near your Ningbo warehouse. Are you hiring drivers at the moment, and who should I contact?", "careers"},
		{"job-zh-how", "仓库的工作", "你好，我住在你们苏州仓库附近，做过三年仓管。请问仓库最近有招聘吗？怎么申请？", "careers"},
		{"press-right-person", "Pictures for a gift guide", "Hi, I am a freelance journalist writing the gift guide of a parenting magazine and would love to put your rice cooker in it. I need two product pictures with a plain background. Who is the right person for this?", "press-contact"},
		{"press-zh-chance", "合作", "你好，我是一个做家居内容的博主，平时会拍厨房小家电。想问下有没有和你们品牌合作的机会呢？", "press-contact"},
		{"trade-conditions", "Distribution enquiry - Peru", "Good afternoon, our firm imports household goods into Peru and Bolivia for about forty shops. We want to become your distributor in the Andes. What are the conditions, and whom do we write to?", "dealer-partnership"},

		{"trade-indirect-wrapped", "Stocking your range in Chile", "Hello, we own nine kitchen shops around Santiago and would like to become a distributor of your products. Could you tell us\r\nwho we should\r\nspeak to?", "dealer-partnership"},
		{"trade-wrapped", "Dealers in Chile", "Hello, we own nine kitchen shops around Santiago and want to become your dealer. Who\r\nshould we write to?", "dealer-partnership"},

		{"job-cv-attached", "Application - warehouse driver", "Hello, I have driven delivery vans for six years and would like to join your Ningbo warehouse. Please find my CV attached. Who should I contact about next steps?", ""},
		{"press-interview", "Interview about your founder", "Hello, I am a journalist at a business weekly and would like an interview with your founder next week. Who should I contact to arrange it?", ""},
		{"sponsor-in-return", "Sponsoring our choir", "Dear team, our children's choir tours in spring and is looking for sponsors. In return your logo would be on our programme. Who should we write to?", ""},
		{"agency-call", "Your search rankings", "Hi, your product pages are not on page one for many searches. We do SEO for appliance brands. Would you be open to a quick call? Who handles marketing?", ""},
	} {
		m, err := message.Parse([]byte("From: c@example.test\r\nSubject: " + tc.subject + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + tc.body + "\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		got := c.Suggest(m)
		switch {
		case tc.want == "" && len(got) > 0:
			t.Errorf("%s: want no link, got %v", tc.name, got)
		case tc.want != "" && (len(got) == 0 || got[0].ID != tc.want):
			t.Errorf("%s: want %s first, got %v", tc.name, tc.want, got)
		}
	}
}
