package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/routing"
	"switchyard/app/rules"
)

// rulesJSON is a version of the routing rules as the API returns it (API.md).
type rulesJSON struct {
	Version     int            `json:"version"`
	Draft       bool           `json:"draft"`
	Rules       []routing.Rule `json:"rules"`
	UpdatedBy   string         `json:"updated_by,omitempty"`
	UpdatedAt   time.Time      `json:"updated_at"`
	PublishedBy string         `json:"published_by,omitempty"`
	PublishedAt *time.Time     `json:"published_at,omitempty"`
}

// toRulesJSON maps a rule set version for the API.
func toRulesJSON(info rules.RuleSetInfo) rulesJSON {
	return rulesJSON{Version: info.Rules.Version, Draft: info.Draft, Rules: info.Rules.Rules, UpdatedBy: info.UpdatedBy,
		UpdatedAt: info.UpdatedAt, PublishedBy: info.PublishedBy, PublishedAt: info.PublishedAt}
}

// apiGetRules returns the published rules, or ?version=draft (or a number).
func (s *Server) apiGetRules(c echo.Context) error {
	info, err := s.rules.RulesVersion(c.Request().Context(), c.QueryParam("version"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, toRulesJSON(info))
}

// apiPutDraftRules replaces the draft: {"rules": [...]}; the version in the body is ignored.
func (s *Server) apiPutDraftRules(c echo.Context) error {
	var rs routing.RuleSet
	if err := bindJSON(c, &rs); err != nil {
		return err
	}
	info, err := s.rules.PutDraftRules(c.Request().Context(), apiKey(c).Actor(), rs)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, toRulesJSON(info))
}

// apiPublishRules publishes the draft as the next version.
func (s *Server) apiPublishRules(c echo.Context) error {
	info, err := s.rules.PublishRules(c.Request().Context(), apiKey(c).Actor())
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusCreated, toRulesJSON(info))
}

// rerouteJSON is the body of POST /api/v1/orders/{number}/reroute: empty to
// route again, or a location to move the order to.
type rerouteJSON struct {
	Location string `json:"location"`
}

// apiRerouteOrder routes an order again, or moves it to one location.
func (s *Server) apiRerouteOrder(c echo.Context) error {
	var in rerouteJSON
	if c.Request().ContentLength != 0 {
		if err := bindJSON(c, &in); err != nil {
			return err
		}
	}
	return s.orderAction(c, nil, func(a app.Actor, n string) (app.Order, error) {
		if in.Location != "" {
			return s.app.MoveTo(c.Request().Context(), a, n, in.Location)
		}
		return s.app.Reroute(c.Request().Context(), a, n)
	})
}
