package desk

import (
	"context"
	"fmt"

	"switchyard/app"
	store "switchyard/sql"
)

// ReturnRatesShown is how many SKUs the dashboard's return rate names.
const ReturnRatesShown = 10

// ReturnRate is one SKU's units returned against its units shipped over the dashboard's days.
type ReturnRate struct {
	SKU      string
	Returned int64
	Shipped  int64
}

// Percent is the rate in whole percent (0 when nothing shipped in the days).
func (r ReturnRate) Percent() int64 {
	if r.Shipped == 0 {
		return 0
	}
	return (r.Returned*100 + r.Shipped/2) / r.Shipped
}

// ReasonCount is the units returned for one reason over the dashboard's days.
type ReasonCount struct {
	Reason string
	Units  int64
}

// ReturnsPanel is the dashboard's returns panel.
type ReturnsPanel struct {
	BySKU    []ReturnRate  // the SKUs with the most units returned, most first
	ByReason []ReasonCount // every reason given, most first
}

// readReturns reads the returns panel: the return rate of the most returned
// SKUs and the units per reason, over the dashboard's UTC days.
func (d *Dashboard) readReturns(ctx context.Context, qs *store.Queries) error {
	since := (app.Millis(d.Now)/dayMS - DashboardDays + 1) * dayMS
	var err error
	if d.Returns.BySKU, err = returnRates(ctx, qs, since); err != nil {
		return err
	}
	reasons, err := qs.ReturnedUnitsByReason(ctx, since)
	if err != nil {
		return fmt.Errorf("returned units by reason: %w", err)
	}
	for _, r := range reasons {
		d.Returns.ByReason = append(d.Returns.ByReason, ReasonCount{Reason: r.Reason, Units: r.Units})
	}
	return nil
}

// returnRates are the most returned SKUs since `since`, with their units shipped since then.
func returnRates(ctx context.Context, qs *store.Queries, since int64) ([]ReturnRate, error) {
	skus, err := qs.ReturnedUnitsBySKU(ctx, store.ReturnedUnitsBySKUParams{Since: since, Lim: ReturnRatesShown})
	if err != nil || len(skus) == 0 {
		return nil, wrapErr("returned units by SKU", err)
	}
	codes := make([]string, len(skus))
	for i, s := range skus {
		codes[i] = s.Sku
	}
	rows, err := qs.ShippedUnitsOfSKUs(ctx, store.ShippedUnitsOfSKUsParams{Since: since, Codes: codes})
	if err != nil {
		return nil, fmt.Errorf("shipped units: %w", err)
	}
	shipped := make(map[string]int64, len(rows))
	for _, r := range rows {
		shipped[r.Code] = r.Units
	}
	out := make([]ReturnRate, len(skus))
	for i, s := range skus {
		out[i] = ReturnRate{SKU: s.Sku, Returned: s.Units, Shipped: shipped[s.Sku]}
	}
	return out, nil
}
