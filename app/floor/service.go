// Package floor owns the warehouse and store leads' view of their work: the
// queues of fulfillments at their locations, pick lists, and one
// fulfillment's work sheet. Accepting, rejecting and shipping change orders
// and stock, so they are core use cases (app.AcceptFulfillment, app.Ship).
package floor

import "switchyard/app"

// Service is the floor's use cases over the core app.
type Service struct{ core *app.App }

// New returns the floor service over core.
func New(core *app.App) *Service { return &Service{core: core} }
