package web

import (
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/web/views"
)

// isHTMX reports whether htmx sent the request.
func isHTMX(c echo.Context) bool { return c.Request().Header.Get("HX-Request") == "true" }

// render sends content: only the fragment to an htmx request, else the whole page.
func (s *Server) render(c echo.Context, status int, title string, content templ.Component) error {
	var out templ.Component = content
	if !isHTMX(c) || c.Request().Header.Get("HX-Boosted") == "true" {
		out = views.Layout(s.page(c, title), content)
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return out.Render(c.Request().Context(), c.Response())
}

// renderFragment sends a piece of a page, or a page of its own, never framed
// by the layout.
func renderFragment(c echo.Context, status int, comp templ.Component) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return comp.Render(c.Request().Context(), c.Response())
}

// page gathers what the layout needs for this request.
func (s *Server) page(c echo.Context, title string) views.Page {
	p := views.Page{Title: title, User: currentUser(c), CSRF: csrfToken(c)}
	if p.User != nil {
		p.Nav = s.navFor(*p.User)
		p.Active = activeSection(p.Nav, c.Request().URL.Path)
		p.Search = p.User.Has(app.RoleAdmin, app.RoleOps, app.RoleSupport)
		p.Query = c.QueryParam("q")
		s.addNavCounts(c, p.Nav)
	}
	return p
}

// sectionAliases are pages that belong to a section whose path is not a
// prefix of theirs: a SKU's page is stock, a fulfillment's is the queue.
var sectionAliases = []struct{ prefix, section string }{
	{"/dashboard", "/"},
	{"/skus", "/stock"},
	{"/fulfillments", "/queue"},
	{"/search", "/orders"},
	{"/admin/channels", "/channels"},
}

// sectionPath is path as the navigation reads it: a location's queue and
// pick list are the queue, aliases are their section.
func sectionPath(path string) string {
	for _, a := range sectionAliases {
		if path == a.prefix || strings.HasPrefix(path, a.prefix+"/") {
			return a.section
		}
	}
	if strings.HasPrefix(path, "/locations/") && (strings.HasSuffix(path, "/queue") || strings.HasSuffix(path, "/picklist") || strings.HasSuffix(path, "/returns")) {
		return "/queue"
	}
	return path
}

// activeSection is the navigation path that is the longest prefix of path
// (as sectionPath reads it); Home only on the home page itself.
func activeSection(nav []views.NavItem, path string) string {
	path = sectionPath(path)
	best := ""
	for _, item := range nav {
		if (path == item.Path || item.Path != "/" && strings.HasPrefix(path, item.Path+"/")) && len(item.Path) > len(best) {
			best = item.Path
		}
	}
	return best
}

// navFor lists the pages in the route table that u's role may open.
func (s *Server) navFor(u accounts.User) []views.NavItem {
	var items []views.NavItem
	for _, r := range s.Routes() {
		if r.nav != "" && r.Method == http.MethodGet && u.Has(r.access.roles...) && (navOnly[r.Path] == nil || u.Has(navOnly[r.Path]...)) {
			items = append(items, views.NavItem{Label: r.nav, Path: navPath(u, r.Path)})
		}
	}
	return items
}

// navPath is where a navigation entry leads u: a warehouse user with one
// location finds that location's stock under Stock.
func navPath(u accounts.User, path string) string {
	if path == "/stock" && u.Role == app.RoleWarehouse && len(u.Locations) == 1 {
		return "/locations/" + u.Locations[0].Code
	}
	return path
}
