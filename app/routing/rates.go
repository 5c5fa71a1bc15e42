package routing

import "strings"

// rateSlot is the best zone rate found so far for one candidate.
type rateSlot struct {
	rate ZoneRate
	spec int // 0: none found
}

// matchRates picks, for each candidate (by position, found through byCode),
// the most specific rate for the destination: a region match beats a
// country-wide rate; among equals the lower cost, then the shorter transit,
// then the earlier entry wins.
func matchRates(rates []ZoneRate, country, region string, byCode map[string]int, n int) []rateSlot {
	if len(rates) == 0 {
		return nil
	}
	best := make([]rateSlot, n)
	for _, r := range rates {
		spec := specificity(r, country, region)
		if spec == 0 {
			continue
		}
		i, ok := byCode[r.Origin]
		if ok && betterRate(r, spec, best[i]) {
			best[i] = rateSlot{rate: r, spec: spec}
		}
	}
	return best
}

// specificity is 2 for a region match, 1 for a country-wide rate, 0 for no match.
func specificity(r ZoneRate, country, region string) int {
	if !strings.EqualFold(r.Country, country) {
		return 0
	}
	if r.Region == "" {
		return 1
	}
	if region != "" && strings.EqualFold(r.Region, region) {
		return 2
	}
	return 0
}

// betterRate reports whether rate r (specificity spec) beats the slot's rate.
func betterRate(r ZoneRate, spec int, cur rateSlot) bool {
	switch {
	case spec != cur.spec:
		return spec > cur.spec
	case r.Cost != cur.rate.Cost:
		return r.Cost < cur.rate.Cost
	}
	return r.TransitDays < cur.rate.TransitDays
}
