package learn

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/internal/adminfile"
	"github.com/frontdesk-mail/frontdesk/message"
)

// Label is one entry of a labelled set's labels.yaml (the format of the
// evaluation sets): the .eml file beside it, its language, the department
// it belongs to, and the FAQ entries that answer it. `faq: []`, an
// explicit empty list, says that no entry answers it: the example is a
// no-link one (Example.NoLink). A missing or empty (null) faq says
// nothing of links.
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
// (not stored). Every problem of every label is reported as
// file:line:col at the offending value, as for every admin file
// (adminfile): a key the format does not have, a value of the wrong kind,
// a lang other than en, zh or mixed, a department not in depts (when
// given), an FAQ id the catalog cat does not have, a mail that cannot be
// read or has no words. The labels without problems are returned with
// the error.
func ReadLabels(path string, cat *faq.Catalog, depts []string, now time.Time) ([]Example, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	labels, errs := parseLabels(path, data, cat, depts)
	var out []Example
	dir := filepath.Dir(path)
	for i, l := range labels {
		if l.File == "" {
			continue
		}
		file := l.File
		if !filepath.IsAbs(file) { // relative to the labels file, as in the evaluation sets
			file = filepath.Join(dir, file)
		}
		at := valueNode(l.node, "file")
		raw, err := os.ReadFile(file)
		if err != nil {
			errs.At(at, "%v", err)
			continue
		}
		ex := FromMail(raw, now.Add(time.Duration(i)*time.Microsecond), SourceImport, l.Department, l.FAQ, path+":"+l.File)
		if p := noText(ex.Subject, ex.Text); p != "" {
			errs.At(at, "%s: %s", l.File, p)
			continue
		}
		if l.bad {
			continue
		}
		ex.NoLink = l.noLink
		if l.Lang != "" {
			ex.Lang = message.Language(l.Lang)
		}
		out = append(out, ex)
	}
	return out, errs.Err()
}

// placedLabel is a label and the node it was read from.
type placedLabel struct {
	Label
	node *yaml.Node
	// noLink: the label's faq is an explicit empty list.
	noLink bool
	// bad: the label has a problem (in the collector); its mail is
	// still checked, but it is not imported.
	bad bool
}

// valueNode is the value of key in the label node n (an alias followed),
// or n itself when n has no such key: where a problem with that value is
// reported.
func valueNode(n *yaml.Node, key string) *yaml.Node {
	m := unalias(n)
	if m == nil || m.Kind != yaml.MappingNode {
		return n
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if unalias(m.Content[i]).Value == key {
			if v := unalias(m.Content[i+1]); v != nil {
				return v
			}
			return m.Content[i+1]
		}
	}
	return n
}

// explicitNoFAQ reports whether the label node n has `faq: []`: an empty
// list, not a missing or null faq (an alias is followed).
func explicitNoFAQ(n *yaml.Node) bool {
	n = unalias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if unalias(n.Content[i]).Value == "faq" {
			v := unalias(n.Content[i+1])
			return v != nil && v.Kind == yaml.SequenceNode && len(v.Content) == 0
		}
	}
	return false
}

// unalias is the node an alias stands for (nil for a broken one).
func unalias(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

// parseLabels checks a labels.yaml: its labels (bad set on those with
// a problem) and a collector holding every problem of every label.
func parseLabels(path string, data []byte, cat *faq.Catalog, depts []string) ([]placedLabel, *adminfile.Collector) {
	errs := &adminfile.Collector{File: path, AtStart: true}
	doc, synErr := adminfile.Unmarshal(path, data)
	if synErr != nil {
		errs.Errs = append(errs.Errs, synErr)
		return nil, errs
	}
	if len(doc.Content) == 0 || (doc.Content[0].Kind == yaml.ScalarNode && doc.Content[0].Tag == "!!null") {
		return nil, errs
	}
	list := doc.Content[0]
	if list.Kind != yaml.SequenceNode {
		errs.At(list, "want a list of labels (file, lang, department, faq)")
		return nil, errs
	}
	var out []placedLabel
	for i, n := range list.Content {
		var l Label
		before := len(errs.Errs)
		adminfile.DecodeStrict(n, &l, fmt.Sprintf("label %d", i+1), errs.At)
		// A label with a key or value of the wrong kind is still checked
		// for the problems of its other values; but what it lacks may be
		// what did not decode, so "no file" and "nothing to learn" are
		// said only of a label that decoded.
		decoded := len(errs.Errs) == before
		noLink := len(l.FAQ) == 0 && explicitNoFAQ(n)
		name := l.File
		if name == "" {
			name = fmt.Sprintf("label %d", i+1)
			if decoded {
				errs.At(n, "label %d has no file", i+1)
			}
		}
		for _, p := range check(l.Department, l.FAQ, noLink, l.Lang, cat, depts) {
			at := n
			switch {
			case p.Field == "" && !decoded:
				continue
			case p.Field == "faq":
				if v := valueNode(n, "faq"); v.Kind == yaml.SequenceNode && p.Index < len(v.Content) {
					at = v.Content[p.Index]
				}
			case p.Field != "":
				at = valueNode(n, p.Field)
			}
			errs.At(at, "%s: %s", name, p.Msg)
		}
		out = append(out, placedLabel{l, n, noLink, len(errs.Errs) > before})
	}
	return out, errs
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
