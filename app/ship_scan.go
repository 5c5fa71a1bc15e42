package app

import (
	"context"
	"fmt"
	"strings"

	store "switchyard/sql"
)

// ScanCodes maps what a scan may read (a SKU's barcode or code, trimmed and
// upper-cased) to the SKU's code, for the SKUs of one fulfillment. A code
// that reads as two of them (a shared barcode) maps to "": it is ambiguous,
// and counts as neither.
type ScanCodes map[string]string

// NormScan is a scanned code as it is compared: trimmed, case ignored.
func NormScan(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// SKU returns the SKU a scan reads as, if it is one of these.
func (c ScanCodes) SKU(scan string) (string, bool) {
	sku, ok := c[NormScan(scan)]
	return sku, ok && sku != "" && NormScan(scan) != ""
}

// Ambiguous reports whether a scan reads as several of the SKUs.
func (c ScanCodes) Ambiguous(scan string) bool {
	sku, ok := c[NormScan(scan)]
	return ok && sku == ""
}

// Count counts scans per SKU; unknown is the first scan that reads as none of them.
func (c ScanCodes) Count(scans []string) (counts map[string]int64, unknown string) {
	counts = map[string]int64{}
	for _, s := range scans {
		sku, ok := c.SKU(s)
		if !ok {
			return counts, strings.TrimSpace(s)
		}
		counts[sku]++
	}
	return counts, ""
}

// ScanCodesOf reads the codes a scan may read for these SKUs.
func (a *App) ScanCodesOf(ctx context.Context, skus []string) (ScanCodes, error) {
	return scanCodes(ctx, a.Read(), skus)
}

// scanCodes reads the SKUs' barcodes: a barcode wins over another SKU's code.
func scanCodes(ctx context.Context, q *store.Queries, skus []string) (ScanCodes, error) {
	out := ScanCodes{}
	if len(skus) == 0 {
		return out, nil
	}
	rows, err := q.ListSkuScanCodes(ctx, skus)
	if err != nil {
		return nil, fmt.Errorf("sku barcodes: %w", err)
	}
	add := func(key, sku string) {
		if key == "" {
			return
		}
		if cur, taken := out[key]; taken && cur != sku {
			out[key] = "" // reads as two SKUs: neither
			return
		}
		out[key] = sku
	}
	for _, r := range rows {
		add(NormScan(r.Code), r.Code)
		add(NormScan(r.Barcode), r.Code)
	}
	return out, nil
}

// checkScans refuses a shipment from a location that requires scanning
// unless the scans count exactly what leaves, SKU by SKU (field "scans").
// It reports whether the scans were checked.
func checkScans(ctx context.Context, tx Tx, f store.GetFulfillmentRow, lines []store.ListFulfillmentLinesRow, plan map[int64]int64, scans []string) (bool, error) {
	loc, err := tx.Q.GetLocation(ctx, f.LocationID)
	if err != nil {
		return false, fmt.Errorf("get location: %w", err)
	}
	if loc.ScanToShip != 1 {
		return false, nil
	}
	want, skus, err := scansWanted(ctx, tx, f, lines, plan)
	if err != nil {
		return false, err
	}
	codes, err := scanCodes(ctx, tx.Q, skus)
	if err != nil {
		return false, err
	}
	got, unknown := codes.Count(scans)
	if unknown != "" {
		return false, InvalidField("scans", scanRefusal(codes, unknown))
	}
	for _, sku := range skus {
		if got[sku] != want[sku] {
			return false, InvalidField("scans", fmt.Sprintf("%s requires every unit that leaves scanned: %d × %s to ship, %d scanned", f.LocationName, want[sku], sku, got[sku]))
		}
	}
	return true, nil
}

// scansWanted is how many units of each SKU leave (skus in line order): a
// plain line's own SKU, a kit line's parts (scanned one by one, as packed).
func scansWanted(ctx context.Context, tx Tx, f store.GetFulfillmentRow, lines []store.ListFulfillmentLinesRow, plan map[int64]int64) (map[string]int64, []string, error) {
	want, skus := map[string]int64{}, []string{}
	for _, l := range lines {
		moves, err := lineMoves(ctx, tx, f.ID, l.OrderLineID, LevelKey{SKU: l.SkuID, Location: f.LocationID}, l.Sku)
		if err != nil {
			return nil, nil, err
		}
		for _, m := range moves {
			if _, seen := want[m.code]; !seen {
				skus = append(skus, m.code)
			}
			want[m.code] += plan[l.OrderLineID] * m.per
		}
	}
	return want, skus, nil
}

// putScanToShip stores whether location id requires scanning to ship, when asked.
func putScanToShip(ctx context.Context, tx Tx, id int64, scan *bool) error {
	if scan == nil {
		return nil
	}
	if err := tx.Q.SetLocationScanToShip(ctx, store.SetLocationScanToShipParams{ScanToShip: BoolInt(*scan), ID: id}); err != nil {
		return fmt.Errorf("location scan to ship: %w", err)
	}
	return nil
}

// scanRefusal says why a scan counts as no item, its text clipped.
func scanRefusal(codes ScanCodes, scan string) string {
	shown := Quote(Clip(scan, 100, -1))
	if codes.Ambiguous(scan) {
		return shown + " is the barcode or code of several items of this shipment: scan their SKU codes"
	}
	return shown + " is not an item of this shipment"
}
