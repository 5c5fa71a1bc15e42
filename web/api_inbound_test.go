package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"switchyard/app"
	"switchyard/web/webtest"
)

// inboundEnv is orderEnv (LYS-WH holds 100 TEE-BLK-M and serves web-eu) with
// a store PAR-ST and a SKU MUG-1 nobody holds; key has inbound:write.
func inboundEnv(t *testing.T) (*webtest.Env, string) {
	t.Helper()
	env := orderEnv(t)
	env.AddLocation("PAR-ST", "Paris store")
	env.AddSKU("MUG-1")
	return env, env.APIKey("", "inbound:write", "orders:write", "orders:read")
}

// inboundOut is the part of an inbound the tests read.
type inboundOut struct {
	Number    string `json:"number"`
	Kind      string `json:"kind"`
	Status    string `json:"status"`
	InTransit bool   `json:"in_transit"`
	Lines     []struct {
		SKU                                      string
		Quantity, Received, Damaged, Over, Short int64
		Remaining                                int64
	} `json:"lines"`
	Receipts []struct {
		SKU                     string
		Received, Damaged, Over int64
		Actor                   string
	} `json:"receipts"`
}

// errorFields is the fields of an error answer.
func errorFields(t *testing.T, body string) map[string]string {
	t.Helper()
	var e struct {
		Error struct {
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("not an error answer: %s", body)
	}
	return e.Error.Fields
}

// mustInbound sends a request that must answer want, and decodes the inbound.
func mustInbound(t *testing.T, env *webtest.Env, method, path, key, body string, want int) inboundOut {
	t.Helper()
	st, b := env.API(method, path, key, body)
	if st != want {
		t.Fatalf("%s %s = %d %s; want %d", method, path, st, b, want)
	}
	var out inboundOut
	if err := json.Unmarshal([]byte(b), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// onHand is the stock of sku at loc: on hand and reserved.
func onHand(t *testing.T, env *webtest.Env, loc, sku string) (int64, int64) {
	t.Helper()
	page, err := env.App.ListStock(context.Background(), app.StockQuery{SKU: sku, Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range page.Levels {
		if l.Location == loc && l.SKU == sku {
			return l.OnHand, l.Reserved
		}
	}
	return 0, 0
}

// TestAPIInboundPurchase: a purchase is created sent, received in part with
// damaged units (not put on hand), then beyond what was expected (over, not
// refused), listed with its filters, and closed.
func TestAPIInboundPurchase(t *testing.T) {
	env, key := inboundEnv(t)
	in := mustInbound(t, env, http.MethodPost, "/api/v1/inbound", key, `{"kind": "purchase", "supplier": "Acme",
		"to": "LYS-WH", "expected_at": "2026-12-20", "lines": [{"sku": "TEE-BLK-M", "quantity": 10}, {"sku": "MUG-1", "quantity": 4}]}`, http.StatusCreated)
	if in.Number != "IN-000001" || in.Status != "sent" || len(in.Lines) != 2 {
		t.Fatalf("created %+v", in)
	}
	path := "/api/v1/inbound/" + in.Number
	in = mustInbound(t, env, http.MethodPost, path+"/receive", key, `{"lines": [{"sku": "MUG-1", "quantity": 2, "damaged": 1}]}`, http.StatusOK)
	if in.Status != "partially_received" || in.Lines[1].Received != 2 || in.Lines[1].Damaged != 1 || in.Lines[1].Remaining != 1 {
		t.Errorf("after 2 good and 1 damaged: %+v", in)
	}
	if got, _ := onHand(t, env, "LYS-WH", "MUG-1"); got != 2 {
		t.Errorf("MUG-1 on hand %d at LYS-WH; want 2 (the damaged unit is not sellable)", got)
	}
	in = mustInbound(t, env, http.MethodPost, path+"/receive", key, `{"lines": [{"sku": "MUG-1", "quantity": 3}, {"sku": "TEE-BLK-M", "quantity": 10}]}`, http.StatusOK)
	if in.Status != "received" || in.Lines[1].Over != 2 || in.Receipts[len(in.Receipts)-1].Over != 0 {
		t.Errorf("after 2 more than expected: %+v", in)
	}
	if got, _ := onHand(t, env, "LYS-WH", "TEE-BLK-M"); got != 110 {
		t.Errorf("TEE-BLK-M on hand %d; want 110", got)
	}
	got := mustInbound(t, env, http.MethodGet, path, env.APIKey("", "inbound:read"), "", http.StatusOK)
	if got.Status != "received" || len(got.Receipts) != 3 {
		t.Errorf("GET %+v", got)
	}

	mustInbound(t, env, http.MethodPost, "/api/v1/inbound", key, `{"kind": "purchase", "supplier": "Slowco", "to": "PAR-ST",
		"expected_at": "2027-01-10", "draft": true, "lines": [{"sku": "MUG-1", "quantity": 1}]}`, http.StatusCreated)
	for query, want := range map[string]string{"": "IN-000002 IN-000001", "?status=draft": "IN-000002", "?location=LYS-WH": "IN-000001",
		"?kind=transfer": "", "?limit=1": "IN-000002"} {
		st, b := env.API(http.MethodGet, "/api/v1/inbound"+query, key, "")
		var list struct {
			Inbound []struct{ Number string }
			Next    string
			Total   int
		}
		if st != http.StatusOK || json.Unmarshal([]byte(b), &list) != nil {
			t.Fatalf("list %s = %d %s", query, st, b)
		}
		var numbers []string
		for _, it := range list.Inbound {
			numbers = append(numbers, it.Number)
		}
		if strings.Join(numbers, " ") != want {
			t.Errorf("list %s = %v; want %s", query, numbers, want)
		}
		if query == "?limit=1" && (list.Next == "" || list.Total != 2) {
			t.Errorf("first page of one: next %q total %d", list.Next, list.Total)
		}
	}
	for _, query := range []string{"?status=lost", "?kind=gift", "?after=x", "?limit=0", "?location=NOWHERE"} {
		if st, b := env.API(http.MethodGet, "/api/v1/inbound"+query, key, ""); st != http.StatusUnprocessableEntity {
			t.Errorf("list %s = %d %s; want 422", query, st, b)
		}
	}
	if in = mustInbound(t, env, http.MethodPost, path+"/close", key, "", http.StatusOK); in.Status != "closed" {
		t.Errorf("closed: %+v", in)
	}
	if st, b := env.API(http.MethodPost, path+"/receive", key, `{"lines": [{"sku": "MUG-1", "quantity": 1}]}`); st != http.StatusConflict {
		t.Errorf("receiving on a closed inbound = %d %s; want 409", st, b)
	}
	if st, b := env.API(http.MethodPost, path+"/cancel", key, `{"reason": "oops"}`); st != http.StatusConflict {
		t.Errorf("cancelling a closed inbound = %d %s; want 409", st, b)
	}
	if st, _ := env.API(http.MethodGet, "/api/v1/inbound/IN-999999", key, ""); st != http.StatusNotFound {
		t.Errorf("unknown inbound = %d; want 404", st)
	}
}

// TestAPIInboundBadInput: every bad field answers 422 naming it, and nothing
// is written; malformed JSON is 400.
func TestAPIInboundBadInput(t *testing.T) {
	env, key := inboundEnv(t)
	line := `"lines": [{"sku": "TEE-BLK-M", "quantity": 5}]`
	for _, c := range []struct{ body, field string }{
		{`{"kind": "gift", "to": "LYS-WH", "expected_at": "2026-12-20", ` + line + `}`, "kind"},
		{`{"kind": "purchase", "to": "LYS-WH", "expected_at": "2026-12-20", ` + line + `}`, "supplier"},
		{`{"kind": "purchase", "supplier": "Acme", "expected_at": "2026-12-20", ` + line + `}`, "to"},
		{`{"kind": "purchase", "supplier": "Acme", "to": "NOWHERE", "expected_at": "2026-12-20", ` + line + `}`, "to"},
		{`{"kind": "purchase", "supplier": "Acme", "to": "LYS-WH", "expected_at": "20/12/2026", ` + line + `}`, "expected_at"},
		{`{"kind": "purchase", "supplier": "Acme", "to": "LYS-WH", "expected_at": "2026-02-30", ` + line + `}`, "expected_at"},
		{`{"kind": "purchase", "supplier": "Acme", "to": "LYS-WH", "expected_at": "2026-12-20", "lines": []}`, "lines"},
		{`{"kind": "purchase", "supplier": "Acme", "to": "LYS-WH", "expected_at": "2026-12-20", "lines": [{"sku": "NOPE", "quantity": 1}]}`, "lines[0].sku"},
		{`{"kind": "purchase", "supplier": "Acme", "to": "LYS-WH", "expected_at": "2026-12-20", "lines": [{"sku": "TEE-BLK-M", "quantity": 0}]}`, "lines[0].quantity"},
		{`{"kind": "purchase", "supplier": "Acme", "to": "LYS-WH", "expected_at": "2026-12-20", "lines": [{"sku": "TEE-BLK-M", "quantity": -3}]}`, "lines[0].quantity"},
		{`{"kind": "purchase", "supplier": "Acme", "to": "LYS-WH", "expected_at": "2026-12-20", "lines": [{"sku": "TEE-BLK-M", "quantity": "ten"}]}`, "lines[0].quantity"},
		{`{"kind": "purchase", "supplier": "Acme", "to": "LYS-WH", "expected_at": "2026-12-20", "lines": [{"sku": "TEE-BLK-M", "quantity": 99999999999999999999}]}`, "lines[0].quantity"},
		{`{"kind": "purchase", "supplier": "Acme", "to": "LYS-WH", "expected_at": "2026-12-20", "lines": [{"sku": "TEE-BLK-M", "quantity": 1}, {"sku": "TEE-BLK-M", "quantity": 2}]}`, "lines[1].sku"},
		{`{"kind": "purchase", "supplier": "Acme", "to": "LYS-WH", "expected_at": "2026-12-20", "lines": [{"sku": "TEE-BLK-M", "quantity": 1, "expected_at": "soon"}]}`, "lines[0].expected_at"},
		{`{"kind": "purchase", "supplier": "Ac\u0007me", "to": "LYS-WH", "expected_at": "2026-12-20", ` + line + `}`, "supplier"},
		{`{"kind": "purchase", "supplier": "Acme", "from": "PAR-ST", "to": "LYS-WH", "expected_at": "2026-12-20", ` + line + `}`, "from"},
		{`{"kind": "transfer", "to": "PAR-ST", "expected_at": "2026-12-20", ` + line + `}`, "from"},
		{`{"kind": "transfer", "from": "PAR-ST", "to": "PAR-ST", "expected_at": "2026-12-20", ` + line + `}`, "from"},
		{`{"kind": "transfer", "from": "LYS-WH", "to": "PAR-ST", "expected_at": "2026-12-20", "lines": [{"sku": "TEE-BLK-M", "quantity": 101}]}`, "lines[0].quantity"},
		{`{"kind": "transfer", "from": "LYS-WH", "to": "PAR-ST", "expected_at": "2026-12-20", "draft": true, ` + line + `}`, "draft"},
		{`{"kind": "purchase", "supplier": "` + strings.Repeat("x", 201) + `", "to": "LYS-WH", "expected_at": "2026-12-20", ` + line + `}`, "supplier"},
	} {
		st, b := env.API(http.MethodPost, "/api/v1/inbound", key, c.body)
		if st != http.StatusUnprocessableEntity || errorFields(t, b)[c.field] == "" {
			t.Errorf("%s\n= %d %s; want 422 naming %s", c.body, st, b, c.field)
		}
	}
	for _, body := range []string{`{"kind": "purchase"`, `[1, 2]`, ``} {
		if st, b := env.API(http.MethodPost, "/api/v1/inbound", key, body); st != http.StatusBadRequest {
			t.Errorf("%q = %d %s; want 400", body, st, b)
		}
	}
	if st, b := env.API(http.MethodGet, "/api/v1/inbound", key, ""); !strings.Contains(b, `"total":0`) {
		t.Errorf("after the refusals the list is %d %s; want empty", st, b)
	}
	if got, reserved := onHand(t, env, "LYS-WH", "TEE-BLK-M"); got != 100 || reserved != 0 {
		t.Errorf("LYS-WH TEE-BLK-M %d on hand, %d reserved; want 100 and 0", got, reserved)
	}

	in := mustInbound(t, env, http.MethodPost, "/api/v1/inbound", key, `{"kind": "purchase", "supplier": "Acme", "to": "LYS-WH",
		"expected_at": "2026-12-20", `+line+`}`, http.StatusCreated)
	receive := "/api/v1/inbound/" + in.Number + "/receive"
	for _, c := range []struct{ body, field string }{
		{`{"lines": []}`, "lines"},
		{`{"lines": [{"sku": "MUG-1", "quantity": 1}]}`, "lines[0].sku"},
		{`{"lines": [{"sku": "TEE-BLK-M", "quantity": -1}]}`, "lines[0].quantity"},
		{`{"lines": [{"sku": "TEE-BLK-M", "quantity": 1, "damaged": -1}]}`, "lines[0].damaged"},
		{`{"lines": [{"sku": "TEE-BLK-M", "quantity": 0}]}`, "lines[0].quantity"},
		{`{"lines": [{"sku": "TEE-BLK-M", "quantity": 1}, {"sku": "TEE-BLK-M", "quantity": 1}]}`, "lines[1].sku"},
		{`{"lines": [{"sku": "TEE-BLK-M", "quantity": 1.5}]}`, "lines[0].quantity"},
		{`{"lines": [{"sku": "TEE-BLK-M", "quantity": 1}], "note": "bad\u0000note"}`, "note"},
	} {
		st, b := env.API(http.MethodPost, receive, key, c.body)
		if st != http.StatusUnprocessableEntity || errorFields(t, b)[c.field] == "" {
			t.Errorf("receive %s = %d %s; want 422 naming %s", c.body, st, b, c.field)
		}
	}
	if got, _ := onHand(t, env, "LYS-WH", "TEE-BLK-M"); got != 100 {
		t.Errorf("after refused receipts %d on hand; want 100", got)
	}
	if got := mustInbound(t, env, http.MethodGet, "/api/v1/inbound/"+in.Number, key, "", http.StatusOK); got.Status != "sent" || len(got.Receipts) != 0 {
		t.Errorf("after refused receipts %+v", got)
	}
}

// TestAPIInboundScopes: reading needs inbound:read or inbound:write; every
// change needs inbound:write.
func TestAPIInboundScopes(t *testing.T) {
	env, key := inboundEnv(t)
	in := mustInbound(t, env, http.MethodPost, "/api/v1/inbound", key, `{"kind": "purchase", "supplier": "Acme", "to": "LYS-WH",
		"expected_at": "2026-12-20", "lines": [{"sku": "MUG-1", "quantity": 5}]}`, http.StatusCreated)
	reader, other := env.APIKey("", "inbound:read"), env.APIKey("", "stock:write", "orders:write")
	if st, _ := env.API(http.MethodGet, "/api/v1/inbound/"+in.Number, reader, ""); st != http.StatusOK {
		t.Errorf("inbound:read GET = %d", st)
	}
	for _, k := range []string{reader, other} {
		if st, _ := env.API(http.MethodPost, "/api/v1/inbound/"+in.Number+"/receive", k, `{"lines": [{"sku": "MUG-1", "quantity": 1}]}`); st != http.StatusForbidden {
			t.Errorf("receive without inbound:write = %d; want 403", st)
		}
	}
	if st, _ := env.API(http.MethodGet, "/api/v1/inbound", other, ""); st != http.StatusForbidden {
		t.Errorf("list without an inbound scope = %d; want 403", st)
	}
	if st, _ := env.API(http.MethodGet, "/api/v1/inbound", "", ""); st != http.StatusUnauthorized {
		t.Errorf("list without a key = %d; want 401", st)
	}
}

// TestAPIInboundTransfer: a transfer reserves at the origin, cannot be
// received before it ships, ships (transfer_out) and is in transit until
// the destination receives it (transfer_in).
func TestAPIInboundTransfer(t *testing.T) {
	env, key := inboundEnv(t)
	in := mustInbound(t, env, http.MethodPost, "/api/v1/inbound", key, `{"kind": "transfer", "from": "LYS-WH", "to": "PAR-ST",
		"expected_at": "2026-12-20", "lines": [{"sku": "TEE-BLK-M", "quantity": 30}]}`, http.StatusCreated)
	if in.Status != "draft" || in.InTransit {
		t.Errorf("created %+v", in)
	}
	if have, reserved := onHand(t, env, "LYS-WH", "TEE-BLK-M"); have != 100 || reserved != 30 {
		t.Errorf("origin %d on hand %d reserved; want 100 and 30", have, reserved)
	}
	path := "/api/v1/inbound/" + in.Number
	if st, b := env.API(http.MethodPost, path+"/receive", key, `{"lines": [{"sku": "TEE-BLK-M", "quantity": 30}]}`); st != http.StatusConflict {
		t.Errorf("receiving before it ships = %d %s; want 409", st, b)
	}
	if st, b := env.API(http.MethodPost, path+"/send", key, ""); st != http.StatusConflict {
		t.Errorf("sending a transfer = %d %s; want 409 (it is shipped)", st, b)
	}
	in = mustInbound(t, env, http.MethodPost, path+"/ship", key, "", http.StatusOK)
	if in.Status != "sent" || !in.InTransit {
		t.Errorf("shipped %+v", in)
	}
	if have, reserved := onHand(t, env, "LYS-WH", "TEE-BLK-M"); have != 70 || reserved != 0 {
		t.Errorf("origin after shipping %d on hand %d reserved; want 70 and 0", have, reserved)
	}
	if st, b := env.API(http.MethodPost, path+"/cancel", key, ""); st != http.StatusConflict {
		t.Errorf("cancelling a shipped transfer = %d %s; want 409", st, b)
	}
	in = mustInbound(t, env, http.MethodPost, path+"/receive", key, `{"lines": [{"sku": "TEE-BLK-M", "quantity": 29, "damaged": 1}]}`, http.StatusOK)
	if in.Status != "received" || in.InTransit {
		t.Errorf("received %+v", in)
	}
	if have, _ := onHand(t, env, "PAR-ST", "TEE-BLK-M"); have != 29 {
		t.Errorf("destination %d on hand; want 29", have)
	}
	ledger := func(loc string) string {
		page, err := env.App.Ledger(context.Background(), loc, "TEE-BLK-M", 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%s %+d/%+d %s", page.Entries[0].Reason, page.Entries[0].DeltaOnHand, page.Entries[0].DeltaReserved, page.Entries[0].Reference)
	}
	if got := ledger("LYS-WH"); got != "transfer_out -30/-30 "+in.Number {
		t.Errorf("origin's last ledger row %q", got)
	}
	if got := ledger("PAR-ST"); got != "transfer_in +29/+0 "+in.Number {
		t.Errorf("destination's last ledger row %q", got)
	}

	// A transfer not shipped is cancelled and gives its reservation back.
	other := mustInbound(t, env, http.MethodPost, "/api/v1/inbound", key, `{"kind": "transfer", "from": "LYS-WH", "to": "PAR-ST",
		"expected_at": "2026-12-20", "lines": [{"sku": "TEE-BLK-M", "quantity": 5}]}`, http.StatusCreated)
	if got := mustInbound(t, env, http.MethodPost, "/api/v1/inbound/"+other.Number+"/cancel", key, `{"reason": "not needed"}`, http.StatusOK); got.Status != "cancelled" {
		t.Errorf("cancelled %+v", got)
	}
	if _, reserved := onHand(t, env, "LYS-WH", "TEE-BLK-M"); reserved != 0 {
		t.Errorf("origin still reserves %d", reserved)
	}
}

// TestAPIInboundConcurrentReceipts: two leads count the same line at once,
// having seen it empty: it is counted once, the other is told (409).
func TestAPIInboundConcurrentReceipts(t *testing.T) {
	env, key := inboundEnv(t)
	in := mustInbound(t, env, http.MethodPost, "/api/v1/inbound", key, `{"kind": "purchase", "supplier": "Acme", "to": "LYS-WH",
		"expected_at": "2026-12-20", "lines": [{"sku": "MUG-1", "quantity": 5}]}`, http.StatusCreated)
	const n = 6
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _ = env.API(http.MethodPost, "/api/v1/inbound/"+in.Number+"/receive", key, `{"lines": [{"sku": "MUG-1", "quantity": 5, "seen": 0}]}`)
		}()
	}
	wg.Wait()
	ok, conflict := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusOK:
			ok++
		case http.StatusConflict:
			conflict++
		}
	}
	if ok != 1 || conflict != n-1 {
		t.Errorf("answers %v; want one 200 and the rest 409", codes)
	}
	got := mustInbound(t, env, http.MethodGet, "/api/v1/inbound/"+in.Number, key, "", http.StatusOK)
	if got.Lines[0].Received != 5 || len(got.Receipts) != 1 {
		t.Errorf("line %+v receipts %d; want counted once", got.Lines[0], len(got.Receipts))
	}
	if have, _ := onHand(t, env, "LYS-WH", "MUG-1"); have != 5 {
		t.Errorf("MUG-1 on hand %d; want 5", have)
	}
}

// TestAPIInboundReceiptRoutesBackorder: an order of a SKU nobody holds is
// backordered; a purchase of it gives the order a promise date (timeline and
// order page), and its receipt routes the order by the restock path, as a
// count would.
func TestAPIInboundReceiptRoutesBackorder(t *testing.T) {
	env, key := inboundEnv(t)
	body := strings.ReplaceAll(orderBody, `"sku": "TEE-BLK-M"`, `"sku": "MUG-1"`)
	if st, b := postOrder(t, env, key, "", body); st != http.StatusCreated || !strings.Contains(b, `"backordered"`) {
		t.Fatalf("order = %d %s; want 201 backordered", st, b)
	}
	in := mustInbound(t, env, http.MethodPost, "/api/v1/inbound", key, `{"kind": "purchase", "supplier": "Acme", "to": "LYS-WH",
		"expected_at": "2026-12-20", "lines": [{"sku": "MUG-1", "quantity": 10}]}`, http.StatusCreated)
	o, err := env.App.OrderByNumber(context.Background(), "SY-000001")
	if err != nil {
		t.Fatal(err)
	}
	last := o.Events[len(o.Events)-1]
	if !strings.Contains(last.Message, "Purchase "+in.Number+" from Acme was sent: it brings 10 MUG-1 to Lyon warehouse around 20 Dec 2026") {
		t.Errorf("timeline ends with %q", last.Message)
	}
	desk, _ := env.SignedIn(app.RoleSupport)
	if page := desk.Get("/orders/SY-000001"); !strings.Contains(page.Body, "Expected around 20 Dec 2026") {
		t.Errorf("the order page does not show the promise date")
	}
	mustInbound(t, env, http.MethodPost, "/api/v1/inbound/"+in.Number+"/receive", key, `{"lines": [{"sku": "MUG-1", "quantity": 2}]}`, http.StatusOK)
	st, b := env.API(http.MethodGet, "/api/v1/orders/SY-000001", key, "")
	if st != http.StatusOK || !strings.Contains(b, `"status":"routed"`) {
		t.Errorf("order after the receipt = %d %s; want routed", st, b)
	}
	if have, reserved := onHand(t, env, "LYS-WH", "MUG-1"); have != 2 || reserved != 2 {
		t.Errorf("MUG-1 at LYS-WH %d on hand %d reserved; want 2 and 2", have, reserved)
	}
}

// TestAPIInboundIdempotency: the same Idempotency-Key and body make one
// inbound and answer it again; the key with another body is 422.
func TestAPIInboundIdempotency(t *testing.T) {
	env, key := inboundEnv(t)
	send := func(body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/api/v1/inbound", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", "po-42")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b strings.Builder
		if _, err := io.Copy(&b, res.Body); err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, b.String()
	}
	body := `{"kind": "purchase", "supplier": "Acme", "to": "LYS-WH", "expected_at": "2026-12-20", "lines": [{"sku": "MUG-1", "quantity": 5}]}`
	st1, b1 := send(body)
	st2, b2 := send(body)
	if st1 != http.StatusCreated || st2 != http.StatusCreated || !strings.Contains(b2, `"number":"IN-000001"`) {
		t.Errorf("first %d %s, again %d %s; want 201 twice with IN-000001", st1, b1, st2, b2)
	}
	if st, b := send(strings.Replace(body, "Acme", "Other", 1)); st != http.StatusUnprocessableEntity || errorFields(t, b)["Idempotency-Key"] == "" {
		t.Errorf("the key with another body = %d %s; want 422 naming Idempotency-Key", st, b)
	}
	if _, b := env.API(http.MethodGet, "/api/v1/inbound", key, ""); !strings.Contains(b, `"total":1`) {
		t.Errorf("list %s; want one inbound", b)
	}
}
