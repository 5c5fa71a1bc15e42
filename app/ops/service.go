// Package ops owns what an operator checks about a running Switchyard: that
// its database answers (readiness, for load balancers and orchestrators) and
// that the stock invariants hold (every level equals its ledger, every
// reservation an open fulfillment line).
package ops

import "switchyard/app"

// Service is the operator's use cases over the core app.
type Service struct{ core *app.App }

// New returns the operator's service over core.
func New(core *app.App) *Service { return &Service{core: core} }
