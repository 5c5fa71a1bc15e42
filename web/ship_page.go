package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/floor"
	"switchyard/app/tracking"
	"switchyard/web/views"
)

// shipPage is the confirm-shipment form of a fulfillment: every open quantity to start with.
func (s *Server) shipPage(c echo.Context) error {
	id, err := fulfillmentID(c)
	if err != nil {
		return err
	}
	w, err := s.floor.Work(c.Request().Context(), currentUser(c).Actor(), id)
	if err != nil {
		return err
	}
	back := queueBack(c.QueryParam("back"), w.Location, w.Status)
	v := s.shipView(c, w, views.ShipFormOf(w), back)
	if _, err := s.withScans(c.Request().Context(), &v, nil); err != nil {
		return err
	}
	v.NoticeKind, v.Notice = takeFlash(c)
	return s.renderShip(c, http.StatusOK, v)
}

// shipFulfillment confirms a shipment: carrier, tracking number and the
// quantities that leave (0 or empty: not this time). Done: 303 to the queue,
// which says so (and repeats the tracking check's warning, if any).
func (s *Server) shipFulfillment(c echo.Context) error {
	id, err := fulfillmentID(c)
	if err != nil {
		return err
	}
	var p shipPost
	if err := bindForm(c, &p); err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return app.Invalid("the form could not be read", nil)
	}
	ctx, actor := c.Request().Context(), currentUser(c).Actor()
	w, err := s.floor.Work(ctx, actor, id)
	if err != nil {
		return err
	}
	back := queueBack(p.Back, w.Location, w.Status)
	f, in, rows, err := shipFormOf(p, formLines(form), w)
	if cerr := shippable(w); cerr != nil {
		err = cerr
	}
	if err == nil {
		in.Scans = form["scans"]
		_, err = s.app.Ship(ctx, actor, id, in)
		err = renumberLines(err, rows)
	}
	if err != nil {
		v := s.shipView(c, w, f, back)
		if _, serr := s.withScans(ctx, &v, form["scans"]); serr != nil {
			return serr
		}
		return s.shipProblem(c, v, err)
	}
	kind, msg := s.shippedNotice(c, id)
	addFlash(c, kind, msg)
	target := withParams(back, nil)
	if isHTMX(c) {
		c.Response().Header().Set("HX-Redirect", target)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// shippable refuses, before the form is read, a fulfillment that cannot ship:
// its order is on hold, or nothing is left (the app checks again when it ships).
func shippable(w floor.FulfillmentWork) error {
	switch {
	case w.Held:
		return app.Conflict("order %s is on hold %s: release it before shipping", w.OrderNumber, w.HoldReason)
	case !views.HasOpenWork(w):
		return app.Conflict("nothing is left to ship in this fulfillment")
	}
	return nil
}

// shipPost is what the ship form posts besides its line rows
// (lines[k].sku, lines[k].quantity), which are read apart.
type shipPost struct {
	Carrier  string `form:"carrier"`
	Tracking string `form:"tracking_number"`
	Back     string `form:"back"`
}

// shipFormOf reads the ship form into what the app takes. rows[j] is the
// form row of the app's lines[j], to put the app's errors beside the right row.
func shipFormOf(p shipPost, lines []formLine, w floor.FulfillmentWork) (views.ShipForm, app.ShipInput, []int, error) {
	f := views.ShipForm{Carrier: strings.TrimSpace(p.Carrier), Tracking: strings.TrimSpace(p.Tracking),
		Quantities: map[int]string{}}
	bad := map[string]string{}
	switch {
	case w.Pickup:
		f.Carrier, f.Tracking = app.CarrierPickup, ""
	case f.Carrier == app.CarrierPickup:
		bad["carrier"] = "must be one of the carriers listed"
	}
	in := app.ShipInput{Carrier: f.Carrier, TrackingNumber: f.Tracking}
	var rows []int
	for _, r := range lines {
		raw := strings.TrimSpace(r.vals["quantity"])
		f.Quantities[r.k] = raw
		q, msg := shipQuantity(raw, w, r.k, r.vals["sku"])
		if msg != "" {
			bad[r.field("quantity")] = msg
		} else if q > 0 {
			in.Lines = append(in.Lines, app.ShipLine{SKU: r.vals["sku"], Quantity: q})
			rows = append(rows, r.k)
		}
	}
	if len(in.Lines) == 0 && len(bad) == 0 {
		bad["lines"] = "enter a quantity of 1 or more beside at least one line"
	}
	if len(bad) > 0 {
		return f, in, nil, app.Invalid("shipment is invalid", bad)
	}
	return f, in, rows, nil
}

// shipQuantity reads the quantity typed on row k (empty: 0) and checks it
// against what is open there; the message says what is wrong, if anything.
func shipQuantity(raw string, w floor.FulfillmentWork, k int, sku string) (int64, string) {
	if raw == "" {
		return 0, ""
	}
	q, err := strconv.ParseInt(raw, 10, 64)
	switch {
	case err != nil:
		return 0, "must be a whole number"
	case q < 0:
		return 0, "must be 0 or more"
	case k >= len(w.Lines) || w.Lines[k].SKU != sku:
		return 0, "is not a line of this fulfillment: reload the page"
	case q > w.Lines[k].Open():
		return 0, "is more than is left to ship (" + strconv.FormatInt(w.Lines[k].Open(), 10) + ")"
	}
	return q, ""
}

// shipView gathers the ship page's view.
func (s *Server) shipView(c echo.Context, w floor.FulfillmentWork, f views.ShipForm, back string) views.ShipView {
	zone, _ := s.app.Zone(w.Timezone)
	return views.ShipView{CSRF: csrfToken(c), Work: w, Carriers: tracking.Carriers(), Form: f, Back: back, Zone: zone}
}

// shipProblem shows a refused shipment: 422 with the fields' errors, 409 with
// the reason for a refused move (on hold, nothing left). Anything else goes on.
func (s *Server) shipProblem(c echo.Context, v views.ShipView, err error) error {
	errs, msg, invalid := fieldErrors(err)
	switch {
	case invalid:
		v.Form.Errors, v.NoticeKind, v.Notice = errs, "error", msg
		return s.renderShip(c, http.StatusUnprocessableEntity, v)
	case app.ErrorKind(err) == app.KindConflict:
		v.NoticeKind, v.Notice = "error", sentence(describeError(err).message)
		return s.renderShip(c, http.StatusConflict, v)
	}
	return err
}

// renderShip renders the ship page.
func (s *Server) renderShip(c echo.Context, status int, v views.ShipView) error {
	title := "Confirm shipment · " + v.Work.OrderNumber
	if v.Work.Pickup {
		title = "Ready for pickup · " + v.Work.OrderNumber
	}
	return s.render(c, status, title, views.ShipPage(v))
}
