package rules

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/message"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte(base))
	f.Add(DemoSource)
	f.Add([]byte("departments: {a: {}}\ndefault_department: a\nrules: [{name: x, if: {subject: {matches: '(a'}}, then: {}}]\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("departments: &d {a: {addresses: [x]}, b: *d}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Parse("fuzz.yaml", data)
		if err != nil {
			if r != nil {
				t.Fatal("rules and error both returned")
			}
			if _, ok := err.(ErrorList); !ok {
				t.Fatalf("error of type %T", err)
			}
			for _, e := range err.(ErrorList) {
				if e.Line < 1 || e.Col < 1 {
					t.Fatalf("bad position %d:%d in %q", e.Line, e.Col, e.Msg)
				}
			}
			return
		}
		// A file that compiles must evaluate.
		m, _ := message.Parse([]byte("From: a@b.example\r\nTo: support@acme.example\r\nSubject: hi\r\n\r\nbody\r\n"))
		d := r.Evaluate(m, time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC))
		if _, ok := r.Department(d.Department); !ok {
			t.Fatalf("decision for unknown department %q", d.Department)
		}
	})
}

func FuzzEvaluate(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(evalDir(), "public", "*.eml"))
	for _, p := range files[:min(len(files), 10)] {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add(mkmail("a@b.example", "support+x@acme.example", gb2312Word("退款"), pdfPart))
	f.Add([]byte("Subject: =?GB2312?B?====?=\r\nContent-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n"))
	f.Add([]byte{})
	r := Demo()
	now := time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, _ := message.Parse(raw)
		if m == nil {
			t.Fatal("message.Parse returned nil")
		}
		m.Rcpt = []string{"help+x@acme.example"}
		d := r.Evaluate(m, now)
		if d.Department == "" || d.Priority == "" || d.Tags == nil {
			t.Fatalf("incomplete decision %+v", d)
		}
	})
}
