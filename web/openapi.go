package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchyard/web/openapi"
	"switchyard/web/views"
)

// openAPIPath is where the API's OpenAPI document is served, without a key.
const openAPIPath = apiPrefix + "/openapi.json"

// openAPI answers the OpenAPI document of the JSON API (web/openapi/openapi.json).
func (s *Server) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openapi.JSON)
}

// apiDocsPath is the API reference for people, public like the document.
const apiDocsPath = "/api/docs"

// apiDocsPolicy is the page's Content-Security-Policy: the site's own, but
// Redoc sets styles inline and runs its search in a worker from a blob;
// scripts and connections still come only from Switchyard itself.
const apiDocsPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// apiDocs answers the reference page, which renders openapi.json with Redoc.
func (s *Server) apiDocs(c echo.Context) error {
	c.Response().Header().Set("Content-Security-Policy", apiDocsPolicy)
	return renderFragment(c, http.StatusOK, views.APIDocs(openAPIPath))
}
