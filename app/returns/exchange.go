package returns

import (
	"context"
	"fmt"
	"slices"

	"switchyard/app"
	"switchyard/app/money"
	store "switchyard/sql"
)

// ExchangeChannel is the channel exchange orders are placed on. It is made
// on first use (kind manual: no channel is told of its shipments) and serves
// the locations that serve the original order's channel.
const ExchangeChannel = "exchange"

// placeExchange places the exchange order of an approved return inside tx,
// routed and reserved by the normal engine, at no charge (an even swap: any
// difference in price is settled in the channel), and links the two orders.
func placeExchange(ctx context.Context, tx app.Tx, o store.Order, r store.Return) (string, error) {
	lines, err := exchangeLines(r)
	if err != nil {
		return "", err
	}
	ch, err := exchangeChannel(ctx, tx, o.ChannelID)
	if err != nil {
		return "", err
	}
	in := app.NewOrder{Channel: ch.Code, ExternalID: r.Number, ChannelRef: r.Number, Currency: o.Currency,
		Customer: app.CustomerInput{Email: o.CustomerEmail, Name: o.CustomerName, Phone: o.CustomerPhone},
		Delivery: app.DeliveryInput{Method: "ship"}, ShippingPrice: money.Decimal("0"), Tags: []string{"exchange"},
		Note: fmt.Sprintf("Exchange for return %s of order %s", r.Number, o.Number)}
	if o.ShipLine1 != "" || o.ShipCountry != "" {
		addr := &app.AddressInput{Name: o.ShipName, Line1: o.ShipLine1, Line2: o.ShipLine2, City: o.ShipCity,
			Region: o.ShipRegion, PostalCode: o.ShipPostalCode, Country: o.ShipCountry, Phone: o.ShipPhone}
		if o.ShipLat.Valid && o.ShipLon.Valid {
			lat, lon := o.ShipLat.Float64, o.ShipLon.Float64
			addr.Lat, addr.Lon = &lat, &lon
		}
		in.ShippingAddress = addr
	} else if o.PickupLocationID.Valid {
		loc, err := tx.Q.GetLocation(ctx, o.PickupLocationID.Int64)
		if err != nil {
			return "", fmt.Errorf("pickup location: %w", err)
		}
		in.Delivery = app.DeliveryInput{Method: "pickup", Location: loc.Code}
	}
	for i, l := range lines {
		sku, err := tx.Q.GetSKUByCode(ctx, l.SKU)
		if err != nil {
			return "", fmt.Errorf("exchange SKU %s: %w", l.SKU, err)
		}
		in.Lines = append(in.Lines, app.LineInput{ExternalID: fmt.Sprint(i + 1), SKU: l.SKU, Name: sku.Name,
			Quantity: l.Quantity, UnitPrice: money.Decimal("0")})
	}
	v, err := app.CheckNewOrder(&in, tx.Now)
	if err != nil {
		return "", fmt.Errorf("exchange order: %w", err)
	}
	placed, err := app.PlaceOrderInTx(ctx, tx, app.System, in, v, nil)
	if err != nil {
		return "", fmt.Errorf("place exchange order: %w", err)
	}
	if err := tx.Q.SetReturnExchange(ctx, store.SetReturnExchangeParams{ExchangeOrderID: app.NullInt(placed.ID),
		UpdatedAt: app.Millis(tx.Now), ID: r.ID}); err != nil {
		return "", fmt.Errorf("link exchange: %w", err)
	}
	x, err := tx.Q.GetOrder(ctx, placed.ID)
	if err != nil {
		return "", fmt.Errorf("exchange order: %w", err)
	}
	if err := app.AppendEvent(ctx, tx, x.ID, app.System, app.NewEvent{Kind: "exchange_for", Customer: true,
		Message: fmt.Sprintf("This order is the exchange for return %s of order %s, at no charge.", r.Number, o.Number),
		Data:    map[string]any{"return": r.Number, "order": o.Number}}); err != nil {
		return "", err
	}
	return x.Number, nil
}

// exchangeChannel is the exchange channel, made on first use, serving at
// least the locations that serve the channel with row id like.
func exchangeChannel(ctx context.Context, tx app.Tx, like int64) (store.Channel, error) {
	ch, err := tx.Q.GetChannelByCode(ctx, ExchangeChannel)
	if store.IsNoRows(err) {
		var id int64
		id, err = tx.Q.CreateChannel(ctx, store.CreateChannelParams{Code: ExchangeChannel, Name: "Exchanges", Kind: "manual",
			Active: 1, CreatedAt: app.Millis(tx.Now), UpdatedAt: app.Millis(tx.Now)})
		if err == nil {
			ch, err = tx.Q.GetChannel(ctx, id)
		}
	}
	if err != nil {
		return store.Channel{}, fmt.Errorf("exchange channel: %w", err)
	}
	have, err := tx.Q.ListChannelLocationIDs(ctx, ch.ID)
	if err != nil {
		return store.Channel{}, fmt.Errorf("exchange channel locations: %w", err)
	}
	want, err := tx.Q.ListChannelLocationIDs(ctx, like)
	if err != nil {
		return store.Channel{}, fmt.Errorf("channel locations: %w", err)
	}
	for _, id := range want {
		if slices.Contains(have, id) {
			continue
		}
		if err := tx.Q.AddLocationChannel(ctx, store.AddLocationChannelParams{LocationID: id, ChannelID: ch.ID}); err != nil {
			return store.Channel{}, fmt.Errorf("exchange channel location: %w", err)
		}
	}
	return ch, nil
}
