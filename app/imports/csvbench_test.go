package imports_test

import (
	"context"
	"strings"
	"switchyard/app/imports"
	"testing"
)

// BenchmarkImportStock100k validates and applies 100,000 stock rows
// (2,000 SKUs at 50 locations) per operation.
func BenchmarkImportStock100k(b *testing.B) {
	e := newCSVEnv(b)
	e.network(2000, 50)
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		body := stockFile(2000, 50, i)
		b.StartTimer()
		res, err := e.imp.ImportCSV(ctx, e.ops, imports.CSVStock, "stock.csv", strings.NewReader(body))
		if err != nil || res.Applied != 100_000 {
			b.Fatalf("import: %v, applied %d", err, res.Applied)
		}
	}
}
