package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/returns"
	"switchyard/web/views"
)

// returnPolicyPage shows a channel's return policy as a form (ops and admins).
func (s *Server) returnPolicyPage(c echo.Context) error {
	p, err := s.returns.Policy(c.Request().Context(), pathCode(c, "code"))
	if err != nil {
		return err
	}
	kind, msg := takeFlash(c)
	return s.renderPolicy(c, http.StatusOK, policyFormOf(p), views.Flash{Kind: kind, Text: msg})
}

// policyFormOf puts a policy in its form.
func policyFormOf(p returns.Policy) views.PolicyForm {
	return views.PolicyForm{Channel: p.Channel, WindowDays: strconv.FormatInt(p.WindowDays, 10),
		CustomerNeedsApproval: p.CustomerNeedsApproval, RestockingFeePct: strconv.FormatInt(p.RestockingFeePct, 10),
		RefundShipping: p.RefundShipping, Reasons: p.Reasons, UpdatedBy: p.UpdatedBy}
}

// renderPolicy renders the return policy page.
func (s *Server) renderPolicy(c echo.Context, status int, f views.PolicyForm, notice views.Flash) error {
	f.CSRF = csrfToken(c)
	return s.render(c, status, "Return policy · "+f.Channel, views.ReturnPolicy(f, notice))
}

// policyPost is what the return policy form posts.
type policyPost struct {
	WindowDays            string   `form:"window_days"`
	CustomerNeedsApproval string   `form:"customer_needs_approval"`
	RestockingFeePct      string   `form:"restocking_fee_pct"`
	RefundShipping        string   `form:"refund_shipping"`
	Reasons               []string `form:"reasons"`
}

// saveReturnPolicy stores a channel's return policy; bad values are shown
// beside their fields and nothing is stored.
func (s *Server) saveReturnPolicy(c echo.Context) error {
	ctx := c.Request().Context()
	cur, err := s.returns.Policy(ctx, pathCode(c, "code"))
	if err != nil {
		return err
	}
	var p policyPost
	if err := bindForm(c, &p); err != nil {
		return err
	}
	f := views.PolicyForm{Channel: cur.Channel, WindowDays: strings.TrimSpace(p.WindowDays), CustomerNeedsApproval: p.CustomerNeedsApproval != "",
		RestockingFeePct: strings.TrimSpace(p.RestockingFeePct), RefundShipping: p.RefundShipping, Reasons: p.Reasons, UpdatedBy: cur.UpdatedBy}
	errs := views.Errors{}
	in := returns.Policy{CustomerNeedsApproval: f.CustomerNeedsApproval, RefundShipping: p.RefundShipping, Reasons: p.Reasons}
	if in.WindowDays, err = strconv.ParseInt(f.WindowDays, 10, 64); err != nil {
		errs["window_days"] = "must be a whole number of days"
	}
	if in.RestockingFeePct, err = strconv.ParseInt(f.RestockingFeePct, 10, 64); err != nil {
		errs["restocking_fee_pct"] = "must be a whole number from 0 to 100"
	}
	if len(errs) == 0 {
		_, err = s.returns.SetPolicy(ctx, currentUser(c).Actor(), cur.Channel, in)
		if e, _, ok := fieldErrors(err); ok {
			errs = e
		} else if err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		f.Errors = policyErrors(errs)
		return s.renderPolicy(c, http.StatusUnprocessableEntity, f, views.Flash{Kind: "error", Text: "Please correct the fields marked below: nothing was saved."})
	}
	return redirectWithFlash(c, "/channels/"+url.PathEscape(cur.Channel)+"/returns", "Return policy saved.")
}

// policyErrors puts every reason's error on the reasons field.
func policyErrors(errs views.Errors) views.Errors {
	out := views.Errors{}
	for k, v := range errs {
		if strings.HasPrefix(k, "reasons[") {
			k = "reasons"
		}
		out[k] = v
	}
	return out
}

// returnRulesPage shows the draft return rules as editable rows, the
// published versions, and where an order would go back to (?order=).
func (s *Server) returnRulesPage(c echo.Context) error {
	ctx := c.Request().Context()
	draft, err := s.returns.Rules(ctx, 0)
	if err != nil {
		return err
	}
	f := views.ReturnRulesForm{Rows: rowsOfRules(draft.Rules)}
	f.Rows = append(f.Rows, views.ReturnRuleRow{Location: returns.Nearest})
	v := views.ReturnRulesView{Form: f, Order: strings.TrimSpace(c.QueryParam("order"))}
	if v.Order != "" {
		choice, err := s.returns.Preview(ctx, v.Order)
		switch app.ErrorKind(err) {
		case "":
			v.Choice = &choice
		case app.KindNotFound, app.KindConflict:
			v.PreviewError = sentence(describeError(err).message)
		default:
			return err
		}
	}
	kind, msg := takeFlash(c)
	v.Notice = views.Flash{Kind: kind, Text: msg}
	return s.renderReturnRules(c, http.StatusOK, v)
}

// renderReturnRules fills in the versions and choices and renders the page.
func (s *Server) renderReturnRules(c echo.Context, status int, v views.ReturnRulesView) error {
	ctx := c.Request().Context()
	var err error
	if v.Versions, err = s.returns.Versions(ctx); err != nil {
		return err
	}
	if v.Locations, err = s.app.LocationChoices(ctx); err != nil {
		return err
	}
	chs, err := s.app.Channels(ctx)
	if err != nil {
		return err
	}
	for _, ch := range chs {
		v.Channels = append(v.Channels, ch.Code)
	}
	v.CSRF = csrfToken(c)
	return s.render(c, status, "Return rules", views.ReturnRules(v))
}

// rowsOfRules puts rules in the form's rows.
func rowsOfRules(rules []returns.Rule) []views.ReturnRuleRow {
	rows := make([]views.ReturnRuleRow, 0, len(rules)+1)
	for _, r := range rules {
		rows = append(rows, views.ReturnRuleRow{Name: r.Name, Channel: r.Channel, Country: r.Country, SKUTag: r.SKUTag, Location: r.Location})
	}
	return rows
}

// returnRulesPost is what the draft's form posts: one value per row of each column.
type returnRulesPost struct {
	Names     []string `form:"name"`
	Channels  []string `form:"channel"`
	Countries []string `form:"country"`
	Tags      []string `form:"sku_tag"`
	Locations []string `form:"location"`
	Action    string   `form:"action"` // save, or add_row
}

// at is the i-th value of col, trimmed ("" past its end).
func at(col []string, i int) string {
	if i < len(col) {
		return strings.TrimSpace(col[i])
	}
	return ""
}

// saveReturnRules stores the draft return rules; rows left with neither a
// name nor a condition are dropped.
func (s *Server) saveReturnRules(c echo.Context) error {
	var p returnRulesPost
	if err := bindForm(c, &p); err != nil {
		return err
	}
	var rows []views.ReturnRuleRow
	for i := range min(len(p.Locations), 201) {
		r := views.ReturnRuleRow{Name: at(p.Names, i), Channel: at(p.Channels, i), Country: strings.ToUpper(at(p.Countries, i)),
			SKUTag: at(p.Tags, i), Location: at(p.Locations, i)}
		if r.Name == "" && r.Channel == "" && r.Country == "" && r.SKUTag == "" {
			continue
		}
		rows = append(rows, r)
	}
	v := views.ReturnRulesView{Form: views.ReturnRulesForm{Rows: rows}}
	if p.Action == "add_row" {
		v.Form.Rows = append(v.Form.Rows, views.ReturnRuleRow{Location: returns.Nearest})
		return s.renderReturnRules(c, http.StatusOK, v)
	}
	rules := make([]returns.Rule, 0, len(rows))
	for _, r := range rows {
		rules = append(rules, returns.Rule{Name: r.Name, Channel: r.Channel, Country: r.Country, SKUTag: r.SKUTag, Location: r.Location})
	}
	err := s.returns.SaveDraft(c.Request().Context(), currentUser(c).Actor(), rules)
	if errs, msg, ok := fieldErrors(err); ok {
		v.Form.Errors = errs
		v.Form.Rows = append(v.Form.Rows, views.ReturnRuleRow{Location: returns.Nearest})
		v.Notice = views.Flash{Kind: "error", Text: msg + " Nothing was saved."}
		return s.renderReturnRules(c, http.StatusUnprocessableEntity, v)
	} else if err != nil {
		return err
	}
	return redirectWithFlash(c, "/returns/rules", fmt.Sprintf("Draft saved: %d rule%s. Publish it to put it in force.", len(rules), app.Plural(len(rules))))
}

// publishReturnRules makes the draft the rules in force.
func (s *Server) publishReturnRules(c echo.Context) error {
	version, err := s.returns.Publish(c.Request().Context(), currentUser(c).Actor(), c.FormValue("note"))
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/returns/rules", fmt.Sprintf("Return rules version %d published.", version))
}
