package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"switchyard/app"
	store "switchyard/sql"
)

// The storage ceiling: the orders/s SQLite takes on this machine when
// nothing but the rows of each order is written (the order with its lines,
// tags and first timeline entry, and the rows of routing it: decision,
// fulfillment, reservations; see ceilingRoute), through the same group
// commit the server uses (one writer goroutine, one connection, everything
// queued committed in one BEGIN IMMEDIATE … COMMIT) and the same durability
// settings, without validation, JSON, HTTP, routing decisions or the app layer.

// ceilingBatch is the most orders committed together, as sql/writer.go's maxBatch.
const ceilingBatch = 256

// ceilingResult is what the storage ceiling measured.
type ceilingResult struct {
	orders, commits int64
	elapsed         time.Duration
	cpu             string // what other processes used meanwhile (cpuNote)
}

// rate is the orders committed per second.
func (r ceilingResult) rate() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.orders) / r.elapsed.Seconds()
}

// ceilingJob is one order's rows, waiting for the writer's commit.
type ceilingJob struct {
	o       benchOrder
	message string // the 'received' timeline entry, as the app words it
	data    string // its JSON data
	done    chan error
}

// ceilingDSN is store's dsn(path, "rwc", true) (sql/sqlite.go): the writer
// connection's settings.
func ceilingDSN(path string) string {
	q := url.Values{}
	q.Set("mode", "rwc")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "5000")
	q.Set("_synchronous", "FULL")
	q.Set("_stmt_cache_size", "128")
	q.Set("_journal_mode", "WAL")
	q.Set("_txlock", "immediate")
	return store.FileURI(path, q)
}

// measureCeiling writes cfg's orders into the database at path (made by
// prepareCeilingDB) from cfg.concurrency goroutines through one
// group-committing writer, on a connection with the server's settings.
func measureCeiling(ctx context.Context, path string, cfg benchConfig, runID string, skus []benchSKU, profile string) (ceilingResult, error) {
	raw, err := sql.Open("sqlite3", ceilingDSN(path))
	if err != nil {
		return ceilingResult{}, err
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	conn, err := raw.Conn(ctx)
	if err != nil {
		return ceilingResult{}, err
	}
	defer conn.Close()
	if err := checkDurability(ctx, conn); err != nil {
		return ceilingResult{}, err
	}
	// Checkpoints in the background, as the server does (store.Checkpointer).
	if _, err := conn.ExecContext(ctx, "PRAGMA wal_autocheckpoint=0"); err != nil {
		return ceilingResult{}, err
	}
	ckpt, err := store.StartCheckpointer(path)
	if err != nil {
		return ceilingResult{}, err
	}
	defer ckpt.Close()
	w, err := newCeilingWriter(ctx, conn, skus)
	if err != nil {
		return ceilingResult{}, err
	}
	defer w.close()
	w.ckpt = ckpt

	stopProfile, err := startProfile(profile)
	if err != nil {
		return ceilingResult{}, err
	}
	defer stopProfile() //nolint:errcheck // stopped and checked below; this covers early returns

	queue := make(chan *ceilingJob, 4*ceilingBatch)
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		// Without cancellation go-sqlite3 runs each statement on the calling
		// goroutine; with it, every statement would start a watcher goroutine.
		// The producers stop on ctx instead.
		w.loop(context.WithoutCancel(ctx), queue)
	}()
	var (
		next     atomic.Int64
		failed   atomic.Int64
		firstErr error
		errOnce  sync.Once
		wg       sync.WaitGroup
	)
	cpu0 := sampleCPU()
	start := time.Now()
	deadline := start.Add(cfg.duration)
	for range cfg.concurrency {
		wg.Go(func() {
			done := make(chan error, 1)
			for {
				n := next.Add(1)
				if cfg.enough(n, deadline) || ctx.Err() != nil || failed.Load() > 0 {
					return
				}
				o := genOrder(cfg.seed, runID, n, skus)
				_, total, items := o.totals()
				job := &ceilingJob{
					o: o, done: done,
					message: fmt.Sprintf("Order received from %s as %s: %d item%s, EUR %s.", w.channelName, o.externalID,
						items, map[bool]string{true: "", false: "s"}[items == 1], cents(total)),
					data: fmt.Sprintf(`{"channel":%q,"external_id":%q,"lines":%d,"test":false}`, cfg.channel, o.externalID, len(o.lines)),
				}
				queue <- job
				if err := <-done; err != nil {
					failed.Add(1)
					errOnce.Do(func() { firstErr = err })
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := cpuNote(cpu0, sampleCPU())
	close(queue)
	<-writerDone
	if err := stopProfile(); err != nil {
		return ceilingResult{}, err
	}
	if firstErr != nil {
		return ceilingResult{}, firstErr
	}
	if err := ctx.Err(); err != nil {
		return ceilingResult{}, err
	}
	return ceilingResult{orders: w.orders, commits: w.commits, elapsed: elapsed, cpu: cpu}, nil
}

// prepareCeilingDB makes the ceiling's database at path: a copy of the
// database at from as it is now (VACUUM INTO, so that both start from the
// same rows), or when from is "" a new one with the demo network. Either way
// it is then opened as the server opens it (d.Open: store.Open, the
// migrations), which also turns WAL on.
func prepareCeilingDB(ctx context.Context, d Deps, path, from string) error {
	if from != "" {
		src, err := sql.Open("sqlite3", store.FileURI(from, url.Values{"mode": {"ro"}}))
		if err != nil {
			return err
		}
		_, err = src.ExecContext(ctx, "VACUUM INTO ?", path)
		if err := errors.Join(err, src.Close()); err != nil {
			return fmt.Errorf("copy %s: %w", from, err)
		}
	}
	a, err := d.Open(ctx, path)
	if err != nil {
		return err
	}
	defer a.Close()
	if from == "" {
		if _, _, err := demoOf(a).SeedDemo(ctx); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	return nil
}

// checkDurability makes sure the connection has the server's settings.
func checkDurability(ctx context.Context, conn *sql.Conn) error {
	var mode string
	var syncMode, fk, busy int
	for _, p := range []struct {
		pragma string
		dst    any
	}{{"journal_mode", &mode}, {"synchronous", &syncMode}, {"foreign_keys", &fk}, {"busy_timeout", &busy}} {
		if err := conn.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(p.dst); err != nil {
			return fmt.Errorf("PRAGMA %s: %w", p.pragma, err)
		}
	}
	if mode != "wal" || syncMode != 2 || fk != 1 || busy != 5000 {
		return fmt.Errorf("connection settings journal_mode=%s synchronous=%d foreign_keys=%d busy_timeout=%d, want wal, 2 (FULL), 1, 5000",
			mode, syncMode, fk, busy)
	}
	return nil
}

// ceilingWriter is the one writer: prepared statements on one connection.
type ceilingWriter struct {
	conn                                          *sql.Conn
	insertOrder, insertLine, insertTag, insertEvt *sql.Stmt
	route                                         *ceilingRoute
	ckpt                                          *store.Checkpointer // asks for a WAL restart between commits, as to the server's writer
	channelID                                     int64
	channelName                                   string
	skuIDs                                        map[string]int64
	nextID                                        int64
	orders, commits                               int64
}

// newCeilingWriter prepares the inserts an order makes (as queries/orders.sql).
func newCeilingWriter(ctx context.Context, conn *sql.Conn, skus []benchSKU) (*ceilingWriter, error) {
	w := &ceilingWriter{conn: conn, skuIDs: map[string]int64{}}
	var err error
	if w.route, err = newCeilingRoute(ctx, conn); err != nil {
		return nil, err
	}
	if err := conn.QueryRowContext(ctx, `SELECT id, name FROM channels WHERE code = 'web-eu'`).Scan(&w.channelID, &w.channelName); err != nil {
		return nil, fmt.Errorf("demo channel: %w", err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM orders`).Scan(&w.nextID); err != nil {
		return nil, err
	}
	rows, err := conn.QueryContext(ctx, `SELECT id, code FROM skus`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			rows.Close()
			return nil, err
		}
		w.skuIDs[code] = id
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&w.insertOrder, `INSERT INTO orders (
			id, number, channel_id, external_id, channel_ref, placed_at, currency,
			customer_email, customer_name, customer_phone,
			ship_name, ship_line1, ship_line2, ship_city, ship_region, ship_postal_code, ship_country, ship_phone,
			ship_lat, ship_lon, delivery, pickup_location_id, subtotal, shipping_price, total, tags, note, test,
			status, on_hold, hold_reason, cancelled, tracking_token, created_at, updated_at
		) VALUES (?, ?, ?, ?, '', ?, 'EUR', ?, ?, ?, ?, ?, '', ?, '', ?, ?, '', ?, ?, 'ship', NULL, ?, ?, ?, ?, '', 0,
			'received', 0, '', 0, ?, ?, ?)`},
		{&w.insertLine, `INSERT INTO order_lines (order_id, line_no, external_id, sku_id, sku, name, quantity, unit_price, prev_sku_line_id)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, (SELECT h.last_line_id FROM sku_line_heads h WHERE h.sku = ?5))`},
		{&w.insertTag, `INSERT INTO order_tags (tag, placed_at, order_id) VALUES (?, ?, ?)`},
		{&w.insertEvt, `INSERT INTO order_events (order_id, at, actor_kind, actor_id, actor_name, kind, message, data, customer_visible)
			VALUES (?, ?, 'api_key', 1, 'API key bench', 'received', ?, ?, 1)`},
	} {
		if *p.stmt, err = conn.PrepareContext(ctx, p.sql); err != nil {
			w.close()
			return nil, fmt.Errorf("prepare: %w", err)
		}
	}
	return w, nil
}

// close releases the prepared statements.
func (w *ceilingWriter) close() {
	if w.route != nil {
		w.route.close()
	}
	for _, s := range []*sql.Stmt{w.insertOrder, w.insertLine, w.insertTag, w.insertEvt} {
		if s != nil {
			s.Close()
		}
	}
}

// loop takes everything queued, commits it in one transaction and answers
// each job, until the queue is closed.
func (w *ceilingWriter) loop(ctx context.Context, queue <-chan *ceilingJob) {
	for first := range queue {
		batch := []*ceilingJob{first}
	collect:
		for len(batch) < ceilingBatch {
			select {
			case job, ok := <-queue:
				if !ok {
					break collect
				}
				batch = append(batch, job)
			default:
				break collect
			}
		}
		err := w.commit(ctx, batch)
		for _, job := range batch {
			job.done <- err
		}
	}
}

// commit writes the batch's orders in one BEGIN IMMEDIATE … COMMIT.
func (w *ceilingWriter) commit(ctx context.Context, batch []*ceilingJob) error {
	if w.ckpt != nil && w.ckpt.RestartDue() {
		if err := store.Restart(ctx, w.conn); err != nil {
			return fmt.Errorf("restart the WAL: %w", err)
		}
	}
	if _, err := w.conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	now := time.Now().UnixMilli()
	for _, job := range batch {
		if err := w.write(ctx, job, now); err != nil {
			_, _ = w.conn.ExecContext(context.Background(), "ROLLBACK")
			return err
		}
	}
	if _, err := w.conn.ExecContext(ctx, "COMMIT"); err != nil {
		_, _ = w.conn.ExecContext(context.Background(), "ROLLBACK")
		return fmt.Errorf("commit: %w", err)
	}
	w.orders += int64(len(batch))
	w.commits++
	return nil
}

// write inserts one order's rows: the order, its lines, its tags and its
// 'received' timeline entry (the order_counts trigger fires as in the
// server), then the rows of routing it (ceilingRoute).
func (w *ceilingWriter) write(ctx context.Context, job *ceilingJob, now int64) error {
	o := job.o
	w.nextID++
	id := w.nextID
	subtotal, total, _ := o.totals()
	if _, err := w.insertOrder.ExecContext(ctx,
		id, fmt.Sprintf("SY-%06d", id), w.channelID, o.externalID, now,
		o.customer.Email, o.customer.Name, o.customer.Phone,
		o.customer.Name, o.street, o.city.city, o.city.postal, o.city.country,
		o.city.lat, o.city.lon, subtotal, o.shippingCents, total, joinedTags(o.tags),
		app.NewTrackingToken(time.UnixMilli(now)), now, now,
	); err != nil {
		return fmt.Errorf("insert order: %w", err)
	}
	routed := make([]ceilingLine, 0, len(o.lines))
	for i, l := range o.lines {
		var skuID sql.NullInt64
		if sid, ok := w.skuIDs[l.sku.Code]; ok {
			skuID = sql.NullInt64{Int64: sid, Valid: true}
		}
		res, err := w.insertLine.ExecContext(ctx, id, i+1, fmt.Sprint(i+1), skuID, l.sku.Code, l.sku.Name, l.quantity, l.cents)
		if err != nil {
			return fmt.Errorf("insert order line: %w", err)
		}
		lineID, _ := res.LastInsertId()
		routed = append(routed, ceilingLine{id: lineID, skuID: skuID.Int64, quantity: l.quantity})
	}
	for _, tag := range o.tags {
		if _, err := w.insertTag.ExecContext(ctx, tag, now, id); err != nil {
			return fmt.Errorf("insert order tag: %w", err)
		}
	}
	if _, err := w.insertEvt.ExecContext(ctx, id, now, job.message, job.data); err != nil {
		return fmt.Errorf("insert order event: %w", err)
	}
	return w.route.write(ctx, id, fmt.Sprintf("SY-%06d", id), routed, now)
}

// joinedTags is the orders.tags column: the tags, comma-separated.
func joinedTags(tags []string) string { return strings.Join(tags, ",") }
