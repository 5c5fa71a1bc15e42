package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"switchyard/benchdata"
)

// webhookFixtures are the fixtures the bench sends, with the topic each is sent as.
var webhookFixtures = []struct{ file, kind, topic string }{
	{"shopify_orders_create_activepieces_devstore_2023.json", "shopify", "orders/create"},
	{"shopify_orders_cancelled_activepieces_devstore_2023.json", "shopify", "orders/cancelled"},
	{"shopify_orders_create_docs_sample_2026-04_gadget.json", "shopify", "orders/create"},
	{"woocommerce_order_created_v3_docs.json", "woocommerce", "order.created"},
}

// hookFixture is one fixture made into a template of its deliveries.
type hookFixture struct {
	file, kind, topic string
	lines             int
	parts             []string   // literal text around the slots: len(slots)+1
	slots             []hookSlot // what goes between parts
}

// hookSlot is a value a delivery fills in: quoted when the slot stood for a
// whole JSON string value ("@@ID@@"), bare inside a string (gid://…/@@ID@@).
type hookSlot struct {
	name   string
	quoted bool
}

// hookSlots finds the placeholders in a template.
var hookSlots = regexp.MustCompile(`"@@([A-Z]+[0-9]*)@@"|@@([A-Z]+[0-9]*)@@`)

// loadHookFixtures reads the embedded fixtures and makes each a template.
func loadHookFixtures() ([]hookFixture, error) {
	var out []hookFixture
	for _, f := range webhookFixtures {
		raw, err := benchdata.FS.ReadFile(path.Join("webhooks", f.file))
		if err != nil {
			return nil, fmt.Errorf("bench fixture: %w", err)
		}
		fx, err := hookTemplate(f.kind, raw)
		if err != nil {
			return nil, fmt.Errorf("bench fixture %s: %w", f.file, err)
		}
		fx.file, fx.kind, fx.topic = f.file, f.kind, f.topic
		out = append(out, fx)
	}
	return out, nil
}

// hookTemplate puts placeholders where a delivery's own values go: the order's
// id, number (or name) and each line's SKU. Every other value keeps its bytes
// (json.RawMessage), so that ids stay exact integers; the body is compacted
// and its keys sorted, as a channel's encoder may well do.
func hookTemplate(kind string, raw []byte) (hookFixture, error) {
	if bytes.Contains(raw, []byte("@@")) {
		return hookFixture{}, errors.New(`the fixture holds "@@", which the bench uses for its placeholders`)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return hookFixture{}, err
	}
	var lines []map[string]json.RawMessage
	if err := json.Unmarshal(top["line_items"], &lines); err != nil || len(lines) == 0 {
		return hookFixture{}, fmt.Errorf("line_items: %v (%d lines)", err, len(lines))
	}
	for i := range lines {
		lines[i]["sku"] = json.RawMessage(fmt.Sprintf(`"@@SKU%d@@"`, i))
	}
	set := func(key, value string) {
		if _, ok := top[key]; ok {
			top[key] = json.RawMessage(value)
		}
	}
	top["id"] = json.RawMessage(`"@@ID@@"`)
	switch kind {
	case "shopify":
		set("admin_graphql_api_id", `"gid://shopify/Order/@@ID@@"`)
		set("name", `"#@@ORDERNO@@"`)
		set("order_number", `"@@ORDERNO@@"`)
		set("number", `"@@NUMBER@@"`)
	case "woocommerce":
		set("number", `"@@WOONUMBER@@"`)
		set("order_key", `"wc_order_@@KEY@@"`)
	}
	var err error
	if top["line_items"], err = compactJSON(lines); err != nil {
		return hookFixture{}, err
	}
	body, err := compactJSON(top)
	if err != nil {
		return hookFixture{}, err
	}
	fx := hookFixture{lines: len(lines)}
	text, at := string(body), 0
	for _, m := range hookSlots.FindAllStringSubmatchIndex(text, -1) {
		s := hookSlot{quoted: m[2] >= 0}
		if s.quoted {
			s.name = text[m[2]:m[3]]
		} else {
			s.name = text[m[4]:m[5]]
		}
		fx.parts = append(fx.parts, text[at:m[0]])
		fx.slots = append(fx.slots, s)
		at = m[1]
	}
	fx.parts = append(fx.parts, text[at:])
	return fx, nil
}

// compactJSON encodes v without HTML escaping (Shopify and WooCommerce send
// "&" and "<" as they are).
func compactJSON(v any) (json.RawMessage, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// hookValues are one delivery's own values.
type hookValues struct {
	id, orderNo uint64
	key         string
	skus        []string
}

// render appends the delivery's body to b.
func (fx hookFixture) render(b []byte, v hookValues) []byte {
	for i, s := range fx.slots {
		b = append(b, fx.parts[i]...)
		str := s.quoted // a JSON string value where the slot stood for one
		var val string
		switch {
		case s.name == "ID":
			val, str = strconv.FormatUint(v.id, 10), false // a JSON integer, as the channel sends it
		case s.name == "ORDERNO":
			val, str = strconv.FormatUint(v.orderNo, 10), false
		case s.name == "NUMBER":
			val, str = strconv.FormatUint(v.orderNo-1000, 10), false
		case s.name == "WOONUMBER":
			val = strconv.FormatUint(v.id, 10) // a string in WooCommerce
		case s.name == "KEY":
			val = v.key
		case strings.HasPrefix(s.name, "SKU"):
			i, _ := strconv.Atoi(s.name[3:])
			val = v.skus[i]
		}
		if str {
			b = strconv.AppendQuote(b, val) // SKU codes and numbers are plain ASCII
		} else {
			b = append(b, val...)
		}
	}
	return append(b, fx.parts[len(fx.parts)-1]...)
}

// describeHookFixtures names the fixtures and topics the bench sends.
func describeHookFixtures(fixtures []hookFixture) string {
	var out []string
	for _, f := range fixtures {
		out = append(out, fmt.Sprintf("%s as %s", strings.TrimSuffix(f.file, ".json"), f.topic))
	}
	return strings.Join(out, ", ")
}
