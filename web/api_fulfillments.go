package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"switchyard/app"
)

// fulfillmentID reads the :id of a fulfillment path.
func fulfillmentID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, app.NotFound("no fulfillment %q", c.Param("id"))
	}
	return id, nil
}

// apiAcceptFulfillment records that the location takes the work on.
func (s *Server) apiAcceptFulfillment(c echo.Context) error {
	id, err := fulfillmentID(c)
	if err != nil {
		return err
	}
	o, err := s.app.AcceptFulfillment(c.Request().Context(), apiKey(c).Actor(), id)
	if err != nil {
		return err
	}
	return s.writeOrder(c, http.StatusOK, o)
}

// apiRejectFulfillment records a location's refusal; the lines are routed again.
func (s *Server) apiRejectFulfillment(c echo.Context) error {
	id, err := fulfillmentID(c)
	if err != nil {
		return err
	}
	var in app.RejectInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	o, err := s.app.RejectFulfillment(c.Request().Context(), apiKey(c).Actor(), id, in)
	if err != nil {
		return err
	}
	return s.writeOrder(c, http.StatusOK, o)
}

// shipJSON is the answer to a shipment: the order, and the tracking check's warning.
type shipJSON struct {
	orderJSON
	Warning string `json:"warning,omitempty"`
}

// apiShipFulfillment confirms a shipment: {carrier, tracking_number, lines?: [{sku, quantity}]}.
func (s *Server) apiShipFulfillment(c echo.Context) error {
	id, err := fulfillmentID(c)
	if err != nil {
		return err
	}
	var in app.ShipInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	res, err := s.app.Ship(c.Request().Context(), apiKey(c).Actor(), id, in)
	if err != nil {
		return err
	}
	out, err := s.orderAnswer(c, res.Order)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, shipJSON{orderJSON: out, Warning: res.Warning})
}

// apiDeliverFulfillment records a delivery (or a collection).
func (s *Server) apiDeliverFulfillment(c echo.Context) error {
	id, err := fulfillmentID(c)
	if err != nil {
		return err
	}
	o, err := s.app.Deliver(c.Request().Context(), apiKey(c).Actor(), id)
	if err != nil {
		return err
	}
	return s.writeOrder(c, http.StatusOK, o)
}

// apiLocationFulfillments lists a location's fulfillments: ?status=pending (open ones by default).
func (s *Server) apiLocationFulfillments(c echo.Context) error {
	fs, err := s.floor.LocationFulfillments(c.Request().Context(), apiKey(c).Actor(), pathCode(c, "code"), c.QueryParam("status"))
	if err != nil {
		return err
	}
	out := make([]fulfillmentJSON, 0, len(fs))
	for _, f := range fs {
		out = append(out, toFulfillmentJSON(f, nil))
	}
	return writeJSON(c, http.StatusOK, map[string]any{"fulfillments": out})
}
