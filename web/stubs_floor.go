package web

import "github.com/labstack/echo/v4"

// Placeholders for the location queue, replaced by web/queue_*.go.

func (s *Server) queueHome(c echo.Context) error          { return echo.ErrNotImplemented }
func (s *Server) queuePage(c echo.Context) error          { return echo.ErrNotImplemented }
func (s *Server) pickListPage(c echo.Context) error       { return echo.ErrNotImplemented }
func (s *Server) acceptMany(c echo.Context) error         { return echo.ErrNotImplemented }
func (s *Server) acceptFulfillment(c echo.Context) error  { return echo.ErrNotImplemented }
func (s *Server) rejectFulfillment(c echo.Context) error  { return echo.ErrNotImplemented }
func (s *Server) shipPage(c echo.Context) error           { return echo.ErrNotImplemented }
func (s *Server) shipFulfillment(c echo.Context) error    { return echo.ErrNotImplemented }
func (s *Server) deliverFulfillment(c echo.Context) error { return echo.ErrNotImplemented }
