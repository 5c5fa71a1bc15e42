package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/money"
	"switchyard/app/returns"
	"switchyard/web/views"
)

// returnListParams is the returns list's query string, as typed.
type returnListParams struct {
	Status   string `query:"status"`
	Location string `query:"location"`
	Reason   string `query:"reason"`
	Channel  string `query:"channel"`
	From     string `query:"from"`
	To       string `query:"to"`
	After    string `query:"after"`
	Limit    string `query:"limit"`
}

// filter is the list's filter form as typed.
func (p returnListParams) filter() views.ReturnFilter {
	return views.ReturnFilter{Status: p.Status, Location: p.Location, Reason: p.Reason, Channel: p.Channel,
		From: strings.TrimSpace(p.From), To: strings.TrimSpace(p.To)}
}

// query turns the filters into the app's query: days are UTC days, `to`
// includes its whole day.
func (p returnListParams) query() (returns.ListQuery, error) {
	f := p.filter()
	q := returns.ListQuery{Status: f.Status, Location: f.Location, Reason: f.Reason, Channel: f.Channel, After: p.After}
	bad := map[string]string{}
	var err error
	if q.From, err = parseDay(f.From); err != nil {
		bad["from"] = "must be a day such as 2026-11-26"
	}
	if q.To, err = parseDay(f.To); err != nil {
		bad["to"] = "must be a day such as 2026-11-26"
	} else if !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1)
	}
	if p.Limit != "" {
		if q.Limit, err = strconv.Atoi(p.Limit); err != nil || q.Limit < 1 || q.Limit > 500 {
			bad["limit"] = "must be a whole number from 1 to 500"
		}
	}
	if len(bad) > 0 {
		return q, app.Invalid("returns list query is invalid", bad)
	}
	return q, nil
}

// returnsPage lists returns: filters from the query string, counts per
// status, a page. Bad filters answer 422 with what is wrong and no returns.
func (s *Server) returnsPage(c echo.Context) error {
	ctx := c.Request().Context()
	var p returnListParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	chans, err := s.app.Channels(ctx)
	if err != nil {
		return err
	}
	locs, err := s.app.Locations(ctx)
	if err != nil {
		return err
	}
	v := views.ReturnListView{Filter: p.filter(), Channels: chans, Locations: locs, After: p.After,
		EditsRules: currentUser(c).Has(app.RoleAdmin, app.RoleOps)}
	q, err := p.query()
	if err == nil {
		v.List, err = s.returns.List(ctx, q)
	}
	if errs, _, ok := fieldErrors(err); ok {
		v.Errors, v.Message, v.List = errs, "These filters cannot be used:", returns.List{}
		return s.render(c, http.StatusUnprocessableEntity, "Returns", views.ReturnList(v))
	} else if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "Returns", views.ReturnList(v))
}

// exportReturns sends the returns the filters select as CSV.
func (s *Server) exportReturns(c echo.Context) error {
	var p returnListParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	q, err := p.query()
	if err != nil {
		return err
	}
	// Check the filters before the first byte goes out: a bad one is a 422, not half a file.
	if _, err := s.returns.List(c.Request().Context(), returns.ListQuery{Status: q.Status, Location: q.Location,
		Reason: q.Reason, Channel: q.Channel, Limit: 1}); err != nil {
		return err
	}
	if err := s.recordExport(c, "returns", p.filter().URL("", "")); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="returns.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	return s.returns.Export(c.Request().Context(), q, c.Response())
}

// returnPage shows one return and the actions on it.
func (s *Server) returnPage(c echo.Context) error {
	v, err := s.returnView(c)
	if err != nil {
		return err
	}
	v.NoticeKind, v.Notice = takeFlash(c)
	return s.render(c, http.StatusOK, "Return "+v.Return.Number, views.ReturnPage(v))
}

// returnView reads the return of the path and its order's timeline entries about it.
func (s *Server) returnView(c echo.Context) (views.ReturnView, error) {
	ctx := c.Request().Context()
	r, err := s.returns.Get(ctx, currentUser(c).Actor().Reach(), c.Param("number"))
	if err != nil {
		return views.ReturnView{}, err
	}
	o, err := s.app.OrderByNumber(ctx, r.Order)
	if err != nil {
		return views.ReturnView{}, err
	}
	return views.ReturnView{CSRF: csrfToken(c), Return: r, Events: views.ReturnEvents(o.Events, r.Number)}, nil
}

// keepReturnForm puts a refused action's form, with its errors, back on the return's page.
type keepReturnForm func(v *views.ReturnView, errs views.Errors)

// approveReturn approves a requested return.
func (s *Server) approveReturn(c echo.Context) error {
	_, err := s.returns.Approve(c.Request().Context(), currentUser(c).Actor(), c.Param("number"))
	return s.returnAnswer(c, err, "Approved.", func(*views.ReturnView, views.Errors) {})
}

// declineReturn declines a requested return with a reason.
func (s *Server) declineReturn(c echo.Context) error {
	var f views.DeclineReturnForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	var err error
	if strings.TrimSpace(f.Reason) == "" {
		err = app.InvalidField("reason", "say why the return is declined")
	} else {
		_, err = s.returns.Decline(c.Request().Context(), currentUser(c).Actor(), c.Param("number"), f.Reason)
	}
	return s.returnAnswer(c, err, "Declined.", func(v *views.ReturnView, errs views.Errors) { f.Errors = errs; v.Decline = f })
}

// cancelReturn cancels a return whose goods have not come back.
func (s *Server) cancelReturn(c echo.Context) error {
	_, err := s.returns.Cancel(c.Request().Context(), currentUser(c).Actor(), c.Param("number"))
	return s.returnAnswer(c, err, "Cancelled.", func(*views.ReturnView, views.Errors) {})
}

// refundReturn refunds a return: the amount typed, or what is due.
func (s *Server) refundReturn(c echo.Context) error {
	var f views.RefundReturnForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	var amount *money.Decimal
	if a := strings.TrimSpace(f.Amount); a != "" {
		d := money.Decimal(a)
		amount = &d
	}
	_, err := s.returns.Refund(c.Request().Context(), currentUser(c).Actor(), c.Param("number"), amount)
	return s.returnAnswer(c, err, "Refund asked of the channel.", func(v *views.ReturnView, errs views.Errors) { f.Errors = errs; v.Refund = f })
}

// confirmRefund records by hand that a pending refund was made in the channel.
func (s *Server) confirmRefund(c echo.Context) error {
	var f views.ConfirmRefundForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	id, perr := strconv.ParseInt(f.Refund, 10, 64)
	var err error
	if perr != nil || id <= 0 {
		err = app.InvalidField("refund", "is not a refund of this return")
	} else {
		_, err = s.returns.ConfirmRefund(c.Request().Context(), currentUser(c).Actor(), c.Param("number"), id, strings.TrimSpace(f.ExternalID))
	}
	return s.returnAnswer(c, err, "Refund confirmed.", func(v *views.ReturnView, errs views.Errors) { f.Errors = errs; v.Confirm = f })
}

// returnAnswer answers an action on a return. Done: 303 to the return's page
// with a notice. Bad input: the page again with the form's errors (422). A
// move the status refuses: the page with the reason on top (409).
func (s *Server) returnAnswer(c echo.Context, err error, done string, keep keepReturnForm) error {
	if err == nil {
		addFlash(c, "ok", done)
		return c.Redirect(http.StatusSeeOther, returnURL(c.Param("number")))
	}
	errs, msg, invalid := fieldErrors(err)
	if !invalid && app.ErrorKind(err) != app.KindConflict {
		return err
	}
	v, lerr := s.returnView(c)
	if lerr != nil {
		return lerr
	}
	v.NoticeKind = "error"
	status := http.StatusConflict
	if invalid {
		keep(&v, errs)
		v.Notice, status = msg, http.StatusUnprocessableEntity
	} else {
		v.Notice = sentence(describeError(err).message)
	}
	return s.render(c, status, "Return "+v.Return.Number, views.ReturnPage(v))
}

// returnURL is the address of a return's page.
func returnURL(number string) string { return "/returns/" + url.PathEscape(number) }
