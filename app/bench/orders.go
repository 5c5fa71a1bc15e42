package bench

import (
	"switchyard/app/money"

	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"switchyard/app"
)

// benchSKU is a SKU the bench orders: its code, name and (in-process) id.
type benchSKU struct {
	ID   int64
	Code string
	Name string
}

// benchCity is a real city a bench order ships to.
type benchCity struct {
	city, postal, country string
	lat, lon              float64
}

// benchCities are European cities with real coordinates (the demo network's
// web-eu channel sells in Europe).
var benchCities = []benchCity{
	{"Lyon", "69002", "FR", 45.7640, 4.8357},
	{"Paris", "75011", "FR", 48.8566, 2.3522},
	{"Marseille", "13001", "FR", 43.2965, 5.3698},
	{"Bordeaux", "33000", "FR", 44.8378, -0.5792},
	{"Lille", "59000", "FR", 50.6292, 3.0573},
	{"Berlin", "10115", "DE", 52.5200, 13.4050},
	{"Munich", "80331", "DE", 48.1351, 11.5820},
	{"Hamburg", "20095", "DE", 53.5511, 9.9937},
	{"Cologne", "50667", "DE", 50.9375, 6.9603},
	{"Amsterdam", "1012 JS", "NL", 52.3676, 4.9041},
	{"Utrecht", "3511 AA", "NL", 52.0907, 5.1214},
	{"Brussels", "1000", "BE", 50.8503, 4.3517},
	{"Madrid", "28013", "ES", 40.4168, -3.7038},
	{"Barcelona", "08002", "ES", 41.3874, 2.1686},
	{"Milan", "20121", "IT", 45.4642, 9.1900},
	{"Vienna", "1010", "AT", 48.2082, 16.3738},
	{"Porto", "4000-322", "PT", 41.1579, -8.6291},
	{"Copenhagen", "1050", "DK", 55.6761, 12.5683},
}

var (
	benchFirstNames = []string{"Ana", "Lucas", "Emma", "Noah", "Léa", "Jonas", "Sofia", "Mateo", "Mila", "Finn", "Julia", "Hugo"}
	benchLastNames  = []string{"Lima", "Martin", "Müller", "de Vries", "García", "Rossi", "Dubois", "Schmidt", "Jansen", "Novak", "Silva", "Peeters"}
	benchStreets    = []string{"rue de la République", "Hauptstraße", "Kerkstraat", "Calle Mayor", "Via Roma", "Grand-Rue", "Bahnhofstraße"}
	benchTags       = []string{"vip", "gift", "first-order", "b2b"}
)

// benchLine is one line of a bench order.
type benchLine struct {
	sku      benchSKU
	quantity int64
	cents    int64 // unit price in EUR cents
}

// benchOrder is one order of the bench: the HTTP load sends it as JSON, the
// storage ceiling writes its rows. Both derive it from (seed, n) alone, so
// they write the same orders.
type benchOrder struct {
	externalID    string
	customer      app.CustomerInput
	city          benchCity
	street        string
	lines         []benchLine
	shippingCents int64
	tags          []string // normalised: sorted, lower case, no duplicates
}

// genOrder makes order n of a run: 1 to 5 lines of random SKUs with random
// quantities and prices, shipping to a real city; one in five has a tag.
func genOrder(seed uint64, run string, n int64, skus []benchSKU) benchOrder {
	r := rand.New(rand.NewPCG(seed, uint64(n)))
	first, last := benchFirstNames[r.IntN(len(benchFirstNames))], benchLastNames[r.IntN(len(benchLastNames))]
	o := benchOrder{
		externalID: fmt.Sprintf("bench-%s-%d", run, n),
		customer: app.CustomerInput{
			Name:  first + " " + last,
			Email: fmt.Sprintf("%s.%d@example.com", strings.ToLower(strings.NewReplacer(" ", "", "é", "e", "ü", "u").Replace(first)), n),
			Phone: fmt.Sprintf("+33 6 %02d %02d %02d %02d", r.IntN(100), r.IntN(100), r.IntN(100), r.IntN(100)),
		},
		city:          benchCities[r.IntN(len(benchCities))],
		street:        fmt.Sprintf("%d %s", 1+r.IntN(120), benchStreets[r.IntN(len(benchStreets))]),
		lines:         make([]benchLine, 1+r.IntN(5)),
		shippingCents: []int64{0, 390, 490, 690}[r.IntN(4)],
	}
	for i := range o.lines {
		o.lines[i] = benchLine{
			sku:      skus[r.IntN(len(skus))],
			quantity: 1 + r.Int64N(3),
			cents:    490 + 10*r.Int64N(1500), // 4.90 to 154.80
		}
	}
	if r.IntN(5) == 0 {
		o.tags = []string{benchTags[r.IntN(len(benchTags))]}
	}
	return o
}

// cents formats EUR cents as the API's decimal string.
func cents(c int64) money.Decimal { return money.Decimal(fmt.Sprintf("%d.%02d", c/100, c%100)) }

// newOrder is the order as the API takes it (API.md).
func (o benchOrder) newOrder(channel string, placedAt time.Time) app.NewOrder {
	lat, lon := o.city.lat, o.city.lon
	in := app.NewOrder{
		Channel: channel, ExternalID: o.externalID, PlacedAt: &placedAt, Currency: "EUR",
		Customer: o.customer,
		ShippingAddress: &app.AddressInput{
			Name: o.customer.Name, Line1: o.street, City: o.city.city, PostalCode: o.city.postal,
			Country: o.city.country, Lat: &lat, Lon: &lon,
		},
		Delivery:      app.DeliveryInput{Method: "ship"},
		Lines:         make([]app.LineInput, len(o.lines)),
		ShippingPrice: cents(o.shippingCents),
		Tags:          o.tags,
	}
	for i, l := range o.lines {
		in.Lines[i] = app.LineInput{
			ExternalID: fmt.Sprint(i + 1), SKU: l.sku.Code, Name: l.sku.Name, Quantity: l.quantity, UnitPrice: cents(l.cents),
		}
	}
	return in
}

// totals are the order's subtotal and total in cents, and its item count.
func (o benchOrder) totals() (subtotal, total, items int64) {
	for _, l := range o.lines {
		subtotal += l.quantity * l.cents
		items += l.quantity
	}
	return subtotal, subtotal + o.shippingCents, items
}

// demoApparelSKUs are demo SKU codes (app/demo_data.go) for a --url target
// whose key may not list the catalogue.
func demoApparelSKUs() []benchSKU {
	var out []benchSKU
	for _, p := range []string{"TEE", "HOOD", "CREW", "POLO", "LSTEE"} {
		for _, c := range []string{"BLK", "WHT", "NVY", "GRN", "RED", "GRY", "SND", "BLU"} {
			for _, s := range []string{"XS", "S", "M", "L", "XL", "XXL"} {
				out = append(out, benchSKU{Code: p + "-" + c + "-" + s})
			}
		}
	}
	return out
}
