package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	store "switchyard/sql"
)

// scrapeTimeout bounds the database reads of one scrape.
const scrapeTimeout = 5 * time.Second

// Reads are the database reads the store collector makes at each scrape.
type Reads interface {
	OutboxGauges(ctx context.Context) ([]store.OutboxGaugesRow, error)
	ShortLevelCount(ctx context.Context) (int64, error)
}

// storeCollector reads the gauges that live in the database at each scrape:
// the outbox's undelivered and dead messages and its oldest undelivered
// message's age, by channel and kind, and the stock levels short of what
// they hold reserved.
type storeCollector struct {
	reads       Reads
	now         func() time.Time
	undelivered *prometheus.Desc
	oldest      *prometheus.Desc
	dead        *prometheus.Desc
	short       *prometheus.Desc
	up          *prometheus.Desc
}

// WatchStore adds the database's gauges to m, read through reads at each
// scrape (now is the app's clock).
func (m *Metrics) WatchStore(reads Reads, now func() time.Time) {
	if m == nil {
		return
	}
	m.Registry.MustRegister(&storeCollector{
		reads: reads, now: now,
		undelivered: prometheus.NewDesc("switchyard_outbox_undelivered",
			"Outbox messages not delivered yet (pending or being delivered), by channel and kind.", []string{"channel", "kind"}, nil),
		oldest: prometheus.NewDesc("switchyard_outbox_oldest_undelivered_age_seconds",
			"Age of the oldest undelivered outbox message, by channel and kind.", []string{"channel", "kind"}, nil),
		dead: prometheus.NewDesc("switchyard_outbox_dead",
			"Outbox messages given up on (dead letters), by channel and kind.", []string{"channel", "kind"}, nil),
		short: prometheus.NewDesc("switchyard_stock_levels_short",
			"Stock levels holding fewer units than they have reserved.", nil, nil),
		up: prometheus.NewDesc("switchyard_store_scrape_ok",
			"1 when the database answered this scrape's reads, 0 when it did not.", nil, nil),
	})
}

// Describe sends the collector's descriptions.
func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.undelivered
	ch <- c.oldest
	ch <- c.dead
	ch <- c.short
	ch <- c.up
}

// Collect reads the database and sends the gauges.
func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	rows, err := c.reads.OutboxGauges(ctx)
	short, err2 := c.reads.ShortLevelCount(ctx)
	if err != nil || err2 != nil {
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 0)
		return
	}
	now := c.now()
	for _, r := range rows {
		ch <- prometheus.MustNewConstMetric(c.undelivered, prometheus.GaugeValue, float64(r.Undelivered), r.Channel, r.Kind)
		ch <- prometheus.MustNewConstMetric(c.dead, prometheus.GaugeValue, float64(r.Dead), r.Channel, r.Kind)
		age := 0.0
		if r.Undelivered > 0 {
			age = max(0, now.Sub(time.UnixMilli(r.OldestUndeliveredAt)).Seconds())
		}
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, age, r.Channel, r.Kind)
	}
	ch <- prometheus.MustNewConstMetric(c.short, prometheus.GaugeValue, float64(short))
	ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, 1)
}
