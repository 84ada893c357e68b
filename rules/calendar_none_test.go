package rules

import (
	"strings"
	"testing"
	"time"
)

// "calendar: none" (24×7 wall-clock time), as the README documents it: in a
// department's sla, and in a rule's sla over a department with a calendar.
func TestCalendarNone(t *testing.T) {
	src := strings.Replace(head, "finance: {addresses: [billing, vip@acme.example], sla: {first_response: 1d}}",
		"finance: {addresses: [billing, vip@acme.example], sla: {first_response: 1d, calendar: none}}", 1) + `
  - name: outage
    if: {subject: outage}
    then: {sla: {first_response: 30m, calendar: none}}
`
	r, err := Parse("t.yaml", []byte(src))
	if err != nil {
		t.Fatalf("calendar: none refused: %v", err)
	}
	if d, _ := r.Department("finance"); d.SLA.Calendar != "" || d.SLA.FirstResponse.Days != 1 {
		t.Errorf("finance SLA %+v; want 24x7 (no calendar)", d.SLA)
	}
	d := r.Evaluate(parse(t, mkmail("a@x.example", "support@acme.example", "outage!", "b")), weekdayNoon)
	if d.SLA == nil || d.SLA.Calendar != "" || d.SLA.FirstResponse.Business != 30*time.Minute {
		t.Errorf("rule with calendar: none over support's office calendar: SLA %+v; want 30m, no calendar", d.SLA)
	}
	d = r.Evaluate(parse(t, mkmail("a@x.example", "support@acme.example", "hello", "b")), weekdayNoon)
	if d.SLA == nil || d.SLA.Calendar != "office" {
		t.Errorf("support without the rule: SLA %+v; want the office calendar", d.SLA)
	}

	for _, c := range []struct{ name, src, want string }{
		{"a calendar named none", "calendars:\n  none: {timezone: UTC, hours: {mon-fri: \"09:00-17:00\"}}\n" + head[len("calendars:\n"):],
			`t.yaml:2:3: calendar "none": the name is reserved`},
		{"none is no calendar for hours", head + "  - name: x\n    if: {time: {in_hours: none}}\n    then: {priority: high}\n",
			`unknown calendar "none"`},
	} {
		_, err := Parse("t.yaml", []byte(c.src))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v; want %q", c.name, err, c.want)
		}
	}
}
