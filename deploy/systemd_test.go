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
		"DynamicUser":           "yes",
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
