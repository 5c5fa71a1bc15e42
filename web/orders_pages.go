package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/desk"
	"switchyard/app/inbound"
	"switchyard/web/views"
)

// dayLayout is how date inputs send a day.
const dayLayout = "2006-01-02"

// orderListParams is the order list's query string, as typed.
type orderListParams struct {
	Status  string `query:"status"`
	Channel string `query:"channel"`
	From    string `query:"from"`
	To      string `query:"to"`
	OnHold  string `query:"on_hold"` // anything but "", "0" and "false" is on
	Tag     string `query:"tag"`
	Sort    string `query:"sort"`
	Limit   string `query:"limit"`
	After   string `query:"after"`
}

// ordersPage lists orders: filters from the query string, counts per status, a
// page of orders. Bad filters answer 422 with what is wrong and no orders.
func (s *Server) ordersPage(c echo.Context) error {
	ctx := c.Request().Context()
	var p orderListParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	chans, err := s.app.Channels(ctx)
	if err != nil {
		return err
	}
	v := views.OrderListView{Filter: orderFilterOf(p), Channels: chans, After: p.After}
	q, err := orderQueryOf(v.Filter, p.After)
	if err == nil {
		v.List, err = s.desk.Orders(ctx, q)
	}
	if errs, _, ok := fieldErrors(err); ok {
		v.Errors, v.Message, v.List = errs, "These filters cannot be used:", desk.OrderList{}
		return s.render(c, http.StatusUnprocessableEntity, "Orders", views.OrderList(v))
	} else if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "Orders", views.OrderList(v))
}

// orderFilterOf reads the order list's filters from the query string, as typed.
func orderFilterOf(p orderListParams) views.OrderFilter {
	return views.OrderFilter{
		Status: p.Status, Channel: p.Channel,
		From: strings.TrimSpace(p.From), To: strings.TrimSpace(p.To),
		OnHold: p.OnHold != "" && p.OnHold != "0" && p.OnHold != "false",
		Tag:    p.Tag, Sort: p.Sort, Limit: strings.TrimSpace(p.Limit),
	}
}

// orderQueryOf turns the filters into the app's query: days are UTC days, and
// `to` includes its whole day. Dates and the page size are checked here.
func orderQueryOf(f views.OrderFilter, after string) (desk.OrderQuery, error) {
	q := desk.OrderQuery{Status: f.Status, Channel: f.Channel, OnHold: f.OnHold, Tag: f.Tag, Sort: f.Sort, After: after}
	bad := map[string]string{}
	var err error
	if q.From, err = parseDay(f.From); err != nil {
		bad["from"] = "must be a day such as 2026-11-26"
	}
	if q.To, err = parseDay(f.To); err != nil {
		bad["to"] = "must be a day such as 2026-11-26"
	} else if !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1)
	}
	if f.Limit != "" {
		if q.Limit, err = strconv.Atoi(f.Limit); err != nil || q.Limit < 1 {
			bad["limit"] = "must be a whole number from 1 to 500"
		}
	}
	if len(bad) > 0 {
		return q, app.Invalid("order list query is invalid", bad)
	}
	return q, nil
}

// parseDay reads a UTC day; empty is the zero time.
func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(dayLayout, s)
}

// orderPage shows one order, its lines, timeline and the actions the user may take.
func (s *Server) orderPage(c echo.Context) error {
	o, err := s.app.OrderByNumber(c.Request().Context(), c.Param("number"))
	if err != nil {
		return err
	}
	v, err := s.orderView(c, o, c.QueryParam("timeline"))
	if err != nil {
		return err
	}
	v.NoticeKind, v.Notice = takeFlash(c)
	return s.render(c, http.StatusOK, "Order "+o.Number, views.OrderPage(v))
}

// orderView gathers what an order's page shows for the signed-in user, with the
// action forms empty (the address form filled with the current address).
func (s *Server) orderView(c echo.Context, o app.Order, timeline string) (views.OrderView, error) {
	v := views.OrderView{
		CSRF: csrfToken(c), Order: o, Moves: movesFor(currentUser(c).Role, o.Status), Timeline: timelineFilter(timeline),
		Address: views.AddressFormOf(o.ShippingAddress), Now: s.app.Now(),
	}
	if o.Delivery.Method == "pickup" && o.Delivery.Location != "" {
		loc, err := s.app.Location(c.Request().Context(), o.Delivery.Location)
		if err != nil {
			return v, err
		}
		v.PickupName = loc.Name
	}
	var err error
	if v.Promises, err = s.orderPromises(c, o); err != nil {
		return v, err
	}
	v.Returns, err = s.orderReturns(c, o)
	return v, err
}

// orderPromises are the promise dates of the order's backordered lines
// (none is read when nothing is backordered).
func (s *Server) orderPromises(c echo.Context, o app.Order) ([]inbound.Promise, error) {
	if !slices.ContainsFunc(o.Lines, func(l app.OrderLine) bool { return l.Backordered > 0 }) {
		return nil, nil
	}
	return s.inbound.PromisesOf(c.Request().Context(), o.Number)
}

// movesFor lists the actions a user with role may take on an order in status:
// those the state machine allows and the role may make.
func movesFor(role app.Role, status app.Status) views.OrderMoves {
	may := func(m app.Move) bool { return app.CanMove(status, m) && app.MayMove(role, m) }
	return views.OrderMoves{
		Hold: may(app.MoveHold), Release: may(app.MoveRelease), Cancel: may(app.MoveCancel),
		CancelLines: may(app.MoveCancelLines), ChangeAddress: may(app.MoveChangeAddress), AddNote: may(app.MoveAddNote),
	}
}

// timelineFilter is the timeline filter asked for; anything unknown shows all.
func timelineFilter(f string) string {
	switch f {
	case views.TimelineCustomer, views.TimelineNotes:
		return f
	}
	return views.TimelineAll
}

// orderURL is the address of an order's page.
func orderURL(number string) string { return "/orders/" + url.PathEscape(number) }
