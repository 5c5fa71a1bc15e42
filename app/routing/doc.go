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
//     of a SKU at a location than it has available.
//  5. What cannot be assigned follows the rule's missing-stock policy:
//     backordered, held for review (nothing assigned), or left unrouted.
//  6. The decision explains itself in one sentence and lists every
//     candidate with its figures and reasons.
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
