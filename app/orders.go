package app

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"switchyard/app/metrics"
	"switchyard/app/money"
	"switchyard/app/routing"
	store "switchyard/sql"
)

// NewOrder is an order as a channel, the API, the manual form or a CSV file sends it.
type NewOrder struct {
	Channel         string         `json:"channel"`
	ExternalID      string         `json:"external_id"`
	ChannelRef      string         `json:"channel_ref"` // the channel's human name for it, e.g. #1001
	PlacedAt        *time.Time     `json:"placed_at"`
	Currency        string         `json:"currency"`
	Customer        CustomerInput  `json:"customer"`
	ShippingAddress *AddressInput  `json:"shipping_address"`
	Delivery        DeliveryInput  `json:"delivery"`
	Lines           []LineInput    `json:"lines"`
	ShippingPrice   money.Decimal  `json:"shipping_price"`
	Tags            []string       `json:"tags"`
	Note            string         `json:"note" text:"lines"`
	Test            bool           `json:"test"`
	Hold            *HoldInput     `json:"-"` // set by channel adapters that must hold the order at intake
	Cancelled       *CancelInput   `json:"-"` // set by channel adapters for an order the channel already cancelled
	Idempotency     *IdempotencyIn `json:"-"` // set by the API for requests with an Idempotency-Key
	Cleaned         []string       `json:"-"` // fields a channel sent with characters that are not text, removed at intake
	Shortened       []string       `json:"-"` // fields a channel sent longer than intake keeps, cut at intake
}

// CustomerInput is who placed the order.
type CustomerInput struct {
	Email string `json:"email"`
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// AddressInput is where an order ships to.
type AddressInput struct {
	Name       string   `json:"name"`
	Line1      string   `json:"line1"`
	Line2      string   `json:"line2"`
	City       string   `json:"city"`
	Region     string   `json:"region"`
	PostalCode string   `json:"postal_code"`
	Country    string   `json:"country"`
	Phone      string   `json:"phone"`
	Lat        *float64 `json:"lat"`
	Lon        *float64 `json:"lon"`
}

// DeliveryInput is how the customer gets the order: shipped, or picked up at a location.
type DeliveryInput struct {
	Method   string `json:"method"`
	Location string `json:"location"`
}

// LineInput is one line of a new order.
type LineInput struct {
	ExternalID string        `json:"external_id"`
	SKU        string        `json:"sku"`
	Name       string        `json:"name"`
	Quantity   int64         `json:"quantity"`
	UnitPrice  money.Decimal `json:"unit_price"`
}

// HoldInput puts an order on hold, with a reason and words for people.
type HoldInput struct {
	Reason string `json:"reason"`
	Note   string `json:"note" text:"lines"`
}

// IdempotencyIn is an API request's Idempotency-Key and the hash of its body.
type IdempotencyIn struct {
	APIKeyID int64
	Key      string
	Hash     []byte
}

// PlaceOrder takes an order in: it validates it, and in one write transaction
// deduplicates it by (channel, external id), stores it with its lines and tags,
// writes its first timeline entry and routes it. It reports whether the order
// is new; an order already taken in is returned unchanged.
func (a *App) PlaceOrder(ctx context.Context, actor Actor, in NewOrder) (Order, bool, error) {
	v, err := CheckNewOrder(&in, a.Now())
	if err != nil {
		return Order{}, false, a.withStoredProblems(ctx, actor, in, err)
	}
	p, err := a.place(ctx, actor, in, v, a.Preplan(ctx, actor, in, v))
	if err != nil {
		return a.resolvePlaced(ctx, in, err)
	}
	if p.order != nil {
		return p.result(), p.Created, nil
	}
	o, err := a.OrderByID(ctx, p.ID)
	return o, p.Created, err
}

// place runs placeOrder in a write transaction (see writePlanned).
func (a *App) place(ctx context.Context, actor Actor, in NewOrder, v ValidOrder, plan *IntakePlan) (*Placed, error) {
	var p *Placed
	err := a.WritePlanned(ctx, plan, func(tx Tx, plan *IntakePlan) error {
		var err error
		p, err = PlaceOrderInTx(ctx, tx, actor, in, v, plan)
		return err
	})
	return p, err
}

// WritePlanned runs fn with plan in a write transaction. When the stock or
// capacity moved under the plan (errStalePlan), that transaction is rolled
// back and fn runs again in a new one without the plan, deciding on what the
// transaction sees.
func (a *App) WritePlanned(ctx context.Context, plan *IntakePlan, fn func(tx Tx, plan *IntakePlan) error) error {
	err := a.Write(ctx, func(tx Tx) error { return fn(tx, plan) })
	if errors.Is(err, errStalePlan) {
		err = a.Write(ctx, func(tx Tx) error { return fn(tx, nil) })
	}
	return err
}

// IntakePlan is what preplan found out before the write transaction: the
// order's channel, SKUs and pickup location, and where it would ship.
type IntakePlan struct {
	r     ResolvedOrder
	route *routePlan
}

// Preplan resolves a new order and decides where it would ship on a snapshot
// of the network, before its write transaction, so that the writer only
// writes it. It returns nil when it cannot (the transaction then does it all).
func (a *App) Preplan(ctx context.Context, actor Actor, in NewOrder, v ValidOrder) *IntakePlan {
	if in.Hold != nil || in.Cancelled != nil {
		return nil
	}
	select { // one of the planning slots (see planningSlots)
	case a.planSlots <- struct{}{}:
		defer func() { <-a.planSlots }()
	case <-ctx.Done():
		return nil
	}
	var plan *IntakePlan
	err := a.db.Snapshot(ctx, func(q *store.Queries) error {
		r, err := ResolveOrder(ctx, Tx{Q: q, Now: a.Now()}, actor, in)
		if err != nil {
			return err
		}
		view, err := a.cache.view(ctx, q)
		if err != nil {
			return err
		}
		f := routeFacts{channel: r.channel.Code, channelName: r.channel.Name, tags: in.Tags, value: v.subtotal, cur: v.currency,
			delivery: in.Delivery.Method, pickup: in.Delivery.Location, skus: r.skus}
		if sa := in.ShippingAddress; sa != nil {
			f.country, f.region, f.postal, f.lat, f.lon = sa.Country, sa.Region, sa.PostalCode, sa.Lat, sa.Lon
		}
		for i, l := range in.Lines {
			f.lines = append(f.lines, routeLine{no: int64(i + 1), sku: l.SKU, quantity: l.Quantity})
		}
		route, err := planRoute(ctx, view, f, a.Now(), nil)
		if err != nil {
			return err
		}
		plan = &IntakePlan{r: r, route: route}
		return route.encode()
	})
	if err != nil {
		return nil
	}
	return plan
}

// CheckOrder finds every problem of a new order at once, its fields and what
// the database would refuse (unknown channel, SKUs or pickup location),
// writing nothing: for a form that found problems of its own first.
func (a *App) CheckOrder(ctx context.Context, actor Actor, in NewOrder) error {
	if _, err := CheckNewOrder(&in, a.Now()); err != nil {
		return a.withStoredProblems(ctx, actor, in, err)
	}
	_, err := ResolveOrder(ctx, Tx{Q: a.Read(), Now: a.Now()}, actor, in)
	return err
}

// withStoredProblems adds to an Invalid error what the database would also
// refuse (unknown channel, SKUs or pickup location), so that every problem of
// an order is named at once.
func (a *App) withStoredProblems(ctx context.Context, actor Actor, in NewOrder, err error) error {
	ae, ok := AsError(err)
	if !ok || ae.Kind != KindInvalid {
		return err
	}
	_, rerr := ResolveOrder(ctx, Tx{Q: a.Read(), Now: a.Now()}, actor, in)
	MergeFields(FieldsError(ae.Fields), rerr)
	return ae
}

// placeOrder is PlaceOrder inside its transaction: the order is stored and,
// unless it is held, routed with its stock reserved. A plan made before the
// transaction is written as it is (see placePlanned); without one the
// transaction resolves the order and decides on what it sees. p.created is
// false when the order was already there.
func PlaceOrderInTx(ctx context.Context, tx Tx, actor Actor, in NewOrder, v ValidOrder, plan *IntakePlan) (*Placed, error) {
	var r ResolvedOrder
	var err error
	if plan != nil {
		r = plan.r
	} else if r, err = ResolveOrder(ctx, tx, actor, in); err != nil {
		return nil, err
	}
	if id, err := tx.Q.GetOrderIDByExternal(ctx, store.GetOrderIDByExternalParams{ChannelID: r.channel.ID, ExternalID: in.ExternalID}); err == nil {
		return &Placed{ID: id}, rememberIdempotency(ctx, tx, in.Idempotency, 200, id)
	} else if !store.IsNoRows(err) {
		return nil, fmt.Errorf("look up order: %w", err)
	}
	var p *Placed
	if plan != nil && in.Hold == nil && in.Cancelled == nil {
		p, err = placePlanned(ctx, tx, actor, in, v, r, plan.route)
	} else {
		p, err = placeUnplanned(ctx, tx, actor, in, v, r)
	}
	if err != nil {
		return nil, err
	}
	if err := takePreorders(ctx, tx, r.channel, p); err != nil {
		return nil, err
	}
	p.Created = true
	if fired, err := automateIntake(ctx, tx, p.ID); err != nil {
		return nil, err
	} else if fired {
		p.order = nil // the rules changed it: read it back
		if p.Row, err = tx.Q.GetOrder(ctx, p.ID); err != nil {
			return nil, fmt.Errorf("get order: %w", err)
		}
	}
	channel, source := in.Channel, orderSource(actor)
	tx.OnCommit(func(m *metrics.Metrics) { m.OrderTaken(channel, source) })
	return p, rememberIdempotency(ctx, tx, in.Idempotency, 201, p.ID)
}

// placeUnplanned stores an order as received (or held) and routes it on what
// the transaction sees.
func placeUnplanned(ctx context.Context, tx Tx, actor Actor, in NewOrder, v ValidOrder, r ResolvedOrder) (*Placed, error) {
	o, lines, err := insertOrder(ctx, tx, in, v, r, nil, nil)
	if err != nil {
		return nil, err
	}
	if err := AppendEvent(ctx, tx, o.ID, actor, receivedEvent(in, v, r)); err != nil {
		return nil, err
	}
	for _, ev := range intakeTextEvents(in) {
		if err := AppendEvent(ctx, tx, o.ID, System, ev); err != nil {
			return nil, err
		}
	}
	if in.Hold != nil {
		if err := AppendEvent(ctx, tx, o.ID, System, holdEvent(*in.Hold)); err != nil {
			return nil, err
		}
	}
	switch {
	case in.Cancelled != nil:
		err = cancelAtIntake(ctx, tx, actor, o, lines, in.Cancelled.Reason)
	case in.Hold == nil:
		err = routeLoaded(ctx, tx, o, lines, r.channel, TriggerIntake, System, nil, true)
	}
	if err != nil {
		return nil, err
	}
	row, err := tx.Q.GetOrder(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("get order: %w", err)
	}
	return &Placed{ID: o.ID, Row: row}, nil
}

// cancelAtIntake cancels an order taken in as the channel already shows it:
// cancelled. Nothing is routed or reserved, and the channel is not told of a
// cancellation it made.
func cancelAtIntake(ctx context.Context, tx Tx, actor Actor, o store.Order, lines []store.OrderLine, reason string) error {
	cuts, err := planCancel(lines, nil)
	if err != nil {
		return err
	}
	if err := applyCancel(ctx, tx, o, lines, cuts); err != nil {
		return err
	}
	if err := setFlags(ctx, tx, o, o.OnHold, o.HoldReason, 1); err != nil {
		return err
	}
	if err := enqueueCancel(ctx, tx, actor, o.ID, reason); err != nil {
		return err
	}
	if err := AppendEvent(ctx, tx, o.ID, actor, cancelEvent(lines, cuts, reason, true)); err != nil {
		return err
	}
	return refreshStatus(ctx, tx, o.ID)
}

// insertOrder writes the order row, its lines and its tags, and returns the
// rows as stored. With a decision d (made for it before it existed), the
// order is stored with the status, hold and promise that d gives it, and its
// lines with what d reserves and backorders (locIDs: location ids by code).
func insertOrder(ctx context.Context, tx Tx, in NewOrder, v ValidOrder, r ResolvedOrder, d *routing.Decision,
	locIDs map[string]int64) (store.Order, []store.OrderLine, error) {
	p := store.InsertOrderParams{
		ChannelID: r.channel.ID, ExternalID: in.ExternalID, ChannelRef: in.ChannelRef, PlacedAt: Millis(v.placedAt),
		Currency: v.currency.Code, CustomerEmail: in.Customer.Email, CustomerName: in.Customer.Name,
		CustomerPhone: in.Customer.Phone, Delivery: in.Delivery.Method, PickupLocationID: r.pickupID,
		Subtotal: v.subtotal, ShippingPrice: v.shipping, Total: v.total, Tags: joinTags(in.Tags), Note: in.Note,
		Test: BoolInt(in.Test), TrackingToken: NewTrackingToken(tx.Now), CreatedAt: Millis(tx.Now),
	}
	if sa := in.ShippingAddress; sa != nil {
		p.ShipName, p.ShipLine1, p.ShipLine2, p.ShipCity = sa.Name, sa.Line1, sa.Line2, sa.City
		p.ShipRegion, p.ShipPostalCode, p.ShipCountry, p.ShipPhone = sa.Region, sa.PostalCode, sa.Country, sa.Phone
		p.ShipLat, p.ShipLon = nullFloat(sa.Lat), nullFloat(sa.Lon)
	}
	lines := make([]store.OrderLine, len(in.Lines))
	for i, l := range in.Lines {
		lines[i] = store.OrderLine{LineNo: int64(i + 1), ExternalID: l.ExternalID, SkuID: r.skuIDs[i], Sku: l.SKU,
			Name: l.Name, Quantity: l.Quantity, UnitPrice: v.unitPrices[i]}
	}
	switch {
	case in.Hold != nil:
		p.OnHold, p.HoldReason = 1, in.Hold.Reason
		p.Status = string(deriveStatus(freshFacts(store.Order{OnHold: 1}, lines, routing.Decision{})))
	case d != nil:
		if d.Hold {
			p.OnHold, p.HoldReason = 1, HoldStockReview
		}
		routeLines(lines, *d, locIDs)
		p.Status = string(deriveStatus(freshFacts(store.Order{OnHold: p.OnHold}, lines, *d)))
		p.PromisedShipBy, p.PromisedDeliveryBy = NullTime(d.PromiseShipBy), NullTime(d.PromiseDeliverBy)
	default:
		p.Status = string(deriveStatus(freshFacts(store.Order{}, lines, routing.Decision{})))
	}
	row, err := tx.Q.InsertOrder(ctx, p)
	if err != nil {
		return row, nil, fmt.Errorf("insert order: %w", err)
	}
	for i := range lines {
		l := &lines[i]
		l.OrderID = row.ID
		l.ID, err = tx.Q.InsertOrderLine(ctx, store.InsertOrderLineParams{
			OrderID: row.ID, LineNo: l.LineNo, ExternalID: l.ExternalID, SkuID: l.SkuID, Sku: l.Sku,
			Name: l.Name, Quantity: l.Quantity, UnitPrice: l.UnitPrice,
			Reserved: l.Reserved, Backordered: l.Backordered, BackorderLocationID: l.BackorderLocationID,
		})
		if err != nil {
			return row, nil, fmt.Errorf("insert order line %d: %w", i+1, err)
		}
	}
	for _, tag := range in.Tags {
		if err := tx.Q.InsertOrderTag(ctx, store.InsertOrderTagParams{Tag: tag, PlacedAt: Millis(v.placedAt), OrderID: row.ID}); err != nil {
			return row, nil, fmt.Errorf("insert order tag: %w", err)
		}
	}
	return row, lines, nil
}

// routeLines sets on fresh lines what decision d reserves and backorders.
func routeLines(lines []store.OrderLine, d routing.Decision, locIDs map[string]int64) {
	byNo := make(map[int64]*store.OrderLine, len(lines))
	for i := range lines {
		byNo[lines[i].LineNo] = &lines[i]
	}
	for no, n := range ReservedByLine(d) { // a split kit's lines count once
		byNo[no].Reserved += n
	}
	for _, b := range d.Backorders {
		l := byNo[b.LineID]
		l.Backordered += b.Quantity
		if b.Location != "" {
			l.BackorderLocationID = sql.NullInt64{Int64: locIDs[b.Location], Valid: true}
		}
	}
}

// receivedEvent is the first timeline entry of an order.
func receivedEvent(in NewOrder, v ValidOrder, r ResolvedOrder) NewEvent {
	items := int64(0)
	for _, l := range in.Lines {
		items += l.Quantity
	}
	ref := in.ExternalID
	if in.ChannelRef != "" {
		ref = in.ChannelRef
	}
	msg := fmt.Sprintf("Order received from %s as %s: %d item%s, %s %s.", channelWords(r.channel), ref, items,
		Plural(int(items)), v.currency.Code, money.Format(v.total, v.currency))
	if in.Delivery.Method == "pickup" {
		msg += " To be picked up at " + r.pickupName + "."
	}
	return NewEvent{Kind: "received", Message: msg, Customer: true,
		Data: map[string]any{"channel": in.Channel, "channel_kind": r.channel.Kind, "external_id": in.ExternalID, "lines": len(in.Lines), "test": in.Test}}
}

// channelWords names a channel with the platform it runs on, when that is a
// store platform its name does not already mention: "Snowboard shop (Shopify)".
func channelWords(ch store.Channel) string {
	platform := map[string]string{"shopify": "Shopify", "woocommerce": "WooCommerce"}[ch.Kind]
	if platform == "" || strings.Contains(strings.ToLower(ch.Name), ch.Kind) {
		return ch.Name
	}
	return ch.Name + " (" + platform + ")"
}

// rememberIdempotency stores an API request's Idempotency-Key with its answer.
func rememberIdempotency(ctx context.Context, tx Tx, idem *IdempotencyIn, status, orderID int64) error {
	if idem == nil {
		return nil
	}
	if err := tx.Q.PruneIdempotencyKeys(ctx, Millis(tx.Now.Add(-IdempotencyKeep))); err != nil {
		return fmt.Errorf("prune idempotency keys: %w", err)
	}
	err := tx.Q.InsertIdempotencyKey(ctx, store.InsertIdempotencyKeyParams{
		ApiKeyID: idem.APIKeyID, Key: idem.Key, RequestHash: idem.Hash, StatusCode: status, OrderID: orderID, CreatedAt: Millis(tx.Now),
	})
	if store.IsUniqueViolation(err) {
		return Conflict("a request with this Idempotency-Key was answered meanwhile: send it again to get that answer")
	}
	if err != nil {
		return fmt.Errorf("store idempotency key: %w", err)
	}
	return nil
}

// The lengths of tracking tokens: NewTrackingToken's, and the 128 random bits alone
// of the tokens issued before it put the time in front.
const (
	TrackingTokenLen    = 44
	OldTrackingTokenLen = 32
)

// NewTrackingToken returns a tracking link's token: the time in milliseconds (12 hex
// digits), then 128 random bits in hex. The randomness makes it unguessable;
// the time in front makes new tokens sort after the ones before, so that each
// lands at the end of the tokens' unique index, on a page the commits before
// have already written, not on a page of its own anywhere in the index.
func NewTrackingToken(now time.Time) string {
	b := make([]byte, 6+16)
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixMilli())<<16) // the low 48 bits, first
	if _, err := rand.Read(b[6:]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b)
}

// pendingKeys remembers the Idempotency-Keys whose first request is still
// being answered, so that a second request with the same key is told to wait.
// One process owns the database file, so memory is the right place for it.
type pendingKeys struct {
	mu   sync.Mutex
	keys map[pendingKey]struct{}
}

// pendingKey names a key: keys are per API key.
type pendingKey struct {
	apiKey int64
	key    string
}

// newPendingKeys returns an empty set.
func newPendingKeys() *pendingKeys { return &pendingKeys{keys: map[pendingKey]struct{}{}} }

// BeginIdempotent marks idem's key as in flight and returns the function that
// ends that; a key already in flight is a Conflict (409).
func (a *App) BeginIdempotent(idem IdempotencyIn) (func(), error) {
	k := pendingKey{apiKey: idem.APIKeyID, key: idem.Key}
	p := a.pending
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, busy := p.keys[k]; busy {
		return nil, Conflict("a request with this Idempotency-Key is still being processed: retry in a moment")
	}
	p.keys[k] = struct{}{}
	return func() {
		p.mu.Lock()
		delete(p.keys, k)
		p.mu.Unlock()
	}, nil
}

// Shipments is how many shipments the plan's routing decided.
func (p *IntakePlan) Shipments() int {
	if p == nil || p.route == nil {
		return 0
	}
	return len(p.route.d.Shipments)
}

// orderSource names where a new order came from, for the metrics: api (an
// API key), webhook (a channel's delivery or pull), user (a person, such as
// a CSV import or a phone order), or system (an exchange, the demo).
func orderSource(actor Actor) string {
	switch actor.Kind {
	case ActorAPIKey:
		return "api"
	case ActorChannel:
		return "webhook"
	case ActorUser:
		return "user"
	default:
		return "system"
	}
}
