package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	fdgateway "github.com/frontdesk-mail/frontdesk/gateway"
	"github.com/frontdesk-mail/frontdesk/internal/testenv"
)

// A lost or damaged store stops the gateway at start-up with what is
// wrong and what to run; after `store check --repair` it starts, and the
// next customer gets a new ticket number, so an agent's reply to the old
// ticket's address reaches nobody but is refused. Before, each of these
// started silently with an empty (or emptied) store, the next mail opened
// SUP-1000 again and the agent's reply went to the new customer.
func TestLostStoreRefusedAndRepaired(t *testing.T) {
	largest := func(t *testing.T, dir, glob string) string {
		m, _ := filepath.Glob(filepath.Join(dir, glob))
		best, size := "", int64(0)
		for _, f := range m {
			if fi, err := os.Stat(f); err == nil && fi.Size() > size {
				best, size = f, fi.Size()
			}
		}
		if best == "" {
			t.Fatalf("no %s in %s", glob, dir)
		}
		return best
	}
	cases := []struct {
		name   string
		damage func(t *testing.T, data string)
		want   string // in serve's error
	}{
		{"MANIFEST deleted", func(t *testing.T, data string) { must(t, os.Remove(filepath.Join(data, "store", "MANIFEST"))) }, "the store is missing"},
		{"store deleted", func(t *testing.T, data string) { must(t, os.RemoveAll(filepath.Join(data, "store"))) }, "the store is missing"},
		{"store and its identity file deleted", func(t *testing.T, data string) {
			must(t, os.RemoveAll(filepath.Join(data, "store")))
			must(t, os.Remove(filepath.Join(data, "store.json")))
		}, "holds mail it recorded"},
		{"vlog truncated", func(t *testing.T, data string) {
			f := largest(t, filepath.Join(data, "store"), "*.vlog")
			fi, _ := os.Stat(f)
			must(t, os.Truncate(f, fi.Size()/3))
		}, "cannot be read"},
		// Badger cannot open these: one made it panic in a goroutine of
		// its own (a goroutine dump, exit 2).
		{"table cut short", func(t *testing.T, data string) {
			must(t, os.Truncate(largest(t, filepath.Join(data, "store"), "*.sst"), 1000))
		}, "cannot open them"},
		{"table deleted", func(t *testing.T, data string) {
			must(t, os.Remove(largest(t, filepath.Join(data, "store"), "*.sst")))
		}, "cannot open them"},
		{"256 bytes overwritten in the vlog", func(t *testing.T, data string) {
			f := largest(t, filepath.Join(data, "store"), "*.vlog")
			fi, _ := os.Stat(f)
			fh, err := os.OpenFile(f, os.O_WRONLY, 0)
			must(t, err)
			_, err = fh.WriteAt(bytes.Repeat([]byte{'A'}, 256), fi.Size()/2)
			must(t, err)
			must(t, fh.Close())
		}, "cannot be read"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := startGateway(t, "outbound: {target: maildir}\n")
			data := filepath.Join(g.dir, "data")
			// A ticket record long enough for Badger's value log.
			testenv.SwaksOK(t, "--server", g.SMTP, "--from", "carol@customer.example", "--to", "support@support.localhost",
				"--header", "From: Carol <carol@customer.example>", "--header", "Subject: kettle", "--body", strings.Repeat("My kettle does not heat. ", 80))
			relayed := waitMaildir(t, g.maildir("support"), 1, 20*time.Second)
			if !bytes.Contains(relayed[0], []byte("X-Frontdesk-Ticket: SUP-1000")) {
				t.Fatalf("first ticket is not SUP-1000:\n%s", relayed[0])
			}
			waitMaildir(t, g.outbox(), 1, 20*time.Second) // the acknowledgement
			g.stop()
			c.damage(t, data)

			// serve refuses, saying what is wrong and what to run.
			// (A serve that starts regardless is stopped after a while.)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, binary, "serve", "-c", g.cfgPath).CombinedOutput()
			if testenv.ExitCode(err) != fdgateway.ExitNeedsRecovery || !strings.Contains(string(out), c.want) || !strings.Contains(string(out), "frontdesk store check --repair -c "+g.cfgPath) {
				t.Fatalf("serve on a damaged store: exit %d; want %d (the unit's RestartPreventExitStatus) with %q and the repair command:\n%s", testenv.ExitCode(err), fdgateway.ExitNeedsRecovery, c.want, out)
			}
			// store check finds it too; --repair makes the store usable.
			out, err = exec.Command(binary, "store", "check", "-c", g.cfgPath).CombinedOutput()
			if testenv.ExitCode(err) != 1 {
				t.Fatalf("store check on a damaged store: exit %d, want 1:\n%s", testenv.ExitCode(err), out)
			}
			out, err = exec.Command(binary, "store", "check", "--repair", "-c", g.cfgPath).CombinedOutput()
			if err != nil {
				t.Fatalf("store check --repair: %v\n%s", err, out)
			}
			t.Logf("repair:\n%s", out)
			if out, err := exec.Command(binary, "store", "check", "--json", "-c", g.cfgPath).CombinedOutput(); err != nil || !strings.Contains(string(out), `"ok": true`) {
				t.Fatalf("store check after the repair: %v\n%s", err, out)
			}

			g.start()
			testenv.SwaksOK(t, "--server", g.SMTP, "--from", "dave@customer.example", "--to", "support@support.localhost",
				"--header", "From: Dave <dave@customer.example>", "--header", "Subject: toaster", "--body", "My toaster burns everything.")
			relayed = waitMaildir(t, g.maildir("support"), 2, 20*time.Second)
			var daveTag string
			for _, m := range relayed {
				if bytes.Contains(m, []byte("dave@customer.example")) {
					daveTag = string(regexp.MustCompile(`X-Frontdesk-Ticket: (\S+)`).FindSubmatch(m)[1])
				}
			}
			if daveTag == "" || daveTag == "SUP-1000" {
				t.Fatalf("the new customer's ticket is %q: a number of the lost store's again", daveTag)
			}
			// The agent answers the old ticket: refused, and nothing
			// reaches the new customer but his acknowledgement.
			tr, err := testenv.Swaks(t, "--server", g.SMTP, "--from", "alice@agents.test", "--to", "support+sup-1000@support.localhost",
				"--header", "From: Alice <alice@agents.test>", "--header", "Subject: Re: [SUP-1000] kettle", "--body", "Confidential: your order QZ-4711.")
			if err == nil || !strings.Contains(tr, "No ticket SUP-1000") {
				t.Errorf("agent's reply to the lost ticket: err %v; want it refused with \"No ticket SUP-1000\":\n%s", err, tr)
			}
			waitMaildir(t, g.outbox(), 2, 20*time.Second) // Dave's acknowledgement
			for _, m := range waitMaildir(t, g.outbox(), 0, time.Second) {
				// not a bare number: random ids and boundaries may hold one
				if bytes.Contains(m, []byte("QZ-4711")) {
					t.Fatalf("the agent's reply to SUP-1000 went out:\n%s", m)
				}
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// The spool (data_dir/mail) holds the bytes of mail the store records.
// With it gone or cut short (moved away, a volume not mounted, a restore
// that forgot it), serve started without a word and failed every queued
// mail permanently at its next attempt: mail that got a 250 was lost,
// though putting mail/ back would have delivered it. serve now refuses,
// naming the spool; with mail/ restored the queued mail is delivered; and
// when there is no backup, store check --repair drops the records of mail
// that is gone so that serve starts and says which were lost.
func TestMissingSpoolIsRefused(t *testing.T) {
	cases := []struct {
		name   string
		damage func(t *testing.T, mail, aside string)
		want   string
	}{
		{"mail dir moved away", func(t *testing.T, mail, aside string) { must(t, os.Rename(mail, aside)) }, "is missing"},
		{"segment cut short", func(t *testing.T, mail, aside string) {
			must(t, os.CopyFS(aside, os.DirFS(mail)))
			seg := filepath.Join(mail, "00000001.seg")
			fi, err := os.Stat(seg)
			must(t, err)
			must(t, os.Truncate(seg, fi.Size()/2))
		}, "is cut short"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sink := testenv.StartSMTPSink(t)
			sink.Stop() // the agents' server is down: the mail waits in the queue
			g := startGateway(t, fmt.Sprintf("relay:\n  target: smtp://%s\n  min_backoff: 200ms\n  max_backoff: 1s\n", sink.Addr))
			for i, who := range []string{"carol", "dave"} {
				testenv.SwaksOK(t, "--server", g.SMTP, "--from", who+"@customer.example", "--to", "support@support.localhost",
					"--header", "From: "+who+" <"+who+"@customer.example>", "--header", fmt.Sprintf("Subject: queued %d", i),
					"--body", strings.Repeat(who+" needs help. ", 300))
			}
			g.stop()
			data := filepath.Join(g.dir, "data")
			mail, aside := filepath.Join(data, "mail"), filepath.Join(g.dir, "mail.backup")
			c.damage(t, mail, aside)

			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			out, err := exec.CommandContext(ctx, binary, "serve", "-c", g.cfgPath).CombinedOutput()
			if testenv.ExitCode(err) != fdgateway.ExitNeedsRecovery || !strings.Contains(string(out), c.want) || !strings.Contains(string(out), mail) ||
				!strings.Contains(string(out), "frontdesk store check --repair -c "+g.cfgPath) {
				t.Fatalf("serve without its spool: exit %d; want %d naming %s (%q) and the repair command:\n%s", testenv.ExitCode(err), fdgateway.ExitNeedsRecovery, mail, c.want, out)
			}

			// A copy of the data dir without a backup of mail/ is repaired
			// instead: serve starts and the lost mail is reported.
			repaired := t.TempDir()
			must(t, os.CopyFS(repaired, os.DirFS(g.dir)))
			cfg := filepath.Join(repaired, "frontdesk.yaml")
			rout, err := exec.Command(binary, "store", "check", "--repair", "-c", cfg).CombinedOutput()
			if !strings.Contains(string(rout), "raw/") {
				t.Errorf("store check --repair names no record of lost mail (%v):\n%s", err, rout)
			}
			if out, err := exec.Command(binary, "store", "check", "-c", cfg).CombinedOutput(); err != nil {
				t.Errorf("store check after the repair: %v\n%s", err, out)
			}

			// The backup of mail/ is put back: nothing was lost.
			must(t, os.RemoveAll(mail))
			must(t, os.Rename(aside, mail))
			sink.Restart()
			g.start()
			msgs := sink.WaitCount(t, 2, 30*time.Second)
			for i, m := range msgs {
				if !bytes.Contains(m, []byte("needs help.")) {
					t.Errorf("relayed mail %d lacks its body:\n%s", i, m)
				}
			}
		})
	}
}
