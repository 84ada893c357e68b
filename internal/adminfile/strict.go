package adminfile

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// DecodeStrict decodes n into v (a pointer to a struct, whose fields
// carry yaml tags), reporting unknown keys (with the nearest known one),
// duplicate keys and values of the wrong kind to add, at the offending
// node, with the dotted path of the key (what names the top level).
// yaml.v3's KnownFields gives lines but no columns and stops at type
// errors in some cases; walking the node tree gives both and finds every
// problem. Types that unmarshal themselves (yaml.Unmarshaler) check their
// own values; their errors are reported at their node.
func DecodeStrict(n *yaml.Node, v any, what string, add func(*yaml.Node, string, ...any)) {
	d := decoder{what: what, add: add}
	d.value(n, reflect.ValueOf(v).Elem(), "")
}

type decoder struct {
	what string
	add  func(*yaml.Node, string, ...any)
}

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

func (d decoder) value(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Tag == "!!null" {
		return
	}
	if v.Kind() != reflect.Pointer && reflect.PointerTo(v.Type()).Implements(unmarshalerType) {
		if err := n.Decode(v.Addr().Interface()); err != nil {
			d.add(n, "%s: %s", path, CleanErr(err))
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			d.add(n, "%s: want a map of settings, got %s", d.nonEmpty(path), KindName(n))
			return
		}
		fields := map[string]int{}
		for i := 0; i < v.NumField(); i++ {
			tag := strings.Split(v.Type().Field(i).Tag.Get("yaml"), ",")[0]
			if tag != "" && tag != "-" {
				fields[tag] = i
			}
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, val := n.Content[i], n.Content[i+1]
			sub := k.Value
			if path != "" {
				sub = path + "." + k.Value
			}
			if seen[k.Value] {
				d.add(k, "%s: duplicate key", sub)
				continue
			}
			seen[k.Value] = true
			idx, ok := fields[k.Value]
			if !ok {
				d.add(k, "unknown key %q%s", sub, DidYouMean(k.Value, slices.Sorted(maps.Keys(fields)), nil))
				continue
			}
			d.value(val, v.Field(idx), sub)
		}
	case reflect.Pointer:
		nv := reflect.New(v.Type().Elem())
		d.value(n, nv.Elem(), path)
		v.Set(nv)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.add(n, "%s: want a list, got %s", path, KindName(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			d.value(c, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	default:
		if n.Kind != yaml.ScalarNode {
			d.add(n, "%s: want a single value, got %s", path, KindName(n))
			return
		}
		if err := n.Decode(v.Addr().Interface()); err != nil {
			d.add(n, "%s: %s", path, scalarErr(v.Kind(), n, err))
		}
	}
}

// scalarErr says what a scalar of kind k wants, in the admin's words
// rather than go-yaml's ("cannot unmarshal !!str `maybe` into bool").
func scalarErr(k reflect.Kind, n *yaml.Node, err error) string {
	switch k {
	case reflect.Bool:
		return "want true or false, got " + KindName(n)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if _, perr := strconv.ParseInt(n.Value, 0, 64); perr != nil && !errors.Is(perr, strconv.ErrRange) {
			return "want a whole number, got " + KindName(n)
		}
		return "want a whole number in range, got " + KindName(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "want a whole number, 0 or more, got " + KindName(n)
	case reflect.Float32, reflect.Float64:
		return "want a number, got " + KindName(n)
	}
	return CleanErr(err)
}

func (d decoder) nonEmpty(p string) string {
	if p == "" {
		return d.what
	}
	return p
}

// KindName says what n is, for "want X, got Y" messages: a map, a list,
// nothing, or the quoted value.
func KindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return strconv.Quote(n.Value)
	}
	return "something else"
}

// CleanErr is a yaml.v3 decoding error without its "yaml: line N:"
// wrapping, since the Error it goes into carries the position.
func CleanErr(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = strings.TrimPrefix(s, "unmarshal errors:\n  ")
	if i := strings.Index(s, ": "); strings.HasPrefix(s, "line ") && i > 0 {
		s = s[i+2:]
	}
	return s
}

// DidYouMean is " (did you mean "w"?)" for the word w of known nearest to
// s (Suggest), or "" when none is near.
func DidYouMean(s string, known []string, synonyms map[string]string) string {
	if w := Suggest(s, known, synonyms); w != "" {
		return fmt.Sprintf(" (did you mean %q?)", w)
	}
	return ""
}

// Suggest returns the word of known an admin most likely meant by s, or
// "": the word synonyms maps s to (words admins reach for, lower case, to
// the format's own), if known has it; else the first of the nearest words
// within two edits (one for words of up to four letters, where two edits
// turn any word into a dozen others), ignoring case.
func Suggest(s string, known []string, synonyms map[string]string) string {
	low := strings.ToLower(s)
	if w, ok := synonyms[low]; ok && slices.Contains(known, w) {
		return w
	}
	best, bestD := "", 3
	if utf8.RuneCountInString(s) <= 4 {
		bestD = 2
	}
	for _, k := range known {
		if d := EditDistance(low, k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// EditDistance is the number of one-character insertions, deletions,
// substitutions and swaps of neighbours that turn a into b (the optimal
// string alignment distance): "smpt" is one edit from "smtp". Words longer
// than 64 characters are not keys anyone misspelt; they are 99 apart.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		return 99
	}
	// rows i-2, i-1 and i of the table
	pp, prev, cur := make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := prev[j-1]
			if ra[i-1] != rb[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				c = min(c, pp[j-2]+1)
			}
			cur[j] = c
		}
		pp, prev, cur = prev, cur, pp
	}
	return prev[len(rb)]
}
