package message

import (
	"net/mail"
	"testing"
)

var dateCases = []string{
	"Mon, 16 Nov 2026 10:21:07 +0800",
	"Mon, 16 Nov 2026 10:21:07 -0000",
	"Tue, 01 Dec 2026 23:59:59 +1400",
	"Fri, 31 Jul 2026 00:00:00 +0000",
	"Mon, 6 Nov 2026 10:21:07 +0800", // one-digit day: not RFC1123Z
	"Mon, 16 Nov 2026 10:21 +0800",   // no seconds
	"16 Nov 2026 10:21:07 +0800",     // no day of the week
	"Mon, 16 Nov 26 10:21:07 +0800",  // two-digit year
	"Mon, 16 Nov 2026 10:21:07 GMT",  // obsolete zone
	"Mon, 16 Nov 2026 10:21:07 +0800 (CST)",
	"Mon, 16 Nov 2026 10:21:07 +0800\r\n (CST)",
	" Mon, 16 Nov 2026 10:21:07 +0800",
	"Mon, 16 Nov 2026 10:21:07 +0800 ",
	"Sun, 16 Nov 2026 10:21:07 +0800", // wrong day of the week: both accept it
	"Mon, 32 Nov 2026 10:21:07 +0800",
	"Mon, 16 Nov 2026 25:21:07 +0800",
	"Mon, 16 Nov 2026 10:21:07 +9999",
	"Mon, 16 Nov 2026 10:21:07 0800",
	"",
	"yesterday",
}

// TestParseDate: parseDate answers as mail.ParseDate does, the same
// instant in the same zone, or an error where it has one.
func TestParseDate(t *testing.T) {
	for _, s := range dateCases {
		checkParseDate(t, s)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range dateCases {
		f.Add(s)
	}
	f.Fuzz(checkParseDate)
}

func checkParseDate(t *testing.T, s string) {
	got, gotErr := parseDate(s)
	want, wantErr := mail.ParseDate(s)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("parseDate(%q): error %v, mail.ParseDate: %v", s, gotErr, wantErr)
	}
	if !got.Equal(want) || got.String() != want.String() {
		t.Fatalf("parseDate(%q) = %v, mail.ParseDate: %v", s, got, want)
	}
}
