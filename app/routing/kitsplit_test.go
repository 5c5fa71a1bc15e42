package routing

import (
	"strings"
	"testing"
)

// kitSplitInput is an order of qty gift sets (2 mugs, 1 tray) over Lyon
// (mugs only), Paris (trays only) and Berlin (one whole set), the kits'
// stock derived as the core derives it, and the parts given on the line.
func kitSplitInput(qty int64, r Rule) Input {
	set := []KitPart{{SKU: "MUG", Quantity: 2, Active: true}, {SKU: "TRAY", Quantity: 1, Active: true}}
	cands := []Candidate{
		loc("LYS", "Lyon", lyon, "FR", map[string]int64{"MUG": 10}),
		loc("PAR", "Paris", paris, "FR", map[string]int64{"TRAY": 10}),
		loc("BER", "Berlin", berlin, "DE", map[string]int64{"MUG": 2, "TRAY": 1}),
	}
	for i := range cands {
		AllotKitStock([]KitOrderLine{{SKU: "SET", Quantity: qty, Parts: set}}, cands[i].Stock)
	}
	o := order("SET", int(qty))
	o.Lines[0].Parts = set
	return Input{Order: o, Candidates: cands, Rules: ruleSet(r), Now: wednesday10}
}

// twoSites is kitSplitInput without Berlin: no location has a whole set.
func twoSites(qty int64, r Rule) Input {
	in := kitSplitInput(qty, r)
	in.Candidates = in.Candidates[:2]
	return in
}

// kitSplitRule ranks closest and splits kits when kits is true.
func kitSplitRule(kits bool, maxShipments int) Rule {
	r := rule("kits", RankerClosest)
	r.Split = Split{Allow: true, MaxShipments: maxShipments, KitComponents: kits}
	return r
}

// TestKitSplitNotAllowed: without kit_components a kit no location has
// whole is backordered, exactly as before, whatever the parts given.
func TestKitSplitNotAllowed(t *testing.T) {
	d := Decide(twoSites(2, kitSplitRule(false, 3)))
	if len(d.Shipments) != 0 || len(d.Backorders) != 1 || d.Backorders[0].Quantity != 2 {
		t.Fatalf("decision %s", dump(d))
	}
	in := twoSites(2, kitSplitRule(false, 3))
	in.Order.Lines[0].Parts = nil
	if a, b := mustJSON(t, Decide(in)), mustJSON(t, d); a != b {
		t.Fatalf("the parts change a decision that may not split kits:\n%s\n%s", a, b)
	}
}

// TestKitSplitAllowed: with kit_components the mugs ship from Lyon and the
// trays from Paris, each shipment naming its parts of the two kits.
func TestKitSplitAllowed(t *testing.T) {
	d := Decide(twoSites(2, kitSplitRule(true, 3)))
	if len(d.Backorders) != 0 || len(d.Shipments) != 2 {
		t.Fatalf("decision %s", dump(d))
	}
	got := map[string]string{}
	for _, s := range d.Shipments {
		if len(s.Lines) != 1 || s.Lines[0].Quantity != 2 || len(s.Lines[0].Parts) != 1 {
			t.Fatalf("shipment %+v", s)
		}
		got[s.Location] = s.Lines[0].Parts[0].SKU
	}
	if got["LYS"] != "MUG" || got["PAR"] != "TRAY" {
		t.Fatalf("parts by location %v", got)
	}
}

// TestKitSplitMaxShipments: a split needing more locations than the rule
// allows is not made; the kits are backordered.
func TestKitSplitMaxShipments(t *testing.T) {
	d := Decide(twoSites(2, kitSplitRule(true, 1)))
	if len(d.Shipments) != 0 || len(d.Backorders) != 1 {
		t.Fatalf("max_shipments 1 split anyway: %s", dump(d))
	}
}

// TestKitSplitOnlyWhatIsMissing: kits a location has whole ship whole; only
// the rest is split, never at a location already shipping the line.
func TestKitSplitOnlyWhatIsMissing(t *testing.T) {
	in := kitSplitInput(3, kitSplitRule(true, 3))
	d := Decide(in)
	var whole, split int64
	for _, s := range d.Shipments {
		for _, a := range s.Lines {
			if a.Parts == nil {
				whole += a.Quantity
			} else if a.Parts[0].SKU == "MUG" {
				split += a.Quantity
			}
		}
	}
	if whole != 1 || split != 2 || len(d.Backorders) != 0 || len(d.Shipments) != 3 {
		t.Fatalf("whole %d split %d: %s", whole, split, dump(d))
	}
	if !strings.Contains(d.Explanation, "Berlin") {
		t.Fatalf("explanation %q", d.Explanation)
	}
}

// TestKitSplitScarceParts: the most kits the parts allow are split and the
// rest backordered; a part never comes from two places.
func TestKitSplitScarceParts(t *testing.T) {
	r := kitSplitRule(true, 3)
	in := kitSplitInput(8, r)
	in.Candidates[1].Stock["TRAY"] = Stock{OnHand: 5}
	in.Candidates[2].Stock = map[string]Stock{}
	d := Decide(in)
	if len(d.Backorders) != 1 || d.Backorders[0].Quantity != 3 {
		t.Fatalf("decision %s", dump(d))
	}
	for _, s := range d.Shipments {
		if s.Lines[0].Quantity != 5 {
			t.Fatalf("shipment %+v", s)
		}
	}
}

// TestKitSplitValidate: kit_components needs splitting allowed.
func TestKitSplitValidate(t *testing.T) {
	r := kitSplitRule(true, 3)
	r.Split.Allow = false
	r.Split.MaxShipments = 0
	errs := ruleSet(r).Validate()
	if _, ok := errs["rules[0].split.kit_components"]; !ok {
		t.Fatalf("errors %v", errs)
	}
	if errs := ruleSet(kitSplitRule(true, 3)).Validate(); len(errs) != 0 {
		t.Fatalf("a valid rule: %v", errs)
	}
}
