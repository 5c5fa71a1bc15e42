package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/money"
	"switchyard/app/routing"
	"switchyard/web/views"
)

// orderRoutingPage shows every routing decision of an order, newest first, with the routing actions.
func (s *Server) orderRoutingPage(c echo.Context) error {
	p, err := s.orderRoutingView(c)
	if err != nil {
		return err
	}
	p.NoticeKind, p.Notice = takeFlash(c)
	return s.render(c, http.StatusOK, "Routing of "+p.Number, views.OrderRouting(p))
}

// rerouteForm is what the routing page posts: a location to move the order to, or none to route it again.
type rerouteForm struct {
	Location string `form:"location"`
}

// rerouteOrder routes an order again or, with a location, moves it there;
// a move the engine refuses shows its reason on the page (409).
func (s *Server) rerouteOrder(c echo.Context) error {
	ctx, actor, number := c.Request().Context(), currentUser(c).Actor(), c.Param("number")
	var f rerouteForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	location := strings.TrimSpace(f.Location)
	var err error
	notice := "Routed the order again"
	if location != "" {
		_, err = s.app.MoveTo(ctx, actor, number, location)
		notice = "Moved the order to " + location
	} else {
		_, err = s.app.Reroute(ctx, actor, number)
	}
	switch kind := app.ErrorKind(err); {
	case err == nil:
		return redirectWithFlash(c, orderRoutingURL(number), notice)
	case kind == app.KindConflict || kind == app.KindInvalid:
		p, verr := s.orderRoutingView(c)
		if verr != nil {
			return verr
		}
		p.Location, p.NoticeKind, p.Notice = location, "error", sentence(describeError(err).message)
		return s.render(c, statusOf[kind], "Routing of "+p.Number, views.OrderRouting(p))
	}
	return err
}

// orderRoutingView gathers an order's decisions and what the viewer may do with it.
func (s *Server) orderRoutingView(c echo.Context) (views.OrderRoutingPage, error) {
	ctx := c.Request().Context()
	o, err := s.app.OrderByNumber(ctx, c.Param("number"))
	if err != nil {
		return views.OrderRoutingPage{}, err
	}
	ds, err := s.app.Decisions(ctx, o.Number)
	if err != nil {
		return views.OrderRoutingPage{}, err
	}
	role := currentUser(c).Role
	p := views.OrderRoutingPage{CSRF: csrfToken(c), Number: o.Number, Status: o.Status,
		CanRoute: app.CanMove(o.Status, app.MoveRoute) && app.MayMove(role, app.MoveRoute)}
	for _, d := range slices.Backward(ds) {
		p.Decisions = append(p.Decisions, decisionView(d.ID, d.Decision, d.Input, withAt(d.At, d.Trigger)))
	}
	if p.CanRoute {
		if p.Locations, err = s.app.LocationChoices(ctx); err != nil {
			return views.OrderRoutingPage{}, err
		}
	}
	return p, nil
}

// withAt sets when and why a stored decision was made.
func withAt(at time.Time, trigger string) func(*views.DecisionView) {
	return func(v *views.DecisionView) { v.At, v.Trigger = at, trigger }
}

// decisionView puts a decision, and the input it was made on, into the page's words.
func decisionView(id int64, d routing.Decision, in routing.Input, opts ...func(*views.DecisionView)) views.DecisionView {
	cur := money.Currency{Code: in.Order.Currency, Exponent: in.Order.ValueExponent}
	v := views.DecisionView{ID: id, Rule: ruleWords(d), Explanation: d.Explanation, Hold: d.Hold, HoldReason: d.HoldReason}
	zones := routing.LoadZones(in.Candidates) // each location's zone, loaded once for every row
	zone := func(name string) *time.Location {
		if loc, ok := zones[name]; ok {
			return loc
		}
		return time.UTC
	}
	figures := map[string]routing.Figures{}
	for _, cr := range d.Candidates {
		figures[cr.Location] = cr.Figures
	}
	for _, sh := range d.Shipments {
		f := figures[sh.Location]
		v.Shipments = append(v.Shipments, views.ShipmentRow{Location: sh.Location, Name: sh.LocationName, Lines: allocationWords(sh.Lines),
			Distance: kmWords(sh.DistanceKm, f.DistanceKnown), Cost: costWords(sh.Cost, sh.CostKnown, cur),
			ShipBy: dayWords(sh.ShipBy, zone(f.Timezone)), DeliverBy: dayWords(sh.DeliverBy, zone(f.Timezone))})
	}
	for _, b := range d.Backorders {
		v.Backorders = append(v.Backorders, views.BackorderRow{SKU: b.SKU, Quantity: b.Quantity, Location: b.Location})
	}
	for _, u := range d.Unrouted {
		v.Unrouted = append(v.Unrouted, views.BackorderRow{SKU: u.SKU, Quantity: u.Quantity})
	}
	placed := routing.Placements(d, in)
	for _, cr := range d.Candidates {
		row := candidateRow(cr, cur, zone(cr.Figures.Timezone))
		row.Placement = placed[cr.Location]
		v.Candidates = append(v.Candidates, row)
	}
	v.FiguresLost = len(d.Candidates) == 0 && len(in.Candidates) > 0 // stored without them, and not reproducible
	// A decision without a strategy was recorded before the cost model.
	if d.Cost.Strategy != "" && len(d.Shipments) > 0 {
		c := d.Cost
		v.Cost, v.Currency = &c, cur
	}
	for _, o := range opts {
		o(&v)
	}
	return v
}

// candidateRow puts one candidate's figures into words.
func candidateRow(c routing.CandidateReport, cur money.Currency, loc *time.Location) views.CandidateRow {
	f := c.Figures
	row := views.CandidateRow{Location: c.Location, Name: c.LocationName, Chosen: c.Chosen, Excluded: c.Excluded,
		Position: c.Position, Reasons: c.Reasons, Distance: kmWords(f.DistanceKm, f.DistanceKnown),
		Cost: costWords(f.Cost, f.CostKnown, cur), Transit: transitWords(f.TransitDays, f.TransitDefault),
		Promise: dayWords(f.DeliverBy, loc), Lines: fmt.Sprintf("%d/%d", f.LinesFull, f.LinesTotal),
		Units: fmt.Sprintf("%d/%d", f.UnitsAvailable, f.UnitsOrdered), CapacityLeft: "unlimited"}
	if f.CapacityLeft >= 0 {
		row.CapacityLeft = strconv.FormatInt(f.CapacityLeft, 10)
	}
	return row
}

// ruleWords names the deciding rule: `rule "EU closest" (#1) of version 3`.
func ruleWords(d routing.Decision) string {
	if d.RuleIndex < 0 {
		return "the default rule"
	}
	set := "the draft"
	if d.RuleVersion > 0 {
		set = "version " + strconv.Itoa(d.RuleVersion)
	}
	return fmt.Sprintf("rule %q (#%d) of %s", d.Rule, d.RuleIndex+1, set)
}

// allocationWords lists quantities of SKUs: "2 × TEE, 1 × CAP".
func allocationWords(as []routing.Allocation) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = strconv.FormatInt(a.Quantity, 10) + " × " + a.SKU
	}
	return strings.Join(parts, ", ")
}

// kmWords is a distance, or "unknown".
func kmWords(km float64, known bool) string {
	if !known {
		return "unknown"
	}
	return strconv.FormatFloat(km, 'f', -1, 64) + " km"
}

// costWords is a shipping cost in the order's currency, or "unknown".
func costWords(minor int64, known bool, cur money.Currency) string {
	if !known {
		return "unknown"
	}
	return strings.TrimSpace(money.Format(minor, cur) + " " + cur.Code)
}

// transitWords is a transit time, saying when it is the default.
func transitWords(days int, byDefault bool) string {
	s := strconv.Itoa(days) + " days"
	if days == 1 {
		s = "1 day"
	}
	if byDefault {
		s += " (default)"
	}
	return s
}

// dayWords is a promised day in the location's time zone, or a dash when there is none.
func dayWords(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(loc).Format("Mon 2 Jan")
}

// orderRoutingURL is the address of an order's routing page.
func orderRoutingURL(number string) string { return "/orders/" + url.PathEscape(number) + "/routing" }
