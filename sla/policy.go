package sla

// Policy is the service level a ticket is opened under: the durations to
// track (zero: not tracked) and the name of the calendar they count in (""
// is 24×7 wall-clock time). The rules file's department and rule sla
// sections compile to it, and a ticket stores it, so both share this one
// type; the JSON names are the stored tickets' format.
type Policy struct {
	FirstResponse    Duration `json:"first_response"`
	NextResponse     Duration `json:"next_response"`
	Resolution       Duration `json:"resolution"`
	Calendar         string   `json:"calendar,omitempty"`
	WarnAt           float64  `json:"warn_at,omitempty"`            // fraction of the allowed time after which to warn; 0.75 for "75%"
	PauseWhenWaiting bool     `json:"pause_when_waiting,omitempty"` // stop the clock while waiting for the customer
}
