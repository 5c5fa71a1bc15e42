package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/returns"
	"switchyard/web/views"
)

// customerReturnPage asks for the proof that the order is the customer's:
// the same page whatever the token, so that it tells nothing.
func (s *Server) customerReturnPage(c echo.Context) error {
	customerHeaders(c)
	f := views.CustomerReturnForm{CSRF: csrfToken(c), Token: c.Param("token")}
	return renderCustomer(c, http.StatusOK, "Return items", views.CustomerReturnProof(f))
}

// customerHeaders keeps the token away from other sites and search engines.
func customerHeaders(c echo.Context) {
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	c.Response().Header().Set("Cache-Control", "no-store")
}

// customerReturnPost is what the customer's return forms post.
type customerReturnPost struct {
	Step       string   `form:"step"`  // proof (find at a store's counter), or start
	Order      string   `form:"order"` // the order's number, at a store's counter
	Proof      string   `form:"proof"`
	Lines      []string `form:"line"`
	Quantities []string `form:"quantity"`
	Reasons    []string `form:"reason"`
	Resolution string   `form:"resolution"`
	Note       string   `form:"note"`
}

// customerReturn checks the proof and shows the returnable lines (step
// proof), or starts the return and confirms it (step start). Every post
// counts against the limits per token and per client address.
func (s *Server) customerReturn(c echo.Context) error {
	customerHeaders(c)
	ctx := c.Request().Context()
	token := c.Param("token")
	var p customerReturnPost
	if err := bindForm(c, &p); err != nil {
		return err
	}
	f := views.CustomerReturnForm{CSRF: csrfToken(c), Token: token, Proof: strings.TrimSpace(p.Proof),
		Quantities: map[int64]string{}, Reasons: map[int64]string{}, Resolution: p.Resolution, Note: p.Note}
	if p.Step != "start" {
		offer, err := s.returns.CustomerLines(ctx, token, p.Proof, client(c).IP)
		if err != nil {
			return s.customerProofFailed(c, f, err)
		}
		f.Offer = offer
		return renderCustomer(c, http.StatusOK, "Return items", views.CustomerReturnLines(f))
	}
	in, rows := customerReturnOf(p, f)
	started, err := s.returns.CustomerStart(ctx, token, p.Proof, client(c).IP, in)
	if err == nil {
		return renderCustomer(c, http.StatusCreated, "Return "+started.Number, views.CustomerReturnDone(started, token))
	}
	errs, msg, ok := fieldErrors(err)
	if !ok || started.Offer == nil {
		return s.customerProofFailed(c, f, err)
	}
	f.Offer, f.Errors, f.Message = *started.Offer, customerErrors(errs, rows), msg+" Nothing was sent."
	return renderCustomer(c, http.StatusUnprocessableEntity, "Return items", views.CustomerReturnLines(f))
}

// customerProofFailed answers a wrong proof (the proof page again, the same
// for every token), too many attempts (429) or a window closed meanwhile.
func (s *Server) customerProofFailed(c echo.Context, f views.CustomerReturnForm, err error) error {
	switch app.ErrorKind(err) {
	case app.KindInvalid:
		f.Errors = views.Errors{"proof": "this does not match the order's email address or postal code"}
		return renderCustomer(c, http.StatusUnprocessableEntity, "Return items", views.CustomerReturnProof(f))
	case app.KindTooMany, app.KindConflict:
		var ae *app.Error
		if asAppErr(err, &ae) && ae.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", retryAfterSeconds(ae.RetryAfter))
		}
		f.Message = sentence(describeError(err).message)
		status := http.StatusTooManyRequests
		if app.ErrorKind(err) == app.KindConflict {
			status = http.StatusConflict
		}
		return renderCustomer(c, status, "Return items", views.CustomerReturnProof(f))
	}
	return err
}

// customerReturnOf reads the posted lines (those with a quantity above 0)
// into a new return; rows maps the return's line index to the order line id.
func customerReturnOf(p customerReturnPost, f views.CustomerReturnForm) (returns.NewReturn, []int64) {
	in := returns.NewReturn{Resolution: p.Resolution, Note: p.Note}
	var rows []int64
	for i := range min(len(p.Lines), 200) {
		id, err := strconv.ParseInt(p.Lines[i], 10, 64)
		if err != nil {
			continue
		}
		var qty, reason string
		if i < len(p.Quantities) {
			qty = p.Quantities[i]
		}
		if i < len(p.Reasons) {
			reason = p.Reasons[i]
		}
		f.Quantities[id], f.Reasons[id] = qty, reason
		n, err := strconv.ParseInt(strings.TrimSpace(qty), 10, 64)
		if strings.TrimSpace(qty) == "" || err == nil && n == 0 {
			continue
		}
		if err != nil {
			n = 0 // not a number: refused with the line named ("must be at least 1")
		}
		in.Lines = append(in.Lines, returns.LineInput{Line: id, Quantity: n, Reason: reason})
		rows = append(rows, id)
	}
	return in, rows
}

// customerErrors names the return's field errors (lines[i].x) after the
// order lines the form shows (line.<id>.x).
func customerErrors(errs views.Errors, rows []int64) views.Errors {
	out := views.Errors{}
	for k, v := range errs {
		var i int
		var rest string
		if n, _ := fmt.Sscanf(k, "lines[%d].%s", &i, &rest); n == 2 && i >= 0 && i < len(rows) {
			k = fmt.Sprintf("line.%d.%s", rows[i], rest)
		}
		out[k] = strings.TrimSuffix(v, " (an ops manager may override the policy)")
	}
	if _, ok := out["order"]; ok {
		out["lines"] = out["order"]
	}
	return out
}
