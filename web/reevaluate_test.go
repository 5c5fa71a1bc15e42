package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/audit"
	"switchyard/app/imports"
	"switchyard/web/webtest"
)

// reevalEnv is channel web-eu served by the Lyon warehouse (EUR 5.00 to
// France) and the Zurich warehouse (EUR 9.00); one order of a TEE is routed
// to Zurich, the only one with stock, and then Lyon receives some.
func reevalEnv(t *testing.T) (*webtest.Env, app.Order) {
	t.Helper()
	env := webtest.New(t)
	ctx := context.Background()
	if _, _, err := env.App.PutChannel(ctx, app.System, "web-eu", app.ChannelInput{Name: "Web EU", Kind: "shopify"}); err != nil {
		t.Fatal(err)
	}
	env.AddLocation("LYS-WH", "Lyon warehouse", "web-eu")
	env.AddLocation("ZUR-WH", "Zurich warehouse", "web-eu")
	env.AddSKU("TEE")
	for origin, cost := range map[string]string{"LYS-WH": "5.00", "ZUR-WH": "9.00"} {
		if _, err := env.Svc.Imports.PutZoneRate(ctx, app.System, imports.ZoneRateInput{Origin: origin, Country: "FR", Cost: cost,
			Currency: "EUR", TransitDays: 2}); err != nil {
			t.Fatal(err)
		}
	}
	env.Stock("LYS-WH", "TEE", 0)
	env.Stock("ZUR-WH", "TEE", 1)
	o := excPlace(t, env, "Z", "TEE", 1)
	if len(o.Fulfillments) != 1 || o.Fulfillments[0].Location != "ZUR-WH" {
		t.Fatalf("setup: %+v", o.Fulfillments)
	}
	env.Stock("LYS-WH", "TEE", 3)
	return env, o
}

func TestReevaluateButtonMovesOrdersAndSaysSo(t *testing.T) {
	env, o := reevalEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)
	if body := excGet(t, ops, "/exceptions"); !strings.Contains(body, `data-testid="reevaluate"`) {
		t.Fatal("ops managers are offered the re-evaluation")
	}
	res := ops.PostForm("/exceptions/reevaluate", url.Values{})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/exceptions" {
		t.Fatalf("re-evaluate = %d to %q\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	body := excGet(t, ops, "/exceptions")
	if !strings.Contains(body, "Re-evaluated 1 order: 1 moved, saving EUR 4.00; 0 skipped") {
		t.Fatalf("no notice:\n%s", body)
	}
	if strings.Contains(excGet(t, ops, "/exceptions"), "Re-evaluated") {
		t.Error("the notice shows once")
	}
	after, err := env.App.OrderByNumber(context.Background(), o.Number)
	if err != nil {
		t.Fatal(err)
	}
	last := after.Fulfillments[len(after.Fulfillments)-1]
	if last.Location != "LYS-WH" || last.Status != app.FulfillmentPending || after.Fulfillments[0].Status != app.FulfillmentCancelled {
		t.Fatalf("fulfillments %+v", after.Fulfillments)
	}
	found := false
	for _, e := range after.Events {
		if e.Kind == "reevaluated" {
			found = true
			if !strings.HasPrefix(e.Message, "Re-evaluated: now ships in 1 parcel from Lyon warehouse instead of 1 parcel from Zurich warehouse; saves EUR 4.00") ||
				e.ActorName == "" || e.ActorName == app.System.Label() {
				t.Errorf("entry %+v", e)
			}
		}
	}
	if !found {
		t.Fatal("no timeline entry")
	}
	log, err := audit.New(env.App).List(context.Background(), audit.Query{Action: audit.RoutingReevaluated})
	if err != nil || len(log.Items) != 1 || log.Items[0].Detail != "Re-evaluated 1 order: 1 moved, saving EUR 4.00; 0 skipped ("+o.Number+")" {
		t.Fatalf("audit log %+v %v", log.Items, err)
	}
	if page := excGet(t, ops, "/orders/"+o.Number+"/routing"); !strings.Contains(page, "re-evaluated: stock moved and it ships cheaper now") {
		t.Error("the routing page does not say why the order was routed again")
	}
	res = ops.PostForm("/exceptions/reevaluate", url.Values{})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(excGet(t, ops, "/exceptions"), "Re-evaluated 1 order: 0 moved, saving nothing; 0 skipped") {
		t.Errorf("a second pass: %d", res.StatusCode)
	}
}

func TestReevaluateButtonRefusals(t *testing.T) {
	env, o := reevalEnv(t)
	support, _ := env.SignedIn(app.RoleSupport)
	if body := excGet(t, support, "/exceptions"); strings.Contains(body, `data-testid="reevaluate"`) {
		t.Error("support agents are not offered the re-evaluation")
	}
	if res := support.PostForm("/exceptions/reevaluate", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Errorf("support: %d, want 403", res.StatusCode)
	}
	wh, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	if res := wh.PostForm("/exceptions/reevaluate", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Errorf("warehouse: %d, want 403", res.StatusCode)
	}
	admin, _ := env.SignedIn(app.RoleAdmin)
	if res := admin.PostRaw("/exceptions/reevaluate", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Errorf("without the CSRF token: %d, want 403", res.StatusCode)
	}
	if res := admin.Get("/exceptions/reevaluate"); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", res.StatusCode)
	}
	after, _ := env.App.OrderByNumber(context.Background(), o.Number)
	if len(after.Fulfillments) != 1 || after.Fulfillments[0].Location != "ZUR-WH" {
		t.Fatalf("a refused request moved the order: %+v", after.Fulfillments)
	}
	if res := admin.PostForm("/exceptions/reevaluate", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("admin: %d", res.StatusCode)
	}
}
