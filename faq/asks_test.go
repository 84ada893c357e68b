package faq

import (
	"regexp"
	"strings"
	"testing"

	"github.com/frontdesk-mail/frontdesk/message"
)

// English asks without a question mark: by word order (inverted) and by
// "please" before anything but a set phrase (pleaseAsks); a closing with
// the writer's name is a sign-off (signOff), not thanks.
func TestAsksWithoutQuestionMark(t *testing.T) {
	for _, c := range []struct {
		text             string
		inverted, please bool
	}{
		{"Can that be sorted before it goes out", true, false},
		{"Is there a charger for the older model", true, false},
		{"Do I need to register it", true, false},
		{"Would love to hear from you", true, false},
		{"the fan\nwill not turn on since Monday", false, false}, // a wrapped line continues a sentence
		{"It stopped.\nwill not turn on at all", false, false},   // lower case: not a sentence's start
		{"Do not hesitate to contact me", false, false},          // a closing formula
		{"May 5 was the delivery date", false, false},            // a month
		{"Will Chen", false, false},                              // a name
		{"Can't wait to use it", false, false},                   // a contraction
		{"Please handle this asap", false, true},
		{"(details below - please use exactly as written)", false, true},
		{"Could you please just ship the part", true, true},
		{"Please find attached my CV", false, false},
		{"please do not reply to this email", false, false},
		{"Please consider the environment before printing", false, false},
		{"We were pleased with the service", false, false},
		{"PLEASE SEND A NEW LID", false, true},
		{"please", false, false},
	} {
		if got := inverted(c.text); got != c.inverted {
			t.Errorf("inverted(%q) = %v, want %v", c.text, got, c.inverted)
		}
		if got := pleaseAsks(c.text); got != c.please {
			t.Errorf("pleaseAsks(%q) = %v, want %v", c.text, got, c.please)
		}
	}
	for _, c := range []struct {
		line string
		want bool
	}{
		{"Thanks, Priyanka", true},
		{"Best, Anna Lee", true},
		{"Thanks,", true},
		{"Thanks, it works now", false},
		{"Thanks, It works now", false},
		{"thanks, see you", false},
	} {
		if got := signOff.MatchString(c.line); got != c.want {
			t.Errorf("signOff(%q) = %v, want %v", c.line, got, c.want)
		}
	}
	for _, c := range []struct {
		subject, body string
		asks          bool
	}{
		{"order AC1", "The dehumidifier would end up at an empty flat.\nCan that be sorted before it goes out\n\nThanks, Priyanka", true},
		{"AP-600", "外壳裂了。\nPlease handle this asap", true},
		{"校招", "想了解一下今年的校招是不是还没开始，冒昧打扰，谢谢！", true},
		{"Thank you", "The engineer was great. Would you pass on my thanks", true},
		{"Thank you", "The engineer was great, thanks again.\n\nThanks, Priyanka", false},
	} {
		if got := mailIntent(c.subject, c.body); got.asks != c.asks {
			t.Errorf("%q: asks %v, want %v (%+v)", c.body, got.asks, c.asks, got)
		}
	}
	// "please" before a verb of request stays explicit, so thanks beside it
	// do not withhold the links; before another word it only asks
	if in := mailIntent("order", "Thanks for the fast delivery! Please cancel the second order."); !in.explicit || !in.thanks {
		t.Errorf("thanks and please cancel: %+v, want explicit", in)
	}
	if in := mailIntent("order", "Thanks for the fast delivery! Please handle the second order."); in.explicit || !in.asks {
		t.Errorf("thanks and please handle: %+v, want asks, not explicit", in)
	}
}

// The references the readings must agree with: the same grammar as
// regular expressions.
var (
	invertedRef = regexp.MustCompile(`^[ \t"']*(Can|Could|Would|Will|Is|Are|Do|Does|Did|Should|Shall|May|Might|Was|Were) ([a-z]|I( |$))`)
	pleaseRef   = regexp.MustCompile(`(?:^|[^A-Za-z0-9_])[Pp](?:lease|LEASE)((?:[ \t"'\r\n]+(?:also|kindly|just|urgently))*)[ \t"'\r\n]+([A-Za-z]{1,16})(?:[^A-Za-z0-9_]|$)`)
)

func invertedByRegexp(s string) bool {
	for sent := range sentences(s) {
		if m := invertedRef.FindStringSubmatchIndex(sent); m != nil && !strings.HasPrefix(sent[m[1]-1:], "not ") {
			return true
		}
	}
	return false
}

func pleaseByRegexp(s string) bool {
	for off := 0; off < len(s); {
		m := pleaseRef.FindStringSubmatchIndex(s[off:])
		if m == nil {
			return false
		}
		w := strings.ToLower(s[off+m[4] : off+m[5]])
		if w != "also" && w != "kindly" && w != "just" && w != "urgently" && !pleaseSetPhrases[w] {
			return true
		}
		off += m[4] // the next "please" may begin inside this match's separators
	}
	return false
}

func FuzzAsks(f *testing.F) {
	for _, s := range []string{"Can that be sorted", "please handle", "Pleasе", "lease", "p", "Do not", "Is I", "please also", "please please send", "Please also, send", "xplease send", "Will not"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := inverted(s), invertedByRegexp(s); got != want {
			t.Errorf("inverted(%q) = %v, the regexp says %v", s, got, want)
		}
		if got, want := pleaseAsks(s), pleaseByRegexp(s); got != want {
			t.Errorf("pleaseAsks(%q) = %v, the regexp says %v", s, got, want)
		}
	})
}

// A cold sales mail is a pitch by its conventions (a short call offered,
// a client's case study, the opt-out line) even when it names none of the
// trades pitchMark knows, and gets no link however well its words match.
func TestColdSalesMailIsAPitch(t *testing.T) {
	body := "Hi there,\n\nNorthgate runs fulfilment centres in three cities and works with brands like yours. " +
		"We cut per-parcel costs and damage claims on bulky items.\n\nWorth a 20-minute call next week? " +
		"I can share a case study from a kitchen appliance client.\n\nReply STOP and I won't follow up.\n"
	if in := mailIntent("Cutting your parcel costs", body); !in.pitch {
		t.Errorf("cold sales mail: %+v, want a pitch", in)
	}
	m, err := message.Parse([]byte("From: a@b.example\r\nSubject: Cutting your parcel costs\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + strings.ReplaceAll(body, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	if links := Demo().Suggest(m); len(links) != 0 {
		t.Errorf("cold sales mail linked %v", links)
	}
	// a customer's own words about a call are not a pitch
	if in := mailIntent("kettle", "My kettle stopped heating. Could someone give me a call?"); in.pitch {
		t.Errorf("customer asking for a call read as a pitch: %+v", in)
	}
}
