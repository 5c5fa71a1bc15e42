package web

import "github.com/labstack/echo/v4"

// Placeholders for the simulation pages, replaced by web/simulate.go.

func (s *Server) simulatePage(c echo.Context) error  { return echo.ErrNotImplemented }
func (s *Server) runSimulation(c echo.Context) error { return echo.ErrNotImplemented }
