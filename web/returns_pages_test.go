package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"switchyard/app"
	"switchyard/app/returns"
	"switchyard/web/webtest"
)

// retDelivered places ordPlace's order (2 black tees, 1 mug), ships and delivers it.
func retDelivered(t *testing.T, env *webtest.Env, externalID string) app.Order {
	t.Helper()
	ctx := context.Background()
	o := ordPlace(t, env, externalID, nil)
	for _, f := range o.Fulfillments {
		if _, err := env.App.Ship(ctx, app.System, f.ID, app.ShipInput{Carrier: "ups", TrackingNumber: upsTestNumber}); err != nil {
			t.Fatal(err)
		}
		if _, err := env.App.Deliver(ctx, app.System, f.ID); err != nil {
			t.Fatal(err)
		}
	}
	o, err := env.App.OrderByNumber(ctx, o.Number)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// retForm is the order page's "Start a return" form for one tee.
func retForm(o app.Order, quantity string, extra ...string) url.Values {
	f := url.Values{"lines[0].id": {itoa(o.Lines[0].ID)}, "lines[0].quantity": {quantity},
		"lines[0].reason": {"too_small"}, "lines[1].id": {itoa(o.Lines[1].ID)}, "lines[1].quantity": {""},
		"lines[1].reason": {"damaged"}, "resolution": {"refund"}, "note": {"customer called"}}
	for i := 0; i+1 < len(extra); i += 2 {
		f.Set(extra[i], extra[i+1])
	}
	return f
}

// retReturns lists the order's returns, failing the test on error.
func retReturns(t *testing.T, env *webtest.Env, o app.Order) []returns.Return {
	t.Helper()
	rs, err := env.Svc.Returns.ForOrder(context.Background(), o.ID)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestStartReturnFromTheOrderPage(t *testing.T) {
	env := ordEnv(t)
	o := retDelivered(t, env, "R100")
	support, _ := env.SignedIn(app.RoleSupport)
	page := support.Get("/orders/" + o.Number)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `data-testid="action-start-return"`) {
		t.Fatalf("order page %d: no start-a-return form", page.StatusCode)
	}
	if strings.Contains(page.Body, `data-testid="return-override"`) {
		t.Fatal("support sees the policy override")
	}
	res := support.PostForm("/orders/"+o.Number+"/returns", retForm(o, "1"))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/orders/"+o.Number+"#returns" {
		t.Fatalf("start return: %d %q\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	rs := retReturns(t, env, o)
	if len(rs) != 1 || rs[0].Status != returns.StatusApproved || rs[0].Lines[0].Quantity != 1 || rs[0].Note != "customer called" {
		t.Fatalf("returns: %+v", rs)
	}
	num := rs[0].Number
	page = support.Get("/orders/" + o.Number)
	if !strings.Contains(page.Body, `data-testid="order-return" data-number="`+num+`"`) ||
		!strings.Contains(page.Body, "Return "+num+" started.") ||
		!strings.Contains(page.Body, "Your return "+num+" is approved: please send the items back to Lyon warehouse") {
		t.Fatalf("order page does not show the return\n%s", page.Body)
	}
	list := support.Get("/returns")
	if list.StatusCode != http.StatusOK || !strings.Contains(list.Body, `data-testid="return" data-number="`+num+`"`) {
		t.Fatalf("returns list %d\n%s", list.StatusCode, list.Body)
	}
	rp := support.Get("/returns/" + num)
	if rp.StatusCode != http.StatusOK || !strings.Contains(rp.Body, `data-testid="return-line" data-sku="TEE-BLK-M"`) ||
		!strings.Contains(rp.Body, "too small") || !strings.Contains(rp.Body, "Lyon warehouse") ||
		!strings.Contains(rp.Body, "Return "+num+" started by") {
		t.Fatalf("return page %d\n%s", rp.StatusCode, rp.Body)
	}
	// One more tee is returnable, the mug too; a second return of 2 tees is refused.
	res = support.PostForm("/orders/"+o.Number+"/returns", retForm(o, "2"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="lines[0].quantity"`) ||
		!strings.Contains(res.Body, "at most 1 of line 1") {
		t.Fatalf("too many: %d\n%s", res.StatusCode, res.Body)
	}
}

func TestStartReturnBadInputWritesNothing(t *testing.T) {
	env := ordEnv(t)
	o := retDelivered(t, env, "R101")
	support, _ := env.SignedIn(app.RoleSupport)
	for name, tc := range map[string]struct {
		form  url.Values
		field string
	}{
		"more than shipped": {retForm(o, "3"), "lines[0].quantity"},
		"not a number":      {retForm(o, "two"), "lines[0].quantity"},
		"no line":           {retForm(o, ""), "lines"},
		"unknown reason":    {retForm(o, "1", "lines[0].reason", "bored"), "lines[0].reason"},
		"unknown location":  {retForm(o, "1", "location", "NOPE"), "location"},
		"exchange, no SKU":  {retForm(o, "1", "resolution", "exchange"), "exchange_lines"},
		"unknown exchange":  {retForm(o, "1", "resolution", "exchange", "exchange_lines[1].sku", "NOPE-1"), "exchange_lines[1].sku"},
		"inactive exchange": {retForm(o, "1", "resolution", "exchange", "exchange_lines[0].sku", "TEE-OLD"), "exchange_lines[0].sku"},
		"bad resolution":    {retForm(o, "1", "resolution", "cash"), "resolution"},
	} {
		t.Run(name, func(t *testing.T) {
			res := support.PostForm("/orders/"+o.Number+"/returns", tc.form)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="`+tc.field+`"`) {
				t.Fatalf("status %d, want 422 with an error beside %s\n%s", res.StatusCode, tc.field, res.Body)
			}
			if !strings.Contains(res.Body, `data-testid="toggle-start-return" open`) {
				t.Fatal("the form is not open again")
			}
		})
	}
	if rs := retReturns(t, env, o); len(rs) != 0 {
		t.Fatalf("refused forms wrote returns: %+v", rs)
	}
	// Without the CSRF token nothing is written either.
	if res := support.PostRaw("/orders/"+o.Number+"/returns", retForm(o, "1")); res.StatusCode != http.StatusForbidden {
		t.Fatalf("no CSRF: %d, want 403", res.StatusCode)
	}
	if rs := retReturns(t, env, o); len(rs) != 0 {
		t.Fatalf("a request without CSRF wrote: %+v", rs)
	}
}

func TestOnlyOpsOverrideTheReturnPolicy(t *testing.T) {
	env := ordEnv(t)
	o := retDelivered(t, env, "R102")
	env.Clock.Advance(40 * 24 * time.Hour) // past the 30-day window
	support, _ := env.SignedIn(app.RoleSupport)
	res := support.PostForm("/orders/"+o.Number+"/returns", retForm(o, "1", "override", "1"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "only an ops manager or an admin may override") {
		t.Fatalf("support override: %d\n%s", res.StatusCode, res.Body)
	}
	if rs := retReturns(t, env, o); len(rs) != 0 {
		t.Fatalf("support overrode the policy: %+v", rs)
	}
	ops, _ := env.SignedIn(app.RoleOps)
	if page := ops.Get("/orders/" + o.Number); !strings.Contains(page.Body, `data-testid="return-override"`) {
		t.Fatal("ops cannot see the override")
	}
	if res := ops.PostForm("/orders/"+o.Number+"/returns", retForm(o, "1")); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "return window of 30 days closed") {
		t.Fatalf("ops without override: %d\n%s", res.StatusCode, res.Body)
	}
	if res := ops.PostForm("/orders/"+o.Number+"/returns", retForm(o, "1", "override", "1")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ops override: %d\n%s", res.StatusCode, res.Body)
	}
	rs := retReturns(t, env, o)
	if len(rs) != 1 || !strings.Contains(rs[0].Override, "policy overridden by") {
		t.Fatalf("returns: %+v", rs)
	}
	if page := ops.Get("/returns/" + rs[0].Number); !strings.Contains(page.Body, `data-testid="return-override"`) {
		t.Fatal("the return page does not show the override")
	}
}

func TestReturnsPagesAreTheDesks(t *testing.T) {
	env := ordEnv(t)
	o := retDelivered(t, env, "R103")
	r, _, err := env.Svc.Returns.Create(context.Background(), app.Actor{Kind: app.ActorUser, Name: "Sam", Role: app.RoleSupport},
		o.Number, returns.NewReturn{Resolution: "refund", Lines: []returns.LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "damaged"}}})
	if err != nil {
		t.Fatal(err)
	}
	wh, _ := env.SignedIn(app.RoleWarehouse, "LYS-WH")
	for _, path := range []string{"/returns", "/returns.csv", "/returns/" + r.Number} {
		if res := wh.Get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("warehouse GET %s = %d, want 403", path, res.StatusCode)
		}
	}
	for _, action := range []string{"approve", "cancel", "refund"} {
		if res := wh.PostForm("/returns/"+r.Number+"/"+action, nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("warehouse POST %s = %d, want 403", action, res.StatusCode)
		}
	}
	if res := wh.PostForm("/orders/"+o.Number+"/returns", retForm(o, "1")); res.StatusCode != http.StatusForbidden {
		t.Errorf("warehouse starts a return: %d, want 403", res.StatusCode)
	}
	if home := wh.Get("/"); strings.Contains(home.Body, `href="/returns"`) {
		t.Error("warehouse navigation shows Returns")
	}
	support, _ := env.SignedIn(app.RoleSupport)
	if home := support.Get("/orders"); !strings.Contains(home.Body, `href="/returns"`) {
		t.Error("support navigation has no Returns")
	}
	if res := support.Get("/returns/RT-999999"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown return: %d, want 404", res.StatusCode)
	}
}

func TestReturnActionsByForm(t *testing.T) {
	env := ordEnv(t)
	ctx := context.Background()
	o := retDelivered(t, env, "R104")
	no := false
	r, _, err := env.Svc.Returns.Create(ctx, app.Actor{Kind: app.ActorUser, Name: "Sam", Role: app.RoleSupport}, o.Number,
		returns.NewReturn{Resolution: "refund", Approve: &no, Lines: []returns.LineInput{{Line: o.Lines[0].ID, Quantity: 2, Reason: "too_small"}}})
	if err != nil {
		t.Fatal(err)
	}
	support, _ := env.SignedIn(app.RoleSupport)
	path := "/returns/" + r.Number
	status := func() returns.Return {
		t.Helper()
		got, err := env.Svc.Returns.Get(ctx, app.Reach{}, r.Number)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	// Decline needs a reason: 422 beside the field, still requested.
	if res := support.PostForm(path+"/decline", url.Values{"reason": {"  "}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, `data-field="reason"`) || status().Status != returns.StatusRequested {
		t.Fatalf("decline without reason: %d\n%s", res.StatusCode, res.Body)
	}
	if res := support.PostRaw(path+"/approve", nil); res.StatusCode != http.StatusForbidden || status().Status != returns.StatusRequested {
		t.Fatalf("approve without CSRF: %d", res.StatusCode)
	}
	if res := support.PostForm(path+"/approve", nil); res.StatusCode != http.StatusSeeOther || status().Status != returns.StatusApproved {
		t.Fatalf("approve: %d\n%s", res.StatusCode, res.Body)
	}
	// Approving twice is a conflict, shown on the page.
	if res := support.PostForm(path+"/approve", nil); res.StatusCode != http.StatusConflict ||
		!strings.Contains(res.Body, "cannot become approved") || !strings.Contains(res.Body, `data-testid="return-page"`) {
		t.Fatalf("approve twice: %d\n%s", res.StatusCode, res.Body)
	}
	if res := support.PostForm(path+"/refund", url.Values{"amount": {"999.00"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, `data-field="amount"`) || len(status().Refunds) != 0 {
		t.Fatalf("refund too much: %d\n%s", res.StatusCode, res.Body)
	}
	if res := support.PostForm(path+"/refund", url.Values{"amount": {"10.00"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("refund: %d\n%s", res.StatusCode, res.Body)
	}
	got := status()
	if len(got.Refunds) != 1 || got.Refunds[0].Amount != "10.00" || got.Refunds[0].Status == returns.RefundSucceeded {
		t.Fatalf("refunds: %+v", got.Refunds)
	}
	page := support.Get(path)
	if !strings.Contains(page.Body, "Refund asked of the channel.") || !strings.Contains(page.Body, `data-testid="action-confirm-refund"`) {
		t.Fatalf("return page after refund\n%s", page.Body)
	}
	if res := support.PostForm(path+"/confirm-refund", url.Values{"refund": {"x"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, `data-field="refund"`) {
		t.Fatalf("confirm a bad id: %d\n%s", res.StatusCode, res.Body)
	}
	if res := support.PostForm(path+"/confirm-refund", url.Values{"refund": {itoa(got.Refunds[0].ID)}, "external_id": {"re_1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d\n%s\n%s", res.StatusCode, res.Body, env.Log.String())
	}
	if got := status(); got.Refunds[0].Status != returns.RefundSucceeded {
		t.Fatalf("after confirm: %+v", got.Refunds)
	}
	if page := support.Get("/orders/" + o.Number); !strings.Contains(page.Body, "your refund of EUR 10.00 was made on") {
		t.Fatalf("order sentence does not say the refund\n%s", page.Body)
	}
	// Cancelling a return with a refund made is refused by the state machine or allowed; either way it answers.
	res := support.PostForm(path+"/cancel", nil)
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusConflict {
		t.Fatalf("cancel: %d\n%s", res.StatusCode, res.Body)
	}
}

func TestReturnsListFiltersAndCSV(t *testing.T) {
	env := ordEnv(t)
	ctx := context.Background()
	sam := app.Actor{Kind: app.ActorUser, Name: "Sam", Role: app.RoleSupport}
	var nums []string
	for i, reason := range []string{"damaged", "too_small"} {
		o := retDelivered(t, env, "R20"+itoa(int64(i)))
		r, _, err := env.Svc.Returns.Create(ctx, sam, o.Number, returns.NewReturn{Resolution: "refund", Note: "=cmd|' /C calc'!A0",
			Lines: []returns.LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: reason}}})
		if err != nil {
			t.Fatal(err)
		}
		nums = append(nums, r.Number)
	}
	support, _ := env.SignedIn(app.RoleSupport)
	res := support.Get("/returns?reason=damaged")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-number="`+nums[0]+`"`) || strings.Contains(res.Body, `data-number="`+nums[1]+`"`) {
		t.Fatalf("reason filter: %d\n%s", res.StatusCode, res.Body)
	}
	if res := support.Get("/returns?status=lost"); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "status: is not a return status") || !strings.Contains(res.Body, `data-field="status"`) {
		t.Fatalf("bad status: %d\n%s", res.StatusCode, res.Body)
	}
	if res := support.Get("/returns?from=yesterday"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `data-field="from"`) {
		t.Fatalf("bad day: %d\n%s", res.StatusCode, res.Body)
	}
	res = support.Get("/returns.csv?reason=too_small")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	recs, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[1][0] != nums[1] || recs[1][len(recs[1])-1] != "'=cmd|' /C calc'!A0" {
		t.Fatalf("csv rows: %q", recs)
	}
	if res := support.Get("/returns.csv?channel=nope"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("csv with a bad filter: %d", res.StatusCode)
	}
}

func TestExchangeFromTheOrderPageLinksBothOrders(t *testing.T) {
	env := ordEnv(t)
	o := retDelivered(t, env, "R500")
	support, _ := env.SignedIn(app.RoleSupport)
	res := support.PostForm("/orders/"+o.Number+"/returns", retForm(o, "1", "resolution", "exchange",
		"exchange_lines[0].sku", "TEE-WHT-S", "exchange_lines[0].quantity", "1"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("exchange: %d\n%s", res.StatusCode, res.Body)
	}
	rs := retReturns(t, env, o)
	if len(rs) != 1 || rs[0].ExchangeOrder == nil {
		t.Fatalf("returns: %+v", rs)
	}
	x := *rs[0].ExchangeOrder
	if page := support.Get("/orders/" + o.Number); !strings.Contains(page.Body, `data-testid="exchange-order"><code>`+x+`</code>`) {
		t.Fatalf("original order does not link the exchange %s\n%s", x, page.Body)
	}
	page := support.Get("/orders/" + x)
	if !strings.Contains(page.Body, `data-testid="exchange-of"`) || !strings.Contains(page.Body, `href="/returns/`+rs[0].Number+`"`) ||
		!strings.Contains(page.Body, `href="/orders/`+o.Number+`"`) {
		t.Fatalf("exchange order does not link back\n%s", page.Body)
	}
	if rp := support.Get("/returns/" + rs[0].Number); !strings.Contains(rp.Body, `href="/orders/`+x+`"`) {
		t.Fatal("the return page does not link the exchange order")
	}
}
