package gateway

import (
	"errors"

	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/rules"
	"github.com/frontdesk-mail/frontdesk/ticket"
)

// Departments is the department keys of cfg's rules (the embedded demo
// rules' without a rules_file), in the file's order: what a --department
// filter may name. A rules file that does not load is the error, placed
// as serve places it.
func Departments(cfg *config.Config) ([]string, error) {
	rs, err := loadFile(cfg.RulesFile, demoRules, rules.Load)
	if err := fileErrors(cfg, []error{err}, []string{"rules_file"}); err != nil {
		return nil, err
	}
	var keys []string
	for _, d := range rs.Departments() {
		keys = append(keys, d.Key)
	}
	return keys, nil
}

// UsageError is a command-line argument the config refutes (an unknown
// --department): the command exits 2, as for a flag it cannot parse.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// IsUsage says err is a *UsageError.
func IsUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}

// DepartmentFilter is OpenAdminFile's check of tickets list --department
// ("": any): a department of the config's rules in any case, else a
// *UsageError listing them, as an unknown --status is refused; a rules
// file that does not load is a plain error.
func DepartmentFilter(dept string) func(*config.Config) error {
	return func(cfg *config.Config) error {
		if dept == "" {
			return nil
		}
		depts, err := Departments(cfg)
		if err != nil {
			return err
		}
		if err := ticket.CheckDepartment(dept, depts); err != nil {
			return &UsageError{Err: errors.New("--department: " + err.Error())}
		}
		return nil
	}
}
