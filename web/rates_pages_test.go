package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
)

// rtForm is a complete zone rate form; change adjusts it.
func rtForm(change func(url.Values)) url.Values {
	f := url.Values{"origin": {"LYS-WH"}, "country": {"FR"}, "region": {""}, "cost": {"4.90"}, "currency": {"EUR"}, "transit_days": {"2"}}
	if change != nil {
		change(f)
	}
	return f
}

func TestRatesAddUpdateDelete(t *testing.T) {
	env := rlEnv(t)
	c, _ := env.SignedIn(app.RoleOps)
	ctx := context.Background()
	rlWant(t, c.Get("/rules/rates"), http.StatusOK, "Zone rates and postal codes", `data-testid="no-rates"`, `data-testid="rates-import"`,
		`data-testid="postal-import"`, `<option value="PAR-ST"`)

	rlRedirect(t, c.PostForm("/rules/rates", rtForm(nil)), "/rules/rates")
	rlRedirect(t, c.PostForm("/rules/rates", rtForm(func(f url.Values) { f.Set("region", "Corse"); f.Set("cost", "12") })), "/rules/rates")
	// The same origin, country and region again: replaced, not added.
	rlRedirect(t, c.PostForm("/rules/rates", rtForm(func(f url.Values) { f.Set("cost", "5.5"); f.Set("transit_days", "1") })), "/rules/rates")
	rates, _ := env.Svc.Imports.ZoneRates(ctx)
	if len(rates) != 2 || rates[0].Region != "" || rates[0].Cost != "5.50" || rates[0].TransitDays != 1 || rates[1].Cost != "12.00" {
		t.Fatalf("rates %+v", rates)
	}
	page := c.Get("/rules/rates")
	rlWant(t, page, http.StatusOK, `data-rate="LYS-WH-FR-"`, "5.50", `data-rate="LYS-WH-FR-Corse"`)
	rlWant(t, c.Get("/rules/rates?edit="+itoa(rates[1].ID)), http.StatusOK, `value="Corse"`, `value="12.00"`)

	// Bad input: every problem beside its field, nothing stored.
	res := c.PostForm("/rules/rates", rtForm(func(f url.Values) {
		f.Set("origin", "NOPE")
		f.Set("country", "XX")
		f.Set("cost", "-2")
		f.Set("currency", "EURO")
	}))
	rlWant(t, res, http.StatusUnprocessableEntity, `data-field="origin"`, `data-field="country"`, `data-field="cost"`,
		"must not be negative", `data-field="currency"`, `value="XX"`)
	rlWant(t, c.PostForm("/rules/rates", rtForm(func(f url.Values) { f.Set("transit_days", "soon") })),
		http.StatusUnprocessableEntity, `data-field="transit_days"`, "whole number of days")
	rlWant(t, c.PostForm("/rules/rates", rtForm(func(f url.Values) { f.Set("transit_days", "61") })),
		http.StatusUnprocessableEntity, `data-field="transit_days"`, "between 0 and 60")
	if after, _ := env.Svc.Imports.ZoneRates(ctx); len(after) != 2 || after[0].Cost != "5.50" {
		t.Fatalf("refused input changed the rates: %+v", after)
	}

	rlRedirect(t, c.PostForm("/rules/rates/"+itoa(rates[0].ID)+"/delete", nil), "/rules/rates")
	if after, _ := env.Svc.Imports.ZoneRates(ctx); len(after) != 1 || after[0].Region != "Corse" {
		t.Fatalf("after delete %+v", after)
	}
	rlWant(t, c.PostForm("/rules/rates/"+itoa(rates[0].ID)+"/delete", nil), http.StatusNotFound)
}

func TestRatesCSVImportReportsEveryBadRow(t *testing.T) {
	env := rlEnv(t)
	c, _ := env.SignedIn(app.RoleOps)
	bad := "origin,country,region,cost,currency,transit_days\n" +
		"LYS-WH,FR,,4.90,EUR,2\n" +
		"NOPE,FR,,4.90,EUR,2\n" +
		"PAR-ST,FR,,4.90,EUR,99\n" +
		"PAR-ST,DE,,abc,EUR,3\n"
	res := rlUpload(t, env, c, "/rules/rates/import", "rates.csv", bad, nil)
	rlWant(t, res, http.StatusUnprocessableEntity, "rates.csv", "3 problem(s): nothing was changed",
		`data-line="3"`, `unknown location &#34;NOPE&#34;`, `data-line="4"`, "between 0 and 60", `data-line="5"`)
	if strings.Contains(res.Body, `data-line="2"`) {
		t.Error("the good row is reported as a problem")
	}
	if rates, err := env.Svc.Imports.ZoneRates(context.Background()); err != nil {
		t.Fatal(err)
	} else if len(rates) != 0 {
		t.Fatalf("a refused file wrote %+v", rates)
	}

	good := "origin,country,cost,currency,transit_days\nLYS-WH,FR,4.90,EUR,2\nPAR-ST,FR,6,EUR,1\n"
	rlRedirect(t, rlUpload(t, env, c, "/rules/rates/import", "rates.csv", good, nil), "/rules/rates")
	flashOnce(t, c, "/rules/rates", "Imported 2 rows")
	if rates, _ := env.Svc.Imports.ZoneRates(context.Background()); len(rates) != 2 {
		t.Fatalf("after import %+v", rates)
	}
	rlWant(t, rlUpload(t, env, c, "/rules/rates/import", "", "", nil), http.StatusUnprocessableEntity, "Choose a CSV file")
}

func TestPostalCodesImportLocatesOrders(t *testing.T) {
	env := rlEnv(t)
	c, _ := env.SignedIn(app.RoleAdmin)
	bad := "country,postal_code,lat,lon\nFR,69002,45.76,4.83\nXX,1,0,0\nFR,75001,48.86,200\n"
	res := rlUpload(t, env, c, "/rules/postal-codes/import", "postal.csv", bad, nil)
	rlWant(t, res, http.StatusUnprocessableEntity, "2 problem(s)", `data-line="3"`, `data-line="4"`, "nothing was changed")

	// before: an order without coordinates has no known distance.
	before := rlOrder(t, env, "1", 1, false)
	rlWant(t, c.Get("/orders/"+before.Number+"/routing"), http.StatusOK, "unknown")

	rlRedirect(t, rlUpload(t, env, c, "/rules/postal-codes/import", "postal.csv", "country,postal_code,lat,lon\nfr,69 002,45.76,4.83\n", nil),
		"/rules/rates")
	rlWant(t, c.Get("/rules/rates"), http.StatusOK, `data-testid="postal-codes"`, "<td>FR</td>")
	o := rlOrder(t, env, "2", 1, false)
	ds, err := env.App.Decisions(context.Background(), o.Number)
	if err != nil || len(ds) != 1 || !ds[0].Input.Order.DestKnown {
		t.Fatalf("the order was not located by its postal code: %+v %v", ds, err)
	}
	page := c.Get("/orders/" + o.Number + "/routing")
	rlWant(t, page, http.StatusOK, `<td class="num">0 km</td>`)
}
