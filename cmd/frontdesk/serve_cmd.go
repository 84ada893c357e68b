package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"frontdesk/internal/buildinfo"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"frontdesk/ack"
	"frontdesk/config"
	"frontdesk/intake"
	"frontdesk/mailauth"
	"frontdesk/queue"
	"frontdesk/smtpd"
	"frontdesk/ticket"
	"frontdesk/web"
)

// version may be set by a release build with -ldflags "-X main.version=…";
// otherwise buildinfo reads the module version and VCS revision that the Go
// toolchain stamps into the binary.
var version string

func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		return config.Default(), nil
	}
	return config.Load(path)
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("c", "", "config file (embedded defaults when empty)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	memProfile := fs.String("memprofile", "", "write a heap profile to this file at exit")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "frontdesk serve: unexpected argument %q (the config file is given with -c)\n", fs.Arg(0))
		return 2
	}
	stopProfiles, err := startProfiles(*cpuProfile, *memProfile)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer stopProfiles()
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	log := newLogger(stderr, cfg.LogLevel)
	if err := serve(ctx, cfg, stdout, log); err != nil {
		log.Error("serve", "err", err)
		// The log line quotes the error and escapes its newlines; the
		// admin who broke a rules, FAQ or template file reads its
		// file:line:col errors one per line, as rules check prints them.
		fmt.Fprintf(stderr, "frontdesk serve: %v\n", err)
		return 1
	}
	return 0
}

// serve wires every part of the gateway and runs until ctx ends. The
// shutdown order matters: SMTP first (sessions in DATA may still commit),
// then the queue workers, then HTTP, and the store last, exactly once.
func serve(ctx context.Context, cfg *config.Config, stdout io.Writer, log *slog.Logger) error {
	if n, from := memoryLimit(cfg, os.Getenv); n > 0 {
		debug.SetMemoryLimit(n)
		log.Debug("memory limit", "bytes", n, "from", from)
	}
	dataDir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}
	st, err := openServeStore(ctx, cfg, dataDir, log)
	if err != nil {
		return err
	}
	defer st.Close()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	build := buildinfo.Read(version)
	buildInfo := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "frontdesk", Name: "build_info", Help: "Build information (module version, VCS revision, Go toolchain); always 1."}, []string{"version", "revision", "goversion"})
	buildInfo.WithLabelValues(build.Version, build.Revision, build.GoVersion).Set(1)
	reg.MustRegister(buildInfo)

	router, err := newRouter(cfg, reg, log)
	if err != nil {
		return err
	}

	targets, where, err := buildTargets(cfg, dataDir)
	if err != nil {
		return err
	}
	q := queue.New(st, queue.Config{
		Workers: cfg.Relay.Workers, MinBackoff: cfg.Relay.MinBackoff.D(), MaxBackoff: cfg.Relay.MaxBackoff.D(),
		GiveUpAfter: cfg.Relay.GiveUpAfter.D(),
	}, targets, queue.NewMetrics(reg, st, targets), log)
	tm := ticket.NewMetrics(reg, st)
	tm.SetDepartments(departmentKeys(router.current()))
	router.onDepartments = tm.SetDepartments
	seq, err := st.Sequence(ticketSeqKey, 20)
	if err != nil {
		return fmt.Errorf("ticket numbers: %w", err)
	}
	defer seq.Release()
	in := intake.New(st, q, router, cfg.Hostname, intake.NewMetrics(reg, tm), log)
	in.Domain = cfg.Domains[0]
	in.TagPrefix = cfg.Tickets.TagPrefix
	in.ReopenWindow = cfg.Tickets.ReopenWindow.D()
	in.Numbers = ticketNumbers{seq}
	in.AckRate = cfg.Acks.PerSenderPerHour
	faqs, err := newFAQSource(cfg.FAQFile, reg, log)
	if err != nil {
		return err
	}
	router.faq = faqs.Current // "about" conditions ask the catalog in force
	statusKey, err := web.LoadOrCreateKey(dataDir)
	if err != nil {
		return fmt.Errorf("status page key: %w", err)
	}
	tokens := web.NewTokens(statusKey)
	var signer *mailauth.Signer
	if k := cfg.Outbound.DKIM; k.KeyFile != "" {
		if signer, err = mailauth.LoadSigner(k.Domain, k.Selector, k.KeyFile); err != nil {
			return fmt.Errorf("outbound.dkim: %w", err)
		}
		in.Sign = signer.Sign
	}
	var templates *source[ack.Templates]
	if cfg.Acks.On() {
		templates, err = newSource("templates", cfg.TemplatesDir, func() (*ack.Templates, error) { return ack.Load("") }, ack.Load, reg, log)
		if err != nil {
			return err
		}
		in.Acker = &acker{templates: templates.Current, log: log, faq: faqs.Current, publicURL: cfg.HTTP.PublicURL, hostname: cfg.Hostname,
			domain: cfg.Domains[0], tokens: tokens, signer: signer,
			ours: ack.Ours{Domains: cfg.Domains, Hostname: cfg.Hostname, Addresses: []string{"frontdesk@" + cfg.Hostname}}}
	}
	scanner := ticket.NewScanner(st, escalationNotifier(cfg, router), log)
	scanner.OnEvent = func(t *ticket.Ticket, kind, what string) {
		tm.Event(t, kind, what)
		q.Kick() // the warning or escalation mail was queued
	}
	in.Committed = scanner.Kick
	registerStoreMetrics(reg, st)

	tlsCfg, err := loadTLS(cfg.SMTP.TLS.CertFile, cfg.SMTP.TLS.KeyFile)
	if err != nil {
		return err
	}
	var authCheck *smtpd.AuthCheck
	if cfg.Auth.Enabled() {
		// SPF and DMARC ask about the same few sender domains all day.
		dns := mailauth.NewCache(dnsResolver(cfg.Auth.DNSServer), time.Minute, 10000)
		authCheck = &smtpd.AuthCheck{Resolver: dns, AuthservID: orDefault(cfg.Auth.AuthservID, cfg.Hostname), Timeout: cfg.Auth.Timeout.D()}
	}
	// Intake pauses before the store's reserve is reached, with room for
	// the messages in flight.
	disk := newDiskGuard(dataDir, cfg.Store.MinFreeBytes, st.Reserve()+64<<20)
	disk.register(reg)
	policy := &smtpd.Policy{Domains: cfg.Domains, Known: router.Known, RejectUnknown: cfg.SMTP.RejectUnknownRecipients}
	smtpSrv := smtpd.New(smtpd.Config{
		Hostname: cfg.Hostname, MaxMessageBytes: cfg.SMTP.MaxMessageBytes, MaxRecipients: cfg.SMTP.MaxRecipients,
		MaxLineLength: cfg.SMTP.MaxLineLength, MaxConnections: cfg.SMTP.MaxConnections,
		MaxConnectionsPerIP: cfg.SMTP.MaxConnectionsPerIP, ProgressTimeout: cfg.SMTP.ProgressTimeout.D(),
		ReadTimeout: cfg.SMTP.ReadTimeout.D(), WriteTimeout: cfg.SMTP.WriteTimeout.D(), Auth: authCheck, TLS: tlsCfg,
		Admit: disk.admit,
	}, policy, in, smtpd.NewMetrics(reg), log)

	var subSrv *smtpd.Server
	var subLn net.Listener
	if cfg.Submission.Listen != "" {
		users, err := loadUsers(cfg.Submission.UsersFile)
		if err != nil {
			return err
		}
		subSrv = smtpd.New(smtpd.Config{
			Hostname: cfg.Hostname, MaxMessageBytes: cfg.SMTP.MaxMessageBytes, MaxRecipients: cfg.SMTP.MaxRecipients,
			// No per-address cap: agents authenticate, and an office
			// behind one NAT address is many agents.
			MaxLineLength: cfg.SMTP.MaxLineLength, MaxConnections: cfg.SMTP.MaxConnections,
			ProgressTimeout: cfg.SMTP.ProgressTimeout.D(),
			ReadTimeout:     cfg.SMTP.ReadTimeout.D(), WriteTimeout: cfg.SMTP.WriteTimeout.D(), TLS: tlsCfg,
			Submission: true, Users: users, AllowInsecureAuth: cfg.Submission.AllowInsecureAuth,
			SubmissionRcpt: agentRcpt(cfg.Tickets.TagPrefix, cfg.Domains[0]), Admit: disk.admit,
		}, policy, in, nil, log.With("listener", "submission"))
		if subLn, err = net.Listen("tcp", cfg.Submission.Listen); err != nil {
			return fmt.Errorf("submission listen: %w", err)
		}
	}
	smtpLn, err := net.Listen("tcp", cfg.SMTP.Listen)
	if err != nil {
		return fmt.Errorf("smtp listen: %w", err)
	}
	httpLn, err := net.Listen("tcp", cfg.HTTP.Listen)
	if err != nil {
		smtpLn.Close()
		return fmt.Errorf("http listen: %w", err)
	}

	var smtpUp sync.WaitGroup
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg, EnableOpenMetrics: true, Timeout: 10 * time.Second}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	ready := newReadiness(st, q)
	ready.disk = disk
	mux.Handle("GET /readyz", ready)
	token, err := ensureAPIToken(cfg.HTTP.APITokenFile, dataDir)
	if err != nil {
		smtpLn.Close()
		httpLn.Close()
		return fmt.Errorf("api token: %w", err)
	}
	queueAPI(mux, token, st, q)
	ticketAPI(mux, token, st, in)
	web.New(web.Options{
		FAQ: faqs.Current, PublicURL: cfg.HTTP.PublicURL, Tickets: publicTickets{st: st, router: router}, Tokens: tokens,
		SupportAddress: func(dept string) string {
			if dept == "" {
				dept = router.current().DefaultDepartment()
			}
			d, ok := router.Department(dept)
			if !ok {
				return ""
			}
			return d.ReplyLocal + "@" + cfg.Domains[0]
		},
		DepartmentName: func(dept, lang string) string {
			if d, ok := router.Department(dept); ok {
				return d.Name
			}
			return dept
		},
		Logger: log, Registerer: reg,
	}).Register(mux)
	httpSrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}

	fmt.Fprintf(stdout, "frontdesk %s\n", build)
	fmt.Fprintf(stdout, "config:    %s\n", orDefault(cfg.File, "embedded defaults"))
	fmt.Fprintf(stdout, "smtp:      %s (mail for %s)\n", smtpLn.Addr(), strings.Join(cfg.Domains, ", "))
	if subLn != nil {
		fmt.Fprintf(stdout, "submission: %s (agents, AUTH PLAIN)\n", subLn.Addr())
	}
	fmt.Fprintf(stdout, "http:      http://%s/ (/faq/ help centre, /metrics, /healthz, /readyz, /api/)\n", httpLn.Addr())
	fmt.Fprintf(stdout, "data:      %s\n", dataDir)
	fmt.Fprintf(stdout, "store:     %s\n", filepath.Join(dataDir, "store"))
	fmt.Fprintf(stdout, "mail:      %s\n", filepath.Join(dataDir, "mail"))
	fmt.Fprintf(stdout, "relay:     %s\n", where["agents"])
	fmt.Fprintf(stdout, "outbound:  %s\n", where["outbound"])
	fmt.Fprintf(stdout, "rules:     %s\n", router.Source())

	errc := make(chan error, 2)
	smtpUp.Add(1)
	go func() {
		ready.smtp.Store(true)
		smtpUp.Done()
		errc <- smtpSrv.Serve(smtpLn)
	}()
	if subSrv != nil {
		go func() { errc <- subSrv.Serve(subLn) }()
	}
	go func() {
		if err := httpSrv.Serve(httpLn); !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	smtpUp.Wait()

	qctx, qcancel := context.WithCancel(context.Background())
	qdone := make(chan struct{})
	go func() { q.Run(qctx); close(qdone) }()
	gctx, gcancel := context.WithCancel(context.Background())
	defer gcancel()
	go st.RunGC(gctx, cfg.Store.GCInterval.D(), storeGCObserver(reg))
	rctx, rcancel := context.WithCancel(context.Background())
	defer rcancel()
	go router.Run(rctx)
	go faqs.Run(rctx)
	if templates != nil {
		go templates.Run(rctx)
	}
	sdone := make(chan struct{})
	go func() { scanner.Run(qctx); close(sdone) }()

	var runErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case runErr = <-errc:
		log.Error("listener failed", "err", runErr)
	}
	ready.smtp.Store(false)
	sctx, scancel := context.WithTimeout(context.Background(), cfg.SMTP.ShutdownTimeout.D())
	if subSrv != nil {
		go subSrv.Shutdown(sctx)
	}
	if err := smtpSrv.Shutdown(sctx); err != nil {
		log.Warn("smtp shutdown", "err", err)
	}
	scancel()
	qcancel()
	<-qdone
	<-sdone
	for _, t := range targets {
		if c, ok := t.(interface{ Close() }); ok {
			c.Close() // QUIT the kept connections
		}
	}
	hctx, hcancel := context.WithTimeout(context.Background(), 5*time.Second)
	httpSrv.Shutdown(hctx)
	hcancel()
	rcancel()
	gcancel()
	log.Info("stopped")
	return runErr
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// buildTargets makes the delivery targets and says where each delivers.
func buildTargets(cfg *config.Config, dataDir string) (map[string]queue.Target, map[string]string, error) {
	agents, err := config.ParseTarget(cfg.Relay.Target)
	if err != nil {
		return nil, nil, err
	}
	targets := map[string]queue.Target{}
	where := map[string]string{}
	switch agents.Kind {
	case "maildir":
		root := filepath.Join(dataDir, "mailboxes")
		targets["agents"] = &queue.Maildir{Root: root, Hostname: cfg.Hostname}
		where["agents"] = "maildir " + root + "/<department>/"
	default:
		targets["agents"] = &queue.SMTP{LMTP: agents.Kind == "lmtp", Network: agents.Network, Addr: agents.Addr, Helo: cfg.Hostname, MaxIdle: cfg.Relay.Workers}
		where["agents"] = cfg.Relay.Target
	}
	switch {
	case cfg.Outbound.Target == "maildir":
		root := filepath.Join(dataDir, "outbox")
		targets["outbound"] = &queue.Maildir{Root: root, Hostname: cfg.Hostname}
		where["outbound"] = "maildir " + root
	case strings.HasPrefix(cfg.Outbound.Target, "smtp://"):
		t, err := config.ParseTarget(cfg.Outbound.Target)
		if err != nil {
			return nil, nil, err
		}
		targets["outbound"] = &queue.SMTP{Network: t.Network, Addr: t.Addr, Helo: cfg.Hostname, MaxIdle: cfg.Relay.Workers}
		where["outbound"] = cfg.Outbound.Target
	case cfg.Outbound.Target == "mx":
		targets["outbound"] = &queue.MX{Resolver: dnsResolver(cfg.Auth.DNSServer), Helo: cfg.Hostname, Port: cfg.Outbound.MXPort,
			AllowPrivate: cfg.Outbound.AllowPrivateAddresses}
		where["outbound"] = "mx (direct delivery to customers' mail exchangers)"
	default:
		return nil, nil, fmt.Errorf("outbound.target %q is not supported", cfg.Outbound.Target)
	}
	return targets, where, nil
}

// memoryLimit is the soft memory limit serve sets (0: none) and where it
// comes from: GOMEMLIMIT in the environment is the runtime's own and wins
// (the runtime has applied it already), else config memory_limit.
func memoryLimit(cfg *config.Config, getenv func(string) string) (int64, string) {
	if getenv("GOMEMLIMIT") != "" {
		return 0, "GOMEMLIMIT"
	}
	n, err := cfg.MemoryLimitBytes()
	if err != nil { // not reached: Load validates it
		return 0, "memory_limit"
	}
	return n, "memory_limit"
}
