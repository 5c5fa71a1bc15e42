package imports

import (
	"switchyard/app"

	"context"
	"fmt"
)

// csvSKURow is one validated row of a SKU file.
type csvSKURow struct {
	line int
	code string
	in   app.SKUInput
}

// csvSKUImporter imports SKUs: each row creates or replaces one SKU, as PUT does.
type csvSKUImporter struct {
	rows []csvSKURow
}

// check validates every row with the API's rules and finds repeated codes.
func (imp *csvSKUImporter) check(_ context.Context, f *csvFile, p *csvProblems, prog *importProgress) error {
	seen := make(map[string]int, len(f.rows))
	imp.rows = make([]csvSKURow, 0, len(f.rows))
	return f.each(p, prog, func(row csvRow) error {
		fields := app.FieldsError{}
		code := f.get(row, "code")
		in := app.SKUInput{
			Name: f.get(row, "name"), Barcode: f.get(row, "barcode"),
			WeightGrams: csvOrZero(parseCSVInt(fields, "weight_grams", f.get(row, "weight_grams"))),
			Tags:        csvSplit(f.get(row, "tags")),
			Active:      parseCSVBool(fields, "active", f.get(row, "active")),
		}
		if f.has("components") { // absent: the components stay as stored
			comps := parseCSVComponents(fields, f.get(row, "components"))
			in.Components = &comps
		}
		for name, msg := range app.CheckSKU(&in, code) {
			fields.Add(name, msg)
		}
		csvRepeat(fields, seen, code, row.line, "code", app.Quote(code))
		if len(fields) > 0 {
			p.addFields(row.line, f, fields)
			return nil
		}
		imp.rows = append(imp.rows, csvSKURow{line: row.line, code: code, in: in})
		return nil
	})
}

// apply writes every SKU, then the components of the rows that give them (a
// kit may name SKUs of later rows); a component refused names its line.
func (imp *csvSKUImporter) apply(ctx context.Context, tx app.Tx, prog *importProgress) error {
	for _, r := range imp.rows {
		in := r.in
		in.Components = nil
		if _, err := app.PutSKUInTx(ctx, tx, r.code, in); err != nil {
			return fmt.Errorf("SKU %s: %w", r.code, err)
		}
		prog.step()
	}
	for _, r := range imp.rows {
		if r.in.Components == nil {
			continue
		}
		if _, err := app.PutSKUInTx(ctx, tx, r.code, r.in); err != nil {
			return fmt.Errorf("components of SKU %s: %w", r.code, rowProblem(err, r.line, "components"))
		}
	}
	return nil
}

// csvRepeat notes a key already seen on an earlier line, naming both lines.
func csvRepeat[K comparable](fields app.FieldsError, seen map[K]int, key K, line int, field, what string) {
	if first, ok := seen[key]; ok {
		fields.Add(field, fmt.Sprintf("%s appears twice in the file, on lines %d and %d", what, first, line))
		return
	}
	seen[key] = line
}
