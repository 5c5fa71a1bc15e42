package outbox

import (
	"switchyard/app"

	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	store "switchyard/sql"
)

// DispatcherOptions tune the outbox dispatcher; zero values take the defaults.
type DispatcherOptions struct {
	Client      *http.Client   // default: 10 s timeout per request
	Workers     int            // deliveries under way at once (default 16)
	Poll        time.Duration  // how often it looks for due messages when not woken (default 1 s)
	MaxAttempts int            // attempts before a message goes to the dead letters (default 15)
	BaseBackoff time.Duration  // delay after the first failure, doubled each time (default 1 min)
	MaxBackoff  time.Duration  // the longest delay (default 6 h)
	Lease       time.Duration  // how long a claimed message is held before it is due again (default 5 min)
	Jitter      func() float64 // in [0, 1); default math/rand: the delay is scaled by 0.8 + 0.4*Jitter()
}

// withDefaults fills the zero fields. 15 attempts from 1 min doubling to 6 h
// spread the retries over about 38 hours (at least 30 with the jitter).
func (o DispatcherOptions) withDefaults() DispatcherOptions {
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
			Proxy: http.ProxyFromEnvironment, DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConns: 100, MaxIdleConnsPerHost: 32, IdleConnTimeout: 90 * time.Second, TLSHandshakeTimeout: 5 * time.Second,
			ResponseHeaderTimeout: 10 * time.Second,
		}}
	}
	if o.Workers <= 0 {
		o.Workers = 16
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 15
	}
	if o.BaseBackoff <= 0 {
		o.BaseBackoff = time.Minute
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 6 * time.Hour
	}
	if o.Lease <= 0 {
		o.Lease = 5 * time.Minute
	}
	if o.Jitter == nil {
		o.Jitter = rand.Float64
	}
	return o
}

// Backoff is the delay before attempt n+1 after n failed attempts (n >= 1), before jitter.
func (o DispatcherOptions) Backoff(n int) time.Duration {
	o = o.withDefaults()
	d := float64(o.BaseBackoff) * math.Pow(2, float64(n-1))
	return time.Duration(min(d, float64(o.MaxBackoff)))
}

// dispatcher delivers outbox messages. Nothing it sends is sent from inside a
// write transaction: it claims messages in one, sends, then records the
// result in another.
type dispatcher struct {
	a *app.App
	s *Service
	o DispatcherOptions
}

// RunDispatcher delivers outbox messages until ctx ends, with the default options.
func (s *Service) RunDispatcher(ctx context.Context) error {
	return s.RunDispatcherWith(ctx, DispatcherOptions{})
}

// RunDispatcherWith delivers outbox messages until ctx ends. Messages left in
// delivering by a crash are due again at start. On stop it waits for the
// deliveries under way and records their results.
func (s *Service) RunDispatcherWith(ctx context.Context, o DispatcherOptions) error {
	d := &dispatcher{a: s.core, s: s, o: o.withDefaults()}
	if err := s.core.DB().Write(ctx, func(q *store.Queries) error {
		_, err := q.ResetDeliveringOutbox(ctx, app.Millis(s.core.Now()))
		return err
	}); err != nil {
		return fmt.Errorf("outbox: reset deliveries: %w", err)
	}
	var (
		wg       sync.WaitGroup
		inflight atomic.Int64
		done     = make(chan struct{}, 1)
		kicked   time.Time
		timer    = time.NewTimer(0)
	)
	defer func() { timer.Stop(); wg.Wait() }()
	// Deliveries outlive a stop request: they finish within the client timeout
	// and their results are recorded, so nothing is left half-done.
	deliverCtx := context.WithoutCancel(ctx)
	for {
		free := d.o.Workers - int(inflight.Load())
		got := 0
		if free > 0 && ctx.Err() == nil {
			msgs, err := d.claim(ctx, free)
			if err != nil && ctx.Err() == nil {
				s.core.Log().Error("outbox: claim", "err", err)
			}
			got = len(msgs)
			for _, m := range msgs {
				inflight.Add(1)
				wg.Add(1)
				go func() {
					defer wg.Done()
					d.deliver(deliverCtx, m)
					inflight.Add(-1)
					select {
					case done <- struct{}{}:
					default:
					}
				}()
			}
		}
		if got > 0 && got == free {
			continue // more may be due
		}
		wait := d.o.Poll
		if time.Since(kicked) < 250*time.Millisecond {
			wait = 5 * time.Millisecond // a commit may not have landed when we were woken
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return nil
		case <-d.a.OutboxKicks():
			kicked = time.Now()
		case <-done:
		case <-timer.C:
		}
	}
}

// DispatchDue delivers every message due now, round by round, and returns how
// many deliveries it attempted. Tests and the CLI use it; serve runs RunDispatcher.
func (s *Service) DispatchDue(ctx context.Context, o DispatcherOptions) (int, error) {
	d := &dispatcher{a: s.core, s: s, o: o.withDefaults()}
	total := 0
	for {
		msgs, err := d.claim(ctx, 4*d.o.Workers)
		if err != nil {
			return total, err
		}
		if len(msgs) == 0 {
			return total, nil
		}
		sem := make(chan struct{}, d.o.Workers)
		var wg sync.WaitGroup
		for _, m := range msgs {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done() }()
				d.deliver(ctx, m)
			}()
		}
		wg.Wait()
		total += len(msgs)
	}
}

// claim takes up to n due messages in one write transaction, marking them
// delivering until the lease runs out.
func (d *dispatcher) claim(ctx context.Context, n int) ([]store.OutboxMessage, error) {
	var out []store.OutboxMessage
	err := d.a.Write(ctx, func(tx app.Tx) error {
		out = out[:0]
		ids, err := tx.Q.DueOutboxMessages(ctx, store.DueOutboxMessagesParams{Now: app.Millis(tx.Now), Lim: int64(n)})
		if err != nil {
			return fmt.Errorf("due messages: %w", err)
		}
		lease := app.Millis(tx.Now.Add(d.o.Lease))
		for _, id := range ids {
			k, err := tx.Q.ClaimOutboxMessage(ctx, store.ClaimOutboxMessageParams{LeaseUntil: lease, ID: id, Now: app.Millis(tx.Now)})
			if err != nil {
				return fmt.Errorf("claim message %d: %w", id, err)
			}
			if k == 0 {
				continue
			}
			m, err := tx.Q.GetOutboxMessage(ctx, id)
			if err != nil {
				return fmt.Errorf("get message %d: %w", id, err)
			}
			m.Status = app.OutboxDelivering
			out = append(out, m)
		}
		return nil
	})
	return out, err
}

// Result is what one delivery attempt came to.
type Result struct {
	Status int    // the HTTP status of the decisive answer, 0 when none came
	Err    error  // nil: delivered
	Gone   bool   // 410: the receiver ended the subscription
	Note   string // said on the timeline when delivered, e.g. "already there"
	// Skipped: nothing was sent and nothing will be retried (the note says
	// why, e.g. a Shopify fulfillment order on hold); the message is done.
	Skipped bool
	// Final: retrying cannot help until someone changes the settings (e.g. a
	// WooCommerce base URL that is not https://): dead at once, retried by hand.
	Final bool
	// Ref is the channel's id for what it made (a refund's id), kept by the
	// sender's Answer when the message is done.
	Ref string
}

// deliver sends one claimed message and records what happened.
func (d *dispatcher) deliver(ctx context.Context, m store.OutboxMessage) {
	r := d.send(ctx, m)
	if err := d.record(ctx, m, r); err != nil {
		// The message stays delivering; it is due again when its lease runs out.
		d.a.Log().Error("outbox: record delivery", "message", m.ID, "err", err)
	}
}

// send performs one attempt, outside any transaction.
func (d *dispatcher) send(ctx context.Context, m store.OutboxMessage) (r Result) {
	defer func() {
		if p := recover(); p != nil {
			r = Result{Err: fmt.Errorf("delivery panicked: %v", p)}
		}
	}()
	switch m.Kind {
	case app.KindShopifyFulfillment, app.KindShopifyCancel, app.KindWooComplete, app.KindWooCancel,
		app.KindShopifyTracking, app.KindWooTrackingNote, app.KindShopifyRefund, app.KindWooRefund:
		return d.s.channels.Deliver(ctx, d.o.Client, m)
	case app.KindWebhook:
		return d.webhook(ctx, m)
	case app.KindAvailability:
		return d.availability(ctx, m)
	}
	return Result{Err: fmt.Errorf("unknown message kind %q", m.Kind)}
}

// record writes the result of one attempt in one transaction: the message's
// new state (delivered, retry later, dead) and the endpoint stopped on 410.
// A message about an order puts one line on its timeline when it is done:
// delivered (support may want to know the shop has the tracking) or dead
// (someone has to act). Failed attempts that will be retried write none:
// they are on the outbox page.
func (d *dispatcher) record(ctx context.Context, m store.OutboxMessage, r Result) error {
	return d.a.Write(ctx, func(tx app.Tx) error {
		attempts := m.Attempts + 1
		p := store.FinishOutboxMessageParams{ID: m.ID, Attempts: attempts, LastStatus: int64(r.Status), NextAttemptAt: m.NextAttemptAt}
		var line string
		switch {
		case r.Err == nil && r.Skipped:
			p.Status, p.DeliveredAt, p.LastError = app.OutboxDelivered, app.NullInt(app.Millis(tx.Now)), r.Note
			line = fmt.Sprintf("%s: %s", outboxLabel(m, false), r.Note)
		case r.Err == nil:
			p.Status, p.DeliveredAt, p.LastError = app.OutboxDelivered, app.NullInt(app.Millis(tx.Now)), r.Note // the outbox page shows it as the last answer's words
			line = fmt.Sprintf("%s, %s", outboxLabel(m, true), statusWords(r.Status, r.Note))
		case r.Gone:
			p.Status, p.LastError = app.OutboxDead, "410 Gone: the receiver ended the subscription"
			line = fmt.Sprintf("%s: %s; the subscription is stopped", outboxLabel(m, false), p.LastError)
			if err := d.stopSubscription(ctx, tx, m); err != nil {
				return err
			}
		case r.Final:
			p.Status, p.LastError = app.OutboxDead, r.Err.Error()
			line = fmt.Sprintf("%s: %s; not retried: it is in the dead letters, to retry once the channel's settings are fixed", outboxLabel(m, false), r.Err)
		case int(attempts) >= d.o.MaxAttempts:
			p.Status, p.LastError = app.OutboxDead, r.Err.Error()
			line = fmt.Sprintf("%s: %s; given up after %d attempts, it is in the outbox's dead letters", outboxLabel(m, false), r.Err, attempts)
		default:
			delay := d.o.Backoff(int(attempts))
			delay = time.Duration(float64(delay) * (0.8 + 0.4*d.o.Jitter()))
			next := tx.Now.Add(delay)
			p.Status, p.LastError, p.NextAttemptAt = app.OutboxPending, r.Err.Error(), app.Millis(next)
			// A retry is the outbox page's business, not the order's: no line.
		}
		if err := tx.Q.FinishOutboxMessage(ctx, p); err != nil {
			return fmt.Errorf("finish message: %w", err)
		}
		if err := d.answer(ctx, tx, m, r, p); err != nil {
			return err
		}
		if !m.OrderID.Valid || line == "" {
			return nil
		}
		return app.AppendEvent(ctx, tx, m.OrderID.Int64, app.System, app.NewEvent{Kind: "outbox_delivery", Message: line,
			Data: map[string]any{"message": m.ID, "kind": m.Kind, "attempt": attempts, "status": r.Status, "result": p.Status}})
	})
}

// answer lets a sender that implements Answerer record what a message that
// is done (delivered or dead) means, in the same transaction.
func (d *dispatcher) answer(ctx context.Context, tx app.Tx, m store.OutboxMessage, r Result, p store.FinishOutboxMessageParams) error {
	a, ok := d.s.channels.(Answerer)
	if !ok || p.Status == app.OutboxPending {
		return nil
	}
	why := p.LastError
	if p.Status == app.OutboxDead && r.Final {
		why = r.Err.Error()
	} else if p.Status == app.OutboxDead && !r.Gone {
		why = fmt.Sprintf("%s (given up after %d attempts)", r.Err, p.Attempts)
	}
	return a.Answer(ctx, tx, m, p.Status == app.OutboxDelivered, r.Ref, why)
}

// stopSubscription stops a generic endpoint that answered 410 and buries its
// other pending messages. A channel answering 410 is not switched off (that
// would stop its orders coming in): only the message is given up.
func (d *dispatcher) stopSubscription(ctx context.Context, tx app.Tx, m store.OutboxMessage) error {
	if !m.EndpointID.Valid {
		return nil
	}
	reason := "answered 410 Gone at " + tx.Now.Format(time.RFC3339)
	if err := tx.Q.DisableWebhookEndpoint(ctx, store.DisableWebhookEndpointParams{DisabledReason: reason, UpdatedAt: app.Millis(tx.Now), ID: m.EndpointID.Int64}); err != nil {
		return fmt.Errorf("disable endpoint: %w", err)
	}
	tx.WebhookEndpointsChanged()
	return tx.Q.KillEndpointOutbox(ctx, store.KillEndpointOutboxParams{Reason: "the endpoint " + reason, EndpointID: m.EndpointID})
}

// outboxLabel says what a message tells whom, for the timeline.
func outboxLabel(m store.OutboxMessage, ok bool) string {
	told := map[bool]string{true: "told", false: "not told"}[ok]
	switch m.Kind {
	case app.KindShopifyFulfillment:
		return "Shopify " + told + " of the shipment"
	case app.KindShopifyCancel:
		return "Shopify " + told + " of the cancellation"
	case app.KindWooComplete:
		return "WooCommerce " + told + " of the shipment"
	case app.KindWooCancel:
		return "WooCommerce " + told + " of the cancellation"
	case app.KindShopifyTracking:
		return "Shopify " + told + " of the corrected tracking"
	case app.KindWooTrackingNote:
		return "WooCommerce " + told + " of the corrected tracking"
	case app.KindShopifyRefund:
		return "Shopify " + map[bool]string{true: "made", false: "did not make"}[ok] + " the refund"
	case app.KindWooRefund:
		return "WooCommerce " + map[bool]string{true: "made", false: "did not make"}[ok] + " the refund"
	case app.KindWebhook:
		return "Webhook " + map[bool]string{true: "delivered", false: "not delivered"}[ok]
	}
	return "Availability " + map[bool]string{true: "sent", false: "not sent"}[ok]
}

// statusWords is "200 OK", or the note when the delivery needed no request.
func statusWords(code int, note string) string {
	s := fmt.Sprintf("%d %s", code, http.StatusText(code))
	if code == 0 {
		s = ""
	}
	switch {
	case note != "" && s != "":
		return s + " (" + note + ")"
	case note != "":
		return note
	}
	return s
}

// HTTPFailure turns a transport error or a non-2xx answer into a result.
func HTTPFailure(status int, err error) Result {
	switch {
	case err != nil:
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
			return Result{Err: fmt.Errorf("no answer in time (timeout)")}
		}
		return Result{Err: fmt.Errorf("could not connect: %v", err)}
	case status == http.StatusGone:
		return Result{Status: status, Gone: true, Err: errors.New("410 Gone")}
	case status < 200 || status > 299:
		return Result{Status: status, Err: fmt.Errorf("%d %s", status, http.StatusText(status))}
	}
	return Result{Status: status}
}

// Claim marks up to n due messages delivering without sending them, as a
// dispatcher stopped right after claiming leaves them: their lease brings
// them back (the restart test plays that crash with it).
func (s *Service) Claim(ctx context.Context, o DispatcherOptions, n int) ([]store.OutboxMessage, error) {
	return (&dispatcher{a: s.core, s: s, o: o.withDefaults()}).claim(ctx, n)
}

// Attempt is one delivery attempt of one message and what it came to.
type Attempt struct {
	Message store.OutboxMessage
	Result  Result
}

// AttemptDue claims up to n due messages and attempts each once, in turn,
// recording every result as the dispatcher does; it returns the attempts.
func (s *Service) AttemptDue(ctx context.Context, o DispatcherOptions, n int) ([]Attempt, error) {
	d := &dispatcher{a: s.core, s: s, o: o.withDefaults()}
	msgs, err := d.claim(ctx, n)
	if err != nil {
		return nil, err
	}
	out := make([]Attempt, 0, len(msgs))
	for _, m := range msgs {
		r := d.send(ctx, m)
		if err := d.record(ctx, m, r); err != nil {
			return out, err
		}
		out = append(out, Attempt{Message: m, Result: r})
	}
	return out, nil
}
