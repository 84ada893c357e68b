// Command loadgen is Frontdesk's SMTP load generator: C concurrent sessions
// send N messages of about S bytes to a server on 127.0.0.1 and it reports
// accepted messages/s, the DATA-end→250 latency percentiles and errors by
// reply code; with --sink it also runs the upstream the server relays to
// and reports end-to-end relayed messages/s and latency. --idle N holds N
// sessions open after EHLO and reports the server's memory.
//
//	go run ./bench/loadgen --server 127.0.0.1:2525 -c 20 -n 2000 -s 4k --sink 127.0.0.1:10026
//	go run ./bench/loadgen --server 127.0.0.1:2525 --idle 1000 --server-pid 1234
//
// It refuses any server or sink address that is not on 127.0.0.1.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Config is one run.
type Config struct {
	Label       string
	Server      string
	Concurrency int
	Messages    int
	Size        int
	Attachments int  // every message carries this many attachments (0: the usual mix)
	NewConn     bool // one connection per message instead of RSET and reuse
	Domain      string
	Helo        string
	Templates   int
	Senders     int // distinct customers (sender addresses) in the run
	Seed        uint64
	Timeout     time.Duration // per SMTP command
	Sink        string        // run a sink here and measure end-to-end
	DNS         string        // run a stub DNS server (NXDOMAIN for everything) here, UDP
	SinkTimeout time.Duration // how long to wait for the last relayed message
	ServerPID   int
	RSSMatch    string // see procMem
	Progress    io.Writer
	Idle        int
	IdleHold    time.Duration
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg Config
	var size string
	var jsonOut, quiet bool
	fs.StringVar(&cfg.Label, "label", "", "name of this run in the output (e.g. frontdesk, postfix)")
	fs.StringVar(&cfg.Server, "server", "127.0.0.1:2525", "SMTP server to load (127.0.0.1 only); several, comma-separated (nodes of one cluster): the sessions are spread over them")
	fs.IntVar(&cfg.Concurrency, "c", 20, "concurrent SMTP sessions")
	fs.IntVar(&cfg.Messages, "n", 1000, "messages to send in total")
	fs.StringVar(&size, "s", "4k", "message size: bytes, or with k/m suffix (4k, 256k)")
	fs.IntVar(&cfg.Attachments, "attachments", 0, "every message a text part and this many attachments (JPEG, PDF, JPEG, …) sharing the size; 0: the usual mix")
	fs.BoolVar(&cfg.NewConn, "new-conn", false, "one connection per message (default: reuse with RSET)")
	fs.StringVar(&cfg.Domain, "domain", "bench.example", "recipient domain (support@, sales@, billing@ … at it)")
	fs.StringVar(&cfg.Helo, "helo", "loadgen.localdomain", "EHLO name")
	fs.IntVar(&cfg.Templates, "templates", 64, "distinct message bodies in the mix")
	fs.IntVar(&cfg.Senders, "senders", 5000, "distinct sender addresses (customers); fewer means longer histories per customer")
	var seed uint
	fs.UintVar(&seed, "seed", 1, "seed of the message mix (same seed, same mail)")
	fs.DurationVar(&cfg.Timeout, "timeout", 60*time.Second, "timeout per SMTP command")
	fs.StringVar(&cfg.Sink, "sink", "", "run an SMTP sink on this address (the server's relay target) and report end-to-end figures")
	fs.StringVar(&cfg.DNS, "dns", "", "run a stub DNS server here (UDP, NXDOMAIN for every name) for the server's SPF/DMARC lookups")
	fs.DurationVar(&cfg.SinkTimeout, "sink-timeout", 120*time.Second, "wait at most this long after the last 250 for relayed copies")
	fs.IntVar(&cfg.ServerPID, "server-pid", 0, "server process: its memory is sampled during the run (peak) and in --idle mode")
	fs.StringVar(&cfg.RSSMatch, "rss-match", "", "sum memory over the server-pid's process tree: processes with this name (e.g. smtpd), or * for all")
	fs.IntVar(&cfg.Idle, "idle", 0, "idle mode: open this many sessions, EHLO, hold, report server memory, close")
	fs.DurationVar(&cfg.IdleHold, "idle-hold", 3*time.Second, "idle mode: how long to hold the sessions before sampling")
	fs.BoolVar(&jsonOut, "json", false, "print the result as JSON instead of a table")
	fs.BoolVar(&quiet, "q", false, "no progress lines on stderr")
	reportDir := fs.String("report", "", "report mode: print the comparison tables of the JSON results in this directory (compare-postfix.sh)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg.Seed = uint64(seed)
	if *reportDir != "" {
		if err := report(*reportDir, stdout); err != nil {
			fmt.Fprintln(stderr, "loadgen:", err)
			return 1
		}
		return 0
	}
	var err error
	if cfg.Size, err = parseSize(size); err != nil {
		fmt.Fprintln(stderr, "loadgen: -s:", err)
		return 2
	}
	if !quiet {
		cfg.Progress = stderr
	}
	for _, a := range append(strings.Split(cfg.Server, ","), cfg.Sink, cfg.DNS) {
		if a != "" && !loopback(a) {
			fmt.Fprintf(stderr, "loadgen: %s: only 127.0.0.1 is allowed\n", a)
			return 2
		}
	}
	if cfg.Idle > 0 && strings.Contains(cfg.Server, ",") {
		fmt.Fprintln(stderr, "loadgen: --idle takes one --server")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if cfg.DNS != "" {
		d, err := startDNS(cfg.DNS)
		if err != nil {
			fmt.Fprintln(stderr, "loadgen: dns:", err)
			return 1
		}
		defer d.Close()
	}
	var res *Result
	if cfg.Idle > 0 {
		res, err = Idle(ctx, cfg)
	} else {
		res, err = Run(ctx, cfg)
	}
	if err != nil {
		fmt.Fprintln(stderr, "loadgen:", err)
		return 1
	}
	if jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(res)
	} else {
		res.WriteTable(stdout)
	}
	if res.Accepted == 0 && cfg.Idle == 0 {
		return 1
	}
	return 0
}

func parseSize(s string) (int, error) {
	mult := 1
	switch {
	case strings.HasSuffix(strings.ToLower(s), "k"):
		mult, s = 1024, s[:len(s)-1]
	case strings.HasSuffix(strings.ToLower(s), "m"):
		mult, s = 1<<20, s[:len(s)-1]
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}

func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	return err == nil && host == "127.0.0.1"
}

var errNoServer = errors.New("no server address")
