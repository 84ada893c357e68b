package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// A minimal SMTP client: no pipelining, no extensions, so that both
// servers see exactly the same command sequence and the DATA-end→250 time
// is measured from the moment the final "." has been handed to the kernel.

type conn struct {
	c  net.Conn
	r  *bufio.Reader
	w  *bufio.Writer
	to time.Duration
}

// replyError is a non-2xx/3xx reply.
type replyError struct {
	Code  int
	Stage string
	Text  string
}

func (e *replyError) Error() string { return fmt.Sprintf("%s: %d %s", e.Stage, e.Code, e.Text) }

func dial(addr string, timeout time.Duration) (*conn, error) {
	c, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	return &conn{c: c, r: bufio.NewReaderSize(c, 4096), w: bufio.NewWriterSize(c, 64<<10), to: timeout}, nil
}

func (c *conn) Close() error { return c.c.Close() }

// reply reads one (possibly multi-line) reply.
func (c *conn) reply() (int, string, error) {
	c.c.SetReadDeadline(time.Now().Add(c.to))
	var text strings.Builder
	for {
		line, err := c.r.ReadString('\n')
		if err != nil {
			return 0, "", err
		}
		line = strings.TrimRight(line, "\r\n")
		if len(line) < 3 {
			return 0, "", fmt.Errorf("short reply %q", line)
		}
		code, err := strconv.Atoi(line[:3])
		if err != nil {
			return 0, "", fmt.Errorf("bad reply %q", line)
		}
		if text.Len() > 0 {
			text.WriteByte('\n')
		}
		if len(line) > 4 {
			text.WriteString(line[4:])
		}
		if len(line) == 3 || line[3] == ' ' {
			return code, text.String(), nil
		}
	}
}

// cmd sends one command and expects a reply in [want, want+100).
func (c *conn) cmd(stage string, want int, format string, args ...any) (string, error) {
	c.c.SetWriteDeadline(time.Now().Add(c.to))
	fmt.Fprintf(c.w, format+"\r\n", args...)
	if err := c.w.Flush(); err != nil {
		return "", err
	}
	return c.expect(stage, want)
}

func (c *conn) expect(stage string, want int) (string, error) {
	code, text, err := c.reply()
	if err != nil {
		return "", err
	}
	if code < want || code >= want+100 {
		return text, &replyError{Code: code, Stage: stage, Text: text}
	}
	return text, nil
}

// greet reads the banner and says EHLO.
func (c *conn) greet(helo string) error {
	if _, err := c.expect("banner", 200); err != nil {
		return err
	}
	_, err := c.cmd("ehlo", 200, "EHLO %s", helo)
	return err
}

// send runs one transaction. It returns the time from writing the final
// "." to the reply, and the reply error if it was not 2xx.
func (c *conn) send(from, rcpt string, parts ...[]byte) (time.Duration, error) {
	if _, err := c.cmd("mail", 200, "MAIL FROM:<%s>", from); err != nil {
		return 0, err
	}
	if _, err := c.cmd("rcpt", 200, "RCPT TO:<%s>", rcpt); err != nil {
		return 0, err
	}
	if _, err := c.cmd("data", 300, "DATA"); err != nil {
		return 0, err
	}
	c.c.SetWriteDeadline(time.Now().Add(c.to))
	for _, p := range parts {
		if _, err := c.w.Write(p); err != nil {
			return 0, err
		}
	}
	if _, err := c.w.WriteString(".\r\n"); err != nil {
		return 0, err
	}
	if err := c.w.Flush(); err != nil {
		return 0, err
	}
	t0 := time.Now()
	_, err := c.expect("data-end", 200)
	return time.Since(t0), err
}

// errKey is how an error is counted: the reply code, or a short class for
// network errors.
func errKey(err error) string {
	var re *replyError
	switch {
	case errors.As(err, &re):
		return fmt.Sprintf("%d (%s)", re.Code, re.Stage)
	case errors.Is(err, io.EOF):
		return "eof"
	case isTimeout(err):
		return "timeout"
	default:
		var oe *net.OpError
		if errors.As(err, &oe) {
			return "net:" + oe.Op
		}
		return "other"
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
