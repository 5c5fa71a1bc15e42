package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"switchyard/app"
)

// cliEnv is what every command reads and writes besides its flags.
type cliEnv struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
}

// flagSet makes a flag set whose flags default to SWITCHYARD_<NAME> variables.
type flagSet struct {
	*flag.FlagSet
	env cliEnv
}

// newFlags starts the flags of one command, with --db that every command takes.
func newFlags(env cliEnv, name string) (*flagSet, *string) {
	fs := &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), env: env}
	fs.SetOutput(env.stderr)
	db := fs.str("db", "./switchyard.db", "SQLite database file")
	return fs, db
}

// envName is the environment variable that backs a flag.
func envName(flagName string) string {
	return "SWITCHYARD_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// str declares a string flag defaulting to its environment variable, else def.
func (fs *flagSet) str(name, def, help string) *string {
	if v := fs.env.getenv(envName(name)); v != "" {
		def = v
	}
	return fs.String(name, def, help+" ($"+envName(name)+")")
}

// boolean declares a bool flag defaulting to its environment variable, else false.
func (fs *flagSet) boolean(name, help string) *bool {
	v := strings.ToLower(fs.env.getenv(envName(name)))
	return fs.Bool(name, v == "1" || v == "true" || v == "yes", help+" ($"+envName(name)+")")
}

// list declares a repeatable flag (--location A --location B).
func (fs *flagSet) list(name, help string) *[]string {
	var vals []string
	fs.Func(name, help+" (repeatable)", func(s string) error { vals = append(vals, s); return nil })
	return &vals
}

// openApp opens the database, applies migrations, and builds the App.
// A path dqlite://HOST:PORT,HOST:PORT reaches a cluster's database as a
// client (a dqlite build).
func openApp(ctx context.Context, path string, log *slog.Logger) (*app.App, error) {
	if addrs, ok := strings.CutPrefix(path, clusterScheme); ok {
		return openClusterClient(ctx, strings.Split(addrs, ","), log)
	}
	a, applied, err := app.Open(ctx, path, time.Now, log)
	if err != nil {
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("migrations applied", "db", path, "migrations", strings.Join(applied, ", "))
	}
	return a, nil
}

// newLogger logs structured lines to w; SWITCHYARD_LOG_FORMAT=json for JSON.
func newLogger(env cliEnv) *slog.Logger {
	if env.getenv("SWITCHYARD_LOG_FORMAT") == "json" {
		return slog.New(slog.NewJSONHandler(env.stderr, nil))
	}
	return slog.New(slog.NewTextHandler(env.stderr, nil))
}

// cmdMigrate applies the migrations and exits.
func cmdMigrate(ctx context.Context, env cliEnv, args []string) error {
	fs, dbPath := newFlags(env, "migrate")
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, err := openApp(ctx, *dbPath, newLogger(env))
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Fprintln(env.stdout, "database", *dbPath, "is up to date")
	return nil
}

// serveGCPercent is the garbage collector's target for the server: the heap
// may grow to five times the live data between collections. The live heap
// is small (tens of MB), and at Go's default of 100 the collector takes CPU
// the writer needs: switchyard bench intake ran 4-17% faster at 400.
const serveGCPercent = 400

// tuneGC sets serveGCPercent, unless GOGC is set in the environment.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
}
