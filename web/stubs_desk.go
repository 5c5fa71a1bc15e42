package web

import "github.com/labstack/echo/v4"

// Placeholders for the support desk, replaced by web/search.go, web/exceptions.go and web/dashboard.go.

func (s *Server) searchPage(c echo.Context) error     { return echo.ErrNotImplemented }
func (s *Server) exceptionsPage(c echo.Context) error { return echo.ErrNotImplemented }
func (s *Server) takeException(c echo.Context) error  { return echo.ErrNotImplemented }
func (s *Server) dashboardPage(c echo.Context) error  { return echo.ErrNotImplemented }

// exceptionsCount is how many exceptions wait (for the navigation); 0 until exceptions exist.
func (s *Server) exceptionsCount(c echo.Context) int64 { return 0 }
