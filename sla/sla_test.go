package sla

import (
	"sync"
	"testing"
	"time"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// mkCal builds a calendar the way the rules file describes one, through the
// parsers.
func mkCal(t testing.TB, zone string, hours map[string]string, holidays []string, workdays map[string]string) *Calendar {
	t.Helper()
	c := &Calendar{Name: "test", Location: mustLoc(t, zone), Holidays: map[Date]bool{}, Workdays: map[Date][]Range{}}
	for key, val := range hours {
		days, err := ParseWeekdays(key)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := ParseRanges(val)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range days {
			c.Weekly[d] = rs
		}
	}
	for _, s := range holidays {
		d, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		c.Holidays[d] = true
	}
	for s, val := range workdays {
		d, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := ParseRanges(val)
		if err != nil {
			t.Fatal(err)
		}
		c.Workdays[d] = rs
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	return c
}

// tm parses an RFC 3339 instant; the offsets make the expected values
// unambiguous across DST changes.
func tm(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func dur(t testing.TB, s string) Duration {
	t.Helper()
	d, err := ParseDuration(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Test calendars.
func calendars(t testing.TB) map[string]*Calendar {
	return map[string]*Calendar{
		// The rules-file example of docs/design.md.
		"office": mkCal(t, "Asia/Shanghai",
			map[string]string{"mon-fri": "09:00-12:00, 13:00-18:00", "sat": "10:00-14:00"},
			[]string{"2026-10-01", "2026-10-02"},
			map[string]string{"2026-10-10": "09:00-18:00"}),
		// China's National Day week 2026: 10-01..07 off, Saturday 10-10
		// a make-up working day.
		"cn": mkCal(t, "Asia/Shanghai",
			map[string]string{"mon-fri": "09:00-18:00"},
			[]string{"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"},
			map[string]string{"2026-10-10": "09:00-18:00"}),
		"9to6": mkCal(t, "UTC", map[string]string{"mon-fri": "09:00-18:00"}, nil, nil),
		// A workday entry replaces the weekday's hours, it does not add.
		"replace": mkCal(t, "UTC", map[string]string{"sat": "10:00-14:00"}, nil,
			map[string]string{"2026-11-28": "15:00-17:00", "2026-12-05": "09:00-09:30, 10:00-10:30"}),
		// Late Monday shift running into Tuesday's early one.
		"night": mkCal(t, "UTC", map[string]string{"mon": "20:00-24:00", "tue": "00:00-02:00"}, nil, nil),
		"ny24":  mkCal(t, "America/New_York", map[string]string{"mon-sun": "00:00-24:00"}, nil, nil),
		"be24":  mkCal(t, "Europe/Berlin", map[string]string{"mon-sun": "00:00-24:00"}, nil, nil),
		// Openings inside the spring-forward gap, closings in the
		// fall-back overlap.
		"nyGap":  mkCal(t, "America/New_York", map[string]string{"mon-sun": "02:30-05:00"}, nil, nil),
		"beGap":  mkCal(t, "Europe/Berlin", map[string]string{"mon-sun": "02:30-05:00"}, nil, nil),
		"nyBack": mkCal(t, "America/New_York", map[string]string{"mon-sun": "01:00-02:00"}, nil, nil),
		"beBack": mkCal(t, "Europe/Berlin", map[string]string{"mon-sun": "02:00-03:00"}, nil, nil),
		// Closings inside the gap and the overlap.
		"beGapClose":  mkCal(t, "Europe/Berlin", map[string]string{"mon-sun": "01:00-02:30"}, nil, nil),
		"beBackClose": mkCal(t, "Europe/Berlin", map[string]string{"mon-sun": "01:00-02:30"}, nil, nil),
		// Ranges wholly inside the spring-forward gap.
		"nyInGap": mkCal(t, "America/New_York", map[string]string{"mon-sun": "02:00-02:30"}, nil, nil),
		"beInGap": mkCal(t, "Europe/Berlin", map[string]string{"mon-sun": "02:15-02:45"}, nil, nil),
		"nyWork":  mkCal(t, "America/New_York", map[string]string{"mon-fri": "09:00-17:00"}, nil, nil),
		"closed":  mkCal(t, "UTC", nil, nil, nil),
		// The only opening is a single workday, far ahead.
		"far":    mkCal(t, "UTC", nil, nil, map[string]string{"2031-01-06": "09:00-10:00"}),
		"toofar": mkCal(t, "UTC", nil, nil, map[string]string{"2037-01-06": "09:00-10:00"}),
	}
}

// Weekdays used below: 2026-11-23 is a Monday; 2026-09-30 a Wednesday;
// 2026-10-10 a Saturday; 2026-03-08 and 2026-11-01 are the New York DST
// Sundays, 2026-03-29 and 2026-10-25 the Berlin ones.
func TestDue(t *testing.T) {
	cals := calendars(t)
	for _, tc := range []struct {
		cal, start, dur, want string
		why                   string
	}{
		// office: Shanghai, mon-fri 09-12 13-18, sat 10-14.
		{"office", "2026-11-23T10:00:00+08:00", "4h", "2026-11-23T15:00:00+08:00", "10-12 and 13-15 around lunch"},
		{"office", "2026-11-23T11:00:00+08:00", "1h", "2026-11-23T12:00:00+08:00", "ends exactly at the lunch closing: that end, not 13:00"},
		{"office", "2026-11-23T11:00:00+08:00", "61m", "2026-11-23T13:01:00+08:00", "one minute past the lunch break"},
		{"office", "2026-11-23T12:30:00+08:00", "1h", "2026-11-23T14:00:00+08:00", "start in lunch: counting starts at 13:00"},
		{"office", "2026-11-23T12:00:00+08:00", "1h", "2026-11-23T14:00:00+08:00", "start at the closing instant is outside"},
		{"office", "2026-11-23T08:00:00+08:00", "4h", "2026-11-23T14:00:00+08:00", "before opening: 09-12, then 13-14"},
		{"office", "2026-11-23T18:00:00+08:00", "1h", "2026-11-24T10:00:00+08:00", "start at the evening closing: Tuesday 09-10"},
		{"office", "2026-11-23T17:00:00+08:00", "4h", "2026-11-24T12:00:00+08:00", "17-18, then Tue 09-12 ends at a closing"},
		{"office", "2026-11-27T17:00:00+08:00", "4h", "2026-11-28T13:00:00+08:00", "Fri 17-18, Sat 10-13"},
		{"office", "2026-11-28T13:00:00+08:00", "4h", "2026-11-30T12:00:00+08:00", "Sat 13-14, Sunday closed, Mon 09-12"},
		{"office", "2026-11-23T09:00:00+08:00", "20h", "2026-11-25T14:00:00+08:00", "Mon 8h, Tue 8h, Wed 09-12 and 13-14"},
		{"office", "2026-11-23T10:00:00+08:00", "1h30m", "2026-11-23T11:30:00+08:00", ""},
		{"office", "2026-11-23T10:00:00+08:00", "1d", "2026-11-24T18:00:00+08:00", "the next open day's closing"},
		{"office", "2026-11-23T10:00:00+08:00", "3d", "2026-11-26T18:00:00+08:00", ""},
		{"office", "2026-11-27T19:00:00+08:00", "1d", "2026-11-30T18:00:00+08:00", "S = Sat 10:00 (office opens Saturdays), the next open day is Monday"},
		{"office", "2026-11-28T15:00:00+08:00", "1d", "2026-12-01T18:00:00+08:00", "S = Mon 09:00, so the day after it: Tuesday"},
		{"office", "2026-11-28T11:00:00+08:00", "1d", "2026-11-30T18:00:00+08:00", "inside Saturday's hours: Monday"},
		{"office", "2026-09-30T17:00:00+08:00", "4h", "2026-10-03T13:00:00+08:00", "Wed 17-18, two holidays, Sat 10-13"},
		{"office", "2026-09-30T10:00:00+08:00", "1d", "2026-10-03T14:00:00+08:00", "10-01 and 10-02 are holidays, not open days; Saturday closes at 14:00"},
		{"office", "2026-10-10T08:00:00+08:00", "4h", "2026-10-10T13:00:00+08:00", "the workday's 09-18 has no lunch break"},
		{"office", "2026-10-10T17:00:00+08:00", "2h", "2026-10-12T10:00:00+08:00", "workday 17-18, Sunday closed, Mon 09-10"},
		{"office", "2026-11-23T01:00:00Z", "4h", "2026-11-23T14:00:00+08:00", "a UTC start (09:00 in Shanghai)"},

		// cn: National Day week with a make-up Saturday.
		{"cn", "2026-09-30T16:00:00+08:00", "4h", "2026-10-08T11:00:00+08:00", "Wed 16-18, closed 10-01..07, Thu 09-11"},
		{"cn", "2026-09-30T10:00:00+08:00", "1d", "2026-10-08T18:00:00+08:00", "the first open day after the holiday week"},
		{"cn", "2026-09-30T10:00:00+08:00", "3d", "2026-10-10T18:00:00+08:00", "Thu 8, Fri 9, and make-up Saturday 10"},
		{"cn", "2026-09-30T10:00:00+08:00", "4d", "2026-10-12T18:00:00+08:00", "Sunday 11 stays closed"},
		{"cn", "2026-10-03T12:00:00+08:00", "1d", "2026-10-09T18:00:00+08:00", "S = Thu 10-08 09:00, so Friday"},
		{"cn", "2026-10-09T17:00:00+08:00", "2h", "2026-10-10T10:00:00+08:00", "Fri 17-18, make-up Sat 09-10"},
		{"cn", "2026-10-09T09:00:00+08:00", "18h", "2026-10-10T18:00:00+08:00", "Fri 9h and make-up Sat 9h: ends at Saturday's closing"},

		// The two examples of the brief.
		{"9to6", "2026-11-23T10:00:00Z", "1d", "2026-11-24T18:00:00Z", "Mon 10:00 + 1d"},
		{"9to6", "2026-11-27T19:00:00Z", "1d", "2026-12-01T18:00:00Z", "Fri 19:00: S = Mon 09:00, so Tuesday"},
		{"9to6", "2026-11-27T18:00:00Z", "1h", "2026-11-30T10:00:00Z", "Friday's closing instant is outside"},
		{"9to6", "2026-11-23T09:00:00Z", "9h", "2026-11-23T18:00:00Z", "a full day ends at the closing"},
		{"9to6", "2026-11-23T09:00:00Z", "45h", "2026-11-27T18:00:00Z", "five full days"},
		{"9to6", "2026-11-23T09:00:00Z", "45h1m", "2026-11-30T09:01:00Z", "one minute more: next Monday"},
		{"9to6", "2026-11-23T10:00:00Z", "5d", "2026-11-30T18:00:00Z", ""},

		// A workday replaces the weekday's hours.
		{"replace", "2026-11-28T09:00:00Z", "1h", "2026-11-28T16:00:00Z", "15-17, not Saturday's usual 10-14"},
		{"replace", "2026-12-05T09:15:00Z", "30m", "2026-12-05T10:15:00Z", "09:15-09:30 and 10:00-10:15"},
		{"replace", "2026-11-28T17:00:00Z", "1h", "2026-12-05T10:30:00Z", "next Saturday is a workday too: 09:00-09:30 and 10:00-10:30"},

		// 00:00 belongs to the new day; 24:00 is written 00:00.
		{"night", "2026-11-23T23:00:00Z", "2h", "2026-11-24T01:00:00Z", "Mon 23-24 then Tue 00-01: no gap at midnight"},
		{"night", "2026-11-23T23:00:00Z", "1h", "2026-11-24T00:00:00Z", "ends at Monday's 24:00 = Tuesday 00:00"},
		{"night", "2026-11-23T23:00:00Z", "1d", "2026-11-24T02:00:00Z", "S is on Monday; Tuesday is the next open day"},
		{"night", "2026-11-24T00:00:00Z", "1d", "2026-12-01T00:00:00Z", "S = Tue 00:00 is on Tuesday; next open day Mon 30, ends 24:00"},
		{"night", "2026-11-24T02:00:00Z", "1h", "2026-11-30T21:00:00Z", "start at Tuesday's closing"},

		// 24×7 calendars across DST: a range lasts its real length.
		{"ny24", "2026-03-08T00:00:00-05:00", "23h", "2026-03-09T00:00:00-04:00", "the 23-hour day"},
		{"ny24", "2026-03-08T00:00:00-05:00", "24h", "2026-03-09T01:00:00-04:00", ""},
		{"ny24", "2026-03-07T12:00:00-05:00", "1d", "2026-03-09T00:00:00-04:00", "the end of 03-08 is 24:00 = 03-09 00:00 EDT"},
		{"ny24", "2026-11-01T00:00:00-04:00", "24h", "2026-11-01T23:00:00-05:00", "the 25-hour day"},
		{"ny24", "2026-11-01T00:00:00-04:00", "25h", "2026-11-02T00:00:00-05:00", ""},
		{"be24", "2026-03-29T00:00:00+01:00", "23h", "2026-03-30T00:00:00+02:00", ""},
		{"be24", "2026-03-29T00:00:00+01:00", "24h", "2026-03-30T01:00:00+02:00", ""},
		{"be24", "2026-10-25T00:00:00+02:00", "24h", "2026-10-25T23:00:00+01:00", ""},
		{"be24", "2026-10-25T00:00:00+02:00", "25h", "2026-10-26T00:00:00+01:00", ""},
		{"be24", "2026-10-24T10:00:00+02:00", "1d", "2026-10-26T00:00:00+01:00", ""},

		// An opening in the spring-forward gap opens when the clock jumps
		// past it, 02:00 to 03:00, on both sides of Greenwich (audit 4:
		// time.Date's normalisation opened New York's 02:30 at 01:30 EST,
		// with the clock reading 01:30, and Berlin's at 03:30 CEST).
		{"nyGap", "2026-03-08T00:00:00-05:00", "1h", "2026-03-08T04:00:00-04:00", "opens 03:00 EDT, the jump"},
		{"nyGap", "2026-03-08T00:00:00-05:00", "2h", "2026-03-08T05:00:00-04:00", "the clock reads 03:00-05:00 of the range: 2 h"},
		{"nyGap", "2026-03-08T00:00:00-05:00", "121m", "2026-03-09T02:31:00-04:00", ""},
		{"beGap", "2026-03-29T00:00:00+01:00", "1h", "2026-03-29T04:00:00+02:00", "opens 03:00 CEST, the jump"},
		{"beGap", "2026-03-29T00:00:00+01:00", "2h", "2026-03-29T05:00:00+02:00", "2 h, as in New York"},
		{"beGap", "2026-03-29T00:00:00+01:00", "121m", "2026-03-30T02:31:00+02:00", ""},
		{"beGapClose", "2026-03-29T00:00:00+01:00", "1h", "2026-03-29T03:00:00+02:00", "01:00 CET to the jump: the range's whole day"},
		// A date whose only range the clock never reads (it lies in the
		// gap) still counts as an open day for Nd; its end is the jump,
		// where a range closing in the gap closes (audit 5: time.Date's
		// closing, 01:30 EST in New York, before the range's 02:00, and
		// 03:45 CEST in Berlin).
		{"nyInGap", "2026-03-07T02:10:00-05:00", "1d", "2026-03-08T03:00:00-04:00", "the jump, not 01:30 EST"},
		{"nyInGap", "2026-03-06T12:00:00-05:00", "1d", "2026-03-08T03:00:00-04:00", ""},
		{"nyInGap", "2026-03-07T02:10:00-05:00", "2d", "2026-03-09T02:30:00-04:00", ""},
		{"beInGap", "2026-03-28T02:20:00+01:00", "1d", "2026-03-29T03:00:00+02:00", "the jump, not 03:45 CEST"},
		{"beInGap", "2026-03-28T02:20:00+01:00", "2d", "2026-03-30T02:45:00+02:00", ""},
		{"beInGap", "2026-03-29T00:00:00+01:00", "1m", "2026-03-30T02:16:00+02:00", "never open on the gap day"},
		{"beGapClose", "2026-03-29T00:00:00+01:00", "61m", "2026-03-30T01:01:00+02:00", "not the 30 minutes to a normalised 03:30"},
		// A range the fall-back overlap runs through is open during both
		// passes of the repeated hour: New York's 01:00-02:00 and Berlin's
		// 02:00-03:00 both last 2 h (audit 4: Berlin's counted only the
		// second pass, time.Date resolving its 02:00 to CET).
		{"nyBack", "2026-11-01T00:00:00-04:00", "90m", "2026-11-01T01:30:00-05:00", "01:00 EDT + 90m"},
		{"nyBack", "2026-11-01T00:00:00-04:00", "2h", "2026-11-01T02:00:00-05:00", ""},
		{"beBack", "2026-10-25T00:00:00+02:00", "30m", "2026-10-25T02:30:00+02:00", "the first pass, CEST, is open"},
		{"beBack", "2026-10-25T00:00:00+02:00", "90m", "2026-10-25T02:30:00+01:00", "an hour of CEST, half an hour of CET"},
		{"beBack", "2026-10-25T00:00:00+02:00", "2h", "2026-10-25T03:00:00+01:00", ""},
		{"beBackClose", "2026-10-25T00:00:00+02:00", "2h", "2026-10-25T02:30:00+01:00", "01:00-02:30 CEST, closed to 02:00 CET, 02:00-02:30 CET"},
		{"beBackClose", "2026-10-25T00:00:00+02:00", "3h", "2026-10-26T02:00:00+01:00", "the range lasts 2 h, not 2h30m"},
		{"beBackClose", "2026-10-24T02:00:00+02:00", "1d", "2026-10-25T02:30:00+01:00", "the day's end is where the clock leaves the range the second time"},
		{"beGapClose", "2026-03-28T02:00:00+01:00", "1d", "2026-03-29T03:00:00+02:00", "the day's end is the jump"},

		// Business hours across the New York DST weekend.
		{"nyWork", "2026-03-06T16:00:00-05:00", "2h", "2026-03-09T10:00:00-04:00", "Fri 16-17 EST, Mon 09-10 EDT"},
		{"nyWork", "2026-10-30T16:00:00-04:00", "1d", "2026-11-02T17:00:00-05:00", ""},
	} {
		c := cals[tc.cal]
		start := tm(t, tc.start)
		got := c.Due(start, dur(t, tc.dur))
		want := tm(t, tc.want)
		if !got.Equal(want) {
			t.Errorf("%s: Due(%s, %s) = %s, want %s (%s)", tc.cal, tc.start, tc.dur, got.Format(time.RFC3339), tc.want, tc.why)
		}
		if got.Location() != c.Location {
			t.Errorf("%s: Due(%s, %s) in %v, want the calendar's %v", tc.cal, tc.start, tc.dur, got.Location(), c.Location)
		}
		if d := dur(t, tc.dur); d.Days == 0 {
			if b := c.Between(start, got); b != d.Business {
				t.Errorf("%s: Between(%s, Due(%s)) = %s", tc.cal, tc.start, tc.dur, b)
			}
		}
	}
}

func TestIsOpen(t *testing.T) {
	cals := calendars(t)
	for _, tc := range []struct {
		cal, at string
		want    bool
	}{
		{"office", "2026-11-23T09:00:00+08:00", true}, // opening instant is inside
		{"office", "2026-11-23T08:59:59+08:00", false},
		{"office", "2026-11-23T11:59:59+08:00", true},
		{"office", "2026-11-23T12:00:00+08:00", false}, // closing instant is outside
		{"office", "2026-11-23T13:00:00+08:00", true},
		{"office", "2026-11-23T18:00:00+08:00", false},
		{"office", "2026-11-23T02:00:00Z", true},       // 10:00 in Shanghai
		{"office", "2026-11-29T12:00:00+08:00", false}, // Sunday
		{"office", "2026-11-28T12:00:00+08:00", true},  // Saturday hours
		{"office", "2026-10-01T10:00:00+08:00", false}, // holiday
		{"office", "2026-10-10T12:30:00+08:00", true},  // workday without lunch break
		{"office", "2026-10-10T09:30:00+08:00", true},  // workday opens 09:00, Saturdays 10:00
		{"replace", "2026-11-28T11:00:00Z", false},     // workday replaces 10-14
		{"replace", "2026-11-28T16:00:00Z", true},      //
		{"night", "2026-11-24T00:00:00Z", true},        // 00:00 is Tuesday's
		{"night", "2026-11-23T23:59:59Z", true},        //
		{"night", "2026-11-24T02:00:00Z", false},       //
		{"night", "2026-11-30T00:00:00Z", false},       // Monday 00:00 is not Sunday's 24:00
		{"nyGap", "2026-03-08T01:45:00-05:00", false},  // the clock reads 01:45, before 02:30
		{"nyGap", "2026-03-08T03:00:00-04:00", true},   // the jump: 03:00 is inside 02:30-05:00
		{"beGap", "2026-03-29T01:59:00+01:00", false},  //
		{"beGap", "2026-03-29T03:15:00+02:00", true},   // 03:15 is inside 02:30-05:00
		{"nyBack", "2026-11-01T01:30:00-04:00", true},  // first 01:30
		{"nyBack", "2026-11-01T01:30:00-05:00", true},  // second 01:30
		{"beBack", "2026-10-25T02:30:00+02:00", true},  // first 02:30 (CEST)
		{"beBack", "2026-10-25T02:30:00+01:00", true},  // second 02:30 (CET)
		{"ny24", "2026-03-08T03:00:00-04:00", true},    //
		{"closed", "2026-11-23T10:00:00Z", false},      //
		{"far", "2031-01-06T09:00:00Z", true},          //
	} {
		if got := cals[tc.cal].IsOpen(tm(t, tc.at)); got != tc.want {
			t.Errorf("%s: IsOpen(%s) = %v, want %v", tc.cal, tc.at, got, tc.want)
		}
	}
	if !(*Calendar)(nil).IsOpen(tm(t, "2026-11-29T03:00:00Z")) {
		t.Error("nil calendar: IsOpen = false, want always open")
	}
}

func TestNextOpen(t *testing.T) {
	cals := calendars(t)
	for _, tc := range []struct {
		cal, at, want string // want "" means none
	}{
		{"office", "2026-11-23T10:00:00+08:00", "2026-11-23T10:00:00+08:00"},
		{"office", "2026-11-23T12:00:00+08:00", "2026-11-23T13:00:00+08:00"},
		{"office", "2026-11-23T18:00:00+08:00", "2026-11-24T09:00:00+08:00"},
		{"office", "2026-11-28T14:00:00+08:00", "2026-11-30T09:00:00+08:00"},
		{"office", "2026-09-30T18:30:00+08:00", "2026-10-03T10:00:00+08:00"},
		{"cn", "2026-09-30T18:30:00+08:00", "2026-10-08T09:00:00+08:00"},
		{"nyGap", "2026-03-08T00:00:00-05:00", "2026-03-08T03:00:00-04:00"},
		{"beGap", "2026-03-29T00:00:00+01:00", "2026-03-29T03:00:00+02:00"},
		{"beBack", "2026-10-25T02:10:00+02:00", "2026-10-25T02:10:00+02:00"},
		{"beBackClose", "2026-10-25T02:40:00+02:00", "2026-10-25T02:00:00+01:00"},
		{"far", "2026-11-23T10:00:00Z", "2031-01-06T09:00:00Z"}, // about 1500 days ahead
		{"toofar", "2026-11-23T10:00:00Z", ""},                  // beyond 3660 days
		{"closed", "2026-11-23T10:00:00Z", ""},
	} {
		c := cals[tc.cal]
		got, ok := c.NextOpen(tm(t, tc.at))
		if tc.want == "" {
			if ok {
				t.Errorf("%s: NextOpen(%s) = %s, true; want none", tc.cal, tc.at, got)
			}
			continue
		}
		if !ok || !got.Equal(tm(t, tc.want)) || got.Location() != c.Location {
			t.Errorf("%s: NextOpen(%s) = %s, %v; want %s in %v", tc.cal, tc.at, got, ok, tc.want, c.Location)
		}
	}
	at := tm(t, "2026-11-29T03:00:00Z")
	if got, ok := (*Calendar)(nil).NextOpen(at); !ok || got != at {
		t.Errorf("nil calendar: NextOpen = %s, %v; want %s, true", got, ok, at)
	}
}

func TestBetween(t *testing.T) {
	cals := calendars(t)
	for _, tc := range []struct {
		cal, a, b string
		want      time.Duration
	}{
		{"office", "2026-11-23T10:00:00+08:00", "2026-11-24T10:00:00+08:00", 8 * h}, // 10-12, 13-18, 09-10
		{"office", "2026-11-23T12:10:00+08:00", "2026-11-23T12:50:00+08:00", 0},     // lunch
		{"office", "2026-11-23T11:30:00+08:00", "2026-11-23T13:15:00+08:00", 45 * m},
		{"office", "2026-11-23T00:00:00+08:00", "2026-11-30T00:00:00+08:00", 44 * h},                    // 5×8h + Saturday 4h
		{"office", "2026-09-28T00:00:00+08:00", "2026-10-12T00:00:00+08:00", 3*8*h + 4*h + 5*8*h + 9*h}, // Mon-Wed, Sat 3, the week of 5, workday Sat 10
		{"cn", "2026-09-28T00:00:00+08:00", "2026-10-12T00:00:00+08:00", 3*9*h + 3*9*h},                 // Mon-Wed, Thu-Sat 10
		{"office", "2026-11-24T10:00:00+08:00", "2026-11-23T10:00:00+08:00", 0},                         // b before a
		{"office", "2026-11-23T10:00:00+08:00", "2026-11-23T10:00:00+08:00", 0},                         // empty
		{"ny24", "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00", 23 * h},                      // the 23-hour day
		{"ny24", "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00", 25 * h},                      // the 25-hour day
		{"be24", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 23 * h},                      //
		{"be24", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 25 * h},                      //
		{"nyGap", "2026-03-08T00:00:00-05:00", "2026-03-09T00:00:00-04:00", 2 * h},                      // 03:00-05:00 EDT
		{"beGap", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", 2 * h},                      // 03:00-05:00 CEST
		{"nyBack", "2026-11-01T00:00:00-04:00", "2026-11-02T00:00:00-05:00", 2 * h},                     // both 01:00-02:00
		{"beBack", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 2 * h},                     // both 02:00-03:00
		{"beGapClose", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", h},                     // 01:00 CET to the jump
		{"beBackClose", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", 2 * h},                // 01:00-02:30 CEST, 02:00-02:30 CET
		{"closed", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z", 0},                                   //
		{"far", "2026-01-01T00:00:00Z", "2036-01-01T00:00:00Z", h},                                      // ten years of scanning
		{"9to6", "2026-11-23T00:00:00Z", "2027-11-22T00:00:00Z", 52 * 5 * 9 * h},                        // 52 weeks
	} {
		if got := cals[tc.cal].Between(tm(t, tc.a), tm(t, tc.b)); got != tc.want {
			t.Errorf("%s: Between(%s, %s) = %s, want %s", tc.cal, tc.a, tc.b, got, tc.want)
		}
	}
	a, b := tm(t, "2026-03-07T12:00:00-05:00"), tm(t, "2026-03-08T12:00:00-04:00")
	if got := (*Calendar)(nil).Between(a, b); got != 23*h {
		t.Errorf("nil calendar: Between = %s, want 23h (wall-clock time)", got)
	}
	if got := (*Calendar)(nil).Between(b, a); got != 0 {
		t.Errorf("nil calendar: Between(b, a) = %s, want 0", got)
	}
}

func TestDueNilCalendar(t *testing.T) {
	var c *Calendar
	ny := mustLoc(t, "America/New_York")
	start := time.Date(2026, 3, 7, 12, 0, 0, 0, ny)
	for _, tc := range []struct {
		dur  Duration
		want string
	}{
		{dur(t, "4h"), "2026-03-07T16:00:00-05:00"},
		{dur(t, "1d"), "2026-03-08T13:00:00-04:00"}, // 24 real hours across the 23-hour day
		{dur(t, "3d"), "2026-03-10T13:00:00-04:00"},
		{Duration{}, "2026-03-07T12:00:00-05:00"},
	} {
		got := c.Due(start, tc.dur)
		if !got.Equal(tm(t, tc.want)) || got.Location() != ny {
			t.Errorf("nil calendar: Due(%s) = %s, want %s in %v", tc.dur, got, tc.want, ny)
		}
	}
}

func TestDueEdgeCases(t *testing.T) {
	cals := calendars(t)
	start := tm(t, "2026-11-23T10:00:00Z")
	for _, d := range []Duration{dur(t, "4h"), dur(t, "1d")} {
		if got := cals["closed"].Due(start, d); !got.IsZero() {
			t.Errorf("closed: Due(%s) = %s, want the zero Time", d, got)
		}
		if got := cals["toofar"].Due(start, d); !got.IsZero() {
			t.Errorf("toofar: Due(%s) = %s, want the zero Time", d, got)
		}
	}
	if got := cals["far"].Due(start, dur(t, "30m")); !got.Equal(tm(t, "2031-01-06T09:30:00Z")) {
		t.Errorf("far: Due(30m) = %s", got)
	}
	// 1d needs an open day after the only one: none within the horizon.
	if got := cals["far"].Due(start, dur(t, "1d")); !got.IsZero() {
		t.Errorf("far: Due(1d) = %s, want the zero Time", got)
	}
	// Zero and negative durations return the start, in the calendar's zone.
	for _, d := range []Duration{{}, {Business: -h}, {Days: -2}} {
		if got := cals["office"].Due(start, d); !got.Equal(start) || got.Location() != cals["office"].Location {
			t.Errorf("office: Due(%+v) = %s, want the start in Asia/Shanghai", d, got)
		}
	}
	// A business duration far beyond the horizon gives up instead of
	// looping for ages: one hour a year for 1000 years.
	sparse := mkCal(t, "UTC", nil, nil, nil)
	sparse.Workdays = map[Date][]Range{}
	for y := 2027; y < 2200; y++ {
		sparse.Workdays[Date{y, 1, 4}] = []Range{{9 * h, 10 * h}}
	}
	if got := sparse.Due(start, Duration{Business: 1000 * h}); !got.IsZero() {
		t.Errorf("sparse: Due(1000h) = %s, want the zero Time", got)
	}
	if got := sparse.Due(start, Duration{Business: 100 * h}); !got.Equal(tm(t, "2126-01-04T10:00:00Z")) {
		t.Errorf("sparse: Due(100h) = %s, want 2126-01-04 10:00", got)
	}
	// Huge values do not overflow or hang.
	if got := cals["9to6"].Due(start, Duration{Days: MaxDays}); got.Year() < 2040 || got.Year() > 2041 {
		t.Errorf("9to6: Due(%dd) = %s", MaxDays, got)
	}
	if got := cals["9to6"].Due(start, Duration{Business: 1<<63 - 1}); !got.IsZero() {
		t.Errorf("9to6: Due(max) = %s, want the zero Time", got)
	}
	// Day counts beyond the horizon are refused rather than overflowing.
	for _, c := range []*Calendar{nil, cals["9to6"]} {
		if got := c.Due(start, Duration{Days: 1 << 40}); !got.IsZero() {
			t.Errorf("Due(2^40 days) = %s, want the zero Time", got)
		}
	}
	// A nil Location means UTC.
	c := &Calendar{Weekly: cals["9to6"].Weekly}
	if got := c.Due(start, dur(t, "9h")); !got.Equal(tm(t, "2026-11-24T10:00:00Z")) || got.Location() != time.UTC {
		t.Errorf("nil Location: Due = %s", got)
	}
}

func TestValidate(t *testing.T) {
	d := Date{2026, 10, 1}
	for _, tc := range []struct {
		name    string
		c       Calendar
		wantErr string
	}{
		{"ok", Calendar{Weekly: [7][]Range{1: {{9 * h, 12 * h}, {12 * h, 24 * h}}}}, ""},
		{"both", Calendar{Holidays: map[Date]bool{d: true}, Workdays: map[Date][]Range{d: {{9 * h, 18 * h}}}}, "2026-10-01: both a holiday and a workday"},
		{"overlap", Calendar{Weekly: [7][]Range{1: {{9 * h, 12 * h}, {11 * h, 13 * h}}}}, "mon: range 11:00-13:00 overlaps"},
		{"empty range", Calendar{Weekly: [7][]Range{2: {{9 * h, 9 * h}}}}, "tue: range 09:00-09:00: start not before end"},
		{"past 24h", Calendar{Weekly: [7][]Range{0: {{9 * h, 25 * h}}}}, "sun: range 09:00-25:00 outside"},
		{"bad workday", Calendar{Workdays: map[Date][]Range{d: {{18 * h, 9 * h}}}}, "workday 2026-10-01"},
		{"no such date", Calendar{Holidays: map[Date]bool{{2026, 2, 30}: true}}, "2026-02-30: not a date"},
	} {
		err := tc.c.Validate()
		if tc.wantErr == "" {
			if err != nil {
				t.Errorf("%s: Validate = %v", tc.name, err)
			}
			continue
		}
		if err == nil || !contains(err.Error(), tc.wantErr) {
			t.Errorf("%s: Validate = %v, want error containing %q", tc.name, err, tc.wantErr)
		}
	}
	// A date that is both holiday and workday is closed (the holiday wins).
	c := &Calendar{Location: time.UTC, Holidays: map[Date]bool{d: true}, Workdays: map[Date][]Range{d: {{9 * h, 18 * h}}}}
	if c.IsOpen(tm(t, "2026-10-01T10:00:00Z")) {
		t.Error("holiday and workday: open, want closed")
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestConcurrentUse shares one calendar between goroutines; with -race it
// proves the methods only read it.
func TestConcurrentUse(t *testing.T) {
	c := calendars(t)["cn"]
	start := tm(t, "2026-09-30T10:00:00+08:00")
	want3d, want4h := c.Due(start, Duration{Days: 3}), c.Due(start, Duration{Business: 4 * h})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if got := c.Due(start, Duration{Days: 3}); !got.Equal(want3d) {
					t.Errorf("concurrent Due(3d) = %s", got)
				}
				if got := c.Due(start, Duration{Business: 4 * h}); !got.Equal(want4h) {
					t.Errorf("concurrent Due(4h) = %s", got)
				}
				c.IsOpen(start)
				c.NextOpen(start)
				c.Between(start, want3d)
			}
		})
	}
	wg.Wait()
}

// BenchmarkDue computes deadlines across China's National Day week.
func BenchmarkDue(b *testing.B) {
	c := calendars(b)["cn"]
	start := time.Date(2026, 9, 30, 16, 0, 0, 0, c.Location)
	for _, d := range []Duration{{Days: 3}, {Business: 4 * time.Hour}} {
		b.Run(d.String(), func(b *testing.B) {
			for b.Loop() {
				c.Due(start, d)
			}
		})
	}
}
