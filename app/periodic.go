package app

import (
	"context"
	"time"
)

// RunEvery runs fn now and then every interval until ctx ends, logging a
// failure under what, and how many things fn did when it did any: serve's
// daily housekeeping (the audit purge, the anonymisation of old orders).
func (a *App) RunEvery(ctx context.Context, every time.Duration, what string, fn func(context.Context) (int64, error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := fn(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Error(what, "err", err)
		case n > 0:
			a.log.Info(what, "done", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
