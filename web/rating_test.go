package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// fakeRater records ratings on the fake tickets.
type fakeRater struct {
	mu    sync.Mutex
	calls []string
	t     *fakeTickets
	err   error
}

func (f *fakeRater) Rate(_ context.Context, id, rating, comment string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, id+" "+rating+" "+comment)
	if f.err != nil {
		return f.err
	}
	if rating != "good" && rating != "bad" {
		return fmt.Errorf("%w: %q", ErrBadRating, rating)
	}
	t := f.t.tickets[id]
	t.Rating, t.RatingComment = rating, comment
	return nil
}

func TestRatingGetNeverRecordsPostDoes(t *testing.T) {
	fr := &fakeRater{}
	e := newEnv(t, func(o *Options) { o.Ratings = fr })
	fr.t = e.tickets
	resolved := *e.tickets.tickets["t2"] // Chinese
	resolved.Status, resolved.Ratable = "resolved", true
	e.tickets.set("t2", &resolved)
	srv := httptest.NewServer(e.s)
	defer srv.Close()
	link := srv.URL + "/t/" + e.tokens.Sign("t2")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	for _, u := range []string{link + "?rate=good", link + "?rate=bad", link} {
		resp, err := client.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		if resp.StatusCode != 200 || !strings.Contains(body, "确认评价") || !strings.Contains(body, `method="post"`) {
			t.Fatalf("GET %s: %d\n%s", u, resp.StatusCode, body)
		}
	}
	if len(fr.calls) != 0 {
		t.Fatalf("GETs recorded ratings: %v", fr.calls)
	}
	resp, err := client.PostForm(link+"/rate", url.Values{"rating": {"bad"}, "comment": {"太慢了"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "rated=1") {
		t.Fatalf("POST: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if len(fr.calls) != 1 || fr.calls[0] != "t2 bad 太慢了" {
		t.Fatalf("calls %v", fr.calls)
	}
	resp, _ = client.Get(srv.URL + resp.Header.Get("Location"))
	page := readAll(t, resp)
	for _, want := range []string{"您的评价：", `data-rating="bad"`, "不满意", "谢谢！您的评价已记录"} {
		if !strings.Contains(page, want) {
			t.Errorf("page after the rating lacks %q", want)
		}
	}
	// A POST without a rating is refused with the reason; a bad token is a 404.
	resp, _ = client.PostForm(link+"/rate", url.Values{"comment": {"x"}})
	if body := readAll(t, resp); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "请选择") {
		t.Errorf("POST without a rating: %d", resp.StatusCode)
	}
	resp, _ = client.PostForm(srv.URL+"/t/t2.AAAAAAAAAAAAAAAAAAAAAAAA/rate", url.Values{"rating": {"good"}})
	readAll(t, resp)
	if resp.StatusCode != http.StatusNotFound || len(fr.calls) != 2 {
		t.Errorf("POST with a forged token: %d, calls %v", resp.StatusCode, fr.calls)
	}
	// Past the week (the gateway's Rater refuses), the Chinese page says so.
	fr.err = fmt.Errorf("%w: too late", ErrRatingClosed)
	resp, _ = client.PostForm(link+"/rate", url.Values{"rating": {"good"}})
	if body := readAll(t, resp); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "此评价已无法修改") {
		t.Errorf("POST past the week: %d\n%s", resp.StatusCode, body)
	}
	fr.err = nil
	// A merged ticket's page says where it went, in Chinese too.
	mergedZh := *e.tickets.tickets["t2"]
	mergedZh.MergedInto, mergedZh.MergedURL, mergedZh.Ratable, mergedZh.Rating = "SUP-1000", "http://help.test/t/SUP-1000.x?lang=zh", false, ""
	e.tickets.set("t2", &mergedZh)
	resp, _ = client.Get(link)
	if body := readAll(t, resp); !strings.Contains(body, "此请求已合并到另一个工单") || !strings.Contains(body, `href="http://help.test/t/SUP-1000.x?lang=zh"`) ||
		strings.Contains(body, "确认评价") {
		t.Errorf("Chinese page of a merged ticket:\n%s", body)
	}
	// English page of a merged ticket says where it went.
	merged := *e.tickets.tickets["t1"]
	merged.MergedInto, merged.MergedURL = "SUP-1000", "http://help.test/t/SUP-1000.x"
	e.tickets.set("t1", &merged)
	resp, _ = client.Get(srv.URL + "/t/" + e.tokens.Sign("t1"))
	if body := readAll(t, resp); !strings.Contains(body, "merged into another one") || !strings.Contains(body, `href="http://help.test/t/SUP-1000.x"`) {
		t.Errorf("merged ticket's page:\n%s", body)
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b := new(strings.Builder)
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}

// TestRatingLongChineseComment: the comment box takes 2,000 characters
// (maxlength); 2,000 Chinese characters are 18,000 bytes once the browser
// has percent-encoded them, and the POST must be taken, not answered
// "400 bad form" (the body was bounded at 16 KiB). A body far past what
// the form can send is still refused.
func TestRatingLongChineseComment(t *testing.T) {
	fr := &fakeRater{}
	e := newEnv(t, func(o *Options) { o.Ratings = fr })
	fr.t = e.tickets
	resolved := *e.tickets.tickets["t2"]
	resolved.Status, resolved.Ratable = "resolved", true
	e.tickets.set("t2", &resolved)
	srv := httptest.NewServer(e.s)
	defer srv.Close()
	link := srv.URL + "/t/" + e.tokens.Sign("t2")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page, err := client.Get(link + "?rate=bad")
	if err != nil {
		t.Fatal(err)
	}
	if body := readAll(t, page); !strings.Contains(body, `maxlength="2000"`) {
		t.Fatalf("the comment box's bound changed; this test sends 2,000 characters:\n%s", body)
	}
	comment := strings.Repeat("长", 1998) + "😀" // 2,000 UTF-16 units, as maxlength counts
	resp, err := client.PostForm(link+"/rate", url.Values{"rating": {"bad"}, "comment": {comment}})
	if err != nil {
		t.Fatal(err)
	}
	readAll(t, resp)
	if resp.StatusCode != http.StatusSeeOther || len(fr.calls) != 1 || fr.calls[0] != "t2 bad "+comment {
		t.Fatalf("POST of 2,000 Chinese characters: %d, %d call(s)", resp.StatusCode, len(fr.calls))
	}
	resp, err = client.PostForm(link+"/rate", url.Values{"rating": {"bad"}, "comment": {strings.Repeat("长", 20000)}})
	if err != nil {
		t.Fatal(err)
	}
	readAll(t, resp)
	if resp.StatusCode != http.StatusBadRequest || len(fr.calls) != 1 {
		t.Fatalf("POST of 180 KB: %d, %d call(s)", resp.StatusCode, len(fr.calls))
	}
}

// TestRatingResubmittedIsUnchanged: the same rating sent again (a double
// click, the browser's resubmit), which the Rater takes without recording
// anything (ErrRatingUnchanged), thanks the customer as before and counts
// as result "unchanged"; before, every resubmission counted as another
// "recorded" rating (3 recorded for 2 ratings in an outside run).
func TestRatingResubmittedIsUnchanged(t *testing.T) {
	fr := &fakeRater{err: fmt.Errorf("SUP-1043: %w", ErrRatingUnchanged)}
	e := newEnv(t, func(o *Options) { o.Ratings = fr })
	fr.t = e.tickets
	resolved := *e.tickets.tickets["t2"]
	resolved.Status, resolved.Ratable, resolved.Rating = "resolved", true, "good"
	e.tickets.set("t2", &resolved)
	srv := httptest.NewServer(e.s)
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(srv.URL+"/t/"+e.tokens.Sign("t2")+"/rate?lang=zh", url.Values{"rating": {"good"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "rated=1") {
		t.Fatalf("resubmitted rating: %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	for r, want := range map[string]float64{"recorded": 0, "unchanged": 1, "refused": 0} {
		if got := testutil.ToFloat64(e.s.m.ratings.WithLabelValues(r)); got != want {
			t.Errorf("rating_posts_total{result=%q} = %v, want %v", r, got, want)
		}
	}
}
