package demo

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"switchyard/app/money"

	"switchyard/app"

	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"switchyard/app/tracking"
	store "switchyard/sql"
)

// demoOrderCount is how many orders the demo places over the last 30 days.
const demoOrderCount = 3000

// demoCity is a destination of demo orders.
type demoCity struct {
	city, postal, country, channel string
	lat, lon                       float64
}

// demoCities are real cities with real coordinates, and the channel that sells there.
var demoCities = []demoCity{
	{"Lyon", "69003", "FR", "web-eu", 45.7600, 4.8500}, {"Paris", "75011", "FR", "web-eu", 48.8580, 2.3790},
	{"Marseille", "13001", "FR", "web-eu", 43.2965, 5.3698}, {"Bordeaux", "33000", "FR", "web-eu", 44.8378, -0.5792},
	{"Lille", "59000", "FR", "web-eu", 50.6292, 3.0573}, {"Berlin", "10115", "DE", "web-eu", 52.5320, 13.3849},
	{"Munich", "80331", "DE", "web-eu", 48.1351, 11.5820}, {"Hamburg", "20095", "DE", "web-eu", 53.5511, 9.9937},
	{"Cologne", "50667", "DE", "web-eu", 50.9375, 6.9603}, {"Amsterdam", "1012", "NL", "web-eu", 52.3728, 4.8936},
	{"Utrecht", "3511", "NL", "web-eu", 52.0907, 5.1214}, {"Madrid", "28013", "ES", "web-eu", 40.4168, -3.7038},
	{"Barcelona", "08002", "ES", "web-eu", 41.3851, 2.1734}, {"Brussels", "1000", "BE", "web-eu", 50.8503, 4.3517},
	{"Milan", "20121", "IT", "marketplace", 45.4642, 9.1900}, {"Vienna", "1010", "AT", "marketplace", 48.2082, 16.3738},
	{"Lisbon", "1100-148", "PT", "marketplace", 38.7223, -9.1393}, {"New York", "10001", "US", "web-us", 40.7506, -73.9972},
	{"Boston", "02108", "US", "web-us", 42.3601, -71.0589}, {"Chicago", "60601", "US", "web-us", 41.8858, -87.6181},
	{"Austin", "78701", "US", "web-us", 30.2672, -97.7431}, {"Seattle", "98101", "US", "web-us", 47.6101, -122.3344},
}

// demoNames are first and last names for demo customers.
var demoNames = [2][]string{
	{"Ana", "Ben", "Chloé", "David", "Emma", "Felix", "Giulia", "Hugo", "Ines", "Jonas", "Lea", "Marco", "Nina", "Oscar", "Paula", "Sofia"},
	{"Lima", "Martin", "Dubois", "Schmidt", "Jansen", "García", "Rossi", "Bernard", "Müller", "de Vries", "López", "Moreau", "Weber", "Smith"},
}

// seedOrders places the demo orders over the 30 days before now, in one
// transaction, moves them along as the locations would have (on time), and
// stages a handful of each kind of exception; it returns the orders to hold
// and to reject once committed.
func seedOrders(ctx context.Context, tx app.Tx, skus []demoSKU, now time.Time) (staged, error) {
	rng := rand.New(rand.NewPCG(2026, 26))
	regular := slices.DeleteFunc(slices.Clone(skus), func(s demoSKU) bool { _, special := specialStock[s.code]; return special })
	var st staged
	var overdue []pastDue // orders whose promise passed lately: the latest stay late
	for i := range demoOrderCount {
		in := demoOrder(rng, regular, i, now)
		v, err := app.CheckNewOrder(&in, now)
		if err != nil {
			return st, fmt.Errorf("demo order %d: %w", i, err)
		}
		channel := in.Channel
		actor := app.Actor{Kind: app.ActorChannel, Name: channel, Channel: channel}
		at := tx.At(*in.PlacedAt) // each order taken in, and routed, when it was placed
		p, err := app.PlaceOrderInTx(ctx, at, actor, in, v, nil)
		if err != nil {
			return st, fmt.Errorf("demo order %d: %w", i, err)
		}
		promise := time.Time{}
		if p.Row.PromisedShipBy.Valid {
			promise = app.FromMillis(p.Row.PromisedShipBy.Int64)
		}
		past := !promise.IsZero() && promise.Before(now.Add(-time.Hour))
		if past && now.Sub(promise) < demoMaxLate {
			overdue = append(overdue, pastDue{p.ID, *in.PlacedAt, promise})
			continue
		}
		shipped, err := demoProgress(ctx, tx, p.ID, *in.PlacedAt, promise, rng)
		if err != nil {
			return st, fmt.Errorf("demo order %d: %w", i, err)
		}
		if !shipped && !past && len(st.hold) < demoHeld && now.Sub(*in.PlacedAt) < 24*time.Hour {
			st.hold = append(st.hold, p.Row.Number)
		}
	}
	// The orders that were due last are the late ones; the others left in time.
	slices.SortFunc(overdue, func(a, b pastDue) int { return b.promise.Compare(a.promise) })
	for _, o := range overdue[min(demoLate, len(overdue)):] {
		if _, err := demoProgress(ctx, tx, o.id, o.placed, o.promise, rng); err != nil {
			return st, fmt.Errorf("demo order %d: %w", o.id, err)
		}
	}
	if err := seedReturns(ctx, tx, rng); err != nil {
		return st, err
	}
	special, err := specialOrders(ctx, tx, demoOrderCount, now)
	special.hold = st.hold
	return special, err
}

// pastDue is a demo order whose promised ship-by has passed.
type pastDue struct {
	id              int64
	placed, promise time.Time
}

// demoProgress moves a demo order along as its locations would have: it
// leaves a day or so after it was placed and always before its promised
// ship-by, unless that is still to come (then it is in today's queue); a
// parcel arrives two to four days after it left. It reports whether the
// order left.
func demoProgress(ctx context.Context, tx app.Tx, orderID int64, placed, promise time.Time, rng *rand.Rand) (bool, error) {
	ship := placed.Add(time.Duration(18+rng.IntN(12)) * time.Hour)
	if !promise.IsZero() && ship.After(promise) {
		ship = promise.Add(-time.Duration(30+rng.IntN(90)) * time.Minute)
		if earliest := placed.Add(10 * time.Minute); ship.Before(earliest) {
			ship = earliest
		}
	}
	if ship.After(tx.Now) {
		return false, nil
	}
	open, err := tx.Q.OpenFulfillmentsOf(ctx, store.OpenFulfillmentsOfParams{OrderID: orderID, WithAccepted: 1})
	if err != nil {
		return false, err
	}
	for _, f := range open {
		row, err := tx.Q.GetFulfillment(ctx, f.ID)
		if err != nil {
			return false, err
		}
		shipped := tx.At(ship)
		lead := app.Actor{Kind: app.ActorUser, Name: row.LocationName + " team"}
		in := app.ShipInput{Carrier: "ups", TrackingNumber: demoUPSNumber(rng)}
		err = app.ShipInTx(ctx, shipped, row, in, tracking.Validate(in.Carrier, in.TrackingNumber), lead)
		if app.ErrorKind(err) == app.KindConflict {
			continue // held orders wait for a person
		}
		if err != nil {
			return false, err
		}
		delivered := ship.Add(time.Duration(40+rng.IntN(50)) * time.Hour)
		if delivered.Before(tx.Now) {
			row, err = tx.Q.GetFulfillment(ctx, f.ID)
			if err != nil {
				return false, err
			}
			if err := app.DeliverInTx(ctx, tx.At(delivered), row, app.System); err != nil {
				return false, err
			}
		}
	}
	return len(open) > 0, nil
}

// demoUPSNumber makes a UPS tracking number whose check digit is right.
func demoUPSNumber(rng *rand.Rand) string {
	base := fmt.Sprintf("1Z%06X03%07d", rng.IntN(1<<24), rng.IntN(10_000_000))
	for d := range 10 {
		n := fmt.Sprintf("%s%d", base, d)
		if tracking.Validate("ups", n).Valid {
			return n
		}
	}
	return base + "0"
}

// demoOrder makes one plausible order: 1-4 lines, a real destination, a time in the last 30 days.
func demoOrder(rng *rand.Rand, skus []demoSKU, i int, now time.Time) app.NewOrder {
	c := demoCities[rng.IntN(len(demoCities))]
	first, last := demoNames[0][rng.IntN(len(demoNames[0]))], demoNames[1][rng.IntN(len(demoNames[1]))]
	currency := "EUR"
	if c.country == "US" {
		currency = "USD"
	}
	placed := now.Add(-time.Duration(rng.Int64N(int64(30 * 24 * time.Hour))))
	lat, lon := c.lat+rng.Float64()*0.04-0.02, c.lon+rng.Float64()*0.04-0.02
	in := app.NewOrder{
		Channel: c.channel, ExternalID: fmt.Sprintf("%d", 5_000_000+i), ChannelRef: fmt.Sprintf("#%d", 1001+i),
		PlacedAt: &placed, Currency: currency,
		Customer: app.CustomerInput{Email: fmt.Sprintf("%s.%s%d@example.com", lower(first), lower(last), i), Name: first + " " + last, Phone: "+33 6 00 00 00 00"},
		ShippingAddress: &app.AddressInput{Name: first + " " + last, Line1: fmt.Sprintf("%d %s", 1+rng.IntN(120), "Main Street"),
			City: c.city, PostalCode: c.postal, Country: c.country, Lat: &lat, Lon: &lon},
		Delivery: app.DeliveryInput{Method: "ship"}, ShippingPrice: "4.90",
	}
	for range 1 + rng.IntN(4) {
		s := skus[rng.IntN(len(skus))]
		in.Lines = append(in.Lines, app.LineInput{SKU: s.code, Name: s.in.Name, Quantity: int64(1 + rng.IntN(3)),
			UnitPrice: money.Decimal(fmt.Sprintf("%d.%02d", 9+rng.IntN(90), rng.IntN(100)))})
	}
	if rng.IntN(8) == 0 {
		in.Tags = []string{"vip"}
	}
	if rng.IntN(20) == 0 {
		in.Tags = append(in.Tags, "gift")
	}
	return in
}

// lower is a name as it can stand in an email address: accents dropped
// (Müller: muller), other letters spelled in a to z (Weiß: weiss) or left out.
func lower(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		default:
			b.WriteString(spelled[unicode.ToLower(r)])
		}
	}
	return b.String()
}

// spelled are letters without a decomposition, in a to z.
var spelled = map[rune]string{'ß': "ss", 'æ': "ae", 'ø': "o", 'œ': "oe", 'ł': "l", 'đ': "d", 'þ': "th"}
