package web

import "github.com/labstack/echo/v4"

// Placeholders for the orders API, replaced by web/api_orders.go.

func (s *Server) apiCreateOrder(c echo.Context) error        { return echo.ErrNotImplemented }
func (s *Server) apiFindOrder(c echo.Context) error          { return echo.ErrNotImplemented }
func (s *Server) apiGetOrder(c echo.Context) error           { return echo.ErrNotImplemented }
func (s *Server) apiHoldOrder(c echo.Context) error          { return echo.ErrNotImplemented }
func (s *Server) apiReleaseOrder(c echo.Context) error       { return echo.ErrNotImplemented }
func (s *Server) apiCancelOrder(c echo.Context) error        { return echo.ErrNotImplemented }
func (s *Server) apiChangeOrderAddress(c echo.Context) error { return echo.ErrNotImplemented }
func (s *Server) apiAddOrderNote(c echo.Context) error       { return echo.ErrNotImplemented }
