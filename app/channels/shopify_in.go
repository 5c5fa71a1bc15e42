package channels

import (
	"switchyard/app/money"

	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"switchyard/app"
)

// ShopifyTopics are the Shopify webhook topics that carry an order.
var ShopifyTopics = []string{"orders/create", "orders/updated", "orders/cancelled"}

// shopifyOrder is the part of a Shopify order (webhook body or REST answer) Switchyard reads.
type shopifyOrder struct {
	ID              id              `json:"id"`
	GID             string          `json:"admin_graphql_api_id"`
	OrderID         id              `json:"order_id"` // set in fulfillments and refunds, never in orders
	Name            string          `json:"name"`
	Email           str             `json:"email"`
	ContactEmail    str             `json:"contact_email"`
	Phone           str             `json:"phone"`
	Currency        string          `json:"currency"`
	Test            bool            `json:"test"`
	CancelledAt     str             `json:"cancelled_at"`
	CancelReason    str             `json:"cancel_reason"`
	CreatedAt       str             `json:"created_at"`
	ProcessedAt     str             `json:"processed_at"`
	UpdatedAt       str             `json:"updated_at"`
	Note            str             `json:"note"`
	Tags            str             `json:"tags"`
	ShippingAddress *shopifyAddress `json:"shipping_address"`
	BillingAddress  *shopifyAddress `json:"billing_address"`
	Customer        *struct {
		FirstName      str             `json:"first_name"`
		LastName       str             `json:"last_name"`
		Email          str             `json:"email"`
		Phone          str             `json:"phone"`
		DefaultAddress *shopifyAddress `json:"default_address"`
	} `json:"customer"`
	LineItems     []shopifyLine `json:"line_items"`
	ShippingLines []struct {
		Price money.Decimal `json:"price"`
	} `json:"shipping_lines"`
	TotalShipping *struct {
		ShopMoney struct {
			Amount money.Decimal `json:"amount"`
		} `json:"shop_money"`
	} `json:"total_shipping_price_set"`
}

// shopifyAddress is a Shopify address.
type shopifyAddress struct {
	Name         str      `json:"name"`
	FirstName    str      `json:"first_name"`
	LastName     str      `json:"last_name"`
	Address1     str      `json:"address1"`
	Address2     str      `json:"address2"`
	City         str      `json:"city"`
	Province     str      `json:"province"`
	ProvinceCode str      `json:"province_code"`
	Zip          str      `json:"zip"`
	CountryCode  str      `json:"country_code"`
	Phone        str      `json:"phone"`
	Latitude     *float64 `json:"latitude"`
	Longitude    *float64 `json:"longitude"`
}

// shopifyLine is one Shopify line item.
type shopifyLine struct {
	ID           id            `json:"id"`
	VariantID    id            `json:"variant_id"`
	SKU          str           `json:"sku"`
	Title        str           `json:"title"`
	Name         str           `json:"name"`
	VariantTitle str           `json:"variant_title"`
	Quantity     quantity      `json:"quantity"`
	Price        money.Decimal `json:"price"`
}

// ShopifyOrder maps a Shopify order body for channel. It accepts a webhook
// body and a REST answer wrapped in {"order": ...} (unwrapped); any other JSON
// object without an order id is ErrNotOrder.
func ShopifyOrder(channel string, body []byte) (Mapped, error) {
	body = bytes.TrimSpace(body)
	var wrapped struct {
		Order json.RawMessage `json:"order"`
	}
	if len(body) > 0 && body[0] == '{' && json.Unmarshal(body, &wrapped) == nil && len(wrapped.Order) > 0 && wrapped.Order[0] == '{' {
		body = wrapped.Order
	}
	var o shopifyOrder
	if err := decode(body, &o); err != nil {
		return Mapped{}, err
	}
	extID, err := shopifyID(o)
	if err != nil {
		return Mapped{}, err
	}
	n := app.NewOrder{
		Channel: channel, ExternalID: extID, ChannelRef: o.Name, Currency: o.Currency, Test: o.Test,
		Note: clip(val(o.Note), 2000), Tags: splitTags(val(o.Tags)),
	}
	if t, err := shopifyTime(o.ProcessedAt, o.CreatedAt); err != nil {
		return Mapped{}, err
	} else if t != nil {
		n.PlacedAt = t
	}
	n.Customer = app.CustomerInput{Email: firstOf(val(o.Email), val(o.ContactEmail)), Phone: val(o.Phone)}
	if c := o.Customer; c != nil {
		n.Customer.Name = strings.TrimSpace(val(c.FirstName) + " " + val(c.LastName))
		n.Customer.Email = firstOf(n.Customer.Email, val(c.Email))
		n.Customer.Phone = firstOf(n.Customer.Phone, val(c.Phone))
	}
	m := Mapped{Modified: val(o.UpdatedAt)}
	n.ShippingAddress = o.ShippingAddress.input()
	if n.ShippingAddress == nil {
		country := ""
		if a := o.BillingAddress.input(); a != nil {
			country = a.Country
		} else if o.Customer != nil {
			if a := o.Customer.DefaultAddress.input(); a != nil {
				country = a.Country
			}
		}
		if country == "" {
			country = countryFromCurrency(o.Currency)
		}
		if country != "" {
			n.ShippingAddress = placeholderAddress(country)
			m.Problems = append(m.Problems, "Shopify sent no shipping address (country "+country+" assumed): set the address before releasing")
		}
	}
	if n.Customer.Name == "" && n.ShippingAddress != nil {
		n.Customer.Name = n.ShippingAddress.Name
	}
	switch {
	case o.TotalShipping != nil && o.TotalShipping.ShopMoney.Amount != "":
		n.ShippingPrice = o.TotalShipping.ShopMoney.Amount
	case len(o.ShippingLines) == 1:
		n.ShippingPrice = o.ShippingLines[0].Price
	}
	for i, l := range o.LineItems {
		name := firstOf(val(l.Name), val(l.Title))
		in := app.LineInput{ExternalID: string(l.ID), SKU: val(l.SKU), Name: clip(name, 300), Quantity: int64(l.Quantity), UnitPrice: l.Price}
		if in.SKU == "" {
			in.SKU = NoSKU
			m.Problems = append(m.Problems, lineProblem(i+1, name, prefixed("variant ", string(l.VariantID)), "has no SKU"))
		}
		n.Lines = append(n.Lines, in)
	}
	if o.CancelledAt != nil {
		m.Cancelled = true
		m.CancelReason = "Cancelled in Shopify"
		if r := val(o.CancelReason); r != "" {
			m.CancelReason += " (reason: " + clip(r, 100) + ")"
		}
		m.CancelReason += "."
	}
	reason := "other"
	if n.ShippingAddress != nil && n.ShippingAddress.Line1 == placeholderAddress("").Line1 {
		reason = "address_check"
	}
	n.Hold = hold(reason, m.Problems)
	m.Order = n
	return m, nil
}

// shopifyID is the order's id as a decimal string. When the numeric id is
// beyond 2^53 and is the float64 rounding of the GraphQL id, it went through a
// float64 somewhere (copies of Shopify's samples did): the GraphQL id is the true one.
func shopifyID(o shopifyOrder) (string, error) {
	rest, isOrder := strings.CutPrefix(o.GID, "gid://shopify/Order/")
	switch {
	case o.GID != "" && !isOrder, o.OrderID != "", o.ID == "" && len(o.LineItems) == 0 && o.Currency == "":
		return "", ErrNotOrder
	}
	var g id
	if isOrder && g.UnmarshalJSON([]byte(rest)) == nil && g != "" {
		if o.ID == "" || roundedCopy(string(o.ID), string(g)) {
			return string(g), nil
		}
	}
	if o.ID == "" {
		return "", errors.New("the order has no id")
	}
	return string(o.ID), nil
}

// roundedCopy reports whether n, beyond 2^53, is the float64 rounding of the different id exact.
func roundedCopy(n, exact string) bool {
	a, err1 := strconv.ParseUint(n, 10, 64)
	b, err2 := strconv.ParseUint(exact, 10, 64)
	return err1 == nil && err2 == nil && a != b && a > 1<<53 && float64(a) == float64(b)
}

// shopifyTime parses the first of the given RFC 3339 times that is set.
func shopifyTime(times ...str) (*time.Time, error) {
	for _, s := range times {
		if v := val(s); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return nil, fmt.Errorf("time %.40q is not RFC 3339", v)
			}
			t = t.UTC()
			return &t, nil
		}
	}
	return nil, nil
}

// input is a Shopify address in Switchyard's terms; nil when there is none.
func (a *shopifyAddress) input() *app.AddressInput {
	if a == nil || (val(a.Address1) == "" && val(a.City) == "" && val(a.CountryCode) == "") {
		return nil
	}
	out := &app.AddressInput{
		Name:  firstOf(val(a.Name), strings.TrimSpace(val(a.FirstName)+" "+val(a.LastName))),
		Line1: val(a.Address1), Line2: val(a.Address2), City: val(a.City),
		Region: firstOf(val(a.ProvinceCode), val(a.Province)), PostalCode: val(a.Zip),
		Country: val(a.CountryCode), Phone: val(a.Phone),
	}
	if a.Latitude != nil && a.Longitude != nil {
		lat, lon := *a.Latitude, *a.Longitude
		out.Lat, out.Lon = &lat, &lon
	}
	return out
}

// firstOf returns the first non-empty string.
func firstOf(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// prefixed is prefix+s, or empty when s is.
func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}
