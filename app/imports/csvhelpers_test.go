package imports_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/imports"
)

// csvEnv is an App on a fresh database, with a raw connection to check it.
type csvEnv struct {
	t   testing.TB
	app *app.App
	imp *imports.Service
	raw *sql.DB
	ops app.Actor
}

// newCSVEnv opens an App on a fresh SQLite file in the test's temp directory.
func newCSVEnv(t testing.TB) *csvEnv {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "csv.db")
	a, _, err := app.Open(ctx, path, time.Now, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	ops := app.Actor{Kind: app.ActorUser, ID: 1, Name: "Olga Ops", Role: app.RoleOps}
	return &csvEnv{t: t, app: a, imp: imports.New(a), raw: raw, ops: ops}
}

// importOK imports a file and fails the test unless every row was applied.
func (e *csvEnv) importOK(kind, body string) imports.ImportResult {
	e.t.Helper()
	res, err := e.imp.ImportCSV(context.Background(), e.ops, kind, kind+".csv", strings.NewReader(body))
	if err != nil {
		e.t.Fatalf("import %s: %v\nproblems: %v", kind, err, res.Problems)
	}
	return res
}

// importBad imports a file that must be refused and returns its problems.
func (e *csvEnv) importBad(kind, body string) imports.ImportResult {
	e.t.Helper()
	res, err := e.imp.ImportCSV(context.Background(), e.ops, kind, kind+".csv", strings.NewReader(body))
	if app.ErrorKind(err) != app.KindInvalid {
		e.t.Fatalf("import %s: err = %v, want invalid", kind, err)
	}
	if res.Applied != 0 || len(res.Problems) == 0 {
		e.t.Fatalf("import %s: applied %d with problems %v", kind, res.Applied, res.Problems)
	}
	return res
}

// scalar runs a query that returns one integer.
func (e *csvEnv) scalar(query string, args ...any) int64 {
	e.t.Helper()
	var n int64
	if err := e.raw.QueryRow(query, args...).Scan(&n); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
	return n
}

// snapshot renders the stock levels and the ledger, to compare before and after.
func (e *csvEnv) snapshot() string {
	e.t.Helper()
	var b strings.Builder
	for _, q := range []string{
		"SELECT sku_id, location_id, on_hand, reserved, safety_stock FROM stock_levels ORDER BY 1, 2",
		"SELECT id, sku_id, location_id, delta_on_hand, reason, actor, note FROM stock_ledger ORDER BY id",
	} {
		rows, err := e.raw.Query(q)
		if err != nil {
			e.t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				e.t.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
	}
	return b.String()
}

// network creates nSKUs SKUs (S0000...) and nLocs locations (L00...) through CSV imports.
func (e *csvEnv) network(nSKUs, nLocs int) {
	e.t.Helper()
	var skus strings.Builder
	skus.WriteString("code,name,weight_grams\n")
	for i := range nSKUs {
		fmt.Fprintf(&skus, "S%04d,SKU %d,%d\n", i, i, 100+i)
	}
	e.importOK(imports.CSVSKUs, skus.String())
	var locs strings.Builder
	locs.WriteString("code,name,kind,city,country,timezone,ships,pickup\n")
	for i := range nLocs {
		fmt.Fprintf(&locs, "L%02d,Location %d,warehouse,Lyon,FR,Europe/Paris,true,false\n", i, i)
	}
	e.importOK(imports.CSVLocations, locs.String())
}

// stockFile is a stock CSV counting every SKU at every location, on_hand varying with seed.
func stockFile(nSKUs, nLocs, seed int) string {
	var b strings.Builder
	b.WriteString("location,sku,on_hand,safety_stock,note\n")
	for s := range nSKUs {
		for l := range nLocs {
			fmt.Fprintf(&b, "L%02d,S%04d,%d,%d,\n", l, s, (s*7+l*3+seed)%500, (s+l)%4)
		}
	}
	return b.String()
}
