package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/internal/buildinfo"
)

func TestVersion(t *testing.T) {
	want := buildinfo.Read(version)

	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"version", "--json"}, &out, &errb); code != 0 {
		t.Fatalf("version --json: exit %d: %s", code, errb.String())
	}
	var got buildinfo.Info
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("version --json printed %q: %v", out.String(), err)
	}
	if got != want || got.GoVersion == "" {
		t.Errorf("version --json = %+v, want %+v", got, want)
	}

	out.Reset()
	if code := run(context.Background(), []string{"version"}, &out, &errb); code != 0 {
		t.Fatalf("version: exit %d", code)
	}
	if line := strings.TrimSpace(out.String()); line != "frontdesk "+want.String() {
		t.Errorf("version printed %q, want %q", line, "frontdesk "+want.String())
	}

	if code := run(context.Background(), []string{"version", "extra"}, &out, &errb); code != 2 {
		t.Errorf("version extra: exit %d, want 2 (usage)", code)
	}
}
