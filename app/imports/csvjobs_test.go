package imports_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/imports"
)

// waitForJob polls a job until it finishes.
func (e *csvEnv) waitForJob(id string) imports.ImportStatus {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		st, err := e.imp.ImportJob(id)
		if err != nil {
			e.t.Fatalf("job %s: %v", id, err)
		}
		if st.Finished() {
			return st
		}
		time.Sleep(5 * time.Millisecond)
	}
	e.t.Fatalf("job %s did not finish", id)
	return imports.ImportStatus{}
}

func TestImportJobRunsAfterItsRequest(t *testing.T) {
	e := newCSVEnv(t)
	e.network(3, 2)
	ctx, cancel := context.WithCancel(context.Background())
	id, err := e.imp.StartImport(ctx, e.ops, imports.CSVStock, "counts/nov.csv", []byte("location,sku,on_hand\nL00,S0000,5\nL01,S0002,9\n"))
	cancel() // the request is over: the job goes on
	if err != nil {
		t.Fatal(err)
	}
	st := e.waitForJob(id)
	if st.Phase != imports.PhaseDone || st.Result.Applied != 2 || st.File != "nov.csv" || st.By != "Olga Ops" || st.Kind != imports.CSVStock {
		t.Fatalf("job %+v", st)
	}
	if st.Processed != 2 || st.Total != 2 {
		t.Errorf("progress %d of %d, want 2 of 2", st.Processed, st.Total)
	}
	if n := e.scalar("SELECT count(*) FROM stock_ledger WHERE note = 'CSV import nov.csv'"); n != 2 {
		t.Errorf("%d ledger rows name the file, want 2", n)
	}

	bad, err := e.imp.StartImport(context.Background(), e.ops, imports.CSVStock, "bad.csv", []byte("location,sku,on_hand\nL00,NOPE,5\n"))
	if err != nil {
		t.Fatal(err)
	}
	st = e.waitForJob(bad)
	if st.Phase != imports.PhaseFailed || len(st.Result.Problems) != 1 || st.Result.Problems[0].Line != 2 || st.Message == "" {
		t.Fatalf("bad job %+v", st)
	}
	recent := e.imp.RecentImports(10)
	if len(recent) != 2 || recent[0].ID != bad || recent[1].ID != id {
		t.Errorf("recent jobs %+v", recent)
	}
	if _, err := e.imp.ImportJob("nope"); app.ErrorKind(err) != app.KindNotFound {
		t.Errorf("unknown job: %v", err)
	}
	if _, err := e.imp.StartImport(context.Background(), e.ops, "returns", "o.csv", nil); app.ErrorKind(err) != app.KindNotFound {
		t.Errorf("unknown kind: %v", err)
	}
}

func TestImportJobsRunInTheOrderTheyStarted(t *testing.T) {
	e := newCSVEnv(t)
	e.network(1, 1)
	ctx := context.Background()
	var skus, stock []byte
	skus = append(skus, "code,name\n"...)
	stock = append(stock, "location,sku,on_hand\n"...)
	for i := range 3000 {
		skus = fmt.Appendf(skus, "NEW-%d,imports.New %d\n", i, i)
		stock = fmt.Appendf(stock, "L00,NEW-%d,%d\n", i, i)
	}
	first, err := e.imp.StartImport(ctx, e.ops, imports.CSVSKUs, "skus.csv", skus)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.imp.StartImport(ctx, e.ops, imports.CSVStock, "stock.csv", stock)
	if err != nil {
		t.Fatal(err)
	}
	if st := e.waitForJob(second); st.Phase != imports.PhaseDone || st.Result.Applied != 3000 {
		t.Fatalf("the stock file uploaded after its SKUs: %s, problems %v", st.Phase, st.Result.Problems[:min(3, len(st.Result.Problems))])
	}
	if st, _ := e.imp.ImportJob(first); st.Phase != imports.PhaseDone {
		t.Fatalf("SKU job %s", st.Phase)
	}
}
