package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/internal/buildinfo"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/store"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/frontdesk-mail/frontdesk/ack"
	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/customers"
	"github.com/frontdesk-mail/frontdesk/intake"
	"github.com/frontdesk-mail/frontdesk/learn"
	"github.com/frontdesk-mail/frontdesk/lease"
	"github.com/frontdesk-mail/frontdesk/mailauth"
	"github.com/frontdesk-mail/frontdesk/queue"
	"github.com/frontdesk-mail/frontdesk/retention"
	"github.com/frontdesk-mail/frontdesk/smtpd"
	"github.com/frontdesk-mail/frontdesk/ticket"
	"github.com/frontdesk-mail/frontdesk/web"
)

// Options configure a gateway. Only Config is required.
type Options struct {
	Config *config.Config
	Logger *slog.Logger // nil: discard
	// Registry receives every metric and is what /metrics serves (nil: a
	// new one).
	Registry *prometheus.Registry
	// Now is the clock of intake, the queue and the SLA scanner (nil: the
	// real time, or the test clock of FRONTDESK_TEST_CLOCK_FILE).
	Now func() time.Time
	// Version is the release version stamped by -ldflags ("" reads the
	// module's build information).
	Version string
}

// learnedPoll is how often a node on a shared database looks for learned
// examples changed on other nodes (a #move taught there, an erasure).
const learnedPoll = 10 * time.Second

// Gateway is the whole support-mail gateway: its listeners, store, queue,
// SLA scanner, reloaded files and HTTP server, owned here and released by
// Run (or by Close when Run is never called).
type Gateway struct {
	cfg     *config.Config
	log     *slog.Logger
	reg     *prometheus.Registry
	dataDir string
	build   buildinfo.Info
	// users are the agents who may log in to submission (loadUsers).
	users agentUsers

	st         *store.Store
	seq        *store.Sequence
	q          *queue.Queue
	targets    map[queue.TargetName]queue.Target
	where      map[queue.TargetName]string
	router     *router
	faqs       *source[faq.Catalog]
	tmpls      *source[ack.Templates] // nil when acknowledgements are off
	keeper     *retention.Runner
	leases     *lease.Metrics
	live       *learn.Live // nil when learning is off
	scanner    *ticket.Scanner
	ready      *readiness
	watchClock func(context.Context, func())

	smtpSrv, subSrv       *smtpd.Server
	smtpLn, subLn, httpLn net.Listener
	httpSrv               *http.Server

	// stopped, when set (tests), is told each part as it stops, in order.
	stopped func(part string)
	closers []func() // what New opened, undone in reverse by Close
	once    sync.Once
}

// New opens the store and builds every part of the gateway from
// o.Config, with its listeners bound; nothing is served until Run.
func New(ctx context.Context, o Options) (_ *Gateway, err error) {
	cfg := o.Config
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	reg := o.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	g := &Gateway{cfg: cfg, log: log, reg: reg, build: buildinfo.Read(o.Version)}
	defer func() {
		if err != nil {
			g.Close()
		}
	}()
	if g.dataDir, err = filepath.Abs(cfg.DataDir); err != nil {
		return nil, err
	}
	dataDir := g.dataDir
	// the agents' users file is read before anything is written, so
	// that a bad one leaves a fresh data dir as it was
	if cfg.Submission.Listen != "" {
		if g.users, err = loadUsers(cfg.Submission.UsersFile); err != nil {
			return nil, fileKeyError(cfg, err, "submission", "users_file")
		}
	}
	if err := makeDataDir(dataDir); err != nil {
		return nil, err
	}
	st, err := OpenStore(ctx, cfg, dataDir, log)
	if err != nil {
		return nil, err
	}
	g.st = st
	g.closers = append(g.closers, func() { st.Close() })
	if note := leftBadgerNote(dataDir); note != "" && st.Postgres() {
		log.Warn(note)
	}

	// An erasure made while the store was open finishes its purge now
	// that the value-log file it wrote to is sealed.
	if done, err := customers.FinishPurge(ctx, st); err != nil {
		log.Error("finish the purge of an erasure", "err", err)
	} else if done {
		log.Info("finished the purge of an erasure")
	}
	g.keeper = &retention.Runner{St: st, Policy: RetentionPolicy(cfg.Retention), Grace: RetentionGrace, Log: log,
		Metrics: retention.NewMetrics(reg, st)}
	g.leases = lease.NewMetrics(reg)
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	buildInfo := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "frontdesk", Name: "build_info", Help: "Build information (module version, VCS revision, Go toolchain); always 1."}, []string{"version", "revision", "goversion"})
	buildInfo.WithLabelValues(g.build.Version, g.build.Revision, g.build.GoVersion).Set(1)
	reg.MustRegister(buildInfo)

	router, err := newRouter(cfg, reg, log)
	if err != nil {
		return nil, fileKeyError(cfg, err, "rules_file")
	}
	g.router = router

	targets, where, err := buildTargets(cfg, dataDir)
	if err != nil {
		return nil, err
	}
	g.targets, g.where = targets, where
	q := queue.New(st, queue.Config{
		Workers: cfg.Relay.Workers, MinBackoff: cfg.Relay.MinBackoff.D(), MaxBackoff: cfg.Relay.MaxBackoff.D(),
		GiveUpAfter: cfg.Relay.GiveUpAfter.D(),
	}, targets, queue.NewMetrics(reg, st, targets), log)
	g.q = q
	tm := ticket.NewMetrics(reg, st)
	im := intake.NewMetrics(reg, tm)
	// per-department series (tickets, SLAs, triage corrections by from and
	// to) exist at zero from the start and follow each rules reload
	setDepartments := func(keys []string) { tm.SetDepartments(keys); im.SetDepartments(keys) }
	setDepartments(departmentKeys(router.current()))
	router.onDepartments = setDepartments
	seq, err := st.Sequence(TicketSeqKey, 20)
	if err != nil {
		return nil, fmt.Errorf("ticket numbers: %w", err)
	}
	g.closers = append(g.closers, func() { seq.Release() })
	clock, watchClock := clockFromEnv(log)
	if o.Now != nil {
		clock = o.Now
	}
	g.watchClock = watchClock
	q.SetClock(clock)    // queue items are due at the times intake and the scanner give them
	g.keeper.Now = clock // retention counts from resolutions made on this clock
	// the starter examples' choice, filled in below before the catalog is watched
	starterChosen := &starterChoice{log: log}
	faqs, err := newFAQSource(cfg.FAQFile, reg, log, starterChosen.reloaded)
	if err != nil {
		return nil, fileKeyError(cfg, err, "faq_file")
	}
	g.faqs = faqs
	router.faq = faqs.Current // "about" conditions ask the catalog in force
	live := learn.NewLive(st, log)
	// an example index being built reads the store: stopped before it closes
	g.closers = append(g.closers, live.Close)
	learned := faqs.Current // ranking and "about" with what agents taught, unless learn.enabled is false
	var learner intake.Learner
	if cfg.Learn.On() {
		starter, why, err := learn.StarterFor(cfg.Learn.Starter, faqs.Current())
		if err != nil {
			return nil, err
		}
		log.Info("starter examples", "use", len(starter) > 0, "why", why)
		starterChosen.decided, starterChosen.used = cfg.Learn.Starter == nil, len(starter) > 0
		live.UseStarter(starter)
		learner, learned = live, live.Catalog(faqs.Current)
		g.live = live
		g.keeper.Learned = live // examples retention removes leave the ranking before a run returns
		router.faq = learned
	} else {
		log.Info("starter examples", "use", false, "why", "learn.enabled is false: no example is used")
	}
	statusKey, err := loadStatusKey(ctx, st, dataDir)
	if err != nil {
		return nil, fmt.Errorf("status page key: %w", err)
	}
	tokens := web.NewTokens(statusKey)
	var signer *mailauth.Signer
	var sign func([]byte) ([]byte, error)
	if k := cfg.Outbound.DKIM; k.KeyFile != "" {
		if signer, err = mailauth.LoadSigner(k.Domain, k.Selector, k.KeyFile); err != nil {
			return nil, fileKeyError(cfg, err, "outbound", "dkim", "key_file")
		}
		sign = signer.Sign
	}
	var templates *source[ack.Templates]
	var acks intake.Acker
	builtinTemplates, err := ack.Load("")
	if err != nil {
		return nil, err
	}
	if cfg.Acks.On() {
		templates, err = newSource("templates", cfg.TemplatesDir, func() (*ack.Templates, error) { return ack.Load("") }, ack.Load, reg, log, nil)
		if err != nil {
			return nil, fileKeyError(cfg, err, "templates_dir")
		}
		acks = &acker{templates: templates.Current, log: log, faq: learned, publicURL: cfg.HTTP.PublicURL, hostname: cfg.Hostname,
			domain: cfg.Domains[0], tokens: tokens, signer: signer,
			ours: ours(cfg)}
	}
	g.tmpls = templates
	noticeTemplates := func() *ack.Templates { return builtinTemplates }
	if templates != nil {
		noticeTemplates = templates.Current
	}
	notices := customerNotices{templates: noticeTemplates, router: router, tokens: tokens, publicURL: cfg.HTTP.PublicURL,
		hostname: cfg.Hostname, domain: cfg.Domains[0], signer: signer, ours: ours(cfg)}
	scanner := g.newScanner(notices, tm, clock)
	g.scanner = scanner
	reopen := cfg.Tickets.ReopenWindow.D()
	if reopen == 0 {
		reopen = -1 // tickets.reopen_window: 0s: no follow-up reopens a resolved ticket
	}
	in := intake.New(intake.Options{Store: st, Queue: q, Router: router, Hostname: cfg.Hostname, Domain: cfg.Domains[0],
		TagPrefix: cfg.Tickets.TagPrefix, ReopenWindow: reopen, Numbers: ticketNumbers{seq},
		Acker: acks, AckRate: cfg.Acks.PerSenderPerHour, Sign: sign,
		Lifecycle: intake.Lifecycle{CollisionWindow: cfg.Tickets.Collision(), RatingFooter: ratingFooter(tokens, cfg.HTTP.PublicURL),
			ResolveNotice: notices.resolved},
		Learning: intake.Learning{Learner: learner,
			Links: learn.Links{Catalog: faqs.Current, PublicURL: cfg.HTTP.PublicURL}}, // #faq
		Committed: scanner.Kick, Metrics: im, Log: log, Now: clock})
	registerStoreMetrics(reg, st)

	disk, err := g.newSMTP(in)
	if err != nil {
		return nil, err
	}
	if err := g.newHTTP(in, live, tokens, tm, clock, disk); err != nil {
		return nil, err
	}
	return g, nil
}

// newScanner is the SLA scanner: warnings and escalations, auto-close
// notices, and the ticket metrics of what it did.
func (g *Gateway) newScanner(notices customerNotices, tm *ticket.Metrics, clock func() time.Time) *ticket.Scanner {
	cfg, router, q := g.cfg, g.router, g.q
	scanner := ticket.NewScanner(g.st, escalationNotifier(cfg, router, notices.templates), g.log)
	scanner.Now = clock
	scanner.AutoClose = notices.autoClose
	scanner.OnEvent = func(t *ticket.Ticket, kind, what string) {
		switch {
		case kind == string(ticket.DeadlinePendingClose):
			cal, _ := router.Calendar(t.Policy.Calendar)
			tm.AutoClosed(t, cal.Between(t.Created, t.ResolvedAt))
		case kind == "held":
			tm.HeldReply(t.Department, "expired")
		default:
			tm.Event(t, kind, what)
		}
		q.Kick() // the warning, escalation or notice mail was queued
	}
	return scanner
}

// The SMTP servers file messages with intake and answer its refusals
// with 550; smtpd does not import intake.
var (
	_ smtpd.Acceptor  = (*intake.Intake)(nil)
	_ smtpd.Rejection = (*intake.RejectedError)(nil)
)

// newSMTP builds the MX (and the submission listener when configured)
// in front of in, with their listeners bound, and the disk guard that
// pauses them before the store's reserve is reached (nil when nothing is
// written locally).
func (g *Gateway) newSMTP(in *intake.Intake) (*diskGuard, error) {
	cfg, reg, log, st, router, dataDir := g.cfg, g.reg, g.log, g.st, g.router, g.dataDir
	tlsCfg, err := loadTLS(cfg)
	if err != nil {
		return nil, err
	}
	var authCheck *smtpd.AuthCheck
	if cfg.Auth.Enabled() {
		// SPF and DMARC ask about the same few sender domains all day.
		dns := mailauth.NewCache(dnsResolver(cfg.Auth.DNSServer), time.Minute, 10000)
		authCheck = &smtpd.AuthCheck{Resolver: dns, AuthservID: orDefault(cfg.Auth.AuthservID, cfg.Hostname), Timeout: cfg.Auth.Timeout.D()}
	}
	// Intake pauses before the store's reserve is reached, with room for
	// the messages in flight. On PostgreSQL nothing accepted is written
	// here, so only Maildir targets under data_dir keep the guard.
	var disk *diskGuard
	if !cfg.Store.Postgres() || writesLocally(g.targets) {
		disk = newDiskGuard(dataDir, cfg.Store.MinFreeBytes, st.Reserve()+64<<20)
		disk.register(reg)
	}
	policy := &smtpd.Policy{Domains: cfg.Domains, Known: router.Known, RejectUnknown: cfg.SMTP.RejectUnknownRecipients}
	g.smtpSrv = smtpd.New(smtpd.Config{
		Hostname: cfg.Hostname, MaxMessageBytes: cfg.SMTP.MaxMessageBytes, MaxRecipients: cfg.SMTP.MaxRecipients,
		MaxLineLength: cfg.SMTP.MaxLineLength, MaxConnections: cfg.SMTP.MaxConnections,
		MaxConnectionsPerIP: cfg.SMTP.MaxConnectionsPerIP, ProgressTimeout: cfg.SMTP.ProgressTimeout.D(),
		ReadTimeout: cfg.SMTP.ReadTimeout.D(), WriteTimeout: cfg.SMTP.WriteTimeout.D(), Auth: authCheck, TLS: tlsCfg,
		Admit: disk.admitFunc(), LargeMessages: cfg.SMTP.LargeMessages,
	}, policy, in, smtpd.NewMetrics(reg), log)

	if cfg.Submission.Listen != "" {
		g.subSrv = smtpd.New(smtpd.Config{
			Hostname: cfg.Hostname, MaxMessageBytes: cfg.SMTP.MaxMessageBytes, MaxRecipients: cfg.SMTP.MaxRecipients,
			// No per-address cap: agents authenticate, and an office
			// behind one NAT address is many agents.
			MaxLineLength: cfg.SMTP.MaxLineLength, MaxConnections: cfg.SMTP.MaxConnections,
			ProgressTimeout: cfg.SMTP.ProgressTimeout.D(),
			ReadTimeout:     cfg.SMTP.ReadTimeout.D(), WriteTimeout: cfg.SMTP.WriteTimeout.D(), TLS: tlsCfg,
			Submission: true, Users: g.users, AllowInsecureAuth: cfg.Submission.AllowInsecureAuth,
			SubmissionRcpt: agentRcpt(cfg.Tickets.TagPrefix, cfg.Domains[0]), Admit: disk.admitFunc(),
		}, policy, in, nil, log.With("listener", "submission"))
		if g.subLn, err = net.Listen("tcp", cfg.Submission.Listen); err != nil {
			return nil, fmt.Errorf("submission listen: %w", err)
		}
		g.closers = append(g.closers, func() { g.subLn.Close() })
	}
	if g.smtpLn, err = net.Listen("tcp", cfg.SMTP.Listen); err != nil {
		return nil, fmt.Errorf("smtp listen: %w", err)
	}
	g.closers = append(g.closers, func() { g.smtpLn.Close() })
	return disk, nil
}

// newHTTP binds the HTTP listener and builds what it serves: metrics,
// health and readiness, the admin API and the help centre.
func (g *Gateway) newHTTP(in *intake.Intake, live *learn.Live, tokens *web.Tokens, tm *ticket.Metrics, clock func() time.Time, disk *diskGuard) error {
	cfg, reg, log, st, q, router, faqs, dataDir := g.cfg, g.reg, g.log, g.st, g.q, g.router, g.faqs, g.dataDir
	var err error
	if g.httpLn, err = net.Listen("tcp", cfg.HTTP.Listen); err != nil {
		return fmt.Errorf("http listen: %w", err)
	}
	g.closers = append(g.closers, func() { g.httpLn.Close() })

	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg, EnableOpenMetrics: true, Timeout: 10 * time.Second}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	g.ready = newReadiness(st, q)
	g.ready.disk, g.ready.dsn = disk, storeDSN(cfg)
	mux.Handle("GET /readyz", g.ready)
	var token string
	if f := cfg.HTTP.APITokenFile; f != "" {
		token, err = ReadAPIToken(f)
		err = fileKeyError(cfg, err, "http", "api_token_file")
	} else if token, err = EnsureAPIToken("", dataDir); err != nil {
		err = fmt.Errorf("api token: %w", err)
	}
	if err != nil {
		return err
	}
	eraser := learn.Eraser{} // with learning off no index uses the examples: nothing to rebuild
	if cfg.Learn.On() {
		eraser.Live = live
	}
	API{Token: token, Store: st, Queue: q, Intake: in, Retention: g.keeper, DataDir: dataDir,
		Erasers: []customers.Eraser{eraser}, NotCustomer: notCustomer(ours(cfg), router.current), Learn: eraser.Live,
		LearnFAQ: faqs.Current, Departments: func() []string { return departmentKeys(router.current()) }}.Register(mux)
	web.New(web.Options{
		FAQ: faqs.Current, PublicURL: cfg.HTTP.PublicURL, Tickets: publicTickets{st: st, router: router, tokens: tokens, publicURL: cfg.HTTP.PublicURL, now: clock}, Tokens: tokens,
		Ratings: ratings{st: st, router: router, hostname: cfg.Hostname, tm: tm, now: clock, log: log, kick: q.Kick}, Now: clock,
		SupportAddress: func(dept string) string {
			if dept == "" {
				dept = router.current().DefaultDepartment()
			}
			d, ok := router.Department(dept)
			if !ok {
				return ""
			}
			return d.Address(cfg.Domains[0])
		},
		DepartmentName: func(dept string, lang message.Language) string {
			if d, ok := router.Department(dept); ok {
				return d.Name
			}
			return dept
		},
		Unavailable: st.Ping,
		Logger:      log, Registerer: reg,
	}).Register(mux)
	g.httpSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	return nil
}

// Summary is what serve prints at start: where everything is.
type Summary struct {
	Build                  buildinfo.Info
	Config                 string
	SMTP, Submission, HTTP string // listen addresses; Submission "" when off
	Domains                []string
	DataDir, Store, Mail   string // Store names a database with its password masked
	Relay, Outbound, Rules string
	FAQ                    string // the catalog file and its entries
}

// WriteText is what serve prints at start.
func (s Summary) WriteText(w io.Writer) {
	fmt.Fprintf(w, "frontdesk %s\n", s.Build)
	fmt.Fprintf(w, "config:     %s\n", s.Config)
	fmt.Fprintf(w, "smtp:       %s (mail for %s)\n", s.SMTP, strings.Join(s.Domains, ", "))
	if s.Submission != "" {
		fmt.Fprintf(w, "submission: %s (agents, AUTH PLAIN)\n", s.Submission)
	}
	fmt.Fprintf(w, "http:       http://%s/ (/faq/ help centre, /metrics, /healthz, /readyz, /api/)\n", s.HTTP)
	fmt.Fprintf(w, "data:       %s\n", s.DataDir)
	fmt.Fprintf(w, "store:      %s\n", s.Store)
	fmt.Fprintf(w, "mail:       %s\n", s.Mail)
	fmt.Fprintf(w, "relay:      %s\n", s.Relay)
	fmt.Fprintf(w, "outbound:   %s\n", s.Outbound)
	fmt.Fprintf(w, "rules:      %s\n", s.Rules)
	if s.FAQ != "" {
		fmt.Fprintf(w, "faq:        %s\n", s.FAQ)
	}
}

// Summary says where the gateway listens, keeps and delivers.
func (g *Gateway) Summary() Summary {
	s := Summary{Build: g.build, Config: orDefault(g.cfg.File, "embedded defaults"), SMTP: g.smtpLn.Addr().String(),
		HTTP: g.httpLn.Addr().String(), Domains: g.cfg.Domains, DataDir: g.dataDir,
		Store: filepath.Join(g.dataDir, "store"), Mail: filepath.Join(g.dataDir, "mail"),
		Relay: g.where[queue.Agents], Outbound: g.where[queue.Outbound], Rules: g.router.Source()}
	if cat := g.faqs.Current(); cat != nil {
		s.FAQ = fmt.Sprintf("%s (%d entries)", orDefault(g.cfg.FAQFile, "embedded demo catalog"), cat.Len())
	}
	if g.cfg.Store.Postgres() {
		s.Store, s.Mail = "postgres "+g.cfg.Store.RedactedDSN(), "in the database"
	}
	if g.subLn != nil {
		s.Submission = g.subLn.Addr().String()
	}
	return s
}

// SMTPAddr is the address the SMTP listener is bound to.
func (g *Gateway) SMTPAddr() net.Addr { return g.smtpLn.Addr() }

// HTTPAddr is the address the HTTP listener is bound to.
func (g *Gateway) HTTPAddr() net.Addr { return g.httpLn.Addr() }

// Run serves until ctx ends or a listener fails, then stops every part
// and releases what New opened. The order matters: SMTP first (it stops
// accepting, and sessions in DATA may still commit, for up to
// smtp.shutdown_timeout), then the SLA scanner and the queue workers, then
// HTTP and the reloaders, and the store last, exactly once.
func (g *Gateway) Run(ctx context.Context) error {
	cfg, log, st := g.cfg, g.log, g.st
	errc := make(chan error, 3)
	g.ready.smtp.Store(true)
	go func() { errc <- g.smtpSrv.Serve(g.smtpLn) }()
	if g.subSrv != nil {
		go func() { errc <- g.subSrv.Serve(g.subLn) }()
	}
	go func() {
		if err := g.httpSrv.Serve(g.httpLn); !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()

	qctx, qcancel := context.WithCancel(context.Background())
	qdone := make(chan struct{})
	go func() { g.q.Run(qctx); close(qdone) }()
	gctx, gcancel := context.WithCancel(context.Background())
	defer gcancel()
	go st.RunGC(gctx, cfg.Store.GCInterval.D(), storeGCObserver(g.reg))
	// On a shared store (several nodes on one database) the periodic
	// jobs run on one node at a time, the holder of their lease.
	leases := &lease.Runner{Store: st, Log: log, Metrics: g.leases}
	rdone := make(chan struct{})
	go func() {
		leases.Run(gctx, "retention", func(ctx context.Context) { g.keeper.Loop(ctx, cfg.Retention.Interval.D()) })
		close(rdone)
	}()
	rctx, rcancel := context.WithCancel(context.Background())
	defer rcancel()
	go g.router.Run(rctx)
	go g.faqs.Run(rctx)
	if g.live != nil && st.Shared() {
		// what agents taught on other nodes, and erasures made there
		t := time.NewTicker(learnedPoll)
		defer t.Stop()
		go g.live.Watch(rctx, t.C)
	}
	if st.Shared() {
		// customers erased on any node: their mail's copies in this
		// node's Maildirs
		t := time.NewTicker(learnedPoll)
		defer t.Stop()
		go sweepErasedLoop(rctx, st, g.dataDir, log, t.C)
	}
	if g.tmpls != nil {
		go g.tmpls.Run(rctx)
	}
	sdone := make(chan struct{})
	go func() { leases.Run(qctx, "scanner", g.scanner.Run); close(sdone) }()
	go g.watchClock(qctx, g.scanner.Kick)

	var runErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case runErr = <-errc:
		log.Error("listener failed", "err", runErr)
	}
	g.ready.smtp.Store(false)
	sctx, scancel := context.WithTimeout(context.Background(), cfg.SMTP.ShutdownTimeout.D())
	if g.subSrv != nil {
		go g.subSrv.Shutdown(sctx)
	}
	if err := g.smtpSrv.Shutdown(sctx); err != nil {
		log.Warn("smtp shutdown", "err", err)
	}
	scancel()
	g.step("smtp")
	qcancel()
	<-qdone
	<-sdone
	g.step("queue")
	for _, t := range g.targets {
		if c, ok := t.(interface{ Close() }); ok {
			c.Close() // QUIT the kept connections
		}
	}
	hctx, hcancel := context.WithTimeout(context.Background(), 5*time.Second)
	g.httpSrv.Shutdown(hctx)
	hcancel()
	g.step("http")
	rcancel()
	gcancel()
	<-rdone // its lease released while the store is open
	g.Close()
	log.Info("stopped")
	return runErr
}

func (g *Gateway) step(part string) {
	if g.stopped != nil {
		g.stopped(part)
	}
}

// Close releases what New opened (the listeners, the ticket sequence, the
// store last); Run calls it. It is for a gateway that New built but that
// never ran, and safe to call more than once.
func (g *Gateway) Close() error {
	g.once.Do(func() {
		for i := len(g.closers) - 1; i >= 0; i-- {
			g.closers[i]()
		}
		if g.st != nil {
			g.step("store")
		}
	})
	return nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// buildTargets makes the delivery targets and says where each delivers.
func buildTargets(cfg *config.Config, dataDir string) (map[queue.TargetName]queue.Target, map[queue.TargetName]string, error) {
	agents, err := config.ParseTarget(cfg.Relay.Target)
	if err != nil {
		return nil, nil, err
	}
	targets := map[queue.TargetName]queue.Target{}
	where := map[queue.TargetName]string{}
	switch agents.Kind {
	case "maildir":
		root := filepath.Join(dataDir, "mailboxes")
		targets[queue.Agents] = &queue.Maildir{Root: root, Hostname: cfg.Hostname}
		where[queue.Agents] = "maildir " + root + "/<department>/"
	default:
		targets[queue.Agents] = &queue.SMTP{LMTP: agents.Kind == "lmtp", Network: agents.Network, Addr: agents.Addr, Helo: cfg.Hostname, MaxIdle: cfg.Relay.Workers}
		where[queue.Agents] = cfg.Relay.Target
	}
	switch {
	case cfg.Outbound.Target == "maildir":
		root := filepath.Join(dataDir, "outbox")
		targets[queue.Outbound] = &queue.Maildir{Root: root, Hostname: cfg.Hostname}
		where[queue.Outbound] = "maildir " + root
	case strings.HasPrefix(cfg.Outbound.Target, "smtp://"):
		t, err := config.ParseTarget(cfg.Outbound.Target)
		if err != nil {
			return nil, nil, err
		}
		targets[queue.Outbound] = &queue.SMTP{Network: t.Network, Addr: t.Addr, Helo: cfg.Hostname, MaxIdle: cfg.Relay.Workers}
		where[queue.Outbound] = cfg.Outbound.Target
	case cfg.Outbound.Target == "mx":
		targets[queue.Outbound] = &queue.MX{Resolver: dnsResolver(cfg.Auth.DNSServer), Helo: cfg.Hostname, Port: cfg.Outbound.MXPort,
			AllowPrivate: cfg.Outbound.AllowPrivateAddresses}
		where[queue.Outbound] = "mx (direct delivery to customers' mail exchangers)"
	default:
		return nil, nil, fmt.Errorf("outbound.target %q is not supported", cfg.Outbound.Target)
	}
	return targets, where, nil
}
