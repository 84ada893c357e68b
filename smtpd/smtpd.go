// Package smtpd is Frontdesk's SMTP front: go-smtp sessions for the public
// MX with the recipient policy, size, line, recipient and connection limits
// (in all and per client address) and timeouts set to safe values, and the
// mapping from intake results to SMTP replies that always carry an enhanced
// status code and a sentence a human understands. A 250 at the end of DATA
// or BDAT LAST is sent only after intake has committed the message durably,
// and never for a message whose end did not arrive. A session that moves
// no message data for ProgressTimeout is closed whatever else it sends.
package smtpd

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/frontdesk-mail/frontdesk/third_party/go-smtp"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/mailauth"
	"github.com/frontdesk-mail/frontdesk/message"
)

// Acceptor files a complete message (implemented by *intake.Intake).
type Acceptor interface {
	Accept(ctx context.Context, env *message.Envelope, data []byte) (string, error)
}

// Rejection is implemented by an Acceptor's error that refuses a message
// for good (intake.RejectedError): the session answers 550 5.7.1 with its
// text, or as its RejectionStatus says.
type Rejection interface {
	Rejection() string
}

// RejectionStatus, when a Rejection implements it, gives the reply code,
// the enhanced code and the refusal reason (the refusals_total label) in
// place of 550 5.7.1 and "rule".
type RejectionStatus interface {
	RejectionStatus() (code int, enhanced [3]int, reason string)
}

// Config holds the listener's limits.
type Config struct {
	Hostname        string
	MaxMessageBytes int64
	MaxRecipients   int
	MaxLineLength   int
	MaxConnections  int
	// MaxConnectionsPerIP caps one client address's concurrent sessions
	// (0: no cap), so that one host cannot hold every slot. An IPv6
	// client is counted by its /64 (see clientIP).
	MaxConnectionsPerIP int
	// ProgressTimeout closes a session that has received no message data
	// for this long (0: never). Commands that move nothing (NOOP, RSET,
	// HELP, VRFY, EHLO, a MAIL or RCPT not followed by a message) do not
	// extend it, so a client cannot hold a slot by chatting.
	ProgressTimeout time.Duration
	ReadTimeout     time.Duration
	WriteTimeout    time.Duration
	// Auth, when set, checks SPF, DKIM and DMARC of every message.
	Auth *AuthCheck
	// TLS enables STARTTLS.
	TLS *tls.Config
	// Submission makes this the agents' listener: AUTH PLAIN is required
	// before MAIL, and recipients are checked by SubmissionRcpt.
	Submission        bool
	Users             Users
	AllowInsecureAuth bool
	// SubmissionRcpt accepts or refuses an agent's recipient.
	SubmissionRcpt func(addr string) *smtp.SMTPError
	// Admit, when set, may refuse a transaction at MAIL FROM for a reason
	// of the gateway's own (a nearly full disk: 452 4.3.1), before the
	// client sends a message that could not be stored.
	Admit func() *smtp.SMTPError
	// LargeMessages is how many sessions at once may read a message past
	// its first 256 KiB (0: any number). The others wait before reading
	// on, so the mail held in memory between DATA and its filing is
	// bounded by about LargeMessages whole messages plus 256 KiB per
	// session, instead of one whole message per session.
	LargeMessages int
}

// Users checks agents' passwords.
type Users interface {
	Check(user, password string) bool
}

// AuthCheck configures sender authentication.
type AuthCheck struct {
	Resolver   mailauth.Resolver
	AuthservID string
	Timeout    time.Duration
}

// Server is one SMTP listener.
type Server struct {
	cfg    Config
	policy *Policy
	acc    Acceptor
	log    *slog.Logger
	m      *Metrics
	srv    *smtp.Server

	mu       sync.Mutex
	conns    map[*trackedConn]struct{}
	perIP    map[string]int // open connections by client address
	ln       net.Listener
	draining atomic.Bool
	// inData counts sessions inside a transaction (MAIL to end of DATA); drained is closed
	// when it reaches zero during a shutdown. (A WaitGroup cannot be used:
	// Add may run concurrently with Wait once draining has begun.)
	inData  int
	drained chan struct{}

	chunks sync.Pool // *[chunkSize]byte for reading DATA (readMessage)
	// large holds a token for each session past largeMessage bytes of
	// its message, until that message is filed (nil: no limit).
	large        chan struct{}
	largeWaiting atomic.Int32 // sessions waiting for a slot (tests)
}

// Metrics counts connections and refusals.
type Metrics struct {
	conns   *prometheus.CounterVec
	active  prometheus.Gauge
	refused *prometheus.CounterVec
}

// NewMetrics registers the SMTP metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		conns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Subsystem: "smtp", Name: "connections_total",
			Help: "SMTP connections by result (accepted, refused_limit, refused_ip_limit).",
		}, []string{"result"}),
		active: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: "frontdesk", Subsystem: "smtp", Name: "connections_active", Help: "Open SMTP connections.",
		}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "frontdesk", Subsystem: "smtp", Name: "refusals_total",
			Help: "SMTP commands refused, by reason (relay, bad_local, unknown_user, bad_sender, not_admitted, too_large, line_too_long, rule, tempfail, no_rcpt, auth_required, agent_target, auth_tempfail, non_ascii, empty).",
		}, []string{"reason"}),
	}
	m.conns.WithLabelValues("accepted")
	m.conns.WithLabelValues("refused_limit")
	m.conns.WithLabelValues("refused_ip_limit")
	for _, r := range []string{"relay", "bad_local", "unknown_user", "bad_sender", "not_admitted", "too_large", "line_too_long", "rule", "tempfail", "no_rcpt", "auth_required", "agent_target", "auth_tempfail", "non_ascii", "empty"} {
		m.refused.WithLabelValues(r)
	}
	reg.MustRegister(m.conns, m.active, m.refused)
	return m
}

// New returns a server; m may be nil.
func New(cfg Config, p *Policy, acc Acceptor, m *Metrics, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, policy: p, acc: acc, log: log, m: m, conns: map[*trackedConn]struct{}{}, perIP: map[string]int{}}
	if cfg.LargeMessages > 0 {
		s.large = make(chan struct{}, cfg.LargeMessages)
	}
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = cfg.Hostname
	srv.MaxMessageBytes = cfg.MaxMessageBytes
	srv.MaxRecipients = cfg.MaxRecipients
	srv.MaxLineLength = cfg.MaxLineLength
	srv.ReadTimeout = cfg.ReadTimeout
	srv.WriteTimeout = cfg.WriteTimeout
	// Customers whose own address is internationalized (RFC 6531) can
	// write to us; the relay passes SMTPUTF8 on where the peer offers it
	// (queue.SMTP).
	srv.EnableSMTPUTF8 = true
	srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	srv.TLSConfig = cfg.TLS
	srv.AllowInsecureAuth = cfg.AllowInsecureAuth
	s.srv = srv
	return s
}

func (s *Server) refuse(reason string, e *smtp.SMTPError) *smtp.SMTPError {
	if s.m != nil {
		s.m.refused.WithLabelValues(reason).Inc()
	}
	return e
}

// Serve accepts connections on l until Shutdown.
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	s.ln = &limitListener{Listener: l, s: s}
	ln := s.ln
	s.mu.Unlock()
	err := s.srv.Serve(ln)
	if errors.Is(err, smtp.ErrServerClosed) || s.draining.Load() {
		return nil
	}
	return err
}

// Shutdown stops accepting, closes idle connections, lets sessions that are
// inside DATA finish until ctx ends, then closes everything.
func (s *Server) Shutdown(ctx context.Context) error {
	s.draining.Store(true)
	s.mu.Lock()
	if s.ln != nil {
		s.ln.Close()
	}
	for c := range s.conns {
		if c.busy.Load() == 0 {
			c.Conn.Close()
		}
	}
	done := make(chan struct{})
	s.drained = done
	if s.inData == 0 {
		close(done)
	}
	s.mu.Unlock()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = fmt.Errorf("smtp shutdown: sessions still in DATA: %w", ctx.Err())
	}
	s.srv.Close()
	return err
}

// limitListener caps concurrent connections, in all and per client address:
// past a cap it answers 421 and closes, instead of blocking Accept
// (netutil.LimitListener) which would leave clients hanging in the kernel
// backlog.
type limitListener struct {
	net.Listener
	s *Server
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		s := l.s
		ip := clientIP(c.RemoteAddr())
		s.mu.Lock()
		full := len(s.conns) >= s.cfg.MaxConnections
		ipFull := !full && s.cfg.MaxConnectionsPerIP > 0 && s.perIP[ip] >= s.cfg.MaxConnectionsPerIP
		var tc *trackedConn
		if !full && !ipFull {
			tc = &trackedConn{Conn: c, s: s, ip: ip, stall: s.cfg.ProgressTimeout, readTimeout: s.cfg.ReadTimeout}
			tc.progressed()
			s.conns[tc] = struct{}{}
			s.perIP[ip]++
		}
		s.mu.Unlock()
		if full || ipFull {
			result, reply := "refused_limit", "421 4.7.0 Too many connections, please try again later\r\n"
			if ipFull {
				result = "refused_ip_limit"
				reply = fmt.Sprintf("421 4.7.0 Too many connections from your address (at most %d at a time), please try again later\r\n", s.cfg.MaxConnectionsPerIP)
				s.log.Warn("smtp connection refused: per-address limit", "remote", ip, "limit", s.cfg.MaxConnectionsPerIP)
			}
			if s.m != nil {
				s.m.conns.WithLabelValues(result).Inc()
			}
			c.SetWriteDeadline(time.Now().Add(5 * time.Second))
			io.WriteString(c, reply)
			c.Close()
			continue
		}
		if s.m != nil {
			s.m.conns.WithLabelValues("accepted").Inc()
			s.m.active.Inc()
		}
		return tc, nil
	}
}

// clientIP is the key a per-IP cap counts: an IPv4 address (however it
// is written), or an IPv6 address's /64. One IPv6 host is given a whole
// /64 (RFC 6177) and may use any address in it, so counting addresses one
// by one let a single client take every slot.
func clientIP(a net.Addr) string {
	var ip netip.Addr
	if ta, ok := a.(*net.TCPAddr); ok {
		ip, _ = netip.AddrFromSlice(ta.IP)
	} else if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		ip = ap.Addr()
	} else {
		return a.String()
	}
	ip = ip.Unmap().WithZone("")
	if !ip.IsValid() {
		return a.String()
	}
	if ip.Is6() {
		return netip.PrefixFrom(ip, 64).Masked().String()
	}
	return ip.String()
}

type trackedConn struct {
	net.Conn
	s    *Server
	ip   string
	busy atomic.Int32
	once sync.Once

	// stall bounds the time without progress: every read deadline go-smtp
	// sets (one per command, ReadTimeout ahead) is cut to the last
	// progress plus stall, so commands alone cannot keep a session.
	stall       time.Duration
	readTimeout time.Duration
	progress    atomic.Int64 // unix nanoseconds of the last progress
	refreshed   atomic.Int64 // unix nanoseconds of the last deadline refresh by progress
}

// progressed records that the session moved message data.
func (c *trackedConn) progressed() { c.progress.Store(time.Now().UnixNano()) }

// dataProgress records message data and, at most once a second (or a
// quarter of the allowance) unless forced, moves the read deadline on: go-smtp sets it once per command, so
// without this a slow but steady message would have to arrive within one
// deadline.
func (c *trackedConn) dataProgress(force bool) {
	now := time.Now()
	c.progress.Store(now.UnixNano())
	every := time.Second
	if c.stall > 0 && c.stall/4 < every {
		every = c.stall / 4
	}
	if !force && now.UnixNano()-c.refreshed.Load() < int64(every) || c.readTimeout <= 0 {
		return
	}
	c.refreshed.Store(now.UnixNano())
	c.SetReadDeadline(now.Add(c.readTimeout))
}

// bound cuts a read deadline to the end of the progress allowance.
func (c *trackedConn) bound(t time.Time) time.Time {
	if c.stall <= 0 {
		return t
	}
	limit := time.Unix(0, c.progress.Load()).Add(c.stall)
	if t.IsZero() || t.After(limit) {
		return limit
	}
	return t
}

func (c *trackedConn) SetReadDeadline(t time.Time) error { return c.Conn.SetReadDeadline(c.bound(t)) }

func (c *trackedConn) SetDeadline(t time.Time) error {
	if err := c.Conn.SetWriteDeadline(t); err != nil {
		return err
	}
	return c.SetReadDeadline(t)
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.s.mu.Lock()
		delete(c.s.conns, c)
		if c.s.perIP[c.ip]--; c.s.perIP[c.ip] <= 0 {
			delete(c.s.perIP, c.ip)
		}
		c.s.mu.Unlock()
		if c.s.m != nil {
			c.s.m.active.Dec()
		}
	})
	return c.Conn.Close()
}

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	if s.draining.Load() {
		return nil, &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 3, 2}, Message: "Server shutting down, please try again later"}
	}
	base := &session{s: s, helo: c.Hostname(), remote: c.Conn().RemoteAddr().String()}
	sess := base
	_, sess.tls = c.TLSConnectionState()
	// The connection go-smtp hands us is our trackedConn, or a TLS
	// connection around it after STARTTLS.
	nc := c.Conn()
	if tlsConn, ok := nc.(*tls.Conn); ok {
		nc = tlsConn.NetConn()
	}
	sess.tc, _ = nc.(*trackedConn)
	if s.cfg.Submission {
		return &submissionSession{session: sess}, nil
	}
	return sess, nil
}

// submissionSession adds AUTH to a session (go-smtp advertises AUTH only
// for sessions that implement AuthSession).
type submissionSession struct{ *session }

func (ss *submissionSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *submissionSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if identity != "" && identity != username {
			return smtp.ErrAuthFailed
		}
		if ss.s.cfg.Users == nil || !ss.s.cfg.Users.Check(username, password) {
			ss.s.log.Warn("submission auth failed", "user", username, "remote", ss.remote)
			return smtp.ErrAuthFailed
		}
		ss.user = username
		return nil
	}), nil
}

type session struct {
	s      *Server
	tc     *trackedConn
	helo   string
	remote string
	tls    bool

	user    string // authenticated submission user
	from    string
	hasFrom bool
	utf8    bool // MAIL FROM said SMTPUTF8
	rcpts   []string

	mu   sync.Mutex // Data may run in its own goroutine (BDAT)
	inTx bool
}

func (ss *session) Reset() {
	ss.from, ss.hasFrom, ss.utf8, ss.rcpts = "", false, false, nil
	ss.endTx()
}

func (ss *session) Logout() error {
	ss.endTx()
	return nil
}

// beginTx marks the session busy from MAIL FROM to the end of its DATA (or
// RSET): a shutdown closes idle connections at once but lets a transaction
// finish. Marking at MAIL rather than at DATA leaves no window between the
// 354 reply and the Data call in which a shutdown could cut the session.
func (ss *session) beginTx() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.inTx {
		return
	}
	ss.inTx = true
	if ss.tc != nil {
		ss.tc.busy.Add(1)
	}
	ss.s.enterData()
}

func (ss *session) endTx() {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if !ss.inTx {
		return
	}
	ss.inTx = false
	if ss.tc != nil {
		ss.tc.busy.Add(-1)
	}
	ss.s.leaveData()
}

// RFC 6531 §3.4: a client may use a non-ASCII address only in a
// transaction whose MAIL FROM carries the SMTPUTF8 parameter. Without it
// the address is not an RFC 5321 mailbox, so the answer is 553 (mailbox
// name not allowed) with X.6.7, "non-ASCII addresses not permitted for
// that sender/recipient" (RFC 6531 §3.5, RFC 5248's registry), and the
// sentence says what to change. Taking it anyway would file mail whose
// envelope the rest of the chain (our relay's peers, the customer's
// acknowledgement) was never told is UTF-8.
var (
	errNonASCIISender = &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 6, 7},
		Message: "Non-ASCII addresses not permitted for that sender without SMTPUTF8: add the SMTPUTF8 parameter to MAIL FROM (this server offers it)"}
	errNonASCIIRcpt = &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 6, 7},
		Message: "Non-ASCII addresses not permitted for that recipient without SMTPUTF8: add the SMTPUTF8 parameter to MAIL FROM (this server offers it)"}
)

// isASCII reports whether s has only 7-bit characters.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func (ss *session) Mail(from string, opts *smtp.MailOptions) error {
	if ss.s.cfg.Submission && ss.user == "" {
		return ss.s.refuse("auth_required", smtp.ErrAuthRequired)
	}
	if (opts == nil || !opts.UTF8) && !isASCII(from) {
		return ss.s.refuse("non_ascii", errNonASCIISender)
	}
	if e := ss.s.policy.CheckSender(from); e != nil {
		return ss.s.refuse("bad_sender", e)
	}
	if ss.s.cfg.Admit != nil {
		if e := ss.s.cfg.Admit(); e != nil {
			return ss.s.refuse("not_admitted", e)
		}
	}
	ss.from, ss.hasFrom, ss.rcpts = from, true, nil
	ss.utf8 = opts != nil && opts.UTF8
	ss.beginTx()
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !ss.utf8 && !isASCII(to) {
		return ss.s.refuse("non_ascii", errNonASCIIRcpt)
	}
	if ss.s.cfg.Submission && ss.s.cfg.SubmissionRcpt != nil {
		// Agents are told what they may do, not just "relaying denied".
		if e := ss.s.cfg.SubmissionRcpt(to); e != nil {
			ss.s.log.Info("agent recipient refused", "rcpt", to, "user", ss.user)
			return ss.s.refuse("agent_target", e)
		}
	}
	norm, e := ss.s.policy.CheckRcpt(to)
	if e != nil {
		reason := "relay"
		switch e {
		case errBadLocal:
			reason = "bad_local"
		case errUnknownUser:
			reason = "unknown_user"
		}
		ss.s.log.Info("recipient refused", "rcpt", to, "remote", ss.remote, "reason", reason)
		return ss.s.refuse(reason, e)
	}
	ss.rcpts = append(ss.rcpts, norm)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	ss.beginTx() // BDAT without MAIL cannot happen, but stay safe
	if ss.tc != nil {
		// The deadline go-smtp set at the DATA command counts from the
		// last progress; the message gets a fresh one.
		ss.tc.dataProgress(true)
		// A message that ends (accepted or not) is progress too: the commit
		// may take a while, and the next message gets the whole allowance.
		defer ss.tc.progressed()
		r = &progressReader{r: r, c: ss.tc}
	}
	var release func() // the large-message slot, if this message took one
	data, err := ss.s.readMessage(r, func() { release = ss.s.takeLarge(ss.tc) })
	if release != nil {
		defer release()
	}
	if err == nil && longLine(data, ss.s.cfg.MaxLineLength) {
		// go-smtp measures the lines of DATA only; BDAT is held to the
		// same limit (we do not offer BINARYMIME), with the same answer.
		err = smtp.ErrTooLongLine
	}
	if err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) {
			if se == smtp.ErrDataTooLarge {
				ss.s.refuse("too_large", nil)
				return &smtp.SMTPError{Code: 552, EnhancedCode: smtp.EnhancedCode{5, 3, 4},
					Message: fmt.Sprintf("Message too big: the limit is %d bytes", ss.s.cfg.MaxMessageBytes)}
			}
			return se // unwrapped: go-smtp checks the type directly
		}
		if errors.Is(err, smtp.ErrTooLongLine) {
			// Permanent: the same message will have the same line when
			// retried. RFC 5321 §4.5.3.1.10 names "500 Line too long" for
			// this limit; X.5.0 because the limit is the protocol's (a text
			// line, RFC 5321 §4.5.3.1.6), not the content's.
			ss.s.refuse("line_too_long", nil)
			return &smtp.SMTPError{Code: 500, EnhancedCode: smtp.EnhancedCode{5, 5, 0},
				Message: fmt.Sprintf("Line too long: a line of the message is longer than %d bytes, its CR LF counted; wrap it or use a content transfer encoding", ss.s.cfg.MaxLineLength)}
		}
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 4, 2}, Message: "Connection problem while receiving the message, please try again"}
	}
	if len(ss.rcpts) == 0 {
		return ss.s.refuse("no_rcpt", &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 5, 1}, Message: "No valid recipients"})
	}
	// After the line-length check, which measures lines as go-smtp does
	// for DATA (by LF), so that DATA and BDAT still agree; before
	// authentication, since DKIM signers sign the CRLF form.
	if norm, n := normalizeLineEnds(data); n > 0 {
		ss.s.log.Info("bare CR or LF in a message normalised to CRLF", "remote", ss.remote, "from", ss.from, "count", n)
		data = norm
	}
	env := &message.Envelope{MailFrom: ss.from, Rcpt: ss.rcpts, RemoteAddr: ss.remote, Helo: ss.helo, TLS: ss.tls, Auth: ss.user, UTF8: ss.utf8}
	if a := ss.s.cfg.Auth; a != nil && ss.user == "" {
		data = ss.authenticate(a, env, data)
	}
	// The message must be committed even if the client disconnects now:
	// once it is filed we may have promised it, so no cancellation here.
	id, err := ss.s.acc.Accept(context.Background(), env, data)
	var rej Rejection
	switch {
	case err == nil:
		return &smtp.SMTPError{Code: 250, EnhancedCode: smtp.EnhancedCode{2, 0, 0}, Message: "OK: queued as " + id}
	case errors.As(err, &rej):
		code, enhanced, reason := 550, [3]int{5, 7, 1}, "rule"
		if rs, ok := rej.(RejectionStatus); ok {
			code, enhanced, reason = rs.RejectionStatus()
		}
		return ss.s.refuse(reason, &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode(enhanced), Message: rej.Rejection()})
	default:
		ss.s.log.Error("intake failed", "err", err, "remote", ss.remote)
		return ss.s.refuse("tempfail", &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
			Message: "Temporary local problem: the message was not stored, please try again later"})
	}
}

// longLine reports whether data has a line longer than limit (0: no
// limit), measured as go-smtp measures DATA's lines and command lines: a
// line's bytes with its CR LF.
func longLine(data []byte, limit int) bool {
	if limit <= 0 || len(data) < limit {
		return false
	}
	for len(data) >= limit {
		i := bytes.IndexByte(data, '\n')
		if i < 0 || i >= limit {
			return true
		}
		data = data[i+1:]
	}
	return false
}

// normalizeLineEnds returns data with every line ending CR LF, and how
// many line endings it changed (0: data itself is returned).
//
// A bare CR or LF (one not part of a CR LF) is not a line ending in SMTP
// (RFC 5321 §2.3.8) nor allowed in a message (RFC 5322 §2.3), but mail
// servers disagree on what they do with one: some end a line at a bare LF,
// some at a bare CR, and SMTP smuggling (CVE-2023-51766 and its family)
// hides a second message behind "<LF>.<LF>" or "<CR>.<CR>" that one server
// takes for data and the next for the end of DATA. We read only
// CR LF "." CR LF as the end (third_party/go-smtp), so nothing is smuggled
// past us; but mail we store and relay with bare line endings in it would
// carry the ambiguity to the servers after us (our relay's dot-stuffing
// sees lines by CR LF only).
//
// We normalise, as Postfix 3.9 does by default (smtpd_forbid_bare_newline
// = normalize), rather than reject: the senders of bare LFs are mostly old
// scripts and appliances, and a customer told 550 is a request the support
// desk never sees, while a normalised message means the same to every
// reader after us. DKIM agrees: signers convert bare CR and LF to CR LF
// before signing (RFC 6376 §5.3), so the normalised message is the one a
// signature covers.
//
// The rule: a run of CRs right before an LF is one line ending ("\r\r\n",
// a file converted to CR LF twice, stays one line break, so a header does
// not end early); any other CR, and an LF after no CR, is a line ending of
// its own. The message may grow by one byte per bare line ending.
func normalizeLineEnds(data []byte) ([]byte, int) {
	cr := bytes.Count(data, []byte{'\r'})
	lf := bytes.Count(data, []byte{'\n'})
	if cr == lf && bytes.Count(data, []byte("\r\n")) == lf {
		return data, 0 // the usual case: every CR and LF is a CR LF
	}
	out := make([]byte, 0, len(data)+max(cr, lf)-min(cr, lf)+8)
	n := 0
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '\r':
			j := i
			for j+1 < len(data) && data[j+1] == '\r' {
				j++
			}
			if j+1 < len(data) && data[j+1] == '\n' {
				if j > i {
					n++ // stray CRs before a CR LF
				}
				out = append(out, '\r', '\n')
				i = j + 1
				continue
			}
			out = append(out, '\r', '\n') // a bare CR
			n++
		case '\n':
			out = append(out, '\r', '\n') // a bare LF
			n++
		default:
			out = append(out, c)
		}
	}
	return out, n
}

// progressReader counts message data as progress on its connection.
type progressReader struct {
	r io.Reader
	c *trackedConn
}

// progressUnit is the most read at once through a progressReader. go-smtp's
// DATA reader returns only when the buffer is full (or the message ends),
// so this is also how much data must arrive within each progress allowance:
// a trickle slower than that is not a message worth a slot.
const progressUnit = 512

func (p *progressReader) Read(b []byte) (int, error) {
	if len(b) > progressUnit {
		b = b[:progressUnit]
	}
	n, err := p.r.Read(b)
	if n > 0 {
		p.c.dataProgress(false)
	}
	return n, err
}

// largeMessage is how much of a message a session reads before it needs
// one of the server's large-message slots (Config.LargeMessages).
const largeMessage = 256 << 10

// largeWait bounds the wait for a large-message slot. Slots held by slow
// transfers (a client trickling its mail for minutes) must not stall every
// other large message for as long: past this, a session reads on without
// one, as it would without the limit.
const largeWait = 30 * time.Second

// takeLarge waits for a large-message slot and returns what gives it back
// (once, however often it is called); nil when there is no limit or the
// wait ran out. A session waits with its client's data unread: the
// client's TCP window fills and it waits too. Without the slots, 200
// sessions sending 1 MB each all held their whole mail in memory while they
// waited for their turn to be parsed (issue 21: RSS over 300 MB). The slot
// is given back when Accept returns: the mail stays reachable until then
// (measured: a finalizer on it does not run earlier, even after intake has
// spooled it and stopped using it).
func (s *Server) takeLarge(tc *trackedConn) func() {
	if s.large == nil {
		return nil
	}
	s.largeWaiting.Add(1)
	t := time.NewTimer(largeWait)
	got := false
	select {
	case s.large <- struct{}{}:
		got = true
	case <-t.C:
	}
	t.Stop()
	s.largeWaiting.Add(-1)
	if tc != nil {
		tc.dataProgress(true) // the wait was ours, not the client's
	}
	if !got {
		return nil
	}
	var once sync.Once
	return func() { once.Do(func() { <-s.large }) }
}

// chunkSize is the unit DATA is read in (readMessage).
const chunkSize = 32 << 10

// readMessage reads a message into pooled fixed-size chunks and returns a
// copy of exactly its size. A message is held until its commit, so what it
// holds for that time should be its size: io.ReadAll's doubling, or a
// pooled growing buffer, keeps up to twice that per session (a 256 KB
// message left a 512 KB buffer behind), and at C=200 × 256 KB that was a
// third of the heap. The chunks go back to the pool as soon as the copy is
// made, and a session wastes at most one partly used chunk while it reads.
func (s *Server) readMessage(r io.Reader, big func()) ([]byte, error) {
	var chunks []*[chunkSize]byte
	defer func() {
		for _, c := range chunks {
			s.chunks.Put(c)
		}
	}()
	n := chunkSize // bytes used in the last chunk
	var err error
	for err == nil {
		if n == chunkSize {
			c, _ := s.chunks.Get().(*[chunkSize]byte)
			if c == nil {
				c = new([chunkSize]byte)
			}
			chunks, n = append(chunks, c), 0
		}
		var m int
		m, err = r.Read(chunks[len(chunks)-1][n:])
		n += m
		if big != nil && len(chunks)*chunkSize >= largeMessage {
			big()
			big = nil
		}
	}
	if err == io.EOF {
		err = nil
	}
	data := make([]byte, 0, (len(chunks)-1)*chunkSize+n)
	for i, c := range chunks {
		if i == len(chunks)-1 {
			return append(data, c[:n]...), err
		}
		data = append(data, c[:]...)
	}
	return data, err
}

func (s *Server) enterData() {
	s.mu.Lock()
	s.inData++
	s.mu.Unlock()
}

func (s *Server) leaveData() {
	s.mu.Lock()
	s.inData--
	if s.inData == 0 && s.drained != nil {
		select {
		case <-s.drained:
		default:
			close(s.drained)
		}
	}
	s.mu.Unlock()
}

// authenticate runs SPF, DKIM and DMARC, removes Authentication-Results
// headers that claim to be ours (RFC 8601 §5) and records the verdict on
// env: the header for agents, alignment (to trust agents on the MX) and
// whether the sender looks forged (no acknowledgement then).
func (ss *session) authenticate(a *AuthCheck, env *message.Envelope, data []byte) []byte {
	host, _, _ := net.SplitHostPort(ss.remote)
	ip := net.ParseIP(host)
	ctx, cancel := context.WithTimeout(context.Background(), a.Timeout)
	defer cancel()
	res := mailauth.Check(ctx, a.Resolver, ip, ss.helo, ss.from, data)
	env.AuthResults = strings.TrimRight(res.AuthResultsHeader(a.AuthservID), "\r\n")
	env.Aligned = res.Aligned
	env.AlignedUnknown = res.AlignedUnknown
	env.SPFAligned = res.SPFAlignedWith
	env.Forged = res.Forged()
	return mailauth.StripOurAuthResults(data, a.AuthservID)
}
