package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSLADue(t *testing.T) {
	// Expected values worked out by hand from docs/design.md on the demo
	// calendar "office": Asia/Shanghai, Mon–Fri 09:00-12:00, 13:00-18:00,
	// holidays 2026-10-01,02,05,06,07, make-up workday Sat 2026-10-10.
	// "none" is an sla's "calendar: none": 24×7 wall-clock time (README).
	cases := []struct{ cal, start, dur, want string }{
		{"office", "2026-11-20T17:30:00+08:00", "4h", `{"due":"2026-11-23T13:30:00+08:00"}`}, // Fri 0.5h + Mon 3h + 0.5h
		{"office", "2026-11-20T17:30:00+08:00", "3d", `{"due":"2026-11-25T18:00:00+08:00"}`}, // Mon, Tue, Wed
		{"office", "2026-11-23T09:00:00+08:00", "3h", `{"due":"2026-11-23T12:00:00+08:00"}`}, // ends exactly at lunch: that end
		{"office", "2026-11-23T12:00:00+08:00", "1m", `{"due":"2026-11-23T13:01:00+08:00"}`}, // start at closing time counts from 13:00
		{"office", "2026-09-30T17:30:00+08:00", "1d", `{"due":"2026-10-08T18:00:00+08:00"}`}, // holidays and weekend skipped
		{"office", "2026-10-09T18:30:00+08:00", "1h", `{"due":"2026-10-10T10:00:00+08:00"}`}, // make-up Saturday
		{"office", "2026-11-23T01:00:00Z", "2h", `{"due":"2026-11-23T11:00:00+08:00"}`},      // UTC start shown in the calendar's zone
		{"none", "2026-11-20T17:30:00+08:00", "4h", `{"due":"2026-11-20T21:30:00+08:00"}`},   // wall clock: the evening counts
		{"none", "2026-11-20T17:30:00+08:00", "3d", `{"due":"2026-11-23T17:30:00+08:00"}`},   // 3×24h, weekend included
		{"none", "2026-09-30T17:30:00+08:00", "1d", `{"due":"2026-10-01T17:30:00+08:00"}`},   // holidays are the office's, not none's
		{"none", "2026-11-23T01:00:00Z", "2h", `{"due":"2026-11-23T03:00:00Z"}`},             // no calendar zone: start's zone
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run(context.Background(), []string{"sla", "due", "--calendar", c.cal, "--start", c.start, "--duration", c.dur, "--json"}, &out, &errb)
		if code != 0 || strings.TrimSpace(out.String()) != c.want {
			t.Errorf("sla due --calendar %s %s + %s = %q (exit %d, %s); want %s", c.cal, c.start, c.dur, out.String(), code, errb.String(), c.want)
		}
	}
}

func TestSLADueErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "rules.yaml")
	os.WriteFile(bad, []byte("departments: {support: {addresses: [support]}}\ndefault_department: support\ncalendars: {x: {timezone: Mars/Base}}\n"), 0o644)
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--calendar", "nope", "--start", "2026-11-20T17:30:00+08:00", "--duration", "4h"}, 1, `no calendar "nope"`},
		{[]string{"--calendar", "office", "--start", "yesterday", "--duration", "4h"}, 1, "bad --start"},
		{[]string{"--calendar", "office", "--start", "2026-11-20T17:30:00+08:00", "--duration", "4x"}, 1, "bad duration"},
		{[]string{"--calendar", "office"}, 2, "required"},
		{[]string{"-r", bad, "--calendar", "x", "--start", "2026-11-20T17:30:00+08:00", "--duration", "4h"}, 1, bad + ":3:"},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"sla", "due"}, c.args...), &out, &errb)
		if code != c.code || !strings.Contains(errb.String(), c.msg) {
			t.Errorf("sla due %v: exit %d, stderr %q; want exit %d and %q", c.args, code, errb.String(), c.code, c.msg)
		}
	}
}

// The text form of a 24×7 deadline names the start's offset as its zone
// (an RFC 3339 start has no zone name), never "()". The offset is one
// hardly any machine's local zone has (time.Parse would take that zone's
// name).
func TestSLADueNoneText(t *testing.T) {
	code, out, errs := runCmd(t, "sla", "due", "--calendar", "none", "--start", "2026-11-20T17:30:00-09:30", "--duration", "4h")
	want := "2026-11-20T21:30:00-09:30\ncustomers read: Friday 20 November, 21:30 (UTC-09:30) / 11月20日（周五）21:30（UTC-09:30）\n"
	if code != 0 || out != want {
		t.Errorf("sla due --calendar none: exit %d, stdout %q, stderr %q; want %q", code, out, errs, want)
	}
}
