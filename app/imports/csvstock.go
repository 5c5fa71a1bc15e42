package imports

import (
	"switchyard/app"

	"context"
	"encoding/json"
	"fmt"
	"strconv"

	store "switchyard/sql"
)

// csvStockRow is one validated row of a stock file: a count of one level.
type csvStockRow struct {
	key    app.LevelKey
	onHand int64
	safety *int64
	note   string
}

// csvStockImporter imports stock counts: each row sets on_hand (and safety_stock
// when given) of one level, writing the difference to the ledger as a count.
type csvStockImporter struct {
	a     *Service
	actor string // who the ledger names
	note  string // the ledger note of rows without one
	rows  []csvStockRow
}

// check resolves every code from two bulk lookups and validates the counts
// with the API's rules; a level may appear once per file.
func (imp *csvStockImporter) check(ctx context.Context, f *csvFile, p *csvProblems, prog *importProgress) error {
	locs, skus, err := imp.a.csvCodes(ctx)
	if err != nil {
		return err
	}
	kitIDs, err := imp.a.core.Read().ListKitIDs(ctx)
	if err != nil {
		return fmt.Errorf("list kits: %w", err)
	}
	kits := make(map[int64]bool, len(kitIDs))
	for _, id := range kitIDs {
		kits[id] = true
	}
	seen := make(map[app.LevelKey]int, len(f.rows))
	imp.rows = make([]csvStockRow, 0, len(f.rows))
	return f.each(p, prog, func(row csvRow) error {
		fields := app.FieldsError{}
		locCode, skuCode := f.get(row, "location"), f.get(row, "sku")
		loc, okLoc := locs[locCode]
		if !okLoc {
			fields.Add("location", csvUnknown("location", locCode))
		}
		sku, okSKU := skus[skuCode]
		if !okSKU {
			fields.Add("sku", csvUnknown("SKU", skuCode))
		} else if kits[sku] {
			fields.Add("sku", app.KitStockProblem(skuCode))
		}
		in := app.CountInput{
			OnHand:      parseCSVInt(fields, "on_hand", f.get(row, "on_hand")),
			SafetyStock: parseCSVInt(fields, "safety_stock", f.get(row, "safety_stock")),
			Note:        f.get(row, "note"),
		}
		for name, msg := range app.CheckStruct(in) {
			fields.Add(name, msg)
		}
		key := app.LevelKey{SKU: sku, Location: loc}
		if okLoc && okSKU {
			csvRepeat(fields, seen, key, row.line, "sku", app.Quote(skuCode)+" at "+app.Quote(locCode))
		}
		if len(fields) > 0 {
			p.addFields(row.line, f, fields)
			return nil
		}
		if in.Note == "" {
			in.Note = imp.note
		}
		imp.rows = append(imp.rows, csvStockRow{key: key, onHand: *in.OnHand, safety: in.SafetyStock, note: in.Note})
		return nil
	})
}

// csvUnknown is the problem of a code that names nothing, as the API words it.
func csvUnknown(what, code string) string {
	if code == "" {
		return "is required"
	}
	return "unknown " + what + " " + app.Quote(code)
}

// csvCodes loads the ids of every location and SKU by code.
func (a *Service) csvCodes(ctx context.Context) (locs, skus map[string]int64, err error) {
	locRows, err := a.core.Read().CSVLocationIDs(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("list location codes: %w", err)
	}
	skuRows, err := a.core.Read().CSVSKUIDs(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("list SKU codes: %w", err)
	}
	locs = make(map[string]int64, len(locRows))
	for _, r := range locRows {
		locs[r.Code] = r.ID
	}
	skus = make(map[string]int64, len(skuRows))
	for _, r := range skuRows {
		skus[r.Code] = r.ID
	}
	return locs, skus, nil
}

// csvStockBatch is how many rows of a stock import each bulk statement takes.
const csvStockBatch = 2000

// apply counts every level, batch by batch, creating the levels that do not exist yet.
func (imp *csvStockImporter) apply(ctx context.Context, tx app.Tx, prog *importProgress) error {
	for start := 0; start < len(imp.rows); start += csvStockBatch {
		batch := imp.rows[start:min(start+csvStockBatch, len(imp.rows))]
		if err := imp.applyBatch(ctx, tx, batch); err != nil {
			return err
		}
		prog.add(len(batch))
	}
	return nil
}

// applyBatch creates the missing levels of rows, sets the safety stocks given,
// and appends the counts to the ledger: three statements for the whole batch.
func (imp *csvStockImporter) applyBatch(ctx context.Context, tx app.Tx, rows []csvStockRow) error {
	all, safety := csvStockJSON(rows)
	at := app.Millis(tx.Now)
	if err := tx.Q.CSVEnsureLevels(ctx, store.CSVEnsureLevelsParams{At: at, Batch: all}); err != nil {
		return fmt.Errorf("create stock levels: %w", err)
	}
	if safety != "" {
		if err := tx.Q.CSVSetSafetyStocks(ctx, store.CSVSetSafetyStocksParams{At: at, Batch: safety}); err != nil {
			return fmt.Errorf("set safety stocks: %w", err)
		}
	}
	if _, err := tx.Q.CSVCountLevels(ctx, store.CSVCountLevelsParams{Actor: imp.actor, At: at, Batch: all}); err != nil {
		return fmt.Errorf("count stock: %w", err)
	}
	return nil
}

// csvStockJSON encodes rows as the JSON arrays the bulk queries read: every
// row, and only the rows that give a safety stock ("" when none do).
func csvStockJSON(rows []csvStockRow) (all, safety string) {
	var a, s []byte
	for _, r := range rows {
		rec := csvStockRecord(r)
		a = csvAppendJSON(a, rec)
		if r.safety != nil {
			s = csvAppendJSON(s, rec)
		}
	}
	if len(s) > 0 {
		safety = string(s) + "]"
	}
	return string(a) + "]", safety
}

// csvStockRecord is one row as a JSON array: [sku_id, location_id, on_hand, safety_stock, note].
func csvStockRecord(r csvStockRow) []byte {
	b := []byte{'['}
	b = strconv.AppendInt(b, r.key.SKU, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, r.key.Location, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, r.onHand, 10)
	b = append(b, ',')
	if r.safety != nil {
		b = strconv.AppendInt(b, *r.safety, 10)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, ',')
	note, _ := json.Marshal(r.note) // a string always encodes
	b = append(b, note...)
	return append(b, ']')
}

// csvAppendJSON appends one element to a JSON array being built.
func csvAppendJSON(arr, elem []byte) []byte {
	if len(arr) == 0 {
		arr = append(arr, '[')
	} else {
		arr = append(arr, ',')
	}
	return append(arr, elem...)
}
