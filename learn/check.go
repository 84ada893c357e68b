package learn

import (
	"fmt"
	"strings"
	"time"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/message"
)

// Problem is one thing an import refuses in an example: the field it is
// about (a labels.yaml key: "lang", "department", "faq", or "" for the
// example as a whole) and, for "faq", which entry.
type Problem struct {
	Field string
	Index int
	Msg   string
}

// check is what every import (`learn import LABELS.yaml`, POST
// /api/learn) refuses in an example's labels: a language other than en,
// zh or mixed (the evaluation sets'; zh covers Traditional), a department
// not in depts (when any are given), an FAQ id cat does not have, and
// nothing to learn at all (no department, no entries, not a no-link
// example). Every problem is returned, in the fields' order.
func check(dept string, entries []string, noLink bool, lang string, cat *faq.Catalog, depts []string) []Problem {
	var out []Problem
	if dept == "" && len(entries) == 0 && !noLink {
		out = append(out, Problem{Msg: "neither a department nor faq (entries, or [] for none): nothing to learn"})
	}
	if lang != "" && message.Language(lang) != message.English && message.Language(lang) != message.Chinese && lang != "mixed" {
		out = append(out, Problem{Field: "lang", Msg: fmt.Sprintf("lang %q: want en, zh or mixed", lang)})
	}
	if len(depts) > 0 && dept != "" && !contains(depts, dept) {
		out = append(out, Problem{Field: "department", Msg: fmt.Sprintf("no department %q (the departments are %s)", dept, strings.Join(depts, ", "))})
	}
	for i, id := range entries {
		if cat == nil {
			break
		}
		if _, found := cat.Entry(id); !found {
			out = append(out, Problem{Field: "faq", Index: i, Msg: fmt.Sprintf("the FAQ has no entry %q", id)})
		}
	}
	return out
}

// noText is the problem of an example with no words to learn from (an
// empty file, or one that is not a mail), or "".
func noText(subject, text string) string {
	if strings.TrimSpace(subject) == "" && strings.TrimSpace(text) == "" {
		return "no words to learn from (an empty mail, or not a mail)"
	}
	return ""
}

// CheckExamples checks examples sent to POST /api/learn as `learn import`
// checks a labels file's (the same rules: check), and that each has words
// to learn from and a known source. The error names every problem, one
// line each ("example N: what is wrong"); nil when there is none.
func CheckExamples(exs []Example, cat *faq.Catalog, depts []string) error {
	var lines []string
	for i, ex := range exs {
		bad := func(msg string) { lines = append(lines, fmt.Sprintf("example %d: %s", i+1, msg)) }
		for _, p := range check(ex.Department, ex.Entries, ex.NoLink, string(ex.Lang), cat, depts) {
			if p.Field == "" {
				p.Msg = "neither a department nor entries (or no_link: true): nothing to learn"
			}
			bad(p.Msg)
		}
		if p := noText(ex.Subject, ex.Text); p != "" {
			bad("subject and text are empty: " + p)
		}
		switch ex.Source {
		case "", SourceMove, SourceFAQ, SourceImport, SourceAPI:
		default:
			bad(fmt.Sprintf("source %q: want import, api, move or faq (or none)", ex.Source))
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return fmt.Errorf("%d problem(s), nothing was imported:\n%s", len(lines), strings.Join(lines, "\n"))
}

// Stamped is exs with what POST /api/learn fills in of an example that
// does not say it: when it was learned (now, a microsecond apart, keeping
// their order) and its source (SourceAPI).
func Stamped(exs []Example, now func() time.Time) []Example {
	t := now()
	for i := range exs {
		if exs[i].At.IsZero() {
			exs[i].At = t.Add(time.Duration(i) * time.Microsecond)
		}
		if exs[i].Source == "" {
			exs[i].Source = SourceAPI
		}
	}
	return exs
}
