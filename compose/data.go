package compose

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/message"
)

// Link is one FAQ article offered in an acknowledgement.
type Link struct {
	Title string
	URL   string
}

// Data is what every template sees. It is one type for all templates, not
// one per mail, because an admin may give an acknowledgement any name and
// Load checks every file with the same sample; a field a mail does not
// use is empty.
type Data struct {
	TicketTag      string // "SUP-1042"
	DepartmentName string // the department's display name
	// CustomerName is the display name of the customer's From, else the
	// local part of the address when it reads like a name, else
	// "customer" (en) or "客户" (zh).
	CustomerName string
	// Greeting is a complete salutation in Lang: "Dear Li Wei," /
	// "Dear customer,"; "Li Wei，您好！" / "您好！".
	Greeting string
	Subject  string // the customer's subject as they wrote it
	// FirstResponseDue is the deadline as a customer reads it (sla.Describe):
	// "Tuesday 24 November, 10:00 (China Standard Time)" /
	// "11月24日（周二）10:00"; "" when the department promises no time.
	FirstResponseDue   string
	FirstResponseDueAt time.Time        // the same instant; zero when none
	FAQ                []Link           // at most a few; none when nothing fits
	StatusURL          string           // the ticket's public status page
	Lang               message.Language // the language of the template used
	// RateGoodURL and RateBadURL are the one-click rating links of a
	// resolved ticket (the autoclose and resolved notices); "" in
	// acknowledgements.
	RateGoodURL, RateBadURL string

	// The SLA warning and escalation (templates warning and escalation).
	Department   string    // the department's key
	Customer     string    // the customer's address
	Deadline     string    // the deadline's name in Lang: "first response", "首次回复"
	DeadlineKind string    // its key: first_response, next_response, resolution
	Due          string    // the deadline in words (sla.Describe), in the calendar's zone
	DueAt        time.Time // the same instant, in the calendar's zone
	Priority     string    // low, normal, high, urgent
	Status       string    // the ticket's status
}

// Rendered is one template rendered: the text part, the HTML part (nil
// when the template has none), and the subject when the template sets one.
type Rendered struct {
	Subject string           // from a first line "Subject: …"; "" when none
	Text    []byte           // CRLF line ends
	HTML    []byte           // nil: text only
	Lang    message.Language // the language of the template used (after fallback)
	// TextFile and HTMLFile name the files used, for logs.
	TextFile, HTMLFile string
}

// subjectPrefix starts a text template's first line that gives the mail's
// subject: the subject of a warning is as much wording as its body, and
// belongs in the same file an admin translates or rewrites.
const subjectPrefix = "Subject:"

// Render renders template name for department dept in lang, falling back
// as the lookup order says; d.Lang is set to the language used.
func (t *Templates) Render(name, dept string, lang message.Language, d Data) (*Rendered, error) {
	s, used := t.lookup(name, dept, string(lang))
	if s == nil {
		return nil, fmt.Errorf("no template %q for department %q", name, dept)
	}
	d.Lang = message.Language(used)
	text, err := s.renderText(d)
	if err != nil {
		return nil, err
	}
	html, err := s.renderHTML(d)
	if err != nil {
		return nil, err
	}
	r := &Rendered{Text: text, HTML: html, Lang: message.Language(used), TextFile: s.textFile, HTMLFile: s.htmlFile}
	if first, rest, ok := bytes.Cut(text, []byte("\r\n")); ok && bytes.HasPrefix(first, []byte(subjectPrefix)) {
		r.Subject = OneLine(strings.TrimPrefix(string(first), subjectPrefix))
		r.Text = bytes.TrimLeft(rest, "\r\n") // renderText made sure something is left
	}
	return r, nil
}
