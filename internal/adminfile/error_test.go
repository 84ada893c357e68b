package adminfile

import (
	"errors"
	"io/fs"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestErrorPrints(t *testing.T) {
	for _, c := range []struct {
		e    Error
		want string
	}{
		{Error{File: "f.yaml", Line: 3, Col: 7, Msg: "bad"}, "f.yaml:3:7: bad"},
		{Error{File: "f.yaml", Msg: "domains: at least one is needed"}, "f.yaml: domains: at least one is needed"},
		{Error{File: "客服.yaml", Line: 1, Col: 1, Msg: "空"}, "客服.yaml:1:1: 空"},
	} {
		if got := c.e.Error(); got != c.want {
			t.Errorf("Error() = %q, want %q", got, c.want)
		}
	}
	e := &Error{File: "a", Line: 1, Col: 1, Msg: "x", Err: fs.ErrNotExist}
	if !errors.Is(e, fs.ErrNotExist) {
		t.Error("Error does not unwrap to its cause")
	}
}

func TestListSortsStableAndPrintsOnePerLine(t *testing.T) {
	l := List{
		{File: "f", Line: 5, Col: 2, Msg: "e"},
		{File: "f", Line: 1, Col: 9, Msg: "b"},
		{File: "f", Line: 5, Col: 2, Msg: "f"}, // same place as "e": stays after it
		{File: "f", Line: 1, Col: 3, Msg: "a"},
		{File: "f", Msg: "whole file"},
	}
	l.Sort()
	want := "f: whole file\nf:1:3: a\nf:1:9: b\nf:5:2: e\nf:5:2: f"
	if got := l.Error(); got != want {
		t.Errorf("sorted list prints\n%s\nwant\n%s", got, want)
	}
	var back List
	if !errors.As(error(l), &back) || len(back) != 5 {
		t.Errorf("errors.As(List) = %v", back)
	}
}

func TestCollector(t *testing.T) {
	n := &yaml.Node{Line: 4, Column: 2}
	for _, c := range []struct {
		atStart bool
		want    string
	}{
		{false, "f.yaml: no node\nf.yaml:4:2: here"},
		{true, "f.yaml:1:1: no node\nf.yaml:4:2: here"},
	} {
		col := &Collector{File: "f.yaml", AtStart: c.atStart}
		if col.Err() != nil {
			t.Fatal("an empty collector reports an error")
		}
		col.At(n, "%s", "here")
		col.At(nil, "no %s", "node")
		err := col.Err()
		if err == nil || err.Error() != c.want {
			t.Errorf("AtStart=%v: %v, want\n%s", c.atStart, err, c.want)
		}
	}
}

func TestUnmarshal(t *testing.T) {
	doc, err := Unmarshal("r.yaml", []byte("a: 1\nb: [x\n"))
	if doc != nil || err == nil {
		t.Fatalf("Unmarshal of a broken file = %v, %v", doc, err)
	}
	if got, want := err.Error(), "r.yaml:2:4: sequence end token ']' not found"; got != want {
		t.Errorf("syntax error = %q, want %q", got, want)
	}
	if err.Err == nil {
		t.Error("the YAML parser's own error is lost")
	}
	doc, err = Unmarshal("r.yaml", []byte("a: 1\n"))
	if err != nil || doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		t.Fatalf("Unmarshal of a good file = %v, %v", doc, err)
	}
}
