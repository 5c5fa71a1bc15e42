package ops

import (
	store "switchyard/sql"

	"context"
	"fmt"
	"strings"

	"switchyard/migrations"
)

// Ready reports whether the database answers and its schema is current.
func (a *Service) Ready(ctx context.Context) error {
	if err := a.core.DB().Ping(ctx); err != nil {
		return fmt.Errorf("database does not answer: %w", err)
	}
	st, err := a.core.DB().Migrations(ctx, migrations.FS)
	if err != nil {
		return err
	}
	if len(st.Pending) > 0 {
		return fmt.Errorf("migrations not applied: %s", strings.Join(st.Pending, ", "))
	}
	if len(st.Unknown) > 0 {
		return fmt.Errorf("database is newer than this binary: %s", strings.Join(st.Unknown, ", "))
	}
	return nil
}

// InvariantReport says whether stock adds up everywhere: every level equals
// the sums of its ledger and is not negative, and its reserved quantity equals
// the open fulfillment lines at that location; and whether the chains that
// read a level's ledger and a SKU's order lines are whole; and whether what
// kits allow, as kept, is what their components give (migrations/0038).
type InvariantReport struct {
	Levels             int64
	LedgerMismatches   int
	ReservedMismatches int
	ChainBreaks        int64
	// KitSplitMismatches counts kits split over locations whose lines
	// disagree (migrations/0039_kit_split.sql).
	KitSplitMismatches int
	// KitMismatches counts kept kit rows (migrations/0038_kit_levels.sql)
	// that differ from what the kits' parts give.
	KitMismatches int
}

// OK reports whether every invariant holds.
func (r InvariantReport) OK() bool {
	return r.LedgerMismatches == 0 && r.ReservedMismatches == 0 && r.ChainBreaks == 0 && r.KitSplitMismatches == 0 &&
		r.KitMismatches == 0
}

// CheckInvariants checks the stock invariants on one consistent snapshot.
func (a *Service) CheckInvariants(ctx context.Context) (InvariantReport, error) {
	var r InvariantReport
	err := a.core.DB().Snapshot(ctx, func(q *store.Queries) error {
		n, err := q.CountStockLevels(ctx)
		if err != nil {
			return err
		}
		r.Levels = n
		ledger, err := q.LedgerMismatches(ctx)
		if err != nil {
			return err
		}
		reserved, err := q.ReservationMismatches(ctx)
		if err != nil {
			return err
		}
		r.LedgerMismatches, r.ReservedMismatches = len(ledger), len(reserved)
		split, err := q.KitSplitMismatches(ctx)
		if err != nil {
			return err
		}
		r.KitSplitMismatches = len(split)
		r.ChainBreaks, err = q.ChainBreaks(ctx)
		if err != nil {
			return err
		}
		kits, err := q.KitLevelMismatches(ctx)
		r.KitMismatches = len(kits)
		return err
	})
	if err != nil {
		return r, fmt.Errorf("check invariants: %w", err)
	}
	return r, nil
}
