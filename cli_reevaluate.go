package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"switchyard/app"
)

// reevaluateFlags are serve's settings of the periodic re-evaluation of
// fulfillments not yet accepted (app.Reevaluate).
type reevaluateFlags struct {
	every     *string
	minSaving *string
	interval  time.Duration
}

// addReevaluateFlags declares --reevaluate-every and --reevaluate-min-saving.
// The pass is off by default: it moves work between locations' queues, which
// a network opts into (the exceptions page's button runs it by hand).
func addReevaluateFlags(fs *flagSet) *reevaluateFlags {
	return &reevaluateFlags{
		every: fs.str("reevaluate-every", "0", "how often fulfillments not yet accepted are re-evaluated and moved "+
			"where the stock now ships them cheaper, e.g. 15m (0: never)"),
		minSaving: fs.str("reevaluate-min-saving", app.DefaultReevaluateMinSaving,
			"what a re-evaluation must save to move an order, in major units of the order's currency"),
	}
}

// check reads the flags, refusing what is not a duration or an amount.
func (f *reevaluateFlags) check() error {
	d, err := time.ParseDuration(*f.every)
	if err != nil || d < 0 {
		return fmt.Errorf("--reevaluate-every %q is not a duration like 15m (0 turns the re-evaluation off)", *f.every)
	}
	if _, err := app.ParseMinSaving(*f.minSaving); err != nil {
		return fmt.Errorf("--reevaluate-min-saving %q is not an amount like 1.00", *f.minSaving)
	}
	f.interval = d
	return nil
}

// start runs the periodic pass on the leader (when on); the function it returns stops it.
func (f *reevaluateFlags) start(ctx context.Context, a *app.App, isLeader func(context.Context) bool, log *slog.Logger) (stop func()) {
	if f.interval == 0 {
		return func() {}
	}
	opts := app.ReevaluateOptions{MinSaving: *f.minSaving}
	run := func(ctx context.Context) error { a.RunReevaluate(ctx, f.interval, opts); return nil }
	log.Info("fulfillments not yet accepted are re-evaluated", "every", f.interval.String(), "min_saving", *f.minSaving)
	return background(ctx, log, "re-evaluation", leaderOnly(isLeader, log, "re-evaluation", run))
}
