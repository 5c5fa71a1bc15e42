package web

import "github.com/labstack/echo/v4"

// Placeholders for the routing pages, replaced by web/rules_*.go.

func (s *Server) rulesPage(c echo.Context) error         { return echo.ErrNotImplemented }
func (s *Server) addDraftRule(c echo.Context) error      { return echo.ErrNotImplemented }
func (s *Server) editDraftRulePage(c echo.Context) error { return echo.ErrNotImplemented }
func (s *Server) saveDraftRule(c echo.Context) error     { return echo.ErrNotImplemented }
func (s *Server) moveDraftRule(c echo.Context) error     { return echo.ErrNotImplemented }
func (s *Server) toggleDraftRule(c echo.Context) error   { return echo.ErrNotImplemented }
func (s *Server) deleteDraftRule(c echo.Context) error   { return echo.ErrNotImplemented }
func (s *Server) publishRules(c echo.Context) error      { return echo.ErrNotImplemented }
func (s *Server) checkRulePage(c echo.Context) error     { return echo.ErrNotImplemented }
func (s *Server) exportRules(c echo.Context) error       { return echo.ErrNotImplemented }
func (s *Server) importRules(c echo.Context) error       { return echo.ErrNotImplemented }
func (s *Server) ruleVersionPage(c echo.Context) error   { return echo.ErrNotImplemented }
func (s *Server) ratesPage(c echo.Context) error         { return echo.ErrNotImplemented }
func (s *Server) saveRate(c echo.Context) error          { return echo.ErrNotImplemented }
func (s *Server) deleteRate(c echo.Context) error        { return echo.ErrNotImplemented }
func (s *Server) importRates(c echo.Context) error       { return echo.ErrNotImplemented }
func (s *Server) importPostalCodes(c echo.Context) error { return echo.ErrNotImplemented }
func (s *Server) orderRoutingPage(c echo.Context) error  { return echo.ErrNotImplemented }
func (s *Server) rerouteOrder(c echo.Context) error      { return echo.ErrNotImplemented }
