package privacy_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"switchyard/app"
	"switchyard/app/apptest"
	"switchyard/app/imports"
	"switchyard/app/outbox"
	"switchyard/app/privacy"
	"switchyard/app/search"
)

var (
	admin   = app.Actor{Kind: app.ActorUser, ID: 1, Name: "Ada Admin", Role: app.RoleAdmin}
	support = app.Actor{Kind: app.ActorUser, ID: 2, Name: "Sam Support", Role: app.RoleSupport}
)

// anaSecrets is what must not be found anywhere once Ana is redacted.
var anaSecrets = []string{"ana@example.com", "Ana Lima", "Lima", "12 34 56 78", "rue Mercière", "69002",
	"leave at the door", "Bellecour", "called back", "door code 4821"}

// env is an order network with two orders of Ana (her email in two cases)
// and one of Bob, Ana's with a note and an address change.
type env struct {
	t    *testing.T
	a    *app.App
	priv *privacy.Service
	ana  []app.Order
	bob  app.Order
}

func newEnv(t *testing.T) *env {
	t.Helper()
	a := apptest.OrderNetwork(t)
	e := &env{t: t, a: a, priv: privacy.New(a)}
	ctx := context.Background()
	// An endpoint for holds: the outbox repeats the hold's note.
	if _, _, err := outbox.New(a, nil).CreateWebhookEndpoint(ctx, app.System, outbox.NewWebhookEndpoint{
		URL: "https://hooks.example.com/x", Events: []string{app.EventOrderHeld}}); err != nil {
		t.Fatal(err)
	}
	e.ana = append(e.ana, e.place(apptest.DecodeOrder(t)))
	e.ana = append(e.ana, e.place(apptest.DecodeOrder(t, `"100234"`, `"100235"`, "ana@example.com", "ANA@Example.COM")))
	e.bob = e.place(apptest.DecodeOrder(t, `"100234"`, `"200001"`, "ana@example.com", "bob@example.org",
		"Ana Lima", "Bob Stone", "+33 6 12 34 56 78", "+44 20 7946 0000", "12 rue Mercière", "3 quai Saint-Antoine",
		"leave at the door", "ring twice", "69002", "69005"))
	// Indexed for search before the redaction, then changed.
	if _, err := apptest.Service(a, search.New).Search(ctx, support, "Lyon", 10); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddNote(ctx, support, e.ana[0].Number, "Ana Lima called back from +33 6 12 34 56 78"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Hold(ctx, support, e.ana[0].Number, app.HoldInput{Reason: "customer_request",
		Note: "Ana Lima asked to wait, door code 4821"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ChangeAddress(ctx, support, e.ana[1].Number, app.AddressInput{Name: "Ana Lima",
		Line1: "5 place Bellecour", City: "Lyon", PostalCode: "69002", Country: "FR"}); err != nil {
		t.Fatal(err)
	}
	return e
}

// place takes in an order.
func (e *env) place(in app.NewOrder) app.Order {
	e.t.Helper()
	o, _, err := e.a.PlaceOrder(context.Background(), app.System, in)
	if err != nil {
		e.t.Fatal(err)
	}
	return o
}

// rawDB opens the database file directly.
func (e *env) rawDB() *sql.DB {
	db, err := sql.Open("sqlite3", e.a.DB().Path())
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { db.Close() })
	return db
}

// dump is every row of table as text, lower-cased.
func (e *env) dump(table string) string {
	rows, err := e.rawDB().Query("SELECT * FROM " + table)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			e.t.Fatal(err)
		}
		for _, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%v|", v)
		}
		b.WriteString("\n")
	}
	return strings.ToLower(b.String())
}

// csv is the orders CSV export, lower-cased.
func (e *env) csv() string {
	var b bytes.Buffer
	ops := app.Actor{Kind: app.ActorUser, ID: 3, Name: "Olga Ops", Role: app.RoleOps}
	if err := imports.New(e.a).ExportCSV(context.Background(), ops, imports.CSVOrders, &b); err != nil {
		e.t.Fatal(err)
	}
	return strings.ToLower(b.String())
}

// hits is how many orders a search for q finds.
func (e *env) hits(q string) int {
	res, err := apptest.Service(e.a, search.New).Search(context.Background(), support, q, 50)
	if err != nil {
		e.t.Fatalf("search %q: %v", q, err)
	}
	return len(res.Orders)
}

// order is the order numbered number as it is now.
func (e *env) order(number string) app.Order {
	o, err := e.a.OrderByNumber(context.Background(), number)
	if err != nil {
		e.t.Fatal(err)
	}
	return o
}

func TestRedactCustomerErasesHerDataEverywhere(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, q := range []string{"ana@example.com", "Lima", "+33 6 12 34 56 78"} {
		if e.hits(q) == 0 {
			t.Fatalf("search %q finds nothing before the redaction", q)
		}
	}
	before := e.csv()
	if !strings.Contains(before, "ana@example.com") {
		t.Fatalf("the export lacks Ana before the redaction:\n%s", before)
	}
	n, err := e.priv.RedactCustomer(ctx, admin, " Ana@Example.com ")
	if err != nil || n != 2 {
		t.Fatalf("RedactCustomer = %d, %v; want 2 orders", n, err)
	}
	where := map[string]string{"orders": e.dump("orders"), "order_events": e.dump("order_events"),
		"returns": e.dump("returns"), "outbox_messages": e.dump("outbox_messages"), "return_lines": e.dump("return_lines"), "csv export": e.csv(),
		"audit_log": e.dump("audit_log")}
	for _, s := range anaSecrets {
		for name, text := range where {
			if strings.Contains(text, strings.ToLower(s)) {
				t.Errorf("%q still in %s:\n%s", s, name, text)
			}
		}
		if h := e.hits(s); h != 0 {
			t.Errorf("search %q finds %d orders after the redaction", s, h)
		}
	}
	for _, q := range []string{"bob@example.org", "Stone", "+44 20 7946 0000"} {
		if e.hits(q) != 1 {
			t.Errorf("search %q does not find Bob's order any more", q)
		}
	}
	if !strings.Contains(where["orders"], "ring twice") || !strings.Contains(where["orders"], "bob stone") {
		t.Error("Bob's order lost its data")
	}
	for i, o := range e.ana {
		now := e.order(o.Number)
		if now.Total != o.Total || now.Subtotal != o.Subtotal || now.ShippingPrice != o.ShippingPrice || len(now.Lines) != len(o.Lines) {
			t.Errorf("order %d money or lines changed: %+v, was %+v", i, now, o)
		}
		if now.ShippingAddress == nil || now.ShippingAddress.Country != "FR" {
			t.Errorf("order %d lost its country: %+v", i, now.ShippingAddress)
		}
	}
	if !strings.Contains(where["order_events"], "personal data erased at the customer's request") {
		t.Error("no timeline entry of the redaction")
	}
	ref := strings.ToLower(privacy.CustomerRef("ana@example.com"))
	if !strings.Contains(where["audit_log"], "privacy.redacted") || !strings.Contains(where["audit_log"], ref) {
		t.Errorf("no audit entry naming %s:\n%s", ref, where["audit_log"])
	}
	apptest.CheckInvariants(t, e.a)
}

func TestRedactCustomerTwiceIsHarmless(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if _, err := e.priv.RedactCustomer(ctx, admin, "ana@example.com"); err != nil {
		t.Fatal(err)
	}
	events := e.dump("order_events")
	n, err := e.priv.RedactCustomer(ctx, admin, "ana@example.com")
	if err != nil || n != 0 {
		t.Fatalf("again: %d, %v; want 0 orders", n, err)
	}
	if got := e.dump("order_events"); got != events {
		t.Errorf("the timeline changed on the second redaction")
	}
	if c := strings.Count(events, "personal data erased"); c != 2 {
		t.Errorf("%d redaction entries, want one per order", c)
	}
}

func TestRedactCustomerRefusesABadEmail(t *testing.T) {
	e := newEnv(t)
	for _, bad := range []string{"", "ana", "Ana <ana@example.com>"} {
		_, err := e.priv.RedactCustomer(context.Background(), admin, bad)
		if app.ErrorKind(err) != app.KindInvalid {
			t.Errorf("%q: %v, want invalid", bad, err)
		}
	}
}

func TestRedactOrdersAndChannel(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	n, err := e.priv.RedactOrders(ctx, app.Actor{Kind: app.ActorChannel, Name: "web"}, "web", []string{"100235", "999999"})
	if err != nil || n != 1 {
		t.Fatalf("RedactOrders = %d, %v; want 1", n, err)
	}
	if o := e.order(e.ana[1].Number); o.Customer.Email != "" || o.ShippingAddress.Line1 != "" {
		t.Errorf("order 100235 kept its data: %+v", o)
	}
	if o := e.order(e.ana[0].Number); o.Customer.Email == "" {
		t.Error("order 100234 was erased too")
	}
	n, err = e.priv.RedactChannel(ctx, app.System, "web")
	if err != nil || n != 3 {
		t.Fatalf("RedactChannel = %d, %v; want 3", n, err)
	}
	if h := e.hits("Stone"); h != 0 {
		t.Errorf("Bob still found after shop/redact")
	}
	events, out := e.dump("order_events"), e.dump("outbox_messages")
	if _, err := e.priv.RedactChannel(ctx, app.System, "web"); err != nil {
		t.Fatal(err)
	}
	if e.dump("order_events") != events || e.dump("outbox_messages") != out {
		t.Error("redacting the channel again changed the timeline or the outbox")
	}
	if c := strings.Count(events, "personal data erased"); c != 3 {
		t.Errorf("%d redaction entries, want one per order", c)
	}
	if _, err := e.priv.RedactChannel(ctx, app.System, "nope"); app.ErrorKind(err) != app.KindNotFound {
		t.Errorf("unknown channel: %v", err)
	}
	apptest.CheckInvariants(t, e.a)
}
