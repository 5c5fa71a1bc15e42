package web

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"switchyard/app/metrics"
)

// MetricsHandler serves m's registry in Prometheus's text format, for a
// listener of its own (serve --metrics-addr): never the public router.
func MetricsHandler(m *metrics.Metrics) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}))
	return mux
}
