package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/search"
	"switchyard/web/views"
)

// searchDropdownSize is how many orders the search box lists as you type.
const searchDropdownSize = 8

// searchPage finds orders, a page at a time (the cursor in `after`). As you type in the header's box (htmx), it answers a
// dropdown of the first hits; otherwise the results page, or the order itself
// when one order alone matches an exact key (its number, a tracking number, a
// channel order id, an email).
func (s *Server) searchPage(c echo.Context) error {
	dropdown := isHTMX(c) && c.Request().Header.Get("HX-Boosted") != "true"
	if number, ok := s.returnNumber(c); ok && !dropdown {
		return c.Redirect(http.StatusSeeOther, "/returns/"+url.PathEscape(number))
	}
	limit := search.SearchLimit
	if dropdown {
		limit = searchDropdownSize
	}
	var res search.SearchResult
	var err error
	if dropdown {
		res, err = s.search.Search(c.Request().Context(), currentUser(c).Actor(), c.QueryParam("q"), limit)
	} else {
		res, err = s.search.SearchPage(c.Request().Context(), currentUser(c).Actor(), c.QueryParam("q"), c.QueryParam("after"), limit)
	}
	switch {
	case err != nil:
		return err
	case dropdown:
		return s.render(c, http.StatusOK, "Search", views.SearchDropdown(res))
	case res.Exact:
		return c.Redirect(http.StatusSeeOther, orderURL(res.Orders[0].Number))
	}
	return s.render(c, http.StatusOK, "Search", views.SearchPage(res))
}

// returnNumberPattern is a return's number as people type it.
var returnNumberPattern = regexp.MustCompile(`^RT-[0-9]{6,}$`)

// returnNumber is the return the search names by its number (RT-000042,
// any case), when it exists and the user works on returns (not warehouse
// users, whose returns are on their location's page).
func (s *Server) returnNumber(c echo.Context) (string, bool) {
	q := strings.ToUpper(strings.TrimSpace(c.QueryParam("q")))
	u := currentUser(c)
	if !returnNumberPattern.MatchString(q) || u == nil || u.Role == app.RoleWarehouse {
		return "", false
	}
	if _, err := s.returns.Get(c.Request().Context(), app.Everywhere, q); err != nil {
		return "", false
	}
	return q, true
}
