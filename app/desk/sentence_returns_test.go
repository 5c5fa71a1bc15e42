package desk

import (
	"testing"
	"time"

	"switchyard/app/returns"
)

func TestReturnSentence(t *testing.T) {
	day := func(t time.Time) string { return t.UTC().Format("2 Jan") }
	dec3 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	due := dec3.AddDate(0, 0, 21)
	for _, tc := range []struct {
		r    returns.Return
		want string
	}{
		{returns.Return{Number: "RT-000042", Status: returns.StatusReceived, ReceivedAt: &dec3, Channel: "Shopify", Currency: "EUR",
			Refunds: []returns.Refund{{Kind: "refund", Amount: "19.90", Currency: "EUR", Status: returns.RefundSent, UpdatedAt: dec3}}},
			"We received your return RT-000042 on 3 Dec; your refund of EUR 19.90 was sent to Shopify on 3 Dec."},
		{returns.Return{Number: "RT-000042", Status: returns.StatusApproved, LocationName: "Lyon warehouse", DueBy: &due},
			"Your return RT-000042 is approved: please send the items back to Lyon warehouse by 24 Dec."},
		{returns.Return{Number: "RT-000042", Status: returns.StatusRequested, RequestedAt: dec3},
			"We have your return request RT-000042 from 3 Dec and will confirm it shortly."},
		{returns.Return{Number: "RT-000042", Status: returns.StatusDeclined, DeclineReason: "worn"},
			"Your return request RT-000042 was declined: worn."},
		{returns.Return{Number: "RT-000042", Status: returns.StatusPartiallyReceived, ReceivedAt: &dec3, Channel: "web", Currency: "EUR",
			Refunds: []returns.Refund{{Kind: "refund", Amount: "5.00", Currency: "EUR", Status: returns.RefundFailed}}},
			"We received part of your return RT-000042 on 3 Dec; your refund of EUR 5.00 is delayed and we are looking into it."},
	} {
		if got := ReturnSentence(tc.r, day); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}
