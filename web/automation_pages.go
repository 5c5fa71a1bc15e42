package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/automation"
	"switchyard/app/autorules"
	"switchyard/web/views"
)

// automationPage shows the draft automation rules to edit, simulate and publish.
func (s *Server) automationPage(c echo.Context) error {
	draft, err := s.auto.Get(c.Request().Context(), "draft")
	if err != nil {
		return err
	}
	body, err := draftJSON(draft.Rules)
	if err != nil {
		return err
	}
	kind, msg := takeFlash(c)
	return s.renderAutomation(c, http.StatusOK, views.AutomationView{Draft: body, Orders: "100", Notice: views.Flash{Kind: kind, Text: msg}})
}

// draftJSON is a rule set as the editor shows it.
func draftJSON(rules []automation.Rule) (string, error) {
	b, err := json.MarshalIndent(automation.RuleSet{Rules: rules}, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encode automation rules: %w", err)
	}
	return string(b), nil
}

// renderAutomation fills in the versions and renders the page.
func (s *Server) renderAutomation(c echo.Context, status int, v views.AutomationView) error {
	var err error
	if v.Versions, err = s.auto.Versions(c.Request().Context()); err != nil {
		return err
	}
	if len(v.Versions) > 0 {
		v.Published = v.Versions[0].Version
	}
	v.CSRF = csrfToken(c)
	return s.render(c, status, "Automation rules", views.Automation(v))
}

// automationPost is what the draft's form posts.
type automationPost struct {
	Rules  string `form:"rules"`
	Action string `form:"action"` // save, or simulate
	Orders string `form:"orders"`
}

// saveAutomationDraft checks and stores the draft; with action=simulate it
// then shows what the draft would have done to recent orders.
func (s *Server) saveAutomationDraft(c echo.Context) error {
	var p automationPost
	if err := bindForm(c, &p); err != nil {
		return err
	}
	ctx := c.Request().Context()
	v := views.AutomationView{Draft: p.Rules, Orders: strings.TrimSpace(p.Orders)}
	rs, err := autorules.ParseJSON([]byte(p.Rules))
	if err == nil {
		_, err = s.auto.PutDraft(ctx, currentUser(c).Actor(), rs)
	}
	if errs, msg, ok := fieldErrors(err); ok {
		v.Errors = errs
		v.Notice = views.Flash{Kind: "error", Text: msg + " Nothing was saved."}
		return s.renderAutomation(c, http.StatusUnprocessableEntity, v)
	} else if err != nil {
		return err
	}
	if p.Action != "simulate" {
		return redirectWithFlash(c, "/automation", fmt.Sprintf("Draft saved: %d rule%s. Publish it to put it in force.", len(rs.Rules), app.Plural(len(rs.Rules))))
	}
	n, perr := strconv.Atoi(v.Orders)
	if perr != nil {
		n = -1
	}
	sim, err := s.auto.Simulate(ctx, currentUser(c).Actor(), rs, n)
	if errs, _, ok := fieldErrors(err); ok {
		v.Errors = errs
		v.Notice = views.Flash{Kind: "error", Text: "The draft was saved, but not simulated: " + errs["orders"] + "."}
		return s.renderAutomation(c, http.StatusUnprocessableEntity, v)
	} else if err != nil {
		return err
	}
	v.Sim = &sim
	v.Notice = views.Flash{Kind: "ok", Text: "Draft saved and simulated. Publish it to put it in force."}
	return s.renderAutomation(c, http.StatusOK, v)
}

// publishAutomation puts the draft in force as the next version.
func (s *Server) publishAutomation(c echo.Context) error {
	info, err := s.auto.Publish(c.Request().Context(), currentUser(c).Actor(), c.FormValue("note"))
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/automation", fmt.Sprintf("Automation rules version %d published: %d rule%s in force.",
		info.Version, len(info.Rules), app.Plural(len(info.Rules))))
}
