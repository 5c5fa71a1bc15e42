package main

import (
	"context"
	"io"
	"net/http"

	"switchyard/app"
	"switchyard/app/bench"
	"switchyard/web"
)

// cmdBench runs `switchyard bench intake|webhooks|routing-quality` (app/bench) on a server
// wired as cmdServe wires it, whose logs go nowhere (run has tuned the GC).
func cmdBench(ctx context.Context, env cliEnv, args []string) error {
	log := newLogger(cliEnv{getenv: env.getenv, stderr: io.Discard})
	return bench.Run(ctx, bench.Deps{
		Getenv: env.getenv, Stdout: env.stdout, Stderr: env.stderr, Log: log,
		Open: func(ctx context.Context, dbPath string) (*app.App, error) {
			return openApp(ctx, dbPath, log)
		},
		Handler: func(ctx context.Context, a *app.App) (http.Handler, error) {
			svc := web.NewServices(a, nil)
			keys, err := svc.Accounts.SessionKeys(ctx, env.getenv("SWITCHYARD_SESSION_KEY"))
			if err != nil {
				return nil, err
			}
			return web.New(web.Config{App: a, Services: svc, Log: log, SessionKeys: keys, Version: version}), nil
		},
	}, args)
}
