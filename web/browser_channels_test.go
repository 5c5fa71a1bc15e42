package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"switchyard/app"
	"switchyard/app/channels"
	"switchyard/web/browsertest"
	"switchyard/web/webtest"
)

// The Shopify channel the admin sets up in TestBrowserShopifyChannelTakesOrderIn.
const (
	chnCode   = "snowboards-us"
	chnName   = "Snowboard shop US"
	chnDomain = "switchyard-snowboards.myshopify.com"
	chnSecret = "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"
	// chnFixture is a real orders/create body from a Shopify development store
	// (see app/channels/testdata/SOURCES.md): order #1010, one "The 3p
	// Fulfilled Snowboard" (SKU sku-hosted-1) at 2629.95 USD, paid, open.
	chnFixture = "shopify_orders_create_activepieces_devstore_2023.json"
	chnSKU     = "sku-hosted-1"
	chnRef     = "#1010"
	chnOrderID = "5324830114101" // Shopify's id of the order
)

// chnShippingAddress is added to the fixture: that store order was a draft
// order without one, and an order without a shipping address is held at intake
// for an address check, not routed. Everything else is sent as captured.
const chnShippingAddress = `"shipping_address": {"first_name": "Sam", "last_name": "Rider", "name": "Sam Rider",
  "address1": "350 Fifth Avenue", "address2": null, "city": "New York", "province": "New York", "province_code": "NY",
  "zip": "10118", "country": "United States", "country_code": "US", "phone": null, "company": null,
  "latitude": null, "longitude": null},
`

// TestBrowserShopifyChannelTakesOrderIn is issue 7 in a real Chromium: an
// admin adds a Shopify channel from the Channels page, follows its Settings
// link to set the shop domain and the webhook secret, and lets two warehouses
// serve it; Shopify then sends a signed orders/create webhook; a support
// agent finds the order by its Shopify name and sees it routed to the one
// warehouse that stocks the snowboard, received from the Shopify channel.
func TestBrowserShopifyChannelTakesOrderIn(t *testing.T) {
	b := browsertest.New(t) // first, so -short and a missing browser skip at once
	env := webtest.New(t)
	ctx := context.Background()
	// Two warehouses; only Lyon has the snowboard, so routing must choose it.
	env.AddLocation("LYS-WH", "Lyon warehouse")
	env.AddLocation("MRS-WH", "Marseille warehouse")
	if _, _, err := env.App.PutSKU(ctx, app.System, chnSKU, app.SKUInput{Name: "The 3p Fulfilled Snowboard"}); err != nil {
		t.Fatalf("add SKU %s: %v", chnSKU, err)
	}
	env.Stock("LYS-WH", chnSKU, 5)
	admin, adminPassword := env.AddUser(app.RoleAdmin)
	support, supportPassword := env.AddUser(app.RoleSupport)

	// The admin adds the channel from the Channels page.
	signIn(t, b, env.Server.URL, admin.Email, adminPassword)
	if st := b.Follow("click Channels in the navigation", chromedp.Click(browsertest.Find("header.top nav a", "Channels"))); st != http.StatusOK || b.Path() != "/channels" {
		t.Fatalf("the Channels link led to %s with status %d, want /channels with 200", b.Path(), st)
	}
	if st := b.Follow("click Add a channel", chromedp.Click(browsertest.Find("a", "Add a channel"))); st != http.StatusOK || b.Path() != "/channels/new" {
		t.Fatalf("Add a channel led to %s with status %d, want /channels/new with 200", b.Path(), st)
	}
	b.Do("fill the add-channel form",
		chromedp.SendKeys(chromedp.ID("code"), chnCode),
		chromedp.SendKeys(chromedp.ID("name"), chnName),
		chromedp.SetValue(chromedp.ID("kind"), "shopify"),
	)
	if st := b.Follow("submit the add-channel form", chromedp.Click(browsertest.Find("main button[type=submit]", "Add channel"))); st != http.StatusOK || b.Path() != "/channels" {
		t.Fatalf("adding the channel ended with %d on %s, want 200 on /channels; page says:\n%s", st, b.Path(), b.Text(`main`))
	}
	row := `tr[data-channel="` + chnCode + `"]`
	if kind := b.Text(chromedp.CSS(row + ` td:nth-child(3)`)); kind != "shopify" {
		t.Errorf("the new channel's kind in the list is %q, want shopify", kind)
	}

	// Its Settings link: shop domain and webhook secret.
	if st := b.Follow("click the channel's Settings link", chromedp.Click(chromedp.CSS(row+` a[data-testid=channel-settings]`))); st != http.StatusOK || b.Path() != "/admin/channels/"+chnCode {
		t.Fatalf("the Settings link led to %s with status %d, want /admin/channels/%s with 200", b.Path(), st, chnCode)
	}
	if set := b.Text(`[data-testid=secrets-set]`); set != "none set" {
		t.Errorf("a new channel's secrets read %q, want none set", set)
	}
	hookURL := b.Text(`[data-testid=webhook-url]`)
	if hookURL != env.Server.URL+"/webhooks/shopify/"+chnCode {
		t.Errorf("the settings page gives the webhook address %q, want the full %s/webhooks/shopify/%s to paste", hookURL, env.Server.URL, chnCode)
	}
	hookPath := strings.TrimPrefix(hookURL, env.Server.URL)
	b.Do("fill the channel settings",
		chromedp.SendKeys(chromedp.CSS(`input[name=shop_domain]`), chnDomain),
		chromedp.SendKeys(chromedp.CSS(`input[name=secret_1]`), chnSecret),
	)
	if st := b.Follow("save the channel settings", chromedp.Click(browsertest.Find("main button[type=submit]", "Save"))); st != http.StatusOK || b.Path() != "/admin/channels/"+chnCode {
		t.Fatalf("saving the settings ended with %d on %s; page says:\n%s", st, b.Path(), b.Text(`main`))
	}
	if notice := b.Text(`main [role=status]`); notice != "Settings saved." {
		t.Errorf("after saving, the notice is %q, want Settings saved.", notice)
	}
	if u := b.URL(); strings.Contains(u, "?") {
		t.Errorf("after saving, the address carries %q: notices are flashes, never in the URL", u)
	}
	if st := b.Open(b.URL()); st != http.StatusOK {
		t.Fatalf("reloading the settings page answered %d", st)
	}
	if notices := b.Texts(`main [data-testid=notice]`); len(notices) != 0 {
		t.Errorf("after a reload the page still says %q: a flash shows once", notices)
	}
	if set := b.Text(`[data-testid=secrets-set]`); set != "1 set" {
		t.Errorf("after saving a secret the page says %q, want 1 set", set)
	}
	if domain, err := chromedp.Run(b.Ctx, chromedp.Value(chromedp.CSS(`input[name=shop_domain]`))); err != nil || domain != chnDomain {
		t.Errorf("the saved shop domain reads %q (err %v), want %q", domain, err, chnDomain)
	}
	if html, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`)); err != nil || strings.Contains(html, chnSecret) {
		t.Errorf("the settings page shows the webhook secret (or could not be read: %v)", err)
	}

	// The warehouses that serve the channel are chosen on each location's form.
	for _, loc := range []string{"LYS-WH", "MRS-WH"} {
		chnServe(t, b, loc)
	}
	if st := b.Follow("click Channels in the navigation", chromedp.Click(browsertest.Find("header.top nav a", "Channels"))); st != http.StatusOK {
		t.Fatalf("the Channels link answered %d", st)
	}
	if served := b.Text(chromedp.CSS(row + ` td:nth-child(5)`)); served != "LYS-WH, MRS-WH" {
		t.Errorf("the channel is served by %q, want LYS-WH, MRS-WH", served)
	}
	if secrets := b.Text(chromedp.CSS(row + ` td:nth-child(6)`)); secrets != "1 set" {
		t.Errorf("the channel list says %q, want 1 set", secrets)
	}

	// Shopify sends orders/create, signed with the secret typed above.
	body := chnOrderBody(t)
	status, answer := sendHook(t, env, hookPath, body, map[string]string{
		"X-Shopify-Hmac-Sha256": channels.Sign(body, chnSecret), "X-Shopify-Topic": "orders/create",
		"X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", "X-Shopify-Shop-Domain": chnDomain,
		"X-Shopify-API-Version": "2023-01",
	})
	if status != http.StatusOK {
		t.Fatalf("the webhook answered %d, want 200: %s", status, answer)
	}
	var res channels.WebhookResult
	if err := json.Unmarshal([]byte(answer), &res); err != nil {
		t.Fatalf("the webhook's answer is not JSON: %v: %s", err, answer)
	}
	if !regexp.MustCompile(`^SY-\d+$`).MatchString(res.Order) || res.Result != "took in order "+res.Order {
		t.Fatalf("the webhook answered %+v, want the order taken in (and not held)", res)
	}
	// A wrong signature is refused, so the secret above is what let the order in.
	if st, ans := sendHook(t, env, hookPath, body, map[string]string{
		"X-Shopify-Hmac-Sha256": channels.Sign(body, "not the secret"), "X-Shopify-Topic": "orders/create",
		"X-Shopify-Webhook-Id": "another-delivery", "X-Shopify-Shop-Domain": chnDomain,
	}); st != http.StatusUnauthorized {
		t.Errorf("a delivery signed with another secret answered %d, want 401: %s", st, ans)
	}

	// The delivery shows on the channel's settings page, linked to the order.
	if st := b.Open(env.Server.URL + "/admin/channels/" + chnCode); st != http.StatusOK {
		t.Fatalf("GET the settings page answered %d", st)
	}
	if got := b.Texts(`[data-testid=deliveries] tbody td`); !slices.Contains(got, "orders/create") || !slices.Contains(got, chnOrderID) || !slices.Contains(got, res.Order) {
		t.Errorf("the recent deliveries read %q, want orders/create of %s taken in as %s", got, chnOrderID, res.Order)
	}

	// A support agent looks the order up by its Shopify name.
	b.Follow("click Sign out", chromedp.Click(browsertest.Find("header.top button", "Sign out")))
	signIn(t, b, env.Server.URL, support.Email, supportPassword)
	if st := b.Follow("search for the Shopify order name", chromedp.SendKeys(chromedp.CSS(`header.top input[name=q]`), chnRef+kb.Enter)); st != http.StatusOK {
		t.Fatalf("searching %s ended with %d on %s", chnRef, st, b.Path())
	}
	if p := b.Path(); p != "/orders/"+res.Order {
		t.Fatalf("searching %s led to %s, want the order's page /orders/%s; page says:\n%s", chnRef, p, res.Order, b.Text(`main`))
	}

	// Routed to Lyon, the warehouse with the snowboard, its stock reserved.
	if st := ordStatus(t, b); st != "routed" {
		t.Errorf("the order's status is %q, want routed", st)
	}
	if got := ordAttrs(t, b, `[data-testid=fulfillment]`, "data-location"); !slices.Equal(got, []string{"LYS-WH"}) {
		t.Errorf("the order's fulfillments are at %q, want only LYS-WH (Marseille has no stock)", got)
	}
	if got := b.Texts(`tr[data-testid=line][data-sku="` + chnSKU + `"] [data-testid=reserved]`); !slices.Equal(got, []string{"1"}) {
		t.Errorf("the snowboard line reserves %q, want 1", got)
	}
	if got := b.Text(`tr[data-testid=line] td:nth-child(3)`); got != "The 3p Fulfilled Snowboard" {
		t.Errorf("the line is named %q, want the name Shopify sent", got)
	}
	if total := b.Text(`[data-testid=total]`); total != "2629.95 USD" {
		t.Errorf("the order's total is %q, want 2629.95 USD as Shopify sent", total)
	}
	if id := b.Text(`[data-testid=external-id]`); id != chnOrderID {
		t.Errorf("the channel's id of the order is %q, want Shopify's %s", id, chnOrderID)
	}
	ordWaitEvent(t, b, "routed", "Routed to Lyon warehouse: the only location with the item.")

	// Its Shopify origin: the order's channel is marked Shopify, and so is the
	// timeline's first entry, received from that channel under the name
	// Shopify gave the order.
	if kind := b.Text(`[data-testid=order-facts] [data-testid=channel-kind]`); kind != "Shopify" {
		t.Errorf("the order's channel is marked %q, want Shopify", kind)
	}
	received := `li[data-testid=event][data-kind="received"]`
	if got := b.Text(chromedp.CSS(received + ` .message`)); !strings.HasPrefix(got, "Order received from "+chnName+" (Shopify) as "+chnRef+": 1 item, USD 2629.95") {
		t.Errorf("the received entry says %q, want it received from %s as %s", got, chnName, chnRef)
	}
	if got := b.Text(chromedp.CSS(received + ` .actor`)); got != "channel "+chnName {
		t.Errorf("the received entry's actor is %q, want the channel %q", got, chnName)
	}
	if got := b.Texts(received + ` [data-testid=event-channel-kind]`); !slices.Equal(got, []string{"Shopify"}) {
		t.Errorf("the received entry is marked %q, want Shopify", got)
	}
	if got := b.Texts(`li[data-testid=event][data-kind="routed"] [data-testid=event-channel-kind]`); len(got) != 0 {
		t.Errorf("the routed entry, by Switchyard, is marked %q, want no channel mark", got)
	}
	if kinds := ordAttrs(t, b, `li[data-testid=event]`, "data-kind"); !slices.Equal(kinds, []string{"received", "routed"}) {
		t.Errorf("the timeline's entries are %q, want received then routed", kinds)
	}
}

// chnServe opens a location's edit form from the Locations page and ticks the channel.
func chnServe(t *testing.T, b *browsertest.Browser, location string) {
	t.Helper()
	if st := b.Follow("click Locations in the navigation", chromedp.Click(browsertest.Find("header.top nav a", "Locations"))); st != http.StatusOK {
		t.Fatalf("the Locations link answered %d", st)
	}
	if st := b.Follow("edit "+location, chromedp.Click(chromedp.CSS(`tr[data-location="`+location+`"] a[href$="/edit"]`))); st != http.StatusOK || b.Path() != "/locations/"+location+"/edit" {
		t.Fatalf("editing %s led to %s with status %d", location, b.Path(), st)
	}
	box := chromedp.CSS(`input[name=channels][value="` + chnCode + `"]`)
	b.Do("tick "+chnCode, chromedp.Click(box))
	if on, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](`document.querySelector('input[name=channels][value="`+chnCode+`"]').checked`)); err != nil || !on {
		t.Fatalf("the %s box of %s is not ticked (err %v)", chnCode, location, err)
	}
	if st := b.Follow("save "+location, chromedp.Click(browsertest.Find("main button[type=submit]", "Save changes"))); st != http.StatusOK || b.Path() != "/locations" {
		t.Fatalf("saving %s ended with %d on %s; page says:\n%s", location, st, b.Path(), b.Text(`main`))
	}
}

// chnOrderBody is the fixture as Shopify sent it, with a shipping address added.
func chnOrderBody(t *testing.T) []byte {
	t.Helper()
	body := hookFixture(t, chnFixture)
	for _, want := range []string{`"name": "#1010"`, `"sku": "` + chnSKU + `"`, `"id": ` + chnOrderID + `,`} {
		if !bytes.Contains(body, []byte(want)) {
			t.Fatalf("the fixture %s lacks %s", chnFixture, want)
		}
	}
	if bytes.Contains(body, []byte(`"shipping_address"`)) {
		t.Fatalf("the fixture %s has a shipping address now: drop chnShippingAddress", chnFixture)
	}
	out, ok := bytes.CutPrefix(bytes.TrimSpace(body), []byte("{"))
	if !ok {
		t.Fatalf("the fixture %s is not a JSON object", chnFixture)
	}
	out = append([]byte("{\n  "+chnShippingAddress), out...)
	if !json.Valid(out) {
		t.Fatal("the fixture with the shipping address added is not valid JSON")
	}
	return out
}
