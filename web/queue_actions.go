package web

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/floor"
	"switchyard/web/views"
)

// keepReject puts a refused reject form, with its errors, back on the queue.
type keepReject func(v *views.QueueView, errs views.Errors)

// queueActionForm is what every queue action posts: the queue address to go back to.
type queueActionForm struct {
	Back string `form:"back"`
}

// acceptManyForm is what the pending tab posts: the ticked ids (ids[] or ids).
type acceptManyForm struct {
	Back     string   `form:"back"`
	IDs      []string `form:"ids[]"`
	PlainIDs []string `form:"ids"`
}

// acceptMany accepts the fulfillments ticked on a location's pending tab (ids[]).
// Ids that no longer wait there are left alone and counted.
func (s *Server) acceptMany(c echo.Context) error {
	var f acceptManyForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	code := pathCode(c, "code")
	back := queueBack(f.Back, code, app.FulfillmentPending)
	ctx, actor := c.Request().Context(), currentUser(c).Actor()
	if err := visibleLocation(currentUser(c), code); err != nil {
		return err
	}
	ids := formIDs(append(slices.Clone(f.IDs), f.PlainIDs...))
	if len(ids) == 0 {
		return s.queueProblem(c, code, back, app.InvalidField("ids", "tick at least one fulfillment to accept"), nil)
	}
	n, skipped, err := s.floor.AcceptMany(ctx, actor, code, ids)
	if err != nil && n == 0 {
		return s.queueProblem(c, code, back, err, nil)
	} else if err != nil {
		skipped = len(ids) - n
	}
	return s.queueDone(c, code, back, acceptedNotice(n, skipped))
}

// formIDs reads the ticked ids, dropping what is not an id and repeats.
func formIDs(ticked []string) []int64 {
	var out []int64
	for _, raw := range ticked {
		if id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64); err == nil && id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// acceptFulfillment records that the location takes one fulfillment on.
func (s *Server) acceptFulfillment(c echo.Context) error {
	id, err := fulfillmentID(c)
	if err != nil {
		return err
	}
	var f queueActionForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	o, err := s.app.AcceptFulfillment(c.Request().Context(), currentUser(c).Actor(), id)
	return s.fulfillmentAnswer(c, f.Back, id, o, err, "accepted", nil)
}

// rejectFulfillment refuses a fulfillment with a reason (a count when out of
// stock, a note); the app routes its lines elsewhere.
func (s *Server) rejectFulfillment(c echo.Context) error {
	id, err := fulfillmentID(c)
	if err != nil {
		return err
	}
	var p rejectPost
	if err := bindForm(c, &p); err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return app.Invalid("the form could not be read", nil)
	}
	f, in, err := rejectFormOf(p, countRows(form), id)
	var o app.Order
	if err == nil {
		o, err = s.app.RejectFulfillment(c.Request().Context(), currentUser(c).Actor(), id, in)
		err = collapseCounts(err)
	}
	return s.fulfillmentAnswer(c, p.Back, id, o, err, "rejected", func(v *views.QueueView, errs views.Errors) {
		f.Errors = errs
		v.Reject = f
	})
}

// countKey matches a row of the reject form's counts: counts[2].on_hand.
var countKey = regexp.MustCompile(`^counts\[(\d{1,3})\]\.(sku|on_hand)$`)

// rejectPost is what the reject form posts: the reason, a note and, for one
// SKU, the count; the rows of several SKUs' counts (counts[k].sku,
// counts[k].on_hand) are read apart.
type rejectPost struct {
	Back    string `form:"back"`
	Reason  string `form:"reason"`
	Note    string `form:"note"`
	Counted string `form:"counted_on_hand"`
}

// rejectFormOf reads the reject form: reason, note, and the counts typed
// (counted_on_hand for one SKU, the rows of counts for several).
func rejectFormOf(p rejectPost, counts []formLine, id int64) (views.RejectForm, app.RejectInput, error) {
	f := views.RejectForm{ID: id, Reason: p.Reason, Note: strings.TrimSpace(p.Note),
		Counted: strings.TrimSpace(p.Counted), Counts: map[string]string{}}
	in := app.RejectInput{Reason: f.Reason, Note: f.Note}
	bad := map[string]string{}
	if f.Counted != "" {
		n, ok := parseCount(f.Counted)
		if !ok {
			bad["counted_on_hand"] = "must be a whole number, 0 or more"
		}
		in.CountedOnHand = &n
	}
	for _, r := range counts {
		raw := strings.TrimSpace(r.vals["on_hand"])
		f.Counts[r.vals["sku"]] = raw
		if raw == "" {
			continue
		}
		n, ok := parseCount(raw)
		if !ok {
			bad["counts["+strconv.Itoa(r.k)+"].on_hand"] = "must be a whole number, 0 or more"
		}
		in.Counts = append(in.Counts, app.CountedSKU{SKU: r.vals["sku"], OnHand: n})
	}
	if (in.CountedOnHand != nil || len(in.Counts) > 0) && in.Reason != "out_of_stock" {
		bad["reason"] = "a count is only taken when rejecting for out of stock: choose Out of stock or clear the count"
	}
	if len(bad) > 0 {
		return f, in, app.Invalid("rejection is invalid", bad)
	}
	return f, in, nil
}

// parseCount reads a count of 0 or more.
func parseCount(raw string) (int64, bool) {
	n, err := strconv.ParseInt(raw, 10, 64)
	return n, err == nil && n >= 0
}

// countRows collects the rows of the reject form's counts, in row order.
func countRows(form url.Values) []formLine { return indexedRows(form, countKey) }

// collapseCounts files the app's errors about counts[i] (its own numbering) under "counts".
func collapseCounts(err error) error {
	var ae *app.Error
	if !asAppErr(err, &ae) || ae.Kind != app.KindInvalid || len(ae.Fields) == 0 {
		return err
	}
	fields := map[string]string{}
	for f, msg := range ae.Fields {
		if strings.HasPrefix(f, "counts[") {
			f = "counts"
		}
		fields[f] = msg
	}
	return app.Invalid(ae.Message, fields)
}

// deliverFulfillment records that a shipment reached the customer, or was collected.
func (s *Server) deliverFulfillment(c echo.Context) error {
	id, err := fulfillmentID(c)
	if err != nil {
		return err
	}
	var f queueActionForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	o, err := s.app.Deliver(c.Request().Context(), currentUser(c).Actor(), id)
	notice := "delivered"
	if o.Delivery.Method == "pickup" {
		notice = "collected"
	}
	return s.fulfillmentAnswer(c, f.Back, id, o, err, notice, nil)
}

// fulfillmentAnswer answers an action on a fulfillment: back to the queue (the posted back)
// (htmx: the queue fragment) with a notice; bad input (422) or a refused move
// (409): the queue with the reason. Anything else goes to the error handler.
func (s *Server) fulfillmentAnswer(c echo.Context, postedBack string, id int64, o app.Order, err error, notice string, keep keepReject) error {
	if err != nil {
		if !isQueueProblem(err) {
			return err
		}
		w, lerr := s.floor.Work(c.Request().Context(), currentUser(c).Actor(), id)
		if lerr != nil {
			return lerr
		}
		return s.queueProblem(c, w.Location, queueBack(postedBack, w.Location, w.Status), err, keep)
	}
	loc := fulfillmentLocation(o, id)
	back := queueBack(postedBack, loc, "")
	return s.queueDone(c, loc, back, queueNotices[notice])
}

// fulfillmentLocation is the code of the location of fulfillment id of o.
func fulfillmentLocation(o app.Order, id int64) string {
	for _, f := range o.Fulfillments {
		if f.ID == id {
			return f.Location
		}
	}
	return ""
}

// isQueueProblem reports whether err is shown on the queue (bad input, a refused move).
func isQueueProblem(err error) bool {
	k := app.ErrorKind(err)
	return k == app.KindInvalid || k == app.KindConflict
}

// queueDone answers a done action: 303 to back, which shows the notice once
// (a flash), or to htmx the fragment of back's tab with the notice.
func (s *Server) queueDone(c echo.Context, code, back string, notice string) error {
	if !isHTMX(c) {
		return redirectWithFlash(c, withParams(back, nil), notice)
	}
	v, err := s.queueView(c, code, tabOf(back))
	if err != nil {
		return err
	}
	v.NoticeKind, v.Notice = "ok", notice
	return s.renderQueue(c, http.StatusOK, v)
}

// queueProblem shows a refused action on back's tab: 422 with the form's
// errors for bad input, 409 with the reason for a refused move.
func (s *Server) queueProblem(c echo.Context, code, back string, err error, keep keepReject) error {
	errs, msg, invalid := fieldErrors(err)
	if !isQueueProblem(err) {
		return err
	}
	v, lerr := s.queueView(c, code, tabOf(back))
	if lerr != nil {
		return lerr
	}
	status := http.StatusConflict
	if invalid {
		status = http.StatusUnprocessableEntity
		if keep != nil {
			keep(&v, errs)
		} else if m := errs["ids"]; m != "" {
			msg = sentence(m)
		}
	} else {
		msg = sentence(describeError(err).message)
	}
	v.NoticeKind, v.Notice = "error", msg
	return s.renderQueue(c, status, v)
}

// queueBack is where an action goes back to: the posted back if it is a
// path on this site, else the location's queue on tab status.
func queueBack(raw, code string, status app.FulfillmentStatus) string {
	if raw == "" || safeNext(raw) != raw || strings.ContainsAny(raw, "\r\n") {
		return views.QueuePath(code, status)
	}
	if _, err := url.Parse(raw); err != nil {
		return views.QueuePath(code, status)
	}
	return raw
}

// tabOf is the queue tab a back address names ("" for the default).
func tabOf(back string) app.FulfillmentStatus {
	u, err := url.Parse(back)
	if err != nil {
		return ""
	}
	s := app.FulfillmentStatus(u.Query().Get("status"))
	if !slices.Contains(floor.QueueTabs, s) {
		return ""
	}
	return s
}

// withParams sets params in the query of a local address, dropping old notices.
func withParams(back string, params url.Values) string {
	u, err := url.Parse(back)
	if err != nil {
		return back
	}
	q := u.Query()
	for _, k := range []string{"notice", "shipped", "accepted", "skipped"} {
		q.Del(k)
	}
	for k, v := range params {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	return u.String()
}
