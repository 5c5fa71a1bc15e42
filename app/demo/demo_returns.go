package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"switchyard/app"
	"switchyard/app/returns"
	store "switchyard/sql"
)

// The demo's returns: about one delivered order in fifty comes back, most
// received and refunded, a few on their way, a few asked for by customers and
// waiting for support, and a handful of each returns exception.
const (
	demoReturnEvery    = 50 // one delivered order in this many comes back
	demoLateReturns    = 3  // approved more than 21 days ago, still not here
	demoFailedRefunds  = 2  // refunds the channel refused
	demoRequestedCount = 3  // customers' requests waiting for support
)

// demoReasons are the reasons demo returns give, the common ones more often.
var demoReasons = []string{"too_small", "too_small", "too_small", "too_large", "too_large", "changed_mind",
	"not_as_described", "defective", "damaged", "wrong_item"}

// seedReturns starts, receives and refunds the demo's returns, each step at
// the time it happened, inside the seed's transaction.
func seedReturns(ctx context.Context, tx app.Tx, rng *rand.Rand) error {
	delivered, err := tx.Q.DeliveredOrders(ctx)
	if err != nil {
		return fmt.Errorf("delivered orders: %w", err)
	}
	supportDesk := app.Actor{Kind: app.ActorUser, Name: "Sam Support", Role: app.RoleSupport}
	late, failed, requested := 0, 0, 0
	for i, d := range delivered {
		arrived := app.FromMillis(d.DeliveredAt)
		age := tx.Now.Sub(arrived)
		switch {
		case late < demoLateReturns && age > 23*24*time.Hour && age < 29*24*time.Hour && i%7 == 0:
			late++
			if _, err := demoReturn(ctx, tx.At(arrived.Add(time.Hour)), supportDesk, d, rng, returns.ResolutionRefund); err != nil {
				return err
			}
		case requested < demoRequestedCount && age < 5*24*time.Hour && age > 24*time.Hour && i%5 == 0:
			requested++
			if _, err := demoReturn(ctx, tx.At(arrived.Add(20*time.Hour)), app.Customer, d, rng, returns.ResolutionRefund); err != nil {
				return err
			}
		case i%demoReturnEvery == 0 && age > 10*24*time.Hour:
			resolution := returns.ResolutionRefund
			if rng.IntN(5) == 0 {
				resolution = returns.ResolutionStoreCredit
			}
			start := arrived.Add(time.Duration(24+rng.IntN(72)) * time.Hour)
			r, err := demoReturn(ctx, tx.At(start), supportDesk, d, rng, resolution)
			if err != nil {
				return err
			}
			fail := failed < demoFailedRefunds && resolution == returns.ResolutionRefund
			if fail {
				failed++
			}
			if err := demoReceive(ctx, tx.At(start.Add(time.Duration(72+rng.IntN(96))*time.Hour)), r, rng, fail); err != nil {
				return err
			}
		}
	}
	return nil
}

// demoReturn starts a return of every unit of the order's first line.
func demoReturn(ctx context.Context, tx app.Tx, actor app.Actor, d store.DeliveredOrdersRow, rng *rand.Rand, resolution string) (store.Return, error) {
	o, err := tx.Q.GetOrder(ctx, d.ID)
	if err != nil {
		return store.Return{}, err
	}
	lines, err := tx.Q.ListOrderLines(ctx, d.ID)
	if err != nil {
		return store.Return{}, err
	}
	origin := returns.OriginSupport
	if actor == app.Customer {
		origin = returns.OriginCustomer
	}
	in := returns.NewReturn{Resolution: resolution, Lines: []returns.LineInput{{Line: lines[0].ID, Quantity: lines[0].Shipped,
		Reason: demoReasons[rng.IntN(len(demoReasons))]}}}
	r, _, err := returns.CreateTx(ctx, tx, actor, origin, o, in)
	if err != nil {
		return store.Return{}, fmt.Errorf("demo return of %s: %w", d.Number, err)
	}
	return r, nil
}

// demoReceive receives a demo return, most units restocked, and settles its
// refund: the channel confirms it a day later, or refuses it when fail is set.
func demoReceive(ctx context.Context, tx app.Tx, r store.Return, rng *rand.Rand, fail bool) error {
	o, err := tx.Q.GetOrder(ctx, r.OrderID)
	if err != nil {
		return err
	}
	loc, err := tx.Q.GetLocation(ctx, r.LocationID)
	if err != nil {
		return err
	}
	lines, err := tx.Q.ListReturnLines(ctx, r.ID)
	if err != nil {
		return err
	}
	var in returns.Receipt
	for _, l := range lines {
		disposition := returns.DispositionRestock
		if rng.IntN(6) == 0 {
			disposition = returns.DispositionQuarantine
		}
		in.Lines = append(in.Lines, returns.ReceiptLine{Line: l.OrderLineID, Quantity: l.Quantity, Disposition: disposition})
	}
	lead := app.Actor{Kind: app.ActorUser, Name: loc.Name + " team", Role: app.RoleWarehouse}
	if err := returns.ReceiveTx(ctx, tx, lead, o, r, loc, in); err != nil {
		return fmt.Errorf("demo receipt of %s: %w", r.Number, err)
	}
	refunds, err := tx.Q.ListRefundsOfReturn(ctx, app.NullInt(r.ID))
	if err != nil {
		return err
	}
	later := tx.At(tx.Now.Add(time.Duration(6+rng.IntN(24)) * time.Hour))
	for _, f := range refunds {
		if f.Status != returns.RefundPending && f.Status != returns.RefundSent {
			continue
		}
		why := ""
		if fail {
			why = "the channel answered 422: the payment's card has expired"
		}
		if err := returns.AnsweredTx(ctx, later, f.ID, !fail, fmt.Sprint(900000+f.ID), why); err != nil {
			return err
		}
	}
	return nil
}
