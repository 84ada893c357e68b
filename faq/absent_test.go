package faq

import (
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

// TestAbsentFromBox: a part said to be absent from what was delivered
// ("there's no filter in the box", 箱子里没有说明书) is a report, and such
// a mail with no question asks something; "no" elsewhere is not. The
// mails are written for this test.
func TestAbsentFromBox(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"the vacuum came today but there's no charging dock in the box", true},
		{"there was no power cord in the package, only the kettle", true},
		{"no remote in the parcel.", true},
		{"净水器到了，箱子里没有滤芯", true},
		{"no, in the box there were two filters", false},
		{"everything was in the box, no problem", false},
		{"no worries, i kept everything in the box", false}, // "no" more than three words before
		{"i put the receipt in the box with no label", false},
	} {
		if got := absentFromBox(foldText(tc.text)); got != tc.want {
			t.Errorf("absentFromBox(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
	c := Demo()
	m, err := message.Parse([]byte("From: c@example.test\r\nSubject: AP-400 arrived\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello, our AP-400 purifier arrived this morning and there is no filter in the box. The plastic bag for it is empty.\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Suggest(m); len(got) == 0 {
		t.Errorf("a part absent from the box: no link")
	}
}

// FuzzAbsentFromBox: any text, folded or not, is read without a panic,
// and a sentence of the pattern appended to it is always found.
func FuzzAbsentFromBox(f *testing.F) {
	f.Add("there's no dock in the box")
	f.Add("箱子里没有滤芯")
	f.Add("in the box in the box no")
	f.Fuzz(func(t *testing.T, s string) {
		absentFromBox(s)
		if !absentFromBox(foldText(s) + " there is no cable in the box") {
			t.Errorf("%q: the appended report not found", s)
		}
	})
}
