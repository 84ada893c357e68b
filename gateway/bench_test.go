package gateway

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/foxcpp/go-mockdns"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/internal/testenv"
	"github.com/frontdesk-mail/frontdesk/internal/testmail"
	"github.com/frontdesk-mail/frontdesk/store"
	"github.com/frontdesk-mail/frontdesk/third_party/go-smtp"
)

// BenchmarkPipeline sends mail through a whole gateway on its embedded
// defaults (demo rules, FAQ catalog, sender checks against a stub DNS
// server, tickets, SLA, acknowledgements), durable, relaying and sending
// acknowledgements to an in-process sink, and stops the clock when the
// sink has every relayed copy and every acknowledgement: what
// bench/compare-postfix.sh's full pipeline does per message, in one
// process (issue 21). Besides ns/op (wall time per message at that
// concurrency) it reports
//
//   - cpu-ms/msg: user+system CPU of the whole test process per message
//     (getrusage), so it includes the in-process client and sink;
//   - peak-heap-MB: the largest heap (objects, garbage included) sampled
//     every 5 ms; peak-live-MB: the largest live heap the collector found;
//   - VmHWM-MB: the process's peak RSS over its whole life (run the case
//     alone, e.g. -bench 'Pipeline/1m-c200', for a figure of that case);
//   - p50-ms, p99-ms: DATA-end→250 as the client sees it (from the final
//     dot written to the reply read);
//   - allocs/op, B/op: Go allocation per message, client and sink included;
//   - commits/msg, updates/msg: store transactions (each a synced commit)
//     and the Updates they carried, per message (store.Stats);
//   - trips/msg: round trips to PostgreSQL per message (BENCH_POSTGRES;
//     0 on Badger). BENCH_PG_DSN runs it on an existing, migrated-or-empty
//     database instead of a private cluster (one with pg_stat_statements
//     loaded, to see what each statement costs; a fresh database per run);
//   - spool-fsyncs/msg: fsyncs of spool segments per message (mail of at
//     most store.inline_mail bytes, alone in its commit, is kept in Badger
//     and needs none). BENCH_INLINE_MAIL=N sets store.inline_mail.
//
// Run one case at a time with a fixed count, e.g.
//
//	go test ./gateway -run '^$' -bench 'Pipeline/4k-c20' -benchtime 400x
func BenchmarkPipeline(b *testing.B) {
	for _, c := range []struct {
		name     string
		size, n  int // mail size, attachments
		sessions int
	}{
		{"4k-c1", 4 << 10, 0, 1},
		{"4k-c20", 4 << 10, 0, 20},
		{"4k-c200", 4 << 10, 0, 200},
		{"256k-c1", 256 << 10, 2, 1},
		{"256k-c20", 256 << 10, 2, 20},
		{"256k-c200", 256 << 10, 2, 200},
		{"1m-c1", 1 << 20, 3, 1},
		{"1m-c20", 1 << 20, 3, 20},
		{"1m-c200", 1 << 20, 3, 200},
	} {
		raw := testmail.Plain(c.size)
		if c.n > 0 {
			raw, _ = testmail.WithAttachments(c.size, c.n, 1)
		}
		b.Run(c.name, func(b *testing.B) { benchPipeline(b, raw, c.sessions) })
	}
}

func benchPipeline(b *testing.B, raw []byte, sessions int) {
	body := stripHeaders(raw, "From", "Message-Id")
	sk := startBenchSink(b)
	g := startBenchGateway(b, sk)
	addr := g.smtpLn.Addr().String()

	var peak, peakLive atomic.Uint64
	stopSampling := sampleHeap(&peak, &peakLive)
	defer stopSampling()
	runtime.GC()
	peak.Store(0)
	peakLive.Store(0)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	b.ResetTimer()
	st0 := g.st.Stats()
	pg0, _ := testenv.PostgresCPU()
	cpu0 := cpuTime()
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, sessions)
	lat := make([][]time.Duration, sessions)
	for i := range sessions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := sendMany(addr, body, &next, int64(b.N), &lat[i]); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	// Every relayed copy and every acknowledgement: the deliveries are
	// part of what a message costs.
	deadline := time.Now().Add(2 * time.Minute)
	for sk.relayed.Load() < int64(b.N) || sk.acks.Load() < int64(b.N) {
		if time.Now().After(deadline) {
			b.Fatalf("sink has %d relayed copies and %d acknowledgements of %d messages", sk.relayed.Load(), sk.acks.Load(), b.N)
		}
		time.Sleep(2 * time.Millisecond) // polling the sink's counters, with a deadline
	}
	cpu := cpuTime() - cpu0
	pg1, _ := testenv.PostgresCPU()
	b.StopTimer()
	st := g.st.Stats()
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/msg")
	if os.Getenv("BENCH_POSTGRES") != "" {
		b.ReportMetric(float64((pg1-pg0).Microseconds())/1000/float64(b.N), "pg-cpu-ms/msg")
	}
	b.ReportMetric(float64(st.Commits-st0.Commits)/float64(b.N), "commits/msg")
	b.ReportMetric(float64(st.RoundTrips-st0.RoundTrips)/float64(b.N), "trips/msg")
	b.ReportMetric(float64(st.Updates-st0.Updates)/float64(b.N), "updates/msg")
	b.ReportMetric(float64(st.SpoolSyncs-st0.SpoolSyncs)/float64(b.N), "spool-fsyncs/msg")
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	if len(all) > 0 {
		b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	}
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(peakLive.Load())/(1<<20), "peak-live-MB")
	if hwm := vmHWM(); hwm > 0 {
		b.ReportMetric(float64(hwm)/(1<<20), "VmHWM-MB")
	}
}

// startBenchGateway runs a gateway on its embedded defaults, durable,
// relaying and acknowledging to sk, with sender checks against a stub DNS
// server, and the soft memory limit serve would set; it stops when b ends.
func startBenchGateway(b *testing.B, sk *benchSink) *Gateway {
	dns, err := mockdns.NewServerWithLogger(map[string]mockdns.Zone{}, log.New(io.Discard, "", 0), false)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { dns.Close() })
	dir := b.TempDir()
	inlineMail, _ := strconv.Atoi(os.Getenv("BENCH_INLINE_MAIL"))
	storeCfg := fmt.Sprintf("{inline_mail: %d}", inlineMail)
	if os.Getenv("BENCH_POSTGRES") != "" {
		// The same pipeline on a private PostgreSQL (issue 24), or the
		// database BENCH_PG_DSN names.
		dsn := os.Getenv("BENCH_PG_DSN")
		if dsn == "" {
			dsn = testenv.StartPostgres(b)
		}
		if dsn == "" {
			b.Skip("no PostgreSQL")
		}
		if err := store.Migrate(context.Background(), dsn); err != nil {
			b.Fatal(err)
		}
		storeCfg = fmt.Sprintf("{backend: postgres, dsn: %q}", dsn)
	}
	cfgFile := filepath.Join(dir, "frontdesk.yaml")
	os.WriteFile(cfgFile, []byte(fmt.Sprintf(`hostname: frontdesk-bench.localdomain
domains: [bench.example]
data_dir: data
log_level: warn
smtp: {listen: "127.0.0.1:0", max_connections: 1100, max_connections_per_ip: 0, progress_timeout: 0s}
http: {listen: "127.0.0.1:0"}
relay: {target: "smtp://%[1]s", min_backoff: 1s, max_backoff: 5s}
outbound: {target: "smtp://%[1]s"}
auth: {dns_server: "%[2]s"}
store: %[3]s
`, sk.ln.Addr(), dns.LocalAddr(), storeCfg)), 0o644)
	cfg, err := config.Load(cfgFile)
	if err != nil {
		b.Fatal(err)
	}
	// serve sets the soft memory limit (memory_limit, or GOMEMLIMIT) and
	// the collector's target (GOGC); so does the benchmark, and puts the
	// old ones back.
	oldLimit, oldPercent := debug.SetMemoryLimit(-1), debug.SetGCPercent(-1)
	debug.SetGCPercent(oldPercent)
	SetRuntime(cfg, os.Getenv)
	b.Cleanup(func() { debug.SetMemoryLimit(oldLimit); debug.SetGCPercent(oldPercent) })
	g, err := New(context.Background(), Options{Config: cfg})
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Run(ctx) }()
	b.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			b.Errorf("Run: %v", err)
		}
	})
	return g
}

// vmHWM is the process's peak resident set (VmHWM in /proc/self/status),
// in bytes; 0 where there is none.
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(v), "%d kB", &kb)
			return kb << 10
		}
	}
	return 0
}

// stripHeaders drops the named header fields (each a single line) from
// raw so that sendMany can put its own first.
func stripHeaders(raw []byte, names ...string) []byte {
	end := bytes.Index(raw, []byte("\r\n\r\n"))
	var out []byte
	for _, line := range bytes.SplitAfter(raw[:end+2], []byte("\r\n")) {
		keep := true
		for _, n := range names {
			if len(line) > len(n) && line[len(n)] == ':' && strings.EqualFold(string(line[:len(n)]), n) {
				keep = false
			}
		}
		if keep {
			out = append(out, line...)
		}
	}
	return append(out, raw[end+2:]...)
}

// sendMany sends messages over one SMTP connection until next reaches n;
// every message has its own sender and Message-ID, so each opens a ticket
// and gets an acknowledgement.
func sendMany(addr string, body []byte, next *atomic.Int64, n int64, lat *[]time.Duration) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	w := bufio.NewWriterSize(conn, 64<<10)
	expect := func(code string) error {
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return err
			}
			if !strings.HasPrefix(line, code) {
				return fmt.Errorf("want %s, got %q", code, line)
			}
			if len(line) < 4 || line[3] != '-' {
				return nil
			}
		}
	}
	if err := expect("220"); err != nil {
		return err
	}
	fmt.Fprintf(w, "EHLO client.bench.example\r\n")
	w.Flush()
	if err := expect("250"); err != nil {
		return err
	}
	for {
		i := next.Add(1)
		if i > n {
			break
		}
		from := fmt.Sprintf("c%d@customer%d.example", i, i%50)
		fmt.Fprintf(w, "MAIL FROM:<%s>\r\n", from)
		w.Flush()
		if err := expect("250"); err != nil {
			return err
		}
		fmt.Fprintf(w, "RCPT TO:<support@bench.example>\r\n")
		w.Flush()
		if err := expect("250"); err != nil {
			return err
		}
		fmt.Fprintf(w, "DATA\r\n")
		w.Flush()
		if err := expect("354"); err != nil {
			return err
		}
		fmt.Fprintf(w, "From: Customer %d <%s>\r\nMessage-ID: <%d.bench@customer.example>\r\n", i, from, i)
		w.Write(body) // no line starts with a dot
		w.WriteString(".\r\n")
		w.Flush()
		sent := time.Now()
		if err := expect("250"); err != nil {
			return err
		}
		*lat = append(*lat, time.Since(sent))
	}
	fmt.Fprintf(w, "QUIT\r\n")
	w.Flush()
	return nil
}

// benchSink accepts every message and counts relayed copies (to the
// agents' domain) and acknowledgements (to customers).
type benchSink struct {
	ln            net.Listener
	relayed, acks atomic.Int64
}

func startBenchSink(b *testing.B) *benchSink {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	s := &benchSink{ln: ln}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &benchSinkSession{s: s}, nil }))
	srv.Domain = "bench-sink.localdomain"
	srv.MaxMessageBytes = 64 << 20
	srv.MaxRecipients = 1000
	srv.MaxLineLength = 1 << 20
	srv.AllowInsecureAuth = true
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return s
}

type benchSinkSession struct {
	s        *benchSink
	customer bool
}

func (ss *benchSinkSession) Reset()                               { ss.customer = false }
func (ss *benchSinkSession) Logout() error                        { return nil }
func (ss *benchSinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (ss *benchSinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.customer = strings.Contains(to, "@customer")
	return nil
}
func (ss *benchSinkSession) Data(r io.Reader) error {
	if _, err := io.Copy(io.Discard, r); err != nil {
		return err
	}
	if ss.customer {
		ss.s.acks.Add(1)
	} else {
		ss.s.relayed.Add(1)
	}
	return nil
}

// cpuTime is the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sampleHeap records the largest heap (bytes in live and not yet swept
// objects) into peak and the largest live heap (as the last GC marked it)
// into live every 5 ms until the returned func is called.
func sampleHeap(peak, live *atomic.Uint64) func() {
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			if v := s[1].Value.Uint64(); v > live.Load() {
				live.Store(v)
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(stop); <-done }
}

// BenchmarkIdle measures what a gateway on its defaults costs when no mail
// arrives: each iteration is one second of idleness, and cpu-ms/s is the
// process's CPU time (getrusage) per second. Whatever runs per unit of
// time (tickers, scans, the collector) shows here, and is what a message
// pays at C=1 on top of its own work (issue 21).
//
//	go test ./gateway -run '^$' -bench Idle -benchtime 10x -cpuprofile /tmp/idle.prof
func BenchmarkIdle(b *testing.B) {
	b.Run("fresh", func(b *testing.B) { benchIdle(b, 0) })
	// After a load: tombstones in the schedule, tickets with deadlines,
	// Badger tables to compact.
	b.Run("after-3000", func(b *testing.B) { benchIdle(b, 3000) })
}

func benchIdle(b *testing.B, preload int) {
	sk := startBenchSink(b)
	g := startBenchGateway(b, sk)
	deadline := time.Now().Add(2 * time.Minute)
	for !g.ready.smtp.Load() {
		if time.Now().After(deadline) {
			b.Fatal("gateway not ready")
		}
		time.Sleep(5 * time.Millisecond) // polling readiness, with a deadline
	}
	if preload > 0 {
		body := stripHeaders(testmail.Plain(4<<10), "From", "Message-Id")
		var next atomic.Int64
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for range 20 {
			wg.Go(func() {
				var lat []time.Duration
				if err := sendMany(g.smtpLn.Addr().String(), body, &next, int64(preload), &lat); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
		for sk.relayed.Load() < int64(preload) || sk.acks.Load() < int64(preload) {
			if time.Now().After(deadline) {
				b.Fatalf("sink has %d relayed copies and %d acknowledgements of %d", sk.relayed.Load(), sk.acks.Load(), preload)
			}
			time.Sleep(5 * time.Millisecond) // polling the sink's counters, with a deadline
		}
	}
	// Let the work of start-up and of the load end (the first queue
	// scan, Badger's flushes and compactions, the last UpdateLater).
	time.Sleep(3 * time.Second)
	b.ResetTimer()
	st0 := g.st.Stats()
	cpu0 := cpuTime()
	start := time.Now()
	for range b.N {
		time.Sleep(time.Second) // the idleness being measured
	}
	cpu := cpuTime() - cpu0
	secs := time.Since(start).Seconds()
	st := g.st.Stats()
	b.StopTimer()
	b.ReportMetric(float64(cpu.Microseconds())/1000/secs, "cpu-ms/s")
	b.ReportMetric(float64(st.Commits-st0.Commits)/secs, "commits/s")
}
