package adminfile

// Where a YAML syntax error is. The admin files are parsed with
// go.yaml.in/yaml/v3, whose nodes carry exact positions, but whose syntax
// errors do not: it names the line where the enclosing construct starts
// (and, for parser errors, the line before it), with no column, and a
// control character with no line at all. goccy/go-yaml's parser stops at
// the offending token and says where it is, so a file that go-yaml v3
// refuses is parsed again with it, to an AST only (no aliases are
// expanded), to find the place.

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	goccy "github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"
	"go.yaml.in/yaml/v3"
)

// Unmarshal parses data into a node tree. A syntax error comes back as an
// Error placed where the mistake is (Locate).
func Unmarshal(file string, data []byte) (*yaml.Node, *Error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, col, msg := Locate(data, err)
		return nil, &Error{File: file, Line: line, Col: col, Msg: msg, Err: err}
	}
	return &doc, nil
}

// v3Line reads go-yaml v3's "yaml: line N: message".
var v3Line = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// Locate returns the 1-based line and column of the syntax error in data
// that go-yaml v3 reported as err, and what is wrong there. When neither
// parser can place it, the position is go-yaml v3's line (1 if none) and
// column 1, with its message.
func Locate(data []byte, err error) (line, col int, msg string) {
	line, col, msg = 1, 1, strings.TrimPrefix(err.Error(), "yaml: ")
	if m := v3Line.FindStringSubmatch(err.Error()); m != nil {
		if m[1] != "" {
			line, _ = strconv.Atoi(m[1])
		}
		msg = m[2]
	}
	if l, c, bad, ok := controlChar(data); ok {
		if bad >= 0 {
			// Latin-1 or another encoding: "control characters" sent
			// the admin looking for an invisible character.
			return l, c, fmt.Sprintf("not UTF-8 (byte 0x%02x): save the file as UTF-8", bad)
		}
		return l, c, "control characters are not allowed"
	}
	if l, c, m, ok := goccyLocate(data); ok {
		return l, c, m
	}
	return line, col, msg
}

// goccyLocate parses data with goccy/go-yaml. A panic in it (it has never
// been seen to, under fuzzing) costs only the better position.
func goccyLocate(data []byte) (line, col int, msg string, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	_, err := parser.ParseBytes(data, 0)
	var se *goccy.SyntaxError
	if errors.As(err, &se) && se.Token != nil && se.Token.Position != nil && se.Token.Position.Line > 0 {
		return se.Token.Position.Line, max(se.Token.Position.Column, 1), se.Message, true
	}
	return 0, 0, "", false
}

// controlChar finds the first character YAML does not allow in a stream
// (C0 controls other than tab, LF and CR, DEL, C1 controls, and bytes
// that are not UTF-8), counting columns in characters. bad is the byte
// that is not UTF-8, or -1 for a control character.
func controlChar(data []byte) (line, col, bad int, ok bool) {
	line, col = 1, 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		switch {
		case r == '\n':
			line, col = line+1, 0
		case r == utf8.RuneError && n == 1:
			return line, col, int(data[i]), true
		case r < 0x20 && r != '\t' && r != '\r',
			r == 0x7f, r >= 0x80 && r <= 0x9f && r != 0x85:
			return line, col, -1, true
		}
		i += n
		col++
	}
	return 0, 0, 0, false
}
