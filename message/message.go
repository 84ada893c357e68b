// Package message decodes a raw RFC 5322 mail into the plain, UTF-8 view that
// Frontdesk reasons about: addresses, the decoded subject and headers, the body
// text (HTML turned to text when there is no text part), attachments and the
// customer's language. Rules, FAQ ranking and intake all read this one view so
// that they agree on what a mail says, whatever charset it arrived in.
//
// Parsing is lenient by design: a gateway that has already answered 250 must
// still route a malformed mail, so Parse returns a usable Message alongside
// any error it met. A mail whose MIME structure is too deep, too large or too
// costly to decode (Limits, measured by Scan before decoding) is treated
// the same way. Attachments are not decoded: nothing reads their content,
// so Parse reports their names, types and decoded sizes only (elide.go).
package message

import (
	"bytes"
	"fmt"
	"mime"
	"net/mail"
	"net/textproto"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/jhillyerd/enmime/v2"
	"github.com/jhillyerd/enmime/v2/mediatype"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/frontdesk-mail/frontdesk/internal/rfc5322"
)

// Attachment is one attached (or inline, named) part.
type Attachment struct {
	Name string // decoded file name
	Type string // media type, lower case, e.g. "application/pdf"
	Size int
}

// Message is the decoded view of one mail.
type Message struct {
	// Rcpt holds the envelope recipients (RCPT TO), set by the caller;
	// they decide routing more reliably than the To header (Bcc, lists).
	Rcpt []string

	From       mail.Address
	To         []mail.Address // To and Cc headers
	Subject    string
	MessageID  string   // without angle brackets
	InReplyTo  []string // message ids, without angle brackets
	References []string
	Date       time.Time

	// Text is the body as text: the text/plain part, else the HTML part
	// converted to text.
	Text        string
	HTML        bool // true when Text came from HTML only
	Attachments []Attachment

	header textproto.MIMEHeader // decoded header values

	// Derived views, computed on first use (Text must not change after).
	freshOnce, langOnce, tradOnce sync.Once
	fresh, lang                   string
	ownAt                         int // where the sender's own quoted mail starts in fresh (0: none)
	trad                          bool

	// memo holds what other packages derived from the message (Memo).
	memoMu sync.Mutex
	memo   map[any]any
}

// Memo returns the value kept under key, computing it with f on first use.
// Routing and the acknowledgement both need the FAQ catalog's reading of a
// mail; with Memo the mail is read once. Keys are the callers' own
// comparable values (a catalog pointer), so packages do not collide; the
// value must depend only on the message's decoded view, which does not
// change after Parse. f must not call Memo on the same message.
func (m *Message) Memo(key any, f func() any) any {
	m.memoMu.Lock()
	defer m.memoMu.Unlock()
	if v, ok := m.memo[key]; ok {
		return v
	}
	if m.memo == nil {
		m.memo = map[any]any{}
	}
	v := f()
	m.memo[key] = v
	return v
}

// Parse decodes raw. It never returns a nil Message: when the MIME structure
// cannot be parsed, or is beyond DefaultLimits (a *LimitError), the headers
// that could be read and the raw body as text are returned together with
// the error.
func Parse(raw []byte) (*Message, error) { return ParseLimits(raw, DefaultLimits) }

// ParseLimits is Parse with other limits on the MIME structure.
func ParseLimits(raw []byte, lim Limits) (*Message, error) { return parse(raw, lim, true) }

// parse is ParseLimits; cutAttachments false decodes every part, as
// Parse did before elide (the tests' reference).
func parse(raw []byte, lim Limits, cutAttachments bool) (*Message, error) {
	return parseNested(raw, lim, cutAttachments, true)
}

// maxAttachedMessages bounds the attached messages (message/rfc822) whose
// text is read into a mail's: a forward as attachment carries one, a
// digest a few.
const maxAttachedMessages = 4

// parseNested is parse; attached reports whether the text of attached
// messages is read (only at the top: an attached message's own attached
// messages are not).
func parseNested(raw []byte, lim Limits, cutAttachments, attached bool) (*Message, error) {
	if cut, ok := cutHeader(raw, lim.MaxHeaderFields); ok {
		// Decode the first fields and the body; say why the rest of the
		// header is missing.
		m, err := parseNested(cut, lim, cutAttachments, attached)
		if err == nil {
			err = fmt.Errorf("parse message: %w", &LimitError{What: "header", Limit: int64(lim.MaxHeaderFields)})
		}
		return m, err
	}
	m := &Message{}
	// The decoder's cost grows with the nesting of every byte; measure the
	// structure first (one pass, no copies) and decode only what is
	// within bounds. The scan reads the mail as enmime will, which it can
	// only do without bare CRs.
	// The same pass cuts out attachments' content (elide).
	src := dropBareCR(raw)
	var err error
	if cutAttachments {
		src, err = elide(src, lim)
	} else {
		_, err = Scan(src, lim)
	}
	if err != nil {
		m.fallback(raw)
		return m, fmt.Errorf("parse message: %w", err)
	}
	raw = src
	if lim.MaxDecodeBytes > 0 && len(raw) > lim.MaxDecodeBytes {
		// At a line end, so that no encoded line is cut in two.
		if i := bytes.LastIndexByte(raw[:lim.MaxDecodeBytes], '\n'); i > 0 {
			raw = raw[:i+1]
		} else {
			raw = raw[:lim.MaxDecodeBytes]
		}
	}
	raw = labelUTF8(raw)
	// Trust declared charsets first: enmime's statistical detection runs
	// over every text part and was 40% of the gateway's CPU per message
	// under load (bench/README.md). Only when the declared charset does not
	// decode cleanly is the mail parsed again with detection, which is what
	// fixes the mislabelled mail some Chinese clients send.
	env, err := enmime.NewParser(enmime.MaxMIMEParts(1000), enmime.DisableCharacterDetection(true)).ReadEnvelope(bytes.NewReader(raw))
	if err == nil && needsDetection(env) {
		env, err = enmime.NewParser(enmime.MaxMIMEParts(1000)).ReadEnvelope(bytes.NewReader(raw))
	}
	if err != nil {
		m.fallback(raw)
		return m, fmt.Errorf("parse message: %w", err)
	}
	m.header = make(textproto.MIMEHeader)
	declared := declaredEncoding(env.Root)
	for _, k := range env.GetHeaderKeys() {
		for _, v := range env.GetHeaderValues(k) {
			m.header.Add(k, fixHeader(v, declared))
		}
	}
	m.fill()
	htmlOnce(env)
	if env.HTML != "" && rootText(env) == "" {
		env.Text = htmlText(env.HTML)
	}
	if t, ok := textAroundInlines(env); ok {
		env.Text = t
	}
	m.Text = fixText(env.Text)
	if delsp, ok := flowed(env); ok {
		m.Text = unflow(m.Text, delsp)
	}
	m.Text = joinAttributions(m.Text)
	if env.Text != "" && strings.TrimSpace(rootText(env)) == "" && env.HTML != "" {
		m.HTML = true
	}
	if attached {
		m.Text += attachedMessages(env, lim, cutAttachments)
	}
	m.Text = dropInvisible(m.Text)
	for _, parts := range [][]*enmime.Part{env.Attachments, env.Inlines} {
		for _, a := range parts {
			if a.FileName == "" && parts != nil && len(env.Attachments) == 0 {
				continue
			}
			m.Attachments = append(m.Attachments, Attachment{
				Name: fixText(a.FileName),
				Type: strings.ToLower(a.ContentType),
				Size: partSize(a.Content),
			})
		}
	}
	return m, nil
}

// attachedMessages returns the text of the messages attached to env
// (message/rfc822 parts: Outlook's and Thunderbird's "forward as
// attachment"), each below a forward marker and the header fields a mail
// client writes above a forwarded mail, as Gmail forwards inline:
//
//	---------- Forwarded message ---------
//	From: Ann <ann@home.test>
//	Date: Tue, 3 Nov 2026 09:00:00 +0800
//	Subject: Fan
//	To: help@shop.test
//
//	The fan rattles.
//
// Text then reads a forward the same whichever way it was sent: Fresh
// takes the forwarded mail's words when the sender wrote nothing above
// it, and the FAQ ranking's quoted zone has them when they did.
func attachedMessages(env *enmime.Envelope, lim Limits, cutAttachments bool) string {
	var b strings.Builder
	n := 0
	for _, a := range env.Attachments {
		if !strings.EqualFold(a.ContentType, "message/rfc822") || len(a.Content) == 0 {
			continue
		}
		if n++; n > maxAttachedMessages {
			break
		}
		in, _ := parseNested(a.Content, lim, cutAttachments, false)
		if strings.TrimSpace(in.Text) == "" && in.Subject == "" {
			continue
		}
		b.WriteString("\n\n---------- Forwarded message ---------\n")
		if f := in.header.Get("From"); f != "" {
			b.WriteString("From: " + f + "\n")
		}
		if d := in.header.Get("Date"); d != "" {
			b.WriteString("Date: " + d + "\n")
		}
		b.WriteString("Subject: " + in.Subject + "\n")
		if t := in.header.Get("To"); t != "" {
			b.WriteString("To: " + t + "\n")
		}
		b.WriteString("\n")
		b.WriteString(strings.TrimSpace(in.Text))
		b.WriteString("\n")
	}
	return b.String()
}

// invisible are the characters that show nothing and join or break no
// words for a reader: the zero-width space (pasted from web pages and
// chat apps), the word joiner, the byte order mark some clients put at
// the start of a text (U+FEFF) and the soft hyphen.
const invisible = "\u200b\u2060\ufeff\u00ad"

// dropInvisible returns s without the invisible characters, so that
// "ket\u200btle" reads as the "kettle" it shows and a first line after a
// byte order mark as the line it is.
func dropInvisible(s string) string {
	if !strings.ContainsAny(s, invisible) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(invisible, r) {
			return -1
		}
		return r
	}, s)
}

// htmlOnce undoes a double charset conversion of enmime (v2.5): a
// single-part HTML mail whose charset only its <meta> names (QQ Mail,
// Foxmail, some Outlook versions) is converted to UTF-8 as the part is
// decoded (the charset detector reads the <meta>), and then again in
// the envelope from the same <meta>, GB18030 read as GB18030 twice. The
// part's content, converted once, is what the mail says.
func htmlOnce(env *enmime.Envelope) {
	r := env.Root
	if r == nil || r.FirstChild != nil || r.ContentType != "text/html" || r.Charset == "" || !utf8.Valid(r.Content) || env.HTML == string(r.Content) {
		return
	}
	if _, params, _, err := mediatype.Parse(r.Header.Get("Content-Type")); err != nil || params["charset"] != "" {
		return
	}
	env.HTML = string(r.Content) // the text is made from it (htmlText)
}

// textAroundInlines returns the text of a mail whose text parts an
// inline part stands between (Apple Mail puts a picture pasted into the
// middle of the text as text/plain, image, text/plain in a
// multipart/mixed), the parts joined by a blank line, and true. enmime
// joins every text part of a multipart/mixed with "\n--\n", which reads
// as a signature separator: the text after the picture was cut as the
// signature. Text parts with nothing inline between them (a footer a
// gateway appends as a part of its own) and named text parts (an
// attached file) keep enmime's separator.
func textAroundInlines(env *enmime.Envelope) (string, bool) {
	r := env.Root
	if r == nil || r.FirstChild == nil || r.ContentType == "multipart/alternative" || rootText(env) == "" {
		return "", false
	}
	var b strings.Builder
	joined, texts, inline := false, 0, false
	for p := range leaves(r) {
		isText := p.ContentType == "text/plain" && p.Disposition != "attachment"
		if !isText {
			if texts > 0 && p.Disposition != "attachment" && !strings.HasPrefix(p.ContentType, "text/") {
				inline = true
			}
			continue
		}
		if texts > 0 {
			if inline && p.FileName == "" {
				b.WriteString("\n\n")
				joined = true
			} else {
				b.WriteString("\n--\n")
			}
		}
		b.Write(p.Content)
		texts++
		inline = false
	}
	if !joined {
		return "", false
	}
	return b.String(), true
}

// leaves yields the parts of the tree under p that have no children,
// depth first, in the order of the mail. In a multipart/alternative
// only its text/plain part counts as text, as enmime reads it.
func leaves(p *enmime.Part) func(yield func(*enmime.Part) bool) {
	return func(yield func(*enmime.Part) bool) {
		var walk func(p *enmime.Part) bool
		walk = func(p *enmime.Part) bool {
			for c := p; c != nil; c = c.NextSibling {
				if c.FirstChild != nil {
					if !walk(c.FirstChild) {
						return false
					}
					continue
				}
				if !yield(c) {
					return false
				}
			}
			return true
		}
		walk(p)
	}
}

// flowed reports whether the text of env comes from a text/plain part
// sent with format=flowed (RFC 3676), and whether with delsp=yes.
func flowed(env *enmime.Envelope) (delsp, ok bool) {
	p := env.Root
	if p == nil {
		return false, false
	}
	if p.FirstChild != nil {
		p = p.DepthMatchFirst(func(p *enmime.Part) bool {
			return p.ContentType == "text/plain" && p.Disposition != "attachment"
		})
	} else if p.ContentType != "text/plain" && p.ContentType != "" {
		return false, false
	}
	if p == nil {
		return false, false
	}
	_, params, _, err := mediatype.Parse(p.Header.Get("Content-Type"))
	if err != nil || !strings.EqualFold(params["format"], "flowed") {
		return false, false
	}
	return strings.EqualFold(params["delsp"], "yes"), true
}

// cutHeader returns raw with only the first max fields of its header, and
// true, when the header has more (max 0: no bound). It stops reading at
// field max+1, so a header of millions of fields costs it nothing more.
func cutHeader(raw []byte, max int) ([]byte, bool) {
	if max <= 0 {
		return nil, false
	}
	head, _, _ := rfc5322.Split(raw)
	n, end := 0, 0
	for _, f := range rfc5322.Fields(head) {
		if n == max {
			out := make([]byte, 0, end+len(raw)-len(head))
			return append(append(out, raw[:end]...), raw[len(head):]...), true
		}
		n++
		end += len(f)
	}
	return nil, false
}

// needsDetection reports signs that a declared (or missing) charset did
// not fit the bytes: conversion errors, or text that is not clean UTF-8.
func needsDetection(env *enmime.Envelope) bool {
	for _, e := range env.Errors {
		if e.Name == enmime.ErrorCharsetConversion || e.Name == enmime.ErrorCharsetDeclaration {
			return true
		}
	}
	for _, s := range []string{env.Text, env.HTML} {
		if !utf8.ValidString(s) || strings.ContainsRune(s, utf8.RuneError) {
			return true
		}
	}
	return false
}

// labelUTF8 labels a single-part text mail UTF-8 when its header names no
// charset or US-ASCII (RFC 2045's default, which holds no 8-bit byte) and
// its 8-bit body is valid UTF-8: what scripts and swaks send. Read as
// US-ASCII, such Chinese became Latin-1 mojibake, taken for English (too
// short for enmime's charset detection, which needs 100 runes).
func labelUTF8(raw []byte) []byte {
	head, body, _ := rfc5322.Split(raw)
	ct, cte := "", ""
	for name, field := range rfc5322.Fields(head) {
		switch {
		case strings.EqualFold(name, "Content-Type"):
			ct = rfc5322.Value(field)
		case strings.EqualFold(name, "Content-Transfer-Encoding"):
			cte = strings.ToLower(strings.TrimSpace(rfc5322.Value(field)))
		}
	}
	mt := "text/plain"
	if ct != "" {
		t, params, err := mime.ParseMediaType(ct)
		if err != nil || !strings.HasPrefix(t, "text/") || (params["charset"] != "" && !strings.EqualFold(params["charset"], "us-ascii")) {
			return raw
		}
		mt = t
	}
	if (cte != "" && cte != "7bit" && cte != "8bit") || !has8bit(body) || !utf8.Valid(body) {
		return raw
	}
	// The first Content-Type is the one read.
	return append([]byte("Content-Type: "+mt+"; charset=utf-8\r\n"), raw...)
}

func has8bit(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

func rootText(env *enmime.Envelope) string {
	// enmime fills Text from HTML when no text part exists; detect that
	// through its warning so callers know the text is derived.
	for _, e := range env.Errors {
		if e.Name == enmime.ErrorPlainTextFromHTML {
			return ""
		}
	}
	return env.Text
}

// fallback reads what it can from a mail enmime refused: the header block
// with net/textproto and the rest as text.
func (m *Message) fallback(raw []byte) {
	m.header = make(textproto.MIMEHeader)
	head, body, _ := rfc5322.Split(raw)
	if msg, err := mail.ReadMessage(bytes.NewReader(append(append([]byte{}, head...), "\r\n\r\n"...))); err == nil {
		dec := new(mime.WordDecoder)
		for k, vs := range msg.Header {
			for _, v := range vs {
				if d, err := dec.DecodeHeader(v); err == nil {
					v = d
				}
				m.header.Add(k, fixText(v))
			}
		}
	}
	m.fill()
	m.Text = fixText(string(body))
}

func (m *Message) fill() {
	if l := parseAddrs(m.header.Get("From")); len(l) > 0 {
		m.From = l[0]
	}
	m.To = append(parseAddrs(m.header.Get("To")), parseAddrs(m.header.Get("Cc"))...)
	m.Subject = strings.TrimSpace(m.header.Get("Subject"))
	m.MessageID = firstID(m.header.Get("Message-Id"))
	m.InReplyTo = ids(m.header.Get("In-Reply-To"))
	m.References = ids(m.header.Get("References"))
	if d, err := parseDate(m.header.Get("Date")); err == nil {
		m.Date = d
	}
}

// parseDate is mail.ParseDate, trying first the form nearly every mail's
// Date has, RFC 5322's own ("Mon, 16 Nov 2026 10:21:07 +0800",
// time.RFC1123Z): mail.ParseDate tries 24 layouts before that one, each
// failure an error allocated, some 75 allocations per mail. The result is
// the same (FuzzParseDate).
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC1123Z, s); err == nil {
		return t, nil
	}
	return mail.ParseDate(s)
}

// Header returns the decoded values of the named header (case-insensitive).
func (m *Message) Header(name string) []string {
	return m.header.Values(textproto.CanonicalMIMEHeaderKey(name))
}

// HeaderKeys lists the header names present, canonicalised.
func (m *Message) HeaderKeys() []string {
	keys := make([]string, 0, len(m.header))
	for k := range m.header {
		keys = append(keys, k)
	}
	return keys
}

// parseAddrs is lenient: a list net/mail rejects still yields the addresses
// it can find, since customers' clients write odd From lines.
func parseAddrs(v string) []mail.Address {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	p := mail.AddressParser{WordDecoder: &mime.WordDecoder{}}
	if l, err := p.ParseList(v); err == nil {
		out := make([]mail.Address, 0, len(l))
		for _, a := range l {
			out = append(out, *a)
		}
		return out
	}
	var out []mail.Address
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if a, err := p.Parse(part); err == nil {
			out = append(out, *a)
			continue
		}
		if i, j := strings.LastIndex(part, "<"), strings.LastIndex(part, ">"); i >= 0 && j > i {
			out = append(out, mail.Address{Name: strings.Trim(strings.TrimSpace(part[:i]), `"`), Address: part[i+1 : j]})
		} else if strings.Contains(part, "@") {
			out = append(out, mail.Address{Address: part})
		}
	}
	return out
}

func ids(v string) []string {
	var out []string
	for {
		i := strings.IndexByte(v, '<')
		if i < 0 {
			break
		}
		j := strings.IndexByte(v[i:], '>')
		if j < 0 {
			break
		}
		if id := strings.TrimSpace(v[i+1 : i+j]); id != "" {
			out = append(out, id)
		}
		v = v[i+j+1:]
	}
	if len(out) == 0 {
		for _, f := range strings.Fields(v) {
			out = append(out, f)
		}
	}
	return out
}

func firstID(v string) string {
	if l := ids(v); len(l) > 0 {
		return l[0]
	}
	return ""
}

// declaredEncoding is the encoding the mail declares for its text: the
// charset of its first text part (the root's when it is one); nil when it
// declares none, or UTF-8 or US-ASCII, or one nobody knows.
func declaredEncoding(p *enmime.Part) encoding.Encoding {
	for ; p != nil; p = p.NextSibling {
		cs := strings.ToLower(strings.TrimSpace(p.Charset))
		if p.OrigCharset != "" {
			cs = strings.ToLower(strings.TrimSpace(p.OrigCharset))
		}
		if strings.HasPrefix(strings.ToLower(p.ContentType), "text/") && cs != "" {
			switch cs {
			case "utf-8", "utf8", "us-ascii", "ascii":
				return nil
			}
			e, err := htmlindex.Get(cs)
			if err != nil {
				return nil
			}
			return e
		}
		if e := declaredEncoding(p.FirstChild); e != nil {
			return e
		}
	}
	return nil
}

// fixHeader makes a header value valid UTF-8: raw 8-bit bytes are read in
// the charset the mail declares for its text, as mail clients read them
// (a Taiwanese client's Big5 subject beside a Big5 body), when that
// decodes them cleanly; else as fixText guesses.
func fixHeader(s string, declared encoding.Encoding) string {
	if utf8.ValidString(s) || declared == nil {
		return fixText(s)
	}
	if d, err := declared.NewDecoder().String(s); err == nil && utf8.ValidString(d) && !strings.ContainsRune(d, utf8.RuneError) {
		return d
	}
	return fixText(s)
}

// ValidText is s as valid UTF-8, for text from outside that declares no
// charset (a help-centre search typed into a GBK page or a hand-made
// link): as an undeclared mail body is read, GB18030 when s is not UTF-8
// and decodes cleanly as it, else its valid runes.
func ValidText(s string) string { return fixText(s) }

// fixText makes s valid UTF-8. Raw 8-bit headers and short undeclared
// bodies from Chinese clients are almost always GBK, which GB18030 decodes
// (it is a superset); anything else keeps its valid runes.
func fixText(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	if d, err := simplifiedchinese.GB18030.NewDecoder().String(s); err == nil && utf8.ValidString(d) {
		return d
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
