package web_test

import (
	"net/http"
	"testing"

	"switchyard/app"
)

// kitAPI is a network for kits through the API: channel web, locations A and
// B serving it, SKUs MUG and TRAY stocked.
func kitAPI(t *testing.T) nwAPI {
	api := nwSetup(t)
	api.call(http.MethodPut, "/api/v1/channels/web", `{"name":"Web","kind":"api"}`, http.StatusCreated)
	api.env.AddLocation("A", "A", "web")
	api.env.AddLocation("B", "B", "web")
	for _, s := range []string{"MUG", "TRAY", "SET", "BOX"} {
		api.call(http.MethodPut, "/api/v1/skus/"+s, `{"name":"`+s+`"}`, http.StatusCreated)
	}
	api.count("A", "MUG", 7, 0)
	api.count("A", "TRAY", 5, 0)
	api.count("B", "MUG", 10, 1)
	api.count("B", "TRAY", 1, 0)
	return api
}

// TestAPIKitComponents: PUT gives a SKU components, GET answers them, the
// stock listing and availability answer for the kit from its components, and
// an explicit [] makes it a plain SKU again.
func TestAPIKitComponents(t *testing.T) {
	api := kitAPI(t)
	out := api.call(http.MethodPut, "/api/v1/skus/SET", `{"name":"Gift set","components":[{"sku":"MUG","quantity":2},{"sku":"TRAY","quantity":1}]}`, http.StatusOK)
	if sku := nwDecode[app.SKU](t, out); !sku.Kit || len(sku.Components) != 2 || sku.Components[0] != (app.Component{SKU: "MUG", Quantity: 2}) {
		t.Fatalf("kit answered %+v", sku)
	}
	// absent components keep what is stored
	api.call(http.MethodPut, "/api/v1/skus/SET", `{"name":"Gift set, blue"}`, http.StatusOK)
	sku := nwDecode[app.SKU](t, api.call(http.MethodGet, "/api/v1/skus/SET", "", http.StatusOK))
	if !sku.Kit || len(sku.Components) != 2 || sku.Name != "Gift set, blue" {
		t.Fatalf("kit after a PUT without components: %+v", sku)
	}
	levels := nwDecode[[]app.StockLevel](t, api.call(http.MethodGet, "/api/v1/stock?sku=SET", "", http.StatusOK))
	if len(levels) != 2 || levels[0].Location != "A" || levels[0].Available != 3 || levels[1].Available != 1 || !levels[0].Kit || levels[0].OnHand != 0 {
		t.Fatalf("kit levels = %+v, want A 3 and B min(9/2, 1) = 1", levels)
	}
	all := nwDecode[[]app.StockLevel](t, api.call(http.MethodGet, "/api/v1/stock?location=A", "", http.StatusOK))
	if len(all) != 3 || all[0].SKU != "MUG" || all[1].SKU != "SET" || all[2].SKU != "TRAY" {
		t.Fatalf("stock at A = %+v, want MUG, SET, TRAY in order", all)
	}
	type avail struct {
		SKUs []app.SKUAvailability `json:"skus"`
	}
	got := nwDecode[avail](t, api.call(http.MethodGet, "/api/v1/availability?channel=web&sku=SET,MUG", "", http.StatusOK))
	if got.SKUs[0].Available != 4 || got.SKUs[1].Available != 16 {
		t.Fatalf("availability = %+v, want SET 4, MUG 16", got)
	}
	out = api.call(http.MethodPut, "/api/v1/skus/SET", `{"name":"Gift set","components":[]}`, http.StatusOK)
	if sku := nwDecode[app.SKU](t, out); sku.Kit || len(sku.Components) != 0 {
		t.Fatalf("SET after components [] = %+v, want a plain SKU", sku)
	}
	api.count("A", "SET", 2, 0) // a plain SKU again holds stock
}

// TestAPIKitRefusals: a kit inside itself, an unknown component, a quantity
// of 0, a wrong type and counting or adjusting a kit are refused naming the
// field, and nothing is written.
func TestAPIKitRefusals(t *testing.T) {
	api := kitAPI(t)
	api.call(http.MethodPut, "/api/v1/skus/SET", `{"name":"Set","components":[{"sku":"MUG","quantity":2}]}`, http.StatusOK)
	api.call(http.MethodPut, "/api/v1/skus/BOX", `{"name":"Box","components":[{"sku":"SET","quantity":1}]}`, http.StatusOK)
	cases := []struct{ code, body, field, words string }{
		{"SET", `{"name":"Set","components":[{"sku":"BOX","quantity":1}]}`, "components[0].sku", "cannot contain itself"},
		{"SET", `{"name":"Set","components":[{"sku":"SET","quantity":1}]}`, "components[0].sku", "cannot contain itself"},
		{"SET", `{"name":"Set","components":[{"sku":"MUG","quantity":1},{"sku":"NOPE","quantity":1}]}`, "components[1].sku", `no SKU "NOPE"`},
		{"SET", `{"name":"Set","components":[{"sku":"MUG","quantity":0}]}`, "components[0].quantity", "1 to 1000"},
		{"SET", `{"name":"Set","components":[{"sku":"MUG","quantity":-3}]}`, "components[0].quantity", "1 to 1000"},
		{"MUG", `{"name":"Mug","components":[{"sku":"TRAY","quantity":1}]}`, "components", "count it to 0"},
		{"NEWKIT", `{"name":"New","components":[{"sku":"NEWKIT","quantity":1}]}`, "components[0].sku", "cannot contain itself"},
	}
	for _, c := range cases {
		out := api.call(http.MethodPut, "/api/v1/skus/"+c.code, c.body, http.StatusUnprocessableEntity)
		wantFieldError(t, out, c.field, c.words)
	}
	out := api.call(http.MethodPut, "/api/v1/skus/SET", `{"name":"Set","components":{"sku":"MUG"}}`, http.StatusUnprocessableEntity)
	wantFieldError(t, out, "components", "must be a list")
	api.call(http.MethodGet, "/api/v1/skus/NEWKIT", "", http.StatusNotFound) // the refused PUT created nothing
	sku := nwDecode[app.SKU](t, api.call(http.MethodGet, "/api/v1/skus/SET", "", http.StatusOK))
	if sku.Name != "Set" || len(sku.Components) != 1 || sku.Components[0].Quantity != 2 {
		t.Fatalf("SET changed by refused PUTs: %+v", sku)
	}
	out = api.call(http.MethodPut, "/api/v1/stock/A/SET", `{"on_hand":3}`, http.StatusUnprocessableEntity)
	wantFieldError(t, out, "sku", "is a kit")
	out = api.call(http.MethodPost, "/api/v1/stock/adjustments",
		`{"adjustments":[{"location":"A","sku":"BOX","delta":1,"reason":"receipt"}]}`, http.StatusUnprocessableEntity)
	wantFieldError(t, out, "adjustments[0].sku", "is a kit")
}
