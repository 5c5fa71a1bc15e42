package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/web/views"
)

// problem is an error as the person or program on the other end sees it.
type problem struct {
	status  int
	code    string
	message string
	fields  map[string]string
}

// statusOf maps each app error kind to its HTTP status.
var statusOf = map[app.Kind]int{
	app.KindInvalid:      http.StatusUnprocessableEntity,
	app.KindNotFound:     http.StatusNotFound,
	app.KindConflict:     http.StatusConflict,
	app.KindForbidden:    http.StatusForbidden,
	app.KindUnauthorized: http.StatusUnauthorized,
	app.KindTooMany:      http.StatusTooManyRequests,
	app.KindUpstream:     http.StatusBadGateway,
}

// codeOf names each status in the JSON error shape.
var codeOf = map[int]string{
	http.StatusBadRequest:            "malformed",
	http.StatusUnauthorized:          "unauthorized",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusConflict:              "conflict",
	http.StatusRequestEntityTooLarge: "too_large",
	http.StatusUnprocessableEntity:   "invalid",
	http.StatusTooManyRequests:       "too_many_requests",
	http.StatusInternalServerError:   "internal",
	http.StatusBadGateway:            "upstream",
	http.StatusServiceUnavailable:    "unavailable",
}

// describeError turns any error into the problem to show, without internals.
func describeError(err error) problem {
	var ae *app.Error
	if errors.As(err, &ae) {
		st := statusOf[ae.Kind]
		return problem{status: st, code: codeOf[st], message: ae.Message, fields: ae.Fields}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		msg := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok && (he.Code < 500 || he.Code == http.StatusServiceUnavailable) {
			msg = m
		}
		switch he.Code {
		case http.StatusNotFound:
			msg = "there is nothing at this address"
		case http.StatusRequestEntityTooLarge:
			if msg == http.StatusText(he.Code) {
				msg = "the request body is too large (1 MiB at most; CSV uploads 64 MiB)"
			}
		}
		code := codeOf[he.Code]
		if code == "" {
			code = strings.ToLower(strings.ReplaceAll(http.StatusText(he.Code), " ", "_"))
		}
		return problem{status: he.Code, code: code, message: msg}
	}
	return problem{status: http.StatusInternalServerError, code: "internal",
		message: "something went wrong on our side; it has been logged"}
}

// handleError is echo's one error handler: JSON under /api and /webhooks
// (programs call them), pages elsewhere.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := describeError(err)
	reqID := c.Response().Header().Get(echo.HeaderXRequestID)
	if p.status >= 500 {
		s.log.Error("request failed", "err", err, "request_id", reqID,
			"method", c.Request().Method, "path", c.Request().URL.Path)
	}
	var ae *app.Error
	if asAppErr(err, &ae) && ae.RetryAfter > 0 {
		c.Response().Header().Set("Retry-After", retryAfterSeconds(ae.RetryAfter))
	}
	var werr error
	if wantsJSON(c.Request().URL.Path) {
		werr = c.JSON(p.status, jsonError(p))
	} else {
		if isHTMX(c) {
			// An error is no fragment for the element that asked: show it in the page's main area.
			c.Response().Header().Set("HX-Retarget", "#main")
			c.Response().Header().Set("HX-Reswap", "innerHTML")
		}
		page := views.ErrorPage(p.status, errorTitle(p.status), sentence(p.message), reqID)
		werr = s.render(c, p.status, errorTitle(p.status), page)
	}
	if werr != nil {
		s.log.Error("writing error answer", "err", werr, "request_id", reqID)
	}
}

// jsonError is the API's error shape (API.md).
func jsonError(p problem) map[string]any {
	body := map[string]any{"code": p.code, "message": p.message}
	if len(p.fields) > 0 {
		body["fields"] = p.fields
	}
	return map[string]any{"error": body}
}

// errorTitle is the heading of an error page.
func errorTitle(status int) string {
	switch status {
	case http.StatusForbidden:
		return "Not allowed"
	case http.StatusNotFound:
		return "Not found"
	case http.StatusTooManyRequests:
		return "Too many attempts"
	case http.StatusUnprocessableEntity:
		return "Please check your input"
	}
	if status >= 500 {
		return "Something went wrong"
	}
	return http.StatusText(status)
}

// sentence capitalises a message and ends it with a full stop.
func sentence(msg string) string {
	if msg == "" {
		return msg
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

// asAppErr finds an app error in err's chain.
func asAppErr(err error, target **app.Error) bool { return errors.As(err, target) }

// retryAfterSeconds formats a wait for the Retry-After header, rounded up.
func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(int(math.Ceil(d.Seconds())))
}

// badID is the error for a path id that is not a number.
func badID(name, value string) error {
	return app.NotFound("%s", fmt.Sprintf("no %s %q", name, value))
}

// wantsJSON reports whether errors on path are answered in the API's JSON shape.
func wantsJSON(path string) bool {
	return strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/webhooks/")
}
