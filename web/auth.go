package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/web/views"
)

// loginForm is what the sign-in form posts.
type loginForm struct {
	Email    string `form:"email"`
	Password string `form:"password"`
	Next     string `form:"next"`
}

// loginPage shows the sign-in form, or sends a signed-in user on.
func (s *Server) loginPage(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, next)
	}
	return s.render(c, http.StatusOK, "Sign in", views.Login(csrfToken(c), views.LoginForm{Next: next}))
}

// login checks the credentials and starts a new session.
func (s *Server) login(c echo.Context) error {
	var f loginForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	u, token, err := s.accounts.SignIn(c.Request().Context(), f.Email, f.Password, client(c))
	if err != nil {
		return s.loginFailed(c, f, err)
	}
	if old, ok := session(c).Values[sessionToken].(string); ok { // a sign-in over another one ends the old one
		if err := s.accounts.SignOut(c.Request().Context(), old); err != nil {
			return err
		}
	}
	s.startSession(c, u, token)
	return c.Redirect(http.StatusSeeOther, safeNext(f.Next))
}

// loginFailed shows the form again with why, and the status that goes with it.
func (s *Server) loginFailed(c echo.Context, f loginForm, err error) error {
	var ae *app.Error
	if !asAppErr(err, &ae) {
		return err
	}
	if ae.Kind == app.KindTooMany {
		c.Response().Header().Set("Retry-After", retryAfterSeconds(ae.RetryAfter))
	}
	form := views.LoginForm{Email: f.Email, Next: safeNext(f.Next), Message: sentence(ae.Message), Errors: ae.Fields}
	return s.render(c, statusOf[ae.Kind], "Sign in", views.Login(csrfToken(c), form))
}

// logoutPage asks to confirm signing out.
func (s *Server) logoutPage(c echo.Context) error {
	return s.render(c, http.StatusOK, "Sign out", views.Logout(csrfToken(c)))
}

// logout ends the session, on the server as in the browser.
func (s *Server) logout(c echo.Context) error {
	if err := s.endSession(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}

// home is the start page for the user's role.
//
// Ops managers start on the dashboard; the others on the overview of what they may use.
func (s *Server) home(c echo.Context) error {
	if currentUser(c).Has(app.RoleOps, app.RoleAdmin) {
		return s.dashboardPage(c)
	}
	return s.render(c, http.StatusOK, "Home", views.Home(s.page(c, "Home")))
}
