package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/routing"
	"switchyard/web/webtest"
)

// simEnv: a warehouse and a store in Lyon serving channel web. Orders route
// to the warehouse A-LYS (they tie, and ties go by code); a draft that ships
// from stores only moves them to the store B-LYS.
// It returns the numbers of the orders placed, oldest first.
func simEnv(t *testing.T) (*webtest.Env, []string) {
	t.Helper()
	env := webtest.New(t)
	ctx := context.Background()
	if _, _, err := env.App.PutChannel(ctx, app.System, "web", app.ChannelInput{Name: "Web shop", Kind: "api"}); err != nil {
		t.Fatal(err)
	}
	env.AddLocation("A-LYS", "Lyon A", "web")
	yes := true
	if _, _, err := env.App.PutLocation(ctx, app.System, "B-LYS", app.LocationInput{
		Name: "Lyon B", Kind: "store", Timezone: "Europe/Paris", Ships: &yes, Pickup: &yes, Channels: []string{"web"},
		Address: app.Address{Line1: "1 rue de la Gare", City: "Lyon", PostalCode: "69002", Country: "FR"},
	}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := env.App.PutSKU(ctx, app.System, "TEE", app.SKUInput{Name: "Tee"}); err != nil {
		t.Fatal(err)
	}
	env.Stock("A-LYS", "TEE", 50)
	env.Stock("B-LYS", "TEE", 80)
	var numbers []string
	for i := range 4 {
		o, _, err := env.App.PlaceOrder(ctx, app.System, app.NewOrder{
			Channel: "web", ExternalID: fmt.Sprint("S", i), Currency: "EUR",
			ShippingAddress: &app.AddressInput{Line1: "1 rue", City: "Lyon", PostalCode: "69002", Country: "FR"},
			Lines:           []app.LineInput{{SKU: "TEE", Quantity: 2, UnitPrice: "10"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		numbers = append(numbers, o.Number)
	}
	draft := routing.RuleSet{Rules: []routing.Rule{{Name: "Stores", Enabled: true, Filters: routing.Filters{Kinds: []string{routing.KindStore}},
		Rank:  []string{routing.RankerClosest},
		Split: routing.Split{Allow: true, MaxShipments: 2}, MissingStock: routing.MissingBackorder}}}
	if _, err := env.Svc.Rules.PutDraftRules(ctx, app.System, draft); err != nil {
		t.Fatal(err)
	}
	return env, numbers
}

// simBeside returns the message shown beside a form field, or "" with ok false.
func simBeside(body, field string) (string, bool) {
	m := regexp.MustCompile(`data-field="` + regexp.QuoteMeta(field) + `">([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(m[1]), true
}

func TestSimulationPage(t *testing.T) {
	env, numbers := simEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)
	page := ops.Get("/rules/simulate")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `action="/rules/simulate"`) || !strings.Contains(page.Body, `value="1000" checked`) {
		t.Fatalf("form: %d\n%s", page.StatusCode, page.Body)
	}
	res := ops.PostForm("/rules/simulate", url.Values{"rules": {"draft"}, "window": {"100"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("run: %d\n%s", res.StatusCode, res.Body)
	}
	for _, want := range []string{
		"The draft over 4 orders", "4 of 4 orders</strong> would ship from other locations",
		`data-testid="sim-summary"`, `data-location="B-LYS"`,
		`href="/orders/` + numbers[3] + `/routing"`, "Routed to Lyon B",
	} {
		if !strings.Contains(res.Body, want) {
			t.Fatalf("the report lacks %q:\n%s", want, res.Body)
		}
	}
	if strings.Index(res.Body, `data-order="`+numbers[3]+`"`) > strings.Index(res.Body, `data-order="`+numbers[0]+`"`) {
		t.Fatal("changed orders are listed newest first")
	}
	published := ops.PostForm("/rules/simulate", url.Values{"rules": {"published"}, "window": {"1000"}})
	if published.StatusCode != http.StatusOK || !strings.Contains(published.Body, "No order would ship from other locations") {
		t.Fatalf("the published rules change nothing: %d\n%s", published.StatusCode, published.Body)
	}
}

func TestSimulationRefusals(t *testing.T) {
	env, _ := simEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)
	for _, window := range []string{"0", "50000", "lots"} {
		res := ops.PostForm("/rules/simulate", url.Values{"rules": {"draft"}, "window": {window}})
		if msg, ok := simBeside(res.Body, "window"); res.StatusCode != http.StatusUnprocessableEntity || !ok || msg == "" {
			t.Fatalf("window %s: %d, beside the field %q\n%s", window, res.StatusCode, msg, res.Body)
		}
	}
	for _, rules := range []string{"9", "newest"} {
		res := ops.PostForm("/rules/simulate", url.Values{"rules": {rules}, "window": {"100"}})
		if msg, ok := simBeside(res.Body, "rules"); res.StatusCode != http.StatusUnprocessableEntity || !ok || msg == "" {
			t.Fatalf("rules %s: %d, beside the field %q", rules, res.StatusCode, msg)
		}
	}
	support, _ := env.SignedIn(app.RoleSupport)
	if res := support.Get("/rules/simulate"); res.StatusCode != http.StatusForbidden {
		t.Fatalf("support opening the page: %d", res.StatusCode)
	}
	if res := support.PostForm("/rules/simulate", url.Values{"rules": {"draft"}, "window": {"100"}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("support running a simulation: %d", res.StatusCode)
	}
}
