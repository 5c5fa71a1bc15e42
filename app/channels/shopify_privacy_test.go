package channels

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/audit"
	"switchyard/app/money"
	"switchyard/app/search"
)

// privacyFixture is a compliance webhook sample from testdata, edited.
func privacyFixture(t *testing.T, topic string, edit func(map[string]any)) []byte {
	t.Helper()
	name := "shopify_" + strings.ReplaceAll(topic, "/", "_") + "_docs_sample_2026-07_gadget.json"
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(m)
	}
	out, _ := json.Marshal(m)
	return out
}

// johnsOrder places the shop's order ext for email, shipped to a street.
func johnsOrder(t *testing.T, a *app.App, ext, email string) app.Order {
	t.Helper()
	apptest.Count(t, a, "L1", "TEE", 10)
	lat, lon := 45.75, 4.85
	o, _, err := a.PlaceOrder(context.Background(), app.System, app.NewOrder{Channel: "shop", ExternalID: ext, Currency: "EUR",
		Customer:        app.CustomerInput{Email: email, Name: "John Example", Phone: "555-625-1199"},
		ShippingAddress: &app.AddressInput{Name: "John Example", Line1: "7 Elm Street", City: "Lyon", Country: "FR", Lat: &lat, Lon: &lon},
		Lines:           []app.LineInput{{SKU: "TEE", Quantity: 1, UnitPrice: money.Decimal("10")}}})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// privacyApp is the returns test's Shopify channel with a SKU and three orders:
// two of the sample's ids and one of another customer.
func privacyApp(t *testing.T) (*app.App, *Service) {
	t.Helper()
	a, s := returnsApp(t, "shopify", "")
	apptest.MustSKU(t, a, "TEE")
	johnsOrder(t, a, "299938", "someone@example.net") // named by id, another email on file
	johnsOrder(t, a, "555", "John@Example.com")       // named by email only
	johnsOrder(t, a, "777", "jane@example.org")       // not John's
	return a, s
}

// searchHits is how many orders a search for q finds.
func searchHits(t *testing.T, a *app.App, q string) int {
	t.Helper()
	res, err := search.New(a).Search(context.Background(), app.Actor{Kind: app.ActorUser, ID: 9, Name: "S", Role: app.RoleSupport}, q, 10)
	if err != nil {
		t.Fatal(err)
	}
	return len(res.Orders)
}

// emailOf is the customer email the order ext holds now.
func emailOf(t *testing.T, a *app.App, ext string) string {
	t.Helper()
	return orderRow(t, a, ext).CustomerEmail
}

func TestShopifyCustomersRedact(t *testing.T) {
	a, s := privacyApp(t)
	if searchHits(t, a, "Lyon") != 3 {
		t.Fatal("the orders are not found before")
	}
	body := privacyFixture(t, "customers/redact", nil)
	// A bad signature does nothing.
	_, err := s.ReceiveShopify(context.Background(), Delivery{Channel: "shop", Topic: "customers/redact", ID: "w1",
		Signature: Sign(body, "wrong"), Body: body})
	if !errors.Is(err, ErrBadSignature) || emailOf(t, a, "299938") == "" {
		t.Fatalf("bad signature: %v", err)
	}
	res := hook(t, s, "customers/redact", "w1", body)
	if !strings.Contains(res.Result, "erased from 2 orders") {
		t.Errorf("result %q", res.Result)
	}
	for ext, want := range map[string]bool{"299938": true, "555": true, "777": false} {
		if got := emailOf(t, a, ext) == ""; got != want {
			t.Errorf("order %s erased = %v, want %v", ext, got, want)
		}
	}
	if n := searchHits(t, a, "Lyon"); n != 1 {
		t.Errorf("search finds %d orders, want only Jane's", n)
	}
	erasures := redactions(t, a)
	if again := hook(t, s, "customers/redact", "w1", body); !again.Duplicate {
		t.Errorf("a retry is not a duplicate: %+v", again)
	}
	if n := redactions(t, a); n != erasures {
		t.Errorf("the retry erased again: %d erasures in the audit log, then %d", erasures, n)
	}
	apptest.CheckInvariants(t, a)
}

// redactions counts the erasures in the audit log.
func redactions(t *testing.T, a *app.App) int {
	t.Helper()
	page, err := audit.New(a).List(context.Background(), audit.Query{Action: audit.PrivacyRedacted, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return len(page.Items)
}

func TestShopifyShopRedact(t *testing.T) {
	a, s := privacyApp(t)
	res := hook(t, s, "shop/redact", "w2", privacyFixture(t, "shop/redact", nil))
	if !strings.Contains(res.Result, "every order of the channel (3)") {
		t.Errorf("result %q", res.Result)
	}
	for _, ext := range []string{"299938", "555", "777"} {
		if emailOf(t, a, ext) != "" {
			t.Errorf("order %s kept its email", ext)
		}
	}
}

func TestShopifyCustomersDataRequest(t *testing.T) {
	a, s := privacyApp(t)
	res := hook(t, s, "customers/data_request", "w3", privacyFixture(t, "customers/data_request", nil))
	if !strings.Contains(res.Result, "data request recorded") {
		t.Errorf("result %q", res.Result)
	}
	db, err := sql.Open("sqlite3", a.DB().Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ids, ref, detail string
	if err := db.QueryRow(`SELECT external_ids, customer_ref FROM privacy_requests`).Scan(&ids, &ref); err != nil {
		t.Fatal(err)
	}
	if ids != "299938 280263 220458" || !strings.HasPrefix(ref, "customer #") {
		t.Errorf("request %q %q", ids, ref)
	}
	if err := db.QueryRow(`SELECT detail FROM audit_log WHERE action = 'privacy.data_requested'`).Scan(&detail); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(detail, "john@") || !strings.Contains(detail, "9999") {
		t.Errorf("audit detail %q", detail)
	}
	if emailOf(t, a, "555") == "" {
		t.Error("a data request erased data")
	}
}
