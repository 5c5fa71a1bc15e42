// Package desk owns what support agents and ops managers read to find the
// orders that need someone: the order lists and their filters, the
// exceptions (late, held, short, rejected) with the fix for each, and the
// dashboard's counts.
package desk

import "switchyard/app"

// Service is the desk's use cases over the core app.
type Service struct{ core *app.App }

// New returns the desk service over core.
func New(core *app.App) *Service { return &Service{core: core} }
