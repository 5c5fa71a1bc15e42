package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchyard/app/accounts"
	"switchyard/web/views"
)

// listAPIKeys shows the keys and the form for a new one.
func (s *Server) listAPIKeys(c echo.Context) error {
	return s.apiKeysPage(c, http.StatusOK, views.APIKeyForm{}, "")
}

// createAPIKey makes a key and shows it once.
func (s *Server) createAPIKey(c echo.Context) error {
	var f accounts.NewAPIKey
	if err := bindForm(c, &f); err != nil {
		return err
	}
	key, _, err := s.accounts.CreateAPIKey(c.Request().Context(), currentUser(c).Actor(), f)
	if errs, _, ok := fieldErrors(err); ok {
		form := views.APIKeyForm{Name: f.Name, Scopes: f.Scopes, Channel: f.Channel, Errors: errs}
		return s.apiKeysPage(c, http.StatusUnprocessableEntity, form, "")
	} else if err != nil {
		return err
	}
	return s.apiKeysPage(c, http.StatusCreated, views.APIKeyForm{}, key)
}

// revokeAPIKey stops a key from working.
func (s *Server) revokeAPIKey(c echo.Context) error {
	id, err := pathID(c, "id", "API key")
	if err != nil {
		return err
	}
	if err := s.accounts.RevokeAPIKey(c.Request().Context(), currentUser(c).Actor(), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/apikeys")
}

// apiKeysPage renders the keys page.
func (s *Server) apiKeysPage(c echo.Context, status int, f views.APIKeyForm, newKey string) error {
	keys, err := s.accounts.ListAPIKeys(c.Request().Context())
	if err != nil {
		return err
	}
	return s.render(c, status, "API keys", views.APIKeys(csrfToken(c), keys, f, newKey))
}
