package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchyard/web/openapi"
)

// openAPIPath is where the API's OpenAPI document is served, without a key.
const openAPIPath = apiPrefix + "/openapi.json"

// openAPI answers the OpenAPI document of the JSON API (web/openapi/openapi.json).
func (s *Server) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openapi.JSON)
}
