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

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/gateway"
	"github.com/frontdesk-mail/frontdesk/message"
	"github.com/frontdesk-mail/frontdesk/rules"
)

const faqUsage = `usage:
  frontdesk faq suggest [-c CONFIG | -f FAQ] [--json] MESSAGE.eml...
      show the FAQ entries an acknowledgement of each message would link, with
      scores (at most 3; none when nothing in the catalog answers the mail).
      Without -c or -f the embedded demo catalog is used. --json prints one
      object per line: {"file": ..., "lang": ..., "faq": [{"id": ..., "score": ...}]}.
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

type faqOpts struct {
	config, faqFile string
	json            bool
	files           []string
}

// parseFAQArgs accepts flags before, between and after the files.
func parseFAQArgs(args []string) (faqOpts, error) {
	var o faqOpts
	fs := flag.NewFlagSet("faq suggest", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the caller prints the error and the usage
	fs.StringVar(&o.config, "c", "", "config file")
	fs.StringVar(&o.config, "config", "", "config file")
	fs.StringVar(&o.faqFile, "f", "", "FAQ catalog")
	fs.StringVar(&o.faqFile, "faq", "", "FAQ catalog")
	fs.BoolVar(&o.json, "json", false, "one JSON object per message")
	files, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		return o, errHelp
	}
	if err != nil {
		return o, err
	}
	o.files = files
	if o.config != "" && o.faqFile != "" {
		return o, errors.New("give either -c or -f, not both")
	}
	if len(o.files) == 0 {
		return o, errors.New("no message file given")
	}
	return o, nil
}

var errHelp = errors.New("help requested")

// loadFAQFiles loads what serve would use with -c (the embedded demos
// without it), with -f's catalog in place of the config's, and the
// examples agents taught in -c's data dir.
func loadFAQFiles(o faqOpts) (*gateway.Files, error) {
	cfg := config.Default()
	if o.config != "" {
		var err error
		if cfg, err = config.Load(o.config); err != nil {
			return nil, err
		}
	}
	if o.faqFile != "" {
		cfg.FAQFile = o.faqFile
	}
	return gateway.LoadFiles(cfg, o.config != "")
}

type faqJSONHit struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
}

type faqJSONLine struct {
	File string       `json:"file"`
	Lang string       `json:"lang"`
	FAQ  []faqJSONHit `json:"faq"`
	// AckSuppressed says why no acknowledgement, and so no link, would
	// go out, as in rules test --json.
	AckSuppressed string `json:"ack_suppressed,omitempty"`
}

func faqSuggest(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFAQArgs(args)
	if errors.Is(err, errHelp) {
		fmt.Fprint(stdout, faqUsage)
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "frontdesk faq suggest: %v\n%s", err, faqUsage)
		return 2
	}
	files, err := loadFAQFiles(o)
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
		hits, suppressed := files.Suggest(m, m.From.Address, files.Rules.EvaluateWith(m, now, files.FAQ))
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
