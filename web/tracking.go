package web

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/web/views"
)

// trackingPage is the customer's tracking page: no sign-in, an unguessable
// token, only what the customer may see.
func (s *Server) trackingPage(c echo.Context) error {
	c.Response().Header().Set("Referrer-Policy", "no-referrer") // the token must not leak to carriers' sites
	c.Response().Header().Set("X-Robots-Tag", "noindex")
	v, err := s.desk.TrackOrder(c.Request().Context(), c.Param("token"))
	if app.ErrorKind(err) == app.KindNotFound {
		// The customer's own 404: no staff sign-in, no navigation, whoever asks.
		return renderCustomer(c, http.StatusNotFound, "Order not found", views.TrackingNotFound())
	}
	if err != nil {
		return err
	}
	tr, err := s.returns.ForTracking(c.Request().Context(), c.Param("token"))
	if err != nil {
		return err
	}
	return renderCustomer(c, http.StatusOK, "Your order from "+v.ShopName, views.TrackingWithReturns(v, tr, c.Param("token")))
}

// renderCustomer sends a page for customers: the customer layout, never the
// staff's navigation or sign-in, even when a staff member opens it.
func renderCustomer(c echo.Context, status int, title string, content templ.Component) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return views.CustomerLayout(title, content).Render(c.Request().Context(), c.Response())
}
