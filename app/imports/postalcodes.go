package imports

import (
	"switchyard/app"

	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"switchyard/app/geo"
	store "switchyard/sql"
)

// maxPostalCodeLen bounds a postal code, without its spaces.
const maxPostalCodeLen = 20

// postalCodeColumns are the columns of a postal codes file.
var postalCodeColumns = []string{"country", "postal_code", "lat", "lon"}

// PostalCodeCount is how many postal codes of one country are known.
type PostalCodeCount struct {
	Country string
	Count   int64
}

// validPostalCode is a checked row of a postal codes file.
type validPostalCode struct {
	country, code string
	lat, lon      float64
}

// NormalPostalCode is a postal code as it is stored and looked up: upper case, without spaces.
func NormalPostalCode(s string) string { return strings.ToUpper(strings.ReplaceAll(s, " ", "")) }

// PostalCodeCounts lists how many postal codes are known per country.
func (a *Service) PostalCodeCounts(ctx context.Context) ([]PostalCodeCount, error) {
	rows, err := a.core.Read().CountPostalCodes(ctx)
	if err != nil {
		return nil, fmt.Errorf("count postal codes: %w", err)
	}
	out := make([]PostalCodeCount, len(rows))
	for i, r := range rows {
		out[i] = PostalCodeCount{Country: r.Country, Count: r.N}
	}
	return out, nil
}

// ImportPostalCodesCSV adds or replaces the coordinates of the postal codes
// of a CSV file (country,postal_code,lat,lon), all or nothing: when any row
// is bad nothing is written and the result lists every problem.
func (a *Service) ImportPostalCodesCSV(ctx context.Context, actor app.Actor, r io.Reader) (ImportResult, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return ImportResult{}, err
	}
	var rows []validPostalCode
	res, err := importSmallCSV(r, "postal_codes", postalCodeColumns, postalCodeColumns,
		func(f *smallCSV, row csvRow, p *csvProblems, seen map[string]int) {
			v, fields := postalCodeRow(f, row)
			if len(fields) == 0 {
				fields = repeatedRow(seen, v.country+"|"+v.code, row.line, "postal_code")
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
			err := tx.Q.UpsertPostalCode(ctx, store.UpsertPostalCodeParams{Country: v.country, PostalCode: v.code, Lat: v.lat, Lon: v.lon})
			if err != nil {
				return fmt.Errorf("store postal code %s %s: %w", v.country, v.code, err)
			}
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("apply postal codes import: %w", err)
	}
	res.Applied = res.Rows
	return res, nil
}

// postalCodeRow reads and checks one row of a postal codes file.
func postalCodeRow(f *smallCSV, row csvRow) (validPostalCode, app.FieldsError) {
	fields := app.FieldsError{}
	v := validPostalCode{country: strings.ToUpper(f.get(row, "country")), code: NormalPostalCode(f.get(row, "postal_code"))}
	switch {
	case v.country == "":
		fields.Add("country", "is required")
	case len(v.country) != 2 || !geo.ValidCountry(v.country):
		fields.Add("country", "unknown country code "+app.Quote(f.get(row, "country"))+" (use two letters such as FR)")
	}
	switch {
	case v.code == "":
		fields.Add("postal_code", "is required")
	case len(v.code) > maxPostalCodeLen:
		fields.Add("postal_code", fmt.Sprintf("must be at most %d characters", maxPostalCodeLen))
	}
	v.lat = coordinate(fields, "lat", f.get(row, "lat"), 90)
	v.lon = coordinate(fields, "lon", f.get(row, "lon"), 180)
	return v, fields
}

// coordinate reads a latitude or longitude within ±limit degrees.
func coordinate(fields app.FieldsError, name, raw string, limit float64) float64 {
	v, err := strconv.ParseFloat(raw, 64)
	switch {
	case raw == "":
		fields.Add(name, "is required")
	case err != nil || v != v:
		fields.Add(name, "must be a number of degrees such as 45.76, not "+app.Quote(raw))
	case v < -limit || v > limit:
		fields.Add(name, fmt.Sprintf("must be between -%g and %g", limit, limit))
	}
	return v
}
