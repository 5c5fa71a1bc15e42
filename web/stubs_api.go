package web

import "github.com/labstack/echo/v4"

// Placeholders for the network API, replaced by web/api_network.go.

func (s *Server) apiPutSKU(c echo.Context) error        { return echo.ErrNotImplemented }
func (s *Server) apiGetSKU(c echo.Context) error        { return echo.ErrNotImplemented }
func (s *Server) apiListSKUs(c echo.Context) error      { return echo.ErrNotImplemented }
func (s *Server) apiPutLocation(c echo.Context) error   { return echo.ErrNotImplemented }
func (s *Server) apiGetLocation(c echo.Context) error   { return echo.ErrNotImplemented }
func (s *Server) apiListLocations(c echo.Context) error { return echo.ErrNotImplemented }
func (s *Server) apiPutChannel(c echo.Context) error    { return echo.ErrNotImplemented }
func (s *Server) apiGetChannel(c echo.Context) error    { return echo.ErrNotImplemented }
func (s *Server) apiListChannels(c echo.Context) error  { return echo.ErrNotImplemented }
func (s *Server) apiCountStock(c echo.Context) error    { return echo.ErrNotImplemented }
func (s *Server) apiAdjustStock(c echo.Context) error   { return echo.ErrNotImplemented }
func (s *Server) apiListStock(c echo.Context) error     { return echo.ErrNotImplemented }
func (s *Server) apiAvailability(c echo.Context) error  { return echo.ErrNotImplemented }
