package web

import (
	"github.com/labstack/echo/v4"

	"switchyard/web/views"
)

// addNavCounts puts counts beside navigation entries that have something waiting.
// The exceptions page fills this in (web/exceptions.go sets exceptionsCount).
func (s *Server) addNavCounts(c echo.Context, nav []views.NavItem) {
	for i := range nav {
		if nav[i].Path == "/exceptions" {
			nav[i].Count = s.exceptionsCount(c)
		}
	}
}
