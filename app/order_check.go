package app

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"net/mail"
	"strings"
	"time"

	"switchyard/app/geo"
	"switchyard/app/money"
	store "switchyard/sql"
)

// Limits of a new order.
const (
	maxOrderLines   = 500
	maxLineQuantity = 100_000
)

// ValidOrder is what checking a new order computed: exact money and the time placed.
type ValidOrder struct {
	placedAt   time.Time
	currency   money.Currency
	unitPrices []int64
	subtotal   int64
	shipping   int64
	total      int64
}

// ResolvedOrder is what the codes of a new order name in the database.
type ResolvedOrder struct {
	channel    store.Channel
	skuIDs     []sql.NullInt64
	skus       []store.SKUsForRoutingRow // the SKUs of the lines, as read (routing reads their tags)
	pickupID   sql.NullInt64
	pickupName string
}

// CheckNewOrder normalises a new order and checks everything that needs no
// database, naming each bad field by its path (lines[1].quantity).
func CheckNewOrder(in *NewOrder, now time.Time) (ValidOrder, error) {
	normalizeOrder(in)
	f := FieldsError{}
	checkTextFields(f, "", in)
	requireText(f, "channel", in.Channel, 64)
	requireText(f, "external_id", in.ExternalID, 100)
	checkText(f, "channel_ref", in.ChannelRef, 100)
	checkText(f, "note", in.Note, 2000)
	checkCustomer(f, in.Customer)
	checkDelivery(f, in)
	if p := tagProblem(in.Tags); p != "" {
		f.Add("tags", p)
	}
	v := ValidOrder{placedAt: now}
	if in.PlacedAt != nil {
		v.placedAt = in.PlacedAt.UTC()
		if v.placedAt.After(now.Add(24 * time.Hour)) {
			f.Add("placed_at", "is more than a day in the future")
		}
	}
	cur, ok := money.LookupCurrency(in.Currency)
	switch {
	case in.Currency == "":
		f.Add("currency", "is required")
	case !ok:
		f.Add("currency", "must be an ISO 4217 code")
	default:
		v.currency = cur
		checkMoney(f, in, &v)
	}
	checkLines(f, in.Lines)
	return v, f.Err("order is invalid")
}

// normalizeOrder trims what people type around values.
func normalizeOrder(in *NewOrder) {
	in.Channel = strings.TrimSpace(in.Channel)
	in.ExternalID = strings.TrimSpace(in.ExternalID)
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	in.Customer.Email = strings.TrimSpace(in.Customer.Email)
	in.Customer.Name = strings.TrimSpace(in.Customer.Name)
	in.Customer.Phone = strings.TrimSpace(in.Customer.Phone)
	in.Delivery.Method = strings.TrimSpace(in.Delivery.Method)
	if in.Delivery.Method == "" {
		in.Delivery.Method = "ship"
	}
	if sa := in.ShippingAddress; sa != nil {
		sa.Country = strings.ToUpper(strings.TrimSpace(sa.Country))
		sa.Line1, sa.City, sa.PostalCode = strings.TrimSpace(sa.Line1), strings.TrimSpace(sa.City), strings.TrimSpace(sa.PostalCode)
	}
	for i := range in.Lines {
		in.Lines[i].SKU = strings.TrimSpace(in.Lines[i].SKU)
	}
	in.Tags = normTags(in.Tags)
}

// checkCustomer checks the customer's contact details.
func checkCustomer(f FieldsError, c CustomerInput) {
	if c.Email != "" {
		if _, err := mail.ParseAddress(c.Email); err != nil || strings.ContainsAny(c.Email, " <>") {
			f.Add("customer.email", "must be an email address")
		}
	}
	checkText(f, "customer.email", c.Email, 254)
	checkText(f, "customer.name", c.Name, 200)
	checkText(f, "customer.phone", c.Phone, 50)
}

// checkDelivery checks the delivery method and the address it needs.
func checkDelivery(f FieldsError, in *NewOrder) {
	switch in.Delivery.Method {
	case "ship":
		if in.ShippingAddress == nil {
			f.Add("shipping_address", "is required for delivery by shipping")
			return
		}
	case "pickup":
		requireText(f, "delivery.location", in.Delivery.Location, 64)
		if in.ShippingAddress == nil {
			return
		}
	default:
		f.Add("delivery.method", "must be one of: ship, pickup")
		return
	}
	sa := in.ShippingAddress
	requireText(f, "shipping_address.line1", sa.Line1, 200)
	requireText(f, "shipping_address.city", sa.City, 100)
	checkText(f, "shipping_address.name", sa.Name, 200)
	checkText(f, "shipping_address.line2", sa.Line2, 200)
	checkText(f, "shipping_address.region", sa.Region, 100)
	checkText(f, "shipping_address.postal_code", sa.PostalCode, 20)
	checkText(f, "shipping_address.phone", sa.Phone, 50)
	switch {
	case sa.Country == "":
		f.Add("shipping_address.country", "is required")
	case !geo.ValidCountry(sa.Country):
		f.Add("shipping_address.country", "must be an ISO 3166-1 alpha-2 country code such as FR")
	}
	switch {
	case (sa.Lat == nil) != (sa.Lon == nil):
		f.Add("shipping_address.lat", "give both lat and lon, or neither")
	case sa.Lat != nil && !(geo.Point{Lat: *sa.Lat, Lon: *sa.Lon}).Valid():
		f.Add("shipping_address.lat", "lat must be within -90..90 and lon within -180..180")
	}
}

// checkLines checks the lines' shape; their SKUs are checked against the database later.
func checkLines(f FieldsError, lines []LineInput) {
	switch {
	case len(lines) == 0:
		f.Add("lines", "an order needs at least one line")
	case len(lines) > maxOrderLines:
		f.Add("lines", fmt.Sprintf("an order may have at most %d lines", maxOrderLines))
	}
	for i, l := range lines {
		p := fmt.Sprintf("lines[%d].", i)
		requireText(f, p+"sku", l.SKU, 64)
		checkText(f, p+"external_id", l.ExternalID, 100)
		checkText(f, p+"name", l.Name, 300)
		if l.Quantity < 1 || l.Quantity > maxLineQuantity {
			f.Add(p+"quantity", fmt.Sprintf("must be a whole number from 1 to %d", maxLineQuantity))
		}
	}
}

// checkMoney parses every amount exactly in the order's currency and totals them.
func checkMoney(f FieldsError, in *NewOrder, v *ValidOrder) {
	v.unitPrices = make([]int64, len(in.Lines))
	for i, l := range in.Lines {
		field := fmt.Sprintf("lines[%d].unit_price", i)
		if l.UnitPrice == "" {
			f.Add(field, "is required")
			continue
		}
		price, err := money.Parse(string(l.UnitPrice), v.currency)
		if err != nil {
			f.Add(field, err.Error())
			continue
		}
		v.unitPrices[i] = price
		if l.Quantity > 0 && price > 0 && l.Quantity > (math.MaxInt64-v.subtotal)/price {
			f.Add("lines", "the order's total is too large")
			return
		}
		v.subtotal += l.Quantity * price
	}
	if in.ShippingPrice != "" {
		s, err := money.Parse(string(in.ShippingPrice), v.currency)
		if err != nil {
			f.Add("shipping_price", err.Error())
			return
		}
		v.shipping = s
	}
	if v.subtotal > math.MaxInt64-v.shipping {
		f.Add("shipping_price", "makes the order's total too large")
		return
	}
	v.total = v.subtotal + v.shipping
}

// ResolveOrder looks up the channel, SKUs and pickup location a new order
// names, inside the transaction; unknown or inactive ones are field errors.
func ResolveOrder(ctx context.Context, tx Tx, actor Actor, in NewOrder) (ResolvedOrder, error) {
	f := FieldsError{}
	var r ResolvedOrder
	ch, err := tx.Q.GetChannelByCode(ctx, in.Channel)
	switch {
	case store.IsNoRows(err):
		f.Add("channel", "unknown channel "+Quote(in.Channel))
	case err != nil:
		return r, fmt.Errorf("get channel: %w", err)
	case ch.Active == 0:
		f.Add("channel", "channel "+Quote(in.Channel)+" is inactive")
	}
	r.channel = ch
	if err := actor.mayOrderFor(in.Channel); err != nil {
		return r, err
	}
	if err := resolveSKUs(ctx, tx, in, f, &r); err != nil {
		return r, err
	}
	if in.Delivery.Method == "pickup" {
		if err := resolvePickup(ctx, tx, in, f, &r); err != nil {
			return r, err
		}
	}
	return r, f.Err("order is invalid")
}

// resolveSKUs finds each line's SKU; unknown and inactive SKUs are field errors,
// unless the order is being held for review (a channel's order is never refused).
func resolveSKUs(ctx context.Context, tx Tx, in NewOrder, f FieldsError, r *ResolvedOrder) error {
	codes := make([]string, len(in.Lines))
	for i, l := range in.Lines {
		codes[i] = l.SKU
	}
	rows, err := tx.Q.SKUsForRouting(ctx, codes)
	if err != nil {
		return fmt.Errorf("look up SKUs: %w", err)
	}
	r.skus = rows
	byCode := make(map[string]store.SKUsForRoutingRow, len(rows))
	for _, row := range rows {
		byCode[row.Code] = row
	}
	r.skuIDs = make([]sql.NullInt64, len(in.Lines))
	for i, l := range in.Lines {
		row, ok := byCode[l.SKU]
		field := fmt.Sprintf("lines[%d].sku", i)
		switch {
		case ok && row.Active == 1:
			r.skuIDs[i] = sql.NullInt64{Int64: row.ID, Valid: true}
		case in.Hold != nil:
			// kept as sent, without a SKU: the hold names the line
		case !ok:
			f.Add(field, "unknown SKU "+Quote(l.SKU))
		default:
			f.Add(field, "SKU "+Quote(l.SKU)+" is inactive")
		}
	}
	return nil
}

// resolvePickup checks that the pickup location exists, is active and offers pickup.
func resolvePickup(ctx context.Context, tx Tx, in NewOrder, f FieldsError, r *ResolvedOrder) error {
	loc, err := tx.Q.GetLocationByCode(ctx, in.Delivery.Location)
	switch {
	case store.IsNoRows(err):
		f.Add("delivery.location", "unknown location "+Quote(in.Delivery.Location))
	case err != nil:
		return fmt.Errorf("get pickup location: %w", err)
	case loc.Active == 0:
		f.Add("delivery.location", "location "+Quote(loc.Code)+" is inactive")
	case loc.Pickup == 0:
		f.Add("delivery.location", "location "+Quote(loc.Code)+" does not offer pickup")
	default:
		r.pickupID = sql.NullInt64{Int64: loc.ID, Valid: true}
		r.pickupName = loc.Name
	}
	return nil
}

// mayOrderFor refuses an API key bound to another channel.
func (a Actor) mayOrderFor(channel string) error {
	if a.Kind == ActorAPIKey && a.Channel != "" && a.Channel != channel {
		return Forbidden("this API key may only create orders for channel %q", a.Channel)
	}
	return nil
}

// requireText adds a field error when s is empty or too long.
func requireText(f FieldsError, field, s string, max int) {
	if strings.TrimSpace(s) == "" {
		f.Add(field, "is required")
		return
	}
	checkText(f, field, s, max)
}

// checkText adds a field error when s is longer than max characters.
func checkText(f FieldsError, field, s string, max int) {
	if len([]rune(s)) > max {
		f.Add(field, fmt.Sprintf("must be at most %d characters", max))
	}
}

// nullFloat stores an optional float.
func nullFloat(v *float64) sql.NullFloat64 {
	if v == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *v, Valid: true}
}
