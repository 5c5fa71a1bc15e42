package demo

import (
	"switchyard/app"

	"fmt"

	"switchyard/app/money"
)

// demoChannel is a channel of the demo network.
type demoChannel struct {
	code string
	in   app.ChannelInput
}

// demoChannels: a Shopify store, a WooCommerce store and a marketplace.
var demoChannels = []demoChannel{
	{"web-eu", app.ChannelInput{Name: "Web shop EU (Shopify)", Kind: "shopify"}},
	{"web-us", app.ChannelInput{Name: "Web shop US (WooCommerce)", Kind: "woocommerce"}},
	{"marketplace", app.ChannelInput{Name: "Marketplace", Kind: "marketplace", Buffer: 2}},
}

// demoLocation is a location of the demo network and the share of SKUs it carries.
type demoLocation struct {
	code    string
	carries float64
	in      app.LocationInput
}

// demoLocations are real cities with real coordinates: three warehouses and
// five stores across five European countries, a 3PL in the US and a dropshipper.
// Each states its handling costs: warehouses pick and pack cheaply, stores
// dearly (staff on the shop floor), the dropshipper charges per shipment.
func demoLocations() []demoLocation {
	eu := []string{"web-eu", "marketplace"}
	storeOnly := []string{"web-eu"}
	return []demoLocation{
		{"LYS-WH", 1, handled(loc("Lyon warehouse", "warehouse", "12 rue de l'Industrie", "Vénissieux", "69200", "FR", 45.7037, 4.8806, "Europe/Paris", "15:00", 1, 1, 600, false, eu, "eu"), "EUR", "1.20", "0.15")},
		{"RTM-WH", 0.93, handled(loc("Rotterdam warehouse", "warehouse", "Waalhaven Oostzijde 1", "Rotterdam", "3087 BM", "NL", 51.8930, 4.4370, "Europe/Amsterdam", "16:00", 1, 1, 800, false, eu, "eu"), "EUR", "1.10", "0.15")},
		{"LEJ-WH", 0.90, handled(loc("Leipzig warehouse", "warehouse", "Am Exer 10", "Leipzig", "04158", "DE", 51.4065, 12.3268, "Europe/Berlin", "14:00", 1, 1, 500, false, eu, "eu"), "EUR", "1.00", "0.12")},
		{"PAR-01", 0.55, handled(loc("Paris Marais store", "store", "24 rue des Francs-Bourgeois", "Paris", "75003", "FR", 48.8574, 2.3610, "Europe/Paris", "12:00", 1, 10, 40, true, storeOnly, "eu,walk-in"), "EUR", "3.50", "0.50")},
		{"BER-01", 0.50, handled(loc("Berlin Mitte store", "store", "Rosenthaler Str. 40", "Berlin", "10178", "DE", 52.5262, 13.4023, "Europe/Berlin", "12:00", 1, 10, 30, true, storeOnly, "eu,walk-in"), "EUR", "3.20", "0.45")},
		{"AMS-01", 0.45, handled(loc("Amsterdam Jordaan store", "store", "Westerstraat 52", "Amsterdam", "1015 MN", "NL", 52.3779, 4.8836, "Europe/Amsterdam", "12:00", 1, 10, 30, true, storeOnly, "eu,walk-in"), "EUR", "3.40", "0.50")},
		{"MAD-01", 0.45, handled(loc("Madrid Malasaña store", "store", "Calle de Fuencarral 60", "Madrid", "28004", "ES", 40.4237, -3.7020, "Europe/Madrid", "12:00", 1, 10, 30, true, storeOnly, "eu,walk-in"), "EUR", "2.90", "0.40")},
		{"LYS-01", 0.40, handled(loc("Lyon Presqu'île store", "store", "15 rue de la République", "Lyon", "69002", "FR", 45.7622, 4.8357, "Europe/Paris", "12:00", 1, 10, 25, true, storeOnly, "eu,walk-in"), "EUR", "3.00", "0.45")},
		{"NJ-3PL", 1, handled(loc("New Jersey 3PL", "3pl", "300 Raritan Center Pkwy", "Edison", "08837", "US", 40.5187, -74.4121, "America/New_York", "17:00", 1, 5, 1000, false, []string{"web-us", "marketplace"}, "us"), "USD", "2.75", "0.35")},
		{"PRT-DS", 0.15, handled(loc("Porto furniture dropshipper", "dropship", "Rua de Santa Catarina 100", "Porto", "4000-447", "PT", 41.1496, -8.6060, "Europe/Lisbon", "11:00", 3, 50, 0, false, eu, "eu,oversize"), "EUR", "6.00", "0")},
	}
}

// handled gives a demo location its handling costs, per shipment and per unit, in cur.
func handled(in app.LocationInput, cur, perShipment, perUnit string) app.LocationInput {
	in.HandlingCurrency, in.HandlingPerShipment, in.HandlingPerUnit = cur, money.Decimal(perShipment), money.Decimal(perUnit)
	return in
}

// loc builds a demo location input.
func loc(name, kind, line1, city, postal, country string, lat, lon float64, tz, cutoff string,
	handling, rank, capacity int64, pickup bool, channels []string, tags string) app.LocationInput {
	ships := true
	return app.LocationInput{
		Name: name, Kind: kind,
		Address: app.Address{Line1: line1, City: city, PostalCode: postal, Country: country},
		Lat:     &lat, Lon: &lon, Timezone: tz, Ships: &ships, Pickup: &pickup,
		DailyCapacity: capacity, Cutoff: cutoff, HandlingDays: handling, Rank: rank,
		Tags: app.SplitTags(tags), Channels: channels,
	}
}

// demoSKU is a SKU of the demo catalogue.
type demoSKU struct {
	code string
	in   app.SKUInput
}

// demoSKUs makes a catalogue of about 500 SKUs: apparel in colours and sizes,
// shoes, accessories, homeware and a few oversize pieces of furniture.
func demoSKUs() []demoSKU {
	var out []demoSKU
	add := func(code, name string, grams int64, tags ...string) {
		out = append(out, demoSKU{code, app.SKUInput{Name: name, WeightGrams: grams, Barcode: ean13(len(out)), Tags: tags}})
	}
	colours := [][2]string{{"BLK", "black"}, {"WHT", "white"}, {"NVY", "navy"}, {"GRN", "forest green"}, {"RED", "brick red"}, {"GRY", "heather grey"}, {"SND", "sand"}, {"BLU", "sky blue"}}
	sizes := []string{"XS", "S", "M", "L", "XL", "XXL"}
	apparel := []struct {
		code, name string
		grams      int64
	}{{"TEE", "Organic cotton T-shirt", 180}, {"HOOD", "Heavyweight hoodie", 620}, {"CREW", "Crewneck sweatshirt", 480}, {"POLO", "Piqué polo", 240}, {"LSTEE", "Long-sleeve T-shirt", 220}}
	for _, a := range apparel {
		for _, c := range colours {
			for _, s := range sizes {
				add(a.code+"-"+c[0]+"-"+s, fmt.Sprintf("%s, %s, %s", a.name, c[1], s), a.grams, "apparel")
			}
		}
	}
	for _, model := range []string{"RUN", "CRT", "TRL"} {
		for _, c := range colours[:5] {
			for size := 36; size <= 46; size++ {
				add(fmt.Sprintf("SNK-%s-%s-%d", model, c[0], size), fmt.Sprintf("%s sneaker, %s, EU %d", map[string]string{"RUN": "Runner", "CRT": "Court", "TRL": "Trail"}[model], c[1], size), 850, "footwear")
			}
		}
	}
	for i, name := range []string{"Canvas tote bag", "Wool beanie", "Baseball cap", "Enamel mug", "Ceramic mug", "Water bottle", "Notebook A5", "Poster 50x70", "Socks 3-pack", "Leather wallet", "Sunglasses", "Phone case", "Scarf", "Gloves", "Umbrella", "Keyring", "Backpack", "Laptop sleeve", "Candle", "Tea towel"} {
		for _, c := range colours[:4] {
			add(fmt.Sprintf("ACC-%02d-%s", i+1, c[0]), name+", "+c[1], int64(80+i*40), "accessories")
		}
	}
	for i, name := range []string{"Oak dining table", "Three-seat sofa", "Armchair", "Bookcase", "Bed frame 160", "Sideboard"} {
		add(fmt.Sprintf("FUR-%02d", i+1), name, int64(25000+i*9000), "furniture", "oversize")
	}
	return out
}

// ean13 makes a valid EAN-13 barcode from a sequence number (prefix 200: in-store use).
func ean13(n int) string {
	body := fmt.Sprintf("200%09d", n+1)
	sum := 0
	for i, r := range body {
		d := int(r - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return body + fmt.Sprint((10-sum%10)%10)
}
