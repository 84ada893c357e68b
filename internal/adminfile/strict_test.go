package adminfile

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

type span time.Duration

func (s *span) UnmarshalYAML(n *yaml.Node) error {
	d, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("bad duration %q", n.Value)
	}
	*s = span(d)
	return nil
}

type settings struct {
	Hostname string   `yaml:"hostname"`
	Domains  []string `yaml:"domains"`
	SMTP     struct {
		Listen  string  `yaml:"listen"`
		MaxSize int     `yaml:"max_size"`
		TLS     bool    `yaml:"tls"`
		Port    uint16  `yaml:"port"`
		Share   float64 `yaml:"share"`
		Small   int8    `yaml:"small"`
	} `yaml:"smtp"`
	Timeout span      `yaml:"timeout"`
	Opt     *struct{} `yaml:"opt"`
	Skip    string    `yaml:"-"`
}

func TestDecodeStrict(t *testing.T) {
	for _, c := range []struct {
		name, src string
		want      string // the problems, one per line; "" for none
	}{
		{"good", "hostname: h\ndomains: [a, b]\nsmtp: {listen: ':25', max_size: 5}\ntimeout: 3s\nopt: {}\n", ""},
		{"unknown key, near one", "hostnme: x\n", `1:1: unknown key "hostnme" (did you mean "hostname"?)`},
		{"unknown key, swapped letters", "smpt: {}\n", `1:1: unknown key "smpt" (did you mean "smtp"?)`},
		{"unknown key, none near", "colour: red\n", `1:1: unknown key "colour"`},
		{"unknown nested key", "smtp:\n  max_sise: 5\n", `2:3: unknown key "smtp.max_sise" (did you mean "max_size"?)`},
		{"a tag of - is not a key", "Skip: x\n-: y\n", "1:1: unknown key \"Skip\"\n2:1: unknown key \"-\""},
		{"duplicate key", "hostname: a\nhostname: b\n", "2:1: hostname: duplicate key"},
		{"top level not a map", "- a\n", "1:1: cfg: want a map of settings, got a list"},
		{"section not a map", "smtp: 25\n", `1:7: smtp: want a map of settings, got "25"`},
		{"list wanted", "domains: a\n", `1:10: domains: want a list, got "a"`},
		{"single value wanted", "hostname: [a]\n", "1:11: hostname: want a single value, got a list"},
		// before: go-yaml's "cannot unmarshal !!str `lots` into int"
		{"wrong scalar", "smtp:\n  max_size: lots\n", `2:13: smtp.max_size: want a whole number, got "lots"`},
		{"wrong bool", "smtp: {tls: maybe}\n", `1:13: smtp.tls: want true or false, got "maybe"`},
		{"int out of range", "smtp: {small: 300}\n", `1:15: smtp.small: want a whole number in range, got "300"`},
		{"negative uint", "smtp: {port: -1}\n", `1:14: smtp.port: want a whole number, 0 or more, got "-1"`},
		{"wrong float", "smtp: {share: half}\n", `1:15: smtp.share: want a number, got "half"`},
		{"list element", "domains: [a, [b]]\n", "1:14: domains[1]: want a single value, got a list"},
		{"own unmarshaler", "timeout: soon\n", `1:10: timeout: bad duration "soon"`},
		{"every problem at once", "hostnme: x\nsmtp: 1\ndomains: b\n",
			"1:1: unknown key \"hostnme\" (did you mean \"hostname\"?)\n2:7: smtp: want a map of settings, got \"1\"\n3:10: domains: want a list, got \"b\""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(c.src), &doc); err != nil {
				t.Fatal(err)
			}
			var got []string
			var v settings
			DecodeStrict(doc.Content[0], &v, "cfg", func(n *yaml.Node, format string, a ...any) {
				got = append(got, fmt.Sprintf("%d:%d: ", n.Line, n.Column)+fmt.Sprintf(format, a...))
			})
			if g := strings.Join(got, "\n"); g != c.want {
				t.Errorf("got\n%s\nwant\n%s", g, c.want)
			}
		})
	}
}

func TestDecodeStrictFillsValues(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("hostname: h\nsmtp: {max_size: 7}\ntimeout: 2m\nopt: {}\n"), &doc); err != nil {
		t.Fatal(err)
	}
	var v settings
	DecodeStrict(doc.Content[0], &v, "cfg", func(n *yaml.Node, format string, a ...any) {
		t.Errorf("unexpected problem: "+format, a...)
	})
	if v.Hostname != "h" || v.SMTP.MaxSize != 7 || v.Timeout != span(2*time.Minute) || v.Opt == nil {
		t.Errorf("decoded %+v", v)
	}
}

func TestSuggest(t *testing.T) {
	known := []string{"from", "to", "subject", "body", "department", "departments"}
	syn := map[string]string{"sender": "from", "dept": "department", "cc": "nowhere"}
	for _, c := range []struct{ s, want string }{
		{"form", "from"},            // neighbours swapped: one edit
		{"subjet", "subject"},       // one deletion
		{"SUBJECT", "subject"},      // case is ignored
		{"sender", "from"},          // a synonym
		{"Dept", "department"},      // a synonym, any case
		{"cc", ""},                  // a synonym for a word the format lacks
		{"bdy", "body"},             // short word, one edit
		{"bd", ""},                  // short word, two edits: too far
		{"departmnt", "department"}, // the nearest of two near words
		{"departmentss", "departments"},
		{"xylophone", ""},
		{strings.Repeat("a", 65), ""}, // too long to be a typo
	} {
		if got := Suggest(c.s, known, syn); got != c.want {
			t.Errorf("Suggest(%q) = %q, want %q", c.s, got, c.want)
		}
	}
	if got := DidYouMean("form", known, nil); got != ` (did you mean "from"?)` {
		t.Errorf("DidYouMean = %q", got)
	}
	if got := DidYouMean("xylophone", known, nil); got != "" {
		t.Errorf("DidYouMean of nothing near = %q", got)
	}
}

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"abc", "abc", 0}, {"abc", "abd", 1},
		{"smpt", "smtp", 1}, {"ca", "abc", 3}, {"kitten", "sitting", 3},
		{"客服", "客户", 1}, {"部门", "门部", 1},
	} {
		if got := EditDistance(c.a, c.b); got != c.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := EditDistance(c.b, c.a); got != c.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", c.b, c.a, got, c.want)
		}
	}
}

func TestKindName(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("[{a: 1}, [1], ~, \"x\\\"y\"]"), &doc); err != nil {
		t.Fatal(err)
	}
	want := []string{"a map", "a list", "nothing", `"x\"y"`}
	for i, n := range doc.Content[0].Content {
		if got := KindName(n); got != want[i] {
			t.Errorf("KindName(item %d) = %s, want %s", i, got, want[i])
		}
	}
	if got := KindName(&yaml.Node{Kind: yaml.AliasNode}); got != "something else" {
		t.Errorf("KindName(alias) = %s", got)
	}
}

// FuzzDecodeStrict: any YAML an admin could write decodes without a
// panic, and every problem is placed on a line of the file.
func FuzzDecodeStrict(f *testing.F) {
	for _, s := range []string{"hostname: h\n", "smtp: {listen: x, max_size: [1]}\n", "a: &x [*x]\n", "timeout: 1h\nopt: ~\n", "domains: [a, {b: c}]\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc yaml.Node
		if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
			return
		}
		var v settings
		DecodeStrict(doc.Content[0], &v, "cfg", func(n *yaml.Node, format string, a ...any) {
			if n == nil || n.Line < 1 || n.Column < 1 {
				t.Errorf("problem %q at no place", fmt.Sprintf(format, a...))
			}
		})
	})
}
