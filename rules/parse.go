package rules

import (
	"fmt"
	"net/mail"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // calendars name IANA zones; slim containers lack the database
	"unicode"
	"unicode/utf8"

	"github.com/frontdesk-mail/frontdesk/internal/adminfile"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/sla"

	"go.yaml.in/yaml/v3"
)

type rule struct {
	name string
	line int
	cond cond
	act  action
	cont bool
}

type action struct {
	department string
	priority   string
	tags       []string
	ack        string
	sla        *slaPatch
	reject     string
	discard    bool
}

type parser struct {
	errs adminfile.Collector
	// budget is how many nodes aliases may still expand to (resolve).
	budget int
	// expanded memoizes the expanded size of anchored nodes (resolve).
	expanded map[*yaml.Node]int
	r        *Rules
	// keyword registry per field kind
	patIDs [numKinds]map[string]int32
	pats   [numKinds][]string
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.errs.At(n, format, args...)
}

// Parse compiles a rules file. filename is used in error positions. On
// failure the error is an ErrorList with every problem found.
func Parse(filename string, data []byte) (r *Rules, err error) {
	p := &parser{budget: maxAliasExpansion,
		errs: adminfile.Collector{File: filename, AtStart: true}}
	defer func() {
		if e := recover(); e != nil {
			// The YAML library is not expected to panic; never let a bad
			// file take the server down.
			r, err = nil, ErrorList{{File: filename, Line: 1, Col: 1, Msg: fmt.Sprintf("cannot parse: %v", e)}}
		}
	}()
	if len(data) > MaxFileSize {
		return nil, tooBig(filename, int64(len(data)))
	}
	doc, synErr := adminfile.Unmarshal(filename, data)
	if synErr != nil {
		return nil, ErrorList{synErr}
	}
	r = &Rules{
		file:      filename,
		hash:      shortHash(data),
		depts:     map[string]*Department{},
		calendars: map[string]*sla.Calendar{},
		addrFull:  map[string]string{},
		addrLocal: map[string]string{},
	}
	p.r = r
	var root *yaml.Node
	if len(doc.Content) > 0 {
		root = p.resolve(doc.Content[0])
	}
	if root == nil || root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		p.errorf(root, "empty rules file: want departments, default_department and rules")
		return nil, p.errs.Err()
	}
	top := p.mapping(root, "rules file", []string{"calendars", "departments", "default_department", "rules"})
	if top == nil {
		return nil, p.errs.Err()
	}
	if n := top["calendars"]; n != nil {
		p.calendars(n.val)
	}
	if n := top["departments"]; n != nil {
		p.departments(n.val)
	} else {
		p.errorf(root, "missing departments")
	}
	if n := top["default_department"]; n != nil {
		if s, ok := p.str(n.val, "default_department"); ok {
			if _, known := r.depts[s]; known {
				r.def = s
			} else {
				p.unknownDept(n.val, "", s)
			}
		}
	} else {
		p.errorf(root, "missing default_department")
	}
	if n := top["rules"]; n != nil {
		p.rules(n.val)
	}
	for k := fieldKind(0); k < numKinds; k++ {
		r.matchers[k] = newACMatcher(p.pats[k])
	}
	r.deptKeys = sortedKeys(r.depts)
	r.calNames = sortedKeys(r.calendars)
	if err := p.errs.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// MaxFileSize bounds a rules file, and so the memory compiling it takes:
// the YAML tree and the compiled rules are held at once, some 65 times the
// file's size (`rules check` of a 2.6 MB file of 20,000 rules peaked at
// 170 MB). 4 MB is far beyond any hand-written file.
const MaxFileSize = 4 << 20

func tooBig(file string, size int64) ErrorList {
	return ErrorList{{File: file, Line: 1, Col: 1, Msg: fmt.Sprintf(
		"the file is %.1f MB; a rules file may be at most %d MB (it is compiled whole in memory, at many times its size)",
		float64(size)/(1<<20), MaxFileSize>>20)}}
}

// maxAliasExpansion bounds the nodes that aliases expand to in all, so that
// an alias bomb (a billion laughs) cannot make compilation explode.
const maxAliasExpansion = 200000

// resolve follows aliases. Following one charges the budget with the size
// of what it expands to; nodes written out in the file cost nothing (the
// file size bounds them).
func (p *parser) resolve(n *yaml.Node) *yaml.Node {
	if n == nil || n.Kind != yaml.AliasNode {
		return n
	}
	if p.budget <= 0 {
		return nil // reported when it ran out
	}
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	p.budget -= p.expandedSize(n)
	if p.budget <= 0 {
		p.errorf(n, "file too complex (aliases expand to more than %d nodes)", maxAliasExpansion)
		return nil
	}
	return n
}

// expandedSize is how many nodes n stands for with its aliases expanded,
// saturating past the budget (so an alias bomb costs no more to measure).
func (p *parser) expandedSize(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	if n.Kind == yaml.AliasNode {
		return p.expandedSize(n.Alias)
	}
	if size, ok := p.expanded[n]; ok {
		return size
	}
	if p.expanded == nil {
		p.expanded = map[*yaml.Node]int{}
	}
	p.expanded[n] = maxAliasExpansion + 1 // a cycle (a: &x [*x]) is too big
	size := 1
	for _, c := range n.Content {
		if size += p.expandedSize(c); size > maxAliasExpansion {
			size = maxAliasExpansion + 1
			break
		}
	}
	p.expanded[n] = size
	return size
}

type kv struct {
	key, val *yaml.Node
}

// mapping checks that n is a map with known, distinct, scalar keys and
// returns its entries by key. known == nil accepts any key. It returns nil
// (after reporting) when n is not a map.
func (p *parser) mapping(n *yaml.Node, what string, known []string) map[string]*kv {
	m, _ := p.mappingOrdered(n, what, known)
	return m
}

func (p *parser) mappingOrdered(n *yaml.Node, what string, known []string) (map[string]*kv, []*kv) {
	if n == nil {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s: want a map, got %s", what, adminfile.KindName(n))
		return nil, nil
	}
	out := map[string]*kv{}
	var order []*kv
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := p.resolve(n.Content[i]), p.resolve(n.Content[i+1])
		if k == nil || v == nil {
			return nil, nil
		}
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "%s: keys must be plain words", what)
			continue
		}
		if k.Value == "<<" && k.Tag == "!!merge" {
			p.errorf(k, "%s: merge keys (<<) are not supported", what)
			continue
		}
		if prev, dup := out[k.Value]; dup {
			p.errorf(k, "%s: key %q given twice (first at line %d)", what, k.Value, prev.key.Line)
			continue
		}
		if known != nil && !contains(known, k.Value) {
			msg := fmt.Sprintf("%s: unknown key %q", what, k.Value)
			if s := didYouMean(k.Value, known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			} else {
				msg += " (known: " + strings.Join(known, ", ") + ")"
			}
			p.errorf(k, "%s", msg)
			continue
		}
		e := &kv{k, v}
		out[k.Value] = e
		order = append(order, e)
	}
	return out, order
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// str reads a non-empty scalar.
func (p *parser) str(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, "%s: want a string, got %s", what, adminfile.KindName(n))
		return "", false
	}
	if strings.TrimSpace(n.Value) == "" {
		p.errorf(n, "%s: must not be empty", what)
		return "", false
	}
	return n.Value, true
}

// strList reads a string or a list of strings (each non-empty).
func (p *parser) strList(n *yaml.Node, what string) ([]*yaml.Node, []string, bool) {
	if n.Kind == yaml.ScalarNode {
		s, ok := p.str(n, what)
		return []*yaml.Node{n}, []string{s}, ok
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s: want a string or a list of strings, got %s", what, adminfile.KindName(n))
		return nil, nil, false
	}
	if len(n.Content) == 0 {
		p.errorf(n, "%s: empty list", what)
		return nil, nil, false
	}
	var nodes []*yaml.Node
	var out []string
	ok := true
	for _, c := range n.Content {
		c = p.resolve(c)
		if c == nil {
			return nil, nil, false
		}
		s, good := p.str(c, what)
		if !good {
			ok = false
			continue
		}
		nodes = append(nodes, c)
		out = append(out, s)
	}
	return nodes, out, ok
}

func (p *parser) boolean(n *yaml.Node, what string) (bool, bool) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		b, err := strconv.ParseBool(n.Value)
		if err == nil {
			return b, true
		}
	}
	p.errorf(n, "%s: want true or false, got %s", what, adminfile.KindName(n))
	return false, false
}

func (p *parser) unknownDept(n *yaml.Node, prefix, s string) {
	msg := fmt.Sprintf("%sunknown department %q", prefix, s)
	if d := didYouMean(s, sortedKeys(p.r.depts)); d != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", d)
	} else if len(p.r.depts) > 0 {
		msg += " (departments: " + strings.Join(sortedKeys(p.r.depts), ", ") + ")"
	}
	p.errorf(n, "%s", msg)
}

func (p *parser) calendarRef(n *yaml.Node, what string) (*sla.Calendar, string, bool) {
	s, ok := p.str(n, what)
	if !ok {
		return nil, "", false
	}
	c, known := p.r.calendars[s]
	if !known {
		msg := fmt.Sprintf("%s: unknown calendar %q", what, s)
		if d := didYouMean(s, sortedKeys(p.r.calendars)); d != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", d)
		} else if len(p.r.calendars) == 0 {
			msg += " (the file defines no calendars)"
		}
		p.errorf(n, "%s", msg)
		return nil, "", false
	}
	return c, s, true
}

// ---- calendars ----

// noCalendar is what an sla's calendar says for wall-clock time (24×7); no
// calendar may take the name.
const noCalendar = "none"

func (p *parser) calendars(n *yaml.Node) {
	_, order := p.mappingOrdered(n, "calendars", nil)
	for _, e := range order {
		name := e.key.Value
		what := "calendar " + name
		if name == noCalendar {
			p.errorf(e.key, "calendar %q: the name is reserved (an sla's calendar: none means 24x7 wall-clock time)", name)
			continue
		}
		m := p.mapping(e.val, what, []string{"timezone", "hours", "holidays", "workdays"})
		if m == nil {
			continue
		}
		cal := &sla.Calendar{Name: name, Holidays: map[sla.Date]bool{}, Workdays: map[sla.Date][]sla.Range{}}
		ok := true
		if tz := m["timezone"]; tz != nil {
			if s, good := p.str(tz.val, what+": timezone"); good {
				loc, err := time.LoadLocation(s)
				if err != nil || s == "Local" {
					p.errorf(tz.val, "%s: unknown time zone %q (want an IANA name such as Asia/Shanghai)", what, s)
					ok = false
				}
				cal.Location = loc
			} else {
				ok = false
			}
		} else {
			p.errorf(e.key, "%s: missing timezone", what)
			ok = false
		}
		if h := m["hours"]; h != nil {
			_, days := p.mappingOrdered(h.val, what+": hours", nil)
			if len(days) == 0 && h.val.Kind == yaml.MappingNode {
				p.errorf(h.val, "%s: hours: empty", what)
			}
			seen := map[time.Weekday]*yaml.Node{}
			for _, d := range days {
				wds, err := sla.ParseWeekdays(d.key.Value)
				if err != nil {
					p.errorf(d.key, "%s: hours: %v", what, err)
					ok = false
					continue
				}
				rs, good := p.ranges(d.val, what+": hours "+d.key.Value)
				ok = ok && good
				for _, wd := range wds {
					if prev := seen[wd]; prev != nil {
						p.errorf(d.key, "%s: hours: %s already given at line %d", what, strings.ToLower(wd.String()[:3]), prev.Line)
						ok = false
						continue
					}
					seen[wd] = d.key
					cal.Weekly[wd] = rs
				}
			}
		} else {
			p.errorf(e.key, "%s: missing hours", what)
			ok = false
		}
		holidayAt := map[sla.Date]*yaml.Node{}
		if h := m["holidays"]; h != nil {
			nodes, vals, _ := p.strList(h.val, what+": holidays")
			for i, v := range vals {
				d, err := sla.ParseDate(v)
				if err != nil {
					p.errorf(nodes[i], "%s: holidays: %v", what, err)
					ok = false
					continue
				}
				cal.Holidays[d] = true
				holidayAt[d] = nodes[i]
			}
		}
		if w := m["workdays"]; w != nil {
			_, days := p.mappingOrdered(w.val, what+": workdays", nil)
			for _, d := range days {
				date, err := sla.ParseDate(d.key.Value)
				if err != nil {
					p.errorf(d.key, "%s: workdays: %v", what, err)
					ok = false
					continue
				}
				if hn := holidayAt[date]; hn != nil {
					p.errorf(d.key, "%s: %s is both a holiday (line %d) and a workday", what, d.key.Value, hn.Line)
					ok = false
				}
				rs, good := p.ranges(d.val, what+": workdays "+d.key.Value)
				ok = ok && good
				cal.Workdays[date] = rs
			}
		}
		if ok {
			if err := cal.Validate(); err != nil {
				p.errorf(e.key, "%s: %v", what, err)
			}
		}
		p.r.calendars[name] = cal
	}
}

func (p *parser) ranges(n *yaml.Node, what string) ([]sla.Range, bool) {
	s, ok := p.str(n, what)
	if !ok {
		return nil, false
	}
	rs, err := sla.ParseRanges(s)
	if err != nil {
		p.errorf(n, "%s: %v", what, err)
		return nil, false
	}
	return rs, true
}

// ---- departments ----

var deptKeys = []string{"name", "addresses", "mailbox", "agents", "escalate_to", "sla"}

type addrOwner struct {
	dept string
	node *yaml.Node
}

func (p *parser) departments(n *yaml.Node) {
	_, order := p.mappingOrdered(n, "departments", nil)
	if n.Kind == yaml.MappingNode && len(order) == 0 && len(n.Content) == 0 {
		p.errorf(n, "departments: none defined")
	}
	owners := map[string]addrOwner{}
	// Register keys first so that references inside departments (none
	// today) and later sections see every department.
	for _, e := range order {
		p.r.depts[e.key.Value] = &Department{Key: e.key.Value, Name: e.key.Value}
	}
	for _, e := range order {
		key := e.key.Value
		what := "department " + key
		d := p.r.depts[key]
		m := p.mapping(e.val, what, deptKeys)
		if m == nil {
			continue
		}
		if v := m["name"]; v != nil {
			if s, ok := p.str(v.val, what+": name"); ok {
				// Our mail shows it (From: "Customer Support" <…>): a
				// line break there is a header of the operator's making.
				if strings.IndexFunc(s, func(r rune) bool {
					return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == utf8.RuneError
				}) >= 0 {
					p.errorf(v.val, "%s: name: %q: the name goes into the From line of our mail and must be one line without control characters", what, s)
				} else {
					d.Name = s
				}
			}
		}
		if v := m["addresses"]; v != nil {
			nodes, vals, _ := p.strList(v.val, what+": addresses")
			for i, a := range vals {
				norm := strings.ToLower(strings.TrimSpace(a))
				if strings.ContainsAny(norm, " \t<>,;") || strings.HasPrefix(norm, "@") || strings.HasSuffix(norm, "@") || strings.Count(norm, "@") > 1 {
					p.errorf(nodes[i], "%s: address %q: want a local part (support) or a full address (support@example.com)", what, a)
					continue
				}
				if prev, dup := owners[norm]; dup {
					if prev.dept == key {
						p.errorf(nodes[i], "%s: address %q listed twice", what, a)
					} else {
						p.errorf(nodes[i], "%s: address %q already belongs to department %s (line %d)", what, a, prev.dept, prev.node.Line)
					}
					continue
				}
				owners[norm] = addrOwner{key, nodes[i]}
				d.Addresses = append(d.Addresses, a)
				if strings.Contains(norm, "@") {
					p.r.addrFull[norm] = key
				} else {
					p.r.addrLocal[norm] = key
				}
			}
		}
		if v := m["mailbox"]; v != nil {
			if s, ok := p.address(v.val, what+": mailbox"); ok {
				d.Mailbox = s
			}
		}
		if v := m["agents"]; v != nil {
			nodes, vals, _ := p.strList(v.val, what+": agents")
			for i := range vals {
				if s, ok := p.address(nodes[i], what+": agents"); ok {
					d.Agents = append(d.Agents, s)
				}
			}
		}
		if v := m["escalate_to"]; v != nil {
			if s, ok := p.address(v.val, what+": escalate_to"); ok {
				d.EscalateTo = s
			}
		}
		if v := m["sla"]; v != nil {
			if pol, ok := p.policy(v.val, what+": sla", true); ok {
				d.SLA = pol.p
				if d.SLA.Calendar == noCalendar {
					d.SLA.Calendar = ""
				}
			}
		}
	}
}

func (p *parser) address(n *yaml.Node, what string) (string, bool) {
	s, ok := p.str(n, what)
	if !ok {
		return "", false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" {
		p.errorf(n, "%s: %q is not a mail address", what, s)
		return "", false
	}
	return a.Address, true
}

var policyKeys = []string{string(sla.FirstResponse), string(sla.NextResponse), string(sla.Resolution), "calendar", "warn_at", "pause_when_waiting", string(sla.PendingClose), "priorities"}
var overrideKeys = []string{string(sla.FirstResponse), string(sla.NextResponse), string(sla.Resolution), "warn_at"}

// policy reads a department's sla (withPriorities) or a rule's sla override.
func (p *parser) policy(n *yaml.Node, what string, withPriorities bool) (slaPatch, bool) {
	keys := policyKeys
	if !withPriorities {
		// A rule's override takes neither priorities nor pending_close:
		// auto-closing is the department's, decided when a ticket starts
		// waiting, not when its first mail was routed.
		keys = policyKeys[:len(policyKeys)-2]
	}
	var out slaPatch
	m := p.mapping(n, what, keys)
	if m == nil {
		return out, false
	}
	ok := p.durations(m, what, &out.p)
	if v := m["calendar"]; v != nil {
		if s, _ := p.str(v.val, what+": calendar"); s == noCalendar {
			out.p.Calendar = noCalendar // 24×7; kept as a name so that a rule's "none" overrides its department's calendar
		} else if _, name, good := p.calendarRef(v.val, what+": calendar"); good {
			out.p.Calendar = name
		} else {
			ok = false
		}
	}
	if v := m["pause_when_waiting"]; v != nil {
		b, good := p.boolean(v.val, what+": pause_when_waiting")
		out.p.PauseWhenWaiting, out.setPause = b, good
		ok = ok && good
	}
	if v := m[string(sla.PendingClose)]; v != nil {
		if s, good := p.str(v.val, what+": pending_close"); !good {
			ok = false
		} else if d, err := sla.ParseDuration(s); err != nil {
			p.errorf(v.val, "%s: pending_close: %v", what, err)
			ok = false
		} else {
			out.p.PendingClose = d
		}
	}
	if v := m["priorities"]; v != nil {
		_, order := p.mappingOrdered(v.val, what+": priorities", nil)
		for _, e := range order {
			if priorityRank(e.key.Value) < 0 {
				p.errorf(e.key, "%s: priorities: unknown priority %q (want %s)", what, e.key.Value, strings.Join(priorities, ", "))
				ok = false
				continue
			}
			pm := p.mapping(e.val, what+": priorities: "+e.key.Value, overrideKeys)
			if pm == nil {
				ok = false
				continue
			}
			var o Policy
			ok = p.durations(pm, what+": priorities: "+e.key.Value, &o) && ok
			if out.p.Priorities == nil {
				out.p.Priorities = map[string]Policy{}
			}
			out.p.Priorities[e.key.Value] = o
		}
	}
	if len(m) == 0 {
		p.errorf(n, "%s: empty", what)
		ok = false
	}
	return out, ok
}

func (p *parser) durations(m map[string]*kv, what string, pol *Policy) bool {
	ok := true
	for _, f := range []struct {
		key string
		dst *sla.Duration
	}{{string(sla.FirstResponse), &pol.FirstResponse}, {string(sla.NextResponse), &pol.NextResponse}, {string(sla.Resolution), &pol.Resolution}} {
		v := m[f.key]
		if v == nil {
			continue
		}
		s, good := p.str(v.val, what+": "+f.key)
		if !good {
			ok = false
			continue
		}
		d, err := sla.ParseDuration(s)
		if err != nil {
			p.errorf(v.val, "%s: %s: %v", what, f.key, err)
			ok = false
			continue
		}
		*f.dst = d
	}
	if v := m["warn_at"]; v != nil {
		w, good := p.warnAt(v.val, what+": warn_at")
		pol.WarnAt = w
		ok = ok && good
	}
	return ok
}

func (p *parser) warnAt(n *yaml.Node, what string) (float64, bool) {
	if n.Kind == yaml.ScalarNode {
		v := strings.TrimSpace(n.Value)
		if pct, isPct := strings.CutSuffix(v, "%"); isPct {
			f, err := strconv.ParseFloat(strings.TrimSpace(pct), 64)
			if err == nil && f > 0 && f < 100 {
				return f / 100, true
			}
		} else if n.Tag == "!!float" || n.Tag == "!!int" {
			f, err := strconv.ParseFloat(v, 64)
			if err == nil && f > 0 && f < 1 {
				return f, true
			}
		}
	}
	p.errorf(n, "%s: want a percentage below 100%% such as 75%% (or a fraction such as 0.75), got %s", what, adminfile.KindName(n))
	return 0, false
}

// ---- rules ----

var ruleKeys = []string{"name", "if", "then", "continue"}

func (p *parser) rules(n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "rules: want a list of rules, got %s", adminfile.KindName(n))
		return
	}
	names := map[string]*yaml.Node{}
	var catchAll *rule
	for _, c := range n.Content {
		c = p.resolve(c)
		if c == nil {
			return
		}
		ru := &rule{line: c.Line}
		m := p.mapping(c, "rule", ruleKeys)
		if m == nil {
			continue
		}
		if v := m["name"]; v != nil {
			if s, ok := p.str(v.val, "rule name"); ok {
				ru.name = s
				if prev := names[s]; prev != nil {
					p.errorf(v.val, "duplicate rule name %q (first at line %d)", s, prev.Line)
				} else {
					names[s] = v.val
				}
			}
		} else {
			p.errorf(c, "rule: missing name")
			ru.name = fmt.Sprintf("rule at line %d", c.Line)
		}
		what := fmt.Sprintf("rule %q", ru.name)
		if v := m["if"]; v != nil {
			ru.cond = p.condition(v.val, what+": if")
		} else {
			ru.cond = trueCond{}
		}
		if v := m["then"]; v != nil {
			ru.act = p.action(v.val, what+": then")
		} else {
			p.errorf(c, "%s: missing then", what)
		}
		if v := m["continue"]; v != nil {
			ru.cont, _ = p.boolean(v.val, what+": continue")
		}
		if catchAll != nil {
			p.errorf(c, "%s is unreachable: rule %q (line %d) matches every message and does not continue", what, catchAll.name, catchAll.line)
		}
		if ru.cond != nil && ru.cond.always() && !ru.cont && catchAll == nil {
			catchAll = ru
		}
		if ru.cond == nil {
			ru.cond = newAll(nil) // broken condition, already reported
		}
		p.r.rules = append(p.r.rules, ru)
	}
}

var condKeys = []string{"to", "from", "subject", "body", "header", "attachment", "lang", "time", "about", "any", "all", "not"}

// condition compiles a condition map; several keys must all hold. It
// returns nil after reporting errors.
func (p *parser) condition(n *yaml.Node, what string) cond {
	_, order := p.mappingOrdered(n, what, condKeys)
	if n.Kind == yaml.MappingNode && len(n.Content) == 0 {
		p.errorf(n, "%s: empty condition (leave out \"if\" to match every message)", what)
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	var all []cond
	bad := false
	for _, e := range order {
		var c cond
		key := e.key.Value
		switch key {
		case "subject":
			c = p.field(e.val, fSubject, "", "subject", what)
		case "body":
			c = p.field(e.val, fBody, "", "body", what)
		case "from":
			c = p.field(e.val, fFrom, "", "from", what)
		case "to":
			c = p.field(e.val, fTo, "", "to", what)
		case "header":
			c = p.header(e.val, what)
		case "attachment":
			c = p.attachment(e.val, what)
		case "lang":
			c = p.lang(e.val, what)
		case "time":
			c = p.timeCond(e.val, what)
		case "about":
			c = p.about(e.val, what)
		case "any", "all":
			c = p.condList(e.val, key, what)
		case "not":
			if inner := p.condition(e.val, what+": not"); inner != nil {
				c = notCond{inner}
			}
		}
		if c == nil {
			bad = true
			continue
		}
		all = append(all, c)
	}
	if bad || len(all) == 0 {
		return nil
	}
	if len(all) == 1 {
		return all[0]
	}
	return newAll(all)
}

func (p *parser) condList(n *yaml.Node, key, what string) cond {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s: %s: want a list of conditions, got %s", what, key, adminfile.KindName(n))
		return nil
	}
	if len(n.Content) == 0 {
		p.errorf(n, "%s: %s: empty list", what, key)
		return nil
	}
	var l []cond
	bad := false
	for _, c := range n.Content {
		c = p.resolve(c)
		if c == nil {
			return nil
		}
		x := p.condition(c, what+": "+key)
		if x == nil {
			bad = true
			continue
		}
		l = append(l, x)
	}
	if bad {
		return nil
	}
	if key == "any" {
		return newAny(l)
	}
	return newAll(l)
}

func (p *parser) keyword(kind fieldKind, s string) int32 {
	if p.patIDs[kind] == nil {
		p.patIDs[kind] = map[string]int32{}
	}
	if id, ok := p.patIDs[kind][s]; ok {
		return id
	}
	id := int32(len(p.pats[kind]))
	p.pats[kind] = append(p.pats[kind], s)
	p.patIDs[kind][s] = id
	return id
}

// spec compiles a text spec: a string or list (contains), or a map of
// equals/contains/matches (and domain for addresses). extra names keys
// that the caller handles (header's name).
func (p *parser) spec(n *yaml.Node, kind fieldKind, label, what string, extra ...string) (*textSpec, bool) {
	if n.Kind == yaml.ScalarNode || n.Kind == yaml.SequenceNode {
		op, ok := p.literals(n, kind, opContains, what+": "+label)
		if !ok {
			return nil, false
		}
		return &textSpec{ops: []textOp{op}}, true
	}
	keys := []string{"equals", "contains", "matches"}
	if kind.isAddress() {
		keys = append(keys, "domain")
	}
	_, order := p.mappingOrdered(n, what+": "+label, append(keys, extra...))
	if n.Kind != yaml.MappingNode {
		return nil, false
	}
	if len(n.Content) == 0 {
		p.errorf(n, "%s: %s: empty (want %s)", what, label, strings.Join(keys, ", "))
		return nil, false
	}
	s := &textSpec{}
	ok := true
	for _, e := range order {
		w := what + ": " + label + " " + e.key.Value
		switch e.key.Value {
		case "equals", "contains", "domain":
			op, good := p.literals(e.val, kind, opKind(indexOf(opNames[:], e.key.Value)), w)
			if good {
				s.ops = append(s.ops, op)
			}
			ok = ok && good
		case "matches":
			src, good := p.str(e.val, w)
			if !good {
				ok = false
				continue
			}
			re, err := regexp.Compile(src)
			if err != nil {
				p.errorf(e.val, "%s: bad regular expression: %v", w, err)
				ok = false
				continue
			}
			op := textOp{op: opMatches, re: re}
			if lits, ok := requiredLiterals(src); ok {
				for _, l := range lits {
					op.pre = append(op.pre, p.keyword(kind, l))
				}
			}
			s.ops = append(s.ops, op)
		}
	}
	// Stable op order: cheap tests first.
	sort.SliceStable(s.ops, func(i, j int) bool { return s.ops[i].op != opMatches && s.ops[j].op == opMatches })
	return s, ok
}

func indexOf(l []string, s string) int {
	for i, x := range l {
		if x == s {
			return i
		}
	}
	return -1
}

func (p *parser) literals(n *yaml.Node, kind fieldKind, op opKind, what string) (textOp, bool) {
	nodes, vals, ok := p.strList(n, what)
	out := textOp{op: op}
	for i, v := range vals {
		f := fold(v)
		if op == opDomain {
			f = unicodeDomain(strings.TrimPrefix(strings.TrimPrefix(f, "@"), "."))
			if f == "" || strings.ContainsAny(f, "@ ") {
				p.errorf(nodes[i], "%s: %q is not a domain", what, v)
				ok = false
				continue
			}
		}
		if op == opEquals && !kind.isAddress() {
			f = strings.TrimSpace(f)
		}
		out.vals = append(out.vals, f)
		if op == opContains {
			out.ids = append(out.ids, p.keyword(kind, f))
		}
	}
	return out, ok && len(out.vals) > 0
}

func (p *parser) field(n *yaml.Node, kind fieldKind, header, label, what string) cond {
	s, ok := p.spec(n, kind, label, what)
	if !ok {
		return nil
	}
	return &fieldCond{kind: kind, header: header, label: label, spec: *s}
}

func (p *parser) header(n *yaml.Node, what string) cond {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s: header: want a map such as {name: X-Spam-Flag, equals: \"YES\"}, got %s", what, adminfile.KindName(n))
		return nil
	}
	var nameNode *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Kind == yaml.ScalarNode && n.Content[i].Value == "name" {
			nameNode = p.resolve(n.Content[i+1])
			break
		}
	}
	if nameNode == nil {
		p.errorf(n, "%s: header: missing name", what)
		return nil
	}
	name, ok := p.str(nameNode, what+": header name")
	if !ok {
		return nil
	}
	label := "header " + canonicalHeader(name)
	s, ok := p.spec(n, fHeader, label, what, "name")
	if !ok {
		return nil
	}
	return &fieldCond{kind: fHeader, header: canonicalHeader(name), label: label, spec: *s}
}

func (p *parser) attachment(n *yaml.Node, what string) cond {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		b, ok := p.boolean(n, what+": attachment")
		if !ok {
			return nil
		}
		return &attachCond{want: b}
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s: attachment: want a map with name and/or type (or true/false), got %s", what, adminfile.KindName(n))
		return nil
	}
	m := p.mapping(n, what+": attachment", []string{"name", "type"})
	if len(n.Content) == 0 {
		p.errorf(n, "%s: attachment: empty (want name and/or type)", what)
		return nil
	}
	a := &attachCond{want: true}
	ok := len(m) > 0
	if v := m["name"]; v != nil {
		s, good := p.spec(v.val, fAttName, "attachment name", what)
		a.name, ok = s, ok && good
	}
	if v := m["type"]; v != nil {
		s, good := p.spec(v.val, fAttType, "attachment type", what)
		a.typ, ok = s, ok && good
	}
	if !ok {
		return nil
	}
	return a
}

func (p *parser) lang(n *yaml.Node, what string) cond {
	nodes, vals, ok := p.strList(n, what+": lang")
	if !ok {
		return nil
	}
	l := &langCond{}
	for i, v := range vals {
		v := message.Language(strings.ToLower(strings.TrimSpace(v)))
		if v != message.Chinese && v != message.English {
			p.errorf(nodes[i], "%s: lang: unknown language %q (want zh or en)", what, vals[i])
			ok = false
			continue
		}
		l.langs = append(l.langs, v)
	}
	if !ok {
		return nil
	}
	return l
}

// about compiles {department: KEY or [KEYS], confidence: 0.6}. The
// confidence is required: it is the admin's choice of how sure the
// gateway must be before content overrides the address.
func (p *parser) about(n *yaml.Node, what string) cond {
	w := what + ": about"
	m := p.mapping(n, w, []string{"department", "confidence"})
	if m == nil {
		return nil
	}
	a := &aboutCond{}
	ok := true
	if v := m["department"]; v == nil {
		p.errorf(n, "%s: want department (a department key or a list of them)", w)
		ok = false
	} else {
		nodes, vals, good := p.strList(v.val, w+" department")
		ok = ok && good
		for i, s := range vals {
			s = strings.TrimSpace(s)
			if _, known := p.r.depts[s]; !known {
				p.unknownDept(nodes[i], w+": department: ", s)
				ok = false
				continue
			}
			a.depts = append(a.depts, s)
		}
	}
	if v := m["confidence"]; v == nil {
		p.errorf(n, "%s: want confidence (a number between 0 and 1, e.g. 0.5: how sure the gateway must be)", w)
		ok = false
	} else {
		f, err := strconv.ParseFloat(strings.TrimSpace(v.val.Value), 64)
		switch {
		case v.val.Kind != yaml.ScalarNode || err != nil:
			p.errorf(v.val, "%s: confidence: want a number between 0 and 1, got %s", w, adminfile.KindName(v.val))
			ok = false
		case f <= 0 || f > 1:
			p.errorf(v.val, "%s: confidence: %v is out of range (want more than 0, at most 1)", w, f)
			ok = false
		default:
			a.min = f
		}
	}
	if !ok {
		return nil
	}
	return a
}

func (p *parser) timeCond(n *yaml.Node, what string) cond {
	m := p.mapping(n, what+": time", []string{"in_hours", "outside_hours"})
	if m == nil {
		return nil
	}
	if len(m) != 1 {
		if len(n.Content) == 0 || len(m) > 1 {
			p.errorf(n, "%s: time: want exactly one of in_hours or outside_hours", what)
		}
		return nil
	}
	for k, v := range m {
		cal, name, ok := p.calendarRef(v.val, what+": time "+k)
		if !ok {
			return nil
		}
		return &timeCond{cal: cal, name: name, in: k == "in_hours"}
	}
	return nil
}

// ---- actions ----

var actionKeys = []string{"department", "priority", "tags", "ack", "sla", "reject", "discard"}

var templateName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

func (p *parser) action(n *yaml.Node, what string) action {
	var a action
	m := p.mapping(n, what, actionKeys)
	if m == nil {
		return a
	}
	if v := m["department"]; v != nil {
		if s, ok := p.str(v.val, what+": department"); ok {
			if _, known := p.r.depts[s]; known {
				a.department = s
			} else {
				p.unknownDept(v.val, what+": department: ", s)
			}
		}
	}
	if v := m["priority"]; v != nil {
		if s, ok := p.str(v.val, what+": priority"); ok {
			if priorityRank(s) < 0 {
				p.errorf(v.val, "%s: unknown priority %q (want %s)", what, s, strings.Join(priorities, ", "))
			} else {
				a.priority = s
			}
		}
	}
	if v := m["tags"]; v != nil {
		nodes, vals, _ := p.strList(v.val, what+": tags")
		for i, t := range vals {
			t = strings.TrimSpace(t)
			if strings.ContainsAny(t, " \t\r\n,") {
				p.errorf(nodes[i], "%s: tags: %q: a tag is one word (no spaces or commas)", what, vals[i])
				continue
			}
			if !contains(a.tags, t) {
				a.tags = append(a.tags, t)
			}
		}
	}
	if v := m["ack"]; v != nil {
		if s, ok := p.str(v.val, what+": ack"); ok {
			if !templateName.MatchString(s) {
				p.errorf(v.val, "%s: ack: %q is not a template name (letters, digits, - and _; or none)", what, s)
			} else {
				a.ack = s
			}
		}
	}
	if v := m["sla"]; v != nil {
		if pol, ok := p.policy(v.val, what+": sla", false); ok {
			a.sla = &pol
		}
	}
	if v := m["reject"]; v != nil {
		if s, ok := p.str(v.val, what+": reject"); ok {
			if bad := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r >= 0x7f }); bad >= 0 {
				p.errorf(v.val, "%s: reject: the text goes into the SMTP reply and must be one line of printable ASCII", what)
			} else {
				a.reject = s
			}
		}
	}
	if v := m["discard"]; v != nil {
		b, _ := p.boolean(v.val, what+": discard")
		a.discard = b
	}
	if r, d := m["reject"], m["discard"]; r != nil && d != nil && a.discard {
		p.errorf(d.key, "%s: reject and discard exclude each other (reject at line %d)", what, r.key.Line)
	}
	return a
}
