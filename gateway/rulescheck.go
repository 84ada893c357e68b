package gateway

import (
	"errors"
	"fmt"
	"io"

	"github.com/frontdesk-mail/frontdesk/internal/adminfile"
	"github.com/frontdesk-mail/frontdesk/rules"
)

// RulesCheck is what `frontdesk rules check` reports of one rules file:
// its departments and rules when it compiles, else every problem.
type RulesCheck struct {
	File        string        `json:"file"`
	OK          bool          `json:"ok"`
	Departments int           `json:"departments"`
	Rules       int           `json:"rules"`
	Problems    []FileProblem `json:"problems,omitempty"`
}

// FileProblem is one problem of an admin file at a 1-based line and
// column; Line 0 is the file as a whole (one that cannot be read, say).
type FileProblem struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Message string `json:"message"`
}

// String is the problem as "file:line:col: message" ("file: message"
// for the file as a whole).
func (p FileProblem) String() string {
	return (&adminfile.Error{File: p.File, Line: p.Line, Col: p.Col, Msg: p.Message}).Error()
}

// CheckRules compiles the rules file at path as serve would load it.
func CheckRules(path string) RulesCheck {
	c := RulesCheck{File: path}
	r, err := rules.Load(path)
	if err == nil {
		c.OK, c.Departments, c.Rules = true, len(r.Departments()), r.Len()
		return c
	}
	var list rules.ErrorList
	if !errors.As(err, &list) {
		c.Problems = []FileProblem{{File: path, Message: err.Error()}}
		return c
	}
	for _, e := range list {
		c.Problems = append(c.Problems, FileProblem{File: e.File, Line: e.Line, Col: e.Col, Message: e.Msg})
	}
	return c
}

// WriteText prints the check as `rules check` does: "ok: …" on w (after
// the file's name when named), or each problem on one line of errw.
func (c RulesCheck) WriteText(w, errw io.Writer, named bool) {
	if !c.OK {
		for _, p := range c.Problems {
			fmt.Fprintln(errw, p)
		}
		return
	}
	if named {
		fmt.Fprintf(w, "%s: ", c.File)
	}
	fmt.Fprintf(w, "ok: %d departments, %d rules\n", c.Departments, c.Rules)
}
