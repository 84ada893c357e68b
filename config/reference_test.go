package config

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// schemaKeys returns the dotted YAML keys of t's fields, nested structs
// (and pointers to them) walked, Duration and other leaves not.
func schemaKeys(t reflect.Type, prefix string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name := strings.Split(f.Tag.Get("yaml"), ",")[0]
		if name == "" || name == "-" {
			continue
		}
		key := prefix + name
		out = append(out, key)
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft != reflect.TypeFor[Duration]() {
			out = append(out, schemaKeys(ft, key+".")...)
		}
	}
	return out
}

// documentKeys returns the dotted keys of a YAML document.
func documentKeys(n *yaml.Node, prefix string) []string {
	if n.Kind == yaml.DocumentNode {
		return documentKeys(n.Content[0], prefix)
	}
	var out []string
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key := prefix + n.Content[i].Value
		out = append(out, key)
		out = append(out, documentKeys(n.Content[i+1], key+".")...)
	}
	return out
}

// TestReferenceListsEveryKey holds the README's configuration reference to
// the schema: every key Config has is in the reference block, and every
// key the block shows is one Config has (and the block loads).
func TestReferenceListsEveryKey(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	i := strings.Index(s, "## Configuration reference")
	if i < 0 {
		t.Fatal("README.md has no Configuration reference section")
	}
	s = s[i:]
	start := strings.Index(s, "```yaml\n")
	end := strings.Index(s[start+8:], "```")
	if start < 0 || end < 0 {
		t.Fatal("the Configuration reference has no yaml block")
	}
	block := s[start+8 : start+8+end]
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(block), &doc); err != nil {
		t.Fatalf("the reference block is not YAML: %v", err)
	}
	documented := documentKeys(&doc, "")
	schema := schemaKeys(reflect.TypeFor[Config](), "")
	if len(schema) < 40 {
		t.Fatalf("only %d keys found in Config; the walk is broken", len(schema))
	}
	for _, k := range schema {
		if !slices.Contains(documented, k) {
			t.Errorf("README's configuration reference does not show %s", k)
		}
	}
	for _, k := range documented {
		if !slices.Contains(schema, k) {
			t.Errorf("README's configuration reference shows %s, which Config does not have", k)
		}
	}
	if _, err := Parse("README.md", []byte(block)); err != nil {
		t.Errorf("the reference block does not load: %v", err)
	}
}
