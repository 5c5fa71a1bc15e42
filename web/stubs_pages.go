package web

import "github.com/labstack/echo/v4"

// Placeholders for the network and stock pages, replaced by web/network_*.go and web/stock_*.go.

func (s *Server) stockPage(c echo.Context) error          { return echo.ErrNotImplemented }
func (s *Server) newSKUPage(c echo.Context) error         { return echo.ErrNotImplemented }
func (s *Server) createSKU(c echo.Context) error          { return echo.ErrNotImplemented }
func (s *Server) skuPage(c echo.Context) error            { return echo.ErrNotImplemented }
func (s *Server) editSKUPage(c echo.Context) error        { return echo.ErrNotImplemented }
func (s *Server) updateSKU(c echo.Context) error          { return echo.ErrNotImplemented }
func (s *Server) adjustStock(c echo.Context) error        { return echo.ErrNotImplemented }
func (s *Server) ledgerPage(c echo.Context) error         { return echo.ErrNotImplemented }
func (s *Server) locationsPage(c echo.Context) error      { return echo.ErrNotImplemented }
func (s *Server) newLocationPage(c echo.Context) error    { return echo.ErrNotImplemented }
func (s *Server) createLocation(c echo.Context) error     { return echo.ErrNotImplemented }
func (s *Server) locationPage(c echo.Context) error       { return echo.ErrNotImplemented }
func (s *Server) editLocationPage(c echo.Context) error   { return echo.ErrNotImplemented }
func (s *Server) updateLocation(c echo.Context) error     { return echo.ErrNotImplemented }
func (s *Server) deactivateLocation(c echo.Context) error { return echo.ErrNotImplemented }
func (s *Server) activateLocation(c echo.Context) error   { return echo.ErrNotImplemented }
func (s *Server) channelsPage(c echo.Context) error       { return echo.ErrNotImplemented }
func (s *Server) newChannelPage(c echo.Context) error     { return echo.ErrNotImplemented }
func (s *Server) createChannel(c echo.Context) error      { return echo.ErrNotImplemented }
func (s *Server) editChannelPage(c echo.Context) error    { return echo.ErrNotImplemented }
func (s *Server) updateChannel(c echo.Context) error      { return echo.ErrNotImplemented }
