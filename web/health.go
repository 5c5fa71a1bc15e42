package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// healthz answers while the process is up.
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "version": s.version})
}

// readyz answers 200 when the database answers and its migrations are
// current, with the node's role: single (one file), leader or follower.
func (s *Server) readyz(c echo.Context) error {
	if err := s.ops.Ready(c.Request().Context()); err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "reason": err.Error()})
	}
	role := "single"
	if s.role != nil {
		role = s.role(c.Request().Context())
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready", "role": role})
}

// favicon answers browsers that ask for /favicon.ico with the site's icon.
func (s *Server) favicon(c echo.Context) error {
	return c.Redirect(http.StatusMovedPermanently, "/assets/favicon.svg")
}
