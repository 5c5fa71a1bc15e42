package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchyard/app"
	"switchyard/app/desk"
)

// notText are values the API must refuse, as raw JSON string literals.
var notText = map[string]string{
	"invalid UTF-8":  "\"caf\xe9\"",
	"lone surrogate": `"caf\ud800"`,
	"NUL":            `"caf\u0000"`,
	"BEL":            `"caf\u0007"`,
	"ESC":            `"caf\u001b"`,
}

func TestAPIRefusesTextThatIsNotText(t *testing.T) {
	env := orderEnv(t)
	key := env.APIKey("", "orders:write", "catalog:write")
	fields := map[string]func(v string) string{
		"customer.name": func(v string) string {
			return strings.Replace(orderBody, `"name": "Ana Lima", "phone"`, `"name": `+v+`, "phone"`, 1)
		},
		"note":        func(v string) string { return strings.Replace(orderBody, `"leave at the door"`, v, 1) },
		"external_id": func(v string) string { return strings.Replace(orderBody, `"100234"`, v, 1) },
		"lines[0].name": func(v string) string {
			return strings.Replace(orderBody, `"sku": "TEE-BLK-M"`, `"sku": "TEE-BLK-M", "name": `+v, 1)
		},
	}
	for what, lit := range notText {
		for field, body := range fields {
			status, answer := postOrder(t, env, key, "", body(lit))
			var got struct {
				Error struct {
					Code   string            `json:"code"`
					Fields map[string]string `json:"fields"`
				} `json:"error"`
			}
			if err := json.Unmarshal([]byte(answer), &got); err != nil {
				t.Fatalf("%s in %s: answer %d is not JSON: %v\n%s", what, field, status, err, answer)
			}
			if status != http.StatusUnprocessableEntity || got.Error.Code != "invalid" || got.Error.Fields[field] != app.NotTextProblem {
				t.Errorf("%s in %s = %d %s, want 422 naming the field", what, field, status, answer)
			}
		}
		status, answer := env.API(http.MethodPut, "/api/v1/skus/TEE-"+strings.ReplaceAll(what, " ", "-"), key, `{"name": `+lit+`}`)
		if status != http.StatusUnprocessableEntity || !strings.Contains(answer, `"name":"`+app.NotTextProblem+`"`) {
			t.Errorf("SKU name with %s = %d %s", what, status, answer)
		}
	}
	list, err := env.Svc.Desk.Orders(context.Background(), desk.OrderQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Orders) != 0 {
		t.Fatalf("refused orders were written: %d", len(list.Orders))
	}
	// Tab and newline stay allowed in a note, not in a name.
	ok := strings.Replace(orderBody, `"leave at the door"`, `"leave at the door\n\tthen ring"`, 1)
	if status, answer := postOrder(t, env, key, "", ok); status != http.StatusCreated {
		t.Fatalf("note with a newline and a tab = %d %s", status, answer)
	}
	tabbed := strings.Replace(strings.Replace(orderBody, `"100234"`, `"100235"`, 1), `"name": "Ana Lima", "phone"`, `"name": "Ana\tLima", "phone"`, 1)
	if status, answer := postOrder(t, env, key, "", tabbed); status != http.StatusUnprocessableEntity || !strings.Contains(answer, `"customer.name"`) {
		t.Errorf("name with a tab = %d %s, want 422", status, answer)
	}
	// A valid surrogate pair is text.
	pair := strings.Replace(strings.Replace(orderBody, `"100234"`, `"100236"`, 1), `"leave at the door"`, `"gift \ud83c\udf81"`, 1)
	if status, answer := postOrder(t, env, key, "", pair); status != http.StatusCreated {
		t.Errorf("note with a surrogate pair = %d %s", status, answer)
	}
}

func TestFormsRefuseTextThatIsNotText(t *testing.T) {
	env := orderEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)
	for what, v := range map[string]string{"invalid UTF-8": "Lyon caf\xe9", "NUL": "Lyon\x00", "BEL": "Lyon\a", "ESC": "Lyon\x1b[31m"} {
		res := ops.PostForm("/skus", url.Values{"code": {"BAD-SKU"}, "name": {v}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, app.NotTextProblem) {
			t.Errorf("SKU form with %s = %d, want 422 with the field error", what, res.StatusCode)
		}
	}
	if _, err := env.App.SKU(context.Background(), "BAD-SKU"); app.ErrorKind(err) != app.KindNotFound {
		t.Fatalf("a refused form wrote the SKU: %v", err)
	}
}

func TestCSVImportRefusesControlCharacters(t *testing.T) {
	env := orderEnv(t)
	ops, _ := env.SignedIn(app.RoleOps)
	job := startedJob(t, upload(t, env, ops, "skus", "skus.csv", "code,name\nGOOD,Good\nBAD,Bad\x00name\nBEL,Bell\a\n"))
	body := pollJob(t, env, ops, job)
	for _, want := range []string{`data-phase="failed"`, `<td>3</td><td><code>name</code></td>`, `<td>4</td><td><code>name</code></td>`, app.NotTextProblem} {
		if !strings.Contains(body, want) {
			t.Errorf("job page lacks %s:\n%s", want, body)
		}
	}
	if _, err := env.App.SKU(context.Background(), "GOOD"); app.ErrorKind(err) != app.KindNotFound {
		t.Fatalf("a refused file wrote a SKU: %v", err)
	}
}

func TestShopifyWebhookWithBadTextIsCleanedNotRefused(t *testing.T) {
	env := orderEnv(t)
	hookChannel(t, env, "shop", "shopify")
	var order map[string]any
	if err := json.Unmarshal(hookFixture(t, "shopify_orders_create_activepieces_devstore_2023.json"), &order); err != nil {
		t.Fatal(err)
	}
	order["customer"] = map[string]any{"first_name": "NAME-PLACEHOLDER", "last_name": "Lima"}
	body, err := json.Marshal(order)
	if err != nil {
		t.Fatal(err)
	}
	body = bytes.Replace(body, []byte(`"NAME-PLACEHOLDER"`), []byte("\"A\\u0000n\xe9a\\u001b\\ud800\""), 1)
	status, answer := sendHook(t, env, "/webhooks/shopify/shop", body, shopifyHeaders(body, hookSecret, "orders/create", "wh-text"))
	if status != http.StatusOK || !strings.Contains(answer, "took in order") {
		t.Fatalf("webhook = %d %s", status, answer)
	}
	o, err := env.App.OrderByExternal(context.Background(), "shop", "5324830114101")
	if err != nil {
		t.Fatalf("order not taken in: %v", err)
	}
	if o.Customer.Name != "Ana Lima" {
		t.Errorf("customer name stored as %q, want %q", o.Customer.Name, "Ana Lima")
	}
	said := false
	for _, e := range o.Events {
		if e.Kind == "text_cleaned" && strings.Contains(e.Message, "customer name") && strings.Contains(e.Message, "removed") {
			said = true
		}
	}
	if !said {
		t.Errorf("the timeline does not say the customer name was cleaned: %+v", o.Events)
	}
}

func TestShopifyWebhookWithLongTextIsShortenedNotRefused(t *testing.T) {
	env := orderEnv(t)
	hookChannel(t, env, "shop", "shopify")
	var order map[string]any
	if err := json.Unmarshal(hookFixture(t, "shopify_orders_create_activepieces_devstore_2023.json"), &order); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("é", 150)
	order["customer"] = map[string]any{"first_name": long, "last_name": long}
	order["name"] = "#" + strings.Repeat("9", 150)
	body, err := json.Marshal(order)
	if err != nil {
		t.Fatal(err)
	}
	status, answer := sendHook(t, env, "/webhooks/shopify/shop", body, shopifyHeaders(body, hookSecret, "orders/create", "wh-long"))
	if status != http.StatusOK || !strings.Contains(answer, "took in order") {
		t.Fatalf("webhook = %d %s", status, answer)
	}
	o, err := env.App.OrderByExternal(context.Background(), "shop", "5324830114101")
	if err != nil {
		t.Fatalf("order not taken in: %v", err)
	}
	if n := len([]rune(o.Customer.Name)); n != 200 || !strings.HasPrefix(o.Customer.Name, long) || !strings.HasSuffix(o.Customer.Name, "…") {
		t.Errorf("customer name kept as %d characters: %q", n, o.Customer.Name)
	}
	said := false
	for _, e := range o.Events {
		if e.Kind == "text_shortened" && strings.Contains(e.Message, "customer name") && strings.Contains(e.Message, "channel ref") {
			said = true
		}
	}
	if !said {
		t.Errorf("the timeline does not say the customer name and channel reference were cut: %+v", o.Events)
	}
}
