package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/tracking"
	"switchyard/web/views"
)

// trackingCheck answers the ship and correction forms as the number is
// typed: a fragment saying whether it looks like the chosen carrier's.
// Nothing is saved; the fragment replaces the one that asked (form=ship or correct).
func (s *Server) trackingCheck(c echo.Context) error {
	prefix := "ship"
	if c.QueryParam("form") == "correct" {
		prefix = "correct"
	}
	check := tracking.Validate(c.QueryParam("carrier"), c.QueryParam("tracking_number"))
	if c.QueryParam("carrier") == "" {
		check.Carrier = ""
	}
	return renderFragment(c, http.StatusOK, views.TrackingCheck(check, prefix))
}

// correctTrackingPost is what the correction form posts.
type correctTrackingPost struct {
	Carrier  string `form:"carrier"`
	Tracking string `form:"tracking_number"`
	Back     string `form:"back"`
}

// correctTrackingPage shows the form that corrects a shipment's carrier and
// tracking number: support from the order page, warehouse users from the
// fulfillment page (their own locations only; others' shipments are not found).
func (s *Server) correctTrackingPage(c echo.Context) error {
	id, err := pathID(c, "id", "shipment")
	if err != nil {
		return err
	}
	sh, err := s.app.ShipmentFor(c.Request().Context(), currentUser(c).Actor(), id)
	if err != nil {
		return err
	}
	v := views.CorrectTrackingView{CSRF: csrfToken(c), Shipment: sh, Carriers: tracking.Carriers(), Carrier: sh.Carrier,
		Number: sh.TrackingNumber, Back: correctionBack(c, c.QueryParam("back"), sh)}
	return s.render(c, http.StatusOK, "Correct the tracking · "+sh.OrderNumber, views.CorrectTrackingPage(v))
}

// correctTracking saves a corrected carrier and tracking number; refused
// input comes back with the fields named and nothing written. Done: 303 back
// to the page the user came from, which says so.
func (s *Server) correctTracking(c echo.Context) error {
	id, err := pathID(c, "id", "shipment")
	if err != nil {
		return err
	}
	var p correctTrackingPost
	if err := bindForm(c, &p); err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), currentUser(c).Actor()
	sh, err := s.app.ShipmentFor(ctx, actor, id)
	if err != nil {
		return err
	}
	back := correctionBack(c, p.Back, sh)
	res, err := s.app.CorrectTracking(ctx, actor, id, app.CorrectTrackingInput{Carrier: p.Carrier, TrackingNumber: p.Tracking})
	if errs, msg, invalid := fieldErrors(err); invalid {
		v := views.CorrectTrackingView{CSRF: csrfToken(c), Shipment: sh, Carriers: tracking.Carriers(), Carrier: p.Carrier,
			Number: p.Tracking, Back: back, Errors: errs, Notice: msg, Check: tracking.Validate(p.Carrier, p.Tracking)}
		return s.render(c, http.StatusUnprocessableEntity, "Correct the tracking · "+sh.OrderNumber, views.CorrectTrackingPage(v))
	} else if err != nil {
		return err
	}
	msg := "Saved: the tracking of order " + sh.OrderNumber + " is now " + app.CarrierName(p.Carrier) + " " + tracking.Normalize(p.Tracking) + "; the shop is told again."
	kind := "ok"
	if res.Warning != "" {
		kind, msg = "warn", msg+" Check it: "+res.Warning+"."
	}
	addFlash(c, kind, msg)
	return c.Redirect(http.StatusSeeOther, back)
}

// correctionBack is where the correction form returns: the page named when
// it is a path on this site, else the order page (the desk) or the
// fulfillment page (warehouse users, who have no order pages).
func correctionBack(c echo.Context, raw string, sh app.ShipmentRef) string {
	if raw != "" {
		if next := safeNext(raw); next != "/" {
			return next
		}
	}
	if currentUser(c).Role == app.RoleWarehouse {
		return "/fulfillments/" + strconv.FormatInt(sh.FulfillmentID, 10) + "/ship"
	}
	return "/orders/" + sh.OrderNumber
}
