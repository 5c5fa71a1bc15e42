package web

import (
	"time"

	"github.com/labstack/echo/v4"

	"switchyard/app/accounts"
	"switchyard/web/views"
)

// tzCookie holds the browser's IANA time zone, set by app.js.
const tzCookie = "tz"

// requestZone is the zone staff pages write times in: the signed-in user's
// setting, else the browser's (the tz cookie, when it names a zone), else UTC.
func requestZone(c echo.Context) *time.Location {
	if u := currentUser(c); u != nil && u.Timezone != "" {
		if loc, err := time.LoadLocation(u.Timezone); err == nil {
			return loc
		}
	}
	if tz := browserZone(c); tz != "" {
		if loc, err := time.LoadLocation(tz); err == nil {
			return loc
		}
	}
	return time.UTC
}

// withZone puts the request's zone in its context, for the views' dates.
func withZone(c echo.Context) {
	req := c.Request()
	c.SetRequest(req.WithContext(views.WithZone(req.Context(), requestZone(c))))
}

// browserZone is the tz cookie's zone when it is a valid one, else "".
func browserZone(c echo.Context) string {
	if ck, err := c.Cookie(tzCookie); err == nil && ck.Value != "" && accounts.CheckTimezone(ck.Value) == "" {
		return ck.Value
	}
	return ""
}
