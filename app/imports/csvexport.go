package imports

import (
	"switchyard/app"

	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"switchyard/app/money"
	store "switchyard/sql"
)

// csvExportPage is how many rows an export reads at a time.
const csvExportPage = 1000

// ExportCSV writes every row of kind to w as CSV, header first, in the
// columns ImportCSV reads, from one consistent snapshot read page by page.
// A cell a spreadsheet would read as a formula is written with a leading
// quote (csvEscapeCell), which the import drops again.
func (a *Service) ExportCSV(ctx context.Context, actor app.Actor, kind string, w io.Writer) error {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return err
	}
	if err := checkCSVKind(kind); err != nil {
		return err
	}
	cw := newCSVSafeWriter(csv.NewWriter(w))
	if err := cw.Write(csvColumns[kind]); err != nil {
		return fmt.Errorf("write %s header: %w", kind, err)
	}
	err := a.core.DB().Snapshot(ctx, func(q *store.Queries) error {
		switch kind {
		case CSVSKUs:
			return csvExportSKUs(ctx, q, cw)
		case CSVLocations:
			return csvExportLocations(ctx, q, cw)
		case CSVOrders:
			return csvExportOrders(ctx, q, cw)
		default:
			return csvExportStock(ctx, q, cw)
		}
	})
	if err != nil {
		return fmt.Errorf("export %s: %w", kind, err)
	}
	cw.Flush()
	return cw.Error()
}

// csvExportSKUs writes every SKU, by code.
func csvExportSKUs(ctx context.Context, q *store.Queries, cw *csvSafeWriter) error {
	after := ""
	for {
		rows, err := q.CSVExportSKUs(ctx, store.CSVExportSKUsParams{After: after, Lim: csvExportPage})
		if err != nil {
			return fmt.Errorf("list SKUs: %w", err)
		}
		for _, r := range rows {
			comps := []app.Component{}
			if r.IsKit == 1 {
				if comps, err = app.KitComponents(ctx, q, r.ID); err != nil {
					return err
				}
			}
			rec := []string{r.Code, r.Name, r.Barcode, csvInt(r.WeightGrams), csvPipes(r.Tags), csvBool(r.Active), csvComponents(comps)}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		if len(rows) < csvExportPage {
			return nil
		}
		after = rows[len(rows)-1].Code
		if err := csvFlush(cw); err != nil {
			return err
		}
	}
}

// csvExportLocations writes every location with its channels; there are few.
func csvExportLocations(ctx context.Context, q *store.Queries, cw *csvSafeWriter) error {
	rows, err := q.ListLocations(ctx)
	if err != nil {
		return fmt.Errorf("list locations: %w", err)
	}
	links, err := q.ListAllLocationChannels(ctx)
	if err != nil {
		return fmt.Errorf("list location channels: %w", err)
	}
	channels := map[int64][]string{}
	for _, l := range links {
		channels[l.LocationID] = append(channels[l.LocationID], l.Code)
	}
	for _, r := range rows {
		if err := cw.Write(csvLocationRecord(r, channels[r.ID])); err != nil {
			return err
		}
	}
	return nil
}

// csvLocationRecord is the CSV record of one location; approximate coordinates
// (a country's centroid) are left empty, as they were given.
func csvLocationRecord(r store.Location, channels []string) []string {
	lat, lon := "", ""
	if r.ApproxCoords == 0 {
		lat, lon = strconv.FormatFloat(r.Lat, 'f', -1, 64), strconv.FormatFloat(r.Lon, 'f', -1, 64)
	}
	return []string{
		r.Code, r.Name, r.Kind, r.Line1, r.Line2, r.City, r.Region, r.PostalCode, r.Country,
		lat, lon, r.Timezone, csvBool(r.Ships), csvBool(r.Pickup), csvInt(r.DailyCapacity), r.Cutoff,
		csvInt(r.HandlingDays), csvInt(r.Rank), csvPipes(r.Tags), strings.Join(channels, "|"), csvBool(r.Active),
		csvBool(r.AcceptsReturns), r.HandlingCurrency, csvHandling(r.HandlingPerShipment, r.HandlingCurrency),
		csvHandling(r.HandlingPerUnit, r.HandlingCurrency), csvBool(r.ScanToShip),
	}
}

// csvHandling is a handling cost in its currency ("1.50"), empty when zero.
func csvHandling(minor int64, currency string) string {
	if minor == 0 {
		return ""
	}
	cur, ok := money.LookupCurrency(currency)
	if !ok {
		cur = money.Currency{Code: currency, Exponent: 2}
	}
	return money.Format(minor, cur)
}

// csvExportStock writes every stock level, in key order; the note column stays empty.
func csvExportStock(ctx context.Context, q *store.Queries, cw *csvSafeWriter) error {
	var afterSKU, afterLoc int64
	for {
		rows, err := q.CSVExportStock(ctx, store.CSVExportStockParams{AfterSku: afterSKU, AfterLocation: afterLoc, Lim: csvExportPage})
		if err != nil {
			return fmt.Errorf("list stock: %w", err)
		}
		for _, r := range rows {
			if err := cw.Write([]string{r.Location, r.Sku, csvInt(r.OnHand), csvInt(r.SafetyStock), ""}); err != nil {
				return err
			}
		}
		if len(rows) < csvExportPage {
			return nil
		}
		afterSKU, afterLoc = rows[len(rows)-1].SkuID, rows[len(rows)-1].LocationID
		if err := csvFlush(cw); err != nil {
			return err
		}
	}
}

// csvFlush sends what the writer holds, so that a long export streams.
func csvFlush(cw *csvSafeWriter) error {
	cw.Flush()
	return cw.Error()
}

// csvInt formats a stored integer.
func csvInt(v int64) string { return strconv.FormatInt(v, 10) }

// csvBool writes a stored 0/1 as false/true.
func csvBool(v int64) string { return strconv.FormatBool(v == 1) }

// csvPipes turns the stored comma-separated tags into a |-separated cell.
func csvPipes(tags string) string { return strings.ReplaceAll(tags, ",", "|") }
