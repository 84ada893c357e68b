package ack

import "github.com/frontdesk-mail/frontdesk/compose"

// The templates are the composer's (package compose): acknowledgements,
// the auto-close notice and the SLA mails share one set, one lookup order
// and one templates_dir. These names keep ack's callers as they were.
type (
	// Templates is a loaded, immutable set of templates.
	Templates = compose.Templates
	// Link is one FAQ article offered in an acknowledgement.
	Link = compose.Link
	// Data is what a template sees.
	Data = compose.Data
	// PosError is a template error at a position in a file.
	PosError = compose.PosError
)

// DefaultName is the template an acknowledgement uses when the rules name
// none.
const DefaultName = compose.Ack

// Load loads the built-in templates and those in dir (compose.Load).
func Load(dir string) (*Templates, error) { return compose.Load(dir) }
