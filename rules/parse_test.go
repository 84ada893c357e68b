package rules

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/sla"
)

// base is a valid file; error cases are written out in full so that their
// line:col positions can be read off the text.
const base = `calendars:
  office:
    timezone: Asia/Shanghai
    hours: {mon-fri: "09:00-12:00, 13:00-18:00", sat: "10:00-14:00"}
    holidays: [2026-10-01, 2026-10-02]
    workdays: {2026-10-10: "09:00-18:00"}
departments:
  support:
    name: Customer Support
    addresses: [support, help]
    mailbox: support-team@agents.acme.example
    agents: [alice@acme.example, bob@acme.example]
    escalate_to: support-lead@acme.example
    sla: {first_response: 4h, resolution: 3d, calendar: office, warn_at: 75%}
  finance:
    name: Billing
    addresses: [billing, invoice, ceo@acme.example]
    mailbox: finance@agents.acme.example
    sla:
      first_response: 1d
      next_response: 8h
      resolution: 5d
      calendar: office
      pause_when_waiting: true
      priorities:
        urgent: {first_response: 2h}
default_department: support
rules:
  - name: refunds and invoices go to finance
    if:
      any:
        - subject: {contains: [refund, invoice, 退款, 发票]}
        - body: {matches: '(?i)\binvoice\s*(no\.?|#)\s*\d+'}
    then: {department: finance}
  - name: urgent mail gets high priority
    if: {subject: {contains: [urgent, 紧急]}}
    then: {priority: high, tags: [urgent]}
    continue: true
  - name: mail flagged as spam upstream is dropped
    if: {header: {name: X-Spam-Flag, equals: "YES"}}
    then: {discard: true}
`

func TestParseDesignExample(t *testing.T) {
	r, err := Parse("rules.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	if r.Len() != 3 || r.DefaultDepartment() != "support" || len(r.Departments()) != 2 {
		t.Fatalf("len %d default %q depts %d", r.Len(), r.DefaultDepartment(), len(r.Departments()))
	}
	if ds := r.Departments(); ds[0].Key != "finance" || ds[1].Key != "support" {
		t.Fatalf("departments not sorted: %v", ds)
	}
	s, _ := r.Department("support")
	want := Policy{Policy: sla.Policy{FirstResponse: sla.Duration{Business: 4 * time.Hour}, Resolution: sla.Duration{Days: 3}, Calendar: "office", WarnAt: 0.75}}
	if s.Name != "Customer Support" || s.Mailbox != "support-team@agents.acme.example" || len(s.Agents) != 2 ||
		s.EscalateTo != "support-lead@acme.example" || s.SLA.FirstResponse != want.FirstResponse ||
		s.SLA.Resolution != want.Resolution || s.SLA.Calendar != "office" || s.SLA.WarnAt != 0.75 {
		t.Fatalf("support = %+v", s)
	}
	f, _ := r.Department("finance")
	if !f.SLA.PauseWhenWaiting || f.SLA.NextResponse.Business != 8*time.Hour || f.SLA.Priorities["urgent"].FirstResponse.Business != 2*time.Hour {
		t.Fatalf("finance sla = %+v", f.SLA)
	}
	if got := f.SLA.ForPriority("urgent"); got.FirstResponse.Business != 2*time.Hour || got.Resolution.Days != 5 || got.Calendar != "office" {
		t.Fatalf("urgent policy = %+v", got)
	}
	cal, ok := r.Calendar("office")
	if !ok || cal.Location.String() != "Asia/Shanghai" || len(cal.Weekly[time.Saturday]) != 1 || len(cal.Weekly[time.Sunday]) != 0 ||
		!cal.Holidays[sla.Date{Year: 2026, Month: 10, Day: 1}] || len(cal.Workdays[sla.Date{Year: 2026, Month: 10, Day: 10}]) != 1 {
		t.Fatalf("calendar = %+v", cal)
	}
	if len(r.Calendars()) != 1 || len(r.Hash()) != 12 {
		t.Fatalf("calendars %d hash %q", len(r.Calendars()), r.Hash())
	}
	// Copies: changing a returned department does not change the rules.
	s.Addresses[0] = "x"
	if s2, _ := r.Department("support"); s2.Addresses[0] != "support" {
		t.Fatal("Department returned shared slices")
	}
}

func TestDepartmentFor(t *testing.T) {
	r, err := Parse("rules.yaml", []byte(base))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		addr, want string
		ok         bool
	}{
		{"support@acme.example", "support", true},
		{"SUPPORT@Other.Example", "support", true},
		{"<help@acme.example>", "support", true},
		{"support+order-42@acme.example", "support", true},
		{"billing+x+y@acme.example", "finance", true},
		{"ceo@acme.example", "finance", true},
		{"CEO@ACME.EXAMPLE", "finance", true},
		{"ceo+board@acme.example", "finance", true},
		{"ceo@other.example", "", false},
		{"invoice", "finance", true},
		{"nobody@acme.example", "", false},
		{"+support@acme.example", "", false},
		{"", "", false},
	} {
		got, ok := r.DepartmentFor(c.addr)
		if got != c.want || ok != c.ok {
			t.Errorf("DepartmentFor(%q) = %q, %v; want %q, %v", c.addr, got, ok, c.want, c.ok)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		src  string
		want []string // "line:col: message" (file name added by the test)
	}{
		{"yaml syntax", "departments:\n  support: {addresses: [support]\ndefault_department: support\n",
			[]string{"3:1: ',' or '}' must be specified"}},
		{"yaml tab", "departments:\n  support: {addresses: [support]}\n\tsales: {}\ndefault_department: support\n",
			[]string{"3:1: found character '\t' that cannot start any token"}},
		{"yaml unclosed list", "calendars:\n  office:\n    timezone: [Asia\n",
			[]string{"3:15: sequence end token ']' not found"}},
		{"empty file", "", []string{"1:1: empty rules file: want departments, default_department and rules"}},
		{"not a map", "- a\n- b\n", []string{"1:1: rules file: want a map, got a list"}},
		{"unknown top-level key with suggestion", `departmnts:
  support: {}
default_department: support
`, []string{
			`1:1: rules file: unknown key "departmnts" (did you mean "departments"?)`,
			`1:1: missing departments`,
			`3:21: unknown department "support"`,
		}},
		{"unknown key without suggestion", `departments:
  support: {addresses: [support], colour: red}
default_department: support
`, []string{`2:35: department support: unknown key "colour" (known: name, addresses, mailbox, agents, escalate_to, sla)`}},
		{"missing default_department", "departments:\n  support: {}\n", []string{"1:1: missing default_department"}},
		{"department name with a line break", "departments:\n  support: {name: \"Support\\r\\nBcc: x@evil.example\"}\ndefault_department: support\n",
			[]string{`2:19: department support: name: "Support\r\nBcc: x@evil.example": the name goes into the From line of our mail and must be one line without control characters`}},
		{"department name with a NUL", "departments:\n  support: {name: \"Sup\\0port\"}\ndefault_department: support\n",
			[]string{`2:19: department support: name: "Sup\x00port": the name goes into the From line of our mail and must be one line without control characters`}},
		{"department name with a line separator", "departments:\n  support: {name: \"Support\\u2028x\"}\ndefault_department: support\n",
			[]string{`2:19: department support: name: "Support\u2028x": the name goes into the From line of our mail and must be one line without control characters`}},
		{"unknown default_department", "departments:\n  support: {}\n  sales: {}\ndefault_department: finance\n",
			[]string{`4:21: unknown department "finance" (departments: sales, support)`}},
		{"wrong types", `departments:
  support:
    addresses: {a: b}
    agents: alice
    sla: [4h]
default_department: [support]
rules: {name: x}
`, []string{
			`3:16: department support: addresses: want a string or a list of strings, got a map`,
			`4:13: department support: agents: "alice" is not a mail address`,
			`5:10: department support: sla: want a map, got a list`,
			`6:21: default_department: want a string, got a list`,
			`7:8: rules: want a list of rules, got a map`,
		}},
		{"address owned twice", `departments:
  support: {addresses: [support, help, Help]}
  sales: {addresses: [sales, SUPPORT, x@acme.example]}
  pr: {addresses: [X@ACME.example]}
default_department: support
`, []string{
			`2:40: department support: address "Help" listed twice`,
			`3:30: department sales: address "SUPPORT" already belongs to department support (line 2)`,
			`4:20: department pr: address "X@ACME.example" already belongs to department sales (line 3)`,
		}},
		{"unknown calendar and bad durations", `calendars:
  office: {timezone: UTC, hours: {mon-fri: "09:00-17:00"}}
departments:
  support:
    sla: {first_response: 4 hours, resolution: 1d4h, calendar: ofice, warn_at: 175%}
default_department: support
`, []string{
			`5:27: department support: sla: first_response: bad duration "4 hours": want e.g. 4h, 90m, 1h30m or 3d (time: unknown unit " hours" in duration "4 hours")`,
			`5:48: department support: sla: resolution: bad duration "1d4h": days cannot be combined with other units (want e.g. 4h, 90m, 1h30m or 3d)`,
			`5:64: department support: sla: calendar: unknown calendar "ofice" (did you mean "office"?)`,
			`5:80: department support: sla: warn_at: want a percentage below 100% such as 75% (or a fraction such as 0.75), got "175%"`,
		}},
		{"bad calendar", `calendars:
  office:
    timezone: Mars/Olympus
    hours: {mon-fry: "09:00-17:00", sat: "9-5", sun: "10:00-12:00", fri: "09:00-10:00"}
    holidays: [2026-10-01, 2026-13-01]
    workdays: {2026-10-01: "09:00-18:00"}
  weekend: {timezone: UTC, hours: {sat-sun: "09:00-12:00", sun: "13:00-14:00"}}
departments:
  support: {}
default_department: support
`, []string{
			`3:15: calendar office: unknown time zone "Mars/Olympus" (want an IANA name such as Asia/Shanghai)`,
			`4:13: calendar office: hours: ` + weekdaysErr("mon-fry"),
			`4:42: calendar office: hours sat: ` + rangesErr("9-5"),
			`5:28: calendar office: holidays: ` + dateErr("2026-13-01"),
			`6:16: calendar office: 2026-10-01 is both a holiday (line 5) and a workday`,
			`7:60: calendar weekend: hours: sun already given at line 7`,
		}},
		{"about: departments and confidence", `departments:
  support: {}
  finance: {}
default_department: support
rules:
  - name: a
    if: {about: {department: finanse, confidence: 0.5}}
    then: {department: finance}
  - name: b
    if: {about: {department: finance}}
    then: {tags: [x]}
  - name: c
    if: {about: {department: [finance, support], confidence: 1.5}}
    then: {tags: [x]}
  - name: d
    if: {about: {department: finance, confidence: high, colour: red}}
    then: {tags: [x]}
  - name: e
    if: {about: finance}
    then: {tags: [x]}
`, []string{
			`7:30: rule "a": if: about: department: unknown department "finanse" (did you mean "finance"?)`,
			`10:17: rule "b": if: about: want confidence (a number between 0 and 1, e.g. 0.5: how sure the gateway must be)`,
			`13:62: rule "c": if: about: confidence: 1.5 is out of range (want more than 0, at most 1)`,
			`16:51: rule "d": if: about: confidence: want a number between 0 and 1, got "high"`,
			`16:57: rule "d": if: about: unknown key "colour" (known: department, confidence)`,
			`19:17: rule "e": if: about: want a map, got "finance"`,
		}},
		{"rules: names, types, references", `departments:
  support: {}
  finance: {}
default_department: support
rules:
  - name: a
    if: {subject: refund, sender: x}
    then: {department: finanse}
  - name: a
    if: {}
    then: {priority: asap, tags: [a b], ack: ../../etc/passwd}
  - if: {lang: fr}
    then: {department: finance}
    continue: yes
  - name: b
    if: {body: {matches: "(?P<x"}, header: {equals: x}, attachment: {}}
    then: {reject: "no", discard: true}
  - name: c
    if: {any: [], all: {subject: x}, not: {}, time: {in_hours: office}}
    then: {sla: {first_response: 1h, priorities: {}}}
`, []string{
			`7:27: rule "a": if: unknown key "sender" (did you mean "from"?)`,
			`8:24: rule "a": then: department: unknown department "finanse" (did you mean "finance"?)`,
			`9:11: duplicate rule name "a" (first at line 6)`,
			`10:9: rule "a": if: empty condition (leave out "if" to match every message)`,
			`11:22: rule "a": then: unknown priority "asap" (want low, normal, high, urgent)`,
			`11:35: rule "a": then: tags: "a b": a tag is one word (no spaces or commas)`,
			`11:46: rule "a": then: ack: "../../etc/passwd" is not a template name (letters, digits, - and _; or none)`,
			`12:5: rule: missing name`,
			`12:16: rule "rule at line 12": if: lang: unknown language "fr" (want zh or en)`,
			`14:15: rule "rule at line 12": continue: want true or false, got "yes"`,
			`16:26: rule "b": if: body matches: bad regular expression: error parsing regexp: invalid named capture: ` + "`(?P<x`",
			`16:44: rule "b": if: header: missing name`,
			`16:69: rule "b": if: attachment: empty (want name and/or type)`,
			`17:26: rule "b": then: reject and discard exclude each other (reject at line 17)`,
			`19:15: rule "c": if: any: empty list`,
			`19:24: rule "c": if: all: want a list of conditions, got a map`,
			`19:43: rule "c": if: not: empty condition (leave out "if" to match every message)`,
			`19:64: rule "c": if: time in_hours: unknown calendar "office" (the file defines no calendars)`,
			`20:38: rule "c": then: sla: unknown key "priorities" (known: first_response, next_response, resolution, calendar, warn_at, pause_when_waiting)`,
		}},
		{"more condition errors", `departments:
  support: {}
default_department: support
rules:
  - name: d
    if: {to: {domain: "@", equals: []}, from: {contains: ""}, subject: {domain: x}}
    then: {}
  - name: e
    if: {time: {in_hours: x, outside_hours: y}}
`, []string{
			`6:23: rule "d": if: to domain: "@" is not a domain`,
			`6:36: rule "d": if: to equals: empty list`,
			`6:58: rule "d": if: from contains: must not be empty`,
			`6:73: rule "d": if: subject: unknown key "domain" (known: equals, contains, matches)`,
			`8:5: rule "e": missing then`,
			`9:16: rule "e": if: time: want exactly one of in_hours or outside_hours`,
		}},
		{"unreachable after catch-all", `departments:
  support: {}
default_department: support
rules:
  - name: tag all
    then: {tags: [x]}
    continue: true
  - name: everything
    if: {any: [{lang: [zh, en]}, {subject: x}]}
    then: {department: support}
  - name: never
    if: {subject: y}
    then: {priority: high}
  - name: never either
    then: {priority: low}
`, []string{
			`11:5: rule "never" is unreachable: rule "everything" (line 8) matches every message and does not continue`,
			`14:5: rule "never either" is unreachable: rule "everything" (line 8) matches every message and does not continue`,
		}},
		{"duplicate keys and aliases", `departments:
  support: {addresses: &a [support]}
  support: {}
  sales: {addresses: *a}
default_department: support
`, []string{
			`2:28: department sales: address "support" already belongs to department support (line 2)`,
			`3:3: departments: key "support" given twice (first at line 2)`,
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(c.src))
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("err = %v (%T), want an ErrorList", err, err)
			}
			var got []string
			for _, e := range list {
				if e.File != "f.yaml" {
					t.Errorf("file %q", e.File)
				}
				got = append(got, strings.TrimPrefix(e.Error(), "f.yaml:"))
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
			if !strings.HasPrefix(err.Error(), "f.yaml:") {
				t.Errorf("Error() = %q", err.Error())
			}
		})
	}
}

func weekdaysErr(s string) string { _, err := sla.ParseWeekdays(s); return err.Error() }
func rangesErr(s string) string   { _, err := sla.ParseRanges(s); return err.Error() }
func dateErr(s string) string     { _, err := sla.ParseDate(s); return err.Error() }
