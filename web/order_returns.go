package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/returns"
	"switchyard/web/views"
)

// orderReturns gathers the order page's returns: the order's, those it is the
// exchange of, and whether the viewer may start one (and override the policy).
func (s *Server) orderReturns(c echo.Context, o app.Order) (views.OrderReturns, error) {
	ctx := c.Request().Context()
	var v views.OrderReturns
	var err error
	if v.Returns, err = s.returns.ForOrder(ctx, o.ID); err != nil {
		return v, err
	}
	if v.ExchangeOf, err = s.returns.OfExchange(ctx, o.ID); err != nil {
		return v, err
	}
	u := currentUser(c)
	if !u.Has(app.RoleAdmin, app.RoleOps, app.RoleSupport) || !anyReturnable(o) {
		return v, nil
	}
	v.MayStart, v.MayOverride = true, u.Has(app.RoleAdmin, app.RoleOps)
	locs, err := s.app.Locations(ctx)
	if err != nil {
		return v, err
	}
	for _, l := range locs {
		if l.Active {
			v.Locations = append(v.Locations, l)
		}
	}
	return v, nil
}

// anyReturnable reports whether a line of o can still come back.
func anyReturnable(o app.Order) bool {
	for _, l := range o.Lines {
		if l.Returnable() > 0 {
			return true
		}
	}
	return false
}

// startReturnPost is what the "Start a return" form posts besides its line
// rows (lines[k].id, .quantity, .reason, .note) and exchange rows
// (exchange_lines[k].sku, .quantity), which are read apart.
type startReturnPost struct {
	Resolution string `form:"resolution"`
	Location   string `form:"location"`
	Note       string `form:"note"`
	Override   string `form:"override"`
}

// startReturn starts a return of the order from its page (support, ops, admins).
func (s *Server) startReturn(c echo.Context) error {
	var p startReturnPost
	if err := bindForm(c, &p); err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return app.Invalid("the form could not be read", nil)
	}
	f := views.StartReturnForm{Resolution: p.Resolution, Location: p.Location, Note: p.Note, Override: p.Override == "1",
		Quantities: map[int64]string{}, Reasons: map[int64]string{}, LineNotes: map[int64]string{}}
	in := returns.NewReturn{Resolution: p.Resolution, Location: strings.TrimSpace(p.Location), Note: p.Note, Override: f.Override}
	lines, rows, err := returnLinesOf(form, &f)
	var xrows []int
	if err == nil {
		in.Lines = lines
		in.ExchangeLines, xrows, err = exchangeLinesOf(form, &f)
	}
	var r returns.Return
	if err == nil {
		r, _, err = s.returns.Create(c.Request().Context(), currentUser(c).Actor(), c.Param("number"), in)
		err = renumberRows(renumberLines(err, rows), exchangeFieldRe, "exchange_lines", xrows)
	}
	if err == nil {
		addFlash(c, "ok", "Return "+r.Number+" started.")
		return c.Redirect(http.StatusSeeOther, orderURL(r.Order)+"#returns")
	}
	return s.actionAnswer(c, app.Order{}, err, func(v *views.OrderView, errs views.Errors) {
		f.Errors = errs
		v.StartReturn = f
	})
}

// returnLinesOf reads the rows with a quantity, remembering what was typed
// by line id; rows[j] is the form row of the app's lines[j].
func returnLinesOf(form url.Values, f *views.StartReturnForm) ([]returns.LineInput, []int, error) {
	var lines []returns.LineInput
	var rows []int
	bad := map[string]string{}
	for _, r := range formLines(form) {
		raw := strings.TrimSpace(r.vals["quantity"])
		id, idErr := strconv.ParseInt(r.vals["id"], 10, 64)
		if idErr == nil {
			f.Quantities[id], f.Reasons[id], f.LineNotes[id] = raw, r.vals["reason"], r.vals["note"]
		}
		if raw == "" || raw == "0" {
			continue
		}
		q, qErr := strconv.ParseInt(raw, 10, 64)
		switch {
		case qErr != nil:
			bad[r.field("quantity")] = "must be a whole number"
		case idErr != nil:
			bad[r.field("line")] = "is not a line of this order"
		default:
			lines = append(lines, returns.LineInput{Line: id, Quantity: q, Reason: r.vals["reason"], Note: strings.TrimSpace(r.vals["note"])})
			rows = append(rows, r.k)
		}
	}
	if len(bad) > 0 {
		return nil, nil, app.Invalid("return is invalid", bad)
	}
	if len(lines) == 0 {
		return nil, nil, app.InvalidField("lines", "enter how many come back beside at least one line")
	}
	return lines, rows, nil
}

// exchangeKey matches an exchange row's field: exchange_lines[1].sku.
var exchangeKey = regexp.MustCompile(`^exchange_lines\[(\d{1,2})\]\.([a-z_]+)$`)

// exchangeFieldRe matches the app's field paths of an exchange line.
var exchangeFieldRe = regexp.MustCompile(`^exchange_lines\[(\d+)\]`)

// exchangeLinesOf reads the exchange rows that name a SKU; xrows[j] is the
// form row of the app's exchange_lines[j].
func exchangeLinesOf(form url.Values, f *views.StartReturnForm) ([]returns.ExchangeInput, []int, error) {
	var out []returns.ExchangeInput
	var xrows []int
	bad := map[string]string{}
	for _, r := range indexedRows(form, exchangeKey) {
		sku, raw := strings.TrimSpace(r.vals["sku"]), strings.TrimSpace(r.vals["quantity"])
		for len(f.Exchange) <= r.k {
			f.Exchange = append(f.Exchange, views.ExchangeRow{})
		}
		f.Exchange[r.k] = views.ExchangeRow{SKU: sku, Quantity: raw}
		if sku == "" && raw == "" {
			continue
		}
		q := int64(1)
		if raw != "" {
			var err error
			if q, err = strconv.ParseInt(raw, 10, 64); err != nil {
				bad["exchange_lines["+strconv.Itoa(r.k)+"].quantity"] = "must be a whole number"
				continue
			}
		}
		out = append(out, returns.ExchangeInput{SKU: sku, Quantity: q})
		xrows = append(xrows, r.k)
	}
	if len(bad) > 0 {
		return nil, nil, app.Invalid("return is invalid", bad)
	}
	return out, xrows, nil
}

// renumberRows renames the app's prefix[j] fields of an Invalid error to the
// form's rows (rows[j]).
func renumberRows(err error, re *regexp.Regexp, prefix string, rows []int) error {
	var ae *app.Error
	if !asAppErr(err, &ae) || ae.Kind != app.KindInvalid || len(ae.Fields) == 0 {
		return err
	}
	fields := make(map[string]string, len(ae.Fields))
	for f, msg := range ae.Fields {
		if m := re.FindStringSubmatch(f); m != nil {
			if j, convErr := strconv.Atoi(m[1]); convErr == nil && j < len(rows) {
				f = prefix + "[" + strconv.Itoa(rows[j]) + "]" + f[len(m[0]):]
			}
		}
		fields[f] = msg
	}
	return app.Invalid(ae.Message, fields)
}
