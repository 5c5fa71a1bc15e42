package app

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// setKit replaces the components of the SKU code in one write.
func setKit(t *testing.T, a *App, code string, comps ...Component) error {
	t.Helper()
	return a.Write(context.Background(), func(tx Tx) error {
		sku, err := tx.Q.GetSKUByCode(context.Background(), code)
		if err != nil {
			return err
		}
		return SetKitComponentsInTx(context.Background(), tx, sku.ID, comps)
	})
}

// TestKitComponentsAndParts makes a kit inside a kit and reads its plain parts.
func TestKitComponentsAndParts(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t)
	for _, s := range []string{"MUG", "TRAY", "SPOON", "SET", "BOX"} {
		mustSKU(t, a, s)
	}
	if err := setKit(t, a, "SET", Component{"MUG", 2}, Component{"TRAY", 1}); err != nil {
		t.Fatal(err)
	}
	if err := setKit(t, a, "BOX", Component{"SET", 2}, Component{"MUG", 1}, Component{"SPOON", 3}); err != nil {
		t.Fatal(err)
	}
	box, err := a.Read().GetSKUByCode(ctx, "BOX")
	if err != nil {
		t.Fatal(err)
	}
	parts, err := KitParts(ctx, a.Read(), box.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, p := range parts {
		got[p.Code] = p.Quantity
	}
	want := map[string]int64{"MUG": 5, "TRAY": 2, "SPOON": 3}
	if len(got) != len(want) || got["MUG"] != 5 || got["TRAY"] != 2 || got["SPOON"] != 3 {
		t.Fatalf("parts of BOX = %v, want %v", got, want)
	}
	comps, err := KitComponents(ctx, a.Read(), box.ID)
	if err != nil || len(comps) != 3 || comps[0] != (Component{"SET", 2}) {
		t.Fatalf("components of BOX = %v, %v", comps, err)
	}
}

// TestKitRefusals: cycles, unknown and repeated SKUs, bad quantities and a SKU
// holding stock are refused naming the field, and nothing is written.
func TestKitRefusals(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t)
	mustLocation(t, a, "L1")
	for _, s := range []string{"MUG", "TRAY", "SET", "BOX", "HELD"} {
		mustSKU(t, a, s)
	}
	if err := setKit(t, a, "SET", Component{"MUG", 1}); err != nil {
		t.Fatal(err)
	}
	if err := setKit(t, a, "BOX", Component{"SET", 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CountStock(ctx, System, "L1", "HELD", CountInput{OnHand: ptr(int64(4))}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		kit   string
		comps []Component
		field string
		words string
	}{
		{"SET", []Component{{"SET", 1}}, "components[0].sku", "cannot contain itself"},
		{"SET", []Component{{"BOX", 1}}, "components[0].sku", "cannot contain itself"},
		{"SET", []Component{{"NOPE", 1}}, "components[0].sku", `no SKU "NOPE"`},
		{"SET", []Component{{"MUG", 1}, {"mug", 2}}, "components[1].sku", "given twice"},
		{"SET", []Component{{"MUG", 0}}, "components[0].quantity", "1 to 1000"},
		{"SET", []Component{{"", 1}}, "components[0].sku", "give the component"},
		{"HELD", []Component{{"MUG", 1}}, "components", "count it to 0"},
	}
	for _, c := range cases {
		err := setKit(t, a, c.kit, c.comps...)
		var ae *Error
		if !errors.As(err, &ae) || ae.Kind != KindInvalid || !strings.Contains(ae.Fields[c.field], c.words) {
			t.Errorf("%s %v: err %v, want %s: %q", c.kit, c.comps, err, c.field, c.words)
		}
	}
	set, _ := a.Read().GetSKUByCode(ctx, "SET")
	comps, err := KitComponents(ctx, a.Read(), set.ID)
	if err != nil || len(comps) != 1 || comps[0] != (Component{"MUG", 1}) {
		t.Fatalf("SET changed by refused edits: %v %v", comps, err)
	}
	held, _ := a.Read().GetSKUByCode(ctx, "HELD")
	if held.IsKit != 0 {
		t.Fatal("HELD became a kit")
	}
}

// TestKitHoldsNoStock: the database refuses a stock level for a kit.
func TestKitHoldsNoStock(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t)
	mustLocation(t, a, "L1")
	mustSKU(t, a, "MUG")
	mustSKU(t, a, "SET")
	if err := setKit(t, a, "SET", Component{"MUG", 2}); err != nil {
		t.Fatal(err)
	}
	_, err := a.CountStock(ctx, System, "L1", "SET", CountInput{OnHand: ptr(int64(3))})
	if err == nil {
		t.Fatal("counting stock of a kit was accepted")
	}
	if err := setKit(t, a, "SET"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.CountStock(ctx, System, "L1", "SET", CountInput{OnHand: ptr(int64(3))}); err != nil {
		t.Fatalf("a plain SKU again cannot be counted: %v", err)
	}
}
