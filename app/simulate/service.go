// Package simulate owns the what-if: it replays past routing decisions
// (their stored inputs) under a draft rule set with the pure app/routing, and
// says which orders would have gone elsewhere and what it would have cost.
package simulate

import (
	"switchyard/app"
	"switchyard/app/rules"
)

// Service is the simulation use cases over the core app.
type Service struct {
	core  *app.App
	rules *rules.Service // reads the draft and the published versions
}

// New returns the simulation service over core.
func New(core *app.App) *Service { return &Service{core: core, rules: rules.New(core)} }
