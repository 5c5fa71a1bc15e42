package web

import "github.com/labstack/echo/v4"

// Placeholders for CSV import and export, replaced by web/imports.go.

func (s *Server) importsPage(c echo.Context) error   { return echo.ErrNotImplemented }
func (s *Server) startImport(c echo.Context) error   { return echo.ErrNotImplemented }
func (s *Server) importJobPage(c echo.Context) error { return echo.ErrNotImplemented }
func (s *Server) exportCSV(c echo.Context) error     { return echo.ErrNotImplemented }
