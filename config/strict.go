package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decodeStrict decodes n into v (a pointer to a struct), reporting unknown
// keys and type errors with the position of the offending node. yaml.v3's
// KnownFields gives lines but no columns and stops at type errors in some
// cases; walking the node tree gives both and finds every problem.
func decodeStrict(n *yaml.Node, v any, add func(*yaml.Node, string, ...any)) {
	decodeValue(n, reflect.ValueOf(v).Elem(), "", add)
}

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

func decodeValue(n *yaml.Node, v reflect.Value, path string, add func(*yaml.Node, string, ...any)) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Tag == "!!null" {
		return
	}
	if v.Kind() != reflect.Pointer && reflect.PointerTo(v.Type()).Implements(unmarshalerType) {
		if err := n.Decode(v.Addr().Interface()); err != nil {
			add(n, "%s: %s", path, cleanErr(err))
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			add(n, "%s: want a map of settings, got %s", nonEmpty(path), kindName(n))
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
				add(k, "%s: duplicate key", sub)
				continue
			}
			seen[k.Value] = true
			idx, ok := fields[k.Value]
			if !ok {
				add(k, "unknown key %q%s", sub, suggest(k.Value, fields))
				continue
			}
			decodeValue(val, v.Field(idx), sub, add)
		}
	case reflect.Pointer:
		nv := reflect.New(v.Type().Elem())
		decodeValue(n, nv.Elem(), path, add)
		v.Set(nv)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			add(n, "%s: want a list, got %s", path, kindName(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			decodeValue(c, s.Index(i), fmt.Sprintf("%s[%d]", path, i), add)
		}
		v.Set(s)
	default:
		if n.Kind != yaml.ScalarNode {
			add(n, "%s: want a single value, got %s", path, kindName(n))
			return
		}
		if err := n.Decode(v.Addr().Interface()); err != nil {
			add(n, "%s: %s", path, cleanErr(err))
		}
	}
}

func nonEmpty(p string) string {
	if p == "" {
		return "config"
	}
	return p
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	default:
		return fmt.Sprintf("%q", n.Value)
	}
}

func cleanErr(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	s = strings.TrimPrefix(s, "unmarshal errors:\n  ")
	if i := strings.Index(s, ": "); strings.HasPrefix(s, "line ") && i > 0 {
		s = s[i+2:]
	}
	return s
}

// suggest proposes the closest known key for a typo.
func suggest(k string, fields map[string]int) string {
	best, bestD := "", 3
	names := make([]string, 0, len(fields))
	for f := range fields {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		if d := editDistance(k, f); d < bestD {
			best, bestD = f, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}
