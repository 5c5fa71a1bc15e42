package views

import (
	"testing"

	"switchyard/app/returns"
)

func TestReturnPageWordsDoNotRepeatThemselves(t *testing.T) {
	r := returns.Return{LocationName: "Lyon warehouse", LocationWhy: "Lyon warehouse: the nearest location that takes returns",
		StartedBy: returns.OriginCustomer, Actor: "the customer"}
	if got := locationWhy(r); got != "the nearest location that takes returns" {
		t.Errorf("locationWhy = %q", got)
	}
	if got := startedBy(r); got != "the customer, on their tracking page" {
		t.Errorf("startedBy = %q", got)
	}
	r.StartedBy, r.Actor = returns.OriginAPI, "API key shop"
	if got := startedBy(r); got != "API key shop, through the API" {
		t.Errorf("startedBy = %q", got)
	}
}
