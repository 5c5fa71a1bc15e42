package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/audit"
	"switchyard/web/views"
)

// auditParams is the audit page's query string, as typed.
type auditParams struct {
	Action string `query:"action"`
	Actor  string `query:"actor"`
	Object string `query:"object"` // kind or kind:ref, e.g. user:12, channel:web
	From   string `query:"from"`
	To     string `query:"to"`
	After  string `query:"after"`
}

// filter is the page's filter form as typed.
func (p auditParams) filter() views.AuditFilter {
	return views.AuditFilter{Action: strings.TrimSpace(p.Action), Actor: strings.TrimSpace(p.Actor),
		Object: strings.TrimSpace(p.Object), From: strings.TrimSpace(p.From), To: strings.TrimSpace(p.To)}
}

// query turns the filters into the log's query: days are the viewer's days
// (their zone), `to` includes its whole day.
func (p auditParams) query(zone *time.Location) (audit.Query, error) {
	f := p.filter()
	q := audit.Query{Action: f.Action, Actor: f.Actor, After: p.After}
	q.ObjectKind, q.ObjectRef, _ = strings.Cut(f.Object, ":")
	bad := map[string]string{}
	var err error
	if q.From, err = parseDayIn(f.From, zone); err != nil {
		bad["from"] = "must be a day such as 2026-11-26"
	}
	if q.To, err = parseDayIn(f.To, zone); err != nil {
		bad["to"] = "must be a day such as 2026-11-26"
	} else if !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1)
	}
	if len(bad) > 0 {
		return q, app.Invalid("audit log query is invalid", bad)
	}
	return q, nil
}

// parseDayIn reads a day such as 2026-11-26 as its midnight in zone; "" is zero.
func parseDayIn(s string, zone *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.ParseInLocation(dayLayout, s, zone)
}

// auditPage lists the audit log, newest first, under the filters, with the
// retention form. Bad filters answer 422 naming them, with no entries.
func (s *Server) auditPage(c echo.Context) error {
	var p auditParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	v, err := s.auditView(c, p)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if len(v.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.render(c, status, "Audit log", views.AuditLog(v))
}

// auditView reads the page's entries and retention.
func (s *Server) auditView(c echo.Context, p auditParams) (views.AuditView, error) {
	ctx := c.Request().Context()
	svc := audit.New(s.app)
	days, err := svc.Retention(ctx)
	if err != nil {
		return views.AuditView{}, err
	}
	v := views.AuditView{Filter: p.filter(), After: p.After, Actions: audit.Actions, CSRF: csrfToken(c),
		Retention: views.RetentionForm{Days: strconv.Itoa(days)}}
	v.Notice.Kind, v.Notice.Text = takeFlash(c)
	q, err := p.query(s.requestZone(c))
	if err == nil {
		v.Page, err = svc.List(ctx, q)
	}
	if errs, msg, ok := fieldErrors(err); ok {
		v.Errors, v.Message = errs, msg
		return v, nil
	}
	return v, err
}

// exportAudit sends the entries the filters select as CSV, times in the
// viewer's zone, and records the download.
func (s *Server) exportAudit(c echo.Context) error {
	var p auditParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	zone := s.requestZone(c)
	q, err := p.query(zone)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	svc := audit.New(s.app)
	check := q
	check.Limit = 1
	if _, err := svc.List(ctx, check); err != nil {
		return err // a bad filter is a 422 before the first byte, not half a file
	}
	if err := s.recordExport(c, "audit", p.filter().URL("", "")); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="switchyard-audit-%s.csv"`, s.app.Now().Format("2006-01-02")))
	c.Response().WriteHeader(http.StatusOK)
	if err := svc.Export(ctx, q, zone, c.Response()); err != nil {
		s.log.Error("audit export failed midway", "err", err)
	}
	return nil
}

// saveAuditRetention stores the retention (purging what is older at once).
// Bad input writes nothing and shows the form again with the field's error.
func (s *Server) saveAuditRetention(c echo.Context) error {
	var f audit.RetentionForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	n, err := audit.New(s.app).SetRetention(c.Request().Context(), currentUser(c).Actor(), f)
	if errs, msg, ok := fieldErrors(err); ok {
		v, err := s.auditView(c, auditParams{})
		if err != nil {
			return err
		}
		v.Retention = views.RetentionForm{Days: f.Days, Errors: errs, Message: msg}
		return s.render(c, http.StatusUnprocessableEntity, "Audit log", views.AuditLog(v))
	} else if err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/audit", fmt.Sprintf("Retention saved: %s days (%d older entries purged).", strings.TrimSpace(f.Days), n))
}

// recordExport writes a CSV download to the audit log, in its own
// transaction: which export, with which filters (the query string).
func (s *Server) recordExport(c echo.Context, which, filters string) error {
	detail := "downloaded " + which + ".csv"
	if filters = strings.TrimPrefix(filters, "?"); filters != "" {
		detail += " with " + filters
	}
	return audit.Write(c.Request().Context(), s.app, audit.Entry{Actor: currentUser(c).Actor(), Action: audit.CSVExported,
		ObjectKind: "export", ObjectRef: which, Detail: detail})
}

// withAuditIP puts the client's IP in the request's context, for the audit
// log's entries (see audit.WithIP).
func withAuditIP(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		c.SetRequest(req.WithContext(audit.WithIP(req.Context(), peerIP(c))))
		return next(c)
	}
}
