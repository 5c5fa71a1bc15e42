package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/web/webtest"
)

// searchHits lists the order numbers a search answer shows, in order.
func searchHits(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`data-testid="search-hit" data-number="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// searchAsYouType sends the search box's htmx request for q.
func searchAsYouType(c *webtest.Client, env *webtest.Env, q string) *webtest.Response {
	req, _ := http.NewRequest(http.MethodGet, env.Server.URL+"/search?q="+url.QueryEscape(q), nil)
	req.Header.Set("HX-Request", "true")
	return c.Do(req)
}

func TestSearchPage(t *testing.T) {
	env := ordEnv(t)
	ctx := context.Background()
	ana := ordPlace(t, env, "5550001", func(in *app.NewOrder) { in.ChannelRef = "#1001"; in.Note = "Ring twice" })
	bruno := ordPlace(t, env, "5550002", func(in *app.NewOrder) {
		in.Customer = app.CustomerInput{Email: "bruno@example.org", Name: "Bruno Costa", Phone: "+33 6 12 34 56 78"}
		in.ShippingAddress.Name = "Bruno Costa"
	})
	if _, err := env.App.Ship(ctx, app.System, ana.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: upsTestNumber}); err != nil {
		t.Fatal(err)
	}
	support, _ := env.SignedIn(app.RoleSupport)
	// A single exact hit opens the order.
	for q, want := range map[string]app.Order{
		ana.Number: ana, "1": {}, "000002": bruno, "5550002": bruno, "#1001": ana, "ANA@Example.com": ana,
		strings.ToLower(upsTestNumber[:6] + " " + upsTestNumber[6:]): ana,
	} {
		res := support.Get("/search?q=" + url.QueryEscape(q))
		if want.Number == "" {
			if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "at least two characters") {
				t.Errorf("search %q = %d, want the page asking for more", q, res.StatusCode)
			}
			continue
		}
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/orders/"+want.Number {
			t.Errorf("search %q = %d to %q, want 303 to %s", q, res.StatusCode, res.Header.Get("Location"), want.Number)
		}
	}
	// Anything else lists the orders found, best first, with what each matched on.
	for q, want := range map[string][]string{
		"06 12 34 56 78": {bruno.Number, ana.Number}, "MUG-WHT": {bruno.Number, ana.Number},
		"bruno co": {bruno.Number}, "ring": {ana.Number}, "nobody": nil,
	} {
		res := support.Get("/search?q=" + url.QueryEscape(q))
		if got := searchHits(res.Body); res.StatusCode != http.StatusOK || strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("search %q = %d %v, want 200 %v", q, res.StatusCode, got, want)
		}
	}
	body := support.Get("/search?q=bruno").Body
	for _, want := range []string{"<html", `data-testid="search-page"`, `href="/orders/` + bruno.Number + `"`, `data-matched="name"`,
		"Bruno Costa", "bruno@example.org", "54.20 EUR", `data-testid="status"`, `value="bruno"`} {
		if !strings.Contains(body, want) {
			t.Errorf("results page lacks %q", want)
		}
	}
	if body := support.Get("/search?q=nobody").Body; !strings.Contains(body, `data-testid="no-results"`) {
		t.Errorf("a search that finds nothing should say so")
	}
}

func TestSearchAsYouType(t *testing.T) {
	env := ordEnv(t)
	var first app.Order
	for i := range 10 {
		o := ordPlace(t, env, "many-"+itoa(int64(i)), func(in *app.NewOrder) { in.Customer.Name = "Many Orders" })
		if i == 0 {
			first = o
		}
	}
	ops, _ := env.SignedIn(app.RoleOps)
	res := searchAsYouType(ops, env, first.Number)
	if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "<html") {
		t.Fatalf("as-you-type search = %d, want 200 and a fragment:\n%s", res.StatusCode, res.Body)
	}
	for _, want := range []string{`data-testid="search-dropdown"`, `href="/orders/` + first.Number + `"`, `href="/search?q=` + first.Number + `"`, "See all results"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("dropdown lacks %q:\n%s", want, res.Body)
		}
	}
	if got := searchHits(searchAsYouType(ops, env, "many ord").Body); len(got) != 8 {
		t.Errorf("dropdown lists %d orders, want 8", len(got))
	}
	if got := searchHits(ops.Get("/search?q=many+ord").Body); len(got) != 10 {
		t.Errorf("results page lists %d orders, want 10", len(got))
	}
	if res := searchAsYouType(ops, env, "m"); res.StatusCode != http.StatusOK || strings.TrimSpace(res.Body) != "" {
		t.Errorf("one character = %d %q, want an empty answer that hides the list", res.StatusCode, res.Body)
	}
}

func TestSearchIsForTheDesk(t *testing.T) {
	env := ordEnv(t)
	ordPlace(t, env, "w1", nil)
	wh, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	for _, res := range []*webtest.Response{wh.Get("/search?q=ana"), searchAsYouType(wh, env, "ana")} {
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("warehouse search = %d, want 403", res.StatusCode)
		}
	}
	if res := env.Client().Get("/search?q=ana"); res.StatusCode == http.StatusOK {
		t.Errorf("anonymous search = %d, want a refusal", res.StatusCode)
	}
	for _, role := range []app.Role{app.RoleAdmin, app.RoleOps, app.RoleSupport} {
		c, _ := env.SignedIn(role)
		if res := c.Get("/search?q=ana"); res.StatusCode != http.StatusOK || len(searchHits(res.Body)) != 1 {
			t.Errorf("%s search = %d with %d hits, want 200 with the order", role, res.StatusCode, len(searchHits(res.Body)))
		}
	}
}

func TestSearchPagesEveryMatchNewestFirst(t *testing.T) {
	env := ordEnv(t)
	var want []string // newest first: the matches read alike, so bm25 does not decide
	for i := range 45 {
		o := ordPlace(t, env, "lima-"+itoa(int64(i)), func(in *app.NewOrder) {
			placed := time.Date(2026, 11, 1, 9, i, 0, 0, time.UTC)
			in.PlacedAt = &placed
			in.Customer.Email = "c" + itoa(int64(i)) + "@example.com"
			in.ShippingAddress.City = "Lima"
		})
		want = append([]string{o.Number}, want...)
	}
	ordPlace(t, env, "lyon-1", func(in *app.NewOrder) { in.Customer.Name = "Zed Other"; in.ShippingAddress.Name = "Zed Other" })
	support, _ := env.SignedIn(app.RoleSupport)
	p := followPages(t, support, "/search?q=Lima", regexp.MustCompile(`data-testid="search-hit" data-number="([^"]+)"`))
	if !slices.Equal(p.rows, want) {
		t.Errorf("paged search = %v, want the 45 newest first %v", p.rows, want)
	}
	if len(p.urls) != 3 {
		t.Errorf("pages = %v, want 3 of 20", p.urls)
	}
	checkPages(t, p, "45 orders match", "/search?q=Lima", "q=Lima")
	if res := support.Get("/search?q=Lima&after=nonsense"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "not a page cursor") {
		t.Errorf("a bad cursor = %d, want 422 saying so", res.StatusCode)
	}
}
