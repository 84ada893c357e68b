package sla

import (
	"testing"
	"time"
)

func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		zone string
		at   string // RFC 3339
		lang string
		want string
	}{
		{"Asia/Shanghai", "2026-11-24T10:00:00+08:00", "en", "Tuesday 24 November, 10:00 (China Standard Time)"},
		{"Asia/Shanghai", "2026-11-24T10:00:00+08:00", "zh", "11月24日（周二）10:00"},
		{"Asia/Shanghai", "2026-11-24T10:00:00+08:00", "zh-CN", "11月24日（周二）10:00"},
		{"Asia/Shanghai", "2026-11-24T10:00:00+08:00", "", "Tuesday 24 November, 10:00 (China Standard Time)"},
		{"Asia/Shanghai", "2026-11-24T10:00:00+08:00", "fr", "Tuesday 24 November, 10:00 (China Standard Time)"},
		{"Asia/Shanghai", "2026-10-01T00:00:00+08:00", "zh", "10月1日（周四）00:00"},
		{"Asia/Shanghai", "2026-10-04T18:05:00+08:00", "zh", "10月4日（周日）18:05"},
		{"Asia/Shanghai", "2026-10-04T18:05:00+08:00", "en", "Sunday 4 October, 18:05 (China Standard Time)"},
		{"Asia/Hong_Kong", "2026-11-24T10:00:00+08:00", "en", "Tuesday 24 November, 10:00 (Hong Kong Time)"},
		{"Asia/Hong_Kong", "2026-11-24T10:00:00+08:00", "zh-Hant", "11月24日（周二）10:00（HKT）"},
		{"Europe/Berlin", "2026-01-12T09:30:00+01:00", "en", "Monday 12 January, 09:30 (Central European Time)"},
		{"Europe/Berlin", "2026-07-13T09:30:00+02:00", "en", "Monday 13 July, 09:30 (Central European Summer Time)"},
		{"Europe/Berlin", "2026-07-13T09:30:00+02:00", "zh", "7月13日（周一）09:30（CEST）"},
		{"America/New_York", "2026-03-06T17:00:00-05:00", "en", "Friday 6 March, 17:00 (Eastern Standard Time)"},
		{"America/New_York", "2026-03-09T17:00:00-04:00", "en", "Monday 9 March, 17:00 (Eastern Daylight Time)"},
		{"America/New_York", "2026-11-02T00:00:00-05:00", "zh", "11月2日（周一）00:00（EST）"},
		{"UTC", "2026-11-28T23:59:00Z", "en", "Saturday 28 November, 23:59 (UTC)"},
		{"UTC", "2026-11-28T23:59:00Z", "zh", "11月28日（周六）23:59（UTC）"},
		{"Europe/London", "2026-07-01T12:00:00+01:00", "en", "Wednesday 1 July, 12:00 (British Summer Time)"},
		{"Europe/Dublin", "2026-01-05T12:00:00Z", "en", "Monday 5 January, 12:00 (Greenwich Mean Time)"}, // Dublin's "negative DST"
		{"Asia/Singapore", "2026-11-24T10:00:00+08:00", "en", "Tuesday 24 November, 10:00 (Singapore Standard Time)"},
		{"Asia/Singapore", "2026-11-24T10:00:00+08:00", "zh", "11月24日（周二）10:00（+08）"},
		// Not in the table: the abbreviation.
		{"Africa/Nairobi", "2026-11-24T10:00:00+03:00", "en", "Tuesday 24 November, 10:00 (EAT)"},
		{"America/Bogota", "2026-11-24T10:00:00-05:00", "en", "Tuesday 24 November, 10:00 (-05)"},
		// Shanghai before 1901 used local mean time: no long name.
		{"Asia/Shanghai", "1900-01-01T10:00:00+08:05", "en", "Monday 1 January, 10:00 (LMT)"},
		{"Asia/Shanghai", "1900-01-01T10:00:00+08:05", "zh", "1月1日（周一）10:00（LMT）"},
	} {
		at := tm(t, tc.at).In(mustLoc(t, tc.zone))
		if got := Describe(at, tc.lang); got != tc.want {
			t.Errorf("Describe(%s in %s, %q) = %q, want %q", tc.at, tc.zone, tc.lang, got, tc.want)
		}
	}
	// A fixed zone without a name: its abbreviation is what it has.
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	if got, want := Describe(at, "en"), "Tuesday 24 November, 10:00 (CST)"; got != want {
		t.Errorf("fixed zone: %q, want %q", got, want)
	}
	// A zone with no name at all (an RFC 3339 start's offset, where a
	// deadline on 24×7 wall-clock time is shown): the offset, never "()".
	for _, tc := range []struct {
		off        int // seconds east of UTC
		lang, want string
	}{
		{8 * 3600, "en", "Friday 20 November, 21:30 (UTC+08:00)"},
		{8 * 3600, "zh", "11月20日（周五）21:30（UTC+08:00）"},
		{-(5*3600 + 1800), "en", "Friday 20 November, 21:30 (UTC-05:30)"},
		{0, "en", "Friday 20 November, 21:30 (UTC)"},
	} {
		at := time.Date(2026, 11, 20, 21, 30, 0, 0, time.FixedZone("", tc.off))
		if got := Describe(at, tc.lang); got != tc.want {
			t.Errorf("Describe(%v, %q) = %q, want %q", at, tc.lang, got, tc.want)
		}
	}
}

// Describe of what Due returns is what an acknowledgement promises.
func TestDescribeDue(t *testing.T) {
	c := calendars(t)["office"]
	due := c.Due(tm(t, "2026-11-23T15:00:00+08:00"), dur(t, "4h")) // 15-18, then Tue 09-10
	if got, want := Describe(due, "en"), "Tuesday 24 November, 10:00 (China Standard Time)"; got != want {
		t.Errorf("en: %q, want %q", got, want)
	}
	if got, want := Describe(due, "zh"), "11月24日（周二）10:00"; got != want {
		t.Errorf("zh: %q, want %q", got, want)
	}
}
