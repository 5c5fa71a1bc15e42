//go:build !dqlite

// Package cluster runs Switchyard's database on dqlite. This build has no
// dqlite: build with `make cluster-build` (tags dqlite and libsqlite3).
package cluster

// Built reports whether this binary can run a cluster node.
const Built = false
