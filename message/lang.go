package message

import (
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/frontdesk-mail/frontdesk/internal/zhconv"
)

// Lang returns the customer's language for s: "zh" when Han characters make up
// a real share of the letters, else "en". Scripts decide it, not a
// statistical model: support mail here is Chinese or English, and a Chinese
// customer who writes "WiFi" or "E1" is still writing Chinese.
func Lang(s string) Language { return langOf(letters(s)) }

// letters counts the Han characters and the Latin letters of s.
func letters(s string) (han, latin int) {
	for _, r := range s {
		switch {
		case r < 0x80:
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
				latin++
			}
		case 0x4E00 <= r && r <= 0x9FFF: // CJK Unified Ideographs, nearly every Han character in mail
			han++
		case r >= 0x2E80 && unicode.Is(unicode.Han, r): // no Han below the CJK radicals
			han++
		}
	}
	return han, latin
}

// langBytes bounds the text Lang reads: what Trim keeps of it.
const langBytes = 16 << 10

func langOf(han, latin int) Language {
	// A Han character carries about as much as a short English word (~4
	// letters), so weigh it so; a few Han characters in an English mail
	// (a signature, a product name) do not make it Chinese.
	if han >= 2 && han*4 >= latin/2 {
		return Chinese
	}
	return English
}

// Lang is the message's language, judged on subject and the customer's own
// words (quoted history excluded, since it is often our own English
// acknowledgement; and a phone signature or legal footer, often in
// another language than the mail's: withoutFooter), as far as the first langBytes of them: a language
// shows long before that, and a 256 KB mail of pasted logs need not be
// read to its end for it.
func (m *Message) Lang() Language {
	m.langOnce.Do(func() {
		h1, l1 := letters(m.Subject)
		fresh := m.ownText()
		if len(fresh) > langBytes {
			fresh = fresh[:langBytes] // a cut rune counts as neither
		}
		h2, l2 := letters(fresh)
		m.lang = string(langOf(h1+h2, l1+l2))
	})
	return Language(m.lang)
}

// Traditional reports whether a Chinese message is written in Traditional
// characters (Taiwan, Hong Kong, Macau), judged as Lang is, on the subject
// and the customer's own words (zhconv.IsTraditional); false when Lang is
// not Chinese. What the gateway writes to the customer in Chinese can then
// be in the characters they write.
func (m *Message) Traditional() bool {
	m.tradOnce.Do(func() {
		if m.Lang() != Chinese {
			return
		}
		fresh := m.ownText()
		if len(fresh) > langBytes {
			fresh = fresh[:langBytes]
		}
		m.trad = zhconv.IsTraditional(m.Subject + "\n" + fresh)
	})
	return m.trad
}

// Fresh returns the part of the body the customer wrote this time: the text
// before the first quoted earlier mail ("On … wrote:", Outlook header blocks,
// "-----原始邮件-----", "> " lines) and without a "-- " signature.
// It is computed once: rules, FAQ ranking and tickets all ask.
//
// A quoted or forwarded mail that the sender wrote themselves (its header
// block's From, or the "On … wrote:" line, names the sender's address or
// display name: a customer forwarding, or quoting, their own earlier mail,
// "see below") is their words too: its fresh text follows theirs.
func (m *Message) Fresh() string {
	m.freshOnce.Do(func() {
		m.fresh = Fresh(m.Text)
		if own := ownQuoted(m.Text, m.From); own != "" && !strings.Contains(m.fresh, own) {
			m.fresh += "\n\n"
			m.ownAt = len(m.fresh)
			m.fresh += own
		}
	})
	return m.fresh
}

// FreshParts returns Fresh in the pieces the sender wrote them: the text
// above the quoted history and, when the sender quoted or forwarded a
// mail of their own, that mail's fresh text. Each piece has its own
// salutation and closing.
func (m *Message) FreshParts() []string {
	f := m.Fresh()
	if m.ownAt == 0 || m.ownAt > len(f) {
		return []string{f}
	}
	return []string{strings.TrimSpace(f[:m.ownAt]), f[m.ownAt:]}
}

// ownText is the fresh text without phone signatures and legal footers
// (withoutFooter), piece by piece (FreshParts).
func (m *Message) ownText() string {
	parts := m.FreshParts()
	for i, p := range parts {
		parts[i] = withoutFooter(p)
	}
	return strings.Join(parts, "\n\n")
}

// ownQuoted returns the fresh text of the mail quoted where FreshOnly
// stops reading text, when from wrote it: "" when there is none, or
// another wrote it.
func ownQuoted(text string, from mail.Address) string {
	if from.Address == "" {
		return ""
	}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	mine := false
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "--" || l == "-- " {
			return ""
		}
		if quoteStart(t, lines[i+1:]) {
			if !mine && quotedNext(lines[i+1:]) {
				continue
			}
			if !writtenBy(lines[i:], from) {
				return ""
			}
			return FreshOnly(forwardedBody(strings.Join(lines[i:], "\n")))
		}
		if !strings.HasPrefix(t, ">") {
			mine = mine || t != ""
		}
	}
	return ""
}

// writtenBy reports whether the quoted mail whose marker is lines[0]
// names from as its writer (QuotedWriter), by address or by a display
// name of three runes or more, each whole: not inside a longer word or
// address ("Tom" is not in "Customer Support", ann@x.test not in
// joann@x.test), or a customer named Tom replying above "Customer
// Support"'s quoted mail had it read as their own words.
func writtenBy(lines []string, from mail.Address) bool {
	w := strings.ToLower(QuotedWriter(lines))
	if w == "" {
		return false
	}
	return from.Address != "" && containsWhole(w, strings.ToLower(from.Address), addressRune) ||
		utf8.RuneCountInString(from.Name) >= 3 && containsWhole(w, strings.ToLower(from.Name), wordRune)
}

// containsWhole reports whether s contains sub where neither the rune
// before it nor the rune after it continues sub's first or last rune's
// word (part(r) of both).
func containsWhole(s, sub string, part func(rune) bool) bool {
	if sub == "" {
		return false
	}
	first, _ := utf8.DecodeRuneInString(sub)
	last, _ := utf8.DecodeLastRuneInString(sub)
	for i := 0; i <= len(s)-len(sub); {
		j := strings.Index(s[i:], sub)
		if j < 0 {
			return false
		}
		at := i + j
		before, _ := utf8.DecodeLastRuneInString(s[:at])
		after, _ := utf8.DecodeRuneInString(s[at+len(sub):])
		if !(at > 0 && part(before) && part(first)) && !(at+len(sub) < len(s) && part(after) && part(last)) {
			return true
		}
		_, n := utf8.DecodeRuneInString(s[at:])
		i = at + n
	}
	return false
}

// wordRune is a rune of a word written with spaces between words (Latin,
// Cyrillic, digits …); Han runs words together, so a Han name is whole
// wherever it stands ("王小明写道：").
func wordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unicode.Is(unicode.Han, r)
}

// addressRune is a rune that can continue a mail address on either side.
func addressRune(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".!#$%&'*+/=?^_`{|}~-", r)) || r >= utf8.RuneSelf && unicode.IsLetter(r)
}

// QuotedWriter returns what names the writer of the quoted mail whose
// marker is lines[0]: the marker line when it is no header field (an
// attribution, "On …, Ann <ann@home.test> wrote:") and the value of the
// header block's "From:" field (发件人, 寄件者), "> " quoting and
// html2text's *bold* aside; "" when there is neither.
func QuotedWriter(lines []string) string {
	var w []string
	for j, l := range lines {
		t := strings.TrimSpace(l)
		for strings.HasPrefix(t, ">") {
			t = strings.TrimSpace(t[1:])
		}
		t = unbold(t)
		switch {
		case j == 0 && !isHeaderField(t):
			w = append(w, t)
		case isHeaderField(t):
			for _, label := range []string{"from", "发件人", "寄件者"} {
				if len(t) > len(label) && strings.EqualFold(t[:len(label)], label) {
					w = append(w, strings.TrimLeft(t[len(label):], " :："))
				}
			}
		case t == "" && j <= 1:
			// the blank line between a marker and its fields
		default:
			return strings.Join(w, "\n") // the end of the header block
		}
	}
	return strings.Join(w, "\n")
}

// Trim works out the fresh text, the language and the script, then keeps only the
// first n bytes of Text and of the fresh text (copies, at a rune boundary).
// A caller that holds a message while it waits, for a commit say, calls it
// once everything that reads the whole body has run: a 256 KB text and
// its fresh copy held by each of many waiting sessions is most of the
// gateway's memory under load.
func (m *Message) Trim(n int) {
	m.Lang()
	m.Traditional()
	m.Text = clip(m.Text, n)
	m.fresh = clip(m.fresh, n)
}

// clip returns a copy of at most the first n bytes of s, cut at a rune
// boundary; s itself when it is short enough.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.Clone(s[:n])
}

// Fresh cuts quoted history and signatures from a body text.
func Fresh(text string) string {
	s := FreshOnly(text)
	if s == "" {
		// Nothing but quotes (a bare forward): the quoted mail's own
		// words are all we have, without its header block ("From:",
		// "Sent:", "Subject:" …), its own quotes and signature; the whole
		// text when they are nothing either.
		if s = FreshOnly(forwardedBody(text)); s == "" {
			return strings.TrimSpace(text)
		}
	}
	return s
}

// FreshOnly is Fresh without its fallback: "" for a text of nothing but
// quoted history (the rest of an agent's "#send" above the quoted notice).
//
// A reply written below the mail it answers (bottom-posting: an
// attribution line such as "On … wrote:" before anything of the writer's
// own, followed by "> " lines) keeps the text after the quote: the
// attribution and the quoted lines are skipped, not taken for the start
// of the history. Only "> " quotes mark where a quote ends; a quote in
// another form (an Outlook header block) ends the fresh text as before.
func FreshOnly(text string) string {
	// The lines, each without the CR of its CRLF (a CR at the very end
	// ends no line and stays).
	lines := strings.Split(text, "\n")
	for i := range len(lines) - 1 {
		lines[i] = strings.TrimSuffix(lines[i], "\r")
	}
	// The lines kept go over the ones read, in place: quoteStart reads
	// only lines after l, which are still as they were.
	out := lines[:0]
	mine := false // a line of the writer's own has been kept
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if t == "--" || (l == "-- ") {
			break
		}
		if quoteStart(t, lines[i+1:]) {
			if !mine && quotedNext(lines[i+1:]) {
				continue
			}
			break
		}
		if strings.HasPrefix(t, ">") {
			continue
		}
		out = append(out, l)
		mine = mine || t != ""
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// quotedNext reports whether the first line of rest that is not blank is
// a "> " quote.
func quotedNext(rest []string) bool {
	for _, r := range rest {
		if r = strings.TrimSpace(r); r != "" {
			return strings.HasPrefix(r, ">")
		}
	}
	return false
}

// forwardedBody returns what follows the first quote marker of text (a
// forward's "---------- Forwarded message ---------", an "On … wrote:",
// an Outlook header block) without the marker, the header fields below
// it (headerLabels) and the "> " of quoted lines: the body of the mail
// quoted or forwarded. "" when text has no quote marker.
func forwardedBody(text string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i, l := range lines {
		if !quoteStart(strings.TrimSpace(l), lines[i+1:]) {
			continue
		}
		rest := lines[i:]
		if !isHeaderField(strings.TrimSpace(l)) {
			rest = rest[1:] // the marker line
		}
		for j, r := range rest {
			if t := strings.TrimLeft(r, " "); strings.HasPrefix(t, ">") {
				rest[j] = strings.TrimPrefix(strings.TrimPrefix(t, ">"), " ")
			}
		}
		// the header block: fields and the blank lines around them
		for len(rest) > 0 {
			if r := strings.TrimSpace(rest[0]); r != "" && !isHeaderField(r) {
				break
			}
			rest = rest[1:]
		}
		return strings.Join(rest, "\n")
	}
	return ""
}

// headerLabels are the names of the fields mail clients put in the
// header block of a quoted or forwarded mail (Gmail, Outlook, Apple
// Mail, Thunderbird; Foxmail, QQ Mail and Chinese Outlook in Simplified,
// Outlook in Traditional), lower case.
var headerLabels = []string{
	"from", "sent", "date", "to", "cc", "bcc", "subject", "reply-to",
	"发件人", "发送时间", "日期", "收件人", "抄送", "主题", "时间",
	"寄件者", "寄件日期", "收件者", "副本", "主旨", "時間",
}

// isHeaderField reports whether the trimmed line t is a field of a
// quoted mail's header block: a label of headerLabels followed by a colon
// (ASCII or full width), the label possibly in html2text's *bold*.
func isHeaderField(t string) bool {
	t = unbold(t)
	for _, l := range headerLabels {
		if len(t) > len(l) && strings.EqualFold(t[:len(l)], l) {
			r := strings.TrimLeft(t[len(l):], " ")
			if strings.HasPrefix(r, ":") || strings.HasPrefix(r, "：") {
				return true
			}
		}
	}
	return false
}

// Unbold is unbold: a line's text without html2text's *bold* at its
// start, for matching the beginnings of lines.
func Unbold(t string) string { return unbold(t) }

// unbold drops the asterisks html2text puts around bold text at the
// start of a line ("*From:* Acme" for <b>From:</b> Acme, as Outlook
// writes the header block of the mail it quotes): "From: Acme"; of a
// bold run longer than a label (a disclaimer in bold), the first.
func unbold(t string) string {
	if !strings.HasPrefix(t, "*") {
		return t
	}
	j := strings.IndexByte(t[1:], '*')
	if j <= 0 || j > 40 {
		return t[1:] // a long bold run: its beginning is what is read
	}
	return t[1:j+1] + t[j+2:]
}

// QuoteMarker reports whether the trimmed line t, followed by the lines
// rest, begins a quoted or forwarded mail (what Fresh cuts at: "On …
// wrote:", "-----Original Message-----", "---------- Forwarded message
// ---------", an Outlook header block).
func QuoteMarker(t string, rest []string) bool { return quoteStart(t, rest) }

// HeaderField reports whether the trimmed line t is a field of the header
// block a mail client writes above a quoted or forwarded mail ("From:",
// "Sent:", "Subject:", 发件人, 主题 …; headerLabels).
func HeaderField(t string) bool { return isHeaderField(t) }

func quoteStart(t string, rest []string) bool {
	t = unbold(t)
	// Most lines are none of these: test the cheap prefixes and suffixes
	// before lower-casing anything (a 256 KB body has thousands of lines).
	switch {
	case strings.HasPrefix(t, "-----"):
		lt := strings.ToLower(t)
		return strings.Contains(lt, "original") || strings.Contains(t, "原始") || strings.Contains(lt, "forward") || strings.Contains(t, "转发")
	case hasPrefixFold(t, "on ") && hasSuffixFold(t, "wrote:"):
		return true
	case hasPrefixFold(t, "begin forwarded message"):
		return true // Apple Mail's forward
	case strings.HasSuffix(t, "写道：") || strings.HasSuffix(t, "寫道：") || strings.HasSuffix(t, "写道:") || strings.HasSuffix(t, "寫道:"):
		return true
	case hasPrefixFold(t, "from:") || strings.HasPrefix(t, "发件人:") || strings.HasPrefix(t, "发件人：") || strings.HasPrefix(t, "寄件者:") || strings.HasPrefix(t, "寄件者："):
		// An Outlook header block: From: followed soon by Sent:/Date:.
		for j := 0; j < 4 && j < len(rest); j++ {
			r := unbold(strings.TrimSpace(rest[j]))
			if hasPrefixFold(r, "sent:") || hasPrefixFold(r, "date:") || strings.HasPrefix(r, "发送时间") || strings.HasPrefix(r, "日期") || strings.HasPrefix(r, "寄件日期") || hasPrefixFold(r, "to:") || strings.HasPrefix(r, "收件人") {
				return true
			}
		}
	}
	return false
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII case (prefix is lower case ASCII).
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// hasSuffixFold is strings.HasSuffix ignoring ASCII case (suffix is lower case ASCII).
func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}
