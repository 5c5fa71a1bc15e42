package channels

import (
	"switchyard/app/money"

	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"switchyard/app"
)

// WooTopics are the WooCommerce webhook topics that carry an order.
var WooTopics = []string{"order.created", "order.updated"}

// WooChannelOrder maps a WooCommerce order body (a webhook's, or one order of
// the REST API's list) for channel as app takes it in; nil when it is no order.
// The reconciliation pull uses it too.
func WooChannelOrder(channel string, body []byte) (*ChannelOrder, error) {
	m, err := WooOrder(channel, body)
	if errors.Is(err, ErrNotOrder) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return m.ChannelOrder(), nil
}

// wooOrder is the part of a WooCommerce REST v3 order (the body of its order
// webhooks) Switchyard reads.
type wooOrder struct {
	ID              id            `json:"id"`
	Number          string        `json:"number"`
	Status          string        `json:"status"`
	Currency        string        `json:"currency"`
	DateCreatedGMT  string        `json:"date_created_gmt"`
	DateModifiedGMT string        `json:"date_modified_gmt"`
	CustomerNote    string        `json:"customer_note"`
	ShippingTotal   money.Decimal `json:"shipping_total"`
	Billing         *wooAddress   `json:"billing"`
	Shipping        *wooAddress   `json:"shipping"`
	Refunds         []struct {
		ID     id            `json:"id"`
		Reason string        `json:"reason"`
		Total  money.Decimal `json:"total"`
	} `json:"refunds"`
	LineItems []struct {
		ID          id            `json:"id"`
		Name        string        `json:"name"`
		ProductID   id            `json:"product_id"`
		VariationID id            `json:"variation_id"`
		Quantity    quantity      `json:"quantity"`
		SKU         str           `json:"sku"`
		Price       money.Decimal `json:"price"`
	} `json:"line_items"`
}

// wooAddress is a WooCommerce billing or shipping address.
type wooAddress struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
}

// wooGMT is how WooCommerce writes its *_gmt times: UTC without an offset.
const wooGMT = "2006-01-02T15:04:05"

// IsWooPing reports whether body is the unsigned ping WooCommerce sends when a
// webhook is created: a form body webhook_id=N.
func IsWooPing(body []byte) bool {
	body = bytes.TrimSpace(body)
	if !bytes.HasPrefix(body, []byte("webhook_id=")) || len(body) > 200 {
		return false
	}
	v, err := url.ParseQuery(string(body))
	return err == nil && v.Get("webhook_id") != ""
}

// WooOrder maps a WooCommerce order body for channel.
func WooOrder(channel string, body []byte) (Mapped, error) {
	var o wooOrder
	if err := decode(bytes.TrimSpace(body), &o); err != nil {
		return Mapped{}, err
	}
	if o.ID == "" {
		if len(o.LineItems) == 0 && o.Currency == "" {
			return Mapped{}, ErrNotOrder
		}
		return Mapped{}, errors.New("the order has no id")
	}
	n := app.NewOrder{
		Channel: channel, ExternalID: string(o.ID), ChannelRef: firstOf(strings.TrimSpace(o.Number), string(o.ID)),
		Currency: o.Currency, Note: clip(strings.TrimSpace(o.CustomerNote), 2000), ShippingPrice: o.ShippingTotal,
	}
	if s := strings.TrimSpace(o.DateCreatedGMT); s != "" {
		t, err := time.Parse(wooGMT, s)
		if err != nil {
			return Mapped{}, fmt.Errorf("date_created_gmt %.40q is not a time like 2017-03-22T19:28:02", s)
		}
		n.PlacedAt = &t
	}
	if b := o.Billing; b != nil {
		n.Customer = app.CustomerInput{Email: strings.TrimSpace(b.Email), Phone: strings.TrimSpace(b.Phone),
			Name: strings.TrimSpace(b.FirstName + " " + b.LastName)}
	}
	m := Mapped{Modified: strings.TrimSpace(o.DateModifiedGMT)}
	n.ShippingAddress = o.Shipping.input()
	if n.ShippingAddress == nil {
		n.ShippingAddress = o.Billing.input()
	}
	if n.ShippingAddress == nil {
		if c := countryFromCurrency(o.Currency); c != "" {
			n.ShippingAddress = placeholderAddress(c)
			m.Problems = append(m.Problems, "WooCommerce sent no address (country "+c+" assumed): set the address before releasing")
		}
	}
	for i, l := range o.LineItems {
		in := app.LineInput{ExternalID: string(l.ID), SKU: val(l.SKU), Name: clip(strings.TrimSpace(l.Name), 300),
			Quantity: int64(l.Quantity), UnitPrice: l.Price}
		if in.SKU == "" {
			in.SKU = NoSKU
			ref := ""
			switch {
			case l.VariationID != "" && l.VariationID != "0":
				ref = "variation " + string(l.VariationID)
			case l.ProductID != "" && l.ProductID != "0":
				ref = "product " + string(l.ProductID)
			}
			m.Problems = append(m.Problems, lineProblem(i+1, in.Name, ref, "has no SKU"))
		}
		n.Lines = append(n.Lines, in)
	}
	for _, f := range o.Refunds {
		if f.ID != "" {
			m.Refunds = append(m.Refunds, Refund{ID: string(f.ID), Reason: clip(strings.TrimSpace(f.Reason), 500),
				Amount: strings.TrimPrefix(strings.TrimSpace(string(f.Total)), "-")})
		}
	}
	reason := "other"
	switch o.Status {
	case "cancelled", "refunded", "failed", "trash":
		m.Cancelled = true
		m.CancelReason = "Cancelled in WooCommerce (status " + o.Status + ")."
	case "pending", "on-hold":
		if len(m.Problems) == 0 {
			reason = "payment"
		}
		m.Problems = append(m.Problems, "WooCommerce shows the order "+o.Status+" (not paid yet)")
	}
	if n.ShippingAddress != nil && n.ShippingAddress.Line1 == placeholderAddress("").Line1 {
		reason = "address_check"
	}
	n.Hold = hold(reason, m.Problems)
	m.Order = n
	return m, nil
}

// input is a WooCommerce address in Switchyard's terms; nil when there is none.
func (a *wooAddress) input() *app.AddressInput {
	if a == nil || (strings.TrimSpace(a.Address1) == "" && strings.TrimSpace(a.City) == "") {
		return nil
	}
	return &app.AddressInput{
		Name:  strings.TrimSpace(a.FirstName + " " + a.LastName),
		Line1: strings.TrimSpace(a.Address1), Line2: strings.TrimSpace(a.Address2), City: strings.TrimSpace(a.City),
		Region: strings.TrimSpace(a.State), PostalCode: strings.TrimSpace(a.Postcode),
		Country: strings.TrimSpace(a.Country), Phone: strings.TrimSpace(a.Phone),
	}
}
