package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/imports"
)

// Request body limits, in bytes. MiB are binary: 1 MiB is 1,048,576 bytes.
const (
	// maxBody bounds every request body but the uploads below.
	maxBody int64 = 1 << 20
	// maxRatesFile bounds a zone rates CSV: a rate row is about 50 bytes, so
	// this is some 80,000 rows, far more than zones × weight bands need.
	maxRatesFile int64 = 4 << 20
	// maxPostalCodesFile bounds a postal codes CSV: a whole country's codes
	// (the UK has 1.7 million) fit in a CSV import's 64 MiB.
	maxPostalCodesFile = imports.MaxImportBytes
	// multipartSlack is room for the multipart envelope around an uploaded
	// file (boundaries, part headers, the CSRF token and other small fields).
	multipartSlack int64 = 64 << 10
	// formMemory is how much of a multipart form is kept in memory; the rest
	// of an uploaded file waits in a temporary file.
	formMemory int64 = 1 << 20
)

// uploadLimits is the body limit of each upload route (method and route
// path); every other route gets maxBody.
var uploadLimits = map[string]int64{
	"POST /imports/:kind":             imports.MaxImportBytes + multipartSlack,
	"POST /rules/rates/import":        maxRatesFile + multipartSlack,
	"POST /rules/postal-codes/import": maxPostalCodesFile + multipartSlack,
	"POST /rules/import":              maxRulesJSON + multipartSlack,
}

// bodyLimitOf is the body limit of the route c matched.
func bodyLimitOf(c echo.Context) int64 {
	if n, ok := uploadLimits[c.Request().Method+" "+c.Path()]; ok {
		return n
	}
	return maxBody
}

// ctxBody is where limitBody keeps the request's limited body.
const ctxBody = "limited-body"

// limitBody bounds the request body to its route's limit: a declared length
// over it is refused at once (413) without reading; a body sent without one
// fails with 413 at the first byte past the limit. It reads nothing itself.
func limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Body == nil || req.Body == http.NoBody {
			return next(c)
		}
		limit := bodyLimitOf(c)
		if req.ContentLength > limit {
			return tooLarge(limit)
		}
		lb := &limitedBody{ReadCloser: http.MaxBytesReader(c.Response(), req.Body, limit), limit: limit}
		req.Body = lb
		c.Set(ctxBody, lb)
		return next(c)
	}
}

// limitedBody is a body under its limit; over, reads fail with a 413 error.
type limitedBody struct {
	io.ReadCloser
	limit int64
	over  bool
}

// Read reads the body, turning http.MaxBytesReader's failure into a 413.
func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		b.over = true
		return n, tooLarge(b.limit)
	}
	return n, err
}

// bodyOverLimit reports whether reading the request body went past its limit.
func bodyOverLimit(c echo.Context) bool {
	lb, _ := c.Get(ctxBody).(*limitedBody)
	return lb != nil && lb.over
}

// tooLarge is the 413 answer to a body over limit bytes.
func tooLarge(limit int64) *echo.HTTPError {
	return echo.NewHTTPError(http.StatusRequestEntityTooLarge,
		fmt.Sprintf("the request body is larger than %s", mebibytes(limit)))
}

// mebibytes writes a limit for people: "1 MiB", "64 MiB" (the multipart slack is not counted).
func mebibytes(n int64) string {
	return fmt.Sprintf("%d MiB", n>>20)
}

// readForm reads a form body (URL-encoded or multipart) under the route's
// limit, after the guard has let the request through and before anything
// else looks at it: over the limit is a 413. Other bodies are left alone.
func readForm(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method != http.MethodPost && req.Method != http.MethodPut {
			return next(c)
		}
		var err error
		switch ct := req.Header.Get(echo.HeaderContentType); {
		case strings.HasPrefix(ct, echo.MIMEMultipartForm):
			err = req.ParseMultipartForm(formMemory)
		case strings.HasPrefix(ct, echo.MIMEApplicationForm):
			err = req.ParseForm()
		}
		if bodyOverLimit(c) {
			return tooLarge(bodyLimitOf(c))
		}
		if err != nil {
			return app.Invalid("the form could not be read", nil)
		}
		return next(c)
	}
}
