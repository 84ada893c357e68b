package compose

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	texttemplate "text/template"
	"unicode/utf8"
)

func writeTemplates(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBuiltinsLoad(t *testing.T) {
	tm := builtins(t)
	for _, lang := range []string{"en", "zh"} {
		txt, html := tm.Source(Ack, "support", lang)
		if txt != "built-in:ack."+lang+".txt" || html != "built-in:ack."+lang+".html" {
			t.Errorf("%s: sources %q %q", lang, txt, html)
		}
	}
	if !tm.Has("ack") || tm.Has("nope") {
		t.Error("Has")
	}
}

func TestBrokenTemplates(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string // the error, with the directory cut off
	}{
		{"parse error with line", map[string]string{"ack.en.txt": "Hello\n\n{{.TicketTag}\n"},
			"ack.en.txt:3:13: bad character U+007D '}'"},
		// Audit item 10: parse errors were all at column 1.
		{"parse error column", map[string]string{"ack.en.txt": "Hello {{.CustomerName}\n"},
			"ack.en.txt:1:22: bad character U+007D '}'"},
		{"parse error column counts characters", map[string]string{"ack.zh.txt": "您好\n工单 {{.TicketTag}\n"},
			"ack.zh.txt:2:16: bad character U+007D '}'"},
		{"unknown function", map[string]string{"ack.en.txt": "a\n{{shout .TicketTag}}\n"},
			`ack.en.txt:2:3: function "shout" not defined`},
		{"unclosed action", map[string]string{"ack.zh.txt": "a\n{{if .FAQ}}\nb\n"},
			"ack.zh.txt:4:1: unexpected EOF"},
		{"unknown field at execution", map[string]string{"ack.support.en.txt": "Hi\n  {{.Ticket}}\n"},
			"ack.support.en.txt:2:5: at <.Ticket>: can't evaluate field Ticket in type compose.Data"},
		{"index out of range only without FAQ", map[string]string{"ack.en.txt": "{{(index .FAQ 0).Title}}\n"},
			"ack.en.txt:1:4: at <index .FAQ 0>: error calling index: reflect: slice index out of range"},
		{"html parse error", map[string]string{"ack.en.txt": "ok\n", "ack.en.html": "<p>\n\n{{.TicketTag</p>\n"},
			"ack.en.html:3:13: bad character U+003C '<'"},
		{"html escaping error at first render", map[string]string{"ack.en.txt": "ok\n", "ack.en.html": "<p>\n<script>{{if .FAQ}}</script>{{end}}\n"},
			"ack.en.html:2:14: {{if}} branches end in different contexts"},
		{"html without text", map[string]string{"ack.en.html": "<p>x</p>"},
			"ack.en.html:1:1: HTML template without its text template ack.en.txt"},
		{"column counts characters at execution", map[string]string{"ack.zh.txt": "您好\n工单 {{.Ticket}}\n"},
			"ack.zh.txt:2:6: at <.Ticket>"},
		{"bad file name", map[string]string{"ack.txt": "x"},
			`ack.txt:1:1: template file name "ack" is not <name>.<lang> or <name>.<department>.<lang>`},
		{"empty output", map[string]string{"ack.en.txt": "{{if false}}x{{end}}  \n\n"},
			"ack.en.txt:1:1: renders to nothing"},
		// A file saved in Latin-1 or UTF-16 by an editor: its bytes went
		// out as they were in a mail labelled UTF-8.
		{"not UTF-8", map[string]string{"ack.en.txt": "Hello\nab\xffc\n"},
			"ack.en.txt:2:3: not UTF-8 (byte 0xff): save the file as UTF-8"},
		{"html not UTF-8", map[string]string{"ack.en.txt": "ok\n", "ack.en.html": "<p>\xe9</p>"},
			"ack.en.html:1:4: not UTF-8 (byte 0xe9)"},
		// ack.fr.txt was never used, and nothing said so.
		{"unknown language", map[string]string{"ack.fr.txt": "Bonjour\n"},
			`ack.fr.txt:1:1: language "fr" is not en or zh`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeTemplates(t, tc.files)
			tm, err := Load(dir)
			if err == nil {
				t.Fatalf("loaded: %v", tm)
			}
			got := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
			if !strings.HasPrefix(got, tc.want) {
				t.Errorf("error\n  %s\nwant prefix\n  %s", got, tc.want)
			}
			if !strings.HasPrefix(err.Error(), dir) {
				t.Errorf("error %q does not name the file by its path", err)
			}
		})
	}
	// Several broken files: every one is reported, in file order.
	dir := writeTemplates(t, map[string]string{"a.en.txt": "{{", "b.en.txt": "{{.X}}"})
	_, err := Load(dir)
	var pe *PosError
	if err == nil || !errors.As(err, &pe) || strings.Count(err.Error(), "\n") != 1 || !strings.Contains(err.Error(), "a.en.txt:1:2: unclosed action") {
		t.Errorf("two broken files: %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("a missing templates_dir loaded")
	}
}

// A byte-order mark (Windows editors write one) is not part of the
// template: before, it stayed in front of "Subject: …", so the first line
// was no longer the subject and the mail's body began with it.
func TestTemplateByteOrderMark(t *testing.T) {
	dir := writeTemplates(t, map[string]string{"warning.en.txt": "\ufeffSubject: Due {{.TicketTag}}\n\nBody\n",
		"ack.en.txt": "\ufeffHello\n", "ack.en.html": "\ufeff<p>Hello</p>"})
	tm, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for k, s := range tm.dir {
		if strings.HasPrefix(s.textSrc, "\ufeff") || strings.HasPrefix(s.htmlSrc, "\ufeff") {
			t.Errorf("%v kept the byte-order mark", k)
		}
	}
	if len(tm.dir) != 2 {
		t.Errorf("loaded %d sets, want 2", len(tm.dir))
	}
}

// A file that cannot be read (a dangling symlink) is named by its path.
func TestUnreadableTemplateNamed(t *testing.T) {
	dir := writeTemplates(t, map[string]string{"ack.en.txt": "Hello\n"})
	link := filepath.Join(dir, "warning.en.txt")
	if err := os.Symlink(filepath.Join(dir, "nowhere"), link); err != nil {
		t.Fatal(err)
	}
	_, err := Load(dir)
	if err == nil || !strings.HasPrefix(err.Error(), link+": ") {
		t.Errorf("err = %v, want it to start with %s", err, link)
	}
}

func TestTidyText(t *testing.T) {
	got := string(tidyText([]byte("\n\nHello  \n\n\n\nWorld\t\n\n")))
	if got != "Hello\r\n\r\nWorld\r\n" {
		t.Errorf("tidyText = %q", got)
	}
}

// A templates_dir that is missing or not a directory is named with the
// setting, not reported as "open .".
func TestLoadNamesAMissingTemplatesDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "ack.en.txt")
	os.WriteFile(file, []byte("hello"), 0o644)
	for _, c := range []struct{ dir, want string }{
		{filepath.Join(t.TempDir(), "nope"), "templates_dir: stat "},
		{file, "templates_dir: " + file + " is not a directory"},
	} {
		_, err := Load(c.dir)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) || !strings.Contains(err.Error(), c.dir) {
			t.Errorf("Load(%s): %v, want %q… naming the directory", c.dir, err, c.want)
		}
	}
}

func builtins(t testing.TB) *Templates {
	t.Helper()
	tm, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// FuzzParsePosition: whatever the template, a parse error's place is on
// its line, within it (or just past its end).
func FuzzParsePosition(f *testing.F) {
	for _, s := range []string{"Hello {{.CustomerName}\n", "a\n{{shout .X}}\n", "{{", "您好 {{.X}\n", "{{if .X}}\nb\n", "{{\"\\z\"}}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		parse := func(s string) error { _, err := texttemplate.New("t").Parse(s); return err }
		err := parse(src)
		if err == nil {
			return
		}
		var pe *PosError
		if !errors.As(parsePosition("t", src, err, parse), &pe) {
			t.Fatalf("not a PosError: %v", err)
		}
		lines := strings.Split(src, "\n")
		if pe.Line < 1 || pe.Col < 1 || (pe.Line <= len(lines) && pe.Col > utf8.RuneCountInString(lines[pe.Line-1])+1) {
			t.Errorf("%q: %v at %d:%d", src, err, pe.Line, pe.Col)
		}
	})
}
