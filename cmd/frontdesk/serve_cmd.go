package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/gateway"
	"github.com/frontdesk-mail/frontdesk/internal/profile"
)

// version may be set with -ldflags "-X main.version=…"; else buildinfo
// reads what the Go toolchain stamped into the binary.
var version string

func loadConfig(path string) (*config.Config, error) { return config.LoadOrDefault(path) }

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("c", "", "config file (embedded defaults when empty)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	memProfile := fs.String("memprofile", "", "write a heap profile to this file at exit")
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		return usageError(stdout, stderr, "serve", fmt.Errorf("unexpected argument %q (the config file is given with -c)", fs.Arg(0)), "")
	}
	stopProfiles, err := profile.Start(*cpuProfile, *memProfile)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	defer stopProfiles()
	cfg, err := config.LoadOrDefault(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	log := newLogger(stderr, cfg.LogLevel)
	log.Debug("runtime", gateway.SetRuntime(cfg, os.Getenv)...)
	fail := func(err error) int {
		log.Error("serve", "err", err)
		// The log line quotes the error and escapes its newlines; the
		// admin who broke a rules, FAQ or template file reads its
		// file:line:col errors one per line, as rules check prints them.
		fmt.Fprintf(stderr, "frontdesk serve: %v\n", err)
		if gateway.NeedsRecovery(err) {
			return gateway.ExitNeedsRecovery // the unit does not restart into it
		}
		return 1
	}
	g, err := gateway.New(ctx, gateway.Options{Config: cfg, Logger: log, Version: version})
	if err != nil {
		return fail(err)
	}
	g.Summary().WriteText(stdout)
	if err := g.Run(ctx); err != nil {
		return fail(err)
	}
	return 0
}
