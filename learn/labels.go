package learn

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/message"
)

// Label is one entry of a labelled set's labels.yaml (the format of the
// evaluation sets): the .eml file beside it, its language, the department
// it belongs to, and the FAQ entries that answer it.
type Label struct {
	File       string   `yaml:"file"`
	Lang       string   `yaml:"lang"`
	Department string   `yaml:"department"`
	FAQ        []string `yaml:"faq"`
	Note       string   `yaml:"note"`
}

// FromMail makes an example of a customer's mail: its subject and fresh
// text (quotes and signature cut, as the ranking reads it).
func FromMail(raw []byte, at time.Time, src Source, dept string, entries []string, by string) Example {
	m, _ := message.Parse(raw) // never nil: a mail that does not parse still has its text
	return Example{At: at, Source: src, Department: dept, Entries: entries, Customer: strings.ToLower(m.From.Address),
		Lang: m.Lang(), Subject: m.Subject, Text: cut(m.Fresh(), maxText), By: by}
}

// ReadLabels reads a labels.yaml and the mails beside it into examples
// (not stored). Each problem is reported as file:line:col; an FAQ id the
// catalog cat does not have, or a department not in depts (when given),
// is one.
func ReadLabels(path string, cat *faq.Catalog, depts []string, now time.Time) ([]Example, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	list := doc.Content[0]
	if list.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d:%d: want a list of labels (file, lang, department, faq)", path, list.Line, list.Column)
	}
	var out []Example
	var errs []string
	dir := filepath.Dir(path)
	for i, n := range list.Content {
		var l Label
		if err := n.Decode(&l); err != nil {
			errs = append(errs, fmt.Sprintf("%s:%d:%d: %v", path, n.Line, n.Column, err))
			continue
		}
		bad := func(format string, a ...any) {
			errs = append(errs, fmt.Sprintf("%s:%d:%d: %s", path, n.Line, n.Column, fmt.Sprintf(format, a...)))
		}
		if l.File == "" {
			bad("label %d has no file", i+1)
			continue
		}
		if l.Department == "" && len(l.FAQ) == 0 {
			bad("%s: neither a department nor FAQ entries: nothing to learn", l.File)
			continue
		}
		if len(depts) > 0 && l.Department != "" && !contains(depts, l.Department) {
			bad("%s: no department %q (the departments are %s)", l.File, l.Department, strings.Join(depts, ", "))
			continue
		}
		ok := true
		for _, id := range l.FAQ {
			if _, found := cat.Entry(id); !found {
				bad("%s: the FAQ has no entry %q", l.File, id)
				ok = false
			}
		}
		if !ok {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(dir, l.File))
		if err != nil {
			bad("%v", err)
			continue
		}
		ex := FromMail(raw, now.Add(time.Duration(i)*time.Microsecond), SourceImport, l.Department, l.FAQ, path+":"+l.File)
		if l.Lang != "" {
			ex.Lang = message.Language(l.Lang)
		}
		out = append(out, ex)
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return out, nil
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
