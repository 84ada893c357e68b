package main

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"strconv"
	"sync"
	"time"

	"github.com/frontdesk-mail/frontdesk/third_party/go-smtp"
)

// sink is the upstream the server under test relays to: an in-process
// go-smtp server that accepts everything, reads X-Bench-Id and
// X-Bench-Sent from each message's header, and records the end-to-end
// latency of the first copy of each message of this run (delivery is at
// least once; duplicates are counted apart).
type sink struct {
	runID string
	srv   *smtp.Server
	ln    net.Listener

	mu       sync.Mutex
	seen     map[string]struct{}
	lat      []time.Duration
	first    time.Time
	last     time.Time
	dups     int
	foreign  int // messages without this run's id (leftovers of earlier runs)
	received chan struct{}
}

func startSink(addr, runID string) (*sink, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &sink{runID: runID, ln: ln, seen: map[string]struct{}{}, received: make(chan struct{}, 1)}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{s: s}, nil }))
	srv.Domain = "bench-sink.localdomain" // must differ from the relaying MTA's own name (Postfix loop check)
	srv.MaxMessageBytes = 64 << 20
	srv.MaxRecipients = 1000
	srv.MaxLineLength = 1 << 20
	srv.ReadTimeout = 2 * time.Minute
	srv.WriteTimeout = 2 * time.Minute
	srv.AllowInsecureAuth = true
	s.srv = srv
	go srv.Serve(ln)
	return s, nil
}

func (s *sink) Close() { s.srv.Close() }

func (s *sink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}

type sinkSession struct{ s *sink }

func (ss *sinkSession) Reset()                               {}
func (ss *sinkSession) Logout() error                        { return nil }
func (ss *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (ss *sinkSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (ss *sinkSession) Data(r io.Reader) error {
	now := time.Now()
	id, sent := "", int64(0)
	br := bufio.NewReaderSize(r, 8192)
	for {
		line, err := br.ReadSlice('\n')
		if err != nil && err != bufio.ErrBufferFull {
			break
		}
		l := bytes.TrimRight(line, "\r\n")
		if len(l) == 0 {
			break // end of header
		}
		if v, ok := headerValue(l, "X-Bench-Id:"); ok {
			id = string(v)
		} else if v, ok := headerValue(l, "X-Bench-Sent:"); ok {
			sent, _ = strconv.ParseInt(string(v), 10, 64)
		}
	}
	io.Copy(io.Discard, br)
	now = time.Now()
	s := ss.s
	s.mu.Lock()
	switch {
	case id == "" || !bytes.HasPrefix([]byte(id), []byte(s.runID+".")):
		s.foreign++
	default:
		if _, dup := s.seen[id]; dup {
			s.dups++
			break
		}
		s.seen[id] = struct{}{}
		if sent > 0 {
			s.lat = append(s.lat, now.Sub(time.Unix(0, sent)))
		}
		if s.first.IsZero() {
			s.first = now
		}
		s.last = now
	}
	s.mu.Unlock()
	select {
	case s.received <- struct{}{}:
	default:
	}
	return nil
}

func headerValue(line []byte, name string) ([]byte, bool) {
	if len(line) < len(name) || !bytes.EqualFold(line[:len(name)], []byte(name)) {
		return nil, false
	}
	return bytes.TrimSpace(line[len(name):]), true
}

// wait blocks until n messages of this run arrived or timeout passed.
func (s *sink) wait(n int, timeout time.Duration, progress func()) bool {
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for s.count() < n {
		if time.Now().After(deadline) {
			return false
		}
		select {
		case <-s.received:
		case <-tick.C:
			if progress != nil {
				progress()
			}
		}
	}
	return true
}
