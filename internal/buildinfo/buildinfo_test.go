package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuild(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"},
		{Key: "vcs.time", Value: "2026-12-06T10:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}
	cases := []struct {
		name     string
		bi       *debug.BuildInfo
		override string
		want     Info
		str      string
	}{
		{"no build info", nil, "", Info{Version: "(devel)"}, "(devel) "},
		{"go install of a release", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.4.0"}},
			"", Info{Version: "v1.4.0", GoVersion: "go1.26.0"}, "v1.4.0 go1.26.0"},
		{"checkout build", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}, Settings: vcs},
			"", Info{Version: "(devel)", Revision: "0123456789abcdef0123", Time: "2026-12-06T10:00:00Z", Modified: true, GoVersion: "go1.26.0"},
			"(devel) (0123456789ab, 2026-12-06T10:00:00Z, modified) go1.26.0"},
		{"ldflags override", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}},
			"v2.0.0-rc1", Info{Version: "v2.0.0-rc1", GoVersion: "go1.26.0"}, "v2.0.0-rc1 go1.26.0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := fromBuild(c.bi, c.override)
			if c.bi == nil {
				// The toolchain version comes from the runtime here.
				c.want.GoVersion = got.GoVersion
				c.str += got.GoVersion
			}
			if got != c.want {
				t.Errorf("fromBuild = %+v, want %+v", got, c.want)
			}
			if s := got.String(); s != c.str {
				t.Errorf("String() = %q, want %q", s, c.str)
			}
		})
	}
}

// TestReadThisBinary reads the test binary's own record: the toolchain
// always stamps its version, so GoVersion cannot be empty.
func TestReadThisBinary(t *testing.T) {
	got := Read("")
	if !strings.HasPrefix(got.GoVersion, "go") || got.Version == "" {
		t.Errorf("Read() = %+v", got)
	}
}
