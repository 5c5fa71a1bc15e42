package store

import (
	"context"
	"fmt"
)

// InvariantProblems checks, on what q sees, every invariant the tests hold
// the store to, and describes each that does not hold (none: all hold): at
// every stock level reserved equals the open fulfillment lines there, and on
// hand and reserved their ledger sums; each order line's reserved equals its
// open fulfillment lines (a split kit once), the lines of a split kit agree,
// every open fulfillment carries its order's priority, and the kept kit rows
// equal what the kits' components give.
func (q *Queries) InvariantProblems(ctx context.Context) ([]string, error) {
	var out []string
	add := func(what string, rows any, n int, err error) error {
		if err != nil {
			return fmt.Errorf("invariant %q: %w", what, err)
		}
		if n > 0 {
			out = append(out, fmt.Sprintf("%s: %+v", what, rows))
		}
		return nil
	}
	reserved, err := q.ReservationMismatches(ctx)
	if err := add("reserved differs from open fulfillment lines", reserved, len(reserved), err); err != nil {
		return nil, err
	}
	ledger, err := q.LedgerMismatches(ctx)
	if err := add("levels differ from their ledger", ledger, len(ledger), err); err != nil {
		return nil, err
	}
	split, err := q.KitSplitMismatches(ctx)
	if err := add("kits split over locations whose lines disagree", split, len(split), err); err != nil {
		return nil, err
	}
	lines, err := q.LineReservedMismatches(ctx)
	if err := add("order lines' reserved differs from their open fulfillment lines", lines, len(lines), err); err != nil {
		return nil, err
	}
	prio, err := q.PriorityMismatches(ctx)
	if err := add("open fulfillments' priority differs from their order's", prio, len(prio), err); err != nil {
		return nil, err
	}
	kits, err := q.KitLevelMismatches(ctx)
	if err := add("kept kit parts or levels differ from their components", kits, len(kits), err); err != nil {
		return nil, err
	}
	return out, nil
}
