// Package search owns finding orders: the full-text index (SQLite FTS5) that
// a background indexer keeps up with intake, and the search the desk and the
// API run over it, limited to what the caller may see.
package search

import "switchyard/app"

// Service is the search use cases over the core app.
type Service struct {
	core  *app.App
	batch int64 // orders indexed by one write transaction
}

// New returns the search service over core.
func New(core *app.App) *Service { return &Service{core: core, batch: searchIndexBatch} }

// LimitBatch makes one write transaction of the indexer take at most n
// orders: on a dqlite cluster a transaction is one Raft entry, and an entry
// of 5,000 orders' index pages held the leader past its election timeout.
func (a *Service) LimitBatch(n int64) { a.batch = max(1, n) }
