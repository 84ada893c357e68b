package message

import (
	"strings"
	"testing"
)

func TestJoinAttributions(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"Gmail cuts at the address's bracket",
			"It still fails.\n\nOn Mon, Dec 7, 2026 at 8:00 PM Customer Support <\nsupport@shop.test> wrote:\n\n> Dear Lucy,",
			"It still fails.\n\nOn Mon, Dec 7, 2026 at 8:00 PM Customer Support <support@shop.test> wrote:\n\n> Dear Lucy,"},
		{"cut between words", "On Mon, Dec 7, 2026 at 8:00 PM Customer Support\n<support@shop.test> wrote:\n> hi",
			"On Mon, Dec 7, 2026 at 8:00 PM Customer Support <support@shop.test> wrote:\n> hi"},
		{"over three lines", "On Monday, 7 December 2026 at 20:00:00 GMT+8, a very long display name\nof the help desk of the shop <help-desk-of-the-shop@\nshop.test> wrote:\n> hi",
			"On Monday, 7 December 2026 at 20:00:00 GMT+8, a very long display name of the help desk of the shop <help-desk-of-the-shop@shop.test> wrote:\n> hi"},
		{"CRLF kept", "On Mon, Dec 7, 2026 at 8:00 PM Ann <\r\nann@home.test> wrote:\r\n> hi\r\n", "On Mon, Dec 7, 2026 at 8:00 PM Ann <ann@home.test> wrote:\r\n> hi\r\n"},
		{"inside a quote", "> On Sun, Dec 6, 2026 at 9:00 AM Ann <\n> ann@home.test> wrote:\n> > hi", "> On Sun, Dec 6, 2026 at 9:00 AM Ann <ann@home.test> wrote:\n> > hi"},
		{"one line already", "On Mon, Dec 7, 2026 Ann wrote:\n> hi", "On Mon, Dec 7, 2026 Ann wrote:\n> hi"},
		{"no date: prose", "On Monday my husband called and the agent\nwrote:", "On Monday my husband called and the agent\nwrote:"},
		{"prose with a digit, no wrote", "On 3 December the kettle broke.\nIt does not heat.", "On 3 December the kettle broke.\nIt does not heat."},
		{"a blank line ends it", "On Mon, Dec 7, 2026 at 8:00 PM Ann <\n\nann@home.test> wrote:", "On Mon, Dec 7, 2026 at 8:00 PM Ann <\n\nann@home.test> wrote:"},
		{"another depth ends it", "On Mon, Dec 7, 2026 at 8:00 PM Ann <\n> ann@home.test> wrote:", "On Mon, Dec 7, 2026 at 8:00 PM Ann <\n> ann@home.test> wrote:"},
		{"too far", "On Mon, Dec 7, 2026 at 8:00 PM\nAnn\nof the shop\n<ann@home.test> wrote:", "On Mon, Dec 7, 2026 at 8:00 PM\nAnn\nof the shop\n<ann@home.test> wrote:"},
	} {
		if got := joinAttributions(c.in); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

// TestWrappedAttributionReadsAsOneLine: a Gmail reply whose attribution
// its text part wrapped reads as the same reply with the attribution on
// one line: the quoted acknowledgement is history, not the customer's
// words, and its writer is the help desk.
func TestWrappedAttributionReadsAsOneLine(t *testing.T) {
	head := "From: Lucy <lucy@mail.test>\r\nTo: help@shop.test\r\nSubject: Re: kettle\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
	quote := "\r\n\r\n> Dear Lucy,\r\n> these articles may answer your question:\r\n>   * When will I get my refund?\r\n"
	one, err := Parse([]byte(head + "It still does not heat, what now?\r\n\r\nOn Mon, Dec 7, 2026 at 8:00 PM Customer Support <help@shop.test> wrote:" + quote))
	if err != nil {
		t.Fatal(err)
	}
	wrapped, err := Parse([]byte(head + "It still does not heat, what now?\r\n\r\nOn Mon, Dec 7, 2026 at 8:00 PM Customer Support <\r\nhelp@shop.test> wrote:" + quote))
	if err != nil {
		t.Fatal(err)
	}
	if wrapped.Fresh() != one.Fresh() || wrapped.Fresh() != "It still does not heat, what now?" {
		t.Errorf("Fresh = %q, one line: %q", wrapped.Fresh(), one.Fresh())
	}
	if wrapped.Text != one.Text {
		t.Errorf("Text = %q\nwant %q", wrapped.Text, one.Text)
	}
	lines := strings.Split(wrapped.Text, "\n")
	for i, l := range lines {
		if QuoteMarker(strings.TrimSpace(l), lines[i+1:]) {
			if w := QuotedWriter(lines[i:]); !strings.Contains(w, "help@shop.test") {
				t.Errorf("QuotedWriter = %q, want the help desk's address", w)
			}
			return
		}
	}
	t.Errorf("no quote marker in %q", wrapped.Text)
}

// FuzzJoinAttributions: only line breaks change (each to a space or to
// nothing), and never more lines come out than went in.
func FuzzJoinAttributions(f *testing.F) {
	for _, s := range []string{"On Mon, Dec 7, 2026 at 8:00 PM Ann <\nann@home.test> wrote:\n> hi", "> On 1 <\n> a> wrote:", "On 1\r\nx wrote:\r\n", "on 2\n\nwrote:"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := joinAttributions(s)
		strip := func(s string) string { return strings.NewReplacer("\n", "", " ", "", "\r", "", ">", "").Replace(s) }
		if strip(got) != strip(s) {
			t.Fatalf("joinAttributions(%q) = %q: more than line breaks changed", s, got)
		}
		if strings.Count(got, "\n") > strings.Count(s, "\n") {
			t.Fatalf("joinAttributions(%q) = %q: more lines", s, got)
		}
	})
}
