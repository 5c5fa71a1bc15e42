package search

import (
	"switchyard/app"

	"context"
	"fmt"
	"time"
)

// Orders enter the search index in batches, after their intake (migration
// 0014): the intake's transaction stays short, and FTS5 builds one segment
// for many orders instead of one for each.
const (
	searchIndexBatch = 5000                   // orders indexed by one write transaction (see LimitBatch)
	searchIndexEvery = 250 * time.Millisecond // how often serve indexes new orders
)

// IndexSearch puts every order not yet in the search index into it, in
// write transactions of up to a.batch orders, and returns how many.
func (a *Service) IndexSearch(ctx context.Context) (int64, error) {
	var total int64
	for {
		lag, err := a.core.Read().SearchIndexLag(ctx)
		if err != nil {
			return total, fmt.Errorf("search index lag: %w", err)
		}
		if lag.Newest <= lag.Upto {
			return total, nil
		}
		through := min(lag.Newest, lag.Upto+a.batch)
		err = a.core.Write(ctx, func(tx app.Tx) error {
			n, err := tx.Q.IndexOrdersForSearch(ctx, through)
			if err != nil {
				return fmt.Errorf("index orders for search: %w", err)
			}
			total += n
			return tx.Q.SetSearchIndexedThrough(ctx, through)
		})
		if err != nil {
			return total, err
		}
	}
}

// RunSearchIndexer indexes new orders every searchIndexEvery until ctx ends.
// A failure is logged; the next round tries again.
func (a *Service) RunSearchIndexer(ctx context.Context) error {
	tick := time.NewTicker(searchIndexEvery)
	defer tick.Stop()
	for {
		if _, err := a.IndexSearch(ctx); err != nil && ctx.Err() == nil {
			a.core.Log().Error("index orders for search", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}
