package learn

import (
	"slices"
	"testing"

	"github.com/frontdesk-mail/frontdesk/faq"
)

func TestLinksFindsHelpCentrePages(t *testing.T) {
	l := Links{Catalog: faq.Demo, PublicURL: "http://help.test/"}
	ids := faq.Demo().Entries()
	a, b := ids[0].ID, ids[1].ID
	for _, c := range []struct {
		text string
		want []string
	}{
		{"see http://help.test/faq/" + a + " and http://help.test/faq/" + b + "?lang=zh.", []string{a, b}},
		{"see http://help.test/faq/" + a + ", twice: http://help.test/faq/" + a, []string{a}},
		{"elsewhere: http://other.test/faq/" + a, nil},
		{"http://help.test/faq/no-such-entry", nil},
		{"", nil},
		{"the entry's own page: " + ids[2].URL, ownURL(ids[2])},
	} {
		if got := l.Linked(c.text); !slices.Equal(got, c.want) {
			t.Errorf("%q: %v, want %v", c.text, got, c.want)
		}
	}
	title, u, ok := l.Link(a, "zh")
	if !ok || title == "" || u != faq.Demo().URL(ids[0], "http://help.test/", "zh") {
		t.Errorf("Link(%s, zh) = %q %q %v", a, title, u, ok)
	}
	if _, _, ok := l.Link("no-such-entry", "en"); ok {
		t.Error("an unknown id was found")
	}
}

func FuzzLinked(f *testing.F) {
	l := Links{Catalog: faq.Demo, PublicURL: "http://help.test"}
	f.Add("http://help.test/faq/" + faq.Demo().Entries()[0].ID)
	f.Add("/faq/%zz /faq/")
	f.Fuzz(func(t *testing.T, text string) {
		for _, id := range l.Linked(text) {
			if _, ok := faq.Demo().Entry(id); !ok {
				t.Fatalf("linked unknown entry %q", id)
			}
		}
	})
}

func ownURL(e faq.Entry) []string {
	if e.URL == "" {
		return nil
	}
	return []string{e.ID}
}

// TestLinksOwnURLIsWholeURL: an entry's own url is linked only as a whole
// URL, not as the start of another entry's (…/returns in …/returns-7-day).
// Before, a reply linking returns-7-day also taught returns.
func TestLinksOwnURLIsWholeURL(t *testing.T) {
	cat, err := faq.Parse("faq.yaml", []byte(`- id: returns
  url: https://help.example/faq/returns
  departments: [support]
  en: {title: Returns, keywords: [return], answer: How to return.}
  zh: {title: 退货, keywords: [退货], answer: 退货方法。}
- id: returns-7-day
  url: https://help.example/faq/returns-7-day
  departments: [support]
  en: {title: Seven-day returns, keywords: [return], answer: Seven days.}
  zh: {title: 七天无理由退货, keywords: [退货], answer: 七天。}
`))
	if err != nil {
		t.Fatal(err)
	}
	l := Links{Catalog: func() *faq.Catalog { return cat }, PublicURL: "http://127.0.0.1:8025"}
	for _, c := range []struct {
		text string
		want []string
	}{
		{"see https://help.example/faq/returns-7-day", []string{"returns-7-day"}},
		{"see https://help.example/faq/returns-7-day.", []string{"returns-7-day"}},
		{"see https://help.example/faq/returns.", []string{"returns"}},
		{"see https://help.example/faq/returns?lang=zh", []string{"returns"}},
		{"(https://help.example/faq/returns)", []string{"returns"}},
		{"请看https://help.example/faq/returns，谢谢", []string{"returns"}},
		{"https://help.example/faq/returns/", []string{"returns"}},
		{"https://help.example/faq/returns.html", nil},
		{"https://help.example/faq/returns/other", nil},
		{"https://help.example/faq/returns_old and https://help.example/faq/returns", []string{"returns"}},
	} {
		if got := l.Linked(c.text); !slices.Equal(got, c.want) {
			t.Errorf("%q: %v, want %v", c.text, got, c.want)
		}
	}
}
