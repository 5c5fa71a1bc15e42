package web

import "github.com/labstack/echo/v4"

// Placeholders for the order pages, replaced by web/orders_*.go.

func (s *Server) ordersPage(c echo.Context) error         { return echo.ErrNotImplemented }
func (s *Server) newOrderPage(c echo.Context) error       { return echo.ErrNotImplemented }
func (s *Server) createOrder(c echo.Context) error        { return echo.ErrNotImplemented }
func (s *Server) newOrderLine(c echo.Context) error       { return echo.ErrNotImplemented }
func (s *Server) orderPage(c echo.Context) error          { return echo.ErrNotImplemented }
func (s *Server) holdOrder(c echo.Context) error          { return echo.ErrNotImplemented }
func (s *Server) releaseOrder(c echo.Context) error       { return echo.ErrNotImplemented }
func (s *Server) cancelOrder(c echo.Context) error        { return echo.ErrNotImplemented }
func (s *Server) changeOrderAddress(c echo.Context) error { return echo.ErrNotImplemented }
func (s *Server) addOrderNote(c echo.Context) error       { return echo.ErrNotImplemented }
func (s *Server) searchSKUs(c echo.Context) error         { return echo.ErrNotImplemented }
