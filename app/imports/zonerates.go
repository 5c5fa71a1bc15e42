package imports

import (
	"switchyard/app"

	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"switchyard/app/geo"
	"switchyard/app/money"
	store "switchyard/sql"
)

// MaxTransitDays bounds a zone rate's transit time.
const MaxTransitDays = 60

// ZoneRate is what it costs, and how long it takes, to ship from a location to
// a country or one region of it.
type ZoneRate struct {
	ID          int64
	Origin      string // location code
	OriginName  string
	Country     string
	Region      string // "" for the whole country
	Cost        string // in Currency, formatted with its decimals: "4.90"
	CostMinor   int64
	Currency    string
	TransitDays int
}

// ZoneRateInput is a zone rate as a form or a CSV row gives it.
type ZoneRateInput struct {
	Origin      string
	Country     string
	Region      string
	Cost        string // a decimal amount in Currency
	Currency    string
	TransitDays int
}

// validZoneRate is a checked zone rate, ready to store.
type validZoneRate struct {
	originID    int64
	country     string
	region      string
	cost        int64
	currency    string
	transitDays int64
}

// ZoneRates lists every zone rate by origin, country and region.
func (a *Service) ZoneRates(ctx context.Context) ([]ZoneRate, error) {
	rows, err := a.core.Read().ListZoneRates(ctx)
	if err != nil {
		return nil, fmt.Errorf("list zone rates: %w", err)
	}
	out := make([]ZoneRate, len(rows))
	for i, r := range rows {
		cur, _ := money.LookupCurrency(r.Currency)
		out[i] = ZoneRate{ID: r.ID, Origin: r.Origin, OriginName: r.OriginName, Country: r.Country, Region: r.Region,
			Cost: money.Format(r.Cost, cur), CostMinor: r.Cost, Currency: r.Currency, TransitDays: int(r.TransitDays)}
	}
	return out, nil
}

// PutZoneRate adds a zone rate, or replaces the one of the same origin, country and region.
func (a *Service) PutZoneRate(ctx context.Context, actor app.Actor, in ZoneRateInput) (ZoneRate, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return ZoneRate{}, err
	}
	locs, err := a.locationIDs(ctx)
	if err != nil {
		return ZoneRate{}, err
	}
	v, fields := checkZoneRate(in, locs)
	if err := fields.Err("zone rate is invalid"); err != nil {
		return ZoneRate{}, err
	}
	var id int64
	err = a.core.Write(ctx, func(tx app.Tx) error {
		id, err = upsertZoneRate(ctx, tx, v)
		return err
	})
	if err != nil {
		return ZoneRate{}, err
	}
	return a.zoneRate(ctx, id)
}

// DeleteZoneRate removes a zone rate.
func (a *Service) DeleteZoneRate(ctx context.Context, actor app.Actor, id int64) error {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return err
	}
	return a.core.Write(ctx, func(tx app.Tx) error {
		n, err := tx.Q.DeleteZoneRate(ctx, id)
		if err != nil {
			return fmt.Errorf("delete zone rate: %w", err)
		}
		if n == 0 {
			return app.NotFound("no zone rate %d", id)
		}
		return nil
	})
}

// zoneRateColumns are the columns of a zone rates file; region may be left out.
var zoneRateColumns = []string{"origin", "country", "region", "cost", "currency", "transit_days"}

// ImportZoneRatesCSV adds or replaces the zone rates of a CSV file, all or
// nothing: when any row is bad nothing is written and the result lists every
// problem with its line (and an Invalid error).
func (a *Service) ImportZoneRatesCSV(ctx context.Context, actor app.Actor, r io.Reader) (ImportResult, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return ImportResult{}, err
	}
	locs, err := a.locationIDs(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	var rows []validZoneRate
	res, err := importSmallCSV(r, "zone_rates", zoneRateColumns, []string{"origin", "country", "cost", "currency", "transit_days"},
		func(f *smallCSV, row csvRow, p *csvProblems, seen map[string]int) {
			v, fields := zoneRateRow(f, row, locs)
			if len(fields) == 0 {
				key := fmt.Sprintf("%d|%s|%s", v.originID, v.country, strings.ToLower(v.region))
				fields = repeatedRow(seen, key, row.line, "region")
			}
			if len(fields) > 0 {
				f.report(p, row.line, fields)
				return
			}
			rows = append(rows, v)
		})
	if err != nil {
		return res, err
	}
	err = a.core.Write(ctx, func(tx app.Tx) error {
		for _, v := range rows {
			if _, err := upsertZoneRate(ctx, tx, v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("apply zone rates import: %w", err)
	}
	res.Applied = res.Rows
	return res, nil
}

// zoneRateRow reads and checks one row of a zone rates file.
func zoneRateRow(f *smallCSV, row csvRow, locs map[string]int64) (validZoneRate, app.FieldsError) {
	in := ZoneRateInput{Origin: f.get(row, "origin"), Country: f.get(row, "country"), Region: f.get(row, "region"),
		Cost: f.get(row, "cost"), Currency: f.get(row, "currency")}
	raw := f.get(row, "transit_days")
	days, convErr := strconv.Atoi(raw)
	in.TransitDays = days
	v, fields := checkZoneRate(in, locs)
	switch {
	case raw == "":
		fields["transit_days"] = "is required"
	case convErr != nil:
		fields["transit_days"] = "must be a whole number of days, not " + app.Quote(raw)
	}
	return v, fields
}

// checkZoneRate validates a zone rate by field.
func checkZoneRate(in ZoneRateInput, locs map[string]int64) (validZoneRate, app.FieldsError) {
	fields := app.FieldsError{}
	v := validZoneRate{country: strings.ToUpper(strings.TrimSpace(in.Country)), region: strings.TrimSpace(in.Region),
		currency: strings.ToUpper(strings.TrimSpace(in.Currency)), transitDays: int64(in.TransitDays)}
	origin := strings.TrimSpace(in.Origin)
	id, ok := locs[origin]
	switch {
	case origin == "":
		fields.Add("origin", "is required")
	case !ok:
		fields.Add("origin", "unknown location "+app.Quote(origin))
	}
	v.originID = id
	switch {
	case v.country == "":
		fields.Add("country", "is required")
	case len(v.country) != 2 || !geo.ValidCountry(v.country):
		fields.Add("country", "unknown country code "+app.Quote(in.Country)+" (use two letters such as FR)")
	}
	switch {
	case len(v.region) > 100:
		fields.Add("region", "must be at most 100 characters")
	case !app.IsText(v.region, false):
		fields.Add("region", app.NotTextProblem)
	}
	v.cost = checkRateCost(fields, in.Cost, v.currency)
	if in.TransitDays < 0 || in.TransitDays > MaxTransitDays {
		fields.Add("transit_days", fmt.Sprintf("must be between 0 and %d days", MaxTransitDays))
	}
	return v, fields
}

// checkRateCost validates the currency and reads the cost in its minor units.
func checkRateCost(fields app.FieldsError, raw, currency string) int64 {
	cur, ok := money.LookupCurrency(currency)
	switch {
	case currency == "":
		fields.Add("currency", "is required")
	case !ok:
		fields.Add("currency", "unknown currency "+app.Quote(currency)+" (use an ISO code such as EUR)")
	}
	raw = strings.TrimSpace(raw)
	switch {
	case raw == "":
		fields.Add("cost", "is required")
		return 0
	case strings.HasPrefix(raw, "-"):
		fields.Add("cost", "must not be negative")
		return 0
	case !ok:
		cur = money.Currency{Code: currency, Exponent: 2} // still say whether the amount reads
	}
	minor, err := money.Parse(raw, cur)
	if err != nil {
		var pe *money.ParseError
		if errors.As(err, &pe) {
			fields.Add("cost", pe.Problem)
		} else {
			fields.Add("cost", "must be an amount such as 4.90")
		}
	}
	return minor
}

// upsertZoneRate stores one checked rate and returns its id.
func upsertZoneRate(ctx context.Context, tx app.Tx, v validZoneRate) (int64, error) {
	id, err := tx.Q.UpsertZoneRate(ctx, store.UpsertZoneRateParams{OriginLocationID: v.originID, Country: v.country,
		Region: v.region, Cost: v.cost, Currency: v.currency, TransitDays: v.transitDays})
	if err != nil {
		return 0, fmt.Errorf("store zone rate: %w", err)
	}
	return id, nil
}

// zoneRate reads one zone rate by id.
func (a *Service) zoneRate(ctx context.Context, id int64) (ZoneRate, error) {
	all, err := a.ZoneRates(ctx)
	if err != nil {
		return ZoneRate{}, err
	}
	for _, r := range all {
		if r.ID == id {
			return r, nil
		}
	}
	return ZoneRate{}, app.NotFound("no zone rate %d", id)
}

// locationIDs maps every location code to its id.
func (a *Service) locationIDs(ctx context.Context) (map[string]int64, error) {
	rows, err := a.core.Read().CSVLocationIDs(ctx)
	if err != nil {
		return nil, fmt.Errorf("list location codes: %w", err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Code] = r.ID
	}
	return out, nil
}

// repeatedRow notes that key was already on an earlier line, or remembers its line.
func repeatedRow(seen map[string]int, key string, line int, field string) app.FieldsError {
	if first, dup := seen[key]; dup {
		return app.FieldsError{field: fmt.Sprintf("repeats line %d: each one may appear once per file", first)}
	}
	seen[key] = line
	return nil
}

// smallCSV is a CSV file of one of the routing imports, read whole.
type smallCSV struct {
	columns []string       // the kind's columns, in order
	cols    map[string]int // column name -> index in a record
	rows    []csvRow
}

// get returns the value of column name in row, "" when the file lacks it: the
// cell trimmed, then read back as an export wrote it (csvUnescapeCell).
func (f *smallCSV) get(row csvRow, name string) string {
	i, ok := f.cols[name]
	if !ok {
		return ""
	}
	return csvUnescapeCell(strings.TrimSpace(row.fields[i]))
}

// report notes the problems of one row, in the order of the columns.
func (f *smallCSV) report(p *csvProblems, line int, fields app.FieldsError) {
	for _, c := range f.columns {
		if msg, ok := fields[c]; ok {
			p.add(line, c, msg)
		}
	}
	for name, msg := range fields {
		if !slices.Contains(f.columns, name) {
			p.add(line, name, msg)
		}
	}
}

// importSmallCSV reads a file of kind and hands every readable row to check,
// which reports the bad ones; it returns the result and, when anything is
// wrong, an Invalid error saying that nothing was changed.
func importSmallCSV(r io.Reader, kind string, columns, required []string,
	check func(f *smallCSV, row csvRow, p *csvProblems, seen map[string]int)) (ImportResult, error) {
	res := ImportResult{Kind: kind, Problems: []RowError{}}
	p := &csvProblems{}
	f, err := readSmallCSV(r, columns, required, p)
	if err != nil {
		return res, err
	}
	res.Rows = len(f.rows)
	seen := map[string]int{}
	for _, row := range f.rows {
		if row.bad != nil {
			p.add(row.line, row.bad.Field, row.bad.Reason)
			continue
		}
		check(f, row, p, seen)
	}
	if p.count() == 0 {
		return res, nil
	}
	res.Problems, res.MoreProblems = p.list, p.more
	return res, app.Invalid(fmt.Sprintf("the file has %d problem(s): nothing was changed", p.count()), nil)
}

// readSmallCSV reads every record of r, checking the header against columns.
// Header problems and unreadable records go to p; only I/O failures are errors.
func readSmallCSV(r io.Reader, columns, required []string, p *csvProblems) (*smallCSV, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(len(csvBOM)); err == nil && string(b) == csvBOM {
		br.Discard(len(csvBOM)) //nolint:errcheck // just peeked
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	f := &smallCSV{columns: columns, cols: map[string]int{}}
	header, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		p.add(1, "", "the file is empty: its first line must name the columns ("+strings.Join(columns, ",")+")")
		return f, nil
	case err != nil:
		return f, csvReadProblem(err, p)
	}
	if !f.readHeader(header, required, p) {
		return f, nil
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		line := 0
		switch {
		case errors.As(err, &pe):
			line = pe.StartLine
		case err != nil:
			return f, fmt.Errorf("read CSV: %w", err)
		default:
			line, _ = cr.FieldPos(0)
		}
		f.rows = append(f.rows, f.newRow(line, rec, err))
	}
	if len(f.rows) == 0 {
		p.add(1, "", "the file has a header but no rows")
	}
	return f, nil
}

// readHeader maps the header's columns, noting unknown, repeated and missing ones.
func (f *smallCSV) readHeader(header, required []string, p *csvProblems) bool {
	ok := true
	for i, raw := range header {
		name := strings.ToLower(strings.TrimSpace(raw))
		switch _, dup := f.cols[name]; {
		case !slices.Contains(f.columns, name):
			p.add(1, raw, "unknown column: the columns are "+strings.Join(f.columns, ","))
			ok = false
		case dup:
			p.add(1, name, "the column appears twice")
			ok = false
		default:
			f.cols[name] = i
		}
	}
	for _, name := range required {
		if _, has := f.cols[name]; !has {
			p.add(1, name, "the column is missing: the file needs "+strings.Join(required, ","))
			ok = false
		}
	}
	return ok
}

// columnAt names the column at index i of a record.
func (f *smallCSV) columnAt(i int) string {
	for name, at := range f.cols {
		if at == i {
			return name
		}
	}
	return ""
}

// newRow makes the row of one record, or notes why it cannot be used.
func (f *smallCSV) newRow(line int, rec []string, err error) csvRow {
	row := csvRow{line: line, fields: rec}
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		row.bad = &RowError{Line: line, Reason: "not valid CSV: " + pe.Err.Error()}
	case len(rec) != len(f.cols):
		row.bad = &RowError{Line: line, Reason: fmt.Sprintf("has %d fields, the header has %d", len(rec), len(f.cols))}
	default:
		for i, field := range rec {
			if reason := csvTextProblem(field, false); reason != "" {
				row.bad = &RowError{Line: line, Field: f.columnAt(i), Reason: reason}
				break
			}
		}
	}
	return row
}
