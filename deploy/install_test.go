package deploy

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
)

// TestGoInstallable holds go.mod to what `go install MODULE/cmd/frontdesk@VERSION`
// needs: a module path that names where it is fetched from, and no replace
// directive (go install refuses a module whose go.mod has one, so a patched
// dependency lives in this module instead, see third_party/README.md).
func TestGoInstallable(t *testing.T) {
	data, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := f.Module.Mod.Path
	if err := module.CheckPath(path); err != nil || !strings.Contains(strings.SplitN(path, "/", 2)[0], ".") {
		t.Errorf("module path %q cannot be fetched by go install (%v)", path, err)
	}
	for _, r := range f.Replace {
		t.Errorf("go.mod replaces %s with %s: go install refuses a module with a replace directive", r.Old.Path, r.New.Path)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), "go install "+path+"/cmd/frontdesk@") {
		t.Errorf("deploy/README.md does not show go install %s/cmd/frontdesk@…", path)
	}
}
