package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"switchyard/app"
)

// bigOrdersRules holds orders over 1,000 from a first-time customer.
const bigOrdersRules = `{"rules": [{"name": "Big first orders", "enabled": true, "trigger": "order.received",
  "conditions": [{"field": "total", "op": "gt", "value": "1000.00"}, {"field": "customer_order_count", "op": "eq", "value": 1}],
  "actions": [{"action": "hold", "reason": "fraud_review"}, {"action": "add_tag", "tag": "big"},
              {"action": "note", "text": "First order over 1,000"}]}]}`

// timelineHas says whether the order's timeline has an entry containing words.
func timelineHas(t *testing.T, a *app.App, number, words string) bool {
	t.Helper()
	o, err := a.OrderByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range o.Events {
		if strings.Contains(e.Message, words) {
			return true
		}
	}
	return false
}

func TestAutomationRulesThroughTheAPI(t *testing.T) {
	env := orderEnv(t)
	key := env.APIKey("", "routing:write", "orders:write", "orders:read")
	reader := env.APIKey("", "orders:read")
	if st, body := env.API(http.MethodPut, "/api/v1/automation/rules/draft", reader, bigOrdersRules); st != http.StatusForbidden {
		t.Errorf("orders:read put the draft: %d %s", st, body)
	}
	if st, body := env.API(http.MethodPut, "/api/v1/automation/rules/draft", key, bigOrdersRules); st != http.StatusOK || !strings.Contains(body, `"draft":true`) {
		t.Fatalf("put draft = %d %s", st, body)
	}
	// Nothing is in force before publishing.
	if st, body := env.API(http.MethodGet, "/api/v1/automation/rules", reader, ""); st != http.StatusOK || !strings.Contains(body, `"rules":[]`) {
		t.Errorf("published before publishing = %d %s", st, body)
	}
	st, body := env.API(http.MethodPost, "/api/v1/automation/rules/simulate", key, `{"orders": 10}`)
	if st != http.StatusOK || !strings.Contains(body, `"orders":0`) {
		t.Errorf("simulate = %d %s", st, body)
	}
	if st, body := env.API(http.MethodPost, "/api/v1/automation/rules/publish", key, `{"note": "first"}`); st != http.StatusCreated || !strings.Contains(body, `"version":1`) {
		t.Fatalf("publish = %d %s", st, body)
	}
	if st, body := env.API(http.MethodGet, "/api/v1/automation/rules?version=1", reader, ""); st != http.StatusOK || !strings.Contains(body, "Big first orders") {
		t.Errorf("version 1 = %d %s", st, body)
	}
	// An order over 1,000 from a new customer, through the API, is held.
	big := strings.Replace(orderBody, `"quantity": 2`, `"quantity": 60`, 1)
	st, body = postOrder(t, env, key, "", big)
	if st != http.StatusCreated {
		t.Fatalf("order = %d %s", st, body)
	}
	var o struct {
		Number     string   `json:"number"`
		OnHold     bool     `json:"on_hold"`
		HoldReason string   `json:"hold_reason"`
		Tags       []string `json:"tags"`
	}
	if err := json.Unmarshal([]byte(body), &o); err != nil {
		t.Fatal(err)
	}
	if !o.OnHold || o.HoldReason != "fraud_review" || !strings.Contains(strings.Join(o.Tags, ","), "big") {
		t.Errorf("the API's answer does not show the rule's work: %s", body)
	}
	if !timelineHas(t, env.App, o.Number, "Automation rule “Big first orders” held the order for a fraud review") {
		t.Error("no timeline entry for the hold")
	}
	st, body = env.API(http.MethodPost, "/api/v1/automation/rules/simulate", key, `{"orders": 10}`)
	if st != http.StatusOK || !strings.Contains(body, `"Big first orders":1`) {
		t.Errorf("simulate = %d %s", st, body)
	}
	// A key bound to another channel replays none of web-eu's orders.
	pos := env.APIKey("pos", "routing:write")
	if st, body := env.API(http.MethodPost, "/api/v1/automation/rules/simulate", pos, `{"orders": 10}`); st != http.StatusOK ||
		!strings.Contains(body, `"orders":0`) || strings.Contains(body, o.Number) {
		t.Errorf("a key bound to pos simulated = %d %s", st, body)
	}
}

func TestAutomationDraftRefusalsNameTheField(t *testing.T) {
	env := orderEnv(t)
	key := env.APIKey("", "routing:write")
	cases := map[string]string{
		`{"rules": [{"name": "A", "enabled": true, "trigger": "order.teleported", "actions": [{"action": "release"}]}]}`:                                                                                                            "rules[0].trigger",
		`{"rules": [{"name": "A", "enabled": true, "trigger": "order.received", "conditions": [{"field": "total", "op": "gt", "value": 1}, {"field": "total", "op": "between", "value": 1}], "actions": [{"action": "release"}]}]}`: "rules[0].conditions[1].op",
		`{"rules": [{"name": "A", "enabled": true, "trigger": "order.received", "conditions": [{"field": "shoe_size", "op": "eq", "value": 1}], "actions": [{"action": "release"}]}]}`:                                              "rules[0].conditions[0].field",
		`{"rules": [{"name": "A", "enabled": true, "trigger": "order.received", "actions": [{"action": "refund_everything"}]}]}`:                                                                                                    "rules[0].actions[0].action",
	}
	for doc, field := range cases {
		st, body := env.API(http.MethodPut, "/api/v1/automation/rules/draft", key, doc)
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `"`+field+`"`) {
			t.Errorf("%s: %d %s", field, st, body)
		}
	}
	if st, body := env.API(http.MethodPost, "/api/v1/automation/rules/publish", key, ""); st != http.StatusConflict {
		t.Errorf("publish without a draft = %d %s", st, body)
	}
	if st, body := env.API(http.MethodGet, "/api/v1/automation/rules?version=abc", key, ""); st != http.StatusUnprocessableEntity {
		t.Errorf("bad version = %d %s", st, body)
	}
}

func TestAutomationFiresOnShopifyWebhookIntake(t *testing.T) {
	env := orderEnv(t)
	hookChannel(t, env, "shop", "shopify")
	ctx := context.Background()
	rs := `{"rules": [{"name": "Big Shopify orders", "enabled": true, "trigger": "order.received",
	  "conditions": [{"field": "channel", "op": "eq", "value": "shop"}, {"field": "total", "op": "gte", "value": "2000"}],
	  "actions": [{"action": "add_tag", "tag": "big-shop"}, {"action": "note", "text": "Look at it"}]}]}`
	key := env.APIKey("", "routing:write")
	if st, body := env.API(http.MethodPut, "/api/v1/automation/rules/draft", key, rs); st != http.StatusOK {
		t.Fatalf("draft = %d %s", st, body)
	}
	if st, body := env.API(http.MethodPost, "/api/v1/automation/rules/publish", key, ""); st != http.StatusCreated {
		t.Fatalf("publish = %d %s", st, body)
	}
	body := hookFixture(t, "shopify_orders_create_activepieces_devstore_2023.json")
	for i := range 2 { // delivered twice: the order is taken in once, its rules fire once
		if status, answer := sendHook(t, env, "/webhooks/shopify/shop", body, shopifyHeaders(body, hookSecret, "orders/create", "wh-"+string(rune('a'+i)))); status != http.StatusOK {
			t.Fatalf("webhook = %d %s", status, answer)
		}
	}
	o, err := env.App.OrderByExternal(ctx, "shop", "5324830114101")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(o.Tags, ","), "big-shop") {
		t.Errorf("tags %v", o.Tags)
	}
	n := 0
	for _, e := range o.Events {
		if strings.Contains(e.Message, "Automation rule “Big Shopify orders” (the order was received) tagged the order “big-shop” and noted: Look at it.") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the rule's entry is there %d times", n)
	}
}
