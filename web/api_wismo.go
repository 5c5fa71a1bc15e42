package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchyard/app/wismo"
)

// apiWismo answers an assistant's "where is my order?": {order, email} or
// {order, postal_code} -> what the customer may know (app/wismo). A wrong
// email or postal code answers exactly as an unknown order.
func (s *Server) apiWismo(c echo.Context) error {
	var q wismo.Question
	if err := bindJSON(c, &q); err != nil {
		return err
	}
	a, err := s.wismo.Ask(c.Request().Context(), apiKey(c).Actor(), q)
	if err != nil {
		return err
	}
	if a.ReturnURL != nil {
		abs := c.Scheme() + "://" + c.Request().Host + *a.ReturnURL
		a.ReturnURL = &abs
	}
	return writeJSON(c, http.StatusOK, a)
}
