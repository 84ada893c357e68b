package ack

import (
	"strings"

	"github.com/frontdesk-mail/frontdesk/message"
)

// Reasons an acknowledgement is not sent. They are a fixed set so they can
// label a metric; Suppress returns the first nine, Recipient the two after,
// the caller the last two.
const (
	ReasonNullSender     = "null_sender"     // MAIL FROM:<> — bounces and other notifications
	ReasonAutoSubmitted  = "auto_submitted"  // Auto-Submitted other than "no", X-Autoreply, X-Autorespond
	ReasonPrecedence     = "precedence"      // Precedence: bulk, list, junk or auto_reply
	ReasonList           = "list"            // any List-* header (RFC 2369, RFC 2919)
	ReasonSuppressHeader = "suppress_header" // X-Auto-Response-Suppress: All, AutoReply or OOF
	ReasonRobotSender    = "robot_sender"    // mailer-daemon, postmaster, noreply-style, bounce, list owner/request addresses
	ReasonOwnMail        = "own_mail"        // from our own addresses or domains, or with our Message-ID
	ReasonBounce         = "bounce"          // a delivery or disposition report (multipart/report)
	ReasonLoop           = "loop"            // a reply to one of our acks, or X-Loop naming us
	ReasonInvalidAddress = "invalid_address" // the envelope sender or the From is no public mail address (Recipient)
	ReasonSenderMismatch = "sender_mismatch" // the From is not the envelope sender nor vouched for by it (Recipient)
	ReasonForged         = "forged"          // sender authentication failed (mailauth), decided by the caller
	ReasonRateLimited    = "rate_limited"    // too many acks to this sender lately, decided by the caller
)

// Reasons lists every reason, for pre-initialising metric labels.
var Reasons = []string{
	ReasonNullSender, ReasonAutoSubmitted, ReasonPrecedence, ReasonList, ReasonSuppressHeader,
	ReasonRobotSender, ReasonOwnMail, ReasonBounce, ReasonLoop, ReasonInvalidAddress, ReasonSenderMismatch,
	ReasonForged, ReasonRateLimited,
}

// Ours describes this Frontdesk instance, so that its own mail is
// recognised when it comes back.
type Ours struct {
	Domains   []string // the domains we receive mail for (subdomains count too)
	Addresses []string // our full addresses: department addresses, the outbound sender
	Hostname  string   // our Message-ID right-hand side and HELO name
}

// Suppress reports whether m, received with envelope sender envelopeFrom
// ("" or "<>" for the null sender), must not be acknowledged, and why. It
// applies RFC 3834 §2 and the lessons of helpdesks that answered robots,
// lists and each other (see PEERS.md). The checks run from the most
// specific reason to the most general, so a metric tells a loop from a
// mere bounce; the first that holds is returned.
func Suppress(m *message.Message, envelopeFrom string, ours Ours) (reason string, suppressed bool) {
	env := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(envelopeFrom), "<"), ">"))
	from := strings.TrimSpace(m.From.Address)

	// Our own mail first: whatever else it looks like, answering it is
	// talking to ourselves.
	if ours.owns(env) || ours.owns(from) || ours.ownID(m.MessageID) {
		return ReasonOwnMail, true
	}
	if ours.loop(m) {
		return ReasonLoop, true
	}
	if isReport(m) {
		return ReasonBounce, true
	}
	if env == "" {
		return ReasonNullSender, true
	}
	if autoSubmitted(m) {
		return ReasonAutoSubmitted, true
	}
	for _, v := range m.Header("Precedence") {
		switch strings.ToLower(strings.Trim(stripComment(v), "\" \t")) {
		case "bulk", "list", "junk", "auto_reply":
			return ReasonPrecedence, true
		}
	}
	for _, k := range m.HeaderKeys() {
		if strings.HasPrefix(strings.ToLower(k), "list-") {
			return ReasonList, true
		}
	}
	for _, v := range m.Header("X-Auto-Response-Suppress") {
		for _, tok := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\t' }) {
			switch strings.ToLower(tok) {
			case "all", "autoreply", "oof":
				return ReasonSuppressHeader, true
			}
		}
	}
	if robot(env) || robot(from) {
		return ReasonRobotSender, true
	}
	return "", false
}

// owns reports whether addr is one of our addresses or in our domains.
func (o Ours) owns(addr string) bool {
	if addr == "" {
		return false
	}
	for _, a := range o.Addresses {
		if strings.EqualFold(strings.TrimSpace(a), addr) {
			return true
		}
	}
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return false
	}
	domain := strings.TrimSuffix(strings.ToLower(addr[i+1:]), ".")
	for _, d := range append(o.Domains[:len(o.Domains):len(o.Domains)], o.Hostname) {
		if inDomain(domain, d) {
			return true
		}
	}
	return false
}

func inDomain(domain, d string) bool {
	d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
	return d != "" && (domain == d || strings.HasSuffix(domain, "."+d))
}

// ownID reports whether id was made by us: it ends in @Hostname.
func (o Ours) ownID(id string) bool {
	return o.Hostname != "" && strings.HasSuffix(strings.ToLower(id), "@"+strings.ToLower(o.Hostname))
}

// ackID reports whether id is one of our acknowledgements' Message-IDs.
func (o Ours) ackID(id string) bool {
	return o.ownID(id) && strings.HasPrefix(strings.ToLower(id), "ack.")
}

// loop reports a reply to one of our acknowledgements or an X-Loop naming
// us. A reply to an ack is either another system's autoresponder answering
// it — the loop this exists to break, even when that system adds no
// Auto-Submitted (FreeScout #2445) — or a customer following up on a
// ticket that was acknowledged already; neither needs another ack.
func (o Ours) loop(m *message.Message) bool {
	for _, id := range append(m.InReplyTo[:len(m.InReplyTo):len(m.InReplyTo)], m.References...) {
		if o.ackID(id) {
			return true
		}
	}
	for _, v := range m.Header("X-Loop") {
		v = strings.ToLower(v)
		if o.Hostname != "" && strings.Contains(v, strings.ToLower(o.Hostname)) {
			return true
		}
		for _, a := range o.Addresses {
			if a != "" && strings.Contains(v, strings.ToLower(a)) {
				return true
			}
		}
		for _, d := range o.Domains {
			if d != "" && strings.Contains(v, "@"+strings.ToLower(d)) {
				return true
			}
		}
	}
	return false
}

// isReport recognises DSNs and MDNs (RFC 6522 multipart/report) and bare
// delivery-status parts: bounces never trigger mail (Zammad #1131).
func isReport(m *message.Message) bool {
	for _, v := range m.Header("Content-Type") {
		v = strings.ToLower(strings.TrimSpace(v))
		if strings.HasPrefix(v, "multipart/report") || strings.HasPrefix(v, "message/delivery-status") ||
			strings.HasPrefix(v, "message/disposition-notification") {
			return true
		}
	}
	return false
}

// Automatic reports whether m, received with envelope sender
// envelopeFrom, was written by a machine answering other mail: a bounce
// or receipt (null sender, a report), RFC 3834 Auto-Submitted or the older
// X-Autoreply, or Precedence: auto_reply (out-of-office and vacation
// answers carry one of these). Such mail threads into a ticket but is no
// customer's answer: it changes no status.
func Automatic(m *message.Message, envelopeFrom string) bool {
	env := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(envelopeFrom), "<"), ">"))
	if env == "" || isReport(m) || autoSubmitted(m) {
		return true
	}
	for _, v := range m.Header("Precedence") {
		if strings.EqualFold(strings.TrimSpace(v), "auto_reply") {
			return true
		}
	}
	return false
}

// autoSubmitted: RFC 3834 §5 says anything but "no" is automatic. The
// X-Autoreply and X-Autorespond headers are what older autoresponders
// (vacation, some ticket systems) send instead.
func autoSubmitted(m *message.Message) bool {
	for _, v := range m.Header("Auto-Submitted") {
		tok, _, _ := strings.Cut(v, ";")
		if !strings.EqualFold(strings.TrimSpace(stripComment(tok)), "no") {
			return true
		}
	}
	for _, h := range []string{"X-Autoreply", "X-Autorespond"} {
		for _, v := range m.Header(h) {
			if !strings.EqualFold(strings.TrimSpace(v), "no") {
				return true
			}
		}
	}
	return false
}

// stripComment drops a trailing "(comment)" such as "no (by a person)".
func stripComment(s string) string {
	if i := strings.IndexByte(s, '('); i >= 0 {
		return s[:i]
	}
	return s
}

// robotWords are the words of local parts no human reads. Separators are
// removed before matching, so "no-reply", "no_reply", "NoReply" and
// "shop.noreply" are one case.
var robotWords = []string{"noreply", "donotreply", "dontreply", "donotrespond"}

// robot recognises mailer-daemon, postmaster, noreply-style, bounce and
// mailing-list administrative addresses. Sub-addresses (+tag) and VERP/SRS tails (=) are cut first.
func robot(addr string) bool {
	if addr == "" {
		return false
	}
	local := strings.ToLower(localPart(addr))
	if i := strings.IndexAny(local, "+="); i >= 0 {
		local = local[:i]
	}
	// Mailing lists' own addresses: owner-LIST (sendmail, Majordomo),
	// LIST-owner, LIST-request (RFC 2142 §6 and LISTSERV), LIST-bounces
	// (Mailman's envelope sender, VERP cut above).
	if strings.HasPrefix(local, "owner-") && len(local) > len("owner-") {
		return true
	}
	for _, suffix := range []string{"-owner", "-request", "-bounces", "-bounce"} {
		if strings.HasSuffix(local, suffix) && len(local) > len(suffix) {
			return true
		}
	}
	if strings.HasPrefix(local, "bounce") {
		// "bounce", "bounces", "bounce-123", "bounces_list", but not
		// "bouncer" or "bouncecastle".
		rest := strings.TrimPrefix(strings.TrimPrefix(local, "bounce"), "s")
		return rest == "" || strings.ContainsAny(rest[:1], "-_.")
	}
	squeezed := strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || r == '.' {
			return -1
		}
		return r
	}, local)
	if squeezed == "mailerdaemon" || squeezed == "postmaster" {
		return true
	}
	for _, w := range robotWords {
		if strings.Contains(squeezed, w) {
			return true
		}
	}
	return false
}

// Unanswerable reports whether mail the gateway sends on its own later —
// a ticket's auto-close or resolution notice — must not go to addr, the
// ticket's customer, and why: no mail address at all (an erased customer),
// one of our own addresses or domains, or a robot's address. It is the
// part of Suppress that an address alone can decide, for when the message
// that opened the ticket is long gone.
func Unanswerable(addr string, ours Ours) (reason string, unanswerable bool) {
	addr = strings.TrimSpace(addr)
	switch {
	case !strings.Contains(addr, "@") || strings.ContainsAny(addr, "\r\n"):
		return ReasonInvalidAddress, true
	case ours.owns(addr):
		return ReasonOwnMail, true
	case robot(addr):
		return ReasonRobotSender, true
	}
	return "", false
}
