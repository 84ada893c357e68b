package gateway

import (
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// Rules, FAQ and templates are one kind of source and report the same
// three reload metrics: a good reload counts a success and keeps the gauge
// at 1, a bad one counts a failure, sets it to 0 and keeps the version in
// force.
func TestSourceReloadMetrics(t *testing.T) {
	for _, what := range []string{"rules", "faq", "templates"} {
		t.Run(what, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "f")
			os.WriteFile(path, []byte("v1"), 0o644)
			compile := func(p string) (*string, error) {
				b, err := os.ReadFile(p)
				if err != nil {
					return nil, err
				}
				if strings.Contains(string(b), "bad") {
					return nil, errors.New(p + ":1:1: bad")
				}
				s := string(b)
				return &s, nil
			}
			reg := prometheus.NewRegistry()
			var seen []string
			src, err := newSource(what, path, nil, compile, reg, slog.New(slog.DiscardHandler), func(v *string) { seen = append(seen, *v) })
			if err != nil {
				t.Fatal(err)
			}
			names := []string{"frontdesk_" + what + "_reloads_total", "frontdesk_" + what + "_last_reload_successful",
				"frontdesk_" + what + "_last_reload_success_timestamp_seconds"}
			if n, err := testutil.GatherAndCount(reg, names...); err != nil || n != 4 {
				t.Fatalf("series of %v: %d, %v; want 4", names, n, err)
			}
			os.WriteFile(path, []byte("v2"), 0o644)
			src.w.Reload()
			os.WriteFile(path, []byte("bad"), 0o644)
			src.w.Reload()
			const want = `
# HELP frontdesk_%[1]s_last_reload_successful 1 when the last reload of the %[1]s succeeded, 0 when the version in force is older than the file.
# TYPE frontdesk_%[1]s_last_reload_successful gauge
frontdesk_%[1]s_last_reload_successful 0
# HELP frontdesk_%[1]s_reloads_total Reloads of the %[1]s by result (success, failure); a failure keeps the version in force.
# TYPE frontdesk_%[1]s_reloads_total counter
frontdesk_%[1]s_reloads_total{result="failure"} 1
frontdesk_%[1]s_reloads_total{result="success"} 1
`
			if err := testutil.GatherAndCompare(reg, strings.NewReader(strings.ReplaceAll(want, "%[1]s", what)), names[:2]...); err != nil {
				t.Error(err)
			}
			if *src.Current() != "v2" || len(seen) != 1 || seen[0] != "v2" {
				t.Errorf("in force %q, onReload saw %v; want v2 once", *src.Current(), seen)
			}
		})
	}
}
