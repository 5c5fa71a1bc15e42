package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // IANA time zones everywhere, whatever the machine has

	"switchyard/app/geo"
	"switchyard/app/money"
	store "switchyard/sql"
)

// LocationKinds are the kinds of stock location.
var LocationKinds = []string{"warehouse", "store", "3pl", "dropship", "partner"}

// Address is a postal address.
type Address struct {
	Line1      string `json:"line1" form:"line1" validate:"max=200"`
	Line2      string `json:"line2" form:"line2" validate:"max=200"`
	City       string `json:"city" form:"city" validate:"required,max=100"`
	Region     string `json:"region" form:"region" validate:"max=100"`
	PostalCode string `json:"postal_code" form:"postal_code" validate:"max=20"`
	Country    string `json:"country" form:"country" validate:"required,len=2"`
}

// Location is a place that holds stock.
type Location struct {
	ID            int64     `json:"-"`
	Code          string    `json:"code"`
	Name          string    `json:"name"`
	Kind          string    `json:"kind"`
	Address       Address   `json:"address"`
	Lat           float64   `json:"lat"`
	Lon           float64   `json:"lon"`
	ApproxCoords  bool      `json:"approximate_coordinates"` // the country's centroid stands in
	Timezone      string    `json:"timezone"`
	Ships         bool      `json:"ships"`
	Pickup        bool      `json:"pickup"`
	DailyCapacity int64     `json:"daily_capacity"`
	Cutoff        string    `json:"cutoff"`
	HandlingDays  int64     `json:"handling_days"`
	Rank          int64     `json:"rank"`
	Tags          []string  `json:"tags"`
	Channels      []string  `json:"channels"`
	Active        bool      `json:"active"`
	UpdatedAt     time.Time `json:"updated_at"`
	// AcceptsReturns: goods may come back here (return rules, receiving).
	AcceptsReturns bool `json:"accepts_returns"`
	// Handling is what the location charges to pick and pack (the cost model).
	Handling Handling `json:"-"`
	// HandlingCurrency, HandlingPerShipment and HandlingPerUnit are Handling
	// as the API shows it: amounts formatted in the currency ("1.50").
	HandlingCurrency    string `json:"handling_currency"`
	HandlingPerShipment string `json:"handling_per_shipment"`
	HandlingPerUnit     string `json:"handling_per_unit"`
	// ScanToShip: every unit that leaves is scanned before a shipment is confirmed.
	ScanToShip bool `json:"scan_to_ship"`
}

// LocationInput is the content of PUT /api/v1/locations/{code} and the location form.
type LocationInput struct {
	Name          string   `json:"name" validate:"required,max=100"`
	Kind          string   `json:"kind" validate:"required,oneof=warehouse store 3pl dropship partner"`
	Address       Address  `json:"address"`
	Lat           *float64 `json:"lat" validate:"omitempty,gte=-90,lte=90"`
	Lon           *float64 `json:"lon" validate:"omitempty,gte=-180,lte=180"`
	Timezone      string   `json:"timezone" validate:"required,timezone"`
	Ships         *bool    `json:"ships" validate:"required"`
	Pickup        *bool    `json:"pickup" validate:"required"`
	DailyCapacity int64    `json:"daily_capacity" validate:"gte=0,lte=10000000"`
	Cutoff        string   `json:"cutoff" validate:"omitempty,hhmm"`
	HandlingDays  int64    `json:"handling_days" validate:"gte=0,lte=60"`
	Rank          int64    `json:"rank" validate:"gte=-1000000,lte=1000000"`
	Tags          []string `json:"tags"`
	Channels      []string `json:"channels"`
	Active        *bool    `json:"active"`
	// AcceptsReturns: nil keeps what is stored; a new location takes returns
	// unless it is a dropshipper or a partner.
	AcceptsReturns *bool `json:"accepts_returns"`
	// HandlingCurrency is the currency of the handling costs, like a zone
	// rate's; required when either cost is above zero.
	HandlingCurrency string `json:"handling_currency"`
	// HandlingPerShipment and HandlingPerUnit are what the location charges
	// to pick and pack, in HandlingCurrency ("1.50"); empty means 0.
	HandlingPerShipment money.Decimal `json:"handling_per_shipment"`
	HandlingPerUnit     money.Decimal `json:"handling_per_unit"`
	// ScanToShip: nil keeps what is stored (a new location: not required).
	ScanToShip *bool `json:"scan_to_ship"`
}

// CheckLocation validates a location input, including the codes it names.
func CheckLocation(in *LocationInput, code string) FieldsError {
	in.Name = strings.TrimSpace(in.Name)
	in.Address.Country = strings.ToUpper(strings.TrimSpace(in.Address.Country))
	in.Tags = normTags(in.Tags)
	in.Channels = CleanCodes(in.Channels)
	fields := FieldsError{}
	if in.Address.Country != "" && !geo.ValidCountry(in.Address.Country) {
		fields.Add("address.country", "must be an ISO 3166-1 alpha-2 country code such as FR")
	}
	for f, msg := range CheckStruct(*in) {
		fields.Add(f, msg)
	}
	if !ValidCode(code) {
		fields.Add("code", codeProblem)
	}
	if (in.Lat == nil) != (in.Lon == nil) {
		fields.Add("lat", "give both lat and lon, or neither")
	}
	if p := tagProblem(in.Tags); p != "" {
		fields.Add("tags", p)
	}
	checkHandling(in, fields)
	return fields
}

// coordinates returns the location's coordinates, or its country's centroid.
func (in LocationInput) coordinates() (geo.Point, bool) {
	if in.Lat != nil && in.Lon != nil {
		return geo.Point{Lat: *in.Lat, Lon: *in.Lon}, false
	}
	p, _ := geo.Centroid(in.Address.Country)
	return p, true
}

// PutLocation creates or replaces the location code; it reports whether it was created.
func (a *App) PutLocation(ctx context.Context, actor Actor, code string, in LocationInput) (Location, bool, error) {
	if err := actor.Require(RoleAdmin, RoleOps); err != nil {
		return Location{}, false, err
	}
	if err := CheckLocation(&in, code).Err("location is invalid"); err != nil {
		return Location{}, false, err
	}
	var created bool
	err := a.Write(ctx, func(tx Tx) error {
		var err error
		created, err = PutLocationInTx(ctx, tx, code, in)
		return err
	})
	if err != nil {
		return Location{}, false, err
	}
	loc, err := a.Location(ctx, code)
	return loc, created, err
}

// putLocation writes one validated location and its channels inside tx.
func PutLocationInTx(ctx context.Context, tx Tx, code string, in LocationInput) (bool, error) {
	chans, err := channelIDs(ctx, tx, in.Channels, "channels")
	if err != nil {
		return false, err
	}
	pt, approx := in.coordinates()
	h, err := in.handling()
	if err != nil {
		return false, err
	}
	active := in.Active == nil || *in.Active
	cur, err := tx.Q.GetLocationByCode(ctx, code)
	created := store.IsNoRows(err)
	if err != nil && !created {
		return false, fmt.Errorf("get location: %w", err)
	}
	id := cur.ID
	if created {
		id, err = tx.Q.CreateLocation(ctx, store.CreateLocationParams{
			Code: code, Name: in.Name, Kind: in.Kind, Line1: in.Address.Line1, Line2: in.Address.Line2,
			City: in.Address.City, Region: in.Address.Region, PostalCode: in.Address.PostalCode,
			Country: in.Address.Country, Lat: pt.Lat, Lon: pt.Lon, ApproxCoords: BoolInt(approx),
			Timezone: in.Timezone, Ships: BoolInt(*in.Ships), Pickup: BoolInt(*in.Pickup),
			DailyCapacity: in.DailyCapacity, Cutoff: in.Cutoff, HandlingDays: in.HandlingDays, Rank: in.Rank,
			Tags: joinTags(in.Tags), Active: BoolInt(active), CreatedAt: Millis(tx.Now), UpdatedAt: Millis(tx.Now),
			HandlingPerShipment: h.PerShipment, HandlingPerUnit: h.PerUnit, HandlingCurrency: h.Currency,
		})
	} else {
		err = tx.Q.UpdateLocation(ctx, store.UpdateLocationParams{
			Name: in.Name, Kind: in.Kind, Line1: in.Address.Line1, Line2: in.Address.Line2,
			City: in.Address.City, Region: in.Address.Region, PostalCode: in.Address.PostalCode,
			Country: in.Address.Country, Lat: pt.Lat, Lon: pt.Lon, ApproxCoords: BoolInt(approx),
			Timezone: in.Timezone, Ships: BoolInt(*in.Ships), Pickup: BoolInt(*in.Pickup),
			DailyCapacity: in.DailyCapacity, Cutoff: in.Cutoff, HandlingDays: in.HandlingDays, Rank: in.Rank,
			Tags: joinTags(in.Tags), Active: BoolInt(active), UpdatedAt: Millis(tx.Now),
			HandlingPerShipment: h.PerShipment, HandlingPerUnit: h.PerUnit, HandlingCurrency: h.Currency, ID: id,
		})
	}
	if err != nil {
		return false, fmt.Errorf("write location %s: %w", code, err)
	}
	if err := putAcceptsReturns(ctx, tx, id, created, in); err != nil {
		return false, err
	}
	if err := putScanToShip(ctx, tx, id, in.ScanToShip); err != nil {
		return false, err
	}
	if err := tx.Q.ClearLocationChannels(ctx, id); err != nil {
		return false, fmt.Errorf("clear location channels: %w", err)
	}
	for _, ch := range chans {
		if err := tx.Q.AddLocationChannel(ctx, store.AddLocationChannelParams{LocationID: id, ChannelID: ch}); err != nil {
			return false, fmt.Errorf("add location channel: %w", err)
		}
	}
	return created, nil
}

// channelIDs resolves channel codes, naming the first unknown one under field.
func channelIDs(ctx context.Context, tx Tx, codes []string, field string) ([]int64, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	rows, err := tx.Q.GetChannelIDsByCodes(ctx, codes)
	if err != nil {
		return nil, fmt.Errorf("look up channels: %w", err)
	}
	ids := make([]int64, 0, len(codes))
	for _, c := range codes {
		i := slices.IndexFunc(rows, func(r store.GetChannelIDsByCodesRow) bool { return r.Code == c })
		if i < 0 {
			return nil, InvalidField(field, "unknown channel "+Quote(c))
		}
		ids = append(ids, rows[i].ID)
	}
	return ids, nil
}

// SetLocationActive deactivates or reactivates a location.
func (a *App) SetLocationActive(ctx context.Context, actor Actor, code string, active bool) error {
	if err := actor.Require(RoleAdmin, RoleOps); err != nil {
		return err
	}
	return a.Write(ctx, func(tx Tx) error {
		cur, err := tx.Q.GetLocationByCode(ctx, code)
		if store.IsNoRows(err) {
			return NotFound("no location %q", code)
		} else if err != nil {
			return fmt.Errorf("get location: %w", err)
		}
		return tx.Q.SetLocationActive(ctx, store.SetLocationActiveParams{Active: BoolInt(active), UpdatedAt: Millis(tx.Now), ID: cur.ID})
	})
}

// Location returns one location by code.
func (a *App) Location(ctx context.Context, code string) (Location, error) {
	row, err := a.Read().GetLocationByCode(ctx, code)
	if store.IsNoRows(err) {
		return Location{}, NotFound("no location %q", code)
	}
	if err != nil {
		return Location{}, fmt.Errorf("get location %s: %w", code, err)
	}
	loc := locationFromRow(row)
	loc.Channels, err = a.Read().ListLocationChannelCodes(ctx, row.ID)
	if err != nil {
		return Location{}, fmt.Errorf("location %s channels: %w", code, err)
	}
	return loc, nil
}

// Locations lists every location, active first, with its channels.
func (a *App) Locations(ctx context.Context) ([]Location, error) {
	rows, err := a.Read().ListLocations(ctx)
	if err != nil {
		return nil, fmt.Errorf("list locations: %w", err)
	}
	links, err := a.Read().ListAllLocationChannels(ctx)
	if err != nil {
		return nil, fmt.Errorf("list location channels: %w", err)
	}
	out := make([]Location, len(rows))
	for i, r := range rows {
		out[i] = locationFromRow(r)
		for _, l := range links {
			if l.LocationID == r.ID {
				out[i].Channels = append(out[i].Channels, l.Code)
			}
		}
	}
	return out, nil
}

// LocationChoices lists the active locations, to pick from in forms.
func (a *App) LocationChoices(ctx context.Context) ([]LocationRef, error) {
	rows, err := a.Read().ListLocationChoices(ctx)
	if err != nil {
		return nil, fmt.Errorf("list locations: %w", err)
	}
	var out []LocationRef
	for _, r := range rows {
		if r.Active == 1 {
			out = append(out, LocationRef{ID: r.ID, Code: r.Code, Name: r.Name})
		}
	}
	return out, nil
}

// locationFromRow maps a database row to a Location.
func locationFromRow(r store.Location) Location {
	return Location{
		ID: r.ID, Code: r.Code, Name: r.Name, Kind: r.Kind,
		Address: Address{Line1: r.Line1, Line2: r.Line2, City: r.City, Region: r.Region, PostalCode: r.PostalCode, Country: r.Country},
		Lat:     r.Lat, Lon: r.Lon, ApproxCoords: r.ApproxCoords == 1, Timezone: r.Timezone,
		Ships: r.Ships == 1, Pickup: r.Pickup == 1, DailyCapacity: r.DailyCapacity, Cutoff: r.Cutoff,
		HandlingDays: r.HandlingDays, Rank: r.Rank, Tags: SplitTags(r.Tags), Channels: []string{},
		Active: r.Active == 1, AcceptsReturns: r.AcceptsReturns == 1, UpdatedAt: FromMillis(r.UpdatedAt),
		ScanToShip: r.ScanToShip == 1,
	}.withHandling(Handling{PerShipment: r.HandlingPerShipment, PerUnit: r.HandlingPerUnit, Currency: r.HandlingCurrency})
}

// putAcceptsReturns stores whether location id takes returns: as asked, or
// for a new location by its kind (dropshippers and partners do not).
func putAcceptsReturns(ctx context.Context, tx Tx, id int64, created bool, in LocationInput) error {
	accepts := in.AcceptsReturns
	if accepts == nil && created {
		v := in.Kind != "dropship" && in.Kind != "partner"
		accepts = &v
	}
	if accepts == nil {
		return nil
	}
	if err := tx.Q.SetLocationAcceptsReturns(ctx, store.SetLocationAcceptsReturnsParams{AcceptsReturns: BoolInt(*accepts), ID: id}); err != nil {
		return fmt.Errorf("location accepts returns: %w", err)
	}
	return nil
}
