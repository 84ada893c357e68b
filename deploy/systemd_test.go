package deploy

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/gateway"
	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

const unitFile = "systemd/frontdesk.service"

// unitForTest is the shipped unit with ExecStart pointing at an executable
// that exists here (systemd-analyze checks that it does), written to a
// temporary directory under its real name.
func unitForTest(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "ExecStart=/usr/local/bin/frontdesk serve -c /etc/frontdesk/frontdesk.yaml\n") {
		t.Fatalf("%s: ExecStart is not the documented command line", unitFile)
	}
	data = []byte(strings.Replace(string(data), "ExecStart=/usr/local/bin/frontdesk", "ExecStart="+exe, 1))
	path := filepath.Join(t.TempDir(), "frontdesk.service")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSystemdUnitVerifies runs systemd-analyze verify on the unit: it exits
// 0 even for unknown keys and values it cannot parse (it ignores them with a
// warning), so any output at all fails the test.
func TestSystemdUnitVerifies(t *testing.T) {
	bin := testenv.LookPath(t, "systemd-analyze", "systemd")
	out, err := exec.Command(bin, "verify", unitForTest(t)).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify %s: %v\n%s", unitFile, err, out)
	}
}

// TestSystemdUnitSandbox holds the unit to what the README promises ops:
// its own user, a read-only system but for the data dir, port 25 by one
// capability, and systemd's own exposure score in its "OK" band.
func TestSystemdUnitSandbox(t *testing.T) {
	settings := unitSettings(t)
	want := map[string]string{
		"User":                  "frontdesk",
		"Group":                 "frontdesk",
		"ProtectSystem":         "strict",
		"StateDirectory":        "frontdesk",
		"ReadWritePaths":        "/var/lib/frontdesk",
		"AmbientCapabilities":   "CAP_NET_BIND_SERVICE",
		"CapabilityBoundingSet": "CAP_NET_BIND_SERVICE",
		"NoNewPrivileges":       "yes",
		"ExecReload":            "/bin/kill -HUP $MAINPID",
	}
	for k, v := range want {
		if got := settings[k]; got != v {
			t.Errorf("%s: %s=%q, want %q", unitFile, k, got, v)
		}
	}

	bin := testenv.LookPath(t, "systemd-analyze", "systemd")
	out, _ := exec.Command(bin, "security", "--offline=yes", unitForTest(t)).CombinedOutput()
	m := regexp.MustCompile(`Overall exposure level for frontdesk\.service: ([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("systemd-analyze security printed no exposure level:\n%s", out)
	}
	if level, _ := strconv.ParseFloat(string(m[1]), 64); level > 2.0 {
		t.Errorf("exposure level %.1f, want at most 2.0 (systemd's OK band):\n%s", level, out)
	}
}

// TestExampleConfig loads the example production config the way serve
// does and checks it agrees with the unit: the data dir is the unit's
// state directory (the only writable path) and the MX is on port 25.
func TestExampleConfig(t *testing.T) {
	cfg, err := config.Load("frontdesk.yaml")
	if err != nil {
		t.Fatalf("deploy/frontdesk.yaml: %v", err)
	}
	settings := unitSettings(t)
	if cfg.DataDir != settings["ReadWritePaths"] {
		t.Errorf("data_dir %q is not the unit's writable %q", cfg.DataDir, settings["ReadWritePaths"])
	}
	if _, port, err := net.SplitHostPort(cfg.SMTP.Listen); err != nil || port != "25" {
		t.Errorf("smtp.listen %q: want port 25 (%v)", cfg.SMTP.Listen, err)
	}
	for _, p := range []string{cfg.RulesFile, cfg.FAQFile, cfg.TemplatesDir, cfg.HTTP.APITokenFile} {
		if !strings.HasPrefix(p, "/etc/frontdesk/") {
			t.Errorf("%q is outside /etc/frontdesk, the unit's ConfigurationDirectory", p)
		}
	}
}

// The unit does not restart into a store serve refuses (serve's exit
// status for it, gateway.ExitNeedsRecovery), and does restart after a Go
// panic (exit status 2).
func TestSystemdUnitRestartPrevention(t *testing.T) {
	settings := unitSettings(t)
	if settings["Restart"] != "on-failure" {
		t.Errorf("%s: Restart=%q, want on-failure", unitFile, settings["Restart"])
	}
	codes := strings.Fields(settings["RestartPreventExitStatus"])
	if !slices.Contains(codes, strconv.Itoa(gateway.ExitNeedsRecovery)) {
		t.Errorf("%s: RestartPreventExitStatus=%q does not name serve's exit status %d for a lost or damaged store", unitFile, settings["RestartPreventExitStatus"], gateway.ExitNeedsRecovery)
	}
	if slices.Contains(codes, "2") {
		t.Errorf("%s: RestartPreventExitStatus=%q names 2, the exit status of a Go panic: a crashed gateway would stay down", unitFile, settings["RestartPreventExitStatus"])
	}
}

// The unit's user can read /etc/frontdesk. systemd chowns the state,
// cache, logs and runtime directories to the unit's user but leaves
// ConfigurationDirectory= owned by root, so a DynamicUser (whose group
// nobody can give files to) could read it only if it were world-readable.
// The shipped unit names a system user that frontdesk.sysusers creates,
// with the state directory as its home; systemd-sysusers (on a scratch
// root) accepts the file and creates that user and its group.
func TestSystemdUnitUser(t *testing.T) {
	settings := unitSettings(t)
	if settings["DynamicUser"] == "yes" {
		if mode, err := strconv.ParseUint(settings["ConfigurationDirectoryMode"], 8, 32); err != nil || mode&0o005 != 0o005 {
			t.Errorf("%s: DynamicUser=yes with ConfigurationDirectoryMode=%s: the dynamic user cannot read /etc/frontdesk (systemd keeps it root-owned)", unitFile, settings["ConfigurationDirectoryMode"])
		}
		return
	}
	user := settings["User"]
	if user == "" || user == "root" || settings["Group"] != user {
		t.Fatalf("%s: User=%q Group=%q: want a system user and its group", unitFile, user, settings["Group"])
	}
	data, err := os.ReadFile("systemd/frontdesk.sysusers")
	if err != nil {
		t.Fatal(err)
	}
	home := "/var/lib/" + settings["StateDirectory"]
	if !strings.Contains(string(data), "\nu "+user+" - ") || !strings.Contains(string(data), home+"\n") {
		t.Errorf("systemd/frontdesk.sysusers does not create user %s with home %s:\n%s", user, home, data)
	}
	bin := testenv.LookPath(t, "systemd-sysusers", "systemd")
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "etc"), 0o755)
	for _, f := range []string{"passwd", "group", "shadow", "gshadow"} {
		if err := os.WriteFile(filepath.Join(root, "etc", f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	abs, err := filepath.Abs("systemd/frontdesk.sysusers")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "--root="+root, abs).CombinedOutput(); err != nil {
		t.Fatalf("systemd-sysusers systemd/frontdesk.sysusers: %v\n%s", err, out)
	}
	passwd, _ := os.ReadFile(filepath.Join(root, "etc", "passwd"))
	group, _ := os.ReadFile(filepath.Join(root, "etc", "group"))
	if !regexp.MustCompile(`(?m)^`+user+`:x:[0-9]+:[0-9]+:[^:]*:`+home+`:`).Match(passwd) || !regexp.MustCompile(`(?m)^`+user+`:x:[0-9]+:`).Match(group) {
		t.Errorf("systemd-sysusers did not create user and group %s (home %s):\n%s\n%s", user, home, passwd, group)
	}
}

// unitSettings reads the [Service] section's key=value lines (the last
// one of a key wins, as for systemd's single-valued settings).
func unitSettings(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	settings := map[string]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			section = line
		case section == "[Service]":
			if k, v, ok := strings.Cut(line, "="); ok {
				settings[k] = v
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return settings
}
