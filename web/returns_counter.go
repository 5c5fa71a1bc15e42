package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/web/views"
)

// counterForm is the counter's form state for the location code.
func counterForm(c echo.Context, code string) views.CustomerReturnForm {
	return views.CustomerReturnForm{CSRF: csrfToken(c), Action: views.CounterPath(code), Title: "Take back an online order",
		Quantities: map[int64]string{}, Reasons: map[int64]string{}}
}

// counterPage asks for the order a customer brings back to the location.
func (s *Server) counterPage(c echo.Context) error {
	code := pathCode(c, "code")
	if err := visibleLocation(currentUser(c), code); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "Take back an online order", views.CounterFind(counterForm(c, code)))
}

// counterReturn finds the order (step find) and shows what may come back,
// or starts the return at this location (step start) and sends the lead to
// the location's returns, where it waits to be received.
func (s *Server) counterReturn(c echo.Context) error {
	code := pathCode(c, "code")
	if err := visibleLocation(currentUser(c), code); err != nil {
		return err
	}
	var p customerReturnPost
	if err := bindForm(c, &p); err != nil {
		return err
	}
	ctx, actor := c.Request().Context(), currentUser(c).Actor()
	f := counterForm(c, code)
	f.Order, f.Proof, f.Resolution, f.Note = strings.TrimSpace(p.Order), strings.TrimSpace(p.Proof), p.Resolution, p.Note
	offer, err := s.returns.CounterOffer(ctx, actor, code, f.Order, f.Proof)
	if errs, msg, ok := fieldErrors(err); ok {
		f.Errors, f.Message = errs, msg
		return s.render(c, http.StatusUnprocessableEntity, "Take back an online order", views.CounterFind(f))
	} else if err != nil {
		return err
	}
	f.Offer, f.Title = offer, "Take back order "+offer.Number
	if p.Step != "start" {
		return s.render(c, http.StatusOK, f.Title, views.CustomerReturnLines(f))
	}
	in, rows := customerReturnOf(p, f)
	r, err := s.returns.CounterStart(ctx, actor, code, f.Order, f.Proof, in)
	if errs, msg, ok := fieldErrors(err); ok {
		f.Errors, f.Message = customerErrors(errs, rows), msg+" Nothing was taken back."
		return s.render(c, http.StatusUnprocessableEntity, f.Title, views.CustomerReturnLines(f))
	} else if err != nil {
		return err
	}
	return redirectWithFlash(c, dockPath(code), fmt.Sprintf("Return %s started for order %s: count the goods below.", r.Number, r.Order))
}
