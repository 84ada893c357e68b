package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/frontdesk-mail/frontdesk/sla"
)

// Priorities in ascending order.
var priorities = []string{"low", "normal", "high", "urgent"}

func priorityRank(p string) int {
	for i, q := range priorities {
		if p == q {
			return i
		}
	}
	return -1
}

// Rules is a compiled rules file. It is immutable after Parse and safe for
// concurrent use.
type Rules struct {
	file      string
	hash      string
	depts     map[string]*Department
	deptKeys  []string
	def       string
	calendars map[string]*sla.Calendar
	calNames  []string
	addrFull  map[string]string // lower-case full address → department
	addrLocal map[string]string // lower-case local part → department
	rules     []*rule
	matchers  [numKinds]*acMatcher
}

// Department is one department of the rules file.
type Department struct {
	Key        string
	Name       string   // display name; the key when the file gives none
	Addresses  []string // as written: local parts or full addresses
	Mailbox    string
	Agents     []string
	EscalateTo string
	SLA        Policy // zero when the department has no sla section
}

// Local is the local part of the department's own address: the first
// address of the file that is a bare local part, else the key. Replies to
// customers come from it, and ticket reply addresses are built on it.
func (d Department) Local() string {
	for _, a := range d.Addresses {
		if !strings.Contains(a, "@") {
			return a
		}
	}
	return d.Key
}

// Address is the department's own address in domain (the gateway's first
// domain): the one place it is built.
func (d Department) Address(domain string) string { return d.Local() + "@" + domain }

// Inbox is where the gateway delivers the mail of department key (d as
// the rules in force have it, the zero Department when they no longer
// do): d's mailbox, else key@hostname, which the Maildir and LMTP targets
// file under key. Relayed mail, SLA mail and ratings all go there.
func Inbox(key string, d Department, hostname string) string {
	if d.Mailbox != "" {
		return d.Mailbox
	}
	return key + "@" + hostname
}

// Policy is a department's service level. Durations that are zero are not
// tracked. Calendar names a calendar of the same file; "" counts wall-clock
// time (24×7).
type Policy struct {
	sla.Policy // what a ticket of the department is opened under
	// PendingClose is how long a ticket may wait on the customer (#wait)
	// before it is resolved for them (department sla only; zero: the
	// default, DefaultPendingClose).
	PendingClose sla.Duration

	// Priorities holds optional per-priority overrides (sla.priorities in
	// the file). Only FirstResponse, NextResponse, Resolution and WarnAt are
	// used from an override; zero fields inherit the department's value.
	Priorities map[string]Policy
}

// IsZero reports whether p tracks nothing.
func (p Policy) IsZero() bool {
	return p.FirstResponse == (sla.Duration{}) && p.NextResponse == (sla.Duration{}) &&
		p.Resolution == (sla.Duration{}) && p.Calendar == "" && p.WarnAt == 0 &&
		!p.PauseWhenWaiting && p.PendingClose == (sla.Duration{}) && len(p.Priorities) == 0
}

// ForPriority returns the policy for a ticket of that priority: p with the
// matching override applied, and no Priorities.
func (p Policy) ForPriority(priority string) Policy {
	out := p
	out.Priorities = nil
	if o, ok := p.Priorities[priority]; ok {
		out.apply(o)
	}
	return out
}

// apply overrides p's fields with o's set (non-zero) durations and WarnAt.
func (p *Policy) apply(o Policy) {
	if o.FirstResponse != (sla.Duration{}) {
		p.FirstResponse = o.FirstResponse
	}
	if o.NextResponse != (sla.Duration{}) {
		p.NextResponse = o.NextResponse
	}
	if o.Resolution != (sla.Duration{}) {
		p.Resolution = o.Resolution
	}
	if o.WarnAt != 0 {
		p.WarnAt = o.WarnAt
	}
}

func (p Policy) clone() Policy {
	if p.Priorities != nil {
		m := make(map[string]Policy, len(p.Priorities))
		for k, v := range p.Priorities {
			m[k] = v
		}
		p.Priorities = m
	}
	return p
}

func cloneDept(d *Department) Department {
	out := *d
	out.Addresses = append([]string(nil), d.Addresses...)
	out.Agents = append([]string(nil), d.Agents...)
	out.SLA = d.SLA.clone()
	return out
}

// Load reads and parses a rules file. A file over MaxFileSize is refused
// without reading it whole.
func Load(path string) (*Rules, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("rules file: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("rules file: %w", err)
	}
	if fi, err := f.Stat(); err == nil && fi.Size() > MaxFileSize {
		return nil, tooBig(path, fi.Size())
	}
	return Parse(path, data)
}

// Departments returns the departments sorted by key (copies).
func (r *Rules) Departments() []Department {
	out := make([]Department, 0, len(r.deptKeys))
	for _, k := range r.deptKeys {
		out = append(out, cloneDept(r.depts[k]))
	}
	return out
}

// Department returns the department with that key.
func (r *Rules) Department(key string) (Department, bool) {
	d, ok := r.depts[key]
	if !ok {
		return Department{}, false
	}
	return cloneDept(d), true
}

// DefaultDepartment is the key of default_department.
func (r *Rules) DefaultDepartment() string { return r.def }

// Calendar returns the named calendar. The calendar is shared: do not
// modify it.
func (r *Rules) Calendar(name string) (*sla.Calendar, bool) {
	c, ok := r.calendars[name]
	return c, ok
}

// Calendars returns the calendars sorted by name (shared; do not modify).
func (r *Rules) Calendars() []*sla.Calendar {
	out := make([]*sla.Calendar, 0, len(r.calNames))
	for _, n := range r.calNames {
		out = append(out, r.calendars[n])
	}
	return out
}

// Hash is a short hex SHA-256 of the source, to tell versions apart in logs
// and metrics.
func (r *Rules) Hash() string { return r.hash }

// Len is the number of rules.
func (r *Rules) Len() int { return len(r.rules) }

// Names returns the rules' names, top to bottom.
func (r *Rules) Names() []string {
	out := make([]string, len(r.rules))
	for i, ru := range r.rules {
		out[i] = ru.name
	}
	return out
}

// File is the file name given to Parse.
func (r *Rules) File() string { return r.file }

func shortHash(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:6])
}

// DepartmentFor returns the department owning a recipient address. Full
// address entries match the whole address (case-insensitive); local-part
// entries match that local part at any domain (the SMTP layer accepts only
// the configured domains). A sub-address "support+anything@" belongs to
// whoever owns "support@"; an entry that itself contains "+" is matched
// first.
func (r *Rules) DepartmentFor(rcpt string) (string, bool) {
	a := strings.ToLower(strings.TrimSpace(rcpt))
	a = strings.TrimSuffix(strings.TrimPrefix(a, "<"), ">")
	if a == "" {
		return "", false
	}
	local, domain, hasAt := a, "", false
	if i := strings.LastIndexByte(a, '@'); i >= 0 {
		local, domain, hasAt = a[:i], a[i+1:], true
	}
	try := func(local string) (string, bool) {
		if hasAt {
			if d, ok := r.addrFull[local+"@"+domain]; ok {
				return d, true
			}
		}
		d, ok := r.addrLocal[local]
		return d, ok
	}
	if d, ok := try(local); ok {
		return d, true
	}
	if i := strings.IndexByte(local, '+'); i > 0 {
		return try(local[:i])
	}
	return "", false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
