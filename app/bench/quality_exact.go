package bench

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"switchyard/app/routing"
)

// optimum is the best assignment the exhaustive enumerator found: the most
// units covered, then the lowest cost (minor units) among those.
type optimum struct {
	Units     int64
	Cost      int64
	Locations []string // the members, cheapest per unit first
}

// exactLoc is one usable location as the enumerator sees it.
type exactLoc struct {
	code    string
	fixed   int64   // zone-rate shipping plus handling per shipment
	perUnit int64   // handling per unit
	avail   []int64 // per order SKU, capped at the demand
}

// exactProblem is an instance reduced to what the enumerator computes with.
type exactProblem struct {
	demand   []int64
	locs     []exactLoc // usable locations, cheapest per unit first
	maxShips int
	penalty  int64
}

// exhaustiveOptimum enumerates every set of at most max_shipments usable
// locations (active, shipping, serving the channel, with a zone rate to the
// destination and some of the order's stock) and returns the best one, or
// false when more than limit sets would have to be tried. Within a set each
// SKU's units go to the members with the cheapest handling per unit first;
// a set in which a member ships nothing is not counted (the set without it
// is at least as good).
func exhaustiveOptimum(in *routing.Input, limit int64) (optimum, bool) {
	p := reduceProblem(in)
	if subsetCount(len(p.locs), p.maxShips) > limit {
		return optimum{}, false
	}
	best := optimum{}
	members := make([]int, 0, p.maxShips)
	var walk func(start int)
	walk = func(start int) {
		for i := start; i < len(p.locs); i++ {
			members = append(members, i)
			if units, cost, ok := p.evaluate(members); ok && better(units, cost, best) {
				best = optimum{Units: units, Cost: cost, Locations: p.codes(members)}
			}
			if len(members) < p.maxShips {
				walk(i + 1)
			}
			members = members[:len(members)-1]
		}
	}
	walk(0)
	return best, true
}

// better reports whether (units, cost) beats the best so far.
func better(units, cost int64, best optimum) bool {
	if best.Locations == nil || units != best.Units {
		return best.Locations == nil || units > best.Units
	}
	return cost < best.Cost
}

// evaluate assigns the order to the members (indices into p.locs, in
// ascending order, so cheapest per unit first) and prices it; ok is false
// when a member would ship nothing.
func (p *exactProblem) evaluate(members []int) (units, cost int64, ok bool) {
	var got [8]int64
	for s, need := range p.demand {
		for k, m := range members {
			q := min(need, p.locs[m].avail[s])
			need -= q
			got[k] += q
			if need == 0 {
				break
			}
		}
	}
	for k, m := range members {
		if got[k] == 0 {
			return 0, 0, false
		}
		units += got[k]
		cost += p.locs[m].fixed + p.locs[m].perUnit*got[k]
	}
	return units, cost + p.penalty*int64(len(members)-1), true
}

// codes names the members.
func (p *exactProblem) codes(members []int) []string {
	out := make([]string, len(members))
	for k, m := range members {
		out[k] = p.locs[m].code
	}
	return out
}

// reduceProblem pools the order by SKU and keeps the usable locations under
// the first enabled rule (max_shipments at most 8).
func reduceProblem(in *routing.Input) exactProblem {
	rule := firstRule(in.Rules)
	p := exactProblem{maxShips: 1, penalty: decimalMinor(rule.Split.Penalty, in.Order.ValueExponent)}
	if rule.Split.Allow {
		p.maxShips = min(max(rule.Split.MaxShipments, 1), 8)
	}
	var skus []string
	for _, l := range in.Order.Lines {
		if l.Quantity <= 0 {
			continue
		}
		s := slices.Index(skus, l.SKU)
		if s < 0 {
			s = len(skus)
			skus = append(skus, l.SKU)
			p.demand = append(p.demand, 0)
		}
		p.demand[s] += l.Quantity
	}
	rates := rateTo(in.Rates, in.Order.Country)
	for i := range in.Candidates {
		if l, ok := usable(&in.Candidates[i], in.Order.Channel, rates, skus, p.demand, rule.Filters.RespectSafetyStock); ok {
			p.locs = append(p.locs, l)
		}
	}
	slices.SortStableFunc(p.locs, func(a, b exactLoc) int { return int(a.perUnit - b.perUnit) })
	return p
}

// usable reduces candidate c, or says it cannot ship any of the order.
func usable(c *routing.Candidate, channel string, rates map[string]int64, skus []string, demand []int64, safety bool) (exactLoc, bool) {
	rate, rated := rates[c.Code]
	if !c.Active || !c.Ships || !slices.Contains(c.Channels, channel) || !rated {
		return exactLoc{}, false
	}
	l := exactLoc{code: c.Code, fixed: rate + c.HandlingPerShipment, perUnit: c.HandlingPerUnit, avail: make([]int64, len(skus))}
	some := false
	for s, sku := range skus {
		l.avail[s] = min(c.Stock[sku].Available(safety), demand[s])
		some = some || l.avail[s] > 0
	}
	return l, some
}

// rateTo is the cheapest country-wide zone rate of each origin to country
// (the generated networks have no regional rates).
func rateTo(rates []routing.ZoneRate, country string) map[string]int64 {
	out := make(map[string]int64)
	for _, r := range rates {
		if !strings.EqualFold(r.Country, country) || r.Region != "" {
			continue
		}
		if cur, ok := out[r.Origin]; !ok || r.Cost < cur {
			out[r.Origin] = r.Cost
		}
	}
	return out
}

// firstRule is the first enabled rule of rs, or the default rule.
func firstRule(rs routing.RuleSet) routing.Rule {
	for _, r := range rs.Rules {
		if r.Enabled {
			return r
		}
	}
	return routing.DefaultRule()
}

// decimalMinor converts an amount in major units to minor units (0 when
// unset or malformed).
func decimalMinor(d *routing.Decimal, exp int) int64 {
	if d == nil {
		return 0
	}
	v, err := strconv.ParseFloat(string(*d), 64)
	if err != nil || v < 0 {
		return 0
	}
	return int64(math.Round(v * math.Pow10(exp)))
}

// subsetCount is how many non-empty sets of at most k of n there are.
func subsetCount(n, k int) int64 {
	var total, c int64 = 0, 1
	for j := 1; j <= k && j <= n; j++ {
		c = c * int64(n-j+1) / int64(j)
		total += c
		if total > 1<<50 {
			return total
		}
	}
	return total
}
