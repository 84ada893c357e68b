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
// (not stored). Each problem is reported as file:line:col, as for every
// admin file (adminfile): a key the format does not have, a value of the
// wrong kind, an FAQ id the catalog cat does not have, or a department not
// in depts (when given). The labels without problems are returned with
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
		file := l.File
		if !filepath.IsAbs(file) { // relative to the labels file, as in the evaluation sets
			file = filepath.Join(dir, file)
		}
		raw, err := os.ReadFile(file)
		if err != nil {
			errs.At(l.node, "%v", err)
			continue
		}
		ex := FromMail(raw, now.Add(time.Duration(i)*time.Microsecond), SourceImport, l.Department, l.FAQ, path+":"+l.File)
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

// parseLabels checks a labels.yaml: the labels that are good, and a
// collector holding the problems of the others.
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
		if len(errs.Errs) > before {
			continue
		}
		bad := func(format string, a ...any) { errs.At(n, format, a...) }
		noLink := len(l.FAQ) == 0 && explicitNoFAQ(n)
		switch {
		case l.File == "":
			bad("label %d has no file", i+1)
			continue
		case l.Department == "" && len(l.FAQ) == 0 && !noLink:
			bad("%s: neither a department nor faq (entries, or [] for none): nothing to learn", l.File)
			continue
		case l.Lang != "" && message.Language(l.Lang) != message.English && message.Language(l.Lang) != message.Chinese && l.Lang != "mixed":
			// the evaluation sets' languages; zh covers Traditional
			bad("%s: lang %q: want en, zh or mixed", l.File, l.Lang)
			continue
		case len(depts) > 0 && l.Department != "" && !contains(depts, l.Department):
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
		if ok {
			out = append(out, placedLabel{l, n, noLink})
		}
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
