// Package openapi holds the OpenAPI 3.1 document of Switchyard's HTTP API (/api/v1).
package openapi

import _ "embed" // the document is embedded

// JSON is the OpenAPI document, served at GET /api/v1/openapi.json.
//
//go:embed openapi.json
var JSON []byte
