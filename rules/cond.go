package rules

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/sla"
)

// fieldKind is a part of a message that text conditions look at. Each kind
// has its own keyword automaton.
type fieldKind int

const (
	fSubject fieldKind = iota
	fBody
	fFrom
	fTo
	fHeader
	fAttName
	fAttType
	numKinds
)

func (k fieldKind) isAddress() bool { return k == fFrom || k == fTo }

type opKind int

const (
	opEquals opKind = iota
	opContains
	opMatches
	opDomain
)

var opNames = [...]string{"equals", "contains", "matches", "domain"}

// textOp is one test of a text spec.
type textOp struct {
	op   opKind
	vals []string // folded literals (equals, contains, domain)
	ids  []int32  // keyword ids in the kind's automaton (contains)
	re   *regexp.Regexp
	pre  []int32 // matches: keyword ids of which a match needs one (empty: always run)
}

// textSpec is a compiled {equals, contains, matches, domain} map: every op
// must hold on the same element (the same address, header value or
// attachment).
type textSpec struct {
	ops []textOp
}

// holds reports whether every op holds on e, appending why (label + op +
// the literal that matched) when why is non-nil.
func (s *textSpec) holds(kind fieldKind, label string, e *elem, why *[]string) bool {
	for i := range s.ops {
		op := &s.ops[i]
		hit := ""
		ok := false
		switch op.op {
		case opEquals:
			v := e.fold
			if !kind.isAddress() {
				v = strings.TrimSpace(v)
			}
			for _, w := range op.vals {
				if v == w {
					ok, hit = true, w
					break
				}
			}
		case opContains:
			for j, id := range op.ids {
				if e.hits.has(int(id)) {
					ok, hit = true, op.vals[j]
					break
				}
			}
		case opMatches:
			if len(op.pre) > 0 && !anyHit(e.hits, op.pre) {
				break
			}
			ok = op.re.MatchString(e.nf) || (kind.isAddress() && e.name != "" && op.re.MatchString(e.name))
			hit = op.re.String()
		case opDomain:
			for _, w := range op.vals {
				if e.domain == w || strings.HasSuffix(e.domain, "."+w) {
					ok, hit = true, w
					break
				}
			}
		}
		if !ok {
			return false
		}
		if why != nil {
			*why = append(*why, label+" "+opNames[op.op]+" "+strconv.Quote(hit))
		}
	}
	return true
}

func anyHit(hits bitset, ids []int32) bool {
	for _, id := range ids {
		if hits.has(int(id)) {
			return true
		}
	}
	return false
}

func (s *textSpec) String() string {
	var parts []string
	for _, op := range s.ops {
		var v string
		switch {
		case op.op == opMatches:
			v = strconv.Quote(op.re.String())
		case len(op.vals) == 1:
			v = strconv.Quote(op.vals[0])
		default:
			q := make([]string, len(op.vals))
			for i, x := range op.vals {
				q[i] = strconv.Quote(x)
			}
			v = "any of [" + strings.Join(q, ", ") + "]"
		}
		parts = append(parts, opNames[op.op]+" "+v)
	}
	return strings.Join(parts, " and ")
}

// cond is a compiled condition.
type cond interface {
	// eval reports whether the condition holds; when why is non-nil it
	// appends the reasons of a true result (and nothing on false).
	eval(c *evalCtx, why *[]string) bool
	// always reports whether the condition holds for every message.
	always() bool
	String() string
	// cost estimates the work of eval; all and any try cheap conditions
	// first (explanations keep the file's order).
	cost() int
}

// allCond holds when every condition holds. subs is the file's order,
// fast the same conditions cheapest first.
type allCond struct{ subs, fast []cond }

func newAll(l []cond) allCond { return allCond{l, byCost(l)} }

func byCost(l []cond) []cond {
	f := slices.Clone(l)
	sort.SliceStable(f, func(i, j int) bool { return f[i].cost() < f[j].cost() })
	return f
}

func maxCost(l []cond) int {
	m := 0
	for _, x := range l {
		m = max(m, x.cost())
	}
	return m
}

func (a allCond) eval(c *evalCtx, why *[]string) bool {
	if why == nil {
		for _, x := range a.fast {
			if !x.eval(c, nil) {
				return false
			}
		}
		return true
	}
	n := len(*why)
	for _, x := range a.subs {
		if !x.eval(c, why) {
			*why = (*why)[:n]
			return false
		}
	}
	return true
}

func (a allCond) cost() int { return maxCost(a.subs) }

func (a allCond) always() bool {
	for _, x := range a.subs {
		if !x.always() {
			return false
		}
	}
	return true
}

func (a allCond) String() string { return "all(" + joinConds(a.subs) + ")" }

// anyCond holds when one of the conditions holds; the explanation names
// the first in the file's order.
type anyCond struct{ subs, fast []cond }

func newAny(l []cond) anyCond { return anyCond{l, byCost(l)} }

func (a anyCond) eval(c *evalCtx, why *[]string) bool {
	l := a.fast
	if why != nil {
		l = a.subs
	}
	for _, x := range l {
		if x.eval(c, why) {
			return true
		}
	}
	return false
}

func (a anyCond) cost() int { return maxCost(a.subs) }

func (a anyCond) always() bool {
	for _, x := range a.subs {
		if x.always() {
			return true
		}
	}
	return false
}

func (a anyCond) String() string { return "any(" + joinConds(a.subs) + ")" }

func joinConds(l []cond) string {
	s := make([]string, len(l))
	for i, x := range l {
		s[i] = x.String()
	}
	return strings.Join(s, "; ")
}

type notCond struct{ c cond }

func (n notCond) eval(c *evalCtx, why *[]string) bool {
	if n.c.eval(c, nil) {
		return false
	}
	if why != nil {
		*why = append(*why, n.String())
	}
	return true
}

func (n notCond) always() bool   { return false }
func (n notCond) cost() int      { return n.c.cost() }
func (n notCond) String() string { return "not (" + n.c.String() + ")" }

// fieldCond tests the subject, the body, an address field or a header:
// it holds when some element of the field satisfies the whole spec.
type fieldCond struct {
	kind   fieldKind
	header string // canonical header name for fHeader
	label  string
	spec   textSpec // no ops: the field exists (header present)
}

func (f *fieldCond) eval(c *evalCtx, why *[]string) bool {
	elems := c.elems(f.kind, f.header)
	if len(f.spec.ops) == 0 {
		if len(elems) > 0 && why != nil {
			*why = append(*why, f.label+" is present")
		}
		return len(elems) > 0
	}
	for i := range elems {
		if f.spec.holds(f.kind, f.label, &elems[i], nil) {
			if why != nil {
				f.spec.holds(f.kind, f.label, &elems[i], why)
			}
			return true
		}
	}
	return false
}

func (f *fieldCond) always() bool { return false }
func (f *fieldCond) cost() int {
	c := 1
	if f.kind == fBody {
		c = 3
	}
	for _, op := range f.spec.ops {
		if op.op == opMatches {
			c += 2
			if f.kind == fBody {
				c += 2
			}
		}
	}
	return c
}
func (f *fieldCond) String() string {
	if len(f.spec.ops) == 0 {
		return f.label + " is present"
	}
	return f.label + " " + f.spec.String()
}

// attachCond holds when some attachment satisfies both the name and the
// type spec (either may be nil), or, with neither, when the message has
// attachments (want=true) or has none (want=false).
type attachCond struct {
	name, typ *textSpec
	want      bool
}

func (a *attachCond) eval(c *evalCtx, why *[]string) bool {
	names := c.elems(fAttName, "")
	types := c.elems(fAttType, "")
	if a.name == nil && a.typ == nil {
		ok := (len(names) > 0) == a.want
		if ok && why != nil {
			*why = append(*why, a.String())
		}
		return ok
	}
	for i := range names {
		if (a.name == nil || a.name.holds(fAttName, "attachment name", &names[i], nil)) &&
			(a.typ == nil || a.typ.holds(fAttType, "attachment type", &types[i], nil)) {
			if why != nil {
				if a.name != nil {
					a.name.holds(fAttName, "attachment name", &names[i], why)
				}
				if a.typ != nil {
					a.typ.holds(fAttType, "attachment type", &types[i], why)
				}
			}
			return true
		}
	}
	return false
}

func (a *attachCond) always() bool { return false }
func (a *attachCond) cost() int    { return 2 }
func (a *attachCond) String() string {
	switch {
	case a.name == nil && a.typ == nil && a.want:
		return "has attachments"
	case a.name == nil && a.typ == nil:
		return "has no attachments"
	}
	var p []string
	if a.name != nil {
		p = append(p, "attachment name "+a.name.String())
	}
	if a.typ != nil {
		p = append(p, "attachment type "+a.typ.String())
	}
	return strings.Join(p, " and ")
}

type langCond struct{ langs []message.Language }

func (l *langCond) eval(c *evalCtx, why *[]string) bool {
	lang := c.lang()
	for _, x := range l.langs {
		if x == lang {
			if why != nil {
				*why = append(*why, "lang is "+string(lang))
			}
			return true
		}
	}
	return false
}

func (l *langCond) always() bool {
	var zh, en bool
	for _, x := range l.langs {
		zh = zh || x == message.Chinese
		en = en || x == message.English
	}
	return zh && en
}

func (l *langCond) cost() int { return 8 }

func (l *langCond) String() string {
	s := make([]string, len(l.langs))
	for i, x := range l.langs {
		s[i] = string(x)
	}
	return "lang in [" + strings.Join(s, ", ") + "]"
}

type timeCond struct {
	cal  *sla.Calendar
	name string
	in   bool
}

func (t *timeCond) eval(c *evalCtx, why *[]string) bool {
	if t.cal.IsOpen(c.now) != t.in {
		return false
	}
	if why != nil {
		*why = append(*why, t.String())
	}
	return true
}

func (t *timeCond) always() bool { return false }
func (t *timeCond) cost() int    { return 2 }
func (t *timeCond) String() string {
	if t.in {
		return fmt.Sprintf("time in_hours %s", t.name)
	}
	return fmt.Sprintf("time outside_hours %s", t.name)
}

// trueCond is the condition of a rule without "if".
type trueCond struct{}

func (trueCond) eval(c *evalCtx, why *[]string) bool {
	if why != nil {
		*why = append(*why, "always (no condition)")
	}
	return true
}
func (trueCond) always() bool   { return true }
func (trueCond) cost() int      { return 0 }
func (trueCond) String() string { return "always" }

// aboutCond holds when the classifier puts the message in one of depts
// with at least min confidence. Without a classifier it never holds, so
// routing falls back to the rules below it and to the address.
type aboutCond struct {
	depts []string
	min   float64
}

func (a *aboutCond) eval(c *evalCtx, why *[]string) bool {
	tops := c.topics()
	if len(tops) > 0 && contains(a.depts, tops[0].Department) && (c.bar == 0 || a.min < c.bar) {
		c.bar = a.min
	}
	for i, t := range tops {
		if t.Confidence < a.min || !contains(a.depts, t.Department) {
			continue
		}
		if why != nil {
			kept := ""
			if i == 0 && c.byAddr {
				kept = fmt.Sprintf("; kept with the address's department: the entry is %s's too", t.Also[0])
			}
			if t.PreSale {
				kept += "; asked before buying: product entries count for sales"
			}
			*why = append(*why, fmt.Sprintf("about %s (confidence %.2f ≥ %.2f%s%s)",
				t.Department, t.Confidence, a.min, TopicBasis(t, "; "), kept))
		}
		return true
	}
	return false
}

// TopicBasis says what t's confidence rests on, each part after sep: the
// FAQ topics (the catalog's entries) and the share learned examples give
// ("FAQ topics refund-timing; learned examples 0.64"); "" for neither.
func TopicBasis(t faq.Topic, sep string) string {
	var b strings.Builder
	if len(t.Entries) > 0 {
		b.WriteString(sep + "FAQ topics " + strings.Join(t.Entries, ", "))
	}
	if t.Learned >= 0.005 {
		fmt.Fprintf(&b, "%slearned examples %.2f", sep, t.Learned)
	}
	return b.String()
}

func (a *aboutCond) always() bool { return false }

// cost: ranking the mail against the catalog is the dearest condition.
func (a *aboutCond) cost() int { return 20 }

func (a *aboutCond) String() string {
	return fmt.Sprintf("about [%s] with confidence ≥ %.2f", strings.Join(a.depts, ", "), a.min)
}
