package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchyard/web/views"
)

// dashboardPage shows ops the day: intake, states, promises, capacity and 30 days of charts.
func (s *Server) dashboardPage(c echo.Context) error {
	d, err := s.desk.Dashboard(c.Request().Context())
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "Dashboard", views.DashboardPage(d))
}
