package imports

import (
	"switchyard/app"

	"context"
	"fmt"

	"switchyard/app/money"
)

// csvLocationRow is one validated row of a location file.
type csvLocationRow struct {
	code string
	in   app.LocationInput
}

// csvLocationImporter imports locations: each row creates or replaces one
// location and its channels, as PUT does.
type csvLocationImporter struct {
	a    *Service
	rows []csvLocationRow
}

// check validates every row with the API's rules, including the channel codes.
func (imp *csvLocationImporter) check(ctx context.Context, f *csvFile, p *csvProblems, prog *importProgress) error {
	channels, err := imp.a.core.Read().ListChannels(ctx)
	if err != nil {
		return fmt.Errorf("list channels: %w", err)
	}
	known := make(map[string]bool, len(channels))
	for _, ch := range channels {
		known[ch.Code] = true
	}
	seen := make(map[string]int, len(f.rows))
	imp.rows = make([]csvLocationRow, 0, len(f.rows))
	return f.each(p, prog, func(row csvRow) error {
		fields := app.FieldsError{}
		code := f.get(row, "code")
		in := csvLocationInput(f, row, fields)
		for name, msg := range app.CheckLocation(&in, code) {
			fields.Add(name, msg)
		}
		for _, ch := range in.Channels {
			if !known[ch] {
				fields.Add("channels", "unknown channel "+app.Quote(ch))
			}
		}
		csvRepeat(fields, seen, code, row.line, "code", app.Quote(code))
		if len(fields) > 0 {
			p.addFields(row.line, f, fields)
			return nil
		}
		imp.rows = append(imp.rows, csvLocationRow{code: code, in: in})
		return nil
	})
}

// csvLocationInput reads a row into the API's input, noting unreadable numbers and booleans.
func csvLocationInput(f *csvFile, row csvRow, fields app.FieldsError) app.LocationInput {
	get := func(name string) string { return f.get(row, name) }
	return app.LocationInput{
		Name: get("name"), Kind: get("kind"),
		Address: app.Address{
			Line1: get("line1"), Line2: get("line2"), City: get("city"), Region: get("region"),
			PostalCode: get("postal_code"), Country: get("country"),
		},
		Lat:           parseCSVFloat(fields, "lat", get("lat")),
		Lon:           parseCSVFloat(fields, "lon", get("lon")),
		Timezone:      get("timezone"),
		Ships:         parseCSVBool(fields, "ships", get("ships")),
		Pickup:        parseCSVBool(fields, "pickup", get("pickup")),
		DailyCapacity: csvOrZero(parseCSVInt(fields, "daily_capacity", get("daily_capacity"))),
		Cutoff:        get("cutoff"),
		HandlingDays:  csvOrZero(parseCSVInt(fields, "handling_days", get("handling_days"))),
		Rank:          csvOrZero(parseCSVInt(fields, "rank", get("rank"))),
		Tags:          csvSplit(get("tags")),
		Channels:      csvSplit(get("channels")),
		Active:        parseCSVBool(fields, "active", get("active")),
		// empty or absent: kept (a new location takes returns unless a dropshipper or partner)
		AcceptsReturns: parseCSVBool(fields, "accepts_returns", get("accepts_returns")),
		// empty or absent: no handling costs (a location replaced, as PUT does)
		HandlingCurrency:    get("handling_currency"),
		HandlingPerShipment: money.Decimal(get("handling_per_shipment")),
		HandlingPerUnit:     money.Decimal(get("handling_per_unit")),
		// empty or absent: kept (a new location does not require scanning)
		ScanToShip: parseCSVBool(fields, "scan_to_ship", get("scan_to_ship")),
	}
}

// apply writes every location.
func (imp *csvLocationImporter) apply(ctx context.Context, tx app.Tx, prog *importProgress) error {
	for _, r := range imp.rows {
		if _, err := app.PutLocationInTx(ctx, tx, r.code, r.in); err != nil {
			return fmt.Errorf("location %s: %w", r.code, err)
		}
		prog.step()
	}
	return nil
}
