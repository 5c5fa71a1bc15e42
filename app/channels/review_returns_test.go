package channels

import (
	"strings"
	"testing"

	"switchyard/app/returns"
)

// A customer's note on a Shopify return is taken in as text, clipped to what
// a return line holds: a long note in Japanese or one with a control
// character never loses the return.
func TestShopifyReturnNoteIsTakenInAsText(t *testing.T) {
	v := versions(t, "returns/request")[0]
	for name, note := range map[string]string{"long Japanese": strings.Repeat("サイズが小さすぎました。", 40), "control": "Too\x00 tight\x1b"} {
		t.Run(name, func(t *testing.T) {
			a, s := returnsApp(t, "shopify", "")
			shippedOrder(t, a, "4783296544821", "EUR", line{"11111", "TEE", 2, "10.00"})
			body := sample(t, v+"_returns_request.json", func(m map[string]any) {
				withLine("11111", "SIZE_TOO_SMALL")(m)
				m["return_line_items"].([]any)[0].(map[string]any)["customer_note"] = note
			})
			res := hook(t, s, "returns/request", v+"-1", body)
			r := returnOf(t, a, "gid://shopify/Return/123134564567890")
			if r == nil || r.Status != returns.StatusRequested || len(r.Lines) != 1 {
				t.Fatalf("request with a %s note: %+v -> %+v", name, res, r)
			}
			if n := r.Lines[0].Note; len(n) > 500 || strings.ContainsAny(n, "\x00\x1b") || n == "" {
				t.Fatalf("note %q", n)
			}
		})
	}
}
