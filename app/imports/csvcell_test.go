package imports

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// spreadsheetFormula reports whether a spreadsheet would read cell as a
// formula: after leading spaces, its first character is a trigger.
func spreadsheetFormula(cell string) bool {
	rest := strings.TrimLeft(cell, " ")
	return rest != "" && strings.ContainsRune("=+-@\t\r\n", rune(rest[0]))
}

func TestCSVEscapeCell(t *testing.T) {
	cases := []struct{ value, cell string }{
		{"", ""},
		{"Lyon hall 2", "Lyon hall 2"},
		{"=HYPERLINK(\"http://evil.example\",\"x\")", "'=HYPERLINK(\"http://evil.example\",\"x\")"},
		{"@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"  =1+1", "'  =1+1"},
		{"-", "'-"},
		{"+", "'+"},
		{"-3", "-3"},
		{"-12.50", "-12.50"},
		{"+33 6 12 34 56 78", "+33 6 12 34 56 78"},
		{"+1 (555) 010-4477", "+1 (555) 010-4477"},
		{"-1e5", "'-1e5"},
		{"'=x", "''=x"},
		{"''@x", "'''@x"},
		{"' =x", "'' =x"},
		{"'quoted'", "'quoted'"},
		{"O'Brien", "O'Brien"},
		{"a=b", "a=b"},
	}
	for _, c := range cases {
		got := csvEscapeCell(c.value)
		if got != c.cell {
			t.Errorf("csvEscapeCell(%q) = %q, want %q", c.value, got, c.cell)
		}
		if back := csvUnescapeCell(got); back != c.value {
			t.Errorf("csvUnescapeCell(%q) = %q, want %q", got, back, c.value)
		}
		if spreadsheetFormula(got) && !csvPlain(got) {
			t.Errorf("cell %q of %q would be read as a formula", got, c.value)
		}
	}
}

func TestCSVUnescapeCellLeavesOtherCells(t *testing.T) {
	for _, cell := range []string{"'", "''", "'abc", "'1", "=x", "-3", "x'=y"} {
		want := cell
		if got := csvUnescapeCell(cell); got != want {
			t.Errorf("csvUnescapeCell(%q) = %q, want it as it is", cell, got)
		}
	}
}

// FuzzCSVCellRoundTrip checks, for any string, that the import reads back
// exactly what the export wrote, through encoding/csv too, and that the
// written cell is never a formula unless it is a plain number or phone.
func FuzzCSVCellRoundTrip(f *testing.F) {
	for _, s := range []string{"", "=1+1", "'=1+1", "''=x", "-3", "+33 6 12 34 56 78", "@x", "\t=x", " =x",
		"' =x", "'", "-", "O'Brien", "\"=x\"", "a,b", "line\nbreak", "\r\n=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cell := csvEscapeCell(s)
		if back := csvUnescapeCell(cell); back != s {
			t.Fatalf("value %q: cell %q reads back as %q", s, cell, back)
		}
		if spreadsheetFormula(cell) && !csvPlain(cell) {
			t.Fatalf("value %q: cell %q would be read as a formula", s, cell)
		}
		if strings.ContainsRune(s, '\r') {
			return // encoding/csv turns \r\n inside a quoted field into \n
		}
		var buf bytes.Buffer
		w := newCSVSafeWriter(csv.NewWriter(&buf))
		if err := w.Write([]string{s, "x"}); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		if err := w.Error(); err != nil {
			t.Fatal(err)
		}
		rec, err := csv.NewReader(&buf).Read()
		if err != nil {
			t.Fatalf("value %q: read back %q: %v", s, buf.String(), err)
		}
		if len(rec) != 2 || csvUnescapeCell(rec[0]) != s {
			t.Fatalf("value %q: record read back as %q", s, rec)
		}
	})
}
