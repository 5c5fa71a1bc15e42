package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/reorder"
	"switchyard/web/views"
)

// reorderParams are the reorder page's filters.
type reorderParams struct {
	Location string `query:"location"`
	Only     string `query:"only"`
	Page     int    `query:"page"`
}

// query is the app's query for the filters.
func (p reorderParams) query() reorder.Query {
	return reorder.Query{Location: strings.TrimSpace(p.Location), OnlyOrder: p.Only == "1", Page: p.Page}
}

// reorderPage shows the reorder suggestions, by days of cover.
func (s *Server) reorderPage(c echo.Context) error {
	var p reorderParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	v, err := s.reorderView(c, p)
	if err != nil {
		return err
	}
	v.Notice.Kind, v.Notice.Text = takeFlash(c)
	v.Drafted = takeDrafted(c)
	return s.render(c, http.StatusOK, "Reorder", views.Reorder(v))
}

// oneLocation fills in the first location when the filters name none: the
// suggestions are read one location at a time (at 100,000 SKUs x 50
// locations, one location's page takes 170 ms, every location's 11.7 s).
func (s *Server) oneLocation(c echo.Context, p *reorderParams) ([]app.LocationRef, error) {
	locs, err := s.app.LocationChoices(c.Request().Context())
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(p.Location) == "" && len(locs) > 0 {
		p.Location = locs[0].Code
	}
	return locs, nil
}

// reorderView reads one page of suggestions and the locations to filter by.
func (s *Server) reorderView(c echo.Context, p reorderParams) (views.ReorderView, error) {
	ctx := c.Request().Context()
	locs, err := s.oneLocation(c, &p)
	if err != nil {
		return views.ReorderView{}, err
	}
	page, err := reorder.New(s.app).List(ctx, currentUser(c).Actor(), p.query())
	if err != nil {
		return views.ReorderView{}, err
	}
	q := p.query()
	return views.ReorderView{CSRF: csrfToken(c), Locations: locs, Location: q.Location, OnlyOrder: q.OnlyOrder,
		Page: page, PageNo: max(p.Page, 1)}, nil
}

// saveReorderSettings stores one line's lead time, cover and min/max, then
// shows the same filters again. Bad input writes nothing: 422, the page
// again with the row's fields marked.
func (s *Server) saveReorderSettings(c echo.Context) error {
	var p reorderParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	var f reorder.SettingsForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	err := reorder.New(s.app).SaveSettings(c.Request().Context(), currentUser(c).Actor(), f)
	if errs, msg, ok := fieldErrors(err); ok {
		v, err := s.reorderView(c, p)
		if err != nil {
			return err
		}
		v.Failed, v.Errors, v.Message = f, errs, msg
		return s.render(c, http.StatusUnprocessableEntity, "Reorder", views.Reorder(v))
	} else if err != nil {
		return err
	}
	v := views.ReorderView{Location: p.query().Location, OnlyOrder: p.query().OnlyOrder}
	return redirectWithFlash(c, "/reorder"+v.Query(p.Page),
		fmt.Sprintf("Saved the reorder setting of %s at %s.", f.SKU, f.Location))
}

// exportReorder sends the suggestions the filters select as CSV, formulas
// neutralised, and records the download in the audit log.
func (s *Server) exportReorder(c echo.Context) error {
	var p reorderParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	if _, err := s.oneLocation(c, &p); err != nil {
		return err
	}
	svc, q := reorder.New(s.app), p.query()
	// Check the role and filters before the first byte goes out: a refusal is not half a file.
	if _, err := svc.List(c.Request().Context(), currentUser(c).Actor(), reorder.Query{Location: q.Location, Limit: 1}); err != nil {
		return err
	}
	v := views.ReorderView{Location: q.Location, OnlyOrder: q.OnlyOrder}
	if err := s.recordExport(c, "reorder", v.Query(0)); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="reorder.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	return svc.Export(c.Request().Context(), currentUser(c).Actor(), q, c.Response())
}
