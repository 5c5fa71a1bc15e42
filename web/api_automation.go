package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchyard/app/automation"
)

// apiGetAutomation returns the published automation rules, or ?version=draft (or a number).
func (s *Server) apiGetAutomation(c echo.Context) error {
	info, err := s.auto.Get(c.Request().Context(), c.QueryParam("version"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, info)
}

// apiPutAutomationDraft replaces the draft: {"rules": [...]}; the version in the body is ignored.
func (s *Server) apiPutAutomationDraft(c echo.Context) error {
	var rs automation.RuleSet
	if err := bindJSON(c, &rs); err != nil {
		return err
	}
	info, err := s.auto.PutDraft(c.Request().Context(), apiKey(c).Actor(), rs)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, info)
}

// automationPublishJSON is the optional body of POST /api/v1/automation/rules/publish.
type automationPublishJSON struct {
	Note string `json:"note"`
}

// apiPublishAutomation publishes the draft as the next version.
func (s *Server) apiPublishAutomation(c echo.Context) error {
	var in automationPublishJSON
	if c.Request().ContentLength != 0 {
		if err := bindJSON(c, &in); err != nil {
			return err
		}
	}
	info, err := s.auto.Publish(c.Request().Context(), apiKey(c).Actor(), in.Note)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusCreated, info)
}

// automationSimulateJSON is the body of POST /api/v1/automation/rules/simulate:
// how many recent orders, and the rules to try (absent: the draft).
type automationSimulateJSON struct {
	Orders int                 `json:"orders"`
	Rules  *automation.RuleSet `json:"rules"`
}

// apiSimulateAutomation says what the rules would have done to the last N orders, writing nothing.
func (s *Server) apiSimulateAutomation(c echo.Context) error {
	var in automationSimulateJSON
	if c.Request().ContentLength != 0 {
		if err := bindJSON(c, &in); err != nil {
			return err
		}
	}
	if in.Orders == 0 {
		in.Orders = 100
	}
	ctx := c.Request().Context()
	rs := in.Rules
	if rs == nil {
		draft, err := s.auto.Get(ctx, "draft")
		if err != nil {
			return err
		}
		rs = &automation.RuleSet{Rules: draft.Rules}
	}
	sim, err := s.auto.Simulate(ctx, apiKey(c).Actor(), *rs, in.Orders)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, sim)
}
