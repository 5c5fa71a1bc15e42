package web

import (
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/web/views"
)

// mayEdit reports whether u may add and edit SKUs, locations and channels.
func mayEdit(u *accounts.User) bool { return u.Has(network.roles...) }

// mayAdjust reports whether u may change stock levels.
func mayAdjust(u *accounts.User) bool { return u.Has(stockers.roles...) }

// seesLocation reports whether u may see the stock at a location: warehouse users only at theirs.
func seesLocation(u *accounts.User, code string) bool {
	if u.Role != app.RoleWarehouse {
		return true
	}
	return slices.ContainsFunc(u.Locations, func(l app.LocationRef) bool { return l.Code == code })
}

// seesATP reports whether u sees network-wide figures such as the ATP per
// channel; a store lead sees only their locations.
func seesATP(u *accounts.User) bool { return u.Role != app.RoleWarehouse }

// visibleLocation is the 403 page for a warehouse user opening a location
// that is not theirs. The answer is the same whether the code exists or not,
// so that codes cannot be probed.
func visibleLocation(u *accounts.User, code string) error {
	if seesLocation(u, code) {
		return nil
	}
	mine := make([]string, len(u.Locations))
	for i, l := range u.Locations {
		mine[i] = l.Code
	}
	return app.Forbidden("%s is not one of your locations (yours: %s)", app.Quote(code), strings.Join(mine, ", "))
}

// visibleLevels keeps the levels at locations u may see.
func visibleLevels(u *accounts.User, levels []app.LocationLevel) []app.LocationLevel {
	return slices.DeleteFunc(levels, func(l app.LocationLevel) bool { return !seesLocation(u, l.Location) })
}

// stockAccess is what the signed-in user may do on the stock pages.
func stockAccess(c echo.Context) views.StockAccess {
	u := currentUser(c)
	return views.StockAccess{CSRF: csrfToken(c), Edit: mayEdit(u), Adjust: mayAdjust(u)}
}

// stockListParams is a stock list page's query string, as typed.
type stockListParams struct {
	Q      string `query:"q"`
	Filter string `query:"filter"`
	After  string `query:"after"`
	Limit  string `query:"limit"` // not a whole number: the default size
}

// stockListQuery reads a list page's search, filter, cursor and page size from the query string.
func stockListQuery(c echo.Context) (views.StockListQuery, error) {
	var p stockListParams
	if err := bindQuery(c, &p); err != nil {
		return views.StockListQuery{}, err
	}
	limit, _ := strconv.Atoi(p.Limit)
	return views.StockListQuery{Q: p.Q, Filter: p.Filter, After: p.After, Limit: max(limit, 0)}, nil
}
