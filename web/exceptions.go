package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/audit"
	"switchyard/app/desk"
	"switchyard/web/views"
)

// exceptionsCountKey caches the navigation's exception count for one request.
const exceptionsCountKey = "exceptions_count"

// exceptionsParams is the exceptions queue's query string: a tab and the "assigned to me" filter.
type exceptionsParams struct {
	Kind  string `query:"kind"`
	Mine  string `query:"mine"`  // "1" when on
	After string `query:"after"` // the page cursor
	Limit string `query:"limit"` // the page size, 1 to 500
}

// exceptionsPage lists what needs a person, by kind or the viewer's, each with why and a link to the fix.
func (s *Server) exceptionsPage(c echo.Context) error {
	var p exceptionsParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	q := desk.ExceptionQuery{Kind: desk.ExceptionKind(p.Kind), Mine: p.Mine == "1", After: p.After}
	if p.Limit != "" {
		n, err := strconv.Atoi(p.Limit)
		if err != nil || n < 1 || n > 500 {
			return app.InvalidField("limit", "must be a whole number from 1 to 500")
		}
		q.Limit = n
	}
	list, err := s.desk.Exceptions(c.Request().Context(), currentUser(c).Actor(), q)
	if err != nil {
		return err
	}
	u := currentUser(c)
	v := views.ExceptionsView{CSRF: csrfToken(c), List: list, CanReevaluate: u.Has(app.RoleAdmin, app.RoleOps)}
	v.NoticeKind, v.Notice = takeFlash(c)
	if !q.Mine && q.After == "" {
		if v.Returns, err = s.desk.ReturnExceptions(c.Request().Context()); err != nil {
			return err
		}
		c.Set(exceptionsCountKey, list.Total+v.Returns.Total())
	}
	return s.render(c, http.StatusOK, "Exceptions", views.ExceptionsPage(v))
}

// takeExceptionForm is what a Take button posts: the exception's key and the list to go back to.
type takeExceptionForm struct {
	Key  string `form:"key"`
	Back string `form:"back"`
}

// takeException gives an exception to the signed-in user: htmx gets the row, a browser goes back to the list.
func (s *Server) takeException(c echo.Context) error {
	var f takeExceptionForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	e, err := s.desk.TakeException(c.Request().Context(), currentUser(c).Actor(), f.Key)
	if err != nil {
		return err
	}
	back := exceptionsBack(f.Back)
	if isHTMX(c) && c.Request().Header.Get("HX-Boosted") != "true" {
		return s.render(c, http.StatusOK, "Exceptions", views.ExceptionRow(csrfToken(c), e, back))
	}
	return c.Redirect(http.StatusSeeOther, back)
}

// exceptionsBack is where to return after taking an exception: a list of the queue, nowhere else.
func exceptionsBack(back string) string {
	if back == "/exceptions" || strings.HasPrefix(back, "/exceptions?") {
		return back
	}
	return "/exceptions"
}

// exceptionsCount is how many exceptions wait, for the navigation: read once per request.
func (s *Server) exceptionsCount(c echo.Context) int64 {
	if n, ok := c.Get(exceptionsCountKey).(int64); ok {
		return n
	}
	n, err := s.desk.ExceptionCount(c.Request().Context())
	if err != nil {
		s.log.Error("count exceptions", "err", err)
		return 0
	}
	c.Set(exceptionsCountKey, n)
	return n
}

// reevaluateAssignments runs the re-evaluation of fulfillments not yet
// accepted (ops managers and admins) and goes back to the queue saying what it did.
func (s *Server) reevaluateAssignments(c echo.Context) error {
	ctx, actor := c.Request().Context(), currentUser(c).Actor()
	rep, err := s.app.Reevaluate(ctx, actor, app.ReevaluateOptions{MinSaving: s.reevaluateMinSaving})
	if err != nil && rep.Moved == 0 {
		return err
	}
	// A pass stopped part way (the request cancelled) still records the
	// orders it moved.
	summary := strings.TrimSuffix(rep.Summary(), ".")
	detail := summary
	if len(rep.Orders) > 0 {
		detail += " (" + strings.Join(rep.Orders, ", ") + ")"
	}
	// Each order moved says so on its timeline; the log says who ran the pass.
	if err := audit.Write(context.WithoutCancel(ctx), s.app, audit.Entry{Actor: actor, Action: audit.RoutingReevaluated, ObjectKind: "routing",
		ObjectRef: "open assignments", Detail: detail}); err != nil {
		return err
	}
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/exceptions", summary)
}
