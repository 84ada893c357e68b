package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdesk-mail/frontdesk/faq"
	mlang "github.com/frontdesk-mail/frontdesk/message"
)

// Options wires the help centre to the rest of the gateway. FAQ is
// required; everything else has a default.
type Options struct {
	// FAQ returns the current catalog; it is called on every request, so a
	// hot reload that swaps the catalog shows on the next one.
	FAQ func() *faq.Catalog
	// PublicURL is the base of absolute links (the JSON search results):
	// http.public_url.
	PublicURL string
	// SupportAddress is the mailto: target for a department id; "" asks for
	// the default department's. nil or "" from it: no mailto: links.
	SupportAddress func(dept string) string
	// DepartmentName is a department's display name (the rules file's
	// name:) in lang ("en" | "zh"). Optional: built-in names of the demo
	// departments, else the id, are used. On Chinese pages a name with no
	// Chinese in it gives way to the built-in Chinese name of a known id.
	DepartmentName func(dept string, lang mlang.Language) string
	// Tickets and Tokens serve /t/{token}; without both every status link
	// is a 404.
	Tickets TicketSource
	Tokens  *Tokens
	// Ratings records the confirm button of a resolved ticket's rating
	// (POST /t/{token}/rate); nil: status pages offer no rating.
	Ratings Rater
	// Unavailable says why the store cannot be reached now (a database
	// that is down or failing over), nil when it can. A page that could
	// not read its data then answers 503 with Retry-After, the same
	// "try again in a moment" page, instead of 500. nil: never.
	Unavailable func(context.Context) error
	Logger      *slog.Logger
	// Registerer gets the web metrics; nil: not registered.
	Registerer prometheus.Registerer
	Now        func() time.Time

	// Brand is shown before "Help Centre" in the header ("Acme Appliances").
	Brand string
	// ClientKey is the rate-limit key of a request; default: the remote IP
	// (its /64 for IPv6). Behind a reverse proxy, return the proxy's
	// client address header here.
	ClientKey func(r *http.Request) string
	// TokenBurst failed status-link tries per client, one more every
	// TokenRefill; defaults 10 and 30s. TokenClients bounds the addresses
	// remembered (default 10000, least recently seen forgotten first).
	TokenBurst   int
	TokenRefill  time.Duration
	TokenClients int
}

// Server is the help centre. Create it with New and mount it with
// Register.
type Server struct {
	opts    Options
	log     *slog.Logger
	m       *metrics
	pages   map[string]*template.Template
	limiter *triesLimiter
	static  map[string]staticFile
	cssURL  string
	iconURL string
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

type staticFile struct {
	body  []byte
	etag  string
	ctype string
	hash  string
}

// New builds the help centre. It panics when the embedded templates do not
// parse (a build mistake that tests catch) or when FAQ is nil.
func New(opts Options) *Server {
	if opts.FAQ == nil {
		panic("web: Options.FAQ is required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ClientKey == nil {
		opts.ClientKey = remoteKey
	}
	if opts.TokenBurst <= 0 {
		opts.TokenBurst = 10
	}
	if opts.TokenRefill <= 0 {
		opts.TokenRefill = 30 * time.Second
	}
	if opts.TokenClients <= 0 {
		opts.TokenClients = 10000
	}
	s := &Server{
		opts:    opts,
		log:     opts.Logger,
		m:       newMetrics(opts.Registerer),
		pages:   map[string]*template.Template{},
		limiter: newTriesLimiter(opts.TokenRefill, opts.TokenBurst, opts.TokenClients),
		static:  map[string]staticFile{},
	}
	s.loadStatic()
	s.cssURL = "/static/style.css?v=" + s.static["style.css"].hash
	s.iconURL = "/static/icon.svg?v=" + s.static["icon.svg"].hash
	for _, p := range []string{"index", "entry", "search", "status", "message"} {
		s.pages[p] = template.Must(template.New(p).ParseFS(templateFS, "templates/layout.html", "templates/"+p+".html"))
	}
	return s
}

func (s *Server) loadStatic() {
	fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := staticFS.ReadFile(p)
		sum := sha256.Sum256(b)
		h := hex.EncodeToString(sum[:8])
		ct := mime.TypeByExtension(path.Ext(p))
		switch path.Ext(p) {
		case ".css":
			ct = "text/css; charset=utf-8"
		case ".svg":
			ct = "image/svg+xml"
		}
		s.static[strings.TrimPrefix(p, "static/")] = staticFile{body: b, etag: `"` + h + `"`, ctype: ct, hash: h}
		return nil
	})
}

// Register mounts the help centre on mux: /faq/ (and everything under it),
// /faq/{id}, /faq/search, /t/{token}, /static/ and / (a redirect to /faq/).
func (s *Server) Register(mux *http.ServeMux) {
	mux.Handle("GET /{$}", s.wrap(s.root))
	mux.Handle("GET /faq", s.wrap(s.root))
	mux.Handle("GET /faq/{$}", s.wrap(s.index))
	mux.Handle("GET /faq/search", s.wrap(s.search))
	mux.Handle("GET /faq/{id}", s.wrap(s.entry))
	mux.Handle("GET /faq/", s.wrap(s.notFound))
	mux.Handle("GET /t/{token}", s.wrap(s.status))
	mux.Handle("POST /t/{token}/rate", s.wrap(s.rate))
	mux.Handle("GET /t/", s.wrap(s.notFound))
	mux.Handle("GET /static/", s.wrap(s.serveStatic))
}

// ServeHTTP serves the help centre alone (for tests and for embedding).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	mux := http.NewServeMux()
	s.Register(mux)
	mux.ServeHTTP(w, r)
}

// The Content-Security-Policy of every response: nothing but our own
// stylesheet and images, no scripts at all, forms only to ourselves, no
// framing.
const csp = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// wrap adds the security headers to every response and logs the request
// without its query string and with status tokens redacted.
func (s *Server) wrap(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		rec := &recorder{ResponseWriter: w}
		h(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		s.log.Info("http request", "method", r.Method, "path", logPath(r.URL.Path), "status", rec.status,
			"bytes", rec.bytes, "duration", time.Since(start).Round(time.Microsecond))
	})
}

// logPath is a request path fit for a log: status tokens are secrets.
func logPath(p string) string {
	if strings.HasPrefix(p, "/t/") {
		return "/t/<redacted>"
	}
	if len(p) > 200 {
		p = p[:200] + "…"
	}
	return p
}

// page is what every template gets.
type page struct {
	UI        *ui
	Title     string
	Brand     string
	CSS, Icon string
	Switch    string // this page in the other language
	LangParam string // "" or the explicit ?lang= to carry on links
	Query     string // the search box's value
	NoIndex   bool
	Body      any
}

// Link is an internal link that keeps an explicit ?lang=.
func (p *page) Link(target string) string {
	if p.LangParam == "" {
		return target
	}
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	return target + sep + "lang=" + p.LangParam
}

// newPage starts a page for r in its negotiated language.
func (s *Server) newPage(r *http.Request) *page {
	return s.newPageFallback(r, "")
}

// newPageFallback is newPage with a language for requests that name none
// (no ?lang=, no Accept-Language).
func (s *Server) newPageFallback(r *http.Request, fallback string) *page {
	lang, explicit := negotiate(r, fallback)
	return s.newPageIn(r, lang, explicit)
}

// newPageIn is a page in lang; explicit makes its links carry ?lang=.
func (s *Server) newPageIn(r *http.Request, lang mlang.Language, explicit bool) *page {
	u := uiFor(lang)
	p := &page{UI: u, Brand: s.opts.Brand, CSS: s.cssURL, Icon: s.iconURL}
	if explicit {
		p.LangParam = string(lang)
	}
	q := r.URL.Query()
	q.Set("lang", string(u.OtherLang))
	p.Switch = r.URL.EscapedPath() + "?" + q.Encode()
	return p
}

// render executes a page template into a buffer first, so a template error
// becomes a clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, name, metric string, p *page) {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("web: render", "page", name, "err", err)
		s.m.views.WithLabelValues(pageError).Inc()
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", p.UI.HTMLLang)
	if p.LangParam == "" {
		h.Add("Vary", "Accept-Language")
	}
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(code)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
	s.m.views.WithLabelValues(metric).Inc()
}

// message is the body of the not-found, rate-limit and error pages.
type message struct {
	Heading, Text string
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r)
	p.Title = p.UI.NotFoundTitle
	p.NoIndex = true
	p.Body = message{p.UI.NotFoundTitle, p.UI.NotFoundText}
	s.render(w, r, http.StatusNotFound, "message", pageNotFound, p)
}

func (s *Server) serverError(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r)
	p.Title = p.UI.ErrorTitle
	p.NoIndex = true
	p.Body = message{p.UI.ErrorTitle, p.UI.ErrorText}
	w.Header().Set("Cache-Control", "no-store")
	code := http.StatusInternalServerError
	if s.opts.Unavailable != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		err := s.opts.Unavailable(ctx)
		cancel()
		if err != nil {
			code = http.StatusServiceUnavailable
			w.Header().Set("Retry-After", "10")
		}
	}
	s.render(w, r, code, "message", pageError, p)
}

// root sends / and /faq to the FAQ index, keeping ?lang=.
func (s *Server) root(w http.ResponseWriter, r *http.Request) {
	target := "/faq/"
	if l, ok := parseLang(r.URL.Query().Get("lang")); ok {
		target += "?lang=" + url.QueryEscape(string(l))
	}
	http.Redirect(w, r, target, http.StatusFound)
}

// serveStatic serves the embedded files. A request carrying the file's
// content hash (?v=, as the pages link it) may be cached for a year;
// otherwise for an hour, revalidated with the ETag.
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := s.static[strings.TrimPrefix(r.URL.Path, "/static/")]
	if !ok {
		s.notFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("ETag", f.etag)
	if r.URL.Query().Get("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=3600")
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}
