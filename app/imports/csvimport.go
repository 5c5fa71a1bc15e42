package imports

import (
	"switchyard/app"

	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// The kinds of CSV file Switchyard imports and exports.
const (
	CSVLocations = "locations"
	CSVSKUs      = "skus"
	CSVStock     = "stock"
)

// CSVKinds lists the kinds of CSV file, in the order pages show them.
var CSVKinds = []string{CSVLocations, CSVSKUs, CSVStock, CSVOrders}

// csvColumns are each kind's columns, in the order exports write them.
var csvColumns = map[string][]string{
	CSVSKUs: {"code", "name", "barcode", "weight_grams", "tags", "active", "components"},
	CSVLocations: {"code", "name", "kind", "line1", "line2", "city", "region", "postal_code", "country",
		"lat", "lon", "timezone", "ships", "pickup", "daily_capacity", "cutoff", "handling_days", "rank",
		"tags", "channels", "active", "accepts_returns", "handling_currency", "handling_per_shipment", "handling_per_unit",
		"scan_to_ship"},
	CSVStock:  {"location", "sku", "on_hand", "safety_stock", "note"},
	CSVOrders: csvOrderColumns,
}

// csvRequired are the columns a file of each kind must have; the others may be
// left out and then take their empty value, as an absent field of the API does.
var csvRequired = map[string][]string{
	CSVSKUs:      {"code", "name"},
	CSVLocations: {"code", "name", "kind", "city", "country", "timezone", "ships", "pickup"},
	CSVStock:     {"location", "sku", "on_hand"},
	CSVOrders:    {"channel", "external_id", "currency", "sku", "quantity", "unit_price"},
}

// CSVColumns returns the columns of a kind of CSV file, or nil for an unknown kind.
func CSVColumns(kind string) []string { return slices.Clone(csvColumns[kind]) }

// CSVRequiredColumns returns the columns a file of kind must have.
func CSVRequiredColumns(kind string) []string { return slices.Clone(csvRequired[kind]) }

// checkCSVKind refuses a kind of CSV file that does not exist.
func checkCSVKind(kind string) error {
	if _, ok := csvColumns[kind]; !ok {
		return app.NotFound("no kind of CSV file %q: the kinds are %s", kind, strings.Join(CSVKinds, ", "))
	}
	return nil
}

// MaxImportProblems caps the problems an import lists; the rest are only counted.
const MaxImportProblems = 1000

// RowError is one problem of an imported file: the line (the header is line 1),
// the column, and what is wrong.
type RowError struct {
	Line   int    `json:"line"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// ImportResult is the outcome of an import: how many rows it wrote, or every
// problem that stopped it (up to MaxImportProblems, and how many more there were).
type ImportResult struct {
	Kind         string     `json:"kind"`
	File         string     `json:"file"`
	Rows         int        `json:"rows"`    // data rows in the file
	Applied      int        `json:"applied"` // rows written: all of them or none
	Problems     []RowError `json:"problems"`
	MoreProblems int        `json:"more_problems"`
}

// ProblemCount is the number of problems found, listed or not.
func (r ImportResult) ProblemCount() int { return len(r.Problems) + r.MoreProblems }

// ImportCSV reads, validates and applies a CSV file of kind, all or nothing:
// when any row is bad nothing is written and the result lists the problems
// (with an Invalid error); otherwise every row is written in one transaction.
func (a *Service) ImportCSV(ctx context.Context, actor app.Actor, kind, file string, r io.Reader) (ImportResult, error) {
	return a.importCSV(ctx, actor, kind, csvFileName(file), r, nil)
}

// csvImporter validates the rows of one kind of file, then writes them.
type csvImporter interface {
	// check validates every row, reporting bad ones to p, and keeps the good ones.
	check(ctx context.Context, f *csvFile, p *csvProblems, prog *importProgress) error
	// apply writes the rows kept by check inside tx.
	apply(ctx context.Context, tx app.Tx, prog *importProgress) error
}

// newCSVImporter returns the importer of kind for actor and file.
func (a *Service) newCSVImporter(kind string, actor app.Actor, file string) csvImporter {
	switch kind {
	case CSVSKUs:
		return &csvSKUImporter{}
	case CSVLocations:
		return &csvLocationImporter{a: a}
	case CSVOrders:
		return &csvOrderImporter{a: a, actor: actor}
	default:
		return &csvStockImporter{a: a, actor: actor.Label(), note: "CSV import " + file}
	}
}

// importCSV runs an import through its phases, reporting them to prog (which may be nil).
func (a *Service) importCSV(ctx context.Context, actor app.Actor, kind, file string, r io.Reader, prog *importProgress) (ImportResult, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return ImportResult{}, err
	}
	if err := checkCSVKind(kind); err != nil {
		return ImportResult{}, err
	}
	imp := a.newCSVImporter(kind, actor, file)
	res, err := checkCSV(ctx, imp, kind, file, r, prog)
	if err != nil {
		return res, err
	}
	prog.setPhase(PhaseApplying)
	prog.start(res.Rows)
	if err := a.core.Write(ctx, func(tx app.Tx) error { return imp.apply(ctx, tx, prog) }); err != nil {
		var rp *csvRowProblem
		if errors.As(err, &rp) { // found only on writing: listed like the others
			res.Problems = []RowError{{Line: rp.line, Field: rp.field, Reason: rp.reason}}
			return res, app.Invalid(fmt.Sprintf("%s has 1 problem(s): nothing was changed", file), nil)
		}
		return res, fmt.Errorf("apply %s import of %s: %w", kind, file, err)
	}
	res.Applied = res.Rows
	return res, nil
}

// checkCSV reads the file and has imp validate every row; any problem is an
// Invalid error, with the problems in the result.
func checkCSV(ctx context.Context, imp csvImporter, kind, file string, r io.Reader, prog *importProgress) (ImportResult, error) {
	res := ImportResult{Kind: kind, File: file, Problems: []RowError{}}
	prog.setPhase(PhaseReading)
	p := &csvProblems{}
	f, err := readCSVFile(r, kind, p, prog)
	if err != nil {
		return res, err
	}
	res.Rows = len(f.rows)
	if f.headerOK {
		prog.setPhase(PhaseValidating)
		prog.start(len(f.rows))
		if err := imp.check(ctx, f, p, prog); err != nil {
			return res, fmt.Errorf("validate %s: %w", kind, err)
		}
	}
	if p.count() == 0 {
		return res, nil
	}
	res.Problems, res.MoreProblems = p.list, p.more
	return res, app.Invalid(fmt.Sprintf("%s has %d problem(s): nothing was changed", file, p.count()), nil)
}

// csvFileName keeps the base name of an uploaded file, short and printable.
func csvFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if len(name) > 100 {
		name = name[:100]
	}
	if name == "" {
		return "upload.csv"
	}
	return name
}

// csvProblems collects the problems of a file in line order, listing the
// first MaxImportProblems and counting the rest.
type csvProblems struct {
	list []RowError
	more int
}

// add notes one problem.
func (p *csvProblems) add(line int, field, reason string) {
	if len(p.list) >= MaxImportProblems {
		p.more++
		return
	}
	p.list = append(p.list, RowError{Line: line, Field: field, Reason: reason})
}

// addFields notes the problems of one row, in the order of the file's columns.
func (p *csvProblems) addFields(line int, f *csvFile, fields app.FieldsError) {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	slices.SortFunc(names, func(x, y string) int {
		return cmp.Or(cmp.Compare(f.order(csvField(x)), f.order(csvField(y))), cmp.Compare(x, y))
	})
	for _, name := range names {
		p.add(line, csvField(name), fields[name])
	}
}

// count is the number of problems found.
func (p *csvProblems) count() int { return len(p.list) + p.more }

// csvField names the column of an app field path (address.city is city).
func csvField(path string) string { return strings.TrimPrefix(path, "address.") }

// parseCSVInt reads an optional whole number; "" is nil.
func parseCSVInt(fields app.FieldsError, name, raw string) *int64 {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	v, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		fields.Add(name, "must be a whole number, not "+app.Quote(raw))
		return nil
	}
	return &v
}

// parseCSVFloat reads an optional finite number; "" is nil.
func parseCSVFloat(fields app.FieldsError, name, raw string) *float64 {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || v != v || v > 1e300 || v < -1e300 {
		fields.Add(name, "must be a number, not "+app.Quote(raw))
		return nil
	}
	return &v
}

// parseCSVBool reads an optional true/false, 1/0 or yes/no; "" is nil.
func parseCSVBool(fields app.FieldsError, name, raw string) *bool {
	var v bool
	switch strings.ToLower(strings.TrimSpace(raw)) {
	case "":
		return nil
	case "true", "1", "yes":
		v = true
	case "false", "0", "no":
		v = false
	default:
		fields.Add(name, "must be true or false (or 1/0, yes/no), not "+app.Quote(raw))
		return nil
	}
	return &v
}

// csvSplit splits a cell of |-separated values.
func csvSplit(raw string) []string {
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	return strings.Split(raw, "|")
}

// csvOrZero is the value of an optional number, or 0.
func csvOrZero(v *int64) int64 {
	if v == nil {
		return 0
	}
	return *v
}
