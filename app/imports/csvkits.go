package imports

import (
	"switchyard/app"

	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// A kit's components in a SKU file's "components" column: "MUG-1*2|TRAY-1*1",
// each component's SKU code and the units one kit takes after "*" (a code
// alone is 1), separated by "|" like every list of these files. An empty cell
// is a plain SKU; a file without the column leaves the components as stored.

// parseCSVComponents reads a components cell, adding a problem to fields
// (column "components") when it is malformed.
func parseCSVComponents(fields app.FieldsError, raw string) []app.Component {
	out := []app.Component{}
	for i, item := range csvSplit(raw) {
		code, qty, starred := strings.Cut(strings.TrimSpace(item), "*")
		code = strings.TrimSpace(code)
		n := int64(1)
		if starred {
			v, err := strconv.ParseInt(strings.TrimSpace(qty), 10, 64)
			if err != nil {
				fields.Add("components", fmt.Sprintf("component %d: the units after * must be a whole number, not %s", i+1, app.Quote(qty)))
				return nil
			}
			n = v
		}
		if !app.ValidCode(code) {
			fields.Add("components", fmt.Sprintf("component %d: %s is not a SKU code; write CODE*QUANTITY separated by |", i+1, app.Quote(code)))
			return nil
		}
		if n < 1 || n > 1000 {
			fields.Add("components", fmt.Sprintf("component %d (%s): the units must be from 1 to 1000", i+1, code))
			return nil
		}
		out = append(out, app.Component{SKU: code, Quantity: n})
	}
	return out
}

// csvComponents writes a kit's components as a cell.
func csvComponents(comps []app.Component) string {
	parts := make([]string, len(comps))
	for i, c := range comps {
		parts[i] = c.SKU + "*" + strconv.FormatInt(c.Quantity, 10)
	}
	return strings.Join(parts, "|")
}

// csvRowProblem is a problem found while writing a row that checked well (a
// component unknown or making a cycle, as the database sees it then).
type csvRowProblem struct {
	line          int
	field, reason string
}

// Error words it as the import's problems list does.
func (p *csvRowProblem) Error() string {
	return fmt.Sprintf("line %d, %s: %s", p.line, p.field, p.reason)
}

// rowProblem turns the app's refusal of a row's components into a problem of
// that line and column; other errors pass through.
func rowProblem(err error, line int, column string) error {
	var ae *app.Error
	if !errors.As(err, &ae) || ae.Kind != app.KindInvalid || len(ae.Fields) == 0 {
		return err
	}
	names := make([]string, 0, len(ae.Fields))
	for name := range ae.Fields {
		names = append(names, name)
	}
	sort.Strings(names)
	reason := ae.Fields[names[0]]
	var i int
	if _, err := fmt.Sscanf(names[0], "components[%d]", &i); err == nil {
		reason = fmt.Sprintf("component %d: %s", i+1, reason)
	}
	return &csvRowProblem{line: line, field: column, reason: reason}
}
