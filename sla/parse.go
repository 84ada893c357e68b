package sla

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MaxDays is the largest day count ParseDuration accepts (ten years of
// calendar days, so that Due always finds the deadline of a parsed duration
// within MaxHorizonDays on a calendar open at least one day a week).
const MaxDays = 3660

// ParseDuration parses an SLA duration: Go duration syntax ("4h", "90m",
// "1h30m", "1.5h") for business time, which must be positive, or a whole
// positive number of days written as digits followed by "d" ("3d", at most
// MaxDays). Surrounding spaces are ignored; units cannot be mixed ("1d4h" is
// an error).
func ParseDuration(s string) (Duration, error) {
	bad := func(format string, a ...any) (Duration, error) {
		return Duration{}, fmt.Errorf("bad duration %q: "+format, append([]any{s}, a...)...)
	}
	v := strings.TrimSpace(s)
	if v == "" {
		return bad("empty (want e.g. 4h, 90m, 1h30m or 3d)")
	}
	if n, ok := strings.CutSuffix(v, "d"); ok {
		if n == "" || strings.Trim(n, "0123456789") != "" {
			return bad("a day count is whole digits followed by d, e.g. 3d")
		}
		days, err := strconv.Atoi(n)
		if err != nil || days > MaxDays {
			return bad("more than %d days", MaxDays)
		}
		if days == 0 {
			return bad("must be positive")
		}
		return Duration{Days: days}, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		if strings.Contains(v, "d") {
			return bad("days cannot be combined with other units (want e.g. 4h, 90m, 1h30m or 3d)")
		}
		return bad("want e.g. 4h, 90m, 1h30m or 3d (%v)", err)
	}
	if d <= 0 {
		return bad("must be positive")
	}
	return Duration{Business: d}, nil
}

var weekdayKeys = [7]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func parseWeekday(s string) (time.Weekday, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for i, k := range weekdayKeys {
		if s == k {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

// ParseWeekdays parses an hours key: one day ("mon" … "sun") or an
// inclusive range of days ("mon-fri", "sat-sun"). Case and spaces around the
// names are ignored. A range may wrap around the end of the week: "fri-mon"
// is Friday, Saturday, Sunday and Monday (the week has no natural first day,
// so this is unambiguous); "mon-mon" is Monday alone. The days are returned
// in the order the range lists them.
func ParseWeekdays(key string) ([]time.Weekday, error) {
	from, to, isRange := strings.Cut(key, "-")
	a, ok := parseWeekday(from)
	if !ok {
		return nil, fmt.Errorf("bad weekdays %q: %q is not one of mon, tue, wed, thu, fri, sat, sun", key, strings.TrimSpace(from))
	}
	if !isRange {
		return []time.Weekday{a}, nil
	}
	b, ok := parseWeekday(to)
	if !ok {
		return nil, fmt.Errorf("bad weekdays %q: %q is not one of mon, tue, wed, thu, fri, sat, sun", key, strings.TrimSpace(to))
	}
	days := []time.Weekday{a}
	for d := a; d != b; {
		d = (d + 1) % 7
		days = append(days, d)
	}
	return days, nil
}

// ParseRanges parses the opening hours of a day: comma-separated local
// wall-clock ranges "HH:MM-HH:MM" (two digits each, 00:00 to 23:59, and
// 24:00 as an end), ascending and non-overlapping, each with start < end.
// Ranges may touch ("09:00-12:00, 12:00-13:00"). Spaces around the pieces are
// ignored. Errors name the offending piece.
func ParseRanges(s string) ([]Range, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("bad hours %q: empty (want e.g. \"09:00-12:00, 13:00-18:00\")", s)
	}
	var out []Range
	for _, piece := range strings.Split(s, ",") {
		p := strings.TrimSpace(piece)
		bad := func(format string, a ...any) ([]Range, error) {
			return nil, fmt.Errorf("bad hours %q: range %q: "+format, append([]any{s, p}, a...)...)
		}
		if p == "" {
			return bad("empty range")
		}
		a, b, ok := strings.Cut(p, "-")
		if !ok {
			return bad("want HH:MM-HH:MM")
		}
		start, err := parseClock(strings.TrimSpace(a), false)
		if err != nil {
			return bad("start: %v", err)
		}
		end, err := parseClock(strings.TrimSpace(b), true)
		if err != nil {
			return bad("end: %v", err)
		}
		if start >= end {
			return bad("start is not before end")
		}
		if n := len(out); n > 0 && start < out[n-1].End {
			return bad("overlaps or precedes the range before it (%s); ranges must be ascending and must not overlap", out[n-1])
		}
		out = append(out, Range{start, end})
	}
	return out, nil
}

// parseClock parses "HH:MM"; "24:00" only when end is set.
func parseClock(s string, end bool) (time.Duration, error) {
	if len(s) != 5 || s[2] != ':' || !digits(s[:2]) || !digits(s[3:]) {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:])
	switch {
	case h == 24 && m == 0 && end:
		return day, nil
	case h == 24 && m == 0:
		return 0, fmt.Errorf("24:00 can only end a range")
	case h > 23 || m > 59:
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseDate parses a local date written YYYY-MM-DD ("2026-10-01"); the date
// must exist (2026-02-30 is an error).
func ParseDate(s string) (Date, error) {
	v := strings.TrimSpace(s)
	t, err := time.Parse("2006-01-02", v)
	if err == nil && len(v) == len("2006-01-02") {
		return DateOf(t), nil
	}
	if err != nil && strings.Contains(err.Error(), "out of range") && len(v) == len("2006-01-02") {
		return Date{}, fmt.Errorf("bad date %q: no such date", s)
	}
	return Date{}, fmt.Errorf("bad date %q: want YYYY-MM-DD, e.g. 2026-10-01", s)
}
