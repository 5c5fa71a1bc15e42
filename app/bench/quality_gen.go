package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"switchyard/app/geo"
	"switchyard/app/routing"
)

// qualityCountries are the zones of a generated network: destination
// countries, and the countries its locations stand in.
var qualityCountries = []string{"DE", "FR", "NL", "BE", "AT", "PL", "IT", "ES", "CZ", "DK", "SE", "PT"}

// qualityChannel is the channel every generated order comes from.
const qualityChannel = "web-eu"

// qualityPenalty is the split penalty of the generated rules, in major units.
const qualityPenalty = "4.00"

// qualityInstance is one generated routing problem: a network, its stock
// and one order, with the rule set to route it under (greedy assign).
type qualityInstance struct {
	In    routing.Input
	Dense bool // stock drawn dense rather than sparse
}

// genSpec says how big the generated instances are.
type genSpec struct {
	MinLocs, MaxLocs   int
	MinLines, MaxLines int
	Catalogue          int // SKUs in the catalogue
}

// kindCosts is what a kind of location charges: handling per shipment and
// per unit, and a shipping surcharge, each in minor units (base, spread).
type kindCosts struct {
	kind                         string
	perShip, perShipSpread       int64
	perUnit, perUnitSpread       int64
	shipSurcharge, surchargeSpan int64
}

// qualityKinds are the location kinds of a generated network and their costs:
// warehouses are cheap per unit, stores dear to pick from, 3PLs between,
// drop-shippers charge little handling but ship dear.
var qualityKinds = []kindCosts{
	{routing.KindWarehouse, 150, 100, 30, 30, 0, 150},
	{routing.KindWarehouse, 150, 100, 30, 30, 0, 150},
	{routing.KindStore, 300, 200, 80, 70, 100, 200},
	{routing.Kind3PL, 200, 100, 40, 40, 50, 150},
	{routing.KindDropship, 80, 60, 0, 10, 300, 300},
}

// genNetwork builds n locations spread over the countries, with zone rates
// to every country that rise with the distance between the location's
// country and the destination, plus per-location noise and a kind surcharge.
func genNetwork(r *rand.Rand, n int) ([]routing.Candidate, []routing.ZoneRate) {
	cands := make([]routing.Candidate, 0, n)
	rates := make([]routing.ZoneRate, 0, n*len(qualityCountries))
	for i := range n {
		k := qualityKinds[r.IntN(len(qualityKinds))]
		country := qualityCountries[skewed(r, len(qualityCountries))]
		p, _ := geo.Centroid(country)
		p.Lat += r.Float64()*4 - 2
		p.Lon += r.Float64()*4 - 2
		c := routing.Candidate{
			Code: fmt.Sprintf("L%03d", i), Name: fmt.Sprintf("%s %s %d", country, k.kind, i), Kind: k.kind,
			Country: country, Point: p, Active: r.IntN(40) != 0, Ships: true,
			Channels: []string{qualityChannel}, Rank: int64(r.IntN(5)),
			HandlingPerShipment: k.perShip + r.Int64N(k.perShipSpread+1),
			HandlingPerUnit:     k.perUnit + r.Int64N(k.perUnitSpread+1),
		}
		cands = append(cands, c)
		base := 350 + k.shipSurcharge + r.Int64N(k.surchargeSpan+1)
		for _, dest := range qualityCountries {
			rates = append(rates, zoneRate(r, c, dest, base))
		}
	}
	return cands, rates
}

// zoneRate is location c's rate to country dest: base, plus 45 minor units
// per 100 km between the two countries' centroids, plus up to 15% noise.
func zoneRate(r *rand.Rand, c routing.Candidate, dest string, base int64) routing.ZoneRate {
	from, _ := geo.Centroid(c.Country)
	to, _ := geo.Centroid(dest)
	km := geo.DistanceKm(from, to)
	cost := float64(base) + 0.45*km
	cost *= 1 + 0.15*r.Float64()
	days := 1 + int(km/600)
	return routing.ZoneRate{Origin: c.Code, Country: dest, Cost: int64(math.Round(cost)), TransitDays: days}
}

// skewed draws an index below n, the first ones most often (about 1/(i+1)).
func skewed(r *rand.Rand, n int) int {
	return int(rand.NewZipf(r, 1.1, 1, uint64(n-1)).Uint64())
}

// genStock gives each location stock of the catalogue: sparse (a few SKUs
// each, few units) or dense (most SKUs, more units); popular SKUs are
// stocked more often, and with depth > 0 deeper (SKU s gets 1 + depth/(s+1)
// times the units).
func genStock(r *rand.Rand, cands []routing.Candidate, catalogue int, dense bool, depth float64) {
	for i := range cands {
		st := make(map[string]routing.Stock)
		for s := range catalogue {
			p := 0.08 + 0.4/float64(s+1)
			if dense {
				p = 0.55 + 0.4/float64(s+1)
			}
			if r.Float64() >= p {
				continue
			}
			q := int64(1 + r.IntN(4))
			if dense {
				q = int64(1 + r.IntN(15))
			}
			q += int64(float64(q) * depth / float64(s+1))
			st[skuName(s)] = routing.Stock{OnHand: q}
		}
		cands[i].Stock = st
	}
}

// skuName is the code of catalogue entry s.
func skuName(s int) string { return fmt.Sprintf("SKU-%04d", s) }

// genQualityOrder draws an order of minLines-maxLines lines, SKUs by skewed
// popularity, to a country drawn by skewed popularity.
func genQualityOrder(r *rand.Rand, number string, catalogue, minLines, maxLines int) routing.Order {
	country := qualityCountries[skewed(r, len(qualityCountries))]
	dest, _ := geo.Centroid(country)
	o := routing.Order{
		Number: number, Channel: qualityChannel, ChannelName: "Web EU", Country: country,
		Dest: dest, DestKnown: true, ValueExponent: 2, Currency: "EUR", Delivery: routing.DeliveryShip,
	}
	n := minLines + r.IntN(maxLines-minLines+1)
	zipf := rand.NewZipf(r, 1.05, 2, uint64(catalogue-1))
	for i := range n {
		q := int64(1)
		if r.IntN(4) == 0 {
			q = int64(2 + r.IntN(3))
		}
		o.Lines = append(o.Lines, routing.Line{ID: int64(i + 1), SKU: skuName(int(zipf.Uint64())), Quantity: q})
		o.Value += q * int64(1500+r.IntN(6000))
	}
	return o
}

// qualityRules is the one-rule set the instances are routed under: split
// allowed up to 3 shipments with a split penalty, fewest shipments then
// lowest cost, missing stock backordered, with the given assign strategy.
func qualityRules(assign string) routing.RuleSet {
	pen := routing.Decimal(qualityPenalty)
	return routing.RuleSet{Version: 1, Rules: []routing.Rule{{
		Name: "quality", Enabled: true,
		Rank:         []string{routing.RankerFewestShipments, routing.RankerLowestCost, routing.RankerRank},
		Split:        routing.Split{Allow: true, MaxShipments: 3, Penalty: &pen},
		MissingStock: routing.MissingBackorder, Assign: assign,
	}}}
}

// withAssign returns in routed under the rule set with the given strategy.
func withAssign(in routing.Input, assign string) routing.Input {
	in.Rules = qualityRules(assign)
	return in
}

// genInstances draws n instances from seed; instance i depends only on the
// seed and i, so a run with more instances starts with the same ones.
func genInstances(seed uint64, n int, spec genSpec) []qualityInstance {
	out := make([]qualityInstance, 0, n)
	for i := range n {
		out = append(out, genInstance(seed, i, spec))
	}
	return out
}

// genInstance draws instance i of seed: a network of a size between
// MinLocs and MaxLocs (small ones more often), sparse or dense stock, and
// one order.
func genInstance(seed uint64, i int, spec genSpec) qualityInstance {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	n := spec.MinLocs
	if spec.MaxLocs > spec.MinLocs {
		span := math.Log(float64(spec.MaxLocs) / float64(spec.MinLocs))
		n = int(math.Round(float64(spec.MinLocs) * math.Exp(r.Float64()*span)))
	}
	dense := i%2 == 1
	cands, rates := genNetwork(r, n)
	genStock(r, cands, spec.Catalogue, dense, 0)
	in := routing.Input{
		Order:      genQualityOrder(r, fmt.Sprintf("Q-%d", i), spec.Catalogue, spec.MinLines, spec.MaxLines),
		Candidates: cands, Rates: rates, Rules: qualityRules(routing.AssignGreedy),
		Now: qualityNow(),
	}
	return qualityInstance{In: in, Dense: dense}
}

// qualityNow is the instant every generated order is routed at.
func qualityNow() time.Time { return time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC) }
