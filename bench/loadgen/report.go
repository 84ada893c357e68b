package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Report mode (--report DIR) turns the JSON results of compare-postfix.sh
// into one table per scenario. Files are named SCENARIO__SERVER__ROUND.json;
// each figure is the median over the rounds of that server, and the ratio
// column is Frontdesk/Postfix (server "postfix" is the baseline; with
// frontdesk-relay in a scenario, every other Frontdesk instance's cost
// against it is printed too: full/relay, ack/relay).

type runFile struct {
	scenario, server string
	res              Result
}

func report(dir string, w io.Writer) error {
	files, err := filepath.Glob(filepath.Join(dir, "*__*__*.json"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no results in %s", dir)
	}
	byScen := map[string]map[string][]Result{}
	var order []string
	for _, f := range files {
		parts := strings.Split(strings.TrimSuffix(filepath.Base(f), ".json"), "__")
		if len(parts) != 3 {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var r Result
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if byScen[parts[0]] == nil {
			byScen[parts[0]] = map[string][]Result{}
			order = append(order, parts[0])
		}
		byScen[parts[0]][parts[1]] = append(byScen[parts[0]][parts[1]], r)
	}
	sort.Strings(order)
	for _, scen := range order {
		writeScenario(w, scen, byScen[scen])
	}
	return nil
}

type metric struct {
	name   string
	get    func(*Result) float64
	format string
	higher bool // higher is better
}

var loadMetrics = []metric{
	{"accepted msgs/s", func(r *Result) float64 { return r.AcceptedPS }, "%.1f", true},
	{"DATA→250 p50 ms", func(r *Result) float64 { return r.P50ms }, "%.2f", false},
	{"DATA→250 p90 ms", func(r *Result) float64 { return r.P90ms }, "%.2f", false},
	{"DATA→250 p99 ms", func(r *Result) float64 { return r.P99ms }, "%.2f", false},
	{"relayed msgs/s", func(r *Result) float64 { return r.RelayedPS }, "%.1f", true},
	{"end-to-end p99 ms", func(r *Result) float64 { return r.E2EP99ms }, "%.0f", false},
	{"server CPU ms per msg", func(r *Result) float64 { return r.CPUPerMsgMs }, "%.3f", false},
	{"server RSS peak MB", func(r *Result) float64 { return r.RSSMB }, "%.1f", false},
	{"server PSS peak MB", func(r *Result) float64 { return r.PSSMB }, "%.1f", false},
	{"server anon RSS peak MB", func(r *Result) float64 { return r.AnonMB }, "%.1f", false},
	{"errors", func(r *Result) float64 { return float64(sumErrors(r.Errors)) }, "%.0f", false},
}

var idleMetrics = []metric{
	{"sessions open", func(r *Result) float64 { return float64(r.IdleOpen) }, "%.0f", true},
	{"server RSS MB", func(r *Result) float64 { return r.RSSMB }, "%.1f", false},
	{"server PSS MB", func(r *Result) float64 { return r.PSSMB }, "%.1f", false},
	{"server anon RSS MB", func(r *Result) float64 { return r.AnonMB }, "%.1f", false},
	{"RSS before MB", func(r *Result) float64 { return r.RSSBaseMB }, "%.1f", false},
	{"processes", func(r *Result) float64 { return float64(r.RSSProcs) }, "%.0f", false},
}

func sumErrors(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func writeScenario(w io.Writer, scen string, servers map[string][]Result) {
	names := make([]string, 0, len(servers))
	for n := range servers {
		names = append(names, n)
	}
	// postfix first, then frontdesk-full (the pipeline users run, issue
	// 21), then frontdesk-relay and frontdesk-ack for reference, others.
	rank := func(n string) int {
		switch {
		case n == "postfix":
			return 0
		case strings.HasSuffix(n, "full"):
			return 1
		case strings.HasSuffix(n, "relay"):
			return 2
		case strings.HasSuffix(n, "ack"):
			return 3
		}
		return 4
	}
	sort.Slice(names, func(i, j int) bool {
		if rank(names[i]) != rank(names[j]) {
			return rank(names[i]) < rank(names[j])
		}
		return names[i] < names[j]
	})
	var any Result
	for _, rs := range servers {
		any = rs[0]
	}
	metrics := loadMetrics
	title := fmt.Sprintf("C=%d S=%s", any.Concurrency, human(any.Size))
	if any.Attachments > 0 {
		title += fmt.Sprintf(", a text part and %d attachments (JPEG/PDF)", any.Attachments)
	}
	if any.NewConn {
		title += " one connection per message"
	}
	if any.Mode == "idle" {
		metrics = idleMetrics
		title = fmt.Sprintf("%d idle sessions", any.Concurrency)
	}
	rounds := 0
	for _, rs := range servers {
		rounds = max(rounds, len(rs))
	}
	fmt.Fprintf(w, "\n## %s (%s; median of %d rounds, alternating)\n\n", scen, title, rounds)
	header := "| figure |"
	sep := "| --- |"
	for _, n := range names {
		header += " " + n + " |"
		sep += " ---: |"
	}
	_, hasPF := servers["postfix"]
	var fdNames []string
	for _, n := range names {
		if n != "postfix" {
			fdNames = append(fdNames, n)
		}
	}
	if hasPF {
		for _, n := range fdNames {
			header += " " + n + "/postfix |"
			sep += " ---: |"
		}
	}
	relay := servers["frontdesk-relay"]
	var overRelay []string // instances priced against relay only
	if relay != nil {
		for _, n := range fdNames {
			if n != "frontdesk-relay" {
				overRelay = append(overRelay, n)
				header += " " + strings.TrimPrefix(n, "frontdesk-") + "/relay |"
				sep += " ---: |"
			}
		}
	}
	fmt.Fprintln(w, header)
	fmt.Fprintln(w, sep)
	med := func(rs []Result, m metric) float64 {
		v := make([]float64, len(rs))
		for i := range rs {
			v[i] = m.get(&rs[i])
		}
		return median(v)
	}
	for _, m := range metrics {
		line := "| " + m.name + " |"
		for _, n := range names {
			line += " " + fmt.Sprintf(m.format, med(servers[n], m)) + " |"
		}
		ratio := func(a, b float64) string {
			if b == 0 {
				return " – |"
			}
			return fmt.Sprintf(" %.2f |", a/b)
		}
		if hasPF {
			for _, n := range fdNames {
				line += ratio(med(servers[n], m), med(servers["postfix"], m))
			}
		}
		for _, n := range overRelay {
			line += ratio(med(servers[n], m), med(relay, m))
		}
		fmt.Fprintln(w, line)
	}
	// Per-round figures, so that drift between rounds is visible.
	if any.Mode != "idle" {
		var per []string
		for _, n := range names {
			var v []string
			for _, r := range servers[n] {
				v = append(v, fmt.Sprintf("%.0f", r.AcceptedPS))
			}
			per = append(per, n+" "+strings.Join(v, ", "))
		}
		fmt.Fprintf(w, "\naccepted msgs/s per round: %s\n", strings.Join(per, "; "))
	}
}

func human(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMB", n>>20)
	case n >= 1024 && n%1024 == 0:
		return fmt.Sprintf("%dKB", n>>10)
	}
	return fmt.Sprintf("%dB", n)
}
