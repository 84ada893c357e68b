package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/faq"
	"github.com/frontdesk-mail/frontdesk/message"
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

// loadCatalog picks the catalog: -f, else the config's faq_file, else the
// embedded demo.
func loadCatalog(o faqOpts) (*faq.Catalog, error) {
	path := o.faqFile
	if o.config != "" {
		cfg, err := config.Load(o.config)
		if err != nil {
			return nil, err
		}
		path = cfg.FAQFile
	}
	if path == "" {
		return faq.Demo(), nil
	}
	return faq.Load(path)
}

type faqJSONHit struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
}

type faqJSONLine struct {
	File string       `json:"file"`
	Lang string       `json:"lang"`
	FAQ  []faqJSONHit `json:"faq"`
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
	cat, err := loadCatalog(o)
	if err != nil {
		var list faq.Errors
		if errors.As(err, &list) {
			for _, e := range list {
				fmt.Fprintln(stderr, e.Error())
			}
		} else {
			fmt.Fprintf(stderr, "frontdesk faq suggest: %v\n", err)
		}
		return 1
	}
	cat = learnedFor(o.config, cat, stderr)
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
		hits := cat.Suggest(m)
		lang := m.Lang()
		if o.json {
			line := faqJSONLine{File: f, Lang: lang, FAQ: []faqJSONHit{}}
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
		if len(hits) == 0 {
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
