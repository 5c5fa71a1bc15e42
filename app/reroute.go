package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"switchyard/app/automation"
	store "switchyard/sql"
)

// rerouteOpen gives back the open fulfillments of an order (pending ones, and
// accepted ones too when withAccepted) and routes what they held again.
func rerouteOpen(ctx context.Context, tx Tx, orderID int64, withAccepted bool, trigger string, actor Actor, exclude map[string]bool) error {
	if err := giveBackOpen(ctx, tx, orderID, withAccepted); err != nil {
		return err
	}
	return routeInTx(ctx, tx, orderID, trigger, actor, exclude)
}

// giveBackOpen cancels the open fulfillments of an order (pending ones, and
// accepted ones too when withAccepted), giving their stock back.
func giveBackOpen(ctx context.Context, tx Tx, orderID int64, withAccepted bool) error {
	fs, err := tx.Q.OpenFulfillmentsOf(ctx, store.OpenFulfillmentsOfParams{OrderID: orderID, WithAccepted: BoolInt(withAccepted)})
	if err != nil {
		return fmt.Errorf("open fulfillments: %w", err)
	}
	o, err := tx.Q.GetOrder(ctx, orderID)
	if err != nil {
		return fmt.Errorf("get order: %w", err)
	}
	for _, f := range fs {
		if err := releaseFulfillment(ctx, tx, f.ID, o.Number); err != nil {
			return err
		}
		if err := tx.Q.SetFulfillmentStatus(ctx, store.SetFulfillmentStatusParams{Status: string(FulfillmentCancelled), UpdatedAt: Millis(tx.Now), ID: f.ID}); err != nil {
			return fmt.Errorf("cancel fulfillment: %w", err)
		}
	}
	return nil
}

// Reroute routes an order again: its pending fulfillments are given back and
// everything not yet accepted, shipped or cancelled is decided anew.
func (a *App) Reroute(ctx context.Context, actor Actor, number string) (Order, error) {
	return a.changeOrder(ctx, actor, number, MoveRoute, func(tx Tx, o store.Order) error {
		return rerouteOpen(ctx, tx, o.ID, false, TriggerManual, actor, nil)
	})
}

// MoveTo routes what is open of an order to one location, if the engine finds
// that it can take all of it; otherwise nothing changes and the answer says why.
func (a *App) MoveTo(ctx context.Context, actor Actor, number, location string) (Order, error) {
	return a.changeOrder(ctx, actor, number, MoveRoute, func(tx Tx, o store.Order) error {
		others, err := otherLocations(ctx, tx, location)
		if err != nil {
			return err
		}
		if err := rerouteOpen(ctx, tx, o.ID, false, TriggerManual, actor, others); err != nil {
			return err
		}
		return requireFullyRouted(ctx, tx, o, location)
	})
}

// otherLocations names every location but code, refusing an unknown code.
func otherLocations(ctx context.Context, tx Tx, code string) (map[string]bool, error) {
	rows, err := tx.Q.ListRoutingLocations(ctx)
	if err != nil {
		return nil, fmt.Errorf("locations: %w", err)
	}
	out := map[string]bool{}
	found := false
	for _, r := range rows {
		if r.Code == code {
			found = true
		} else {
			out[r.Code] = true
		}
	}
	if !found {
		return nil, InvalidField("location", "unknown location "+Quote(code))
	}
	return out, nil
}

// requireFullyRouted refuses (undoing the move) when the order is not now fully
// reserved, repeating the engine's reasons for the location.
func requireFullyRouted(ctx context.Context, tx Tx, o store.Order, location string) error {
	lines, err := tx.Q.ListOrderLines(ctx, o.ID)
	if err != nil {
		return fmt.Errorf("order lines: %w", err)
	}
	for _, l := range lines {
		if l.Quantity-l.Shipped-l.Cancelled-l.Reserved > 0 {
			d, err := tx.Q.LatestDecision(ctx, o.ID)
			if err != nil {
				return fmt.Errorf("latest decision: %w", err)
			}
			return Conflict("%s cannot take the whole order: %s", location, strings.TrimSuffix(d.Explanation, "."))
		}
	}
	return nil
}

// RejectInput is a location's refusal of a fulfillment.
type RejectInput struct {
	Reason        string       `json:"reason" form:"reason"`
	CountedOnHand *int64       `json:"counted_on_hand" form:"counted_on_hand"`
	Counts        []CountedSKU `json:"counts"` // per SKU, for fulfillments of several SKUs
	Note          string       `json:"note" form:"note" text:"lines"`
}

// CountedSKU is what a location counted of one SKU when rejecting for lack of stock.
type CountedSKU struct {
	SKU    string `json:"sku"`
	OnHand int64  `json:"on_hand"`
}

// RejectReasons are why a location may reject a fulfillment.
var RejectReasons = []string{"out_of_stock", "damaged", "capacity", "other"}

// RejectFulfillment records a location's refusal: its reservations are given
// back, a count (for out of stock) corrects the stock, and the lines are
// routed again elsewhere; the timeline says all of it.
func (a *App) RejectFulfillment(ctx context.Context, actor Actor, id int64, in RejectInput) (Order, error) {
	if !slices.Contains(RejectReasons, in.Reason) {
		return Order{}, InvalidField("reason", "must be one of: "+strings.Join(RejectReasons, ", "))
	}
	f := FieldsError{}
	checkTextFields(f, "", in)
	if err := f.Err("rejection is invalid"); err != nil {
		return Order{}, err
	}
	return a.changeFulfillment(ctx, actor, id, func(tx Tx, f store.GetFulfillmentRow) error {
		if err := checkFulfillmentMove(FulfillmentStatus(f.Status), FulfillmentRejected); err != nil {
			return err
		}
		return rejectInTx(ctx, tx, f, in, actor)
	})
}

// rejectInTx is RejectFulfillment inside its transaction.
func rejectInTx(ctx context.Context, tx Tx, f store.GetFulfillmentRow, in RejectInput, actor Actor) error {
	o, err := tx.Q.GetOrder(ctx, f.OrderID)
	if err != nil {
		return fmt.Errorf("get order: %w", err)
	}
	if err := releaseFulfillment(ctx, tx, f.ID, o.Number); err != nil {
		return err
	}
	if err := tx.Q.SetFulfillmentRejected(ctx, store.SetFulfillmentRejectedParams{RejectReason: in.Reason, RejectNote: in.Note, UpdatedAt: Millis(tx.Now), ID: f.ID}); err != nil {
		return fmt.Errorf("reject fulfillment: %w", err)
	}
	counted, err := applyRejectCounts(ctx, tx, f, in, actor)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("%s rejected its part of the order (%s%s)", f.LocationName, strings.ReplaceAll(in.Reason, "_", " "), counted)
	if in.Note != "" {
		msg += ": " + in.Note
	}
	if err := AppendEvent(ctx, tx, o.ID, actor, NewEvent{Kind: "fulfillment_rejected", Message: msg + "; routing it again.",
		Data: map[string]any{"fulfillment": f.ID, "reason": in.Reason}}); err != nil {
		return err
	}
	if err := routeInTx(ctx, tx, o.ID, TriggerRejection, System, map[string]bool{f.Location: true}); err != nil {
		return err
	}
	_, err = Automate(ctx, tx, o.ID, automation.FulfillmentRejected)
	return err
}

// applyRejectCounts corrects the stock a location counted when it rejected for
// lack of stock, and says what was counted.
func applyRejectCounts(ctx context.Context, tx Tx, f store.GetFulfillmentRow, in RejectInput, actor Actor) (string, error) {
	if in.Reason != "out_of_stock" || (in.CountedOnHand == nil && len(in.Counts) == 0) {
		return "", nil
	}
	lines, err := tx.Q.ListFulfillmentLines(ctx, f.ID)
	if err != nil {
		return "", fmt.Errorf("fulfillment lines: %w", err)
	}
	shelf, err := shelvedSKUs(ctx, tx, f, lines) // a kit's parts, not the kit
	if err != nil {
		return "", err
	}
	counts := in.Counts
	if in.CountedOnHand != nil {
		if len(shelf) != 1 {
			return "", InvalidField("counted_on_hand", "this fulfillment has several SKUs (a kit counts as its parts): give counts per SKU")
		}
		counts = []CountedSKU{{SKU: shelf[0].code, OnHand: *in.CountedOnHand}}
	}
	var words []string
	for i, c := range counts {
		j := slices.IndexFunc(shelf, func(m unitMove) bool { return m.code == c.SKU })
		if j < 0 || c.OnHand < 0 {
			return "", InvalidField(fmt.Sprintf("counts[%d]", i), "must name a SKU of this fulfillment (a kit's parts for a kit) and a count of 0 or more")
		}
		key := shelf[j].key
		if err := CountLevel(ctx, tx, key, c.OnHand, nil, "counted when rejecting a fulfillment", actor.Label()); err != nil {
			return "", err
		}
		words = append(words, fmt.Sprintf("counted %d of %s", c.OnHand, c.SKU))
	}
	return ": " + strings.Join(words, ", "), nil
}

// shelvedSKUs lists, once each, the stock levels a fulfillment's lines take
// at its location: a plain line's SKU, a kit line's parts.
func shelvedSKUs(ctx context.Context, tx Tx, f store.GetFulfillmentRow, lines []store.ListFulfillmentLinesRow) ([]unitMove, error) {
	var out []unitMove
	for _, l := range lines {
		moves, err := lineMoves(ctx, tx, f.ID, l.OrderLineID, LevelKey{SKU: l.SkuID, Location: f.LocationID}, l.Sku)
		if err != nil {
			return nil, err
		}
		for _, m := range moves {
			if !slices.ContainsFunc(out, func(x unitMove) bool { return x.key == m.key }) {
				out = append(out, m)
			}
		}
	}
	return out, nil
}

// AcceptFulfillment records that a location has taken the work on.
func (a *App) AcceptFulfillment(ctx context.Context, actor Actor, id int64) (Order, error) {
	return a.changeFulfillment(ctx, actor, id, func(tx Tx, f store.GetFulfillmentRow) error {
		if err := checkFulfillmentMove(FulfillmentStatus(f.Status), FulfillmentAccepted); err != nil {
			return err
		}
		if err := tx.Q.SetFulfillmentAccepted(ctx, store.SetFulfillmentAcceptedParams{AcceptedAt: NullInt(Millis(tx.Now)), UpdatedAt: Millis(tx.Now), ID: id}); err != nil {
			return fmt.Errorf("accept fulfillment: %w", err)
		}
		if err := AppendEvent(ctx, tx, f.OrderID, actor, NewEvent{Kind: "fulfillment_accepted", Customer: true,
			Message: f.LocationName + " is preparing the order.", Data: map[string]any{"fulfillment": id}}); err != nil {
			return err
		}
		return refreshStatus(ctx, tx, f.OrderID)
	})
}

// changeFulfillment runs fn on a fulfillment the actor may act on, in one
// write transaction, and returns its order afterwards.
func (a *App) changeFulfillment(ctx context.Context, actor Actor, id int64, fn func(tx Tx, f store.GetFulfillmentRow) error) (Order, error) {
	var orderID int64
	err := a.Write(ctx, func(tx Tx) error {
		f, err := a.FulfillmentFor(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		orderID = f.OrderID
		return fn(tx, f)
	})
	if err != nil {
		return Order{}, err
	}
	return a.OrderByID(ctx, orderID)
}

// FulfillmentFor reads a fulfillment the actor may act on: warehouse users
// only at their own locations, channel-bound API keys only of their channel's
// orders, and others' ids are not found (no probing).
func (a *App) FulfillmentFor(ctx context.Context, tx Tx, actor Actor, id int64) (store.GetFulfillmentRow, error) {
	f, err := tx.Q.GetFulfillment(ctx, id)
	if store.IsNoRows(err) {
		return f, NotFound("no fulfillment %d", id)
	}
	if err != nil {
		return f, fmt.Errorf("get fulfillment: %w", err)
	}
	if err := actor.KnowsLocation(ctx, tx, f.Location); err != nil {
		return f, NotFound("no fulfillment %d", id)
	}
	if ok, err := actor.Reach().allowsOrderID(ctx, tx.Q, f.OrderID); err != nil {
		return f, err
	} else if !ok {
		return f, NotFound("no fulfillment %d", id)
	}
	if err := actor.Require(RoleAdmin, RoleOps, RoleWarehouse); err != nil {
		return f, err
	}
	return f, nil
}

// moveShortReservations routes elsewhere the newest reservations of a SKU at a
// location whose count left it short (fewer on hand than reserved).
func moveShortReservations(ctx context.Context, tx Tx, key LevelKey) error {
	lvl, err := readLevel(ctx, tx, key)
	if err != nil || !lvl.Short {
		return err
	}
	short := lvl.Reserved - lvl.OnHand
	parts, err := tx.Q.ShortFulfillmentLines(ctx, store.ShortFulfillmentLinesParams{LocationID: key.Location, SkuID: key.SKU})
	if err != nil {
		return fmt.Errorf("short fulfillment lines: %w", err)
	}
	moved := map[int64]bool{}
	for _, p := range parts {
		if short <= 0 {
			break
		}
		if moved[p.OrderID] {
			continue
		}
		moved[p.OrderID] = true
		short -= p.Open
		if err := moveShortOrder(ctx, tx, p.OrderID, lvl); err != nil {
			return err
		}
	}
	return nil
}

// moveShortOrder gives back one order's open fulfillments and routes it again, saying why.
func moveShortOrder(ctx context.Context, tx Tx, orderID int64, lvl StockLevel) error {
	msg := fmt.Sprintf("A count at %s found %d of %s for %d reserved: routing the order again.", lvl.Location, lvl.OnHand, lvl.SKU, lvl.Reserved)
	if err := AppendEvent(ctx, tx, orderID, System, NewEvent{Kind: "stock_short", Message: msg,
		Data: map[string]any{"location": lvl.Location, "sku": lvl.SKU}}); err != nil {
		return err
	}
	if err := rerouteOpen(ctx, tx, orderID, true, TriggerCount, System, nil); err != nil {
		return err
	}
	_, err := Automate(ctx, tx, orderID, automation.StockShort)
	return err
}

// restockLimit is how many waiting orders one stock change routes again.
const restockLimit = 200

// routeWaiting routes again, oldest first, the orders waiting for a SKU that
// has stock available again.
func routeWaiting(ctx context.Context, tx Tx, skuID int64) error {
	rows, err := tx.Q.WaitingOrdersForSKU(ctx, store.WaitingOrdersForSKUParams{SkuID: skuID, Lim: restockLimit})
	if err != nil {
		return fmt.Errorf("waiting orders: %w", err)
	}
	for _, r := range rows {
		if err := routeInTx(ctx, tx, r.ID, TriggerRestock, System, nil); err != nil {
			return err
		}
	}
	return nil
}

// afterStockChange keeps orders right after a level changed: reservations the
// shelf cannot cover move elsewhere, and orders waiting for the SKU are routed
// again when some of it is available.
func afterStockChange(ctx context.Context, tx Tx, key LevelKey) error {
	if err := moveShortReservations(ctx, tx, key); err != nil {
		return err
	}
	lvl, err := readLevel(ctx, tx, key)
	if err != nil {
		return err
	}
	if lvl.Available > 0 {
		return routeWaiting(ctx, tx, key.SKU)
	}
	return nil
}
