package imports

import (
	"switchyard/app"

	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// csvFile is a CSV file read into rows, with the columns its header names.
type csvFile struct {
	kind     string
	cols     map[string]int // column name -> index in a record
	headerOK bool           // the header names known columns, each once, and every required one
	rows     []csvRow
}

// csvRow is one record of the file and the line it starts on.
type csvRow struct {
	line   int
	fields []string
	bad    *RowError // why the record could not be read, if it could not
}

// get returns the value of column name in row, "" when the file lacks it: the
// cell trimmed, then read back as an export wrote it (csvUnescapeCell).
func (f *csvFile) get(row csvRow, name string) string {
	i, ok := f.cols[name]
	if !ok {
		return ""
	}
	return csvUnescapeCell(strings.TrimSpace(row.fields[i]))
}

// has reports whether the file has column name.
func (f *csvFile) has(name string) bool {
	_, ok := f.cols[name]
	return ok
}

// order is the position of column name among the kind's columns, for sorting problems.
func (f *csvFile) order(name string) int {
	for i, c := range csvColumns[f.kind] {
		if c == name {
			return i
		}
	}
	return len(csvColumns[f.kind])
}

// each calls fn for every row that could be read, reporting the others to p,
// and counts every row in prog.
func (f *csvFile) each(p *csvProblems, prog *importProgress, fn func(row csvRow) error) error {
	for _, row := range f.rows {
		if row.bad != nil {
			p.add(row.line, row.bad.Field, row.bad.Reason)
		} else if err := fn(row); err != nil {
			return err
		}
		prog.step()
	}
	return nil
}

// csvBOM starts files saved as "UTF-8 with BOM".
const csvBOM = "\xEF\xBB\xBF"

// readCSVFile reads every record of r, checking the header against kind's columns.
// Header problems and unreadable records go to p; only I/O failures are errors.
func readCSVFile(r io.Reader, kind string, p *csvProblems, prog *importProgress) (*csvFile, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(len(csvBOM)); err == nil && string(b) == csvBOM {
		br.Discard(len(csvBOM)) //nolint:errcheck // just peeked
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	f := &csvFile{kind: kind}
	header, err := cr.Read()
	switch {
	case errors.Is(err, io.EOF):
		p.add(1, "", "the file is empty: its first line must name the columns ("+strings.Join(csvColumns[kind], ",")+")")
		return f, nil
	case err != nil:
		return f, csvReadProblem(err, p)
	}
	f.headerOK = f.readHeader(header, p)
	if !f.headerOK {
		return f, nil
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var line int
		var pe *csv.ParseError
		switch {
		case errors.As(err, &pe):
			line = pe.StartLine
		case err != nil:
			return f, fmt.Errorf("read CSV: %w", err)
		default:
			line, _ = cr.FieldPos(0)
		}
		f.rows = append(f.rows, f.newRow(line, rec, err))
		prog.step()
	}
	if len(f.rows) == 0 {
		p.add(1, "", "the file has a header but no rows")
	}
	return f, nil
}

// csvReadProblem notes a header that cannot be read, or returns an I/O failure.
func csvReadProblem(err error, p *csvProblems) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("read CSV: %w", err)
	}
	p.add(pe.StartLine, "", "not valid CSV: "+pe.Err.Error())
	return nil
}

// readHeader maps the header's columns, noting unknown, repeated and missing ones.
func (f *csvFile) readHeader(header []string, p *csvProblems) bool {
	known := csvColumns[f.kind]
	f.cols = make(map[string]int, len(header))
	if len(header) == 1 && strings.ContainsAny(header[0], ";\t") {
		p.add(1, "", "the columns are separated by semicolons or tabs: save the file as comma-separated CSV (UTF-8)")
		return false
	}
	ok := true
	for i, raw := range header {
		name := strings.ToLower(strings.TrimSpace(raw))
		switch {
		case name == "":
			p.add(1, "", fmt.Sprintf("column %d has no name", i+1))
		case !utf8.ValidString(name) || f.order(name) == len(known):
			p.add(1, name, "unknown column: a "+f.kind+" file has the columns "+strings.Join(known, ","))
		case f.has(name):
			p.add(1, name, "the column appears twice")
		default:
			f.cols[name] = i
			continue
		}
		ok = false
	}
	for _, name := range csvRequired[f.kind] {
		if !f.has(name) {
			p.add(1, name, "the column is missing: a "+f.kind+" file needs "+strings.Join(csvRequired[f.kind], ","))
			ok = false
		}
	}
	return ok
}

// csvTextProblem says why a cell is not text, or "": not UTF-8, or a control
// character (tab and line breaks are allowed in a multi-line column: note).
func csvTextProblem(cell string, multiline bool) string {
	switch {
	case !utf8.ValidString(cell):
		return "is not UTF-8 text: save the file as CSV UTF-8"
	case !app.IsText(cell, multiline):
		return app.NotTextProblem + " (a control character such as NUL)"
	}
	return ""
}

// newRow makes the row of one record, or notes why it cannot be used.
func (f *csvFile) newRow(line int, rec []string, err error) csvRow {
	row := csvRow{line: line, fields: rec}
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		row.bad = &RowError{Line: line, Reason: "not valid CSV: " + pe.Err.Error()}
	case len(rec) != len(f.cols):
		row.bad = &RowError{Line: line, Reason: fmt.Sprintf("has %d fields, the header has %d", len(rec), len(f.cols))}
	default:
		for name, i := range f.cols {
			if reason := csvTextProblem(rec[i], name == "note"); reason != "" {
				row.bad = &RowError{Line: line, Field: name, Reason: reason}
				break
			}
		}
	}
	return row
}
