// Package buildinfo says which build of Frontdesk is running, for
// `frontdesk version`, the start-up banner and the frontdesk_build_info
// metric. Ops compare it across hosts and against a release, so it comes
// from what the Go toolchain stamps into every binary (the module version
// that `go install module@version` records, and the VCS revision of a
// checkout build) rather than from a file that can drift; a release build
// may still set the version with -ldflags.
package buildinfo

import (
	"runtime"
	"runtime/debug"
)

// Info describes one build.
type Info struct {
	// Version is the release ("v1.2.3"), the ldflags override, or
	// "(devel)" for a build from a checkout.
	Version string `json:"version"`
	// Revision is the VCS commit the binary was built from ("" when the
	// build had no VCS information, as with `go run` of a module outside
	// a checkout).
	Revision string `json:"revision,omitempty"`
	// Time is the commit time of Revision, RFC 3339.
	Time string `json:"time,omitempty"`
	// Modified says the work tree had uncommitted changes.
	Modified bool `json:"modified,omitempty"`
	// GoVersion is the toolchain that built the binary.
	GoVersion string `json:"go_version"`
}

// Read returns the running binary's build information. override, when
// not empty, is the version a release build set with
// -ldflags "-X main.version=…" and wins over the module version.
func Read(override string) Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return fromBuild(nil, override)
	}
	return fromBuild(bi, override)
}

// fromBuild is Read on a given build record, so tests can feed it one.
func fromBuild(bi *debug.BuildInfo, override string) Info {
	info := Info{Version: "(devel)", GoVersion: runtime.Version()}
	if bi != nil {
		if bi.GoVersion != "" {
			info.GoVersion = bi.GoVersion
		}
		if v := bi.Main.Version; v != "" {
			info.Version = v
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Revision = s.Value
			case "vcs.time":
				info.Time = s.Value
			case "vcs.modified":
				info.Modified = s.Value == "true"
			}
		}
	}
	if override != "" {
		info.Version = override
	}
	return info
}

// String is the one-line form the CLI prints:
// "v1.2.3 (3f2a9c1d0b4e, 2026-12-06T10:00:00Z, modified) go1.26.0".
func (i Info) String() string {
	s := i.Version
	if i.Revision != "" {
		rev := i.Revision
		if len(rev) > 12 {
			rev = rev[:12]
		}
		s += " (" + rev
		if i.Time != "" {
			s += ", " + i.Time
		}
		if i.Modified {
			s += ", modified"
		}
		s += ")"
	}
	return s + " " + i.GoVersion
}
