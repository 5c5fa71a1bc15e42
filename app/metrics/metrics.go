// Package metrics holds Switchyard's Prometheus metrics: one Metrics per
// process, made in main's run and handed to the app and the web layer, its
// registry served at /metrics on a listener of its own. Labels stay bounded:
// route patterns, channel codes, rule names, causes and results, never an
// order number, SKU or email.
package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the process's metric families. A nil *Metrics records nothing.
type Metrics struct {
	// Registry holds every family, the Go runtime's and the process's included.
	Registry *prometheus.Registry

	httpRequests      *prometheus.HistogramVec
	ordersTaken       *prometheus.CounterVec
	writerBatch       prometheus.Histogram
	writerWait        prometheus.Histogram
	writerCommit      prometheus.Histogram
	decisions         *prometheus.CounterVec
	reroutes          *prometheus.CounterVec
	webhookDeliveries *prometheus.CounterVec
}

// New makes the families and registers them, with the Go runtime and
// process collectors, on a new registry.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		httpRequests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "switchyard_http_request_duration_seconds",
			Help:    "HTTP requests by route pattern, method and status, and how long they took.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method", "status"}),
		ordersTaken: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_orders_taken_total",
			Help: "New orders taken in, by channel and source (api, webhook, import, user).",
		}, []string{"channel", "source"}),
		writerBatch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "switchyard_writer_batch_size",
			Help:    "Write transactions committed together by the one writer (group commit).",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256},
		}),
		writerWait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "switchyard_writer_queue_wait_seconds",
			Help:    "How long a write transaction waited for the writer before its batch began.",
			Buckets: []float64{.0001, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
		writerCommit: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "switchyard_writer_commit_seconds",
			Help:    "How long the writer's COMMIT of a batch took (durable on return).",
			Buckets: []float64{.0001, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_routing_decisions_total",
			Help: "Routing decisions committed, by deciding rule and outcome (routed, split, partial, held).",
		}, []string{"rule", "outcome"}),
		reroutes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_reroutes_total",
			Help: "Orders routed again after intake, by cause (rejected, released, stock, manual, ...).",
		}, []string{"cause"}),
		webhookDeliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_webhook_deliveries_total",
			Help: "Channel webhook deliveries received, by channel and result.",
		}, []string{"channel", "result"}),
	}
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.httpRequests, m.ordersTaken, m.writerBatch, m.writerWait, m.writerCommit,
		m.decisions, m.reroutes, m.webhookDeliveries,
	)
	return m
}

// HTTPRequest records one answered request.
func (m *Metrics) HTTPRequest(route, method, status string, took time.Duration) {
	if m != nil {
		m.httpRequests.WithLabelValues(route, method, status).Observe(took.Seconds())
	}
}

// OrderTaken records one new order.
func (m *Metrics) OrderTaken(channel, source string) {
	if m != nil {
		m.ordersTaken.WithLabelValues(channel, source).Inc()
	}
}

// WriterBatch records one batch of the writer: its size, each job's wait
// in the queue, and its commit's duration.
func (m *Metrics) WriterBatch(waits []time.Duration, commit time.Duration) {
	if m == nil {
		return
	}
	m.writerBatch.Observe(float64(len(waits)))
	for _, w := range waits {
		m.writerWait.Observe(w.Seconds())
	}
	m.writerCommit.Observe(commit.Seconds())
}

// Decision records one committed routing decision.
func (m *Metrics) Decision(rule, outcome string) {
	if m != nil {
		m.decisions.WithLabelValues(rule, outcome).Inc()
	}
}

// Reroute records one order routed again, by cause.
func (m *Metrics) Reroute(cause string) {
	if m != nil {
		m.reroutes.WithLabelValues(cause).Inc()
	}
}

// WebhookDelivery records one channel webhook delivery and its result.
func (m *Metrics) WebhookDelivery(channel, result string) {
	if m != nil {
		m.webhookDeliveries.WithLabelValues(channel, result).Inc()
	}
}
