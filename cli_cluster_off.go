//go:build !dqlite

package main

import (
	"context"
	"log/slog"

	"switchyard/app"
)

// openClusterApp refuses: this build has no dqlite.
func openClusterApp(context.Context, clusterFlags, *slog.Logger) (*app.App, *clusterNode, error) {
	return nil, nil, errNoCluster
}

// clusterStatus refuses: this build has no dqlite.
func clusterStatus(context.Context, cliEnv, []string) error { return errNoCluster }

// openClusterClient refuses: this build has no dqlite.
func openClusterClient(context.Context, []string, *slog.Logger) (*app.App, error) {
	return nil, errNoCluster
}

// clusterExport refuses: this build has no dqlite.
func clusterExport(context.Context, cliEnv, []string, string) error { return errNoCluster }

// clusterRemove refuses: this build has no dqlite.
func clusterRemove(context.Context, cliEnv, []string, string) error { return errNoCluster }

// clusterImport refuses: this build has no dqlite.
func clusterImport(context.Context, cliEnv, []string, string) error { return errNoCluster }
