package desk

import (
	"fmt"
	"strings"
	"time"

	"switchyard/app"
	"switchyard/app/returns"
)

// SentenceFacts are the facts of an order the customer sentence says.
type SentenceFacts struct {
	Status         app.Status
	Shipments      []app.Shipment
	PromisedShipBy *time.Time
	PromisedBy     *time.Time
	HoldReason     string         // the hold's reason code, when on hold
	Zone           *time.Location // the zone days are said in; nil: UTC
}

// OrderFacts are the sentence facts of an order.
func OrderFacts(o app.Order) SentenceFacts {
	country := ""
	if o.ShippingAddress != nil {
		country = o.ShippingAddress.Country
	}
	zone, _ := CustomerZone(country)
	return SentenceFacts{Status: o.Status, Shipments: o.Shipments, PromisedShipBy: o.PromisedShipBy, PromisedBy: o.PromisedBy,
		HoldReason: o.HoldReason, Zone: zone}
}

// Facts are the sentence facts of a tracking view.
func (v TrackingView) Facts() SentenceFacts {
	return SentenceFacts{Status: v.Status, Shipments: v.Shipments, PromisedShipBy: v.PromisedShipBy, PromisedBy: v.PromisedBy,
		HoldReason: v.HoldReason, Zone: v.Zone}
}

// Day writes a day the way people say it, in the customer's zone: "3 Dec".
func (o SentenceFacts) Day(t time.Time) string {
	if o.Zone == nil {
		return t.UTC().Format("2 Jan")
	}
	return t.In(o.Zone).Format("2 Jan")
}

// Sentence is what the customer may be told about an order, in one place:
// the order page's "Tell the customer", the customer's tracking page and the
// answer API for assistants all say it. It is the order's words, then what
// became of its latest return and its refund ("We received your return
// RT-000042 on 3 Dec; your refund of EUR 19.90 was sent to web on 3 Dec.");
// once goods came back, the return's words replace the order's.
func Sentence(f SentenceFacts, rets []returns.Return) string {
	base := CustomerSentence(f)
	r := latestReturn(rets)
	if r == nil {
		return base
	}
	words := ReturnSentence(*r, f.Day)
	if f.Status == app.StatusReturned || f.Status == app.StatusPartiallyReturned {
		return words
	}
	return base + " " + words
}

// CustomerSentence is the order's part of Sentence, with the facts:
// "Shipped on 3 Dec from Lyon with UPS, tracking 1Z…, expected by 5 Dec."
func CustomerSentence(o SentenceFacts) string {
	switch o.Status {
	case app.StatusShipped, app.StatusPartiallyShipped, app.StatusDelivered:
		if s := lastShipment(o); s != nil {
			return shippedSentence(o, *s)
		}
	case app.StatusOnHold:
		return holdSentence(o.HoldReason)
	case app.StatusCancelled:
		return "Your order was cancelled."
	case app.StatusBackordered, app.StatusPartiallyRouted:
		return "Part of your order is waiting for stock; we will ship it as soon as it arrives" + o.expected() + "."
	case app.StatusReturned:
		return "We have received your return."
	case app.StatusPartiallyReturned:
		return "We have received part of your return."
	}
	sentence := "We have your order and are preparing it"
	if o.PromisedShipBy != nil {
		sentence += "; it should leave by " + o.Day(*o.PromisedShipBy)
	}
	return sentence + o.expected() + "."
}

// holdSentence is what the customer may be told of a hold, by its reason:
// a hold they asked for is theirs to lift, and other holds say what waits.
func holdSentence(reason string) string {
	switch reason {
	case "customer_request":
		return "Your order is on hold, as you asked; it goes ahead when you tell us."
	case "address_check":
		return "We are checking your shipping address; we will contact you if we need anything."
	case "payment":
		return "Your order is waiting for your payment to be confirmed."
	case app.HoldStockReview:
		return "Part of your order is not in stock yet; we will tell you when it ships."
	}
	return "Your order is being reviewed; we will update you shortly."
}

// shippedSentence describes the latest shipment.
func shippedSentence(o SentenceFacts, s app.Shipment) string {
	if s.Carrier == app.CarrierPickup {
		if s.DeliveredAt != nil {
			return fmt.Sprintf("Collected on %s at %s.", o.Day(*s.DeliveredAt), s.LocationName)
		}
		return fmt.Sprintf("Ready for pickup at %s since %s.", s.LocationName, o.Day(s.ShippedAt))
	}
	var b strings.Builder
	verb := "Shipped"
	if o.Status == app.StatusPartiallyShipped {
		verb = "Part of your order shipped"
	}
	fmt.Fprintf(&b, "%s on %s from %s with %s", verb, o.Day(s.ShippedAt), CustomerPlace(s), s.CarrierName)
	if s.TrackingNumber != "" {
		b.WriteString(", tracking " + s.TrackingNumber)
	}
	if s.DeliveredAt != nil {
		b.WriteString(", delivered on " + o.Day(*s.DeliveredAt))
	} else {
		b.WriteString(o.expected())
	}
	if o.Status == app.StatusPartiallyShipped {
		b.WriteString("; the rest follows")
	}
	return b.String() + "."
}

// expected is ", expected by 5 Dec" when the order has a delivery promise.
func (o SentenceFacts) expected() string {
	if o.PromisedBy == nil {
		return ""
	}
	return ", expected by " + o.Day(*o.PromisedBy)
}

// lastShipment is the newest shipment, or nil.
func lastShipment(o SentenceFacts) *app.Shipment {
	if len(o.Shipments) == 0 {
		return nil
	}
	return &o.Shipments[len(o.Shipments)-1]
}
