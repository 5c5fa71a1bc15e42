package privacy_test

import (
	"context"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/privacy"
)

func TestAnonymiseFinishedOldOrders(t *testing.T) {
	a := apptest.OrderNetwork(t)
	ctx := context.Background()
	priv := privacy.New(a)
	place := func(ext, placed, email string, cancel bool) string {
		in := apptest.DecodeOrder(t, `"100234"`, `"`+ext+`"`, "2026-11-20T10:00:00Z", placed, "ana@example.com", email)
		o, _, err := a.PlaceOrder(ctx, app.System, in)
		if err != nil {
			t.Fatal(err)
		}
		if cancel {
			if _, err := a.Cancel(ctx, admin, o.Number, app.CancelInput{Reason: "customer asked"}); err != nil {
				t.Fatal(err)
			}
		}
		return o.Number
	}
	oldDone := place("1", "2024-01-10T10:00:00Z", "old-done@example.com", true)
	oldOpen := place("2", "2024-01-11T10:00:00Z", "old-open@example.com", false)
	newDone := place("3", a.Now().Add(-24*3600e9).Format("2006-01-02T15:04:05Z"), "new-done@example.com", true)

	if n, err := priv.Anonymise(ctx); err != nil || n != 0 {
		t.Fatalf("with the setting off: %d, %v", n, err)
	}
	if _, err := priv.SetAnonymiseAfter(ctx, support, "90"); app.ErrorKind(err) != app.KindForbidden {
		t.Errorf("support setting the age: %v, want forbidden", err)
	}
	for _, bad := range []string{"7", "x", "99999"} {
		if _, err := priv.SetAnonymiseAfter(ctx, admin, bad); app.ErrorKind(err) != app.KindInvalid {
			t.Errorf("%q: %v, want invalid", bad, err)
		}
	}
	if _, err := priv.SetAnonymiseAfter(ctx, admin, "365"); err != nil {
		t.Fatal(err)
	}
	if d, _ := priv.AnonymiseAfter(ctx); d != 365 {
		t.Fatalf("setting = %d", d)
	}
	n, err := priv.Anonymise(ctx)
	if err != nil || n != 1 {
		t.Fatalf("Anonymise = %d, %v; want the old finished order only", n, err)
	}
	for number, erased := range map[string]bool{oldDone: true, oldOpen: false, newDone: false} {
		o, err := a.OrderByNumber(ctx, number)
		if err != nil {
			t.Fatal(err)
		}
		if got := o.Customer.Email == ""; got != erased {
			t.Errorf("%s erased = %v, want %v", number, got, erased)
		}
	}
	if n, _ := priv.Anonymise(ctx); n != 0 {
		t.Errorf("a second run erased %d orders", n)
	}
	e := &env{t: t, a: a}
	if events := e.dump("order_events"); strings.Count(events, "personal data erased 365 days after the order") != 1 {
		t.Errorf("want one timeline entry of the anonymisation:\n%s", events)
	}
	apptest.CheckInvariants(t, a)
}
