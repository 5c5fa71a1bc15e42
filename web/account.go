package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchyard/web/views"
)

// accountForm is what the account page posts.
type accountForm struct {
	Timezone string `form:"timezone"`
}

// accountPage shows the signed-in user's own settings.
func (s *Server) accountPage(c echo.Context) error {
	f := views.AccountForm{Timezone: currentUser(c).Timezone, Notice: takeNotice(c)}
	return s.accountEditor(c, http.StatusOK, f)
}

// saveAccount sets the signed-in user's own time zone.
func (s *Server) saveAccount(c echo.Context) error {
	var f accountForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	_, err := s.accounts.SetOwnTimezone(c.Request().Context(), currentUser(c).Actor(), f.Timezone)
	if errs, msg, ok := fieldErrors(err); ok {
		form := views.AccountForm{Timezone: f.Timezone, Errors: errs, Message: msg}
		return s.accountEditor(c, http.StatusUnprocessableEntity, form)
	} else if err != nil {
		return err
	}
	return redirectWithFlash(c, "/account", "Time zone saved.")
}

// accountEditor renders the account page with f.
func (s *Server) accountEditor(c echo.Context, status int, f views.AccountForm) error {
	f.Browser = s.browserZone(c)
	f.Now = s.app.Now()
	return s.render(c, status, "Your account", views.Account(csrfToken(c), f))
}
