// Package ack writes the acknowledgement a customer receives the moment
// their mail becomes a ticket — ticket number, the promised first-response
// time, FAQ articles that may answer them at once, a status link — in the
// customer's language, Chinese in Traditional characters for a customer
// who writes them (Input.Traditional), from built-in or admin-supplied
// templates that are checked when they load, so a broken template is a
// load error and never a broken mail. It also decides when not to acknowledge at all: Suppress
// applies RFC 3834 and anti-backscatter rules so that robots, lists,
// bounces, our own mail and other autoresponders never get an answer, which
// is what keeps two helpdesks from mailing each other forever; Recipient
// then decides who may be answered at all: the envelope sender only, when
// the From agrees with it, and only at a public mail address. The
// templates and the writing of the mail are package compose's, shared with
// every other mail the gateway sends. Apart from Load reading
// templates_dir nothing here does I/O: the caller supplies the ticket, the
// deadline, the links and the date, and sends the bytes Build returns
// through the queue with the null envelope sender (RFC 3834 §3.3),
// DKIM-signed by mailauth when a key is configured.
package ack

import (
	"errors"
	"fmt"
	"html"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/frontdesk-mail/frontdesk/compose"
	"github.com/frontdesk-mail/frontdesk/internal/zhconv"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/sla"
)

// Input is everything Build needs to know about one acknowledgement.
type Input struct {
	Template   string // template name; "" for DefaultName
	Department string // department key, for per-department templates
	// DepartmentName and DepartmentAddress make the From: line.
	DepartmentName    string
	DepartmentAddress string
	// Original is the customer's message: its sender is the recipient,
	// its language picks the template, its ids thread the reply.
	Original *message.Message
	// To overrides the recipient (default Original.From): the lead may
	// prefer the envelope sender or the Reply-To.
	To   *mail.Address
	Lang message.Language // "" for Original.Lang()
	// Traditional writes a Chinese acknowledgement in Traditional
	// characters, for a customer who writes them (the caller passes
	// Original.Traditional()): the rendered subject, text and HTML are
	// converted (zhconv), all but what they quote of the customer's —
	// name, subject — and the links. An English one is left as it is.
	Traditional bool
	TicketTag   string // "SUP-1042"
	Due         time.Time
	FAQ         []Link
	StatusURL   string
	// RateGoodURL and RateBadURL: see Data.
	RateGoodURL, RateBadURL string
	// Hostname is the right-hand side of our Message-ID. Suppress
	// recognises our own acks by it, so it must match Ours.Hostname.
	Hostname string
	// MessageID overrides the generated <ack.RANDOM@Hostname> (without
	// angle brackets), for a caller that records it first.
	MessageID string
	Date      time.Time // zero for time.Now()
}

// ErrNoRecipient is returned when the customer's message names no address
// to answer.
var ErrNoRecipient = errors.New("ack: no recipient address")

// Build renders the acknowledgement for in and returns the complete RFC 5322
// message (compose.Mail): multipart/alternative text and HTML (text only
// when the template has no HTML part), threaded to the customer's message
// and marked Auto-Submitted: auto-replied so other systems do not answer it.
func Build(t *Templates, in Input) ([]byte, error) {
	if in.Original == nil {
		return nil, errors.New("ack: no original message")
	}
	to := in.Original.From
	if in.To != nil {
		to = *in.To
	}
	to.Name = oneLine(to.Name)
	if !strings.Contains(to.Address, "@") || strings.ContainsAny(to.Address, "\r\n") {
		return nil, ErrNoRecipient
	}
	if in.DepartmentAddress == "" || in.Hostname == "" {
		return nil, errors.New("ack: department address and hostname are required")
	}
	name := in.Template
	if name == "" {
		name = DefaultName
	}
	lang := in.Lang
	if lang == "" {
		lang = in.Original.Lang()
	}
	d := Data{
		TicketTag:   in.TicketTag,
		Subject:     oneLine(in.Original.Subject),
		FAQ:         in.FAQ,
		StatusURL:   in.StatusURL,
		RateGoodURL: in.RateGoodURL,
		RateBadURL:  in.RateBadURL,
	}
	id := in.MessageID
	if id == "" {
		id = NewMessageID(in.Hostname)
	}
	m := &compose.Mail{
		From:          mail.Address{Name: in.DepartmentName, Address: in.DepartmentAddress},
		To:            []mail.Address{to},
		MessageID:     id,
		Date:          in.Date,
		AutoSubmitted: compose.AutoReplied,
		References:    in.Original.References,
	}
	if orig := in.Original.MessageID; validID(orig) {
		m.InReplyTo = orig
	} else {
		m.References = nil // a reference list without its parent threads nowhere
	}
	// The wording depends on the language the lookup settles on (a
	// template may exist only in English), so render once to learn it
	// when it differs from the customer's.
	c := compose.Composer{Templates: t}
	render := func(lang message.Language) error {
		d.DepartmentName = departmentName(oneLine(in.DepartmentName), lang)
		d.CustomerName = customerName(to, lang)
		d.Greeting = greeting(nameOrEmpty(to), lang)
		d.FirstResponseDue, d.FirstResponseDueAt = "", time.Time{}
		if !in.Due.IsZero() {
			d.FirstResponseDue = sla.Describe(in.Due, string(lang))
			d.FirstResponseDueAt = in.Due
		}
		m.Subject = Subject(in.TicketTag, in.Original.Subject, lang)
		return c.Template(name, in.Department, lang, d, m)
	}
	if err := render(lang); err != nil {
		return nil, fmt.Errorf("ack: %w", err)
	}
	if m.Lang != lang {
		if err := render(m.Lang); err != nil {
			return nil, fmt.Errorf("ack: %w", err)
		}
	}
	if in.Traditional && m.Lang == message.Chinese {
		// The customer's words and the links as they are, and as the
		// HTML part quotes them.
		keep := []string{to.Name, nameOrEmpty(to), d.Subject, in.Original.Subject, d.StatusURL, d.RateGoodURL, d.RateBadURL}
		for _, l := range d.FAQ {
			keep = append(keep, l.URL)
		}
		for _, k := range keep {
			if e := html.EscapeString(k); e != k {
				keep = append(keep, e)
			}
		}
		m.Subject = zhconv.ToTraditionalKeeping(m.Subject, keep...)
		m.Text = []byte(zhconv.ToTraditionalKeeping(string(m.Text), keep...))
		if m.HTML != nil {
			m.HTML = []byte(zhconv.ToTraditionalKeeping(string(m.HTML), keep...))
		}
	}
	raw, err := c.ToAgents(m) // unsigned here: the caller signs
	if err != nil {
		return nil, fmt.Errorf("ack: %w", err)
	}
	return raw, nil
}

// NewMessageID returns "ack.RANDOM@hostname" (no angle brackets). The
// "ack." prefix and our hostname are how Suppress knows a reply to it.
func NewMessageID(hostname string) string { return compose.NewMessageID("ack", hostname) }

// validID keeps sender-supplied ids that would corrupt our header out.
func validID(id string) bool { return compose.ValidID(id) }

// replyPrefix matches the reply markers mail clients put before a
// subject, in the languages our customers write: Re, RE, Aw (German), Sv
// (Nordic), 回复, 答复, 回覆, with ASCII or full-width colons.
var replyPrefix = regexp.MustCompile(`(?i)^\s*(?:re|aw|sv|回复|答复|回覆)\s*(?:\[\d+\])?\s*[:：]\s*`)

// Subject returns "[TAG] Re: original": the tag first so it survives
// clients that cut long subjects, "Re:" once however many the customer's
// subject carried, and our tag not repeated when the customer's subject
// already has it.
func Subject(tag, original string, lang message.Language) string {
	s := oneLine(original)
	tagged := "[" + tag + "]"
	for {
		t := strings.TrimSpace(s)
		if tag != "" && len(t) >= len(tagged) && strings.EqualFold(t[:len(tagged)], tagged) {
			s = t[len(tagged):]
			continue
		}
		if loc := replyPrefix.FindStringIndex(t); loc != nil && loc[1] > 0 {
			s = t[loc[1]:]
			continue
		}
		s = t
		break
	}
	if s == "" {
		if lang == message.Chinese {
			s = "您的来信"
		} else {
			s = "your message"
		}
	}
	if tag == "" {
		return "Re: " + s
	}
	return tagged + " Re: " + s
}

// oneLine keeps header text on one line (compose.OneLine).
func oneLine(s string) string { return compose.OneLine(s) }

// nameOrEmpty is the customer's display name when it is a name — not an
// address repeated, not empty.
func nameOrEmpty(a mail.Address) string {
	n := strings.Trim(oneLine(a.Name), `"' `)
	if n == "" || strings.Contains(n, "@") {
		if local := localPart(a.Address); nameLike(local) {
			return titleWords(local)
		}
		return ""
	}
	return n
}

func customerName(a mail.Address, lang message.Language) string {
	if n := nameOrEmpty(a); n != "" {
		return n
	}
	return customerFallback(lang)
}

// departmentName keeps "Thank you for writing to ." out of a mail when a
// department has no display name configured.
func departmentName(name string, lang message.Language) string {
	switch {
	case name != "":
		return name
	case lang == message.Chinese:
		return "客服团队"
	}
	return "our support team"
}

func customerFallback(lang message.Language) string {
	if lang == message.Chinese {
		return "客户"
	}
	return "customer"
}

// nameLike accepts a local part as a name only when it could be one:
// "li.wei" yes; "order-4711", "x9f3k" or "info" no, since greeting someone
// as "Dear order-4711" reads worse than "Dear customer"; nor two letters
// alone ("tw", "wf"), which are initials far more often than a name, and
// "Tw，您好！" greets nobody.
func nameLike(local string) bool {
	if len(local) < 3 || len(local) > 30 {
		return false
	}
	switch strings.ToLower(local) {
	case "info", "mail", "contact", "admin", "office", "sales", "support", "hello", "service", "me", "user":
		return false
	}
	for _, r := range local {
		if !unicode.IsLetter(r) && r != '.' && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

// titleWords turns "li.wei" into "Li Wei": people write their own names
// capitalised, and a greeting in lower case reads as machine-made.
func titleWords(local string) string {
	words := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '-' || r == '_' })
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

func greeting(name string, lang message.Language) string {
	if lang == message.Chinese {
		if name == "" {
			return "您好！"
		}
		return name + "，您好！"
	}
	if name == "" {
		return "Dear customer,"
	}
	return "Dear " + name + ","
}

func localPart(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[:i]
	}
	return addr
}
