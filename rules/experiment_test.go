package rules

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/message"
	"go.yaml.in/yaml/v3"
)

type deptMail struct {
	label
	m *message.Message
}

func loadDeptSet(t *testing.T, set string) []deptMail {
	dir := filepath.Join(evalDir(), set)
	data, err := os.ReadFile(filepath.Join(dir, "labels.yaml"))
	if err != nil {
		t.Skipf("evaluation data not found: %v", err)
	}
	var labels []label
	if err := yaml.Unmarshal(data, &labels); err != nil {
		t.Fatal(err)
	}
	var out []deptMail
	for _, l := range labels {
		raw, err := os.ReadFile(filepath.Join(dir, l.File))
		if err != nil {
			t.Fatal(err)
		}
		m, _ := message.Parse(raw)
		for _, a := range m.To {
			m.Rcpt = append(m.Rcpt, a.Address)
		}
		out = append(out, deptMail{l, m})
	}
	return out
}

func deptAcc(r *Rules, cls Classifier, ms []deptMail) float64 {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	good := 0
	for _, dm := range ms {
		if r.EvaluateWith(dm.m, now, cls).Department == dm.Department {
			good++
		}
	}
	return float64(good) / float64(max(1, len(ms)))
}

func TestExperimentAboutThreshold(t *testing.T) {
	if os.Getenv("FRONTDESK_EXPERIMENT") == "" {
		t.Skip("set FRONTDESK_EXPERIMENT=1")
	}
	pub := loadDeptSet(t, "public")
	var halves [2][]deptMail
	for i, m := range pub {
		halves[i%2] = append(halves[i%2], m)
	}
	var pubB []deptMail
	if os.Getenv("FRONTDESK_SHOW_HELDOUT") != "" {
		pubB = loadDeptSet(t, "public-b")
	}
	cat := faq.Demo()
	for _, th := range []string{"0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8"} {
		src := bytes.ReplaceAll(DemoSource, []byte("confidence: 0.5}"), []byte("confidence: "+th+"}"))
		r, err := Parse("demo.yaml", src)
		if err != nil {
			t.Fatal(err)
		}
		line := fmt.Sprintf("about ≥ %s: public %.3f halves %.3f %.3f", th, deptAcc(r, cat, pub), deptAcc(r, cat, halves[0]), deptAcc(r, cat, halves[1]))
		if pubB != nil {
			line += fmt.Sprintf(" | public-b %.3f", deptAcc(r, cat, pubB))
		}
		t.Log(line)
	}
}
