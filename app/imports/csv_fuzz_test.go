package imports_test

import (
	"switchyard/app/imports"

	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"switchyard/app"
)

// FuzzCSVImport imports any bytes as a CSV file of each kind, into a network
// that has channels, locations, SKUs and stock. The import is all or nothing:
// either every row is applied and nothing is reported, or the answer is
// Invalid, lists at least one problem on a line the file has and in a column
// of the kind, and nothing in the database changed. Problems are text a page
// can show, and the stock never goes below zero.
func FuzzCSVImport(f *testing.F) {
	e := newCSVEnv(f)
	richNetwork(f, e)
	for i, kind := range imports.CSVKinds {
		header := strings.Join(imports.CSVColumns(kind), ",") + "\n"
		f.Add(uint8(i), false, []byte(header))
		f.Add(uint8(i), true, []byte(""))
		f.Add(uint8(i), false, []byte(e.export(kind)))
	}
	for _, s := range []struct {
		kind   string
		header bool
		body   string
	}{
		{imports.CSVStock, false, "location,sku,on_hand\nLYS-WH,TEE-BLK-M,-5\n"},
		{imports.CSVStock, false, "location,sku,on_hand,note\nLYS-WH,CAP-01,12,\"'=HYPERLINK(\"\"x\"\")\"\n"},
		{imports.CSVStock, false, "\xEF\xBB\xBFlocation;sku;on_hand\nLYS-WH;CAP-01;1\n"},
		{imports.CSVStock, false, "location,sku,on_hand\nLYS-WH,CAP-01,1\x00\n"},
		{imports.CSVStock, false, "location,sku,on_hand\nLYS-WH,\"CAP-01,2\n"},
		{imports.CSVSKUs, false, "code,name,code\nA,B,C\n"},
		{imports.CSVSKUs, false, "code,name\nNEW-1,caf\xe9\n"},
		{imports.CSVSKUs, false, "code,name,weight_grams,active\nNEW-2,Mug,99999999999999999999,maybe\n"},
		{imports.CSVLocations, false, "code,name,kind,city,country,timezone,ships,pickup,lat\nX1,X,castle,Paris,FRA,Mars/Base,yes,no,91\n"},
		{imports.CSVOrders, false, "channel,external_id,currency,sku,quantity,unit_price\nweb-eu,9001,EUR,CAP-01,1,9.90\nweb-eu,9001,USD,CAP-01,0,-1\n"},
		{imports.CSVOrders, true, "market,9002,EUR,,,,,,,,,,,,,,,,ship,,0,,\x1b[2J,,TEE-BLK-M,,1,1e3\n"},
	} {
		f.Add(uint8(slices.Index(imports.CSVKinds, s.kind)), s.header, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, k uint8, withHeader bool, body []byte) {
		kind := imports.CSVKinds[int(k)%len(imports.CSVKinds)]
		if withHeader {
			body = append([]byte(strings.Join(imports.CSVColumns(kind), ",")+"\n"), body...)
		}
		run := *e
		run.t = t
		before := run.fingerprint()
		res, err := run.imp.ImportCSV(context.Background(), run.ops, kind, "fuzz.csv", bytes.NewReader(body))
		if err == nil {
			if res.Applied != res.Rows || res.ProblemCount() != 0 {
				t.Fatalf("accepted %s import applied %d of %d rows with problems %v", kind, res.Applied, res.Rows, res.Problems)
			}
		} else {
			checkCSVRefusal(t, kind, body, res, err)
			if after := run.fingerprint(); after != before {
				t.Fatalf("a refused %s import changed the database:\nbefore\n%s\nafter\n%s", kind, before, after)
			}
		}
		if n := run.scalar("SELECT count(*) FROM stock_levels WHERE on_hand < 0 OR reserved < 0 OR reserved > on_hand"); n != 0 {
			t.Fatalf("%d stock levels below zero or over-reserved after a %s import", n, kind)
		}
	})
}

// checkCSVRefusal checks that a refused import is Invalid, writes nothing and
// says where each problem is, in words a page can show. Problems of the header
// (line 1) may name the file's own unknown columns.
func checkCSVRefusal(t *testing.T, kind string, body []byte, res imports.ImportResult, err error) {
	t.Helper()
	if app.ErrorKind(err) != app.KindInvalid {
		t.Fatalf("%s import failed with %v (kind %v), want an Invalid refusal", kind, err, app.ErrorKind(err))
	}
	if res.Applied != 0 || res.ProblemCount() == 0 {
		t.Fatalf("refused %s import applied %d rows and lists %d problems", kind, res.Applied, res.ProblemCount())
	}
	lines := bytes.Count(body, []byte("\n")) + bytes.Count(body, []byte("\r")) + 1
	columns := imports.CSVColumns(kind)
	for _, p := range res.Problems {
		if p.Line < 1 || p.Line > lines {
			t.Fatalf("problem on line %d of a file with %d lines: %+v", p.Line, lines, p)
		}
		if p.Line > 1 && p.Field != "" && !slices.Contains(columns, p.Field) {
			t.Fatalf("problem names %q, not a column of %s files: %+v", p.Field, kind, p)
		}
		if p.Reason == "" || !utf8.ValidString(p.Reason) || strings.ContainsFunc(p.Reason, isControl) {
			t.Fatalf("problem reason is not showable text: %q", p.Reason)
		}
	}
}

// isControl reports the characters a problem's reason must not carry.
func isControl(r rune) bool { return r < ' ' || r == 0x7f }

// fingerprint is everything an import may change, to compare before and after.
func (e *csvEnv) fingerprint() string {
	e.t.Helper()
	var b strings.Builder
	b.WriteString(e.snapshot())
	for _, q := range []string{
		"SELECT count(*) FROM skus", "SELECT coalesce(sum(updated_at), 0) FROM skus",
		"SELECT count(*) FROM locations", "SELECT coalesce(sum(updated_at), 0) FROM locations",
		"SELECT count(*) FROM location_channels", "SELECT count(*) FROM orders", "SELECT count(*) FROM order_lines",
	} {
		fmt.Fprintln(&b, q, e.scalar(q))
	}
	return b.String()
}
