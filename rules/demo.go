package rules

import (
	_ "embed"
	"sync"
)

// DemoSource is the demo rules file (demo.yaml): five departments (support,
// sales, finance, hr, pr), an office calendar in Asia/Shanghai and routing
// rules in English and Chinese. `frontdesk serve` uses it when no
// rules_file is configured.
//
//go:embed demo.yaml
var DemoSource []byte

var demo = sync.OnceValue(func() *Rules {
	r, err := Parse("demo.yaml", DemoSource)
	if err != nil {
		panic("rules: embedded demo rules do not compile: " + err.Error())
	}
	return r
})

// Demo returns the compiled demo rules (shared; Rules are immutable).
func Demo() *Rules { return demo() }
