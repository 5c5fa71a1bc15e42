package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchyard/app/accounts"
	"switchyard/web/views"
)

// listAPIKeys shows the keys and the form for a new one.
func (s *Server) listAPIKeys(c echo.Context) error {
	return s.apiKeysPage(c, http.StatusOK, views.APIKeysView{})
}

// createAPIKey makes a key and shows it once.
func (s *Server) createAPIKey(c echo.Context) error {
	var f accounts.NewAPIKey
	if err := bindForm(c, &f); err != nil {
		return err
	}
	key, k, err := s.accounts.CreateAPIKey(c.Request().Context(), currentUser(c).Actor(), f)
	if errs, _, ok := fieldErrors(err); ok {
		form := views.APIKeyForm{Name: f.Name, Scopes: f.Scopes, Channel: f.Channel, Errors: errs}
		return s.apiKeysPage(c, http.StatusUnprocessableEntity, views.APIKeysView{Form: form})
	} else if err != nil {
		return err
	}
	return s.apiKeysPage(c, http.StatusCreated, views.APIKeysView{NewKey: key, Created: k})
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

// apiKeysPage renders the keys page over v's form and new key.
func (s *Server) apiKeysPage(c echo.Context, status int, v views.APIKeysView) error {
	ctx := c.Request().Context()
	keys, err := s.accounts.ListAPIKeys(ctx)
	if err != nil {
		return err
	}
	chans, err := s.app.Channels(ctx)
	if err != nil {
		return err
	}
	v.CSRF, v.Keys, v.Channels, v.BaseURL = csrfToken(c), keys, chans, c.Scheme()+"://"+c.Request().Host
	return s.render(c, status, "API keys", views.APIKeys(v))
}
