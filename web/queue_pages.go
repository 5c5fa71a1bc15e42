package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/accounts"
	"switchyard/web/views"
)

// queueHome sends a warehouse user with one location to its queue, and lists
// the queues anybody else may open, with what waits at each.
func (s *Server) queueHome(c echo.Context) error {
	u := currentUser(c)
	refs, err := s.queueLocations(c, u)
	if err != nil {
		return err
	}
	if u.Role == app.RoleWarehouse && len(refs) == 1 {
		return c.Redirect(http.StatusSeeOther, views.QueuePath(refs[0].Code, ""))
	}
	v := views.QueueHomeView{Warehouse: u.Role == app.RoleWarehouse}
	for _, r := range refs {
		counts, err := s.floor.QueueCounts(c.Request().Context(), u.Actor(), r.Code)
		if err != nil {
			return err
		}
		v.Locations = append(v.Locations, views.QueueLocation{Code: r.Code, Name: r.Name,
			ToAccept: counts[app.FulfillmentPending], Accepted: counts[app.FulfillmentAccepted]})
	}
	return s.render(c, http.StatusOK, "Queues", views.QueueHome(v))
}

// queueLocations are the locations whose queue u may open: a warehouse user's own, else every active one.
func (s *Server) queueLocations(c echo.Context, u *accounts.User) ([]app.LocationRef, error) {
	if u.Role == app.RoleWarehouse {
		return u.Locations, nil
	}
	return s.app.LocationChoices(c.Request().Context())
}

// queuePage shows one tab of a location's queue (?status=pending by default).
func (s *Server) queuePage(c echo.Context) error {
	if err := visibleLocation(currentUser(c), pathCode(c, "code")); err != nil {
		return err
	}
	status := app.FulfillmentStatus(c.QueryParam("status"))
	limit := 0
	if raw := c.QueryParam("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 200 {
			return app.InvalidField("limit", "must be a whole number from 1 to 200")
		}
		limit = n
	}
	v, err := s.queuePageView(c, pathCode(c, "code"), status, c.QueryParam("after"), limit)
	if err != nil {
		return err
	}
	v.NoticeKind, v.Notice = takeFlash(c)
	if v.Returns, err = s.returns.ExpectedCount(c.Request().Context(), currentUser(c).Actor(), v.Queue.Location.Code); err != nil {
		return err
	}
	if v.Inbound, err = s.inbound.At(c.Request().Context(), currentUser(c).Actor(), v.Queue.Location.Code); err != nil {
		return err
	}
	return s.renderQueue(c, http.StatusOK, v)
}

// queueView reads a location's queue on a tab into the page's view.
func (s *Server) queueView(c echo.Context, code string, status app.FulfillmentStatus) (views.QueueView, error) {
	return s.queuePageView(c, code, status, "", 0)
}

// queuePageView reads one page of a location's queue tab into the page's view.
func (s *Server) queuePageView(c echo.Context, code string, status app.FulfillmentStatus, after string, limit int) (views.QueueView, error) {
	u := currentUser(c)
	q, err := s.floor.LocationQueuePage(c.Request().Context(), u.Actor(), code, status, after, limit)
	if err != nil {
		return views.QueueView{}, err
	}
	zone, _ := s.app.Zone(q.Location.Timezone)
	return views.QueueView{CSRF: csrfToken(c), Queue: q, Now: s.app.Now(), LinkOrders: u.Has(deskUsers.roles...), Zone: zone}, nil
}

// renderQueue answers with the queue: the fragment to htmx, else the whole page.
func (s *Server) renderQueue(c echo.Context, status int, v views.QueueView) error {
	title := "Queue · " + v.Queue.Location.Name
	if isHTMX(c) && c.Request().Header.Get("HX-Boosted") != "true" {
		return s.render(c, status, title, views.QueueFragment(v))
	}
	return s.render(c, status, title, views.QueuePage(v))
}

// queueNotices are the notices of the queue's actions, by action.
var queueNotices = map[string]string{
	"accepted":  "Accepted: the order is yours to prepare.",
	"rejected":  "Rejected: the order is being routed again.",
	"delivered": "Marked delivered.",
	"collected": "Marked collected by the customer.",
}

// shippedNotice says a shipment was saved, with its tracking warning if it had one.
func (s *Server) shippedNotice(c echo.Context, id int64) (kind, msg string) {
	w, err := s.floor.Work(c.Request().Context(), currentUser(c).Actor(), id)
	if err != nil {
		return "", ""
	}
	return views.ShippedNotice(w)
}

// acceptedNotice says how many fulfillments were accepted, and how many no longer waited.
func acceptedNotice(n, skipped int) string {
	msg := fmt.Sprintf("Accepted %d fulfillment%s.", n, queuePlural(n))
	if skipped > 0 {
		msg += fmt.Sprintf(" %d of those selected no longer waited to be accepted.", skipped)
	}
	return msg
}

// pickListPage is a location's printable pick list of its accepted fulfillments.
func (s *Server) pickListPage(c echo.Context) error {
	if err := visibleLocation(currentUser(c), pathCode(c, "code")); err != nil {
		return err
	}
	ctx := c.Request().Context()
	pl, err := s.floor.PickListFor(ctx, currentUser(c).Actor(), pathCode(c, "code"))
	if err != nil {
		return err
	}
	if err := s.floor.NamePickList(ctx, &pl); err != nil {
		return err
	}
	zone, _ := s.app.Zone(pl.Location.Timezone)
	v := views.PickListView{PickList: pl, Now: s.app.Now(), Zone: zone}
	return s.render(c, http.StatusOK, "Pick list · "+pl.Location.Name, views.PickListPage(v))
}

// queuePlural is "s" unless n is 1.
func queuePlural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
