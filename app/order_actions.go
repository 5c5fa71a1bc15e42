package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"switchyard/app/automation"
	store "switchyard/sql"
)

// changeOrder runs one move on the order number in one write transaction: it
// checks who may make the move, that the order is in the actor's reach (an
// order of another channel is NotFound) and that its status allows it, runs fn,
// derives the status again and stores it. It returns the order afterwards.
func (a *App) changeOrder(ctx context.Context, actor Actor, number string, m Move, fn func(tx Tx, o store.Order) error) (Order, error) {
	if err := actor.requireMove(m); err != nil {
		return Order{}, err
	}
	var id int64
	err := a.Write(ctx, func(tx Tx) error {
		o, err := tx.Q.GetOrderForUpdate(ctx, number)
		if store.IsNoRows(err) {
			return NotFound("no order %s", number)
		} else if err != nil {
			return fmt.Errorf("get order %s: %w", number, err)
		}
		if ok, err := actor.Reach().allowsChannelID(ctx, tx.Q, o.ChannelID); err != nil {
			return err
		} else if !ok {
			return NotFound("no order %s", number) // another channel's order: as if unknown
		}
		id = o.ID
		if err := checkMove(Status(o.Status), m); err != nil {
			return err
		}
		if err := fn(tx, o); err != nil {
			return err
		}
		return refreshStatus(ctx, tx, o.ID)
	})
	if err != nil {
		return Order{}, err
	}
	return a.OrderByID(ctx, id)
}

// refreshStatus derives an order's status from its lines and flags and stores it.
func refreshStatus(ctx context.Context, tx Tx, orderID int64) error {
	o, err := tx.Q.GetOrder(ctx, orderID)
	if err != nil {
		return fmt.Errorf("get order: %w", err)
	}
	lines, err := tx.Q.ListOrderLines(ctx, orderID)
	if err != nil {
		return fmt.Errorf("order lines: %w", err)
	}
	facts := orderFacts{cancelled: o.Cancelled == 1, onHold: o.OnHold == 1}
	for _, l := range lines {
		facts.lines = append(facts.lines, lineFacts{quantity: l.Quantity, reserved: l.Reserved, shipped: l.Shipped,
			cancelled: l.Cancelled, backordered: l.Backordered, returned: l.Returned})
	}
	fs, err := tx.Q.ListOrderFulfillments(ctx, orderID)
	if err != nil {
		return fmt.Errorf("order fulfillments: %w", err)
	}
	for _, f := range fs {
		facts.fulfillments = append(facts.fulfillments, FulfillmentStatus(f.Status))
	}
	return storeStatus(ctx, tx, o, facts)
}

// storeStatus derives the status from facts and stores it with the order's flags.
func storeStatus(ctx context.Context, tx Tx, o store.Order, facts orderFacts) error {
	if err := tx.Q.SetOrderState(ctx, store.SetOrderStateParams{
		Status: string(deriveStatus(facts)), OnHold: o.OnHold, HoldReason: o.HoldReason, Cancelled: o.Cancelled, UpdatedAt: Millis(tx.Now), ID: o.ID,
	}); err != nil {
		return fmt.Errorf("store order status: %w", err)
	}
	return nil
}

// Hold puts an order on hold with a reason, so that nothing ships until it is released.
func (a *App) Hold(ctx context.Context, actor Actor, number string, in HoldInput) (Order, error) {
	in.Reason, in.Note = strings.TrimSpace(in.Reason), strings.TrimSpace(in.Note)
	f := FieldsError{}
	if !slices.Contains(HoldReasons, in.Reason) {
		f.Add("reason", "must be one of: "+strings.Join(HoldReasons, ", "))
	}
	checkText(f, "note", in.Note, 1000)
	checkTextFields(f, "", in)
	if err := f.Err("hold is invalid"); err != nil {
		return Order{}, err
	}
	return a.changeOrder(ctx, actor, number, MoveHold, func(tx Tx, o store.Order) error {
		if err := setFlags(ctx, tx, o, 1, in.Reason, o.Cancelled); err != nil {
			return err
		}
		if err := AppendEvent(ctx, tx, o.ID, actor, holdEvent(in)); err != nil {
			return err
		}
		_, err := Automate(ctx, tx, o.ID, automation.OrderHeld)
		return err
	})
}

// holdEvent is the timeline entry of a hold.
func holdEvent(in HoldInput) NewEvent {
	msg := "Order put on hold " + HoldWhy(in.Reason)
	if in.Note != "" {
		msg += ": " + in.Note
	}
	return NewEvent{Kind: "held", Message: msg + ".", Data: map[string]any{"reason": in.Reason, "note": in.Note}}
}

// Release takes an order off hold.
func (a *App) Release(ctx context.Context, actor Actor, number string) (Order, error) {
	return a.changeOrder(ctx, actor, number, MoveRelease, func(tx Tx, o store.Order) error {
		if err := setFlags(ctx, tx, o, 0, "", o.Cancelled); err != nil {
			return err
		}
		if err := AppendEvent(ctx, tx, o.ID, actor, NewEvent{Kind: "released",
			Message: "Hold (" + HoldReasonLabel(o.HoldReason) + ") released: the order goes ahead."}); err != nil {
			return err
		}
		return routeInTx(ctx, tx, o.ID, TriggerRelease, System, nil)
	})
}

// CancelInput cancels a whole order, or some lines (by line id, all of what is
// left of each unless a quantity is given).
type CancelInput struct {
	Reason string       `json:"reason"`
	Lines  []CancelLine `json:"lines"`
}

// CancelLine cancels some or all of what is left of one line.
type CancelLine struct {
	ID       int64  `json:"id"`
	Quantity *int64 `json:"quantity"`
}

// Cancel cancels the whole order, or the lines named, before they ship.
func (a *App) Cancel(ctx context.Context, actor Actor, number string, in CancelInput) (Order, error) {
	in.Reason = strings.TrimSpace(in.Reason)
	f := FieldsError{}
	requireText(f, "reason", in.Reason, 500)
	checkTextFields(f, "", in)
	if err := f.Err("cancellation is invalid"); err != nil {
		return Order{}, err
	}
	move := MoveCancel
	if len(in.Lines) > 0 {
		move = MoveCancelLines
	}
	return a.changeOrder(ctx, actor, number, move, func(tx Tx, o store.Order) error {
		lines, err := tx.Q.ListOrderLines(ctx, o.ID)
		if err != nil {
			return fmt.Errorf("order lines: %w", err)
		}
		cuts, err := planCancel(lines, in.Lines)
		if err != nil {
			return err
		}
		if err := applyCancel(ctx, tx, o, lines, cuts); err != nil {
			return err
		}
		if move == MoveCancel {
			if err := setFlags(ctx, tx, o, o.OnHold, o.HoldReason, 1); err != nil {
				return err
			}
			// Outbox: tell the channel and subscribed webhooks of the whole-order cancellation.
			if err := enqueueCancel(ctx, tx, actor, o.ID, in.Reason); err != nil {
				return err
			}
		}
		return AppendEvent(ctx, tx, o.ID, actor, cancelEvent(lines, cuts, in.Reason, move == MoveCancel))
	})
}

// planCancel works out how much of each line to cancel (line id -> quantity).
func planCancel(lines []store.OrderLine, want []CancelLine) (map[int64]int64, error) {
	cuts := map[int64]int64{}
	if len(want) == 0 {
		for _, l := range lines {
			if open := l.Quantity - l.Shipped - l.Cancelled; open > 0 {
				cuts[l.ID] = open
			}
		}
		return cuts, nil
	}
	f := FieldsError{}
	for i, w := range want {
		field := fmt.Sprintf("lines[%d]", i)
		j := slices.IndexFunc(lines, func(l store.OrderLine) bool { return l.ID == w.ID })
		if j < 0 {
			f.Add(field+".id", fmt.Sprintf("the order has no line %d", w.ID))
			continue
		}
		open := lines[j].Quantity - lines[j].Shipped - lines[j].Cancelled - cuts[w.ID]
		q := open
		if w.Quantity != nil {
			q = *w.Quantity
		}
		switch {
		case open == 0:
			f.Add(field+".id", fmt.Sprintf("line %d has nothing left to cancel", lines[j].LineNo))
		case q < 1 || q > open:
			f.Add(field+".quantity", fmt.Sprintf("must be from 1 to %d (what is left of the line)", open))
		default:
			cuts[w.ID] += q
		}
	}
	return cuts, f.Err("cancellation is invalid")
}

// applyCancel writes the cancelled quantities, giving back their backorders
// and reservations.
func applyCancel(ctx context.Context, tx Tx, o store.Order, lines []store.OrderLine, cuts map[int64]int64) error {
	for _, l := range lines {
		if q := cuts[l.ID]; q > 0 {
			if err := takeFromLine(ctx, tx, l, q, o.Number); err != nil {
				return err
			}
			if err := tx.Q.SetLineCancelled(ctx, store.SetLineCancelledParams{Cancelled: l.Cancelled + q, ID: l.ID}); err != nil {
				return fmt.Errorf("cancel line %d: %w", l.LineNo, err)
			}
		}
	}
	return nil
}

// cancelEvent says what was cancelled and why.
func cancelEvent(lines []store.OrderLine, cuts map[int64]int64, reason string, whole bool) NewEvent {
	var parts []string
	for _, l := range lines {
		if q := cuts[l.ID]; q > 0 {
			parts = append(parts, fmt.Sprintf("%d × %s", q, l.Sku))
		}
	}
	msg := "Order cancelled (" + reason + ")"
	kind := "cancelled"
	if !whole {
		msg, kind = "Cancelled "+strings.Join(parts, ", ")+" ("+reason+")", "lines_cancelled"
	}
	return NewEvent{Kind: kind, Message: msg + ".", Customer: true, Data: map[string]any{"reason": reason, "lines": cuts}}
}

// ChangeAddress replaces the shipping address of an order before it ships.
func (a *App) ChangeAddress(ctx context.Context, actor Actor, number string, addr AddressInput) (Order, error) {
	probe := NewOrder{Delivery: DeliveryInput{Method: "ship"}, ShippingAddress: &addr}
	normalizeOrder(&probe)
	f := FieldsError{}
	checkDelivery(f, &probe)
	checkTextFields(f, "shipping_address", addr)
	if err := f.Err("address is invalid"); err != nil {
		return Order{}, prefixFieldsOut(err, "shipping_address.")
	}
	return a.changeOrder(ctx, actor, number, MoveChangeAddress, func(tx Tx, o store.Order) error {
		if err := tx.Q.SetOrderAddress(ctx, store.SetOrderAddressParams{
			ShipName: addr.Name, ShipLine1: addr.Line1, ShipLine2: addr.Line2, ShipCity: addr.City, ShipRegion: addr.Region,
			ShipPostalCode: addr.PostalCode, ShipCountry: addr.Country, ShipPhone: addr.Phone,
			ShipLat: nullFloat(addr.Lat), ShipLon: nullFloat(addr.Lon), UpdatedAt: Millis(tx.Now), ID: o.ID,
		}); err != nil {
			return fmt.Errorf("change address: %w", err)
		}
		if err := AppendEvent(ctx, tx, o.ID, actor, NewEvent{Kind: "address_changed", Customer: true,
			Message: fmt.Sprintf("Shipping address changed from %s to %s.", OneLine(o.ShipLine1, o.ShipCity, o.ShipCountry), OneLine(addr.Line1, addr.City, addr.Country)),
			Data:    map[string]any{"from": map[string]string{"line1": o.ShipLine1, "city": o.ShipCity, "country": o.ShipCountry}}}); err != nil {
			return err
		}
		if o.Cancelled == 1 {
			return nil
		}
		// Held orders are routed again too: they keep their reservations through the hold.
		return rerouteOpen(ctx, tx, o.ID, false, TriggerAddress, System, nil)
	})
}

// setFlags stores the hold and cancel flags of an order.
func setFlags(ctx context.Context, tx Tx, o store.Order, onHold int64, reason string, cancelled int64) error {
	if err := tx.Q.SetOrderState(ctx, store.SetOrderStateParams{
		Status: o.Status, OnHold: onHold, HoldReason: reason, Cancelled: cancelled, UpdatedAt: Millis(tx.Now), ID: o.ID,
	}); err != nil {
		return fmt.Errorf("store order flags: %w", err)
	}
	return nil
}

// OneLine writes an address on one line.
func OneLine(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return "(none)"
	}
	return strings.Join(out, ", ")
}

// prefixFieldsOut removes prefix from the field names of an Invalid error.
func prefixFieldsOut(err error, prefix string) error {
	ae, ok := AsError(err)
	if !ok {
		return err
	}
	fields := make(map[string]string, len(ae.Fields))
	for f, msg := range ae.Fields {
		fields[strings.TrimPrefix(f, prefix)] = msg
	}
	return Invalid(ae.Message, fields)
}
