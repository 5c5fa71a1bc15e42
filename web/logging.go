package web

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// logRequests writes one structured line per request: method, path, status,
// duration and request id.
func (s *Server) logRequests() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogMethod:    true,
		LogURIPath:   true,
		LogStatus:    true,
		LogLatency:   true,
		LogRequestID: true,
		LogRoutePath: true,
		HandleError:  true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			s.log.LogAttrs(context.Background(), level, "request",
				slog.String("method", v.Method),
				slog.String("path", v.URIPath),
				slog.Int("status", v.Status),
				slog.Float64("duration_ms", float64(v.Latency.Microseconds())/1000),
				slog.String("request_id", v.RequestID),
			)
			s.metrics.HTTPRequest(routeLabel(v.RoutePath), methodLabel(v.Method), strconv.Itoa(v.Status), v.Latency)
			return nil
		},
	})
}

// routeLabel is a request's route pattern for the metrics ("/orders/:number"),
// or "unmatched": never the path itself, which the client chooses.
func routeLabel(pattern string) string {
	if pattern == "" || pattern == "/*" {
		return "unmatched"
	}
	return pattern
}

// methodLabel is a request's method for the metrics, OTHER for any method
// Switchyard does not serve (the client chooses it).
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return method
	}
	return "OTHER"
}
