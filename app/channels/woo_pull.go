package channels

// The WooCommerce reconciliation pull. WooCommerce never sends a failed
// webhook again (and disables a webhook after 5 failures in a row), so
// Switchyard reads the orders changed since its last pull from the store's
// REST API and takes in what it missed, through the same deduplicated intake
// as webhooks.

import (
	"switchyard/app"

	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	store "switchyard/sql"
)

const (
	wooPullPageSize  = 100              // orders asked for per page (WooCommerce's largest)
	wooPullMaxPages  = 20               // pages read by one pull; the next pull goes on from there
	wooPullOverlap   = 2 * time.Minute  // read again before the watermark: changes saved late, equal timestamps
	wooPullFirstLook = 24 * time.Hour   // how far back the first pull of a channel reads
	wooPullTimeout   = 30 * time.Second // for each request to the store
	wooPullMaxBody   = 32 << 20         // bytes of one page of orders
	wooPullMaxRounds = 10               // pulls in a row by the puller while there is more to read
	wooPullTopic     = "reconciliation pull"
	wooPulledTopic   = "order (pulled)"
)

// WooPullInterval is how often serve pulls each WooCommerce channel by default.
const WooPullInterval = 5 * time.Minute

// wooGMTLayout is how WooCommerce writes its *_gmt times: UTC without an offset.
const wooGMTLayout = "2006-01-02T15:04:05"

// newWooPullClient reads the stores' REST APIs, with a timeout on every request.
func newWooPullClient() *http.Client {
	return &http.Client{Timeout: wooPullTimeout, Transport: &http.Transport{
		Proxy: http.ProxyFromEnvironment, DialContext: (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		TLSHandshakeTimeout: 10 * time.Second, ResponseHeaderTimeout: wooPullTimeout, IdleConnTimeout: 90 * time.Second,
	}}
}

// PullResult is what one reconciliation pull did.
type PullResult struct {
	Channel   string    `json:"channel"`
	Since     time.Time `json:"modified_after"` // orders changed after this were asked for
	Pages     int       `json:"pages"`
	Listed    int       `json:"listed"`     // orders the store listed
	TakenIn   int       `json:"taken_in"`   // new orders taken in
	Updated   int       `json:"updated"`    // orders taken in before, now cancelled or given a new address
	AlreadyIn int       `json:"already_in"` // already received (by webhook or an earlier pull): nothing to do
	Refused   int       `json:"refused"`    // not valid orders: recorded, not taken in
	Orders    []string  `json:"orders"`     // the numbers of the orders taken in or updated
	Watermark time.Time `json:"watermark"`  // the latest change read: the next pull starts there
	More      bool      `json:"more"`       // the page limit was reached: the next pull goes on
	Result    string    `json:"result"`     // in words, as the channel's deliveries list shows it
}

// WooPullStatus is how far a channel's orders have been read, for its settings page.
type WooPullStatus struct {
	Watermark time.Time // the latest change read (the store's clock); zero before the first pull
	PulledAt  time.Time // when a pull last succeeded; zero before the first
}

// PullWooOrders reads the orders of WooCommerce channel code changed since its
// last pull and takes in what webhooks missed: new orders, and changes to
// orders taken in before, each deduplicated like a webhook delivery. The pull
// is recorded in the channel's deliveries. When the store cannot be read the
// answer is an Upstream error and nothing is taken in.
func (a *Service) PullWooOrders(ctx context.Context, actor app.Actor, code string) (PullResult, error) {
	if err := actor.Require(app.RoleAdmin); err != nil {
		return PullResult{}, err
	}
	if !actor.Reach().Allows(code) {
		return PullResult{}, app.NotFound("no channel %q", code) // as if unknown: no probing of channel codes
	}
	ch, err := a.wooPullChannel(ctx, code)
	if err != nil {
		return PullResult{}, err
	}
	key := ch.ID
	if _, busy := a.pulls.LoadOrStore(key, struct{}{}); busy {
		return PullResult{}, app.Conflict("channel %q is being pulled already: try again in a moment", code)
	}
	defer a.pulls.Delete(key)
	p, err := a.newWooPull(ctx, actor, ch)
	if err != nil {
		return PullResult{}, err
	}
	return p.recorded(ctx)
}

// wooPullChannel reads channel code and checks that it can be pulled.
func (a *Service) wooPullChannel(ctx context.Context, code string) (store.Channel, error) {
	ch, err := a.core.Read().GetChannelByCode(ctx, code)
	switch {
	case store.IsNoRows(err):
		return ch, app.NotFound("no channel %q", code)
	case err != nil:
		return ch, fmt.Errorf("get channel %s: %w", code, err)
	case ch.Kind != "woocommerce":
		return ch, app.Conflict("channel %q is a %s channel: only WooCommerce channels are pulled", code, ch.Kind)
	case ch.Active == 0:
		return ch, app.Conflict("channel %q is inactive", code)
	case strings.TrimSpace(ch.CallbackBaseUrl) == "":
		return ch, app.Conflict("channel %q has no base URL: set the store's address on its settings page", code)
	case strings.TrimSpace(ch.CallbackToken) == "":
		return ch, app.Conflict("channel %q has no REST API credentials: set its token (consumer key:consumer secret) on its settings page", code)
	case app.WooHTTPSProblem(ch.CallbackBaseUrl) != "":
		return ch, app.Conflict("channel %q has the base URL %s, which %s: set an https:// address on its settings page", code, ch.CallbackBaseUrl, app.WooHTTPSProblem(ch.CallbackBaseUrl))
	}
	return ch, nil
}

// WooPullState says how far channel code's orders have been read.
func (a *Service) WooPullState(ctx context.Context, code string) (WooPullStatus, error) {
	ch, err := a.core.Read().GetChannelByCode(ctx, code)
	if store.IsNoRows(err) {
		return WooPullStatus{}, app.NotFound("no channel %q", code)
	} else if err != nil {
		return WooPullStatus{}, fmt.Errorf("get channel %s: %w", code, err)
	}
	row, err := a.core.Read().GetWooPull(ctx, ch.ID)
	if store.IsNoRows(err) {
		return WooPullStatus{}, nil
	} else if err != nil {
		return WooPullStatus{}, fmt.Errorf("get pull state of %s: %w", code, err)
	}
	return WooPullStatus{Watermark: app.FromMillis(row.Watermark), PulledAt: app.FromMillis(row.PulledAt)}, nil
}

// RunWooPuller pulls every active WooCommerce channel that has a base URL and
// credentials, at once and then every interval, until ctx ends. A failed pull
// is recorded in the channel's deliveries and logged; the next one tries again.
func (a *Service) RunWooPuller(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		return fmt.Errorf("woocommerce puller: the interval must be positive, not %s", interval)
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		a.pullWooChannels(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// pullWooChannels pulls each channel the puller reads, again while a pull
// stopped at its page limit.
func (a *Service) pullWooChannels(ctx context.Context) {
	codes, err := a.core.Read().ListWooPullChannels(ctx)
	if err != nil {
		if ctx.Err() == nil {
			a.core.Log().Error("woocommerce pull: list channels", "err", err)
		}
		return
	}
	for _, code := range codes {
		for round := 0; round < wooPullMaxRounds && ctx.Err() == nil; round++ {
			res, err := a.PullWooOrders(ctx, app.System, code)
			a.logPull(ctx, code, res, err)
			if err != nil || !res.More {
				break
			}
		}
	}
}

// logPull logs a periodic pull that failed or took something in.
func (a *Service) logPull(ctx context.Context, code string, res PullResult, err error) {
	switch {
	case err != nil && ctx.Err() != nil:
		// stopping: the pull is recorded as cut short, nothing to report
	case app.ErrorKind(err) == app.KindConflict:
		a.core.Log().Info("woocommerce pull skipped", "channel", code, "reason", err)
	case err != nil:
		a.core.Log().Warn("woocommerce pull failed", "channel", code, "err", err)
	case res.TakenIn+res.Updated > 0:
		a.core.Log().Info("woocommerce pull took in missed changes", "channel", code, "taken_in", res.TakenIn,
			"updated", res.Updated, "orders", strings.Join(res.Orders, " "))
	}
}

// wooPull is one pull of one channel under way.
type wooPull struct {
	a      *Service
	actor  app.Actor
	ch     store.Channel
	source string    // the pull's own delivery id: pull:<start>:<random>
	mark   time.Time // the watermark so far: the latest change read
	res    PullResult
}

// newWooPull starts a pull of ch where the last one ended, a little before.
func (a *Service) newWooPull(ctx context.Context, actor app.Actor, ch store.Channel) (*wooPull, error) {
	now := a.core.Now()
	p := &wooPull{a: a, actor: actor, ch: ch, source: pullSource(now),
		mark: now.Add(-wooPullFirstLook), res: PullResult{Channel: ch.Code, Orders: []string{}}}
	row, err := a.core.Read().GetWooPull(ctx, ch.ID)
	switch {
	case store.IsNoRows(err):
		p.res.Since = p.mark
	case err != nil:
		return nil, fmt.Errorf("get pull state of %s: %w", ch.Code, err)
	default:
		p.mark = app.FromMillis(row.Watermark)
		p.res.Since = p.mark.Add(-wooPullOverlap)
	}
	return p, nil
}

// pullSource names one pull among the channel's deliveries.
func pullSource(now time.Time) string {
	b := make([]byte, 4)
	rand.Read(b)
	return "pull:" + now.Format(time.RFC3339Nano) + ":" + hex.EncodeToString(b)
}

// recorded runs the pull as one of the channel's deliveries: recorded as
// under way, then with its counts or its error.
func (p *wooPull) recorded(ctx context.Context) (PullResult, error) {
	claim, _, err := p.a.claimDelivery(ctx, p.ch.ID, delivery{sourceID: p.source, topic: wooPullTopic})
	if err != nil {
		return PullResult{}, err
	}
	res, err := p.run(ctx)
	if err != nil {
		p.a.finishDelivery(ctx, claim, "error: "+err.Error(), 0)
		return res, err
	}
	p.a.finishDelivery(ctx, claim, res.Result, 0)
	return res, nil
}

// run reads every page, takes each order in, and stores the new watermark.
func (p *wooPull) run(ctx context.Context) (PullResult, error) {
	orders, err := p.fetch(ctx)
	if err != nil {
		return p.res, err
	}
	for _, raw := range orders {
		if err := p.take(ctx, raw); err != nil {
			return p.res, err
		}
	}
	err = p.a.core.Write(ctx, func(tx app.Tx) error {
		return tx.Q.SaveWooPull(ctx, store.SaveWooPullParams{ChannelID: p.ch.ID, Watermark: app.Millis(p.mark), PulledAt: app.Millis(tx.Now)})
	})
	if err != nil {
		return p.res, fmt.Errorf("save pull state of %s: %w", p.ch.Code, err)
	}
	p.res.Watermark = p.mark
	p.res.Result = p.res.words()
	return p.res, nil
}

// fetch reads the pages of orders changed since the watermark, oldest change
// first, until a short or empty page, the last page the store counts, or the
// page limit. Nothing is taken in before every page is read.
func (p *wooPull) fetch(ctx context.Context) ([]json.RawMessage, error) {
	var all []json.RawMessage
	for page := 1; ; page++ {
		orders, pages, err := p.page(ctx, page)
		if err != nil {
			return nil, err
		}
		all = append(all, orders...)
		p.res.Pages = page
		switch {
		case len(orders) == 0, pages > 0 && page >= pages, pages == 0 && len(orders) < wooPullPageSize:
			return all, nil
		case page >= wooPullMaxPages:
			p.res.More = true
			return all, nil
		}
	}
}

// page reads one page of orders, and how many pages the store counts (0 when
// it did not say).
func (p *wooPull) page(ctx context.Context, n int) ([]json.RawMessage, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.pageURL(n), nil)
	if err != nil {
		return nil, 0, app.Upstream("the base URL of channel %q is not usable: %v", p.ch.Code, err)
	}
	hdr, err := wooHeaders(p.ch)
	if err != nil {
		return nil, 0, app.Conflict("%v", err)
	}
	req.Header = hdr
	req.Header.Del("Content-Type")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "Switchyard-Pull/1")
	resp, err := p.a.wooClient.Do(req)
	if err != nil {
		return nil, 0, unreachable(p.ch.CallbackBaseUrl, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, wooPullMaxBody+1))
	switch {
	case err != nil:
		return nil, 0, unreachable(p.ch.CallbackBaseUrl, err)
	case len(body) > wooPullMaxBody:
		return nil, 0, app.Upstream("WooCommerce's page %d of orders is larger than %d MiB", n, wooPullMaxBody>>20)
	case resp.StatusCode != http.StatusOK:
		return nil, 0, wooRefusal(n, resp.StatusCode, body)
	}
	var orders []json.RawMessage
	if err := json.Unmarshal(body, &orders); err != nil {
		return nil, 0, app.Upstream("WooCommerce's answer for page %d is not a list of orders: %v", n, err)
	}
	pages, _ := strconv.Atoi(strings.TrimSpace(resp.Header.Get("X-WP-TotalPages")))
	return orders, pages, nil
}

// pageURL asks for page n of the orders changed after the pull's start, oldest change first.
func (p *wooPull) pageURL(n int) string {
	q := url.Values{
		"modified_after": {p.res.Since.UTC().Format(time.RFC3339)}, "dates_are_gmt": {"true"},
		"per_page": {strconv.Itoa(wooPullPageSize)}, "page": {strconv.Itoa(n)}, "orderby": {"modified"}, "order": {"asc"},
	}
	return strings.TrimRight(strings.TrimSpace(p.ch.CallbackBaseUrl), "/") + "/wp-json/wc/v3/orders?" + q.Encode()
}

// unreachable says that the store could not be read at all.
func unreachable(base string, err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		return app.Upstream("WooCommerce at %s did not answer within %s", base, wooPullTimeout)
	}
	return app.Upstream("could not read WooCommerce at %s: %v", base, err)
}

// wooRefusal says what a store's non-200 answer means, with WooCommerce's own message.
func wooRefusal(page, status int, body []byte) error {
	var e struct {
		Message string `json:"message"`
	}
	msg := ""
	if json.Unmarshal(body, &e) == nil && strings.TrimSpace(e.Message) != "" {
		msg = " (" + app.Quote(clipText(strings.TrimSpace(e.Message), 200)) + ")"
	}
	st := fmt.Sprintf("%d %s", status, http.StatusText(status))
	if status == http.StatusUnauthorized || status == http.StatusForbidden {
		return app.Upstream("WooCommerce refused the channel's credentials: %s%s; check the token (consumer key:consumer secret with read access)", st, msg)
	}
	return app.Upstream("WooCommerce answered %s for page %d of orders%s", st, page, msg)
}

// take takes one listed order in, unless its state was received before.
func (p *wooPull) take(ctx context.Context, raw json.RawMessage) error {
	p.res.Listed++
	modified := wooModified(raw)
	if modified.After(p.mark) {
		p.mark = modified
	}
	co, decodeErr := WooChannelOrder(p.ch.Code, raw)
	if decodeErr != nil {
		co = nil
	}
	if co != nil && !co.Modified.IsZero() {
		seen, err := p.a.core.Read().SeenChannelOrderState(ctx, store.SeenChannelOrderStateParams{
			ChannelID: p.ch.ID, ExternalID: co.Order.ExternalID, ChannelModified: app.NullTime(co.Modified),
		})
		if err != nil {
			return fmt.Errorf("look up deliveries of order %s: %w", co.Order.ExternalID, err)
		}
		if seen {
			p.res.AlreadyIn++
			return nil
		}
	}
	d := delivery{sourceID: pulledSource(co, raw), topic: wooPulledTopic, order: co, decodeErr: decodeErr}
	t, err := p.a.takeDelivery(ctx, p.ch, d)
	if err != nil {
		return fmt.Errorf("take in pulled order: %w", err)
	}
	return p.count(ctx, t)
}

// wooModified reads when WooCommerce last changed an order (zero when unsaid).
func wooModified(raw json.RawMessage) time.Time {
	var o struct {
		Modified string `json:"date_modified_gmt"`
	}
	if json.Unmarshal(raw, &o) != nil {
		return time.Time{}
	}
	t, err := time.ParseInLocation(wooGMTLayout, strings.TrimSpace(o.Modified), time.UTC)
	if err != nil {
		return time.Time{}
	}
	return t
}

// pulledSource names the state of a pulled order: its id and when it was
// changed, or its content when it cannot be mapped.
func pulledSource(co *ChannelOrder, raw json.RawMessage) string {
	if co != nil && !co.Modified.IsZero() {
		return "pull:order:" + co.Order.ExternalID + ":" + co.Modified.UTC().Format(wooGMTLayout)
	}
	sum := sha256.Sum256(raw)
	return "pull:sha256:" + hex.EncodeToString(sum[:])
}

// count adds what taking one order in did to the result, and notes on the
// order's timeline that the pull took it in or changed it.
func (p *wooPull) count(ctx context.Context, t taken) error {
	switch {
	case t.created:
		p.res.TakenIn++
	case t.changed:
		p.res.Updated++
	case strings.HasPrefix(t.Result, "refused") || strings.HasPrefix(t.Result, "ignored"):
		p.res.Refused++
		return nil
	default:
		p.res.AlreadyIn++
		return nil
	}
	p.res.Orders = append(p.res.Orders, t.Order)
	msg := "Taken in from WooCommerce by the reconciliation pull (the webhook was missed)."
	if !t.created {
		msg = "Change in WooCommerce taken in by the reconciliation pull (the webhook was missed): " + t.Result + "."
	}
	err := p.a.core.Write(ctx, func(tx app.Tx) error {
		return app.AppendEvent(ctx, tx, t.orderID, p.actor, app.NewEvent{Kind: "pulled", Message: msg,
			Data: map[string]any{"channel": p.ch.Code, "pull": p.source}})
	})
	if err != nil {
		return fmt.Errorf("note the pull on order %s: %w", t.Order, err)
	}
	return nil
}

// words says what a pull did, for the deliveries list and the notice.
func (r PullResult) words() string {
	since := r.Since.UTC().Format("2 Jan 2006 15:04 UTC")
	if r.Listed == 0 {
		return "no order changed since " + since
	}
	s := fmt.Sprintf("%d order%s changed since %s: %d taken in, %d updated, %d already in", r.Listed, app.Plural(r.Listed),
		since, r.TakenIn, r.Updated, r.AlreadyIn)
	if r.Refused > 0 {
		s += fmt.Sprintf(", %d refused", r.Refused)
	}
	if r.More {
		s += "; more to read: the next pull goes on"
	}
	return s
}
