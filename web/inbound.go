package web

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/inbound"
	"switchyard/web/views"
)

// inboundListParams is the inbound list's query string, as typed.
type inboundListParams struct {
	Status   string `query:"status"`
	Kind     string `query:"kind"`
	Location string `query:"location"`
	After    string `query:"after"`
	Limit    string `query:"limit"`
}

// query is the app's query for these parameters.
func (p inboundListParams) query() (inbound.ListQuery, error) {
	q := inbound.ListQuery{Status: p.Status, Kind: p.Kind, Location: p.Location, After: p.After}
	if p.Limit != "" {
		var err error
		if q.Limit, err = strconv.Atoi(p.Limit); err != nil || q.Limit < 1 || q.Limit > maxPageSize {
			return q, app.InvalidField("limit", fmt.Sprintf("must be a whole number from 1 to %d", maxPageSize))
		}
	}
	return q, nil
}

// filter is the list's filter form as typed.
func (p inboundListParams) filter() views.InboundFilter {
	return views.InboundFilter{Status: p.Status, Kind: p.Kind, Location: p.Location}
}

// inboundListPage lists inbound: filters from the query string, a page.
// Bad filters answer 422 with what is wrong.
func (s *Server) inboundListPage(c echo.Context) error {
	ctx := c.Request().Context()
	var p inboundListParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	locs, err := s.app.Locations(ctx)
	if err != nil {
		return err
	}
	u := currentUser(c)
	v := views.InboundListView{Filter: p.filter(), Locations: locs, After: p.After, CanCreate: u.Has(app.RoleAdmin, app.RoleOps)}
	q, err := p.query()
	if err == nil {
		v.List, err = s.inbound.List(ctx, u.Actor(), q)
	}
	if errs, _, ok := fieldErrors(err); ok {
		v.Errors, v.Message, v.List = errs, "These filters cannot be used:", inbound.List{}
		return s.render(c, http.StatusUnprocessableEntity, "Inbound", views.InboundList(v))
	} else if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "Inbound", views.InboundList(v))
}

// exportInbound sends the lines of the inbound the filters select as CSV,
// recorded in the audit log.
func (s *Server) exportInbound(c echo.Context) error {
	var p inboundListParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	q, err := p.query()
	if err != nil {
		return err
	}
	actor := currentUser(c).Actor()
	// Check the filters before the first byte goes out: a bad one is a 422, not half a file.
	if _, err := s.inbound.List(c.Request().Context(), actor, inbound.ListQuery{Status: q.Status, Kind: q.Kind,
		Location: q.Location, Limit: 1}); err != nil {
		return err
	}
	if err := s.recordExport(c, "inbound", p.filter().URL("", "")); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="inbound.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	return s.inbound.Export(c.Request().Context(), actor, q, c.Response())
}

// newInboundPage is the empty form, expected in two weeks.
func (s *Server) newInboundPage(c echo.Context) error {
	f := views.InboundForm{Kind: inbound.KindPurchase, ExpectedAt: s.app.Now().AddDate(0, 0, 14).Format(inbound.DateLayout)}
	return s.renderInboundForm(c, http.StatusOK, f)
}

// renderInboundForm shows the form with what was typed and its errors.
func (s *Server) renderInboundForm(c echo.Context, status int, f views.InboundForm) error {
	locs, err := s.app.Locations(c.Request().Context())
	if err != nil {
		return err
	}
	return s.render(c, status, "New inbound", views.InboundNew(views.InboundNewView{CSRF: csrfToken(c), Form: f, Locations: locs}))
}

// createInbound makes the inbound the form describes, then shows it; a
// refusal shows the form again with each problem beside its field (422).
func (s *Server) createInbound(c echo.Context) error {
	var f views.InboundForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	lines, rows, problems := parseInboundLines(f.Lines)
	in := inbound.NewInbound{Kind: f.Kind, Supplier: f.Supplier, From: f.From, To: f.To, ExpectedAt: f.ExpectedAt,
		Draft: f.Draft, Note: f.Note, Lines: lines}
	var err error
	if len(problems) > 0 {
		err = unreadLines(in, problems)
	} else {
		var got inbound.Inbound
		got, err = s.inbound.Create(c.Request().Context(), currentUser(c).Actor(), in)
		if err == nil {
			addFlash(c, "ok", fmt.Sprintf("%s %s created.", got.Kind, got.Number))
			return c.Redirect(http.StatusSeeOther, views.InboundPath(got.Number))
		}
	}
	errs, msg, ok := fieldErrors(err)
	if !ok {
		return err
	}
	f.Errors, f.Message = lineErrorsByRow(errs, rows), msg
	return s.renderInboundForm(c, http.StatusUnprocessableEntity, f)
}

// unreadLines is the form's refusal when some rows of lines could not be
// read: those rows, and the problems of the other fields and rows.
func unreadLines(in inbound.NewInbound, problems []string) error {
	fields := app.FieldsError{}
	app.MergeFields(fields, inbound.Check(in))
	fields["lines"] = strings.Join(problems, "; ") // rather than "add at least one line" when none could be read
	return fields.Err("the inbound is invalid: nothing was written")
}

// inboundLineSep splits a typed line into its words.
var inboundLineSep = regexp.MustCompile(`[\s,;]+`)

// parseInboundLines reads the lines typed one per row: "SKU quantity
// [date]". It answers the lines, the row each came from (1 on), and the
// problems of the rows it could not read.
func parseInboundLines(text string) ([]inbound.LineInput, []int, []string) {
	var lines []inbound.LineInput
	var rows []int
	var problems []string
	for i, row := range strings.Split(text, "\n") {
		words := inboundLineSep.Split(strings.TrimSpace(row), -1)
		if len(words) == 1 && words[0] == "" {
			continue
		}
		if len(words) < 2 || len(words) > 3 {
			problems = append(problems, fmt.Sprintf("row %d: write the SKU, the quantity and, if you wish, a date", i+1))
			continue
		}
		qty, err := strconv.ParseInt(words[1], 10, 64)
		if err != nil {
			problems = append(problems, fmt.Sprintf("row %d: the quantity %s is not a whole number", i+1, app.Quote(words[1])))
			continue
		}
		l := inbound.LineInput{SKU: words[0], Quantity: qty}
		if len(words) == 3 {
			l.ExpectedAt = words[2]
		}
		lines, rows = append(lines, l), append(rows, i+1)
	}
	return lines, rows, problems
}

// lineErrorsByRow puts the problems of lines[i] under the textarea, naming
// the row each came from.
func lineErrorsByRow(errs views.Errors, rows []int) views.Errors {
	out := views.Errors{}
	var lineProblems []string
	for field, msg := range errs {
		var i int
		var rest string
		if _, err := fmt.Sscanf(field, "lines[%d].%s", &i, &rest); err == nil && i >= 0 && i < len(rows) {
			lineProblems = append(lineProblems, fmt.Sprintf("row %d: %s", rows[i], msg))
			continue
		}
		out[field] = msg
	}
	if len(lineProblems) > 0 {
		slices.Sort(lineProblems)
		if out["lines"] != "" {
			lineProblems = append([]string{out["lines"]}, lineProblems...)
		}
		out["lines"] = strings.Join(lineProblems, "; ")
	}
	return out
}

// inboundPage shows one inbound and the actions the viewer may take.
func (s *Server) inboundPage(c echo.Context) error {
	v, err := s.inboundView(c)
	if err != nil {
		return err
	}
	v.NoticeKind, v.Notice = takeFlash(c)
	return s.render(c, http.StatusOK, v.Inbound.Kind+" "+v.Inbound.Number, views.InboundPage(v))
}

// inboundView reads the inbound of the path, as far as the user reaches,
// and which actions they may take.
func (s *Server) inboundView(c echo.Context) (views.InboundPageView, error) {
	ctx := c.Request().Context()
	u := currentUser(c)
	in, err := s.inbound.Get(ctx, u.Actor(), c.Param("number"))
	if err != nil {
		return views.InboundPageView{}, err
	}
	manage := u.Has(app.RoleAdmin, app.RoleOps)
	v := views.InboundPageView{CSRF: csrfToken(c), Inbound: in, CanManage: manage}
	if u.Has(app.RoleAdmin, app.RoleOps, app.RoleWarehouse) {
		v.CanReceive = in.Status.Receivable() && (manage || hasLocationCode(u.Locations, in.To))
		v.CanShip = in.Transfer() && in.Status == inbound.StatusDraft && (manage || hasLocationCode(u.Locations, in.From))
	}
	return v, nil
}

// receiveInbound counts what the form says arrived. Rows left empty are
// not counted; each row carries what the lead saw counted, so that two
// leads counting the same line at once count it once (the second is told).
func (s *Server) receiveInbound(c echo.Context) error {
	var f views.InboundReceiveForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	in, rows, problems := receiveInput(f)
	var err error
	if len(problems) > 0 {
		if len(in.Lines) > 0 {
			app.MergeFields(problems, rekeyLines(inbound.CheckReceive(in), rows)) // the other rows' problems too
		}
		err = app.Invalid("the counts are invalid: nothing was counted", problems)
	} else {
		_, err = s.inbound.Receive(c.Request().Context(), currentUser(c).Actor(), c.Param("number"), in)
		err = rekeyLines(err, rows)
	}
	return s.inboundAnswer(c, err, "Received.", func(v *views.InboundPageView, errs views.Errors) {
		f.Errors = errs
		v.Receive = f
	})
}

// receiveInput reads the receive form: the rows with a count, the form row
// of each, and the problems of the figures that are not whole numbers.
func receiveInput(f views.InboundReceiveForm) (inbound.ReceiveInput, []int, map[string]string) {
	in := inbound.ReceiveInput{Note: f.Note}
	var rows []int
	problems := map[string]string{}
	num := func(vals []string, i int, field string) int64 {
		raw := ""
		if i < len(vals) {
			raw = strings.TrimSpace(vals[i])
		}
		if raw == "" {
			return 0
		}
		v, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			problems[fmt.Sprintf("lines[%d].%s", i, field)] = "must be a whole number"
		}
		return v
	}
	for i, sku := range f.SKU {
		good, damaged := num(f.Quantity, i, "quantity"), num(f.Damaged, i, "damaged")
		if good == 0 && damaged == 0 {
			continue
		}
		line := inbound.ReceiveLine{SKU: sku, Quantity: good, Damaged: damaged}
		if i < len(f.Seen) {
			if seen, err := strconv.ParseInt(f.Seen[i], 10, 64); err == nil {
				line.Seen = &seen
			}
		}
		in.Lines = append(in.Lines, line)
		rows = append(rows, i)
	}
	if len(in.Lines) == 0 && len(problems) == 0 {
		problems["lines"] = "type how many good or damaged units arrived on at least one line"
	}
	return in, rows, problems
}

// rekeyLines renames the fields lines[i] of an Invalid error to the form's
// rows (the rows left empty were not sent).
func rekeyLines(err error, rows []int) error {
	ae, ok := app.AsError(err)
	if !ok || ae.Kind != app.KindInvalid {
		return err
	}
	fields := map[string]string{}
	for field, msg := range ae.Fields {
		var i int
		var rest string
		if _, serr := fmt.Sscanf(field, "lines[%d].%s", &i, &rest); serr == nil && i >= 0 && i < len(rows) {
			field = fmt.Sprintf("lines[%d].%s", rows[i], rest)
		}
		fields[field] = msg
	}
	return app.Invalid(ae.Message, fields)
}

// shipInbound ships a transfer from its origin.
func (s *Server) shipInbound(c echo.Context) error {
	_, err := s.inbound.Ship(c.Request().Context(), currentUser(c).Actor(), c.Param("number"), nil)
	return s.inboundAnswer(c, err, "Shipped: in transit.", nil)
}

// sendInbound marks a draft purchase sent to its supplier.
func (s *Server) sendInbound(c echo.Context) error {
	_, err := s.inbound.Send(c.Request().Context(), currentUser(c).Actor(), c.Param("number"))
	return s.inboundAnswer(c, err, "Marked sent.", nil)
}

// cancelInbound cancels an inbound nothing was received of.
func (s *Server) cancelInbound(c echo.Context) error {
	reason := strings.TrimSpace(c.FormValue("reason"))
	_, err := s.inbound.Cancel(c.Request().Context(), currentUser(c).Actor(), c.Param("number"), reason)
	return s.inboundAnswer(c, err, "Cancelled.", nil)
}

// closeInbound closes an inbound: what did not arrive is short.
func (s *Server) closeInbound(c echo.Context) error {
	_, err := s.inbound.Close(c.Request().Context(), currentUser(c).Actor(), c.Param("number"))
	return s.inboundAnswer(c, err, "Closed.", nil)
}

// inboundAnswer answers an action on an inbound. Done: 303 to its page
// with a notice. Bad input: the page again with the form's errors (422). A
// move refused, or a line counted meanwhile: the page with the reason on
// top (409).
func (s *Server) inboundAnswer(c echo.Context, err error, done string, keep func(*views.InboundPageView, views.Errors)) error {
	if err == nil {
		addFlash(c, "ok", done)
		return c.Redirect(http.StatusSeeOther, views.InboundPath(c.Param("number")))
	}
	errs, msg, invalid := fieldErrors(err)
	if !invalid && app.ErrorKind(err) != app.KindConflict {
		return err
	}
	v, lerr := s.inboundView(c)
	if lerr != nil {
		return lerr
	}
	v.NoticeKind = "error"
	status := http.StatusConflict
	if invalid {
		if keep != nil {
			keep(&v, errs)
		}
		v.Notice, status = msg, http.StatusUnprocessableEntity
	} else {
		v.Notice = sentence(describeError(err).message)
	}
	return s.render(c, status, v.Inbound.Kind+" "+v.Inbound.Number, views.InboundPage(v))
}

// hasLocationCode reports whether locs hold the location code.
func hasLocationCode(locs []app.LocationRef, code string) bool {
	return slices.ContainsFunc(locs, func(l app.LocationRef) bool { return l.Code == code })
}
