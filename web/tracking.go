package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchyard/web/views"
)

// trackingPage is the customer's tracking page: no sign-in, an unguessable
// token, only what the customer may see.
func (s *Server) trackingPage(c echo.Context) error {
	v, err := s.desk.TrackOrder(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Referrer-Policy", "no-referrer") // the token must not leak to carriers' sites
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	return s.render(c, http.StatusOK, "Your order", views.Tracking(v))
}
