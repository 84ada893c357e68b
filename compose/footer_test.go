package compose

import (
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

func TestRatingFooter(t *testing.T) {
	for _, c := range []struct {
		lang      message.Language
		good, bad string
		want      string
	}{
		{message.English, "https://h/t/x?rate=good", "https://h/t/x?rate=bad", "-- \nHow did we do? One click tells us:\n  Good: https://h/t/x?rate=good\n  Bad:  https://h/t/x?rate=bad"},
		{message.Chinese, "g", "b", "-- \n您对我们的服务满意吗？点击即可评价：\n  满意：g\n  不满意：b"},
		{"", "g", "b", "-- \nHow did we do? One click tells us:\n  Good: g\n  Bad:  b"},
		{message.Chinese, "", "", ""}, // no help centre: no footer
	} {
		got := RatingFooter(c.lang, c.good, c.bad)
		if got != c.want {
			t.Errorf("RatingFooter(%q) = %q, want %q", c.lang, got, c.want)
		}
		// The first line is the signature separator, dash dash space
		// (RFC 3676 §4.3), in every language.
		if first, _, _ := strings.Cut(got, "\n"); got != "" && first != "-- " {
			t.Errorf("RatingFooter(%q) starts with %q, not the signature separator \"-- \"", c.lang, first)
		}
	}
}
