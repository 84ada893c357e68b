package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Retention says how long what the gateway holds is kept (package
// retention applies it). Zero keeps it for ever.
type Retention struct {
	// Mail: received mail and the gateway's own, counted from its
	// ticket's resolution; open tickets keep theirs, mail without a
	// ticket counts from its arrival.
	Mail Age `yaml:"mail"`
	// ResolvedTickets: tickets resolved longer ago are removed with
	// their mail.
	ResolvedTickets Age `yaml:"resolved_tickets"`
	// FailedQueueItems: queue items kept as failed, counted from their
	// last attempt.
	FailedQueueItems Age `yaml:"failed_queue_items"`
	// LearnedExamples: examples agents taught (#move, #faq) or imported
	// (learn import), counted from when they were; zero, the default,
	// keeps them, since they are what the team taught. A customer's
	// examples go with their erasure whatever this says.
	LearnedExamples Age `yaml:"learned_examples"`
	// Interval is how often the server runs retention.
	Interval Duration `yaml:"interval"`
}

// DefaultRetention is the retention of the embedded defaults.
func DefaultRetention() Retention {
	return Retention{Mail: Age(365 * 24 * time.Hour), FailedQueueItems: Age(30 * 24 * time.Hour), Interval: Duration(6 * time.Hour)}
}

// Age is a retention period: whole days ("365d"), Go duration syntax
// ("36h"), or 0 for "kept".
type Age time.Duration

// D returns the value as a time.Duration.
func (a Age) D() time.Duration { return time.Duration(a) }

// ParseAge reads "365d", "36h", "1h30m" or "0".
func ParseAge(s string) (Age, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseInt(d, 10, 64)
		if err != nil || n < 0 || n > 100*366 {
			return 0, fmt.Errorf("bad period %q (want whole days such as 365d, a duration such as 36h, or 0 to keep)", s)
		}
		return Age(time.Duration(n) * 24 * time.Hour), nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("bad period %q (want whole days such as 365d, a duration such as 36h, or 0 to keep)", s)
	}
	return Age(v), nil
}

// UnmarshalYAML parses ParseAge's syntax.
func (a *Age) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return err
	}
	v, err := ParseAge(s)
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// MarshalYAML writes whole days as "Nd".
func (a Age) MarshalYAML() (any, error) {
	d := time.Duration(a)
	if d == 0 {
		return "0", nil
	}
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour)), nil
	}
	return d.String(), nil
}
