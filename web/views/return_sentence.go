package views

import (
	"strings"
	"time"

	"switchyard/app"
	"switchyard/app/returns"
)

// OrderSentence is the order page's "Tell the customer" sentence: the
// order's, then what became of its latest return and its refund ("We received
// your return RT-000042 on 3 Dec; your refund of EUR 19.90 was sent to web on
// 3 Dec."). Once goods came back, the return's words replace the order's.
func OrderSentence(o app.Order, rets []returns.Return) string {
	f := OrderFacts(o)
	base := CustomerSentence(f)
	r := latestReturn(rets)
	if r == nil {
		return base
	}
	words := ReturnSentence(*r, f.sentenceDate)
	if o.Status == app.StatusReturned || o.Status == app.StatusPartiallyReturned {
		return words
	}
	return base + " " + words
}

// latestReturn is the newest return that was not cancelled, nil when none.
func latestReturn(rets []returns.Return) *returns.Return {
	for i := len(rets) - 1; i >= 0; i-- {
		if rets[i].Status != returns.StatusCancelled {
			return &rets[i]
		}
	}
	return nil
}

// ReturnSentence says where a return stands, and its refund, in the
// customer's words; day writes a day ("3 Dec").
func ReturnSentence(r returns.Return, day func(time.Time) string) string {
	var s string
	switch r.Status {
	case returns.StatusRequested:
		s = "We have your return request " + r.Number + " from " + day(r.RequestedAt) + " and will confirm it shortly."
		return s
	case returns.StatusApproved:
		s = "Your return " + r.Number + " is approved: please send the items back to " + r.LocationName
		if r.DueBy != nil {
			s += " by " + day(*r.DueBy)
		}
		if len(r.Refunds) > 0 {
			s += refundWords(r, day)
		}
		return s + "."
	case returns.StatusDeclined:
		s = "Your return request " + r.Number + " was declined"
		if r.DeclineReason != "" {
			s += ": " + r.DeclineReason
		}
		return s + "."
	case returns.StatusPartiallyReceived:
		s = "We received part of your return " + r.Number
	default: // received, closed
		s = "We received your return " + r.Number
	}
	if r.ReceivedAt != nil {
		s += " on " + day(*r.ReceivedAt)
	}
	return s + refundWords(r, day) + "."
}

// refundWords is what became of the return's latest refund: "; your refund of
// EUR 19.90 was sent to web on 3 Dec", or "" when none is due.
func refundWords(r returns.Return, day func(time.Time) string) string {
	if len(r.Refunds) == 0 {
		if r.Refund != nil && r.Resolution == returns.ResolutionRefund {
			return "; your refund of " + r.Currency + " " + r.Refund.Amount + " is on its way"
		}
		return ""
	}
	f := r.Refunds[len(r.Refunds)-1]
	what := "your refund of "
	if f.Kind == returns.ResolutionStoreCredit {
		what = "your store credit of "
	}
	what += f.Currency + " " + f.Amount
	switch f.Status {
	case returns.RefundPending:
		return "; " + what + " will be sent to " + shopName(r) + " shortly"
	case returns.RefundSent:
		return "; " + what + " was sent to " + shopName(r) + " on " + day(f.UpdatedAt)
	case returns.RefundSucceeded:
		return "; " + what + " was made on " + day(f.UpdatedAt)
	}
	return "; " + what + " is delayed and we are looking into it"
}

// locationWhy is why the goods come back where they do, without the
// location's name the page shows just before it.
func locationWhy(r returns.Return) string {
	return strings.TrimPrefix(strings.TrimPrefix(r.LocationWhy, r.LocationName), ": ")
}

// startedBy says who started a return and how.
func startedBy(r returns.Return) string {
	switch r.StartedBy {
	case returns.OriginCustomer:
		return "the customer, on their tracking page"
	case returns.OriginAPI:
		return r.Actor + ", through the API"
	case returns.OriginChannel:
		return r.Actor + ", in the shop"
	}
	return r.Actor
}

// shopName names the return's channel: its name, else its code.
func shopName(r returns.Return) string {
	if r.ChannelName != "" {
		return r.ChannelName
	}
	return r.Channel
}
