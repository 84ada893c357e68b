package rules

import (
	"fmt"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/idna"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/sla"
)

// Decision is what the rules decided for one message.
type Decision struct {
	Department string   // always a department of the file
	Priority   string   // low | normal | high | urgent; "normal" when no rule sets one
	Tags       []string // deduplicated, in the order rules added them
	Ack        string   // template name; "" = the default template, "none" = no acknowledgement
	// SLA is the department's policy for the decided priority with the
	// rules' sla overrides applied; nil when neither the department nor a
	// rule defines one.
	SLA     *Policy
	Reject  string // non-empty: refuse the message with this text (550 5.7.1)
	Discard bool   // accept, count, do not relay
	Matched []Match
	// Topics is what the classifier made of the message, when an "about"
	// condition asked it (nil otherwise): for the trace.
	Topics []faq.Topic
	// ByAddress, when no rule set the department, says that the
	// recipient address (or the default department) decided it and why
	// the content did not, as the trace prints it after "routed by:".
	// "" when a rule did.
	ByAddress string
}

// RuleNames are the names of the rules that matched, in order.
func (d Decision) RuleNames() []string {
	var names []string
	for _, m := range d.Matched {
		names = append(names, m.Rule)
	}
	return names
}

// TicketPolicy is the policy a ticket opened by this decision tracks (zero
// when there is none).
func (d Decision) TicketPolicy() sla.Policy {
	if d.SLA == nil {
		return sla.Policy{}
	}
	return d.SLA.Policy
}

// Classifier tells what a message is about: departments with a confidence
// in [0, 1], most likely first. *faq.Catalog is one (Topics).
type Classifier interface {
	Topics(m *message.Message) []faq.Topic
}

// Match is one rule that matched, with the reasons.
type Match struct {
	Rule string
	Line int
	Why  []string
}

// Action is the relay/reject/discard summary of a decision.
func (d *Decision) Action() string {
	switch {
	case d.Reject != "":
		return "reject"
	case d.Discard:
		return "discard"
	}
	return "relay"
}

// fold normalises text for case- and width-insensitive comparison: NFKC
// (full-width letters and digits become ASCII, compatibility forms their
// canonical characters) then lower case.
func fold(s string) string {
	return toLower(nfkc(s))
}

// unicodeDomain writes a folded domain's A-labels (xn--…) as the Unicode
// they stand for, so that "domain: 例子.中国" holds for a sender written
// either way (an SMTPUTF8 client writes Unicode, an older one A-labels).
// Anything that is not a valid A-label stays as it is.
func unicodeDomain(d string) string {
	if !strings.Contains(d, "xn--") {
		return d
	}
	u, err := idna.Lookup.ToUnicode(d)
	if err != nil {
		return d
	}
	return fold(u)
}

// elem is one value of a field, prepared for matching.
type elem struct {
	nf     string // NFKC text (address kinds: the address)
	fold   string // folded nf
	name   string // address kinds: NFKC display name
	domain string // address kinds: folded domain
	hits   bitset // keywords of the kind's automaton found in fold (and the folded name)
}

type evalCtx struct {
	r       *Rules
	m       *message.Message
	now     time.Time
	ready   [numKinds]bool
	fields  [numKinds][]elem
	headers map[string][]elem
	lng     message.Language
	cls     Classifier
	tops    []faq.Topic
	asked   bool
	// byAddr: the leading topic's department is the address's, which its
	// entry also lists (topics).
	byAddr bool
	// bar is the lowest confidence an "about" condition that names the
	// leading topic's department asked for, 0 when none did: why the
	// content did not route the mail (addressReason).
	bar float64
}

// topics asks the classifier once per message. When the leading topic's
// entry also lists the department of the mail's address (Topic.Also), the
// content does not contradict the address: that department takes the
// leading topic's place, so that content moves a mail away from its
// address only when the address's department has nothing to do with it
// (a coupon question sent to support@ stays there, though coupons are
// first sales'; a refund question sent to sales@ goes to finance, and so
// does a refund reported not arrived sent to support@: the classifier
// lists no other department for it, faq.Topic.Also).
func (c *evalCtx) topics() []faq.Topic {
	if !c.asked {
		c.asked = true
		if c.cls != nil {
			c.tops = c.cls.Topics(c.m)
		}
		if len(c.tops) > 0 {
			top := c.tops[0]
			if ad := c.r.addressDepartment(c.m); ad != top.Department && slices.Contains(top.Also, ad) {
				c.tops = mergeInto(slices.Clone(c.tops), ad)
				c.tops[0].Also = []string{top.Department}
				c.byAddr = true
			}
		}
	}
	return c.tops
}

// mergeInto gives tops[0] to department dept and folds dept's own topic,
// when tops has one further down, into it: one department is one topic,
// its confidence and learned share the sum of both (the address's
// department's learned examples count towards its bar), its entries
// those of both.
func mergeInto(tops []faq.Topic, dept string) []faq.Topic {
	tops[0].Department = dept
	for i := 1; i < len(tops); i++ {
		if tops[i].Department != dept {
			continue
		}
		t := &tops[0]
		t.Confidence = min(1, t.Confidence+tops[i].Confidence)
		t.Learned = min(t.Confidence, t.Learned+tops[i].Learned)
		t.Entries = slices.Clone(t.Entries)
		for _, e := range tops[i].Entries {
			if !slices.Contains(t.Entries, e) {
				t.Entries = append(t.Entries, e)
			}
		}
		return slices.Delete(tops, i, i+1)
	}
	return tops
}

var ctxPool = sync.Pool{New: func() any { return new(evalCtx) }}

func (c *evalCtx) lang() message.Language {
	if c.lng == "" {
		c.lng = c.m.Lang()
	}
	return c.lng
}

func (c *evalCtx) prep(kind fieldKind, nf string, e *elem) {
	e.nf = nf
	e.fold = toLower(nf)
	if m := c.r.matchers[kind]; len(m.pats) > 0 {
		e.hits = newBitset(len(m.pats))
		m.scan(e.fold, e.hits)
	}
}

func (c *evalCtx) prepAddr(kind fieldKind, addr, name string) elem {
	var e elem
	c.prep(kind, nfkc(strings.TrimSpace(addr)), &e)
	e.name = nfkc(name)
	if i := strings.LastIndexByte(e.fold, '@'); i >= 0 {
		e.domain = unicodeDomain(e.fold[i+1:])
	}
	if e.name != "" && e.hits != nil {
		c.r.matchers[kind].scan(toLower(e.name), e.hits)
	}
	return e
}

// elems returns the prepared values of a field, computing them on first use.
func (c *evalCtx) elems(kind fieldKind, header string) []elem {
	if kind == fHeader {
		if es, ok := c.headers[header]; ok {
			return es
		}
		vals := c.m.Header(header)
		es := make([]elem, len(vals))
		for i, v := range vals {
			c.prep(fHeader, nfkc(v), &es[i])
		}
		if c.headers == nil {
			c.headers = make(map[string][]elem)
		}
		c.headers[header] = es
		return es
	}
	if c.ready[kind] {
		return c.fields[kind]
	}
	c.ready[kind] = true
	es := c.fields[kind][:0]
	m := c.m
	switch kind {
	case fSubject:
		es = append(es, elem{})
		c.prep(kind, nfkc(m.Subject), &es[0])
	case fBody:
		es = append(es, elem{})
		c.prep(kind, nfkc(m.Text), &es[0])
	case fFrom:
		es = append(es, c.prepAddr(kind, m.From.Address, m.From.Name))
	case fTo:
		seen := map[string]bool{}
		for _, a := range m.Rcpt {
			k := strings.ToLower(strings.TrimSpace(a))
			if !seen[k] {
				seen[k] = true
				es = append(es, c.prepAddr(kind, a, ""))
			}
		}
		for _, a := range m.To {
			k := strings.ToLower(strings.TrimSpace(a.Address))
			if !seen[k] {
				seen[k] = true
				es = append(es, c.prepAddr(kind, a.Address, a.Name))
			}
		}
	case fAttName:
		for _, a := range m.Attachments {
			es = append(es, elem{})
			c.prep(kind, nfkc(a.Name), &es[len(es)-1])
		}
	case fAttType:
		for _, a := range m.Attachments {
			es = append(es, elem{})
			c.prep(kind, nfkc(a.Type), &es[len(es)-1])
		}
	}
	c.fields[kind] = es
	return es
}

// Evaluate decides what to do with m at time now (used by time
// conditions), without a classifier: "about" conditions do not hold. It
// is pure: the same rules, message and time give the same decision.
func (r *Rules) Evaluate(m *message.Message, now time.Time) Decision {
	return r.EvaluateWith(m, now, nil)
}

// EvaluateWith is Evaluate with a classifier for "about" conditions
// (usually the FAQ catalog in force); cls may be nil.
func (r *Rules) EvaluateWith(m *message.Message, now time.Time, cls Classifier) Decision {
	c := ctxPool.Get().(*evalCtx)
	c.r, c.m, c.now, c.cls = r, m, now, cls
	defer func() {
		for k := range c.fields {
			for i := range c.fields[k] {
				c.fields[k][i] = elem{}
			}
			c.fields[k] = c.fields[k][:0]
		}
		*c = evalCtx{fields: c.fields}
		ctxPool.Put(c)
	}()

	var (
		d       Decision
		rank    = -1
		patch   slaPatch
		tagSeen map[string]bool
	)
	for _, ru := range r.rules {
		if !ru.cond.eval(c, nil) {
			continue
		}
		var why []string
		ru.cond.eval(c, &why)
		d.Matched = append(d.Matched, Match{Rule: ru.name, Line: ru.line, Why: why})
		a := &ru.act
		if a.department != "" && d.Department == "" {
			d.Department = a.department
		}
		if pr := priorityRank(a.priority); pr > rank {
			rank, d.Priority = pr, a.priority
		}
		for _, t := range a.tags {
			if tagSeen == nil {
				tagSeen = map[string]bool{}
			}
			if !tagSeen[t] {
				tagSeen[t] = true
				d.Tags = append(d.Tags, t)
			}
		}
		if a.ack != "" && d.Ack == "" {
			d.Ack = a.ack
		}
		if d.Reject == "" && !d.Discard {
			d.Reject, d.Discard = a.reject, a.discard
		}
		if a.sla != nil {
			patch.fill(a.sla)
		}
		if !ru.cont {
			break
		}
	}
	if d.Priority == "" {
		d.Priority = "normal"
	}
	if c.asked {
		d.Topics = c.tops
	}
	if d.Department == "" {
		var addr string
		d.Department, addr = r.addressRoute(m)
		d.ByAddress = c.addressReason(d.Department, addr)
	}
	if d.Tags == nil {
		d.Tags = []string{}
	}
	base := r.depts[d.Department].SLA
	if !base.IsZero() || !patch.isZero() {
		p := base.ForPriority(d.Priority)
		patch.applyTo(&p)
		d.SLA = &p
	}
	return d
}

// addressDepartment is the department when no rule sets one: the owner of
// the first envelope recipient that some department owns (the To and Cc
// addresses when there are no envelope recipients), else the default.
func (r *Rules) addressDepartment(m *message.Message) string {
	d, _ := r.addressRoute(m)
	return d
}

// addressRoute is addressDepartment and the recipient address that
// decided it, "" for the default department.
func (r *Rules) addressRoute(m *message.Message) (dept, addr string) {
	if len(m.Rcpt) > 0 {
		for _, a := range m.Rcpt {
			if d, ok := r.DepartmentFor(a); ok {
				return d, a
			}
		}
		return r.def, ""
	}
	for _, a := range m.To {
		if d, ok := r.DepartmentFor(a.Address); ok {
			return d, a.Address
		}
	}
	return r.def, ""
}

// addressReason says that the address addr (the default department when
// "") decided dept, and why the content did not: no rule asked what the
// mail is about, there was no classifier, the mail matches no topic, its
// leading topic is under the bar of the "about" conditions naming it, or
// none names it.
func (c *evalCtx) addressReason(dept, addr string) string {
	by := "the default department (no recipient address is a department's)"
	if addr != "" {
		by = "the recipient address " + addr + " (" + dept + ")"
	}
	var why string
	switch {
	case !c.asked:
		why = "no rule routes by content"
	case c.cls == nil:
		why = "no classifier: about conditions do not hold"
	case len(c.tops) == 0:
		why = "the content matches no topic"
	case c.bar > 0 && c.tops[0].Confidence >= c.bar:
		why = "the rules whose about conditions the leading topic meets did not hold"
	case c.bar > 0:
		t := c.tops[0]
		why = fmt.Sprintf("the content is not clear enough (leading topic %s %.2f < %.2f)", t.Department, t.Confidence, c.bar)
	default:
		t := c.tops[0]
		why = fmt.Sprintf("no about condition names the leading topic (%s %.2f)", t.Department, t.Confidence)
	}
	return by + ": " + why
}

// slaPatch is a rule's sla override: set fields replace the department's.
type slaPatch struct {
	p        Policy
	setPause bool
}

func (s *slaPatch) isZero() bool { return s.p.IsZero() && !s.setPause }

// fill sets the fields of o that s does not set yet (the first rule to set
// a field wins).
func (s *slaPatch) fill(o *slaPatch) {
	var zero = Policy{}
	if s.p.FirstResponse == zero.FirstResponse {
		s.p.FirstResponse = o.p.FirstResponse
	}
	if s.p.NextResponse == zero.NextResponse {
		s.p.NextResponse = o.p.NextResponse
	}
	if s.p.Resolution == zero.Resolution {
		s.p.Resolution = o.p.Resolution
	}
	if s.p.Calendar == "" {
		s.p.Calendar = o.p.Calendar
	}
	if s.p.WarnAt == 0 {
		s.p.WarnAt = o.p.WarnAt
	}
	if !s.setPause && o.setPause {
		s.setPause, s.p.PauseWhenWaiting = true, o.p.PauseWhenWaiting
	}
}

func (s *slaPatch) applyTo(p *Policy) {
	p.apply(s.p)
	switch s.p.Calendar {
	case "":
	case noCalendar:
		p.Calendar = ""
	default:
		p.Calendar = s.p.Calendar
	}
	if s.setPause {
		p.PauseWhenWaiting = s.p.PauseWhenWaiting
	}
}

func canonicalHeader(name string) string { return textproto.CanonicalMIMEHeaderKey(name) }
