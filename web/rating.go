package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Rater records a customer's rating of a resolved ticket. Errors wrap
// ErrNotFound, ErrNotRatable, ErrRatingClosed or ErrBadRating when the
// rating is refused for that reason.
type Rater interface {
	Rate(ctx context.Context, id, rating, comment string) error
}

// Reasons a rating is refused.
var (
	ErrNotRatable   = errors.New("ticket not resolved")
	ErrRatingClosed = errors.New("rating can no longer be changed")
	ErrBadRating    = errors.New("no such rating")
)

// ErrRatingUnchanged is what a Rater returns for the rating in force sent
// again with its comment (a double click, a resubmitted form): nothing is
// recorded, and the customer is thanked as for a recorded one.
var ErrRatingUnchanged = errors.New("the same rating again")

// maxRatingForm bounds the body of a rating POST: what the form can send
// (a comment of 2,000 characters, the box's maxlength, of up to 4 UTF-8
// bytes each, percent-encoded: 24,000 bytes, and the rating) with room to
// spare. The comment is cut to 2,000 characters anyway.
const maxRatingForm = 32 << 10

// ratingBody is the rating section of a status page.
type ratingBody struct {
	Given      bool
	Value      string // good | bad
	GivenLabel string
	Comment    string
	Form       bool   // the customer may rate (or change the rating) now
	Ask        string // the rating the one-click link preselects
	Action     string
	Notice     string // after a POST: thanks, or why not
	NoticeBad  bool
}

// ratingSection is the rating part of t's page. A GET only ever shows
// this: the one-click link preselects its rating, and nothing is recorded
// until the customer presses the button (a POST), so link scanners and
// mail-security proxies that fetch every link rate nothing.
func (s *Server) ratingSection(t *PublicTicket, u *ui, r *http.Request, p *page) *ratingBody {
	if s.opts.Ratings == nil || (t.Rating == "" && !t.Ratable) {
		return nil
	}
	rb := &ratingBody{Form: t.Ratable, Action: p.Link(r.URL.EscapedPath() + "/rate")}
	if strings.HasSuffix(r.URL.EscapedPath(), "/rate") {
		rb.Action = p.Link(r.URL.EscapedPath())
	}
	if t.Rating != "" {
		rb.Given, rb.Value, rb.Comment = true, t.Rating, t.RatingComment
		rb.GivenLabel = u.RateLabel(t.Rating)
	}
	if v := r.URL.Query().Get("rate"); v == "good" || v == "bad" {
		rb.Ask = v
	} else if t.Rating != "" {
		rb.Ask = t.Rating
	}
	if r.URL.Query().Get("rated") == "1" && t.Rating != "" {
		rb.Notice = u.RateThanks
	}
	return rb
}

// rate records a rating from the confirm button: POST /t/{token}/rate with
// rating=good|bad and an optional comment; then back to the page (303).
func (s *Server) rate(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	if s.opts.Tokens == nil || s.opts.Tickets == nil || s.opts.Ratings == nil {
		s.notFound(w, r)
		return
	}
	key := s.opts.ClientKey(r)
	now := s.opts.Now()
	if s.tooManyFailures(w, r, key, now) {
		return
	}
	token := r.PathValue("token")
	id, ok := s.opts.Tokens.Verify(token)
	if !ok {
		s.limiter.fail(key, now)
		s.m.tokens.WithLabelValues("invalid").Inc()
		s.notFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxRatingForm)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	err := s.opts.Ratings.Rate(ctx, id, r.PostForm.Get("rating"), strings.TrimSpace(r.PostForm.Get("comment")))
	back := "/t/" + url.PathEscape(token)
	q := url.Values{}
	if l, ok := parseLang(r.URL.Query().Get("lang")); ok {
		q.Set("lang", string(l))
	}
	switch {
	case err == nil, errors.Is(err, ErrRatingUnchanged):
		result := "recorded"
		if err != nil {
			result = "unchanged"
		}
		s.m.ratings.WithLabelValues(result).Inc()
		q.Set("rated", "1")
		http.Redirect(w, r, back+"?"+q.Encode(), http.StatusSeeOther)
		return
	case errors.Is(err, ErrNotFound):
		s.m.tokens.WithLabelValues("unknown").Inc()
		s.notFound(w, r)
		return
	case errors.Is(err, ErrNotRatable), errors.Is(err, ErrRatingClosed), errors.Is(err, ErrBadRating):
		s.m.ratings.WithLabelValues("refused").Inc()
		s.statusPage(w, r, id, http.StatusConflict, func(u *ui) string {
			switch {
			case errors.Is(err, ErrRatingClosed):
				return u.RateClosed
			case errors.Is(err, ErrBadRating):
				return u.RateChoose
			}
			return u.RateNotResolved
		})
		return
	default:
		s.log.Error("web: rating", "ticket", id, "err", err)
		s.serverError(w, r)
	}
}
