package sla

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	h = time.Hour
	m = time.Minute
)

func TestParseDuration(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Duration
		wantErr string // substring of the error; "" means success
	}{
		{in: "4h", want: Duration{Business: 4 * h}},
		{in: "90m", want: Duration{Business: 90 * m}},
		{in: "1h30m", want: Duration{Business: 90 * m}},
		{in: "1.5h", want: Duration{Business: 90 * m}},
		{in: "45s", want: Duration{Business: 45 * time.Second}},
		{in: " 4h ", want: Duration{Business: 4 * h}},
		{in: "100h", want: Duration{Business: 100 * h}},
		{in: "3d", want: Duration{Days: 3}},
		{in: "1d", want: Duration{Days: 1}},
		{in: "03d", want: Duration{Days: 3}},
		{in: "3660d", want: Duration{Days: 3660}},

		{in: "", wantErr: `bad duration "": empty`},
		{in: "  ", wantErr: `bad duration "  ": empty`},
		{in: "4x", wantErr: `bad duration "4x"`},
		{in: "4", wantErr: `bad duration "4"`},
		{in: "h", wantErr: `bad duration "h"`},
		{in: "0h", wantErr: "must be positive"},
		{in: "0", wantErr: "must be positive"},
		{in: "0s", wantErr: "must be positive"},
		{in: "-4h", wantErr: "must be positive"},
		{in: "0d", wantErr: "must be positive"},
		{in: "d", wantErr: "whole digits"},
		{in: "-3d", wantErr: "whole digits"},
		{in: "+3d", wantErr: "whole digits"},
		{in: "1.5d", wantErr: "whole digits"},
		{in: "3 d", wantErr: "whole digits"},
		{in: "1d4h", wantErr: "cannot be combined"},
		{in: "4h1d", wantErr: "whole digits"},
		{in: "3661d", wantErr: "more than 3660 days"},
		{in: "99999999999999999999d", wantErr: "more than"},
		{in: "3D", wantErr: `bad duration "3D"`},
		{in: "9999999999h", wantErr: `bad duration "9999999999h"`},
	} {
		got, err := ParseDuration(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseDuration(%q) = %v, %v; want error containing %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseDuration(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
}

func TestDurationString(t *testing.T) {
	for _, tc := range []struct {
		d    Duration
		want string
	}{
		{Duration{Business: 4 * h}, "4h"},
		{Duration{Business: 90 * m}, "1h30m"},
		{Duration{Business: 30 * m}, "30m"},
		{Duration{Business: h + 5*time.Second}, "1h5s"},
		{Duration{Business: 100 * h}, "100h"},
		{Duration{Business: 1500 * time.Millisecond}, "1.5s"},
		{Duration{Days: 3}, "3d"},
		{Duration{}, "0s"},
		{Duration{Business: -h}, "-1h0m0s"},
	} {
		if got := tc.d.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestParseWeekdays(t *testing.T) {
	const (
		sun = time.Sunday
		mon = time.Monday
		tue = time.Tuesday
		wed = time.Wednesday
		thu = time.Thursday
		fri = time.Friday
		sat = time.Saturday
	)
	for _, tc := range []struct {
		in      string
		want    []time.Weekday
		wantErr string
	}{
		{in: "mon", want: []time.Weekday{mon}},
		{in: "sun", want: []time.Weekday{sun}},
		{in: "mon-fri", want: []time.Weekday{mon, tue, wed, thu, fri}},
		{in: "sat-sun", want: []time.Weekday{sat, sun}},
		{in: "sun-sat", want: []time.Weekday{sun, mon, tue, wed, thu, fri, sat}},
		{in: "mon-sun", want: []time.Weekday{mon, tue, wed, thu, fri, sat, sun}},
		{in: "fri-mon", want: []time.Weekday{fri, sat, sun, mon}}, // wraps around
		{in: "tue-mon", want: []time.Weekday{tue, wed, thu, fri, sat, sun, mon}},
		{in: "wed-wed", want: []time.Weekday{wed}},
		{in: "Mon-Fri", want: []time.Weekday{mon, tue, wed, thu, fri}},
		{in: " sat - sun ", want: []time.Weekday{sat, sun}},

		{in: "", wantErr: `"" is not one of mon`},
		{in: "monday", wantErr: `"monday" is not one of`},
		{in: "mo", wantErr: `"mo" is not one of`},
		{in: "mon-", wantErr: `"" is not one of`},
		{in: "-fri", wantErr: `"" is not one of`},
		{in: "mon-fri-sat", wantErr: `"fri-sat" is not one of`},
		{in: "mon,tue", wantErr: `"mon,tue" is not one of`},
		{in: "mon-xyz", wantErr: `bad weekdays "mon-xyz": "xyz"`},
	} {
		got, err := ParseWeekdays(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseWeekdays(%q) = %v, %v; want error containing %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseWeekdays(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestParseRanges(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    []Range
		wantErr string
	}{
		{in: "09:00-18:00", want: []Range{{9 * h, 18 * h}}},
		{in: "09:00-12:00, 13:00-18:00", want: []Range{{9 * h, 12 * h}, {13 * h, 18 * h}}},
		{in: "09:00-12:00,13:00-18:00", want: []Range{{9 * h, 12 * h}, {13 * h, 18 * h}}},
		{in: " 09:00 - 12:00 ,  13:30-18:45 ", want: []Range{{9 * h, 12 * h}, {13*h + 30*m, 18*h + 45*m}}},
		{in: "00:00-24:00", want: []Range{{0, 24 * h}}},
		{in: "22:00-24:00", want: []Range{{22 * h, 24 * h}}},
		{in: "00:00-00:01", want: []Range{{0, m}}},
		{in: "23:59-24:00", want: []Range{{23*h + 59*m, 24 * h}}},
		{in: "09:00-12:00, 12:00-13:00", want: []Range{{9 * h, 12 * h}, {12 * h, 13 * h}}}, // touching is fine
		{in: "01:00-02:00, 03:00-04:00, 05:00-06:00", want: []Range{{h, 2 * h}, {3 * h, 4 * h}, {5 * h, 6 * h}}},

		{in: "", wantErr: "empty"},
		{in: "   ", wantErr: "empty"},
		{in: "09:00", wantErr: `range "09:00": want HH:MM-HH:MM`},
		{in: "9:00-18:00", wantErr: `range "9:00-18:00": start: "9:00" is not HH:MM`},
		{in: "09:00-6pm", wantErr: `"6pm" is not HH:MM`},
		{in: "09.00-18.00", wantErr: `"09.00" is not HH:MM`},
		{in: "09:00-18:0", wantErr: `"18:0" is not HH:MM`},
		{in: "+9:00-18:00", wantErr: "not HH:MM"},
		{in: "25:00-26:00", wantErr: `"25:00" is not a time of day`},
		{in: "09:60-10:00", wantErr: `"09:60" is not a time of day`},
		{in: "09:00-24:01", wantErr: `"24:01" is not a time of day`},
		{in: "24:00-24:00", wantErr: "24:00 can only end a range"},
		{in: "12:00-09:00", wantErr: `range "12:00-09:00": start is not before end`},
		{in: "09:00-09:00", wantErr: "start is not before end"},
		{in: "09:00-12:00, 11:00-13:00", wantErr: `range "11:00-13:00": overlaps`},
		{in: "13:00-18:00, 09:00-12:00", wantErr: `range "09:00-12:00": overlaps or precedes`},
		{in: "09:00-12:00,", wantErr: "empty range"},
		{in: "09:00-12:00,,13:00-14:00", wantErr: "empty range"},
		{in: "09:00-12:00; 13:00-14:00", wantErr: "not HH:MM"},
		{in: "09:00-12:00-13:00", wantErr: "not HH:MM"},
	} {
		got, err := ParseRanges(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseRanges(%q) = %v, %v; want error containing %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("ParseRanges(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Date
		wantErr string
	}{
		{in: "2026-10-01", want: Date{2026, time.October, 1}},
		{in: "2028-02-29", want: Date{2028, time.February, 29}},
		{in: " 2026-12-31 ", want: Date{2026, time.December, 31}},

		{in: "", wantErr: "want YYYY-MM-DD"},
		{in: "2026-10-1", wantErr: "want YYYY-MM-DD"},
		{in: "2026/10/01", wantErr: "want YYYY-MM-DD"},
		{in: "01-10-2026", wantErr: "want YYYY-MM-DD"},
		{in: "2026-10-01T00:00", wantErr: "want YYYY-MM-DD"},
		{in: "2026-02-30", wantErr: `bad date "2026-02-30": no such date`},
		{in: "2027-02-29", wantErr: "no such date"},
		{in: "2026-13-01", wantErr: "no such date"},
		{in: "2026-00-10", wantErr: "no such date"},
	} {
		got, err := ParseDate(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseDate(%q) = %v, %v; want error containing %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestDateMethods(t *testing.T) {
	d := Date{2026, time.October, 1}
	if got := d.String(); got != "2026-10-01" {
		t.Errorf("String = %q", got)
	}
	if got := (Date{33, time.March, 9}).String(); got != "0033-03-09" {
		t.Errorf("String of year 33 = %q", got)
	}
	if got := d.Weekday(); got != time.Thursday {
		t.Errorf("Weekday = %v, want Thursday", got)
	}
	if got := d.AddDays(31); got != (Date{2026, time.November, 1}) {
		t.Errorf("AddDays(31) = %v", got)
	}
	if got := d.AddDays(-1); got != (Date{2026, time.September, 30}) {
		t.Errorf("AddDays(-1) = %v", got)
	}
	if !d.Before(d.AddDays(1)) || d.AddDays(1).Before(d) || d.Before(d) {
		t.Error("Before is wrong")
	}
	if !(Date{2025, 12, 31}).Before(d) || !(Date{2026, 9, 30}).Before(d) {
		t.Error("Before across month/year is wrong")
	}
}

func TestRangeString(t *testing.T) {
	for _, tc := range []struct {
		r    Range
		want string
	}{
		{Range{9 * h, 18 * h}, "09:00-18:00"},
		{Range{0, 24 * h}, "00:00-24:00"},
		{Range{9*h + 30*m + 15*time.Second, 10 * h}, "09:30:15-10:00"},
	} {
		if got := tc.r.String(); got != tc.want {
			t.Errorf("%v.String() = %q, want %q", [2]time.Duration{tc.r.Start, tc.r.End}, got, tc.want)
		}
	}
}

// Fuzz tests: no panics, and whatever parses satisfies the documented
// invariants and survives a round trip through String.

func FuzzParseRanges(f *testing.F) {
	for _, s := range []string{"09:00-12:00, 13:00-18:00", "00:00-24:00", "24:00-24:00", "9:00-18:00", "", ",", "-", "23:59-24:00,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rs, err := ParseRanges(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "bad hours ") {
				t.Fatalf("error %q does not start with `bad hours `", err)
			}
			return
		}
		if len(rs) == 0 {
			t.Fatalf("ParseRanges(%q) = no ranges and no error", s)
		}
		if err := checkRanges(rs); err != nil {
			t.Fatalf("ParseRanges(%q) = %v: %v", s, rs, err)
		}
		var parts []string
		for _, r := range rs {
			if r.Start%time.Minute != 0 || r.End%time.Minute != 0 {
				t.Fatalf("ParseRanges(%q) = %v: not whole minutes", s, rs)
			}
			parts = append(parts, r.String())
		}
		again, err := ParseRanges(strings.Join(parts, ", "))
		if err != nil || !reflect.DeepEqual(again, rs) {
			t.Fatalf("round trip of %q: %v, %v; want %v", s, again, err, rs)
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"4h", "90m", "1h30m", "3d", "0d", "-1h", "1d4h", "", "99999999999999999999d", "1.5h", ".5m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "bad duration ") {
				t.Fatalf("error %q does not start with `bad duration `", err)
			}
			return
		}
		if d.Days < 0 || d.Days > MaxDays || (d.Days == 0) == (d.Business == 0) || d.Business < 0 {
			t.Fatalf("ParseDuration(%q) = %+v: not one positive kind", s, d)
		}
		again, err := ParseDuration(d.String())
		if err != nil || again != d {
			t.Fatalf("round trip of %q via %q: %+v, %v", s, d.String(), again, err)
		}
	})
}

func FuzzParseWeekdays(f *testing.F) {
	for _, s := range []string{"mon", "mon-fri", "fri-mon", "sat-sun", "mon-", "-", "", "MON - FRI", "mon-fri-sat"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		days, err := ParseWeekdays(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "bad weekdays ") {
				t.Fatalf("error %q does not start with `bad weekdays `", err)
			}
			return
		}
		if len(days) < 1 || len(days) > 7 {
			t.Fatalf("ParseWeekdays(%q) = %v", s, days)
		}
		seen := map[time.Weekday]bool{}
		for i, d := range days {
			if d < time.Sunday || d > time.Saturday || seen[d] {
				t.Fatalf("ParseWeekdays(%q) = %v: bad or repeated day", s, days)
			}
			if i > 0 && d != (days[i-1]+1)%7 {
				t.Fatalf("ParseWeekdays(%q) = %v: not consecutive", s, days)
			}
			seen[d] = true
		}
	})
}
