package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Result is what one run measured. Latencies are in milliseconds.
type Result struct {
	Label       string `json:"label,omitempty"`
	Server      string `json:"server"`
	Mode        string `json:"mode"` // load or idle
	Concurrency int    `json:"concurrency"`
	Messages    int    `json:"messages"`
	Size        int    `json:"size_bytes"`
	AvgSize     int    `json:"avg_message_bytes"`
	NewConn     bool   `json:"new_conn"`
	Attachments int    `json:"attachments,omitempty"` // per message (--attachments); 0: the usual mix

	Accepted    int            `json:"accepted"`
	Errors      map[string]int `json:"errors"`
	Seconds     float64        `json:"seconds"`
	AcceptedPS  float64        `json:"accepted_per_sec"`
	P50ms       float64        `json:"p50_ms"`
	P90ms       float64        `json:"p90_ms"`
	P99ms       float64        `json:"p99_ms"`
	MaxMs       float64        `json:"max_ms"`
	MeanMs      float64        `json:"mean_ms"`
	Relayed     int            `json:"relayed,omitempty"`
	RelayDups   int            `json:"relay_duplicates,omitempty"`
	RelayedPS   float64        `json:"relayed_per_sec,omitempty"`
	E2EP50ms    float64        `json:"e2e_p50_ms,omitempty"`
	E2EP99ms    float64        `json:"e2e_p99_ms,omitempty"`
	SinkTimeout bool           `json:"sink_timed_out,omitempty"`

	// Server memory (the --server-pid tree, see --rss-match), in MB.
	RSSMB      float64 `json:"rss_mb,omitempty"`      // idle: with the sessions open; load: peak
	PSSMB      float64 `json:"pss_mb,omitempty"`      // proportional share (no double counting of shared pages)
	AnonMB     float64 `json:"anon_mb,omitempty"`     // anonymous part of RSS (heap, stacks): without mapped files' page cache
	RSSProcs   int     `json:"rss_procs,omitempty"`   // processes summed
	RSSBaseMB  float64 `json:"rss_base_mb,omitempty"` // idle: before opening the sessions
	IdleOpen   int     `json:"idle_open,omitempty"`   // sessions that got a greeting and EHLO reply
	IdleFailed int     `json:"idle_failed,omitempty"`

	// Server CPU (user + system of the --server-pid tree, reaped children
	// included) from the first send until the server went quiet after the
	// run: what it cost to accept, process and relay the run's messages
	// (and whatever mail they made, such as acknowledgements).
	CPUSeconds  float64 `json:"server_cpu_seconds,omitempty"`
	CPUPerMsgMs float64 `json:"server_cpu_ms_per_msg,omitempty"`
}

func newRunID() string {
	b := make([]byte, 4)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Run sends the load and, with cfg.Sink, waits for the relayed copies.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Server == "" {
		return nil, errNoServer
	}
	cfg.Concurrency = max(cfg.Concurrency, 1)
	cfg.Templates = max(cfg.Templates, 1)
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Minute
	}
	if cfg.Domain == "" {
		cfg.Domain = "bench.example"
	}
	if cfg.Helo == "" {
		cfg.Helo = "loadgen.localdomain"
	}
	runID := newRunID()
	tmpl := buildTemplates(cfg.Templates, cfg.Size, cfg.Domain, cfg.Seed, cfg.Attachments)
	total := 0
	for _, t := range tmpl {
		total += t.size()
	}
	res := &Result{Label: cfg.Label, Server: cfg.Server, Mode: "load", Concurrency: cfg.Concurrency,
		Messages: cfg.Messages, Size: cfg.Size, AvgSize: total / len(tmpl), NewConn: cfg.NewConn, Attachments: cfg.Attachments, Errors: map[string]int{}}

	var sk *sink
	if cfg.Sink != "" {
		var err error
		if sk, err = startSink(cfg.Sink, runID); err != nil {
			return nil, fmt.Errorf("sink: %w", err)
		}
		defer sk.Close()
	}

	var next, accepted atomic.Int64
	var errMu sync.Mutex
	countErr := func(err error) {
		errMu.Lock()
		res.Errors[errKey(err)]++
		errMu.Unlock()
	}
	lats := make([][]time.Duration, cfg.Concurrency)

	// Memory sampler and progress line.
	var peakRSS, peakPSS, peakAnon float64
	var rssProcs int
	sample := func() {
		if cfg.ServerPID > 0 {
			if m, err := procMem(cfg.ServerPID, cfg.RSSMatch); err == nil {
				peakRSS = max(peakRSS, m.RSSMB)
				peakPSS = max(peakPSS, m.PSSMB)
				peakAnon = max(peakAnon, m.AnonMB)
				rssProcs = max(rssProcs, m.Procs)
			}
		}
	}
	var cpu0 time.Duration
	if cfg.ServerPID > 0 {
		cpu0, _ = procCPU(cfg.ServerPID)
	}
	start := time.Now()
	done := make(chan struct{})
	var bg sync.WaitGroup
	bg.Go(func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		last := int64(0)
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			sample()
			if cfg.Progress != nil {
				a := accepted.Load()
				errMu.Lock()
				ne := 0
				for _, n := range res.Errors {
					ne += n
				}
				errMu.Unlock()
				line := fmt.Sprintf("%s %5.0fs  accepted %d/%d  %.0f/s  errors %d", orLabel(cfg.Label), time.Since(start).Seconds(), a, cfg.Messages, float64(a-last), ne)
				if sk != nil {
					line += fmt.Sprintf("  relayed %d", sk.count())
				}
				if peakRSS > 0 {
					line += fmt.Sprintf("  rss %.0f MB", peakRSS)
				}
				fmt.Fprintln(cfg.Progress, line)
				last = a
			}
		}
	})

	// Several servers (nodes of one cluster): the sessions are spread
	// over them, session w on server w mod n.
	servers := strings.Split(cfg.Server, ",")
	var wg sync.WaitGroup
	for w := range cfg.Concurrency {
		wg.Go(func() {
			server := servers[w%len(servers)]
			var c *conn
			defer func() {
				if c != nil {
					c.cmd("quit", 200, "QUIT")
					c.Close()
				}
			}()
			var hdr []byte
			for ctx.Err() == nil {
				seq := next.Add(1)
				if seq > int64(cfg.Messages) {
					return
				}
				t := tmpl[int(seq)%len(tmpl)]
				if c == nil {
					var err error
					if c, err = dial(server, cfg.Timeout); err != nil {
						countErr(err)
						c = nil
						time.Sleep(50 * time.Millisecond)
						continue
					}
					if err := c.greet(cfg.Helo); err != nil {
						countErr(err)
						c.Close()
						c = nil
						time.Sleep(50 * time.Millisecond)
						continue
					}
				}
				from := t.sender(int(seq) % max(cfg.Senders, 1))
				hdr = traceHeaders(hdr[:0], t, from, runID, seq, time.Now().UnixNano(), cfg.Domain)
				d, err := c.send(from, t.rcpt, hdr, t.head, []byte("\r\n"), t.body)
				if err == nil {
					accepted.Add(1)
					lats[w] = append(lats[w], d)
				} else {
					countErr(err)
				}
				if _, isReply := err.(*replyError); err != nil && !isReply {
					c.Close() // network error: a new connection for the next one
					c = nil
					continue
				}
				if cfg.NewConn {
					c.cmd("quit", 200, "QUIT")
					c.Close()
					c = nil
				} else if _, err := c.cmd("rset", 200, "RSET"); err != nil {
					countErr(err)
					c.Close()
					c = nil
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	sample()

	all := slices.Concat(lats...)
	res.Accepted = len(all)
	res.Seconds = elapsed.Seconds()
	res.AcceptedPS = float64(res.Accepted) / elapsed.Seconds()
	res.P50ms, res.P90ms, res.P99ms, res.MaxMs, res.MeanMs = percentiles(all)

	if sk != nil && res.Accepted > 0 {
		if !sk.wait(res.Accepted, cfg.SinkTimeout, func() {
			if cfg.Progress != nil {
				fmt.Fprintf(cfg.Progress, "%s waiting for the relay: %d/%d at the sink\n", orLabel(cfg.Label), sk.count(), res.Accepted)
			}
		}) {
			res.SinkTimeout = true
		}
		sk.mu.Lock()
		res.Relayed = len(sk.seen)
		res.RelayDups = sk.dups
		if res.Relayed > 0 {
			res.RelayedPS = float64(res.Relayed) / sk.last.Sub(start).Seconds()
		}
		e2e := slices.Clone(sk.lat)
		sk.mu.Unlock()
		res.E2EP50ms, _, res.E2EP99ms, _, _ = percentiles(e2e)
	}
	sample()
	if cfg.ServerPID > 0 && res.Accepted > 0 {
		if cpu, err := quietCPU(ctx, cfg.ServerPID); err == nil {
			res.CPUSeconds = round3((cpu - cpu0).Seconds())
			res.CPUPerMsgMs = round3(float64(cpu-cpu0) / 1e6 / float64(res.Accepted))
		}
	}
	close(done)
	bg.Wait()
	res.RSSMB, res.PSSMB, res.AnonMB, res.RSSProcs = round1(peakRSS), round1(peakPSS), round1(peakAnon), rssProcs
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	return res, nil
}

func orLabel(s string) string {
	if s == "" {
		return "loadgen"
	}
	return s
}

// percentiles returns p50, p90, p99, max and mean in ms (nearest rank).
func percentiles(d []time.Duration) (p50, p90, p99, mx, mean float64) {
	if len(d) == 0 {
		return
	}
	s := slices.Clone(d)
	slices.Sort(s)
	rank := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(s)))) - 1
		return ms(s[max(i, 0)])
	}
	var sum time.Duration
	for _, x := range s {
		sum += x
	}
	return rank(0.50), rank(0.90), rank(0.99), ms(s[len(s)-1]), round3(ms(sum) / float64(len(s)))
}

func ms(d time.Duration) float64 { return round3(float64(d) / 1e6) }
func round3(f float64) float64   { return math.Round(f*1000) / 1000 }
func round1(f float64) float64   { return math.Round(f*10) / 10 }

// Idle opens cfg.Idle sessions, says EHLO on each, holds them for
// cfg.IdleHold, samples the server's memory and closes them.
func Idle(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Minute
	}
	if cfg.Helo == "" {
		cfg.Helo = "loadgen.localdomain"
	}
	res := &Result{Label: cfg.Label, Server: cfg.Server, Mode: "idle", Concurrency: cfg.Idle, Errors: map[string]int{}}
	if cfg.ServerPID > 0 {
		if m, err := procMem(cfg.ServerPID, cfg.RSSMatch); err == nil {
			res.RSSBaseMB = round1(m.RSSMB)
		}
	}
	conns := make([]*conn, cfg.Idle)
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, 50) // open 50 at a time, like a burst of real clients
	start := time.Now()
	for i := range conns {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := dial(cfg.Server, cfg.Timeout)
			if err == nil {
				if err = c.greet(cfg.Helo); err != nil {
					c.Close()
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				res.Errors[errKey(err)]++
				res.IdleFailed++
				return
			}
			conns[i] = c
			res.IdleOpen++
		})
	}
	wg.Wait()
	if cfg.Progress != nil {
		fmt.Fprintf(cfg.Progress, "%s %d sessions open after %.1fs (%d failed); holding %v\n", orLabel(cfg.Label), res.IdleOpen, time.Since(start).Seconds(), res.IdleFailed, cfg.IdleHold)
	}
	select {
	case <-time.After(cfg.IdleHold):
	case <-ctx.Done():
	}
	if cfg.ServerPID > 0 {
		m, err := procMem(cfg.ServerPID, cfg.RSSMatch)
		if err != nil {
			return nil, err
		}
		res.RSSMB, res.PSSMB, res.AnonMB, res.RSSProcs = round1(m.RSSMB), round1(m.PSSMB), round1(m.AnonMB), m.Procs
	}
	// The sessions are still usable: a NOOP on each checks the server kept them.
	for _, c := range conns {
		if c == nil {
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if _, err := c.cmd("noop", 200, "NOOP"); err != nil {
				mu.Lock()
				res.Errors[errKey(err)]++
				mu.Unlock()
			}
			c.cmd("quit", 200, "QUIT")
			c.Close()
		})
	}
	wg.Wait()
	res.Seconds = time.Since(start).Seconds()
	return res, ctx.Err()
}

// mem is a memory sample of a process (tree). AnonMB is the anonymous
// part of the RSS (RssAnon): a process that maps its store files (Badger
// does) also counts the page cache of what it wrote there in its RSS,
// pages the kernel can drop at any time.
type mem struct {
	RSSMB, PSSMB, AnonMB float64
	Procs                int
}

// procMem reads VmRSS (and Pss from smaps_rollup) of pid; with match, of
// the processes in pid's tree whose name (comm) is match, or of the whole
// tree when match is "*".
func procMem(pid int, match string) (mem, error) {
	pids := []int{pid}
	if match != "" {
		pids = nil
		for _, p := range processTree(pid) {
			if match == "*" || procName(p) == match {
				pids = append(pids, p)
			}
		}
	}
	var m mem
	for _, p := range pids {
		rss, err := statusKB(p, "VmRSS:")
		if err != nil {
			if p == pid && match == "" {
				return m, err
			}
			continue // exited meanwhile
		}
		m.RSSMB += float64(rss) / 1024
		m.PSSMB += float64(pssKB(p)) / 1024
		if anon, err := statusKB(p, "RssAnon:"); err == nil {
			m.AnonMB += float64(anon) / 1024
		}
		m.Procs++
	}
	return m, nil
}

// clockTick is the unit of the CPU times in /proc/PID/stat (USER_HZ, 100
// on every Linux architecture Go runs on).
const clockTick = 10 * time.Millisecond

// procCPU returns the CPU time (user and system) used so far by pid's
// process tree, with the children its processes have reaped: a Postfix
// smtpd that exits during the run moves its time to the master's.
func procCPU(pid int) (time.Duration, error) {
	var ticks int64
	for _, p := range processTree(pid) {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p))
		if err != nil {
			if p == pid {
				return 0, err
			}
			continue // exited meanwhile
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) < 15 {
			return 0, fmt.Errorf("/proc/%d/stat: %d fields", p, len(f))
		}
		for _, v := range f[11:15] { // utime stime cutime cstime (fields 14-17)
			n, _ := strconv.ParseInt(v, 10, 64)
			ticks += n
		}
	}
	return time.Duration(ticks) * clockTick, nil
}

// quietCPU waits until pid's tree has used at most one clock tick in a
// quarter of a second (it has finished the run's deliveries, and the mail
// they made), at most 10 s, and returns its CPU time then.
func quietCPU(ctx context.Context, pid int) (time.Duration, error) {
	last, err := procCPU(pid)
	if err != nil {
		return 0, err
	}
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for range 40 {
		select {
		case <-ctx.Done():
			return last, nil
		case <-t.C:
		}
		now, err := procCPU(pid)
		if err != nil {
			return 0, err
		}
		if now-last <= clockTick {
			return now, nil
		}
		last = now
	}
	return last, nil
}

func procName(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return strings.TrimSpace(string(b))
}

// processTree returns pid and all its descendants.
func processTree(pid int) []int {
	children := map[int][]int{}
	ents, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, e := range ents {
		b, err := os.ReadFile(e)
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		p, _ := strconv.Atoi(filepath.Base(filepath.Dir(e)))
		children[ppid] = append(children[ppid], p)
	}
	out := []int{pid}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out
}

func statusKB(pid int, key string) (int, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, key) {
			f := strings.Fields(l[len(key):])
			if len(f) > 0 {
				return strconv.Atoi(f[0])
			}
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no %s", pid, key)
}

func pssKB(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "Pss:") {
			f := strings.Fields(l[4:])
			if len(f) > 0 {
				n, _ := strconv.Atoi(f[0])
				return n
			}
		}
	}
	return 0
}

// WriteTable prints the result for people.
func (r *Result) WriteTable(w io.Writer) {
	row := func(k, v string) { fmt.Fprintf(w, "%-26s %s\n", k, v) }
	if r.Label != "" {
		row("label", r.Label)
	}
	row("server", r.Server)
	if r.Mode == "idle" {
		row("idle sessions open", fmt.Sprintf("%d (%d failed)", r.IdleOpen, r.IdleFailed))
		if r.RSSProcs > 0 {
			row("server RSS before", fmt.Sprintf("%.1f MB", r.RSSBaseMB))
			row("server RSS with sessions", fmt.Sprintf("%.1f MB (PSS %.1f MB, anonymous %.1f MB, %d processes)", r.RSSMB, r.PSSMB, r.AnonMB, r.RSSProcs))
		}
		writeErrors(w, r.Errors)
		return
	}
	conn := "reused (RSET)"
	if r.NewConn {
		conn = "one per message"
	}
	row("sessions x messages", fmt.Sprintf("%d x %d, %d B nominal, %d B average, connections %s", r.Concurrency, r.Messages, r.Size, r.AvgSize, conn))
	row("accepted", fmt.Sprintf("%d in %.2f s = %.1f msgs/s", r.Accepted, r.Seconds, r.AcceptedPS))
	row("DATA-end→250 ms", fmt.Sprintf("p50 %.2f  p90 %.2f  p99 %.2f  max %.2f  mean %.2f", r.P50ms, r.P90ms, r.P99ms, r.MaxMs, r.MeanMs))
	if r.Relayed > 0 || r.SinkTimeout {
		s := fmt.Sprintf("%d = %.1f msgs/s (first send to last arrival)", r.Relayed, r.RelayedPS)
		if r.SinkTimeout {
			s += ", TIMED OUT waiting for the rest"
		}
		if r.RelayDups > 0 {
			s += fmt.Sprintf(", %d duplicates", r.RelayDups)
		}
		row("relayed", s)
		row("end-to-end ms", fmt.Sprintf("p50 %.1f  p99 %.1f", r.E2EP50ms, r.E2EP99ms))
	}
	if r.RSSProcs > 0 {
		row("server RSS peak", fmt.Sprintf("%.1f MB (PSS %.1f MB, anonymous %.1f MB, %d processes)", r.RSSMB, r.PSSMB, r.AnonMB, r.RSSProcs))
	}
	if r.CPUSeconds > 0 {
		row("server CPU", fmt.Sprintf("%.2f s = %.3f ms per accepted message", r.CPUSeconds, r.CPUPerMsgMs))
	}
	writeErrors(w, r.Errors)
}

func writeErrors(w io.Writer, errs map[string]int) {
	if len(errs) == 0 {
		fmt.Fprintf(w, "%-26s none\n", "errors")
		return
	}
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "%-26s %s: %d\n", "errors", k, errs[k])
	}
}
