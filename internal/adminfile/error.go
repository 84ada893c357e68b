// Package adminfile holds what every file an admin writes by hand (the
// config, the rules, the FAQ catalog, the acknowledgement templates) needs
// to report its mistakes the same way: one error type that prints
// "file:line:col: what is wrong", a list of them that prints one per line,
// the place of a YAML syntax error, and a strict walk of a YAML node tree
// that names unknown keys (with a "did you mean"), values of the wrong
// kind and duplicate keys at the node that has them.
//
// The wording of each message stays with the package that owns the
// format; this package owns only positions, order and printing.
package adminfile

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is one problem in an admin file, at a 1-based line and column
// (counted in characters). Line 0 means the problem is with the file as a
// whole (a required key that is missing altogether, say).
type Error struct {
	File      string
	Line, Col int
	Msg       string
	// Err is the underlying error (a YAML or template parser's own), or nil.
	Err error
}

func (e *Error) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// List is every problem found in one file. Its Error method prints one
// "file:line:col: message" line per problem, in the list's order.
type List []*Error

func (l List) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Sort orders the list by position, keeping the order problems were found
// in among those at the same place.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
}

// Collector gathers the problems of one file as a parser finds them.
type Collector struct {
	File string
	// Errs is what was found so far, in the order found.
	Errs List
	// AtStart places a problem reported without a node (or at a node with
	// no position) at 1:1; otherwise it is about the file as a whole.
	AtStart bool
}

// At records a problem at node n.
func (c *Collector) At(n *yaml.Node, format string, args ...any) {
	e := &Error{File: c.File, Msg: fmt.Sprintf(format, args...)}
	if n != nil && n.Line > 0 {
		e.Line, e.Col = n.Line, n.Column
	} else if c.AtStart {
		e.Line, e.Col = 1, 1
	}
	c.Errs = append(c.Errs, e)
}

// Err is the problems found, sorted by position, or nil when there are none.
func (c *Collector) Err() error {
	if len(c.Errs) == 0 {
		return nil
	}
	c.Errs.Sort()
	return c.Errs
}
