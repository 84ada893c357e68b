package gateway

import (
	"github.com/frontdesk-mail/frontdesk/config"
	"github.com/frontdesk-mail/frontdesk/rules"
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
