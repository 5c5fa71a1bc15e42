package imports_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/imports"
)

// TestCSVKitsRoundTrip: a SKU file's components column makes kits (a kit may
// name SKUs of later rows, or another kit), the export writes them back in
// the same format, and importing the export changes nothing.
func TestCSVKitsRoundTrip(t *testing.T) {
	e := newCSVEnv(t)
	ctx := context.Background()
	e.importOK(imports.CSVSKUs, "code,name,components\n"+
		"BOX,Box,SET*2|SPOON\n"+
		"SET,Gift set,MUG*2|TRAY*1\n"+
		"MUG,Mug,\nTRAY,Tray,\nSPOON,Spoon,\n")
	box, err := e.app.SKU(ctx, "BOX")
	if err != nil || !box.Kit || len(box.Components) != 2 || box.Components[0] != (app.Component{SKU: "SET", Quantity: 2}) || box.Components[1].Quantity != 1 {
		t.Fatalf("BOX = %+v, %v", box, err)
	}
	var out bytes.Buffer
	if err := e.imp.ExportCSV(ctx, e.ops, imports.CSVSKUs, &out); err != nil {
		t.Fatal(err)
	}
	export := out.String()
	for _, want := range []string{"code,name,barcode,weight_grams,tags,active,components\n", "BOX,Box,,0,,true,SET*2|SPOON*1\n", "SET,Gift set,,0,,true,MUG*2|TRAY*1\n", "MUG,Mug,,0,,true,\n"} {
		if !strings.Contains(export, want) {
			t.Fatalf("export lacks %q:\n%s", want, export)
		}
	}
	e.importOK(imports.CSVSKUs, export)
	out.Reset()
	if err := e.imp.ExportCSV(ctx, e.ops, imports.CSVSKUs, &out); err != nil || out.String() != export {
		t.Fatalf("export after re-import differs (%v):\n%s\nwas\n%s", err, out.String(), export)
	}
	// a file without the column leaves the components; an empty cell makes a plain SKU
	e.importOK(imports.CSVSKUs, "code,name\nSET,Gift set renamed\n")
	if s, _ := e.app.SKU(ctx, "SET"); !s.Kit || len(s.Components) != 2 {
		t.Fatalf("SET without a components column: %+v", s)
	}
	e.importOK(imports.CSVSKUs, "code,name,components\nBOX,Box,\n")
	if s, _ := e.app.SKU(ctx, "BOX"); s.Kit {
		t.Fatalf("BOX with an empty components cell stayed a kit: %+v", s)
	}
}

// TestCSVKitsRefused: bad components cells are refused naming the line and
// the column, the database's refusals too (unknown SKU, a kit inside itself),
// and a stock file may not count a kit; nothing is written.
func TestCSVKitsRefused(t *testing.T) {
	e := newCSVEnv(t)
	e.importOK(imports.CSVSKUs, "code,name,components\nMUG,Mug,\nTRAY,Tray,\nSET,Set,MUG*2\nBOX,Box,SET*1\n")
	e.importOK(imports.CSVLocations, "code,name,kind,city,country,timezone,ships,pickup\nA,A,warehouse,Lyon,FR,Europe/Paris,true,false\n")
	before := e.snapshot()
	cases := []struct{ name, file, reason string }{
		{"no units", "code,name,components\nMUG,Mug,\nSET,Set,MUG*\n", "whole number"},
		{"zero units", "code,name,components\nMUG,Mug,\nSET,Set,MUG*0\n", "from 1 to 1000"},
		{"bad code", "code,name,components\nMUG,Mug,\nSET,Set,MUG;TRAY\n", "is not a SKU code"},
		{"unknown", "code,name,components\nMUG,Mug,\nSET,Set,MUG*1|NOPE*2\n", `component 2: no SKU "NOPE"`},
		{"cycle", "code,name,components\nMUG,Mug,\nSET,Set,BOX*1\n", "cannot contain itself"},
		{"itself", "code,name,components\nMUG,Mug,\nSET,Set,SET*1\n", "cannot contain itself"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := e.importBad(imports.CSVSKUs, tc.file)
			if len(res.Problems) != 1 || res.Problems[0].Line != 3 || res.Problems[0].Field != "components" || !strings.Contains(res.Problems[0].Reason, tc.reason) {
				t.Fatalf("problems %+v, want line 3, components: %q", res.Problems, tc.reason)
			}
			if s, _ := e.app.SKU(context.Background(), "SET"); len(s.Components) != 1 || s.Components[0].SKU != "MUG" {
				t.Fatalf("SET changed by a refused file: %+v", s)
			}
		})
	}
	res := e.importBad(imports.CSVStock, "location,sku,on_hand\nA,MUG,4\nA,BOX,2\n")
	if len(res.Problems) != 1 || res.Problems[0].Line != 3 || res.Problems[0].Field != "sku" || !strings.Contains(res.Problems[0].Reason, "is a kit") {
		t.Fatalf("stock file counting a kit: %+v", res.Problems)
	}
	if after := e.snapshot(); after != before {
		t.Fatalf("refused files wrote:\n%s\nwas\n%s", after, before)
	}
}
