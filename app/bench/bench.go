// Package bench is the harness behind `switchyard bench`: it measures order
// intake over the HTTP API against the storage ceiling (bench intake) and
// the intake of channel webhooks (bench webhooks), on an in-process server or
// a running one, and prints what it measured. It owns its flags, the orders
// and deliveries it generates, the storage ceiling's writer and the CPU and
// I/O samples; the server it loads comes from the caller (Deps), so that it
// never imports the web layer or the command.
package bench

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/app/demo"
)

// Deps is what the bench takes from the command that runs it.
type Deps struct {
	Getenv         func(string) string // the environment: SWITCHYARD_URL and SWITCHYARD_KEY back intake's --url and --key
	Stdout, Stderr io.Writer           // the report; flag errors and the first failed requests
	Log            *slog.Logger        // where the in-process server's background work logs

	// Open opens the database at dbPath, applies the migrations and builds
	// the App as serve builds it.
	Open func(ctx context.Context, dbPath string) (*app.App, error)
	// Handler is serve's HTTP handler over a.
	Handler func(ctx context.Context, a *app.App) (http.Handler, error)
}

// intakeUsage is what `switchyard bench` answers without a measurement to run.
const intakeUsage = "usage: switchyard bench intake [--concurrency N] [--orders N | --duration D] [--url U --key K] [--db F] [--seed N] [--cpuprofile F]"

// Run runs `switchyard bench intake ...`, `switchyard bench webhooks ...` or
// `switchyard bench routing-quality ...` (args start with the scenario).
func Run(ctx context.Context, d Deps, args []string) error {
	if len(args) > 0 && args[0] == "webhooks" {
		return cmdBenchWebhooks(ctx, d, args[1:])
	}
	if len(args) > 0 && args[0] == "routing-quality" {
		return cmdRoutingQuality(d, args[1:])
	}
	if len(args) == 0 || args[0] != "intake" {
		return errors.New(intakeUsage)
	}
	cfg, err := parseBenchFlags(d, args[1:])
	if err != nil {
		return err
	}
	return benchIntake(ctx, d, cfg)
}

// newFlagSet starts the flags of a bench command, writing its errors to d.Stderr.
func newFlagSet(d Deps, name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(d.Stderr)
	return fs
}

// envString declares a string flag that defaults to its SWITCHYARD_ variable,
// as the flags of every switchyard command do.
func envString(fs *flag.FlagSet, d Deps, name, help string) *string {
	env := "SWITCHYARD_" + strings.ToUpper(name)
	return fs.String(name, d.Getenv(env), help+" ($"+env+")")
}

// demoOf is the demo over a, which a bench seeds its database with.
func demoOf(a *app.App) *demo.Service { return demo.New(a, accounts.New(a)) }
