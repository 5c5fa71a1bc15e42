package routing

// Shadowed maps each enabled rule that can never decide an order to the
// earlier enabled rule that takes every order it would: the rules are tried
// in order, so such a rule is dead weight, most likely a mistake in the order.
func (rs RuleSet) Shadowed() map[int]int {
	out := map[int]int{}
	for j := range rs.Rules {
		if !rs.Rules[j].Enabled {
			continue
		}
		for i := range j {
			if rs.Rules[i].Enabled && covers(&rs.Rules[i].When, &rs.Rules[j].When) {
				out[j] = i
				break
			}
		}
	}
	return out
}

// covers reports whether every order that meets b also meets a.
func covers(a, b *When) bool {
	return subset(b.Channels, a.Channels, containsExact) &&
		subset(b.Countries, a.Countries, containsFold) &&
		subset(b.OrderTags, a.OrderTags, containsFold) &&
		subset(b.SKUTags, a.SKUTags, containsFold) &&
		(a.Delivery == "" || a.Delivery == b.Delivery) &&
		bound(a.MinValue, b.MinValue, true) && bound(a.MaxValue, b.MaxValue, false)
}

// subset reports whether a condition listing b is at least as narrow as one
// listing a: a lists nothing (any value), or b lists some and all are in a.
func subset(b, a []string, has func([]string, string) bool) bool {
	if len(a) == 0 {
		return true
	}
	if len(b) == 0 {
		return false
	}
	for _, x := range b {
		if !has(a, x) {
			return false
		}
	}
	return true
}

// bound reports whether b's bound is within a's: a has none, or b has one at
// least as tight (a minimum no lower, a maximum no higher).
func bound(a, b *Decimal, isMin bool) bool {
	if a == nil {
		return true
	}
	if b == nil {
		return false
	}
	const exp = 6 // finer than any currency, so that the comparison is exact for them
	av, aok := a.minor(exp, isMin)
	bv, bok := b.minor(exp, isMin)
	if !aok || !bok {
		return false
	}
	if isMin {
		return bv >= av
	}
	return bv <= av
}
