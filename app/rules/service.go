// Package rules owns the routing rules as ops managers edit them: the draft,
// its edits (add, change, move, switch off, delete), import from a JSON file
// with errors that point at the line, publishing a version and the history
// of versions. Routing itself reads the published rules from the core
// (app/routing decides; the core applies the decision).
package rules

import "switchyard/app"

// Service is the rule-editing use cases over the core app.
type Service struct{ core *app.App }

// New returns the rules service over core.
func New(core *app.App) *Service { return &Service{core: core} }
