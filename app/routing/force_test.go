package routing

import (
	"strings"
	"testing"
)

// forceFixture is an order to Lyon, a Lyon and a Paris warehouse (Paris
// tagged express), and rule "Express from Paris" whose conditions the order
// does not meet (POS orders only) and which requires the express tag.
func forceFixture() (Order, []Candidate, RuleSet) {
	o := order("TEE", 1)
	lys := loc("LYS", "Lyon", lyon, "FR", map[string]int64{"TEE": 5})
	par := with(loc("PAR", "Paris", paris, "FR", map[string]int64{"TEE": 5}), func(c *Candidate) { c.Tags = []string{"express"} })
	express := rule("Express from Paris", RankerClosest)
	express.When.Channels = []string{"pos"}
	express.Filters.RequireTags = []string{"express"}
	closest := rule("Closest", RankerClosest)
	return o, []Candidate{lys, par}, RuleSet{Version: 3, Rules: []Rule{express, closest}}
}

func TestForceRuleUsesItWhateverItsConditions(t *testing.T) {
	o, cands, rs := forceFixture()
	plain := Decide(Input{Order: o, Candidates: cands, Rules: rs, Now: wednesday10})
	if plain.Rule != "Closest" || locations(plain)[0] != "LYS" {
		t.Fatalf("unforced: rule %q, %v", plain.Rule, locations(plain))
	}
	o.ForceRule = "Express from Paris"
	d := Decide(Input{Order: o, Candidates: cands, Rules: rs, Now: wednesday10})
	if d.Rule != "Express from Paris" || d.RuleIndex != 0 || len(d.Shipments) != 1 || d.Shipments[0].Location != "PAR" {
		t.Fatalf("forced: rule %q index %d, %v", d.Rule, d.RuleIndex, locations(d))
	}
	if !strings.Contains(d.Explanation, `Rule "Express from Paris" was asked for by name`) {
		t.Fatalf("explanation %q does not name the forced rule", d.Explanation)
	}
}

func TestForceDefaultRule(t *testing.T) {
	o, cands, rs := forceFixture()
	rs.Rules[1].When.Channels = nil
	rs.Rules[1].Filters.RequireTags = []string{"express"} // "Closest" would send it to Paris
	o.ForceRule = DefaultRuleName
	d := Decide(Input{Order: o, Candidates: cands, Rules: rs, Now: wednesday10})
	if d.Rule != DefaultRuleName || d.RuleIndex != -1 || d.Shipments[0].Location != "LYS" {
		t.Fatalf("forced default: rule %q index %d, %v", d.Rule, d.RuleIndex, locations(d))
	}
	if !strings.Contains(d.Explanation, "The default rule was asked for by name") {
		t.Fatalf("explanation %q", d.Explanation)
	}
}

func TestForceRuleNotForcedWhenUnknownOrDisabled(t *testing.T) {
	for _, c := range []struct{ name, force string }{{"unknown", "Gone"}, {"disabled", "Express from Paris"}} {
		t.Run(c.name, func(t *testing.T) {
			o, cands, rs := forceFixture()
			rs.Rules[0].Enabled = false
			o.ForceRule = c.force
			d := Decide(Input{Order: o, Candidates: cands, Rules: rs, Now: wednesday10})
			if d.Rule != "Closest" || d.Shipments[0].Location != "LYS" {
				t.Fatalf("rule %q, %v", d.Rule, locations(d))
			}
			if !strings.Contains(d.Explanation, "is not an enabled rule of version 3, so the rules' own conditions chose") {
				t.Fatalf("explanation %q", d.Explanation)
			}
		})
	}
	if _, _, ok := ForcedRule(RuleSet{}, ""); ok {
		t.Fatal("an empty name forces a rule")
	}
}
