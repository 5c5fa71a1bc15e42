package imports

import (
	"encoding/csv"
	"io"
)

// SafeCSVWriter writes CSV records with every cell protected against
// spreadsheet formulas, by the rule of csvEscapeCell; other packages' exports
// (the returns list) use it.
type SafeCSVWriter struct{ w *csvSafeWriter }

// NewSafeCSVWriter writes CSV to w.
func NewSafeCSVWriter(w io.Writer) *SafeCSVWriter {
	return &SafeCSVWriter{w: newCSVSafeWriter(csv.NewWriter(w))}
}

// Write writes one record, each cell escaped.
func (s *SafeCSVWriter) Write(rec []string) error { return s.w.Write(rec) }

// Flush sends what the writer holds and reports any error of the writes.
func (s *SafeCSVWriter) Flush() error {
	s.w.Flush()
	return s.w.Error()
}
