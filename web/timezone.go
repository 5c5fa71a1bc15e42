package web

import (
	"time"

	"github.com/labstack/echo/v4"

	"switchyard/web/views"
)

// tzCookie holds the browser's IANA time zone, set by app.js.
const tzCookie = "tz"

// requestZone is the zone staff pages write times in: the signed-in user's
// setting, else the browser's (the tz cookie, when it names a zone), else UTC.
func (s *Server) requestZone(c echo.Context) *time.Location {
	if u := currentUser(c); u != nil && u.Timezone != "" {
		if loc, ok := s.app.Zone(u.Timezone); ok {
			return loc
		}
	}
	if tz := s.browserZone(c); tz != "" {
		loc, _ := s.app.Zone(tz)
		return loc
	}
	return time.UTC
}

// withZone puts the request's zone in its context, for the views' dates.
func (s *Server) withZone(c echo.Context) {
	req := c.Request()
	c.SetRequest(req.WithContext(views.WithZone(req.Context(), s.requestZone(c))))
}

// browserZone is the tz cookie's zone when it is a valid one, else "".
func (s *Server) browserZone(c echo.Context) string {
	if ck, err := c.Cookie(tzCookie); err == nil {
		if _, ok := s.app.Zone(ck.Value); ok {
			return ck.Value
		}
	}
	return ""
}
