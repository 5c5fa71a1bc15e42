package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/web/views"
)

// locationPage shows a location's stock: search, filters, keyset pages, inline adjustments.
func (s *Server) locationPage(c echo.Context) error {
	code := c.Param("code")
	if err := visibleLocation(currentUser(c), code); err != nil {
		return err
	}
	q, err := stockListQuery(c)
	if err != nil {
		return err
	}
	ls, err := s.app.StockAtLocation(c.Request().Context(), code, app.LocationStockQuery{
		Q: q.Q, Filter: q.Filter, After: q.After, Limit: q.Limit,
	})
	if err != nil {
		return err
	}
	back := c.Request().URL.RequestURI()
	return s.render(c, http.StatusOK, ls.Location.Name, views.LocationStock(stockAccess(c), ls, q, back))
}

// ledgerParams is the ledger page's query string: the page and its size
// (not a whole number: the first page, the default size).
type ledgerParams struct {
	Before string `query:"before"`
	Limit  string `query:"limit"`
}

// ledgerPage shows a level's figures and its ledger, newest first, older pages
// by ?before=id, with how many movements there are. A cursor or a page size
// that is not a whole number answers 422.
func (s *Server) ledgerPage(c echo.Context) error {
	loc, sku := c.Param("location"), c.Param("sku")
	if err := visibleLocation(currentUser(c), loc); err != nil {
		return err
	}
	var p ledgerParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	before, err := strconv.ParseInt(p.Before, 10, 64)
	if p.Before != "" && (err != nil || before < 1) {
		return app.InvalidField("before", "is not a page cursor")
	}
	limit, err := strconv.Atoi(p.Limit)
	if p.Limit != "" && (err != nil || limit < 1 || limit > 500) {
		return app.InvalidField("limit", "must be a whole number from 1 to 500")
	}
	page, err := s.app.Ledger(c.Request().Context(), loc, sku, before, limit)
	if err != nil {
		return err
	}
	v := views.LedgerView{Location: loc, SKU: sku, Page: page, Before: max(before, 0), Limit: limit}
	return s.render(c, http.StatusOK, "Ledger of "+sku+" at "+loc, views.Ledger(v))
}
