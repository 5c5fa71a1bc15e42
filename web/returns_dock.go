package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/returns"
	"switchyard/web/views"
)

// dockPath is a location's receiving page.
func dockPath(code string) string { return "/locations/" + url.PathEscape(code) + "/returns" }

// returnsDockPage lists what a location expects back, the late ones first,
// each with its receive form.
func (s *Server) returnsDockPage(c echo.Context) error {
	code := pathCode(c, "code")
	if err := visibleLocation(currentUser(c), code); err != nil {
		return err
	}
	kind, msg := takeFlash(c)
	return s.renderDock(c, http.StatusOK, code, nil, views.Flash{Kind: kind, Text: msg})
}

// renderDock renders the receiving page; form, when set, is the state of one
// return's receive form (after a scan, an added row or an error).
func (s *Server) renderDock(c echo.Context, status int, code string, form *views.ReceiveForm, notice views.Flash) error {
	d, err := s.returns.Expected(c.Request().Context(), currentUser(c).Actor(), code)
	if err != nil {
		return err
	}
	zone, _ := s.app.Zone(d.Timezone)
	v := views.DockView{CSRF: csrfToken(c), Dock: d, Notice: notice, Forms: map[string]views.ReceiveForm{}, Zone: zone}
	for i, r := range d.Returns {
		f := views.ReceiveForm{Number: r.Number, Rows: defaultRows(r), Focus: form == nil && i == 0}
		if form != nil && form.Number == r.Number {
			f = *form
		}
		v.Forms[r.Number] = f
	}
	return s.render(c, status, "Returns expected at "+d.Location.Name, views.Dock(v))
}

// defaultRows is one empty row per line still expected.
func defaultRows(r returns.Expected) []views.ReceiveRow {
	var rows []views.ReceiveRow
	for _, l := range r.Lines {
		if l.Left() > 0 {
			rows = append(rows, views.ReceiveRow{Line: strconv.FormatInt(l.OrderLineID, 10), Disposition: returns.DispositionRestock})
		}
	}
	return rows
}

// receivePost is what a receive form posts: rows of (line, quantity,
// disposition), a scanned code, and which button was pressed.
type receivePost struct {
	Lines        []string `form:"line"`
	Quantities   []string `form:"quantity"`
	Dispositions []string `form:"disposition"`
	Scan         string   `form:"scan"`
	Action       string   `form:"action"` // scan (Enter in the scan box), add_row, or receive
	Note         string   `form:"note"`
}

// rows pairs the posted columns (at most maxReceiveRows).
func (p receivePost) rows() []views.ReceiveRow {
	var rows []views.ReceiveRow
	for i := range min(len(p.Lines), maxReceiveRows) {
		r := views.ReceiveRow{Line: strings.TrimSpace(p.Lines[i])}
		if i < len(p.Quantities) {
			r.Quantity = strings.TrimSpace(p.Quantities[i])
		}
		if i < len(p.Dispositions) {
			r.Disposition = p.Dispositions[i]
		}
		rows = append(rows, r)
	}
	return rows
}

// maxReceiveRows bounds the rows of one receive form.
const maxReceiveRows = 500

// counted keeps the rows with a quantity: the others count nothing.
func counted(rows []views.ReceiveRow) []views.ReceiveRow {
	var out []views.ReceiveRow
	for _, r := range rows {
		if r.Quantity != "" {
			out = append(out, r)
		}
	}
	return out
}

// receiveReturn handles a receive form: a scan picks the matching line (one
// more unit), add_row adds an empty row, receive counts the rows.
func (s *Server) receiveReturn(c echo.Context) error {
	code := pathCode(c, "code")
	if err := visibleLocation(currentUser(c), code); err != nil {
		return err
	}
	ctx := c.Request().Context()
	actor := currentUser(c).Actor()
	r, err := s.returns.ExpectedOne(ctx, actor, code, c.Param("number"))
	if err != nil {
		return err
	}
	var p receivePost
	if err := bindForm(c, &p); err != nil {
		return err
	}
	f := views.ReceiveForm{Number: r.Number, Rows: p.rows(), Note: p.Note, Focus: true}
	switch p.Action {
	case "add_row":
		f.Rows = append(f.Rows, views.ReceiveRow{Disposition: returns.DispositionRestock})
		return s.renderDock(c, http.StatusOK, code, &f, views.Flash{})
	case "receive":
	default: // Enter in the scan box
		if msg := scanInto(&f, r, p.Scan); msg != "" {
			f.Errors = views.Errors{"scan": msg}
			f.Scan = p.Scan
			return s.renderDock(c, http.StatusUnprocessableEntity, code, &f, views.Flash{})
		}
		return s.renderDock(c, http.StatusOK, code, &f, views.Flash{})
	}
	f.Rows = counted(f.Rows)
	in, errs := receiptOf(f.Rows, p.Note)
	if len(errs) > 0 {
		f.Errors = errs
		return s.renderDock(c, http.StatusUnprocessableEntity, code, &f, views.Flash{Kind: "error", Text: "Please correct the rows marked below: nothing was counted."})
	}
	done, err := s.returns.Receive(ctx, actor, r.Number, in)
	if errs, msg, ok := fieldErrors(err); ok {
		f.Errors = receiptRowErrors(errs)
		return s.renderDock(c, http.StatusUnprocessableEntity, code, &f, views.Flash{Kind: "error", Text: msg + " Nothing was counted."})
	} else if err != nil {
		return err
	}
	return redirectWithFlash(c, dockPath(code), fmt.Sprintf("Return %s: counted (%s).", done.Number, done.Status.Label()))
}

// scanInto adds one unit of the line whose SKU or barcode is code to the
// form: to the last row when it is that line's, else as a new restock row.
// It answers a message when no line of the return matches.
func scanInto(f *views.ReceiveForm, r returns.Expected, code string) string {
	code = strings.TrimSpace(code)
	if code == "" {
		return "scan or type a SKU or barcode"
	}
	var line *returns.Line
	for i, l := range r.Lines {
		if strings.EqualFold(l.SKU, code) || r.Barcodes[l.OrderLineID] == code {
			line = &r.Lines[i]
			break
		}
	}
	if line == nil {
		return fmt.Sprintf("%s is not on return %s", app.Quote(code), r.Number)
	}
	id := strconv.FormatInt(line.OrderLineID, 10)
	for i := len(f.Rows) - 1; i >= 0; i-- {
		row := &f.Rows[i]
		if row.Line != id {
			continue
		}
		n, _ := strconv.ParseInt(row.Quantity, 10, 64)
		row.Quantity = strconv.FormatInt(n+1, 10)
		return ""
	}
	f.Rows = append(f.Rows, views.ReceiveRow{Line: id, Quantity: "1", Disposition: returns.DispositionRestock})
	return ""
}

// receiptOf reads the rows into a receipt, with the rows' own problems.
func receiptOf(rows []views.ReceiveRow, note string) (returns.Receipt, views.Errors) {
	in := returns.Receipt{Note: note}
	errs := views.Errors{}
	for i, row := range rows {
		line, err := strconv.ParseInt(row.Line, 10, 64)
		if err != nil {
			errs[fmt.Sprintf("rows[%d].line", i)] = "pick a line"
		}
		n, err := strconv.ParseInt(row.Quantity, 10, 64)
		if err != nil {
			errs[fmt.Sprintf("rows[%d].quantity", i)] = "must be a whole number"
		}
		in.Lines = append(in.Lines, returns.ReceiptLine{Line: line, Quantity: n, Disposition: row.Disposition})
	}
	if len(rows) == 0 {
		errs["rows"] = "count at least one unit"
	}
	return in, errs
}

// receiptRowErrors renames the receipt's field errors (lines[i].x) to the form's rows.
func receiptRowErrors(errs views.Errors) views.Errors {
	out := views.Errors{}
	for k, v := range errs {
		if strings.HasPrefix(k, "lines[") {
			k = "rows[" + strings.TrimPrefix(k, "lines[")
		} else if k == "lines" {
			k = "rows"
		}
		out[k] = v
	}
	return out
}
