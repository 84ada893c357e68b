package learn

import (
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/faq"
)

// CheckExamples (POST /api/learn) refuses what a labels file's import
// refuses, naming every problem of every example.
func TestCheckExamples(t *testing.T) {
	depts := []string{"support", "sales"}
	for _, tc := range []struct {
		name string
		exs  []Example
		want []string // the error's lines after the first; none: no error
	}{
		{"good", []Example{{Department: "support", Entries: []string{"order-tracking"}, Lang: "en", Text: "where is my order"}, {NoLink: true, Subject: "thanks"}, {Department: "sales", Lang: "mixed", Text: "x", Source: SourceMove}}, nil},
		{"unknown department", []Example{{Department: "nosuch", Text: "x"}}, []string{`example 1: no department "nosuch" (the departments are support, sales)`}},
		{"every problem", []Example{{Text: "ok", Department: "support"}, {Department: "nosuch", Entries: []string{"order-tracking", "no-such-faq"}, Lang: "xx", Text: " ", Source: "magic"}}, []string{
			`example 2: lang "xx": want en, zh or mixed`,
			`example 2: no department "nosuch" (the departments are support, sales)`,
			`example 2: the FAQ has no entry "no-such-faq"`,
			`example 2: subject and text are empty: no words to learn from (an empty mail, or not a mail)`,
			`example 2: source "magic": want import, api, move or faq (or none)`}},
		{"nothing to learn", []Example{{Text: "x"}}, []string{"example 1: neither a department nor entries (or no_link: true): nothing to learn"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckExamples(tc.exs, faq.Demo(), depts)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if got := strings.Split(err.Error(), "\n")[1:]; strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("error:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// Stamped dates an undated example now (in order) and gives a sourceless
// one SourceAPI; what an example says itself is kept.
func TestStamped(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	then := now.Add(-time.Hour)
	exs := Stamped([]Example{{}, {At: then, Source: SourceImport}, {}}, func() time.Time { return now })
	if !exs[0].At.Equal(now) || exs[0].Source != SourceAPI || !exs[1].At.Equal(then) || exs[1].Source != SourceImport || !exs[2].At.After(exs[0].At) {
		t.Errorf("%+v", exs)
	}
}
