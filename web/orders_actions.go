package web

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/web/views"
)

// keepForm puts a refused action's form, with its errors, back on the order's page.
type keepForm func(v *views.OrderView, errs views.Errors)

// holdOrder puts the order on hold with a reason and an optional note.
func (s *Server) holdOrder(c echo.Context) error {
	var f views.HoldForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	o, err := s.app.Hold(c.Request().Context(), currentUser(c).Actor(), c.Param("number"), app.HoldInput{Reason: f.Reason, Note: f.Note})
	return s.actionAnswer(c, o, err, func(v *views.OrderView, errs views.Errors) { f.Errors = errs; v.Hold = f })
}

// releaseOrder takes the order off hold.
func (s *Server) releaseOrder(c echo.Context) error {
	o, err := s.app.Release(c.Request().Context(), currentUser(c).Actor(), c.Param("number"))
	return s.actionAnswer(c, o, err, func(*views.OrderView, views.Errors) {})
}

// cancelPost is what the cancel forms post: the scope (order or lines) and
// the reason; the lines' rows (lines[k].id, lines[k].quantity) are read apart.
type cancelPost struct {
	Scope  string `form:"scope"`
	Reason string `form:"reason"`
}

// cancelOrder cancels the whole order (scope=order) or quantities of lines (scope=lines).
func (s *Server) cancelOrder(c echo.Context) error {
	var p cancelPost
	if err := bindForm(c, &p); err != nil {
		return err
	}
	switch p.Scope {
	case "order":
		f := views.CancelForm{Reason: p.Reason}
		o, err := s.app.Cancel(c.Request().Context(), currentUser(c).Actor(), c.Param("number"), app.CancelInput{Reason: f.Reason})
		return s.actionAnswer(c, o, err, func(v *views.OrderView, errs views.Errors) { f.Errors = errs; v.Cancel = f })
	case "lines":
		return s.cancelLines(c, p.Reason)
	}
	return app.InvalidField("scope", "must be order or lines")
}

// cancelLines cancels the quantities typed beside the lines; rows left empty are not touched.
func (s *Server) cancelLines(c echo.Context, reason string) error {
	form, err := c.FormParams()
	if err != nil {
		return app.Invalid("the form could not be read", nil)
	}
	f := views.CancelLinesForm{Reason: reason, Quantities: map[int64]string{}}
	lines, rows, err := cancelLinesOf(form, f.Quantities)
	var o app.Order
	if err == nil {
		in := app.CancelInput{Reason: f.Reason, Lines: lines}
		o, err = s.app.Cancel(c.Request().Context(), currentUser(c).Actor(), c.Param("number"), in)
		err = renumberLines(err, rows)
	}
	return s.actionAnswer(c, o, err, func(v *views.OrderView, errs views.Errors) { f.Errors = errs; v.CancelLines = f })
}

// cancelLinesOf reads the rows lines[k].id and lines[k].quantity that have a
// quantity, remembering what was typed by line id. rows[j] is the form row of
// the app's lines[j], to put the app's errors beside the right row.
func cancelLinesOf(form url.Values, typed map[int64]string) ([]app.CancelLine, []int, error) {
	var lines []app.CancelLine
	var rows []int
	bad := map[string]string{}
	for _, r := range formLines(form) {
		raw := strings.TrimSpace(r.vals["quantity"])
		id, idErr := strconv.ParseInt(r.vals["id"], 10, 64)
		if idErr == nil {
			typed[id] = raw
		}
		if raw == "" {
			continue
		}
		q, qErr := strconv.ParseInt(raw, 10, 64)
		switch {
		case qErr != nil:
			bad[r.field("quantity")] = "must be a whole number"
		case idErr != nil:
			bad[r.field("id")] = "is not a line of this order"
		default:
			lines = append(lines, app.CancelLine{ID: id, Quantity: &q})
			rows = append(rows, r.k)
		}
	}
	if len(bad) > 0 {
		return nil, nil, app.Invalid("cancellation is invalid", bad)
	}
	if len(lines) == 0 {
		return nil, nil, app.InvalidField("lines", "enter how many to cancel beside at least one line")
	}
	return lines, rows, nil
}

// changeOrderAddress replaces the order's shipping address.
func (s *Server) changeOrderAddress(c echo.Context) error {
	var f views.AddressForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	o, err := s.app.ChangeAddress(c.Request().Context(), currentUser(c).Actor(), c.Param("number"), f.Input())
	return s.actionAnswer(c, o, err, func(v *views.OrderView, errs views.Errors) { f.Errors = errs; v.Address = f })
}

// orderNotePost is what a note form posts; from a fulfillment's page it
// also names the fulfillment and the queue to go back to.
type orderNotePost struct {
	views.NoteForm
	Fulfillment string `form:"fulfillment"`
	Back        string `form:"back"`
}

// addOrderNote adds an internal note to the order's timeline.
func (s *Server) addOrderNote(c echo.Context) error {
	var p orderNotePost
	if err := bindForm(c, &p); err != nil {
		return err
	}
	f := p.NoteForm
	o, err := s.app.AddNote(c.Request().Context(), currentUser(c).Actor(), c.Param("number"), f.Text)
	if p.Fulfillment != "" || currentUser(c).Role == app.RoleWarehouse {
		return s.floorNoteAnswer(c, p, o, err)
	}
	return s.actionAnswer(c, o, err, func(v *views.OrderView, errs views.Errors) { f.Errors = errs; v.Note = f })
}

// actionAnswer answers an action on an order. Done: 303 to the order's page
// (htmx gets the updated page at once). Bad input: the page again with the
// form's errors (422). A move the order's status refuses: the page with the
// reason on top (409). Anything else goes to the central error handler.
func (s *Server) actionAnswer(c echo.Context, o app.Order, err error, keep keepForm) error {
	if err == nil {
		if !isHTMX(c) {
			return c.Redirect(http.StatusSeeOther, orderURL(o.Number))
		}
		v, err := s.orderView(c, o, views.TimelineAll)
		if err != nil {
			return err
		}
		return s.renderOrder(c, http.StatusOK, v)
	}
	errs, msg, invalid := fieldErrors(err)
	if !invalid && app.ErrorKind(err) != app.KindConflict {
		return err
	}
	o, lerr := s.app.OrderByNumber(c.Request().Context(), c.Param("number"))
	if lerr != nil {
		return lerr
	}
	v, lerr := s.orderView(c, o, views.TimelineAll)
	if lerr != nil {
		return lerr
	}
	v.NoticeKind = "error"
	if invalid {
		keep(&v, errs)
		v.Notice = msg
		return s.renderOrder(c, http.StatusUnprocessableEntity, v)
	}
	v.Notice = sentence(describeError(err).message)
	return s.renderOrder(c, http.StatusConflict, v)
}

// renderOrder renders an order's page after an action; htmx's address bar shows the page.
func (s *Server) renderOrder(c echo.Context, status int, v views.OrderView) error {
	if isHTMX(c) {
		c.Response().Header().Set("HX-Replace-Url", orderURL(v.Order.Number))
	}
	return s.render(c, status, "Order "+v.Order.Number, views.OrderPage(v))
}

// formLine is one row of a form's indexed line fields: lines[k].name.
type formLine struct {
	k    int
	vals map[string]string
}

// field names a field of the row as the form does.
func (r formLine) field(name string) string { return lineFormField(r.k, name) }

// lineFormField names field of line row k: lines[k].field.
func lineFormField(k int, field string) string { return "lines[" + strconv.Itoa(k) + "]." + field }

// maxLineRow is the highest row index of a form's lines (an order has at most 500 lines).
const maxLineRow = 999

// lineKey matches an indexed line field such as lines[2].quantity, up to row maxLineRow.
var lineKey = regexp.MustCompile(`^lines\[(\d{1,3})\]\.([a-z_]+)$`)

// formLines collects a form's indexed line fields by row, in row order.
func formLines(form url.Values) []formLine { return indexedRows(form, lineKey) }

// indexedRows collects the fields named like key[2].field (as matched by
// pattern: the row number, then the field) by row, in row order.
func indexedRows(form url.Values, pattern *regexp.Regexp) []formLine {
	byRow := map[int]map[string]string{}
	for key, vals := range form {
		m := pattern.FindStringSubmatch(key)
		if m == nil || len(vals) == 0 {
			continue
		}
		k, _ := strconv.Atoi(m[1]) // at most 3 digits
		if byRow[k] == nil {
			byRow[k] = map[string]string{}
		}
		byRow[k][m[2]] = vals[0]
	}
	out := make([]formLine, 0, len(byRow))
	for k, vals := range byRow {
		out = append(out, formLine{k: k, vals: vals})
	}
	slices.SortFunc(out, func(a, b formLine) int { return a.k - b.k })
	return out
}

// appLineField matches the app's field paths of a line: lines[j] and what follows.
var appLineField = regexp.MustCompile(`^lines\[(\d+)\]`)

// renumberLines renames the app's lines[j] fields of an Invalid error to the
// form's rows (rows[j]), since rows left empty were not sent to the app.
func renumberLines(err error, rows []int) error {
	var ae *app.Error
	if !asAppErr(err, &ae) || ae.Kind != app.KindInvalid || len(ae.Fields) == 0 {
		return err
	}
	fields := make(map[string]string, len(ae.Fields))
	for f, msg := range ae.Fields {
		if m := appLineField.FindStringSubmatch(f); m != nil {
			if j, convErr := strconv.Atoi(m[1]); convErr == nil && j < len(rows) {
				f = "lines[" + strconv.Itoa(rows[j]) + "]" + f[len(m[0]):]
			}
		}
		fields[f] = msg
	}
	return app.Invalid(ae.Message, fields)
}
