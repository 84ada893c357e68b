package main

import (
	"context"
	"io"

	"github.com/frontdesk-mail/frontdesk/gateway"
	"github.com/frontdesk-mail/frontdesk/learn"
)

// runLearn is `frontdesk learn list|forget|import` (learn.Main); beside a
// running server, list, forget and import ask its API (gateway.OpenLearnTarget).
func runLearn(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return learn.Main(ctx, learn.Env{Open: func(cfgPath string, use learn.StoreUse) (*learn.Target, error) {
		cfg, err := loadConfig(cfgPath)
		if err != nil {
			return nil, err
		}
		return gateway.OpenLearnTarget(cfg, use)
	}}, args, stdout, stderr)
}
