// Package routing is Switchyard's routing engine: a pure function from an
// order, its candidate locations (with stock, capacity, rates and clocks),
// the published rules and the current time to a routing decision.
//
// It touches no database, network or clock of its own, starts no goroutines
// and keeps no global mutable state. The same Input always gives the same
// Decision, byte for byte once encoded as JSON: every ordering ends with a
// tie-break on the location code, and no output is built by ranging a map.
//
// The flow of Decide:
//
//  1. The first enabled rule whose conditions all match the order decides;
//     with none, DefaultRule decides.
//  2. Every candidate gets its figures (distance, cost, transit, promise,
//     stock) and, when it cannot take part, the reasons in plain words:
//     base eligibility (active, ships, serves the channel), then the rule's
//     filters, then stock.
//  3. The eligible candidates are ranked by the rule's rankers, each
//     breaking the ties of the previous one, then by location code.
//  4. Lines are assigned to one location or split over several, never more
//     of a SKU at a location than it has available, by the rule's strategy
//     ("assign"; see below).
//  5. What cannot be assigned follows the rule's missing-stock policy:
//     backordered, held for review (nothing assigned), or left unrouted.
//  6. The decision explains itself in one sentence (and, under
//     optimal_cost, a second one with the cost) and lists every candidate
//     with its figures and reasons.
//
// # Cost model
//
// Every decision carries its Cost (CostOf), in minor units of the order's
// currency: for each shipment the location's zone-rate shipping cost to the
// destination plus its handling per shipment plus its handling per unit
// times the units it ships, plus the rule's split penalty (split.penalty, in
// major units) for each shipment beyond the first. A location without a
// zone rate has unknown shipping, counted as zero, and the cost says Known
// false.
//
// # Assignment strategies
//
//   - "greedy" (the default, also ""): one location with everything when
//     there is one and the rule ranks by fewest_shipments or does not split;
//     otherwise locations in ranked order (or, under fewest_shipments, the
//     one covering most of what is left), each taking all it can, up to
//     max_shipments. Fast and explainable by the ranking, blind to cost.
//   - "optimal_cost": the combination of eligible locations, and the units
//     each ships, that is best in this order: most units covered (the
//     missing-stock policy applies to the rest), then fewest shipments from
//     locations without a zone rate (unknown shipping is not taken to be
//     free), then lowest cost, then fewest shipments; among equal
//     combinations the search meets, the first in ranked order (positions
//     compared in turn) wins. Stock, capacity (through eligibility),
//     max_shipments and split.allow hold as under greedy; a rule that does
//     not split ships from one location with everything or from none, as
//     under greedy (a partial shipment and a backorder would split the
//     order). For a given combination each SKU's units go to the members
//     with the cheapest handling per unit first, which is optimal; a
//     combination where a member would ship nothing is skipped (the smaller
//     one is met on its own).
//
// The optimiser is a branch and bound over combinations, started from the
// greedy assignment's combination (so it never does worse than greedy),
// trying locations with a zone rate first and, among them, the cheapest per
// unit covered first (shipment cost and penalty spread over what they could
// cover, plus handling per unit), then by rank. A branch is cut when it
// cannot cover more units than the best found or, covering as many, when a
// lower bound on its cost is no better: the members' shipment costs and
// penalties, plus, for the units still to cover, the best cost per unit
// covered of the locations left. The bounds are turned off when a cost is
// negative (the search is then exhaustive within its budget).
//
// The search runs within a budget of steps (Input.OptimiseBudget,
// DefaultOptimiseBudget when 0; one step is one location and SKU examined,
// about 2 ms in all), counted rather than timed so that the same input
// always gives the same decision. Decision.Cost.Exact says the search
// finished (the result is proven optimal); StoppedEarly says it ran out of
// budget and the best combination found is used. The explanation then adds
// one sentence with the cost and how many combinations were checked, e.g.
// "Cost €52.04: shipping €30.47, handling €16.57 and split penalty €5.00;
// the cheapest of 25 combinations of locations checked (proven optimal)."
// Greedy explanations are unchanged: their cost is in Decision.Cost.
// ExhaustiveOptimum prices every combination, independently, to check the
// optimiser on small instances.
//
// Choices made where the specification is silent are documented on the
// type or function they concern; the main ones:
//
//   - Dates: ShipBy and DeliverBy are the end (23:59:59) of the local
//     calendar day at the shipping location, expressed in UTC.
//   - Ranking uses the figures exactly as reported (distance rounded to
//     0.1 km), so a decision can be explained from its own figures.
//   - A candidate whose Channels list is empty serves no channel.
//   - Countries and tags compare case-insensitively; codes, channels, kinds
//     and SKUs compare exactly.
//   - A held order keeps no partial assignment: Hold means nothing shipped,
//     backordered or left unrouted; the whole order waits for review.
//   - Backorders go to the best-ranked location that passed base
//     eligibility and the rule's filters (stock aside) and carries the SKU,
//     else to the best-ranked such location; with none the order is held.
//   - With no zone rate for a location, its cost is unknown (ranked after
//     every known cost) and transit is 3 working days (Figures.TransitDefault).
//   - Time zones: loading one costs about 10 µs; a caller routing many orders
//     should load them once (LoadZones) and pass them in Input.Zones.
//   - Pickup orders check only base eligibility (active, offers pickup,
//     serves the channel) and stock at the pickup location; the rule's
//     filters and capacity do not apply, and missing stock always holds.
package routing
