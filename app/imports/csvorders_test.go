package imports_test

import (
	"bytes"
	"context"
	"testing"

	"switchyard/app"
	"switchyard/app/imports"
)

// ordersNetwork adds the channel web, a location L1 with pickup and SKUs A and B.
func ordersNetwork(t *testing.T) *csvEnv {
	t.Helper()
	e := newCSVEnv(t)
	ctx := context.Background()
	if _, _, err := e.app.PutChannel(ctx, app.System, "web", app.ChannelInput{Name: "Web", Kind: "api"}); err != nil {
		t.Fatal(err)
	}
	e.importOK(imports.CSVSKUs, "code,name\nA,Alpha\nB,Beta\n")
	return e
}

// ordersHeader is the header of the order files in these tests.
const ordersHeader = "channel,external_id,currency,customer_email,ship_line1,ship_city,ship_country,shipping_price,sku,quantity,unit_price\n"

func TestImportOrdersGroupsRowsByOrder(t *testing.T) {
	e := ordersNetwork(t)
	res := e.importOK(imports.CSVOrders, ordersHeader+
		"web,1001,EUR,ana@example.com,1 rue A,Lyon,FR,4.90,A,2,19.90\n"+
		"web,1001,,,,,,,B,1,5.00\n"+
		"web,1002,JPY,bo@example.com,2-1 Ginza,Tokyo,JP,0,B,3,1200\n")
	if res.Applied != 3 {
		t.Fatalf("applied %d rows, want 3", res.Applied)
	}
	o, err := e.app.OrderByExternal(context.Background(), "web", "1001")
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Lines) != 2 || o.Total != 2*1990+500+490 || o.Customer.Email != "ana@example.com" {
		t.Fatalf("order 1001: %d lines, total %d, %+v", len(o.Lines), o.Total, o.Customer)
	}
	jp, _ := e.app.OrderByExternal(context.Background(), "web", "1002")
	if jp.Total != 3600 || jp.Currency.Code != "JPY" {
		t.Fatalf("order 1002: total %d %s", jp.Total, jp.Currency.Code)
	}
	// The same file again takes nothing in twice.
	e.importOK(imports.CSVOrders, ordersHeader+"web,1001,EUR,ana@example.com,1 rue A,Lyon,FR,4.90,A,2,19.90\n")
	if n := e.scalar("SELECT count(*) FROM orders"); n != 2 {
		t.Fatalf("%d orders after importing one again, want 2", n)
	}
}

func TestImportOrdersReportsEveryBadRowAndWritesNothing(t *testing.T) {
	e := ordersNetwork(t)
	res := e.importBad(imports.CSVOrders, ordersHeader+
		"web,1001,EUR,ana@example.com,1 rue A,Lyon,FR,4.90,A,2,19.90\n"+ // line 2: good
		"web,1001,,,,,,,NOPE,1,5.00\n"+ // line 3: unknown SKU
		"web,1002,EUR,bo@example.com,2 rue B,Paris,FR,0,B,0,3.00\n"+ // line 4: zero quantity
		"web,1003,EURO,cy@example.com,3 rue C,Nice,FR,0,A,1,3.00\n"+ // line 5: bad currency
		"web,1004,EUR,di@example.com,4 rue D,Metz,FR,0,A,1,3.00\n"+ // line 6: good
		"web,1004,USD,,,,,,B,1,3.00\n") // line 7: currency differs from the order's first row
	wantProblems(t, res.Problems,
		imports.RowError{Line: 3, Field: "sku", Reason: `unknown SKU "NOPE"`},
		imports.RowError{Line: 4, Field: "quantity", Reason: "must be a whole number from 1 to 100000"},
		imports.RowError{Line: 5, Field: "currency", Reason: "must be an ISO 4217 code"},
		imports.RowError{Line: 7, Field: "currency", Reason: "differs from the order's first row (line 6)"},
	)
	if n := e.scalar("SELECT count(*) FROM orders"); n != 0 {
		t.Fatalf("%d orders written by a refused file", n)
	}
}

func TestExportOrdersRoundTrips(t *testing.T) {
	e := ordersNetwork(t)
	e.importOK(imports.CSVOrders, ordersHeader+
		"web,1001,EUR,ana@example.com,1 rue A,Lyon,FR,4.90,A,2,19.90\n"+
		"web,1001,,,,,,,B,1,5.00\n")
	var first bytes.Buffer
	if err := e.imp.ExportCSV(context.Background(), e.ops, imports.CSVOrders, &first); err != nil {
		t.Fatal(err)
	}
	other := ordersNetwork(t)
	other.importOK(imports.CSVOrders, first.String())
	var second bytes.Buffer
	if err := other.imp.ExportCSV(context.Background(), other.ops, imports.CSVOrders, &second); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Fatalf("export, import, export differs:\n%s\n---\n%s", first.String(), second.String())
	}
}
