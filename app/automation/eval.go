package automation

import (
	"math/big"
	"slices"
	"strings"
)

// Match is one rule whose trigger fired and whose conditions all held, with
// the actions it takes.
type Match struct {
	Index   int // the rule's place in the set
	Name    string
	Actions []Action
}

// Evaluate answers, in rule order, the enabled rules on trigger whose
// conditions all hold for facts.
func (p *Program) Evaluate(trigger string, facts Facts) []Match {
	var out []Match
	for i, r := range p.Set.Rules {
		if !r.Enabled || r.Trigger != trigger {
			continue
		}
		if allHold(p.conds[i], facts) {
			out = append(out, Match{Index: i, Name: r.Name, Actions: r.Actions})
		}
	}
	return out
}

// Has says whether an enabled rule runs on trigger (nothing to gather otherwise).
func (p *Program) Has(trigger string) bool {
	for _, r := range p.Set.Rules {
		if r.Enabled && r.Trigger == trigger {
			return true
		}
	}
	return false
}

// Needs says which costly facts the enabled rules on trigger read.
func (p *Program) Needs(trigger string) Needs {
	var n Needs
	for i, r := range p.Set.Rules {
		if !r.Enabled || r.Trigger != trigger {
			continue
		}
		for _, c := range p.conds[i] {
			switch c.field {
			case "customer_order_count", "first_order":
				n.CustomerCount = true
			case "orders_in_days":
				if !slices.Contains(n.Days, c.days) {
					n.Days = append(n.Days, c.days)
				}
			case "sku_tag":
				n.SKUTags = true
			case "promise_days":
				n.Promise = true
			}
		}
	}
	return n
}

// allHold says whether every condition holds.
func allHold(cs []cond, f Facts) bool {
	for _, c := range cs {
		if !c.holds(f) {
			return false
		}
	}
	return true
}

// holds compares the fact the condition names with its value.
func (c cond) holds(f Facts) bool {
	switch c.kind {
	case kString:
		return c.compareString(stringFact(c.field, f))
	case kList:
		return c.compareList(listFact(c.field, f))
	case kBool:
		v := boolFact(c.field, f)
		return (v == c.b) == (c.op == OpEq)
	default:
		n, ok := numberFact(c.field, c.days, f)
		return ok && c.compareNumber(n)
	}
}

// compareString compares without case.
func (c cond) compareString(v string) bool {
	v = strings.ToLower(v)
	switch c.op {
	case OpEq:
		return v == c.str
	case OpNe:
		return v != c.str
	case OpIn:
		return slices.Contains(c.strs, v)
	case OpContains:
		return strings.Contains(v, c.str)
	}
	return false
}

// compareList asks whether a set of words holds the value (or any of them).
func (c cond) compareList(vs []string) bool {
	has := func(s string) bool {
		return slices.ContainsFunc(vs, func(v string) bool { return strings.EqualFold(strings.TrimSpace(v), s) })
	}
	switch c.op {
	case OpContains, OpEq:
		return has(c.str)
	case OpNe:
		return !has(c.str)
	case OpIn:
		return slices.ContainsFunc(c.strs, has)
	}
	return false
}

// compareNumber compares exactly (rationals: no rounding of amounts).
func (c cond) compareNumber(n *big.Rat) bool {
	if c.op == OpIn {
		return slices.ContainsFunc(c.nums, func(v *big.Rat) bool { return n.Cmp(v) == 0 })
	}
	cmp := n.Cmp(c.num)
	switch c.op {
	case OpEq:
		return cmp == 0
	case OpNe:
		return cmp != 0
	case OpGt:
		return cmp > 0
	case OpGte:
		return cmp >= 0
	case OpLt:
		return cmp < 0
	case OpLte:
		return cmp <= 0
	}
	return false
}

// stringFact reads a text fact.
func stringFact(field string, f Facts) string {
	switch field {
	case "channel":
		return f.Channel
	case "country":
		return f.Country
	case "currency":
		return f.Currency
	case "email_domain":
		return f.EmailDomain
	case "delivery":
		return f.Delivery
	}
	return ""
}

// listFact reads a set fact.
func listFact(field string, f Facts) []string {
	switch field {
	case "tags":
		return f.Tags
	case "sku":
		return f.SKUs
	case "sku_tag":
		return f.SKUTags
	}
	return nil
}

// boolFact reads a yes-or-no fact.
func boolFact(field string, f Facts) bool {
	switch field {
	case "first_order":
		return f.CustomerOrderCount == 1
	case "address_check_failed":
		return f.AddressCheckFailed
	case "po_box":
		return f.POBox
	}
	return false
}

// numberFact reads a numeric fact; false when the order has none (no total,
// no promise), so that no comparison holds.
func numberFact(field string, days int, f Facts) (*big.Rat, bool) {
	switch field {
	case "total":
		return f.Total, f.Total != nil
	case "quantity":
		return new(big.Rat).SetInt64(f.Quantity), true
	case "customer_order_count":
		return new(big.Rat).SetInt64(f.CustomerOrderCount), true
	case "orders_in_days":
		return new(big.Rat).SetInt64(f.OrdersInDays[days]), true
	case "promise_days":
		if f.PromiseDays == nil {
			return nil, false
		}
		return new(big.Rat).SetInt64(*f.PromiseDays), true
	}
	return nil, false
}
