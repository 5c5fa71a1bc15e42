package web

import (
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/accounts"
)

// ctxAPIKey is where the authenticated API key is kept on the echo context.
const ctxAPIKey = "apikey"

// authAPIKey authenticates the request's bearer API key: 401 when it is missing or wrong.
func (s *Server) authAPIKey(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		raw, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		if !ok || strings.TrimSpace(raw) == "" {
			return app.Unauthorized("send your API key as Authorization: Bearer <key>")
		}
		key, err := s.accounts.AuthenticateAPIKey(c.Request().Context(), strings.TrimSpace(raw))
		if err != nil {
			return err
		}
		c.Set(ctxAPIKey, key)
		return next(c)
	}
}

// requireScope refuses keys that hold none of scopes.
func requireScope(scopes []string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			key := apiKey(c)
			if !slices.ContainsFunc(scopes, key.HasScope) {
				return app.Forbidden("this API key lacks the scope %s", strings.Join(scopes, " or "))
			}
			return next(c)
		}
	}
}

// apiKey returns the request's authenticated API key.
func apiKey(c echo.Context) accounts.APIKey {
	k, _ := c.Get(ctxAPIKey).(accounts.APIKey)
	return k
}
