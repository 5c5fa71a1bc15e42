package desk

import (
	"time"

	"switchyard/app/returns"
)

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
		return "; " + what + " will be sent to " + ShopOf(r) + " shortly"
	case returns.RefundSent:
		return "; " + what + " was sent to " + ShopOf(r) + " on " + day(f.UpdatedAt)
	case returns.RefundSucceeded:
		return "; " + what + " was made on " + day(f.UpdatedAt)
	}
	return "; " + what + " is delayed and we are looking into it"
}

// ShopOf names the return's channel: its name, else its code.
func ShopOf(r returns.Return) string {
	if r.ChannelName != "" {
		return r.ChannelName
	}
	return r.Channel
}
