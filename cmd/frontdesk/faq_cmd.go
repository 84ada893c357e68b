package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/rules"
)

const faqUsage = `usage:
  frontdesk faq suggest [-c CONFIG | -f FAQ] [--json] MESSAGE.eml...
      show the FAQ entries an acknowledgement of each message would link, with
      scores (at most 3; none when nothing in the catalog answers the mail, or
      when serve would send no acknowledgement: the rules refuse or drop it, say
      ack: none, or RFC 3834 suppresses it). Without -c or -f the embedded demos
      are used. --json prints one object per line: {"file": ..., "lang": ...,
      "faq": [{"id": ..., "score": ...}], "ack_suppressed": ...}.
`

func runFAQ(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, faqUsage)
		return 2
	}
	switch args[0] {
	case "suggest":
		return faqSuggest(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, faqUsage)
		return 0
	}
	fmt.Fprintf(stderr, "frontdesk faq: unknown subcommand %q\n%s", args[0], faqUsage)
	return 2
}

// parseFAQArgs accepts flags before, between and after the files.
func parseFAQArgs(args []string) (fileOpts, error) {
	var o fileOpts
	fs := flag.NewFlagSet("faq suggest", flag.ContinueOnError)
	fs.StringVar(&o.faq, "f", "", "FAQ catalog")
	fs.StringVar(&o.faq, "faq", "", "FAQ catalog")
	return o, o.parse(fs, args, "-f", "no message file given")
}

type faqJSONHit struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
}

type faqJSONLine struct {
	File string           `json:"file"`
	Lang message.Language `json:"lang"`
	FAQ  []faqJSONHit     `json:"faq"`
	// AckSuppressed: why no acknowledgement (so no link) would go out.
	AckSuppressed string `json:"ack_suppressed,omitempty"`
}

func faqSuggest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFAQArgs(args)
	if err != nil {
		return usageError(stdout, stderr, "faq suggest", err, faqUsage)
	}
	files, _, err := o.load(true)
	if err != nil {
		var list faq.Errors
		var rlist rules.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				fmt.Fprintln(stderr, e.Error())
			}
		} else if errors.As(err, &rlist) {
			printRulesError(stderr, "", err)
		} else {
			fmt.Fprintf(stderr, "frontdesk faq suggest: %v\n", err)
		}
		return 1
	}
	if files.NotLearned != nil {
		fmt.Fprintf(stderr, "note: learned examples not used (%v)\n", files.NotLearned)
	}
	now := time.Now()
	code := 0
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for _, f := range o.files {
		if ctx.Err() != nil {
			return 1
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(stderr, "frontdesk faq suggest: %v\n", err)
			code = 1
			continue
		}
		m, perr := message.Parse(raw) // never nil: a damaged mail is still ranked
		if perr != nil {
			fmt.Fprintf(stderr, "%s: warning: %v\n", f, perr)
		}
		// What serve would link: nothing where no acknowledgement goes
		// out. No envelope here: the From address stands for the sender.
		hits, suppressed := files.SuggestRaw(raw, m, now)
		lang := m.Lang()
		if o.json {
			line := faqJSONLine{File: f, Lang: lang, FAQ: []faqJSONHit{}, AckSuppressed: suppressed}
			for _, h := range hits {
				line.FAQ = append(line.FAQ, faqJSONHit{ID: h.ID, Score: round2(h.Score)})
			}
			if err := enc.Encode(line); err != nil {
				fmt.Fprintf(stderr, "frontdesk faq suggest: %v\n", err)
				return 1
			}
			continue
		}
		fmt.Fprintf(stdout, "%s (lang %s, subject %q)\n", f, lang, m.Subject)
		if suppressed != "" {
			fmt.Fprintf(stdout, "  no entry linked (no acknowledgement: %s)\n", suppressed)
		} else if len(hits) == 0 {
			fmt.Fprintln(stdout, "  no entry linked")
		}
		for i, h := range hits {
			fmt.Fprintf(stdout, "  %d. %-28s %6.2f  %s\n", i+1, h.ID, h.Score, h.Title)
		}
	}
	return code
}

func round2(x float64) float64 {
	return float64(int64(x*100+0.5)) / 100
}
