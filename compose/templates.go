package compose

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"os"
	pathpkg "path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/frontdesk-mail/frontdesk/internal/adminfile"
	"github.com/frontdesk-mail/frontdesk/message"

	"github.com/frontdesk-mail/frontdesk/sla"
)

//go:embed templates/*.txt templates/*.html
var builtinFS embed.FS

// The built-in template names. An acknowledgement may use any name an
// admin adds (a rule's ack: action); the others are fixed.
const (
	Ack        = "ack"        // the acknowledgement of a new ticket
	AutoClose  = "autoclose"  // the customer's notice that a waiting ticket was closed
	Resolved   = "resolved"   // the customer's notice that a ticket was resolved (API)
	Warning    = "warning"    // to the escalation address before an SLA deadline
	Escalation = "escalation" // to the escalation address after a breach
)

// fallbackLang is used when no template exists in the customer's language:
// an English acknowledgement beats none.
const fallbackLang = message.English

// Templates is a loaded, immutable set of templates, safe for concurrent
// use; a reload builds a new one and swaps it in.
//
// Lookup order for template name N, department D and language L — the first
// level that has N's text file wins, and the HTML part comes from that same
// level (so an admin's own wording is never paired with a built-in HTML
// part); a level without .html gives a text-only acknowledgement:
//
//  1. templates_dir/N.D.L.txt (+ N.D.L.html)   per department
//  2. templates_dir/N.L.txt   (+ N.L.html)     all departments
//  3. built-in N.L.txt (+ N.L.html)            (L = en or zh)
//  4. steps 1–3 again with L = en
type Templates struct {
	dir  map[key]*set // from templates_dir
	base map[key]*set // built in
}

type key struct{ name, dept, lang string }

type set struct {
	text     *texttemplate.Template
	html     *htmltemplate.Template // nil: text only
	textFile string                 // for errors and Source
	htmlFile string
	textSrc  string // for error columns
	htmlSrc  string
}

// Load parses the built-in templates and those in dir ("" for built-ins
// only), and renders each once with sample data, so that a template that
// cannot parse or execute is an error now — file:line:col: message — and
// never a broken mail later.
//
// A broken file in dir does not take the others down with it: Load returns
// the set without it (its name then falls through to the next level of the
// lookup, in the end the built-in) together with the error, so a caller
// that must start anyway has working templates and the admin the message.
// A dir that is missing or not a directory returns nil.
func Load(dir string) (*Templates, error) {
	t := &Templates{dir: map[key]*set{}, base: map[key]*set{}}
	if err := t.loadFS(builtinFS, "templates", "built-in:", t.base); err != nil {
		return nil, fmt.Errorf("built-in templates: %w", err)
	}
	if dir != "" {
		// Said here, with the setting's name: os.DirFS would report a
		// missing directory as "open .".
		if fi, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("templates_dir: %w", err)
		} else if !fi.IsDir() {
			return nil, fmt.Errorf("templates_dir: %s is not a directory", dir)
		}
		if err := t.loadFS(os.DirFS(dir), ".", dir+string(filepath.Separator), t.dir); err != nil {
			return t, err
		}
	}
	return t, nil
}

// loadFS reads root in fsys into into; prefix is what errors call the
// directory. A set with any error is left out of into.
func (t *Templates) loadFS(fsys fs.FS, root, prefix string, into map[key]*set) error {
	entries, err := fs.ReadDir(fsys, root)
	if err != nil {
		return fmt.Errorf("read templates: %w", err)
	}
	var errs []error
	broken := map[key]bool{}
	htmls := map[key]string{}
	for _, e := range entries {
		fname := e.Name()
		ext := filepath.Ext(fname)
		if e.IsDir() || (ext != ".txt" && ext != ".html") || strings.HasPrefix(fname, ".") {
			continue
		}
		path := prefix + fname
		k, err := parseName(strings.TrimSuffix(fname, ext))
		if err == nil && k.lang != string(message.English) && k.lang != string(message.Chinese) {
			err = fmt.Errorf("language %q is not en or zh", k.lang)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:1:1: %w", path, err))
			continue
		}
		data, err := readTemplate(fsys, pathpkg.Join(root, fname), path)
		if err != nil {
			errs = append(errs, err)
			broken[k] = true
			continue
		}
		if ext == ".html" {
			htmls[k] = fname
			continue
		}
		tt, err := texttemplate.New(fname).Option("missingkey=error").Parse(string(data))
		if err != nil {
			errs = append(errs, parsePosition(path, string(data), err, func(src string) error {
				_, err := texttemplate.New(fname).Option("missingkey=error").Parse(src)
				return err
			}))
			broken[k] = true
			continue
		}
		into[k] = &set{text: tt, textFile: path, textSrc: string(data)}
	}
	names := make([]key, 0, len(htmls))
	for k := range htmls {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool { return htmls[names[i]] < htmls[names[j]] })
	for _, k := range names {
		fname := htmls[k]
		path := prefix + fname
		s, ok := into[k]
		if !ok {
			if !broken[k] {
				errs = append(errs, fmt.Errorf("%s:1:1: HTML template without its text template %s", path, strings.TrimSuffix(fname, ".html")+".txt"))
			}
			continue
		}
		data, err := readTemplate(fsys, pathpkg.Join(root, fname), path)
		if err != nil {
			errs = append(errs, err)
			broken[k] = true
			continue
		}
		ht, err := htmltemplate.New(fname).Option("missingkey=error").Parse(string(data))
		if err != nil {
			errs = append(errs, parsePosition(path, string(data), err, func(src string) error {
				_, err := htmltemplate.New(fname).Option("missingkey=error").Parse(src)
				return err
			}))
			broken[k] = true
			continue
		}
		s.html, s.htmlFile, s.htmlSrc = ht, path, string(data)
	}
	for k, s := range into {
		if e := s.trial(k.lang); len(e) > 0 {
			errs = append(errs, e...)
			broken[k] = true
		}
	}
	// Half a set is worse than none: an admin's HTML beside the built-in
	// text, or their text with a broken HTML, would mix two wordings.
	for k := range broken {
		delete(into, k)
	}
	sortErrors(errs)
	return errors.Join(errs...)
}

// readTemplate reads a template file, named path in errors, without a
// leading byte-order mark (Windows editors write one, and it would stand
// before a first line "Subject: …"); bytes that are not UTF-8 are an
// error at their position, since the mail says UTF-8.
func readTemplate(fsys fs.FS, name, path string) (string, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return "", fmt.Errorf("%s: read template: %w", path, err)
	}
	src := strings.TrimPrefix(string(data), "\ufeff")
	if !utf8.ValidString(src) {
		i := 0
		for i < len(src) {
			r, size := utf8.DecodeRuneInString(src[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		before := src[:i]
		line := strings.Count(before, "\n") + 1
		col := utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
		return "", fmt.Errorf("%s:%d:%d: not UTF-8 (byte 0x%02x): save the file as UTF-8", path, line, col, src[i])
	}
	return src, nil
}

// parseName splits "ack.zh" or "ack.support.zh" into its key.
func parseName(base string) (key, error) {
	parts := strings.Split(base, ".")
	for _, p := range parts {
		if !validPart.MatchString(p) {
			return key{}, fmt.Errorf("template file name %q is not <name>.<lang> or <name>.<department>.<lang> (letters, digits, - and _)", base)
		}
	}
	switch len(parts) {
	case 2:
		return key{name: parts[0], lang: strings.ToLower(parts[1])}, nil
	case 3:
		return key{name: parts[0], dept: parts[1], lang: strings.ToLower(parts[2])}, nil
	}
	return key{}, fmt.Errorf("template file name %q is not <name>.<lang> or <name>.<department>.<lang>", base)
}

var validPart = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// trial renders s with sample data shaped like real data — with and
// without FAQ links, deadline and status link, with and without a name —
// so execution errors (a misspelt field, index out of range) surface at
// load time. Every template gets the same Data, whatever its name, since
// an admin may name an acknowledgement template anything.
func (s *set) trial(lang string) []error {
	l := message.Language(lang)
	due := time.Date(2026, 11, 24, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	greet, fallback := "Dear Li Wei,", "Dear customer,"
	if l == message.Chinese {
		greet, fallback = "Li Wei，您好！", "您好！"
	}
	full := Data{
		TicketTag: "SUP-1042", DepartmentName: "Customer Support", CustomerName: "Li Wei",
		Greeting: greet, Subject: "My order has not arrived",
		FirstResponseDue: "Tuesday 24 November, 10:00 (China Standard Time)", FirstResponseDueAt: due,
		FAQ: []Link{
			{Title: "Where is my order?", URL: "https://help.example/faq/shipping"},
			{Title: "Returns and refunds", URL: "https://help.example/faq/refunds"},
			{Title: "Warranty", URL: "https://help.example/faq/warranty"},
		},
		StatusURL: "https://help.example/t/token", Lang: l,
		RateGoodURL: "https://help.example/t/token?rate=good", RateBadURL: "https://help.example/t/token?rate=bad",
		Department: "support", Customer: "li.wei@example.cn", Deadline: sla.FirstResponse.Name(lang), DeadlineKind: string(sla.FirstResponse),
		Due: "Tuesday 24 November, 10:00 (China Standard Time)", DueAt: due, Priority: "high", Status: "open",
	}
	// An SLA mail always has its deadline; only an acknowledgement goes
	// without a promised time.
	bare := Data{TicketTag: "SUP-1", DepartmentName: "Support", CustomerName: "customer", Greeting: fallback, Lang: l,
		Department: "support", Customer: "x@example.com", Deadline: sla.Resolution.Name(lang), DeadlineKind: string(sla.Resolution),
		Due: "Monday 23 November, 09:00 (UTC)", DueAt: due.UTC(), Priority: "normal", Status: "open"}
	var errs []error
	for _, d := range []Data{full, bare} {
		if _, err := s.renderText(d); err != nil {
			errs = append(errs, err)
		}
		if _, err := s.renderHTML(d); err != nil {
			errs = append(errs, err)
		}
		if len(errs) > 0 {
			break // the second sample mostly repeats the first one's errors
		}
	}
	return errs
}

func (s *set) renderText(d Data) ([]byte, error) {
	var b bytes.Buffer
	if err := s.text.Execute(&b, d); err != nil {
		return nil, position(s.textFile, s.textSrc, err)
	}
	out := tidyText(b.Bytes())
	if len(bytes.TrimSpace(out)) == 0 {
		return nil, fmt.Errorf("%s:1:1: renders to nothing", s.textFile)
	}
	if first, rest, _ := bytes.Cut(out, []byte("\r\n")); bytes.HasPrefix(first, []byte(subjectPrefix)) && len(bytes.TrimSpace(rest)) == 0 {
		return nil, fmt.Errorf("%s:1:1: renders to a subject and nothing else", s.textFile)
	}
	return out, nil
}

func (s *set) renderHTML(d Data) ([]byte, error) {
	if s.html == nil {
		return nil, nil
	}
	var b bytes.Buffer
	if err := s.html.Execute(&b, d); err != nil {
		return nil, position(s.htmlFile, s.htmlSrc, err)
	}
	if len(bytes.TrimSpace(b.Bytes())) == 0 {
		return nil, fmt.Errorf("%s:1:1: renders to nothing", s.htmlFile)
	}
	return toCRLF(b.Bytes()), nil
}

// tmplErr matches text/template and html/template errors:
//
//	template: ack.en.txt:3: function "foo" not defined
//	template: ack.en.txt:2:4: executing "ack.en.txt" at <.B>: can't evaluate field B in type ack.Data
//	html/template:ack.en.html:2:13: {{if}} branches end in different contexts
var tmplErr = regexp.MustCompile(`(?s)^(?:html/)?template: ?[^:]*:(\d+)(?::(\d+))?: (?:executing "[^"]*" )?(.*)$`)

// position rewrites a template error as path:line:col: message, the form
// every other Frontdesk file error takes; col is 1 when the parser does not
// say.
//
// The template packages count columns as 0-based byte offsets; ours are
// 1-based characters, as an editor shows them, which matters for Chinese
// templates — hence src, the template text.
func position(path, src string, err error) error {
	m := tmplErr.FindStringSubmatch(err.Error())
	if m == nil {
		return &PosError{File: path, Line: 1, Col: 1, Msg: err.Error(), Err: err}
	}
	line, col := atoi(m[1]), 1
	if m[2] != "" {
		col = charColumn(src, line, atoi(m[2]))
	}
	return &PosError{File: path, Line: line, Col: col, Msg: m[3], Err: err}
}

// parsePosition is position for an error parse (the parser that failed
// on src) gave. A parse error names its line and not its column, so the
// column is found by parsing src cut after each character of that line:
// the first cut that fails the same way ends at the character where the
// parser stopped ('}' in "Hello {{.Name}"), or at the end of the word it
// refused ("shout" in "{{shout .X}}"), whose first character is the
// column. Column 1 when no cut does (an error found only at the end).
func parsePosition(path, src string, err error, parse func(string) error) error {
	pe := position(path, src, err)
	m := tmplErr.FindStringSubmatch(err.Error())
	var p *PosError
	if m == nil || m[2] != "" || !errors.As(pe, &p) {
		return pe
	}
	start := 0
	for l := 1; l < p.Line; l++ {
		i := strings.IndexByte(src[start:], '\n')
		if i < 0 {
			return pe
		}
		start += i + 1
	}
	line := src[start:]
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	const maxLine = 4096 // bytes of one line tried; a template line is far shorter
	col, word := 0, 0    // characters so far; where the current word began
	for i := 0; i < len(line) && i < maxLine; {
		r, size := utf8.DecodeRuneInString(line[i:])
		i += size
		col++
		if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			if word == 0 {
				word = col
			}
		} else {
			word = 0
		}
		if e := parse(src[:start+i]); e != nil && e.Error() == err.Error() {
			if word > 0 {
				col = word
			}
			p.Col = col
			break
		}
	}
	return pe
}

// charColumn turns a 0-based byte offset within line (1-based) of src into
// a 1-based character column.
func charColumn(src string, line, byteOff int) int {
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) {
		return byteOff + 1
	}
	l := lines[line-1]
	if byteOff > len(l) {
		byteOff = len(l)
	}
	return utf8.RuneCountInString(l[:byteOff]) + 1
}

// PosError is a template error at a position in a file, the error every
// admin file reports; Err is the template package's own error.
type PosError = adminfile.Error

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func sortErrors(errs []error) {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
}

// lookup finds the set for a template name, department and language in
// the documented order.
func (t *Templates) lookup(name, dept, lang string) (*set, string) {
	for _, l := range []string{lang, string(fallbackLang)} {
		if dept != "" {
			if s := t.dir[key{name, dept, l}]; s != nil {
				return s, l
			}
		}
		if s := t.dir[key{name, "", l}]; s != nil {
			return s, l
		}
		if s := t.base[key{name, "", l}]; s != nil {
			return s, l
		}
	}
	return nil, ""
}

// Has reports whether template name exists in some language, for
// validating the rules' ack actions.
func (t *Templates) Has(name string) bool {
	for _, m := range []map[key]*set{t.dir, t.base} {
		for k := range m {
			if k.name == name {
				return true
			}
		}
	}
	return false
}

// Source names the files an acknowledgement for (name, dept, lang) would
// use — what an admin asks when a mail does not look as expected.
func (t *Templates) Source(name, dept, lang string) (textFile, htmlFile string) {
	if s, _ := t.lookup(name, dept, lang); s != nil {
		return s.textFile, s.htmlFile
	}
	return "", ""
}

// tidyText lets templates be written for readability: trailing spaces go,
// runs of blank lines become one, and lines end in CRLF as mail requires.
func tidyText(b []byte) []byte {
	lines := strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n")
	var out []string
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			blank++
			if blank > 1 || len(out) == 0 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	// strings.Join(out, "\r\n") + "\r\n", made in one copy.
	n := 2
	for _, l := range out {
		n += len(l) + 2
	}
	text := make([]byte, 0, n)
	for i, l := range out {
		if i > 0 {
			text = append(text, "\r\n"...)
		}
		text = append(text, l...)
	}
	return append(text, "\r\n"...)
}

// toCRLF ends each line of b with CRLF: a CR goes before each LF that
// has none. It makes one copy of b (rendered parts are mail-sized, and
// this ran for every acknowledgement), or none when b has no bare LF.
func toCRLF(b []byte) []byte {
	bare := bytes.Count(b, []byte("\n")) - bytes.Count(b, []byte("\r\n"))
	if bare == 0 {
		return b
	}
	out := make([]byte, 0, len(b)+bare)
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return append(out, b...)
		}
		out = append(out, b[:i]...)
		if i == 0 || b[i-1] != '\r' {
			out = append(out, '\r')
		}
		out = append(out, '\n')
		b = b[i+1:]
	}
}
