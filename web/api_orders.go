package web

import (
	"bytes"
	"crypto/sha256"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchyard/app"
)

// orderJSON is an order as the API returns it (API.md).
type orderJSON struct {
	Number             string            `json:"number"`
	Channel            string            `json:"channel"`
	ExternalID         string            `json:"external_id"`
	ChannelRef         string            `json:"channel_ref,omitempty"`
	Status             app.Status        `json:"status"`
	OnHold             bool              `json:"on_hold"`
	HoldReason         string            `json:"hold_reason,omitempty"`
	Priority           int64             `json:"priority,omitempty"`
	PlacedAt           time.Time         `json:"placed_at"`
	PromisedShipBy     *time.Time        `json:"promised_ship_by"`
	PromisedDeliveryBy *time.Time        `json:"promised_delivery_by"`
	Currency           string            `json:"currency"`
	Subtotal           string            `json:"subtotal"`
	ShippingPrice      string            `json:"shipping_price"`
	Total              string            `json:"total"`
	Refunded           string            `json:"refunded"`
	Customer           app.CustomerInput `json:"customer"`
	ShippingAddress    *app.AddressInput `json:"shipping_address"`
	Delivery           app.DeliveryInput `json:"delivery"`
	Tags               []string          `json:"tags"`
	Note               string            `json:"note"`
	Test               bool              `json:"test"`
	Lines              []lineJSON        `json:"lines"`
	Fulfillments       []fulfillmentJSON `json:"fulfillments"`
	Routing            *routingJSON      `json:"routing"`
	TrackingPage       string            `json:"tracking_page"`
}

// lineJSON is an order line as the API returns it.
type lineJSON struct {
	ID          int64  `json:"id"`
	ExternalID  string `json:"external_id,omitempty"`
	SKU         string `json:"sku"`
	Name        string `json:"name,omitempty"`
	Quantity    int64  `json:"quantity"`
	UnitPrice   string `json:"unit_price"`
	Reserved    int64  `json:"reserved"`
	Shipped     int64  `json:"shipped"`
	Cancelled   int64  `json:"cancelled"`
	Backordered int64  `json:"backordered"`
	Preordered  bool   `json:"preordered"`            // some of the backorder waits as a pre-order
	PromisedOn  string `json:"promised_on,omitempty"` // when an inbound brings the backorder, 2026-12-20
	ReturnOpen  int64  `json:"return_open"`           // on open returns
	Returned    int64  `json:"returned"`              // came back
	Returnable  int64  `json:"returnable"`            // a new return may still take
}

// fulfillmentJSON is what one location ships (API.md).
type fulfillmentJSON struct {
	ID             int64                 `json:"id"`
	Location       string                `json:"location"`
	Status         app.FulfillmentStatus `json:"status"`
	Lines          []fulfillmentLineJSON `json:"lines"`
	PromisedShipBy *time.Time            `json:"promised_ship_by"`
	RejectReason   string                `json:"reject_reason,omitempty"`
	Carrier        *string               `json:"carrier"`
	TrackingNumber *string               `json:"tracking_number"`
	TrackingURL    *string               `json:"tracking_url"`
}

// fulfillmentLineJSON is a quantity of a SKU in a fulfillment.
type fulfillmentLineJSON struct {
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
	Shipped  int64  `json:"shipped"`
	Released int64  `json:"released"`
	// Components are a kit line's parts as reserved, per kit; absent for a plain SKU.
	Components []kitPartJSON `json:"components,omitempty"`
}

// kitPartJSON is one part of a kit and the units of it one kit takes.
type kitPartJSON struct {
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
}

// toFulfillmentJSON maps a fulfillment and its latest shipment (or nil) for the API.
func toFulfillmentJSON(f app.Fulfillment, s *app.Shipment) fulfillmentJSON {
	fj := fulfillmentJSON{ID: f.ID, Location: f.Location, Status: f.Status, PromisedShipBy: f.PromisedShipBy,
		RejectReason: f.RejectReason, Lines: []fulfillmentLineJSON{}}
	if s != nil {
		fj.Carrier, fj.TrackingNumber, fj.TrackingURL = &s.Carrier, &s.TrackingNumber, &s.TrackingURL
	}
	for _, l := range f.Lines {
		lj := fulfillmentLineJSON{SKU: l.SKU, Quantity: l.Quantity, Shipped: l.Shipped, Released: l.Released}
		for _, p := range l.Parts {
			lj.Components = append(lj.Components, kitPartJSON{SKU: p.SKU, Quantity: p.PerKit})
		}
		fj.Lines = append(fj.Lines, lj)
	}
	return fj
}

// routingJSON is the latest routing decision in short.
type routingJSON struct {
	Rule        string `json:"rule"`
	RuleVersion int64  `json:"rule_version"`
	Explanation string `json:"explanation"`
}

// toOrderJSON maps an order for the API.
func toOrderJSON(o app.Order) orderJSON {
	out := orderJSON{
		Number: o.Number, Channel: o.Channel, ExternalID: o.ExternalID, ChannelRef: o.ChannelRef, Status: o.Status,
		OnHold: o.OnHold, HoldReason: o.HoldReason, Priority: o.Priority, PlacedAt: o.PlacedAt, PromisedShipBy: o.PromisedShipBy,
		PromisedDeliveryBy: o.PromisedBy, Currency: o.Currency.Code, Subtotal: o.Money(o.Subtotal),
		ShippingPrice: o.Money(o.ShippingPrice), Total: o.Money(o.Total), Refunded: o.Money(o.Refunded), Customer: o.Customer,
		ShippingAddress: o.ShippingAddress, Delivery: o.Delivery, Tags: o.Tags, Note: o.Note, Test: o.Test,
		Lines: make([]lineJSON, len(o.Lines)), Fulfillments: []fulfillmentJSON{}, TrackingPage: "/t/" + o.TrackingToken,
	}
	for _, f := range o.Fulfillments {
		out.Fulfillments = append(out.Fulfillments, toFulfillmentJSON(f, o.LatestShipment(f.ID)))
	}
	if r := o.Routing; r != nil {
		out.Routing = &routingJSON{Rule: r.Rule, RuleVersion: r.RuleVersion, Explanation: r.Explanation}
	}
	for i, l := range o.Lines {
		out.Lines[i] = lineJSON{
			ID: l.ID, ExternalID: l.ExternalID, SKU: l.SKU, Name: l.Name, Quantity: l.Quantity,
			UnitPrice: o.Money(l.UnitPrice), Reserved: l.Reserved, Shipped: l.Shipped, Cancelled: l.Cancelled,
			Backordered: l.Backordered, Preordered: l.Preorder() > 0, ReturnOpen: l.ReturnOpen, Returned: l.Returned, Returnable: l.Returnable(),
		}
	}
	return out
}

// apiCreateOrder takes an order in: 201 when new, 200 when the channel sent it
// before. With an Idempotency-Key, the same key and body get the first answer
// again, another body is 422, and a key whose first request is running is 409.
func (s *Server) apiCreateOrder(c echo.Context) error {
	idem, done, err := s.beginIdempotent(c, "")
	if err != nil {
		return err
	}
	defer done()
	if idem != nil {
		if ans, err := s.app.LookupIdempotency(c.Request().Context(), *idem); err != nil || ans != nil {
			if err != nil {
				return err
			}
			return s.writeOrder(c, ans.Status, ans.Order)
		}
	}
	var in app.NewOrder
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	in.Idempotency = idem
	o, created, err := s.app.PlaceOrder(c.Request().Context(), apiKey(c).Actor(), in)
	if err != nil {
		return err
	}
	return s.writeOrder(c, putStatus(created), o)
}

// beginIdempotent reads the request's body (keeping it for binding) and its
// Idempotency-Key. With a key, it holds the key while this request runs (a
// second request with it meanwhile is 409); done lets it go. Without one,
// idem is nil and done does nothing.
//
// target, when not empty, is what the request acts on (an order's number),
// hashed with the body: the same key and body sent to another target is not
// the same request.
func (s *Server) beginIdempotent(c echo.Context, target string) (idem *app.IdempotencyIn, done func(), err error) {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, nil, bodyReadError(err)
	}
	c.Request().Body = io.NopCloser(bytes.NewReader(body))
	hashed := body
	if target != "" {
		hashed = append([]byte(target+"\n"), body...)
	}
	if idem, err = idempotencyOf(c, hashed); err != nil || idem == nil {
		return nil, func() {}, err
	}
	if done, err = s.app.BeginIdempotent(*idem); err != nil {
		return nil, nil, err
	}
	return idem, done, nil
}

// idempotencyOf reads the Idempotency-Key header; nil when there is none.
func idempotencyOf(c echo.Context, body []byte) (*app.IdempotencyIn, error) {
	key := strings.TrimSpace(c.Request().Header.Get("Idempotency-Key"))
	if key == "" {
		return nil, nil
	}
	if len(key) > 255 {
		return nil, app.InvalidField("Idempotency-Key", "must be at most 255 characters")
	}
	sum := sha256.Sum256(body)
	return &app.IdempotencyIn{APIKeyID: apiKey(c).ID, Key: key, Hash: sum[:]}, nil
}

// apiGetOrder returns one order by number; a key bound to another channel gets 404.
func (s *Server) apiGetOrder(c echo.Context) error {
	o, err := s.app.OrderFor(c.Request().Context(), apiKey(c).Reach(), c.Param("number"))
	if err != nil {
		return err
	}
	return s.writeOrder(c, http.StatusOK, o)
}

// findOrderParams is the query string of the order lookup by external id.
type findOrderParams struct {
	Channel    string `query:"channel"`
	ExternalID string `query:"external_id"`
}

// apiFindOrder returns the order a channel knows by its external id:
// GET /api/v1/orders?channel=C&external_id=X.
func (s *Server) apiFindOrder(c echo.Context) error {
	var p findOrderParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	channel, ext := p.Channel, p.ExternalID
	f := map[string]string{}
	if channel == "" {
		f["channel"] = "is required"
	}
	if ext == "" {
		f["external_id"] = "is required"
	}
	if len(f) > 0 {
		return app.Invalid("give channel and external_id", f)
	}
	o, err := s.app.OrderByExternalFor(c.Request().Context(), apiKey(c).Reach(), channel, ext)
	if err != nil {
		return err
	}
	return s.writeOrder(c, http.StatusOK, o)
}

// apiHoldOrder puts an order on hold: {reason, note?}.
func (s *Server) apiHoldOrder(c echo.Context) error {
	var in app.HoldInput
	return s.orderAction(c, &in, func(a app.Actor, n string) (app.Order, error) {
		return s.app.Hold(c.Request().Context(), a, n, in)
	})
}

// apiReleaseOrder takes an order off hold.
func (s *Server) apiReleaseOrder(c echo.Context) error {
	return s.orderAction(c, nil, func(a app.Actor, n string) (app.Order, error) {
		return s.app.Release(c.Request().Context(), a, n)
	})
}

// apiCancelOrder cancels an order or some lines: {reason, lines?: [{id, quantity?}]}.
func (s *Server) apiCancelOrder(c echo.Context) error {
	var in app.CancelInput
	return s.orderAction(c, &in, func(a app.Actor, n string) (app.Order, error) {
		return s.app.Cancel(c.Request().Context(), a, n, in)
	})
}

// apiChangeOrderAddress replaces the shipping address before shipment.
func (s *Server) apiChangeOrderAddress(c echo.Context) error {
	var in app.AddressInput
	return s.orderAction(c, &in, func(a app.Actor, n string) (app.Order, error) {
		return s.app.ChangeAddress(c.Request().Context(), a, n, in)
	})
}

// noteJSON is the body of POST /api/v1/orders/{number}/notes.
type noteJSON struct {
	Note string `json:"note"`
}

// apiAddOrderNote adds an internal note to the timeline.
func (s *Server) apiAddOrderNote(c echo.Context) error {
	var in noteJSON
	return s.orderAction(c, &in, func(a app.Actor, n string) (app.Order, error) {
		return s.app.AddNote(c.Request().Context(), a, n, in.Note)
	})
}

// orderAction decodes the body into in (when not nil), runs the action on the
// order in the path as the API key, and answers with the order.
func (s *Server) orderAction(c echo.Context, in any, act func(app.Actor, string) (app.Order, error)) error {
	if in != nil {
		if err := bindJSON(c, in); err != nil {
			return err
		}
	}
	o, err := act(apiKey(c).Actor(), c.Param("number"))
	if err != nil {
		return err
	}
	return s.writeOrder(c, http.StatusOK, o)
}
