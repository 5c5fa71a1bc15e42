package app

import (
	"context"
	"fmt"
	"math"
	"strings"

	"switchyard/app/money"
	store "switchyard/sql"
)

// reevaluatedEvent is the timeline entry of a re-evaluation: the parcels and
// locations before and after, the saving, and what moved the stock.
func reevaluatedEvent(r *reevaluation) NewEvent {
	d := r.rec.Decision
	after := make([]string, 0, len(d.Shipments))
	for _, s := range d.Shipments {
		after = append(after, s.LocationName)
	}
	before := make([]string, 0, len(r.pending))
	for _, f := range r.pending {
		before = append(before, f.LocationName)
	}
	what := "Re-evaluated"
	if len(r.kept) > 0 {
		what = fmt.Sprintf("Re-evaluated the part not yet accepted (what %s accepted stays there)", andList(r.kept))
	}
	msg := fmt.Sprintf("%s: now ships in %s from %s instead of %s from %s; saves %s (%s instead of %s).",
		what, parcels(len(after)), andList(uniqueStrings(after)), parcels(len(before)), andList(uniqueStrings(before)),
		moneyWords(r.rec.Saving, r.cur.Code), moneyWords(d.Cost.Total, r.cur.Code), moneyWords(r.rec.Current.Total, r.cur.Code))
	if r.why != "" {
		msg += " " + r.why
	}
	return NewEvent{Kind: "reevaluated", Message: msg, Data: map[string]any{
		"saving": money.Format(r.rec.Saving, r.cur), "currency": r.cur.Code,
		"before": uniqueStrings(before), "after": uniqueStrings(after),
	}}
}

// parcels is "1 parcel" or "2 parcels".
func parcels(n int) string { return fmt.Sprintf("%d parcel%s", n, Plural(n)) }

// andList joins words as a sentence does: "a", "a and b", "a, b and c".
func andList(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// stockMovesShown is how many stock movements a re-evaluation's entry names.
const stockMovesShown = 3

// stockMovesRead is how many ledger rows of a level are read for them.
const stockMovesRead = 50

// stockMovedWords says what freed the stock the new assignment takes since
// the order's pending fulfillments were made: "Stock moved since it was
// routed (a cancellation of SY-1002 freed 2 x TEE at Lyon warehouse)."
func stockMovedWords(ctx context.Context, q *store.Queries, r *reevaluation) (string, error) {
	var since int64 = math.MaxInt64
	had := map[string]bool{} // location and SKU the order held already
	for _, f := range r.pending {
		since = min(since, Millis(f.CreatedAt))
		for _, l := range f.Lines {
			had[f.Location+"\x00"+l.SKU] = true
		}
	}
	var moves []string
	for _, s := range r.rec.Decision.Shipments {
		for _, a := range s.Lines {
			if had[s.Location+"\x00"+a.SKU] || len(moves) >= stockMovesShown {
				continue
			}
			had[s.Location+"\x00"+a.SKU] = true
			words, err := levelMoves(ctx, q, r, s.Location, s.LocationName, a.SKU, since)
			if err != nil {
				return "", err
			}
			moves = append(moves, words...)
		}
	}
	if len(moves) == 0 {
		return "Stock moved since it was routed.", nil
	}
	return "Stock moved since it was routed (" + strings.Join(moves[:min(len(moves), stockMovesShown)], "; ") + ").", nil
}

// levelMoves names what raised the free stock of a SKU at a location since
// a time: releases of other orders, receipts, returns, counts and adjustments.
func levelMoves(ctx context.Context, q *store.Queries, r *reevaluation, loc, locName, sku string, since int64) ([]string, error) {
	locID, skuID := r.plan.locIDs[loc], r.plan.skuIDs[sku]
	rows, err := q.LedgerOf(ctx, store.LedgerOfParams{Before: math.MaxInt64, Lim: stockMovesRead, SkuID: skuID, LocationID: locID})
	if err != nil {
		return nil, fmt.Errorf("ledger of %s at %s: %w", sku, loc, err)
	}
	var out []string
	for _, row := range rows {
		if row.At < since {
			break
		}
		if w := ledgerWords(ctx, q, row, r.number, locName, sku); w != "" {
			out = append(out, w)
		}
	}
	return out, nil
}

// ledgerWords says in words what a ledger row freed, or "" when it freed nothing.
func ledgerWords(ctx context.Context, q *store.Queries, row store.LedgerOfRow, self, locName, sku string) string {
	at := " at " + locName
	switch {
	case row.Reason == ReasonRelease && row.DeltaReserved < 0 && row.Reference != self:
		what := "order " + row.Reference + " gave back"
		if o, err := q.GetOrderByNumber(ctx, row.Reference); err == nil && o.Cancelled == 1 {
			what = "a cancellation of " + row.Reference + " freed"
		}
		return fmt.Sprintf("%s %d x %s%s", what, -row.DeltaReserved, sku, at)
	case row.DeltaOnHand > 0 && row.Reason == ReasonReceipt:
		return fmt.Sprintf("a receipt brought %d x %s%s", row.DeltaOnHand, sku, at)
	case row.DeltaOnHand > 0 && row.Reason == ReasonReturn:
		return fmt.Sprintf("a return brought back %d x %s%s", row.DeltaOnHand, sku, at)
	case row.DeltaOnHand > 0:
		return fmt.Sprintf("a %s added %d x %s%s", row.Reason, row.DeltaOnHand, sku, at)
	}
	return ""
}
