// Package search owns finding orders: the full-text index (SQLite FTS5) that
// a background indexer keeps up with intake, and the search the desk and the
// API run over it, limited to what the caller may see.
package search

import "switchyard/app"

// Service is the search use cases over the core app.
type Service struct{ core *app.App }

// New returns the search service over core.
func New(core *app.App) *Service { return &Service{core: core} }
