package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"switchyard/web/openapi"
)

// The contract check's state lives for one test binary:
//
//   - contractDoc loads web/openapi/openapi.json once, and contractRouter
//     builds its router once (both read-only afterwards);
//   - uncovered records "METHOD /path" of API calls the document has no
//     operation for, and checked the operations whose exchanges were
//     validated. They only grow, are safe for parallel tests, and are read by
//     Uncovered and Checked (TestOpenAPICoverage in package web logs them).
//
// Nothing else is shared between tests.
var (
	contractDoc    = sync.OnceValues(LoadOpenAPI)
	contractRouter = sync.OnceValues(loadContract)
	uncovered      sync.Map
	checked        sync.Map
)

// loadContract loads and validates the OpenAPI document and builds its router.
func loadContract() (routers.Router, error) {
	doc, err := contractDoc()
	if err != nil {
		return nil, err
	}
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi router: %w", err)
	}
	return r, nil
}

// LoadOpenAPI loads the embedded OpenAPI document and validates it.
func LoadOpenAPI() (*openapi3.T, error) {
	doc, err := openapi3.NewLoader().LoadFromData(openapi.JSON)
	if err != nil {
		return nil, fmt.Errorf("load openapi.json: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate openapi.json: %w", err)
	}
	return doc, nil
}

// Uncovered lists, sorted, the API calls made so far by this test binary
// through Env.API whose operation the OpenAPI document lacks.
func Uncovered() []string {
	var out []string
	uncovered.Range(func(k, _ any) bool {
		out = append(out, k.(string))
		return true
	})
	sort.Strings(out)
	return out
}

// Checked lists, sorted, the document's operations (by operationId) whose
// exchanges Env.API has validated so far in this test binary.
func Checked() []string {
	var out []string
	checked.Range(func(k, _ any) bool {
		out = append(out, k.(string))
		return true
	})
	sort.Strings(out)
	return out
}

// checkContract validates one exchange of Env.API against the OpenAPI
// document: the response always (every status, errors included), the request
// only when the server accepted it (2xx), since tests send malformed requests
// on purpose to check the 400 and 422 answers. A call the document has no
// operation for is recorded in uncovered, not failed.
func checkContract(t testing.TB, req *http.Request, reqBody []byte, res *http.Response, resBody []byte) {
	t.Helper()
	router, err := contractRouter()
	if err != nil {
		t.Fatalf("openapi contract: %v", err)
	}
	vreq := req.Clone(context.Background())
	vreq.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	vreq.Host = ""
	vreq.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := router.FindRoute(vreq)
	if err != nil {
		if errors.Is(err, routers.ErrPathNotFound) || errors.Is(err, routers.ErrMethodNotAllowed) {
			uncovered.Store(req.Method+" "+req.URL.Path, true)
			return
		}
		t.Errorf("openapi contract: find %s %s: %v", req.Method, req.URL.Path, err)
		return
	}
	checked.Store(route.Operation.OperationID, true)
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: opts}
	ctx := context.Background()
	// Every request goes through the validator. One the document refuses
	// must be refused by the server too, as bad input (4xx): accepted, or
	// answered with a server error, the two disagree. (The server may refuse
	// more than the document can say, such as an unknown SKU.)
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil && res.StatusCode/100 != 4 {
		t.Errorf("openapi contract: request %s %s (answered %d) breaks the document: %v\nbody: %s", req.Method, req.URL.Path, res.StatusCode, err, reqBody)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header, Options: opts}
	out.SetBodyBytes(resBody)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		t.Errorf("openapi contract: response %d to %s %s breaks the document: %v\nbody: %s", res.StatusCode, req.Method, req.URL.Path, err, resBody)
	}
}

// ValidateWebhook checks one outbound webhook body against the OpenAPI
// document's webhooks section: its "type" must name a documented event and
// the whole body must match that event's schema.
func ValidateWebhook(body []byte) error {
	doc, err := contractDoc()
	if err != nil {
		return err
	}
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return fmt.Errorf("webhook body is not JSON: %w", err)
	}
	item := doc.Webhooks[head.Type]
	if item == nil || item.Post == nil || item.Post.RequestBody == nil || item.Post.RequestBody.Value == nil {
		return fmt.Errorf("webhook %q is not in the document's webhooks", head.Type)
	}
	media := item.Post.RequestBody.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return fmt.Errorf("webhook %q has no JSON schema", head.Type)
	}
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		return err
	}
	if err := media.Schema.Value.VisitJSON(value, openapi3.EnableJSONSchema2020()); err != nil {
		return fmt.Errorf("webhook %q does not match the document: %w", head.Type, err)
	}
	return nil
}
