package imports

import (
	"switchyard/app"

	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"switchyard/app/money"
	store "switchyard/sql"
)

// CSVOrders is the kind of CSV file that holds orders, one row per order line.
const CSVOrders = "orders"

// csvOrderColumns are the columns of an orders file: the order's own columns
// (given on its first row; later rows may leave them empty or repeat them)
// and the line's.
var csvOrderColumns = []string{
	"channel", "external_id", "channel_ref", "placed_at", "currency",
	"customer_email", "customer_name", "customer_phone",
	"ship_name", "ship_line1", "ship_line2", "ship_city", "ship_region", "ship_postal_code", "ship_country",
	"ship_phone", "ship_lat", "ship_lon", "delivery", "pickup_location", "shipping_price", "tags", "note",
	"line_external_id", "sku", "line_name", "quantity", "unit_price",
}

// csvOrderLineColumns are the columns that belong to each line rather than the order.
var csvOrderLineColumns = map[string]bool{"line_external_id": true, "sku": true, "line_name": true, "quantity": true, "unit_price": true}

// csvOrderGroup is the rows of one order in a file.
type csvOrderGroup struct {
	rows []csvRow
	in   app.NewOrder
	v    app.ValidOrder
}

// csvOrderImporter takes orders in from a file, grouping rows by (channel, external id).
type csvOrderImporter struct {
	a      *Service
	actor  app.Actor
	groups []*csvOrderGroup
}

// check groups the rows into orders and validates each like the API does,
// reporting each problem on the row (line) and column it comes from.
func (imp *csvOrderImporter) check(ctx context.Context, f *csvFile, p *csvProblems, prog *importProgress) error {
	byKey := map[[2]string]*csvOrderGroup{}
	err := f.each(p, prog, func(row csvRow) error {
		key := [2]string{f.get(row, "channel"), f.get(row, "external_id")}
		g := byKey[key]
		if g == nil {
			g = &csvOrderGroup{}
			byKey[key] = g
			imp.groups = append(imp.groups, g)
		}
		g.rows = append(g.rows, row)
		return nil
	})
	if err != nil {
		return err
	}
	now := imp.a.core.Now()
	for _, g := range imp.groups {
		fields := csvOrderInput(f, g)
		v, err := app.CheckNewOrder(&g.in, now)
		app.MergeFields(fields, err)
		if len(fields) == 0 {
			err := imp.a.core.DB().Snapshot(ctx, func(q *store.Queries) error {
				_, err := app.ResolveOrder(ctx, app.Tx{Q: q, Now: now}, imp.actor, g.in)
				app.MergeFields(fields, err)
				if err != nil && len(fields) == 0 {
					return err
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		g.v = v
		reportOrderFields(f, g, fields, p)
	}
	return nil
}

// csvOrderInput builds the order of a group of rows, noting cells that cannot
// be read and order columns that differ from the first row.
func csvOrderInput(f *csvFile, g *csvOrderGroup) app.FieldsError {
	fields := app.FieldsError{}
	first := g.rows[0]
	get := func(col string) string { return f.get(first, col) }
	in := app.NewOrder{
		Channel: get("channel"), ExternalID: get("external_id"), ChannelRef: get("channel_ref"), Currency: get("currency"),
		Customer:      app.CustomerInput{Email: get("customer_email"), Name: get("customer_name"), Phone: get("customer_phone")},
		Delivery:      app.DeliveryInput{Method: get("delivery"), Location: get("pickup_location")},
		ShippingPrice: money.Decimal(get("shipping_price")), Tags: csvSplit(get("tags")), Note: get("note"),
	}
	if raw := get("placed_at"); raw != "" {
		t, err := time.Parse(time.RFC3339, raw)
		if err != nil {
			fields.Add("placed_at", "must be a time like 2026-11-26T10:00:00Z, not "+app.Quote(raw))
		} else {
			in.PlacedAt = &t
		}
	}
	if get("ship_line1") != "" || get("ship_city") != "" || get("ship_country") != "" {
		in.ShippingAddress = &app.AddressInput{
			Name: get("ship_name"), Line1: get("ship_line1"), Line2: get("ship_line2"), City: get("ship_city"),
			Region: get("ship_region"), PostalCode: get("ship_postal_code"), Country: get("ship_country"), Phone: get("ship_phone"),
			Lat: parseCSVFloat(fields, "shipping_address.lat", get("ship_lat")),
			Lon: parseCSVFloat(fields, "shipping_address.lon", get("ship_lon")),
		}
	}
	for i, row := range g.rows {
		q, err := strconv.ParseInt(f.get(row, "quantity"), 10, 64)
		if err != nil {
			fields.Add(fmt.Sprintf("lines[%d].quantity", i), "must be a whole number, not "+app.Quote(f.get(row, "quantity")))
		}
		in.Lines = append(in.Lines, app.LineInput{
			ExternalID: f.get(row, "line_external_id"), SKU: f.get(row, "sku"), Name: f.get(row, "line_name"),
			Quantity: q, UnitPrice: money.Decimal(f.get(row, "unit_price")),
		})
		if i > 0 {
			checkSameOrder(f, first, row, i, fields)
		}
	}
	g.in = in
	return fields
}

// checkSameOrder notes order columns of a later row that differ from the order's first row.
func checkSameOrder(f *csvFile, first, row csvRow, i int, fields app.FieldsError) {
	for _, col := range csvOrderColumns {
		if csvOrderLineColumns[col] {
			continue
		}
		if v := f.get(row, col); v != "" && v != f.get(first, col) {
			fields.Add(fmt.Sprintf("row[%d].%s", i, col), fmt.Sprintf("differs from the order's first row (line %d)", first.line))
		}
	}
}

// linePath matches the field paths of one line (lines[2].sku) and of one row (row[2].currency).
var linePath = regexp.MustCompile(`^(?:lines|row)\[(\d+)\]\.?(.*)$`)

// reportOrderFields puts each problem of an order on the line and column it comes from.
func reportOrderFields(f *csvFile, g *csvOrderGroup, fields app.FieldsError, p *csvProblems) {
	byLine := map[int]app.FieldsError{}
	for path, msg := range fields {
		row, col := g.rows[0], orderColumn(path)
		if m := linePath.FindStringSubmatch(path); m != nil {
			i, _ := strconv.Atoi(m[1])
			if i < len(g.rows) {
				row = g.rows[i]
			}
			col = orderColumn(m[2])
			if strings.HasPrefix(path, "lines[") {
				col = lineColumn(m[2])
			}
		}
		if byLine[row.line] == nil {
			byLine[row.line] = app.FieldsError{}
		}
		byLine[row.line].Add(col, msg)
	}
	for _, row := range g.rows {
		if fe := byLine[row.line]; len(fe) > 0 {
			p.addFields(row.line, f, fe)
		}
	}
}

// orderColumn names the file column of an order's field path.
func orderColumn(path string) string {
	switch {
	case strings.HasPrefix(path, "customer."):
		return "customer_" + strings.TrimPrefix(path, "customer.")
	case strings.HasPrefix(path, "shipping_address."):
		return "ship_" + strings.TrimPrefix(path, "shipping_address.")
	case path == "shipping_address":
		return "ship_line1"
	case path == "delivery.method":
		return "delivery"
	case path == "delivery.location":
		return "pickup_location"
	case path == "lines":
		return "sku"
	}
	return path
}

// lineColumn names the file column of a line's field.
func lineColumn(field string) string {
	switch field {
	case "external_id":
		return "line_external_id"
	case "name":
		return "line_name"
	}
	return field
}

// apply takes every order in; orders already taken in (same channel and external id) are left as they are.
func (imp *csvOrderImporter) apply(ctx context.Context, tx app.Tx, prog *importProgress) error {
	for _, g := range imp.groups {
		if _, err := app.PlaceOrderInTx(ctx, tx, imp.actor, g.in, g.v, nil); err != nil {
			return fmt.Errorf("order %s: %w", g.in.ExternalID, err)
		}
		for range g.rows {
			prog.step()
		}
	}
	return nil
}

// csvExportOrders writes every order line with its order, in the columns the import reads.
func csvExportOrders(ctx context.Context, q *store.Queries, cw *csvSafeWriter) error {
	var afterOrder, afterLine int64
	for {
		rows, err := q.CSVExportOrderLines(ctx, store.CSVExportOrderLinesParams{AfterOrder: afterOrder, AfterLine: afterLine, Lim: csvExportPage})
		if err != nil {
			return fmt.Errorf("list order lines: %w", err)
		}
		for _, r := range rows {
			if err := cw.Write(csvOrderRecord(r)); err != nil {
				return err
			}
		}
		if len(rows) < csvExportPage {
			return nil
		}
		last := rows[len(rows)-1]
		afterOrder, afterLine = last.OrderID, last.LineNo
	}
}

// csvOrderRecord is one exported order line, money in the currency's unit.
func csvOrderRecord(r store.CSVExportOrderLinesRow) []string {
	cur, ok := money.LookupCurrency(r.Currency)
	if !ok {
		cur = money.Currency{Code: r.Currency, Exponent: 2}
	}
	return []string{
		r.Channel, r.ExternalID, r.ChannelRef, app.FromMillis(r.PlacedAt).Format(time.RFC3339), r.Currency,
		r.CustomerEmail, r.CustomerName, r.CustomerPhone, r.ShipName, r.ShipLine1, r.ShipLine2, r.ShipCity,
		r.ShipRegion, r.ShipPostalCode, r.ShipCountry, r.ShipPhone, csvNullFloat(r.ShipLat), csvNullFloat(r.ShipLon),
		r.Delivery, r.PickupLocation, money.Format(r.ShippingPrice, cur), csvPipes(r.Tags), r.Note,
		r.LineExternalID, r.Sku, r.LineName, strconv.FormatInt(r.Quantity, 10), money.Format(r.UnitPrice, cur),
	}
}

// csvNullFloat writes an optional coordinate.
func csvNullFloat(v sql.NullFloat64) string {
	if !v.Valid {
		return ""
	}
	return strconv.FormatFloat(v.Float64, 'f', -1, 64)
}
