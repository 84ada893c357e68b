package learn

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/internal/adminfile"
)

// A labels.yaml is an admin file like the config, rules and FAQ: every
// problem is one adminfile.Error at file:line:col, keys the format does
// not have are refused at their place (with a "did you mean"), and the good
// labels are read all the same.
func TestReadLabelsErrors(t *testing.T) {
	const mail = "From: a@customer.test\r\nSubject: where is my order\r\n\r\nIt has not arrived.\r\n"
	for _, tc := range []struct {
		name, labels string
		want         []string // the error's lines; none: no error
		good         int      // examples read
	}{
		{"good", "- {file: a.eml, lang: en, department: support, faq: [order-tracking]}\n", nil, 1},
		{"empty file", "", nil, 0},
		{"unknown key", "- file: a.eml\n  departmnet: support\n", []string{
			`labels.yaml:2:3: unknown key "departmnet" (did you mean "department"?)`}, 0},
		{"wrong kind", "- file: a.eml\n  faq: order-tracking\n", []string{
			"labels.yaml:2:8: faq: want a list, got \"order-tracking\""}, 0},
		{"not a list", "file: a.eml\n", []string{
			"labels.yaml:1:1: want a list of labels (file, lang, department, faq)"}, 0},
		{"no file", "- {department: support}\n- {file: a.eml, department: support}\n", []string{
			"labels.yaml:1:3: label 1 has no file"}, 1},
		{"nothing to learn", "- {file: a.eml, lang: en}\n", []string{
			"labels.yaml:1:3: a.eml: neither a department nor faq (entries, or [] for none): nothing to learn"}, 0},
		// `faq: []` says that no entry answers the mail: a no-link
		// example, with or without a department; a missing or null faq
		// says nothing of links
		{"no link", "- {file: a.eml, lang: en, department: support, faq: []}\n- {file: a.eml, department: sales, faq: [order-tracking]}\n- {file: a.eml, department: sales}\n", nil, 3},
		{"no link, block style", "- file: a.eml\n  department: support\n  faq: []\n", nil, 1},
		{"no link alone", "- {file: a.eml, faq: []}\n", nil, 1},
		{"faq null", "- {file: a.eml, department: support, faq: }\n- {file: a.eml, department: sales, faq: ~}\n", nil, 2},
		{"faq null alone", "- {file: a.eml, faq: ~}\n", []string{
			"labels.yaml:1:3: a.eml: neither a department nor faq (entries, or [] for none): nothing to learn"}, 0},
		{"no link through an alias", "- {file: a.eml, department: support, faq: &none []}\n- {file: a.eml, department: sales, faq: *none}\n", nil, 2},
		{"no link in a bad label", "- {file: a.eml, department: billing, faq: []}\n- {file: a.eml, faq: [], lang: xx}\n", []string{
			`labels.yaml:1:29: a.eml: no department "billing"`, `labels.yaml:2:32: a.eml: lang "xx"`}, 0},
		// before, any lang was taken and stored with the example
		{"unknown lang", "- {file: a.eml, lang: english, department: support}\n- {file: a.eml, lang: mixed, department: sales}\n", []string{
			`labels.yaml:1:23: a.eml: lang "english": want en, zh or mixed`}, 1},
		{"unknown department", "- {file: a.eml, department: billing}\n", []string{
			`labels.yaml:1:29: a.eml: no department "billing" (the departments are support, sales)`}, 0},
		{"unknown faq entry", "- {file: a.eml, faq: [no-such-entry]}\n", []string{
			`labels.yaml:1:23: a.eml: the FAQ has no entry "no-such-entry"`}, 0},
		{"missing mail", "- {file: gone.eml, department: support}\n- {file: a.eml, department: sales}\n", []string{
			"labels.yaml:1:10: open "}, 1},
		// Every problem of a label, each at its value (before: only the
		// first, at the label's first key).
		{"every problem of a label", "- file: a.eml\n  lang: fr\n  department: nosuch\n  faq: [order-tracking, no-such-faq]\n", []string{
			`labels.yaml:2:9: a.eml: lang "fr": want en, zh or mixed`,
			`labels.yaml:3:15: a.eml: no department "nosuch"`,
			`labels.yaml:4:25: a.eml: the FAQ has no entry "no-such-faq"`}, 0},
		// A label with a key or value of the wrong kind still has its
		// other values checked, and one label's problems hide none of
		// another's (before: 3 of these 6 were said).
		{"structural and semantic problems", "- file: a.eml\n  colour: blue\n  lang: fr\n- file: missing.eml\n  department: nosuch\n- file: a.eml\n  faq: kettle-not-heating\n  department: support\n- file: a.eml\n  faq: [no-such-faq]\n", []string{
			`labels.yaml:2:3: unknown key "colour"`,
			`labels.yaml:3:9: a.eml: lang "fr"`,
			`labels.yaml:4:9: open `,
			`labels.yaml:5:15: missing.eml: no department "nosuch"`,
			`labels.yaml:7:8: faq: want a list`,
			`labels.yaml:10:9: a.eml: the FAQ has no entry "no-such-faq"`}, 0},
		// A mail with no words is nothing to learn from (before: stored
		// with an empty text).
		{"empty mail", "- {file: empty.eml, department: support}\n- {file: a.eml, department: sales}\n", []string{
			"labels.yaml:1:10: empty.eml: no words to learn from"}, 1},
		{"binary mail", "- {file: bin.eml, department: support}\n", []string{
			"labels.yaml:1:10: bin.eml: no words to learn from"}, 0},
		{"syntax", "- file: [a.eml\n", []string{"labels.yaml:"}, 0},
	} {
		// each example's NoLink, for the cases about it
		noLink := map[string][]bool{"good": {false}, "no link": {true, false, false}, "no link, block style": {true},
			"no link alone": {true}, "faq null": {false, false}, "no link through an alias": {true, true}}[tc.name]
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, body := range map[string]string{"a.eml": mail, "empty.eml": "", "bin.eml": "\x00\x01\x02\xff\xfe\x00\x00\x10"} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join(dir, "labels.yaml")
			if err := os.WriteFile(path, []byte(tc.labels), 0o644); err != nil {
				t.Fatal(err)
			}
			exs, err := ReadLabels(path, faq.Demo(), []string{"support", "sales"}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
			if len(exs) != tc.good {
				t.Errorf("%d examples, want %d", len(exs), tc.good)
			}
			for i, want := range noLink {
				if i < len(exs) && exs[i].NoLink != want {
					t.Errorf("example %d: NoLink %v, want %v (%+v)", i+1, exs[i].NoLink, want, exs[i])
				}
			}
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var list adminfile.List
			if !errors.As(err, &list) {
				t.Fatalf("error %v (%T), want an adminfile.List", err, err)
			}
			got := strings.Split(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""), "\n")
			if len(got) != len(tc.want) {
				t.Fatalf("errors:\n%s\nwant %d line(s):\n%s", strings.Join(got, "\n"), len(tc.want), strings.Join(tc.want, "\n"))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("error %d:\n got %s\nwant %s", i+1, got[i], w)
				}
			}
		})
	}
}

// parseLabels never panics, and every problem it reports has a position
// inside the file.
func FuzzParseLabels(f *testing.F) {
	for _, s := range []string{
		"- {file: a.eml, lang: en, department: support, faq: [order-tracking]}\n",
		"- file: a.eml\n  departmnet: support\n",
		"file: a.eml\n",
		"- [1, 2]\n- ~\n- {file: {a: b}}\n",
		"- &a {file: a.eml, faq: *a}\n",
		"- {file: a.eml, faq: []}\n- {file: b.eml, department: support, faq: &e []}\n- {file: c.eml, faq: *e}\n",
		"- {file: a.eml, faq: ~}\n- {file: a.eml, faq: [], department: sales}\n",
		"- file: a.eml\n  lang: fr\n  department: nosuch\n  faq: [order-tracking, no-such-faq]\n",
		"- file: a.eml\n  colour: blue\n  lang: fr\n- file: missing.eml\n  department: nosuch\n- file: a.eml\n  faq: kettle-not-heating\n",
		"- &l {file: a.eml, lang: *l, faq: [*l]}\n- {department: *x}\n",
	} {
		f.Add([]byte(s))
	}
	cat := faq.Demo()
	f.Fuzz(func(t *testing.T, data []byte) {
		labels, errs := parseLabels("labels.yaml", data, cat, []string{"support"})
		lines := strings.Count(string(data), "\n") + strings.Count(string(data), "\r") + 1 // YAML breaks lines at a lone CR too
		for _, e := range errs.Errs {
			if e.File != "labels.yaml" || e.Line < 1 || e.Line > lines+1 || e.Col < 1 {
				t.Errorf("error out of the file (%d lines): %+v", lines, e)
			}
		}
		for _, l := range labels {
			if l.bad {
				continue
			}
			if l.File == "" || (l.Department == "" && len(l.FAQ) == 0 && !l.noLink) {
				t.Errorf("a label with nothing to learn passed: %+v", l.Label)
			}
			// no-link only for an explicit empty list, never with entries
			if l.noLink && (len(l.FAQ) > 0 || !explicitNoFAQ(l.node)) {
				t.Errorf("a no-link label with faq %v: %+v", l.FAQ, l.Label)
			}
		}
	})
}

// TestReadLabelsFilePaths: a label's file is relative to the labels file,
// or absolute. Before, an absolute path was joined under the labels
// file's directory and not found.
func TestReadLabelsFilePaths(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	mail := []byte("From: a@customer.test\r\nSubject: where is my order\r\n\r\nIt has not arrived.\r\n")
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	for _, p := range []string{filepath.Join(dir, "sub", "a.eml"), filepath.Join(other, "b.eml")} {
		if err := os.WriteFile(p, mail, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "labels.yaml")
	os.WriteFile(path, []byte("- {file: sub/a.eml, department: support}\n- {file: '"+filepath.Join(other, "b.eml")+"', department: sales}\n"), 0o644)
	exs, err := ReadLabels(path, faq.Demo(), []string{"support", "sales"}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || len(exs) != 2 {
		t.Fatalf("%d examples, %v", len(exs), err)
	}
}
