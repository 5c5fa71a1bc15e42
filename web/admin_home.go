package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchyard/web/views"
)

// adminHome links the admin pages: users, API keys, channel settings, the
// outbox and outgoing webhooks.
func (s *Server) adminHome(c echo.Context) error {
	chans, err := s.app.Channels(c.Request().Context())
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "Admin", views.AdminHome(chans))
}
