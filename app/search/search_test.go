package search

import (
	"switchyard/app"
	"switchyard/app/apptest"

	"context"
	"fmt"
	"slices"
	"testing"
	"time"
)

// searchUser is a support agent, the usual searcher.
var searchUser = app.Actor{Kind: app.ActorUser, ID: 1, Name: "Sam", Role: app.RoleSupport}

// searchNetwork is routeNetwork with stock in Lyon and a MUG SKU.
func searchNetwork(t *testing.T) *app.App {
	t.Helper()
	a := apptest.RouteNetwork(t)
	apptest.MustSKU(t, a, "MUG-WHT")
	apptest.Count(t, a, "LYS", "TEE", 100)
	apptest.Count(t, a, "LYS", "MUG-WHT", 100)
	return a
}

// searchOrder places a Lyon order of a tee, changed by edit, placed at day (of November 2026).
func searchOrder(t *testing.T, a *app.App, ext string, day int, edit func(*app.NewOrder)) app.Order {
	t.Helper()
	in := apptest.LyonOrder(ext, 1)
	placed := time.Date(2026, 11, day, 9, 0, 0, 0, time.UTC)
	in.PlacedAt = &placed
	if edit != nil {
		edit(&in)
	}
	o, _, err := a.PlaceOrder(context.Background(), app.System, in)
	if err != nil {
		t.Fatalf("place order %s: %v", ext, err)
	}
	return o
}

// numbers lists the order numbers of a result, in order.
func numbers(r SearchResult) []string {
	var out []string
	for _, h := range r.Orders {
		out = append(out, h.Number)
	}
	return out
}

// mustSearch searches as the support agent, failing the test on error.
func mustSearch(t *testing.T, a *app.App, q string) SearchResult {
	t.Helper()
	r, err := svc(a).Search(context.Background(), searchUser, q, 0)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return r
}

func TestSearchFindsEachKey(t *testing.T) {
	ctx := context.Background()
	a := searchNetwork(t)
	ana := searchOrder(t, a, "5550001", 20, func(in *app.NewOrder) {
		in.ChannelRef = "#1001"
		in.Customer = app.CustomerInput{Email: "Ana.Lima@Example.com", Name: "Ana Lima", Phone: "+33 6 12 34 56 78"}
		in.ShippingAddress.Name = "Ana Lima"
		in.ShippingAddress.City = "Villeurbanne"
		in.Note = "Leave the parcel with the concierge"
	})
	bob := searchOrder(t, a, "5550002", 21, func(in *app.NewOrder) {
		in.Customer = app.CustomerInput{Email: "bob@example.org", Name: "Bob Martin"}
		in.ShippingAddress.Phone = "(555) 123-4567"
		in.Lines = append(in.Lines, app.LineInput{SKU: "MUG-WHT", Quantity: 1, UnitPrice: "5"})
	})
	if len(ana.Fulfillments) != 1 {
		t.Fatalf("ana's order has %d fulfillments, want 1 (routed to Lyon)", len(ana.Fulfillments))
	}
	if _, err := a.Ship(ctx, app.System, ana.Fulfillments[0].ID, app.ShipInput{Carrier: "ups", TrackingNumber: "1Z5R89390357567127"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ q, want, on string }{
		{ana.Number, ana.Number, MatchNumber},
		{"1", ana.Number, MatchNumber}, // too short: nothing (checked below)
		{"sy-1", ana.Number, MatchNumber},
		{"000001", ana.Number, MatchNumber},
		{"02", bob.Number, MatchNumber},
		{"5550002", bob.Number, MatchChannelID},
		{"#1001", ana.Number, MatchChannelID},
		{"1001", ana.Number, MatchChannelID},
		{"ANA.LIMA@example.COM", ana.Number, MatchEmail},
		{"0612345678", ana.Number, MatchPhone},
		{"06 12 34 56 78", ana.Number, MatchPhone},
		{"+33612345678", ana.Number, MatchPhone},
		{"555.123.4567", bob.Number, MatchPhone},
		{"+1 555 123 4567", bob.Number, MatchPhone},
		{"1z5r 8939 0357 5671 27", ana.Number, MatchTracking},
		{"mug-wht", bob.Number, MatchSKU},
		{"ana li", ana.Number, MatchName},
		{"Lima", ana.Number, MatchName},
		{"martin", bob.Number, MatchName},
		{"villeurb", ana.Number, MatchCity},
		{"concierge", ana.Number, MatchNote},
		{"parcel concier", ana.Number, MatchNote},
		{"ana villeurbanne", ana.Number, MatchText},
		{"ana.lima@exa", ana.Number, MatchEmail},
	} {
		r := mustSearch(t, a, c.q)
		if c.q == "1" {
			if len(r.Orders) != 0 {
				t.Errorf("search %q found %v, want nothing (too short)", c.q, numbers(r))
			}
			continue
		}
		if len(r.Orders) == 0 || r.Orders[0].Number != c.want || r.Orders[0].MatchedOn != c.on {
			t.Errorf("search %q = %v (%+v), want %s first, matched on %s", c.q, numbers(r), r.Orders, c.want, c.on)
		}
	}
}

func TestSearchSKUNewestFirst(t *testing.T) {
	a := searchNetwork(t)
	var want []string
	for i := range 3 {
		o := searchOrder(t, a, "sku-"+string(rune('a'+i)), 10+i, nil)
		want = append([]string{o.Number}, want...)
	}
	searchOrder(t, a, "other", 15, func(in *app.NewOrder) { in.Lines[0].SKU = "MUG-WHT" })
	if got := numbers(mustSearch(t, a, "TEE")); !slices.Equal(got, want) {
		t.Errorf("search TEE = %v, want %v (newest first, no mug order)", got, want)
	}
}

func TestSearchSKUFindsTheNewestOrdersPastTheLimit(t *testing.T) {
	a := searchNetwork(t)
	var all []string
	for i := range SearchLimit + 5 {
		edit := func(in *app.NewOrder) {
			if i%2 == 0 { // the SKU twice in one order
				in.Lines = append(in.Lines, app.LineInput{SKU: "TEE", Quantity: 1, UnitPrice: "10"})
			}
			if i%3 == 0 {
				in.Lines = append([]app.LineInput{{SKU: "MUG-WHT", Quantity: 1, UnitPrice: "5"}}, in.Lines...)
			}
		}
		all = append([]string{searchOrder(t, a, fmt.Sprintf("many-%d", i), 1, edit).Number}, all...)
	}
	if got := numbers(mustSearch(t, a, "Tee")); !slices.Equal(got, all[:SearchLimit]) {
		t.Errorf("search Tee = %v, want the %d newest %v", got, SearchLimit, all[:SearchLimit])
	}
}

func TestSearchRanking(t *testing.T) {
	a := searchNetwork(t)
	first := searchOrder(t, a, "r1", 10, func(in *app.NewOrder) { in.Customer.Name = "Order Twelve" })
	// Order SY-000002's note and name say "12": the number 12 is another order still.
	for i := 2; i <= 12; i++ {
		searchOrder(t, a, "r"+string(rune('a'+i)), 10+i, func(in *app.NewOrder) { in.Note = "call 12 times" })
	}
	r := mustSearch(t, a, "12")
	if len(r.Orders) < 2 || r.Orders[0].Number != "SY-000012" || r.Orders[0].MatchedOn != MatchNumber {
		t.Fatalf("search 12 = %v, want SY-000012 first by number, then the notes", numbers(r))
	}
	if !r.Exact {
		t.Errorf("search 12: one exact hit among text hits should be exact")
	}
	for _, h := range r.Orders[1:] {
		if h.MatchedOn != MatchNote {
			t.Errorf("search 12: %s matched on %s, want note", h.Number, h.MatchedOn)
		}
	}
	if r := mustSearch(t, a, "twelve"); !slices.Equal(numbers(r), []string{first.Number}) || r.Exact {
		t.Errorf("search twelve = %v exact %v, want only %s, not exact", numbers(r), r.Exact, first.Number)
	}
	if r := mustSearch(t, a, "call"); len(r.Orders) != 11 || r.Orders[0].Number != "SY-000012" {
		t.Errorf("search call = %v, want 11 orders, newest first", numbers(r))
	}
}

func TestSearchExact(t *testing.T) {
	a := searchNetwork(t)
	searchOrder(t, a, "e1", 10, func(in *app.NewOrder) { in.Customer.Email = "twice@example.com" })
	searchOrder(t, a, "e2", 11, func(in *app.NewOrder) { in.Customer.Email = "twice@example.com" })
	searchOrder(t, a, "e3", 12, func(in *app.NewOrder) { in.Customer.Email = "once@example.com" })
	for q, want := range map[string]bool{
		"SY-000001": true, "e2": true, "once@example.com": true, "twice@example.com": false, "TEE": false, "twice": false,
	} {
		if r := mustSearch(t, a, q); r.Exact != want {
			t.Errorf("search %q exact = %v, want %v (%v)", q, r.Exact, want, numbers(r))
		}
	}
}

func TestSearchNeverPassesFTSSyntax(t *testing.T) {
	a := searchNetwork(t)
	searchOrder(t, a, "x1", 10, func(in *app.NewOrder) { in.Customer.Name = "Ana Or Near" })
	for _, q := range []string{
		"ana OR", `"`, `""`, `*`, `**`, "NEAR(", "NEAR(ana lima, 2)", `ana"`, `"ana`, "ana*", "-ana", "ana AND NOT x",
		"^ana", "customer_name:ana", "{customer_name}:ana", "ana +", "(ana", "ana)", "'; DROP TABLE orders; --", "é", "  ",
		"a", "% _", "\x00ab", "ana\tnear",
	} {
		if _, err := svc(a).Search(context.Background(), searchUser, q, 0); err != nil {
			t.Errorf("search %q: %v", q, err)
		}
	}
	if r := mustSearch(t, a, "ana OR"); len(r.Orders) != 1 {
		t.Errorf(`search "ana OR" = %v, want the order of Ana Or Near`, numbers(r))
	}
}

func TestSearchLimitsAndAccess(t *testing.T) {
	a := searchNetwork(t)
	for i := range 25 {
		searchOrder(t, a, "l"+string(rune('a'+i)), 1+i, func(in *app.NewOrder) { in.Customer.Name = "Many Orders" })
	}
	if r := mustSearch(t, a, "many"); len(r.Orders) != SearchLimit {
		t.Errorf("search many found %d, want %d", len(r.Orders), SearchLimit)
	}
	if r, err := svc(a).Search(context.Background(), searchUser, "many", 8); err != nil || len(r.Orders) != 8 {
		t.Errorf("search many, limit 8: %d orders, %v", len(r.Orders), err)
	}
	for _, q := range []string{"", " ", "m", " m "} {
		if r := mustSearch(t, a, q); len(r.Orders) != 0 {
			t.Errorf("search %q found %v", q, numbers(r))
		}
	}
	_, err := svc(a).Search(context.Background(), app.Actor{Kind: app.ActorUser, Role: app.RoleWarehouse}, "many", 0)
	if app.ErrorKind(err) != app.KindForbidden {
		t.Errorf("warehouse search: %v, want forbidden", err)
	}
}

func TestSearchIndexFollowsChanges(t *testing.T) {
	ctx := context.Background()
	a := searchNetwork(t)
	o := searchOrder(t, a, "c1", 10, func(in *app.NewOrder) { in.ShippingAddress.Name = "Old Name"; in.ShippingAddress.City = "Lyon" })
	addr := *o.ShippingAddress
	addr.Name, addr.City = "Zoe Newname", "Paris"
	if _, err := a.ChangeAddress(ctx, app.System, o.Number, addr); err != nil {
		t.Fatal(err)
	}
	if r := mustSearch(t, a, "newname"); !slices.Equal(numbers(r), []string{o.Number}) {
		t.Errorf("search newname = %v, want %s", numbers(r), o.Number)
	}
	if r := mustSearch(t, a, "old name"); len(r.Orders) != 0 {
		t.Errorf("search old name = %v, want nothing after the change", numbers(r))
	}
}

func TestFTSQuery(t *testing.T) {
	for q, want := range map[string]string{
		"ana li":     `"ana" "li"*`,
		`ana "OR`:    `"ana" """OR"*`,
		"NEAR( ana":  `"NEAR(" "ana"*`,
		"a * ana ()": `"ana"*`,
	} {
		if got := (textQuery{words: searchWords(q), prefix: true}).match(); got != want {
			t.Errorf("text query of %q = %s, want %s", q, got, want)
		}
	}
	for q, want := range map[string]string{"123": "SY-000123", "SY-000123": "SY-000123", "sy123": "SY-000123", "1234567": "SY-1234567"} {
		if got, ok := orderNumberOf(q); !ok || got != want {
			t.Errorf("orderNumberOf(%q) = %q, %v, want %s", q, got, ok, want)
		}
	}
	for _, q := range []string{"0", "SY-", "12a", "1 2", "-12", "#12"} {
		if got, ok := orderNumberOf(q); ok {
			t.Errorf("orderNumberOf(%q) = %q, want no number", q, got)
		}
	}
}

func TestSearchCommonWordsNewestFirst(t *testing.T) {
	a := searchNetwork(t)
	var want []string
	for i, name := range []string{"Common Common Common", "Common Two", "Common Three"} {
		o := searchOrder(t, a, "w"+string(rune('a'+i)), 10+i, func(in *app.NewOrder) { in.Customer.Name = name })
		want = append([]string{o.Number}, want...)
	}
	if got := numbers(mustSearch(t, a, "common")); len(got) != 3 || got[0] != "SY-000001" {
		t.Errorf("search common = %v, want the order that says it thrice first (bm25)", got)
	}
	defer func(n int64) { searchRankMax = n }(searchRankMax)
	searchRankMax = 2 // "common" is now too common to rank
	if got := numbers(mustSearch(t, a, "common")); !slices.Equal(got, want) {
		t.Errorf("search common = %v, want %v (newest first)", got, want)
	}
}

func TestSearchLongCommonWordIsWhole(t *testing.T) {
	a := searchNetwork(t)
	for i, note := range []string{"wonderful", "wonderful", "wonderful", "wonderfully"} {
		searchOrder(t, a, "n"+string(rune('a'+i)), 10+i, func(in *app.NewOrder) { in.Note = note })
	}
	if got := numbers(mustSearch(t, a, "wonderful")); len(got) != 4 {
		t.Errorf("search wonderful = %v, want all four (a prefix)", got)
	}
	defer func(n int64) { searchRankMax = n }(searchRankMax)
	searchRankMax = 2 // "wonderful" is now common: a whole word, not a prefix
	if got := numbers(mustSearch(t, a, "wonderful")); !slices.Equal(got, []string{"SY-000003", "SY-000002", "SY-000001"}) {
		t.Errorf("search wonderful = %v, want the three that say it, newest first", got)
	}
	if got := numbers(mustSearch(t, a, "wonder")); len(got) != 4 {
		t.Errorf("search wonder = %v, want all four (short words stay prefixes)", got)
	}
}

func TestSearchPageSaysMoreThanTheWindow(t *testing.T) {
	a := searchNetwork(t)
	for i := range 5 {
		searchOrder(t, a, fmt.Sprintf("win-%d", i), 1+i, func(in *app.NewOrder) { in.Customer.Name = "Window Shopper" })
	}
	defer func(n int) { searchWindow = n }(searchWindow)
	searchWindow = 3
	r, err := svc(a).SearchPage(context.Background(), searchUser, "shopper", "", 2)
	if err != nil || r.Count != 3 || !r.Capped || len(r.Orders) != 2 || r.Next == "" {
		t.Fatalf("first page = %v count %d capped %v next %q, %v; want 2 of more than 3", numbers(r), r.Count, r.Capped, r.Next, err)
	}
	r2, err := svc(a).SearchPage(context.Background(), searchUser, "shopper", r.Next, 2)
	if err != nil || !slices.Equal(numbers(r2), []string{"SY-000003"}) || r2.Next != "" {
		t.Errorf("second page = %v next %q, %v; want the third newest and no more", numbers(r2), r2.Next, err)
	}
}
