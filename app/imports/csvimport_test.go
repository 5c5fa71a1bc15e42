package imports_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/imports"
)

// stockNetwork is three SKUs at two locations, counted once.
func stockNetwork(t *testing.T) *csvEnv {
	e := newCSVEnv(t)
	e.network(3, 2)
	e.importOK(imports.CSVStock, "location,sku,on_hand,safety_stock\nL00,S0000,10,1\nL00,S0001,20,2\nL01,S0000,5,0\n")
	return e
}

// wantProblems fails the test unless got lists exactly want, in order.
func wantProblems(t *testing.T, got []imports.RowError, want ...imports.RowError) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Fatalf("problems:\n got %v\nwant %v", got, want)
	}
}

func TestImportStockReportsEveryBadRowAndChangesNothing(t *testing.T) {
	e := stockNetwork(t)
	before := e.snapshot()
	res := e.importBad(imports.CSVStock, strings.Join([]string{
		"sku,location,on_hand,safety_stock,note", // columns in another order
		"S0000,L00,11,,",
		"NOPE,L00,3,,", // line 3: unknown SKU
		"S0001,L00,21,,recount",
		"S0002,L00,-4,,", // line 5: negative on_hand
		"S0000,L01,6,2,",
		"S0001,L01,7,abc,", // line 7: safety_stock is not a number
		"S0002,L01,8,,",
	}, "\n"))
	wantProblems(t, res.Problems,
		imports.RowError{Line: 3, Field: "sku", Reason: `unknown SKU "NOPE"`},
		imports.RowError{Line: 5, Field: "on_hand", Reason: "must be at least 0"},
		imports.RowError{Line: 7, Field: "safety_stock", Reason: `must be a whole number, not "abc"`},
	)
	if res.Rows != 7 || res.MoreProblems != 0 {
		t.Errorf("rows %d, more %d; want 7 and 0", res.Rows, res.MoreProblems)
	}
	if after := e.snapshot(); after != before {
		t.Fatalf("a refused import changed the stock:\nbefore\n%s\nafter\n%s", before, after)
	}
}

func TestImportStockAppliesEveryRowThroughTheLedger(t *testing.T) {
	e := stockNetwork(t)
	res := e.importOK(imports.CSVStock, "\ufefflocation,sku,on_hand,safety_stock,note\n"+
		"L00,S0000,4,,\n"+ // down from 10, safety unchanged
		"L00,S0001,20,5,\n"+ // on_hand unchanged: no ledger row, safety set
		"L01,S0001,\"7\",3,\"shelf B, recount\"\n"+ // a new level
		"L01,S0002,0,,\n") // a new, empty level
	if res.Rows != 4 || res.Applied != 4 {
		t.Fatalf("rows %d applied %d, want 4 and 4", res.Rows, res.Applied)
	}
	want := map[[2]string][2]int64{
		{"L00", "S0000"}: {4, 1}, {"L00", "S0001"}: {20, 5}, {"L01", "S0000"}: {5, 0},
		{"L01", "S0001"}: {7, 3}, {"L01", "S0002"}: {0, 0},
	}
	ctx := context.Background()
	page, err := e.app.ListStock(ctx, app.StockQuery{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Levels) != len(want) {
		t.Fatalf("%d levels, want %d", len(page.Levels), len(want))
	}
	for _, l := range page.Levels {
		if w := want[[2]string{l.Location, l.SKU}]; l.OnHand != w[0] || l.SafetyStock != w[1] {
			t.Errorf("%s at %s: on_hand %d safety %d, want %v", l.SKU, l.Location, l.OnHand, l.SafetyStock, w)
		}
	}
	if n := e.scalar(`SELECT count(*) FROM stock_levels sl WHERE on_hand <> (
		SELECT coalesce(sum(delta_on_hand), 0) FROM stock_ledger g WHERE g.sku_id = sl.sku_id AND g.location_id = sl.location_id)`); n != 0 {
		t.Errorf("%d levels differ from the sum of their ledger", n)
	}
	if n := e.scalar(`SELECT count(*) FROM stock_ledger`); n != 3+2 {
		t.Errorf("%d ledger rows, want 5 (3 first counts, then 2 changes)", n)
	}
	l, err := e.app.Ledger(ctx, "L01", "S0001", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Entries[0]; got.Reason != app.ReasonCount || got.Actor != "Olga Ops" || got.Note != "shelf B, recount" || got.DeltaOnHand != 7 {
		t.Errorf("ledger entry %+v", got)
	}
	l, _ = e.app.Ledger(ctx, "L00", "S0000", 0, 10)
	if got := l.Entries[0]; got.Note != "CSV import stock.csv" || got.DeltaOnHand != -6 {
		t.Errorf("ledger entry of a row without a note: %+v", got)
	}
}

func TestImportReportsDuplicatesNamingBothLines(t *testing.T) {
	e := stockNetwork(t)
	res := e.importBad(imports.CSVStock, "location,sku,on_hand\nL00,S0000,1\nL01,S0000,2\nL00,S0000,3\n")
	wantProblems(t, res.Problems, imports.RowError{Line: 4, Field: "sku", Reason: `"S0000" at "L00" appears twice in the file, on lines 2 and 4`})
	res = e.importBad(imports.CSVSKUs, "code,name\nA-1,First\nB-2,Second\nA-1,Again\n")
	wantProblems(t, res.Problems, imports.RowError{Line: 4, Field: "code", Reason: `"A-1" appears twice in the file, on lines 2 and 4`})
	res = e.importBad(imports.CSVLocations, "code,name,kind,city,country,timezone,ships,pickup\n"+
		"W1,One,warehouse,Lyon,FR,Europe/Paris,true,false\nW1,Two,store,Paris,FR,Europe/Paris,true,true\n")
	wantProblems(t, res.Problems, imports.RowError{Line: 3, Field: "code", Reason: `"W1" appears twice in the file, on lines 2 and 3`})
}

func TestImportReportsFileProblems(t *testing.T) {
	e := stockNetwork(t)
	cases := []struct {
		name, kind, body string
		want             []imports.RowError
	}{
		{"unknown column", imports.CSVStock, "location,sku,on_hand,colour\nL00,S0000,1,red\n", []imports.RowError{
			{Line: 1, Field: "colour", Reason: "unknown column: a stock file has the columns location,sku,on_hand,safety_stock,note"}}},
		{"missing column", imports.CSVSKUs, "code,barcode\nA,123\n", []imports.RowError{
			{Line: 1, Field: "name", Reason: "the column is missing: a skus file needs code,name"}}},
		{"semicolons", imports.CSVSKUs, "code;name\nA;B\n", []imports.RowError{
			{Line: 1, Reason: "the columns are separated by semicolons or tabs: save the file as comma-separated CSV (UTF-8)"}}},
		{"repeated column", imports.CSVSKUs, "code,name,name\nA,B,C\n", []imports.RowError{
			{Line: 1, Field: "name", Reason: "the column appears twice"}}},
		{"empty file", imports.CSVStock, "", []imports.RowError{
			{Line: 1, Reason: "the file is empty: its first line must name the columns (location,sku,on_hand,safety_stock,note)"}}},
		{"header only", imports.CSVStock, "location,sku,on_hand\n", []imports.RowError{
			{Line: 1, Reason: "the file has a header but no rows"}}},
		{"wrong number of fields", imports.CSVStock, "location,sku,on_hand\nL00,S0000\nL00,S0001,2\n", []imports.RowError{
			{Line: 2, Reason: "has 2 fields, the header has 3"}}},
		{"broken quotes", imports.CSVStock, "location,sku,on_hand\nL00,S0000,1\nL00,S\"0001,2\nL01,S0000,3\n", []imports.RowError{
			{Line: 3, Reason: `not valid CSV: bare " in non-quoted-field`}}},
		{"not UTF-8", imports.CSVStock, "location,sku,on_hand,note\nL00,S0000,1,caf\xe9\n", []imports.RowError{
			{Line: 2, Field: "note", Reason: "is not UTF-8 text: save the file as CSV UTF-8"}}},
		{"empty codes", imports.CSVStock, "location,sku,on_hand\n,,\n", []imports.RowError{
			{Line: 2, Field: "location", Reason: "is required"}, {Line: 2, Field: "sku", Reason: "is required"},
			{Line: 2, Field: "on_hand", Reason: "is required"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := e.snapshot()
			res := e.importBad(tc.kind, tc.body)
			wantProblems(t, res.Problems, tc.want...)
			if e.snapshot() != before {
				t.Fatal("a refused import changed the stock")
			}
		})
	}
}

func TestImportCapsTheListOfProblems(t *testing.T) {
	e := stockNetwork(t)
	var b strings.Builder
	b.WriteString("location,sku,on_hand\n")
	for i := range 1500 {
		fmt.Fprintf(&b, "L00,NOPE%d,1\n", i)
	}
	res := e.importBad(imports.CSVStock, b.String())
	if len(res.Problems) != imports.MaxImportProblems || res.MoreProblems != 500 || res.ProblemCount() != 1500 {
		t.Fatalf("listed %d, more %d; want %d and 500", len(res.Problems), res.MoreProblems, imports.MaxImportProblems)
	}
	if last := res.Problems[len(res.Problems)-1]; last.Line != imports.MaxImportProblems+1 {
		t.Errorf("last listed problem is on line %d, want the first ones in line order", last.Line)
	}
}

// locationHeader is the header of the location rows below.
const locationHeader = "code,name,kind,line1,city,postal_code,country,lat,lon,timezone,ships,pickup,cutoff,handling_days,tags,channels,active\n"

func TestImportLocationsValidateLikeTheAPI(t *testing.T) {
	e := newCSVEnv(t)
	ctx := context.Background()
	if _, _, err := e.app.PutChannel(ctx, app.System, "web", app.ChannelInput{Name: "Web", Kind: "api"}); err != nil {
		t.Fatal(err)
	}
	yes := true
	good := func() app.LocationInput {
		return app.LocationInput{Name: "Lyon", Kind: "warehouse", Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes,
			Address: app.Address{City: "Lyon", Country: "FR"}}
	}
	lat := 45.7
	cases := []struct {
		name, row, field, apiField string
		api                        func(in *app.LocationInput) // the same mistake made through the API
	}{
		{"bad country", "W1,Lyon,warehouse,,Lyon,,XX,,,Europe/Paris,true,true,,,,,", "country", "address.country",
			func(in *app.LocationInput) { in.Address.Country = "XX" }},
		{"bad time zone", "W1,Lyon,warehouse,,Lyon,,FR,,,Mars/Olympus,true,true,,,,,", "timezone", "timezone",
			func(in *app.LocationInput) { in.Timezone = "Mars/Olympus" }},
		{"lat without lon", "W1,Lyon,warehouse,,Lyon,,FR,45.7,,Europe/Paris,true,true,,,,,", "lat", "lat",
			func(in *app.LocationInput) { in.Lat = &lat }},
		{"bad kind", "W1,Lyon,castle,,Lyon,,FR,,,Europe/Paris,true,true,,,,,", "kind", "kind",
			func(in *app.LocationInput) { in.Kind = "castle" }},
		{"no city", "W1,Lyon,warehouse,,,,FR,,,Europe/Paris,true,true,,,,,", "city", "address.city",
			func(in *app.LocationInput) { in.Address.City = "" }},
		{"bad cutoff", "W1,Lyon,warehouse,,Lyon,,FR,,,Europe/Paris,true,true,25:00,,,,", "cutoff", "cutoff",
			func(in *app.LocationInput) { in.Cutoff = "25:00" }},
		{"no ships", "W1,Lyon,warehouse,,Lyon,,FR,,,Europe/Paris,,true,,,,,", "ships", "ships",
			func(in *app.LocationInput) { in.Ships = nil }},
		{"too many handling days", "W1,Lyon,warehouse,,Lyon,,FR,,,Europe/Paris,true,true,,61,,,", "handling_days", "handling_days",
			func(in *app.LocationInput) { in.HandlingDays = 61 }},
		{"unknown channel", "W1,Lyon,warehouse,,Lyon,,FR,,,Europe/Paris,true,true,,,,web|nope,", "channels", "channels",
			func(in *app.LocationInput) { in.Channels = []string{"web", "nope"} }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := good()
			tc.api(&in)
			_, _, err := e.app.PutLocation(ctx, app.System, "W1", in)
			apiErr, ok := err.(*app.Error)
			if !ok || apiErr.Fields[tc.apiField] == "" {
				t.Fatalf("the API accepted or answered otherwise: %v", err)
			}
			res := e.importBad(imports.CSVLocations, locationHeader+tc.row+"\n")
			wantProblems(t, res.Problems, imports.RowError{Line: 2, Field: tc.field, Reason: apiErr.Fields[tc.apiField]})
		})
	}
	t.Run("not a number or a boolean", func(t *testing.T) {
		res := e.importBad(imports.CSVLocations, locationHeader+"W1,Lyon,warehouse,,Lyon,,FR,north,4.8,Europe/Paris,maybe,true,,two,,,\n")
		wantProblems(t, res.Problems,
			imports.RowError{Line: 2, Field: "lat", Reason: `must be a number, not "north"`},
			imports.RowError{Line: 2, Field: "ships", Reason: `must be true or false (or 1/0, yes/no), not "maybe"`},
			imports.RowError{Line: 2, Field: "handling_days", Reason: `must be a whole number, not "two"`})
	})
	if n := e.scalar("SELECT count(*) FROM locations"); n != 0 {
		t.Fatalf("%d locations written by refused imports", n)
	}
}

func TestImportSKUsValidateLikeTheAPI(t *testing.T) {
	e := newCSVEnv(t)
	ctx := context.Background()
	cases := []struct {
		name, row, field string
		code             string
		in               app.SKUInput
	}{
		{"bad code", "a b,Tee,,,,", "code", "a b", app.SKUInput{Name: "Tee"}},
		{"no name", "TEE,,,,,", "name", "TEE", app.SKUInput{}},
		{"negative weight", "TEE,Tee,,-5,,", "weight_grams", "TEE", app.SKUInput{Name: "Tee", WeightGrams: -5}},
		{"long tag", "TEE,Tee,,," + strings.Repeat("x", 41) + ",", "tags", "TEE", app.SKUInput{Name: "Tee", Tags: []string{strings.Repeat("x", 41)}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := e.app.PutSKU(ctx, app.System, tc.code, tc.in)
			apiErr, ok := err.(*app.Error)
			if !ok || apiErr.Fields[tc.field] == "" {
				t.Fatalf("the API accepted or answered otherwise: %v", err)
			}
			res := e.importBad(imports.CSVSKUs, "code,name,barcode,weight_grams,tags,active\n"+tc.row+"\n")
			wantProblems(t, res.Problems, imports.RowError{Line: 2, Field: tc.field, Reason: apiErr.Fields[tc.field]})
		})
	}
	res := e.importBad(imports.CSVSKUs, "code,name,weight_grams,active\nTEE,Tee,heavy,perhaps\n")
	wantProblems(t, res.Problems,
		imports.RowError{Line: 2, Field: "weight_grams", Reason: `must be a whole number, not "heavy"`},
		imports.RowError{Line: 2, Field: "active", Reason: `must be true or false (or 1/0, yes/no), not "perhaps"`})
	e.importOK(imports.CSVSKUs, "Name, Code ,ACTIVE,tags\r\nTee,TEE,no,Summer| cotton |summer\r\nCap,CAP,,\r\n")
	s, err := e.app.SKU(ctx, "TEE")
	if err != nil || s.Active || !slices.Equal(s.Tags, []string{"cotton", "summer"}) {
		t.Fatalf("imported SKU %+v, %v", s, err)
	}
	if s, _ := e.app.SKU(ctx, "CAP"); !s.Active {
		t.Error("an empty active column should mean active")
	}
}

func TestImportNeedsOpsOrAdmin(t *testing.T) {
	e := newCSVEnv(t)
	support := app.Actor{Kind: app.ActorUser, ID: 2, Name: "Sam", Role: app.RoleSupport}
	_, err := e.imp.ImportCSV(context.Background(), support, imports.CSVSKUs, "skus.csv", strings.NewReader("code,name\nA,B\n"))
	if app.ErrorKind(err) != app.KindForbidden {
		t.Fatalf("support import: %v, want forbidden", err)
	}
	if _, err := e.imp.StartImport(context.Background(), support, imports.CSVSKUs, "skus.csv", nil); app.ErrorKind(err) != app.KindForbidden {
		t.Fatalf("support job: %v, want forbidden", err)
	}
	if err := e.imp.ExportCSV(context.Background(), support, imports.CSVSKUs, &strings.Builder{}); app.ErrorKind(err) != app.KindForbidden {
		t.Fatalf("support export: %v, want forbidden", err)
	}
	if _, err := e.imp.ImportCSV(context.Background(), e.ops, "returns", "o.csv", strings.NewReader("")); app.ErrorKind(err) != app.KindNotFound {
		t.Fatalf("unknown kind: %v, want not found", err)
	}
}

func TestImportStock100k(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 rows: not with -short")
	}
	e := newCSVEnv(t)
	e.network(2000, 50)
	res := e.importOK(imports.CSVStock, stockFile(2000, 50, 1))
	if res.Applied != 100_000 {
		t.Fatalf("applied %d rows, want 100000", res.Applied)
	}
	if n := e.scalar("SELECT count(*) FROM stock_levels"); n != 100_000 {
		t.Fatalf("%d levels, want 100000", n)
	}
	if n := e.scalar(`SELECT count(*) FROM stock_levels WHERE on_hand <> ((sku_id - 1) * 7 + (location_id - 1) * 3 + 1) % 500
		OR safety_stock <> ((sku_id - 1) + (location_id - 1)) % 4`); n != 0 {
		t.Fatalf("%d levels do not hold what the file says", n)
	}
	if n := e.scalar(`SELECT count(*) FROM (SELECT sku_id, location_id, sum(delta_on_hand) AS s FROM stock_ledger GROUP BY 1, 2) g
		JOIN stock_levels sl USING (sku_id, location_id) WHERE sl.on_hand <> g.s`); n != 0 {
		t.Fatalf("%d levels differ from their ledger", n)
	}
	if n := e.scalar("SELECT count(*) FROM stock_ledger WHERE reason <> 'count' OR actor <> 'Olga Ops' OR note <> 'CSV import stock.csv'"); n != 0 {
		t.Fatalf("%d ledger rows without the import's reason, actor and note", n)
	}
}

func TestImportLocationsHandlingCosts(t *testing.T) {
	e := newCSVEnv(t)
	const header = "code,name,kind,city,country,timezone,ships,pickup,handling_currency,handling_per_shipment,handling_per_unit\n"
	res := e.importBad(imports.CSVLocations, header+"W1,Lyon,warehouse,Lyon,FR,Europe/Paris,true,true,EUR,-1.20,0.30\nW2,Lille,warehouse,Lille,FR,Europe/Paris,true,true,,2.00,\n")
	wantProblems(t, res.Problems,
		imports.RowError{Line: 2, Field: "handling_per_shipment", Reason: "must not be negative"},
		imports.RowError{Line: 3, Field: "handling_currency", Reason: "is required when a handling cost is given"})
	if n := e.scalar("SELECT count(*) FROM locations"); n != 0 {
		t.Fatalf("%d locations written by a refused import", n)
	}
	e.importOK(imports.CSVLocations, header+"W1,Lyon,warehouse,Lyon,FR,Europe/Paris,true,true,eur,1.2,0.30\n")
	if got := e.scalar("SELECT handling_per_shipment * 1000 + handling_per_unit FROM locations WHERE code = 'W1' AND handling_currency = 'EUR'"); got != 120030 {
		t.Fatalf("handling stored as %d, want 120 and 30 cents", got)
	}
}

func TestImportLocationsScanToShip(t *testing.T) {
	e := newCSVEnv(t)
	const header = "code,name,kind,city,country,timezone,ships,pickup,scan_to_ship\n"
	res := e.importBad(imports.CSVLocations, header+"W1,Lyon,warehouse,Lyon,FR,Europe/Paris,true,true,maybe\n")
	if len(res.Problems) != 1 || res.Problems[0].Field != "scan_to_ship" {
		t.Fatalf("problems %+v, want one on scan_to_ship", res.Problems)
	}
	e.importOK(imports.CSVLocations, header+"W1,Lyon,warehouse,Lyon,FR,Europe/Paris,true,true,true\nW2,Lille,warehouse,Lille,FR,Europe/Paris,true,true,\n")
	if n := e.scalar("SELECT count(*) FROM locations WHERE scan_to_ship = 1 AND code = 'W1'"); n != 1 {
		t.Fatal("W1 does not require scanning")
	}
	if n := e.scalar("SELECT count(*) FROM locations WHERE scan_to_ship = 0 AND code = 'W2'"); n != 1 {
		t.Fatal("an empty scan_to_ship made a new location require scanning")
	}
	// Absent or empty keeps what is stored.
	e.importOK(imports.CSVLocations, "code,name,kind,city,country,timezone,ships,pickup\nW1,Lyon,warehouse,Lyon,FR,Europe/Paris,true,true\n")
	if n := e.scalar("SELECT count(*) FROM locations WHERE scan_to_ship = 1 AND code = 'W1'"); n != 1 {
		t.Fatal("a file without scan_to_ship cleared it")
	}
}
