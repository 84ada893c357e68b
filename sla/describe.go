package sla

import (
	"fmt"
	"strings"
	"time"
)

// Describe writes a deadline the way a customer reads it, in t's own
// location (pass what Due returns, which is in the calendar's zone):
//
//	en: Tuesday 24 November, 10:00 (China Standard Time)
//	zh: 11月24日（周二）10:00
//
// English names the zone by its long English name when the zone is in a
// small table of common IANA zones (daylight-saving names in summer), else
// by the abbreviation t.Zone() gives ("+08", "WIB"). Chinese names no zone
// for China Standard Time (Asia/Shanghai and its aliases) and appends the
// abbreviation in full-width parentheses for any other zone:
// 11月24日（周二）10:00（CET）. The year is not shown. lang is a language tag;
// "zh", "zh-CN", "zh-Hant" … give Chinese, anything else English.
func Describe(t time.Time, lang string) string {
	if isZh(lang) {
		s := fmt.Sprintf("%d月%d日（%s）%02d:%02d", int(t.Month()), t.Day(), zhWeekdays[t.Weekday()], t.Hour(), t.Minute())
		if zoneLongName(t) != "China Standard Time" {
			s += "（" + zoneAbbr(t) + "）"
		}
		return s
	}
	name := zoneLongName(t)
	if name == "" {
		name = zoneAbbr(t)
	}
	return t.Format("Monday 2 January, 15:04") + " (" + name + ")"
}

// zoneAbbr is t.Zone()'s abbreviation, or for a zone that has none (the
// fixed offset an RFC 3339 time such as "…+08:00" parses to, in which a
// deadline on 24×7 wall-clock time is shown) the offset from UTC:
// "UTC+08:00", "UTC-05:30", "UTC".
func zoneAbbr(t time.Time) string {
	abbr, off := t.Zone()
	switch {
	case abbr != "":
		return abbr
	case off == 0:
		return "UTC"
	}
	return "UTC" + t.Format("-07:00")
}

func isZh(lang string) bool {
	l := strings.ToLower(strings.TrimSpace(lang))
	return l == "zh" || strings.HasPrefix(l, "zh-") || strings.HasPrefix(l, "zh_")
}

var zhWeekdays = [7]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// zoneNames maps an IANA zone to the long English names of its
// abbreviations; the key "" names every other abbreviation of the zone
// (zones whose tzdata abbreviation is numeric, like "+08").
var zoneNames = map[string]map[string]string{}

func init() {
	add := func(names map[string]string, zones ...string) {
		for _, z := range zones {
			zoneNames[z] = names
		}
	}
	add(map[string]string{"": "UTC"}, "UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Zulu", "Zulu", "Universal", "Etc/Universal")
	add(map[string]string{"CST": "China Standard Time"}, "Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC")
	add(map[string]string{"HKT": "Hong Kong Time", "HKST": "Hong Kong Summer Time"}, "Asia/Hong_Kong", "Hongkong")
	add(map[string]string{"CST": "Taipei Standard Time"}, "Asia/Taipei", "ROC")
	add(map[string]string{"CST": "China Standard Time"}, "Asia/Macau")
	add(map[string]string{"": "Singapore Standard Time"}, "Asia/Singapore", "Singapore")
	add(map[string]string{"": "Malaysia Time"}, "Asia/Kuala_Lumpur")
	add(map[string]string{"PST": "Philippine Standard Time"}, "Asia/Manila")
	add(map[string]string{"JST": "Japan Standard Time"}, "Asia/Tokyo", "Japan")
	add(map[string]string{"KST": "Korean Standard Time"}, "Asia/Seoul", "ROK")
	add(map[string]string{"IST": "India Standard Time"}, "Asia/Kolkata", "Asia/Calcutta")
	add(map[string]string{"": "Indochina Time"}, "Asia/Bangkok", "Asia/Ho_Chi_Minh", "Asia/Saigon")
	add(map[string]string{"WIB": "Western Indonesia Time"}, "Asia/Jakarta")
	add(map[string]string{"": "Gulf Standard Time"}, "Asia/Dubai")
	add(map[string]string{"GMT": "Greenwich Mean Time", "BST": "British Summer Time"}, "Europe/London", "GB")
	add(map[string]string{"GMT": "Greenwich Mean Time", "IST": "Irish Standard Time"}, "Europe/Dublin", "Eire")
	add(map[string]string{"WET": "Western European Time", "WEST": "Western European Summer Time"}, "Europe/Lisbon", "Portugal")
	add(map[string]string{"CET": "Central European Time", "CEST": "Central European Summer Time"},
		"Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Rome", "Europe/Amsterdam", "Europe/Brussels",
		"Europe/Vienna", "Europe/Zurich", "Europe/Stockholm", "Europe/Oslo", "Europe/Copenhagen", "Europe/Warsaw",
		"Europe/Prague", "Europe/Budapest", "Europe/Luxembourg", "Europe/Belgrade", "CET")
	add(map[string]string{"EET": "Eastern European Time", "EEST": "Eastern European Summer Time"},
		"Europe/Helsinki", "Europe/Athens", "Europe/Bucharest", "Europe/Sofia", "Europe/Kiev", "Europe/Kyiv", "Europe/Riga", "Europe/Tallinn", "Europe/Vilnius", "EET")
	add(map[string]string{"MSK": "Moscow Standard Time"}, "Europe/Moscow")
	add(map[string]string{"EST": "Eastern Standard Time", "EDT": "Eastern Daylight Time"},
		"America/New_York", "America/Toronto", "America/Detroit", "America/Montreal", "US/Eastern", "EST5EDT")
	add(map[string]string{"CST": "Central Standard Time", "CDT": "Central Daylight Time"},
		"America/Chicago", "America/Winnipeg", "US/Central", "CST6CDT")
	add(map[string]string{"MST": "Mountain Standard Time", "MDT": "Mountain Daylight Time"},
		"America/Denver", "America/Edmonton", "America/Phoenix", "US/Mountain", "US/Arizona", "MST7MDT")
	add(map[string]string{"PST": "Pacific Standard Time", "PDT": "Pacific Daylight Time"},
		"America/Los_Angeles", "America/Vancouver", "US/Pacific", "PST8PDT")
	add(map[string]string{"AKST": "Alaska Standard Time", "AKDT": "Alaska Daylight Time"}, "America/Anchorage", "US/Alaska")
	add(map[string]string{"HST": "Hawaii-Aleutian Standard Time"}, "Pacific/Honolulu", "US/Hawaii")
	add(map[string]string{"": "Brasília Time"}, "America/Sao_Paulo")
	add(map[string]string{"AEST": "Australian Eastern Standard Time", "AEDT": "Australian Eastern Daylight Time"},
		"Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane", "Australia/Canberra", "Australia/Hobart")
	add(map[string]string{"AWST": "Australian Western Standard Time"}, "Australia/Perth")
	add(map[string]string{"NZST": "New Zealand Standard Time", "NZDT": "New Zealand Daylight Time"}, "Pacific/Auckland", "NZ")
}

// zoneLongName returns the long English name of t's zone, or "" when the
// zone or this abbreviation of it is not in the table (e.g. local mean time
// before a zone was standardised).
func zoneLongName(t time.Time) string {
	names := zoneNames[t.Location().String()]
	if names == nil {
		return ""
	}
	abbr, _ := t.Zone()
	if n, ok := names[abbr]; ok {
		return n
	}
	return names[""]
}
