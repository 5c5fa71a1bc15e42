package web

import (
	"strconv"
	"strings"

	"switchyard/app"
	"switchyard/app/money"
	"switchyard/web/views"
)

// formNumbers parses a form's number fields and collects the ones that are not numbers.
type formNumbers map[string]string

// int parses a whole number; empty is 0.
func (n formNumbers) int(field, raw string) int64 {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return 0
	}
	v, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		n[field] = "must be a whole number"
	}
	return v
}

// float parses a decimal number; empty is nil.
func (n formNumbers) float(field, raw string) *float64 {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		n[field] = "must be a number such as 45.76"
		return nil
	}
	return &v
}

// err is the Invalid error naming every field that is not a number, or nil.
func (n formNumbers) err() error {
	if len(n) == 0 {
		return nil
	}
	return app.Invalid("some fields are not numbers", n)
}

// splitList splits a comma-separated field; the app trims and drops empty items.
func splitList(s string) []string { return strings.Split(s, ",") }

// codeTaken turns the lookup of a new code into a field error when it exists already.
func codeTaken[T any](_ T, err error) error {
	switch {
	case err == nil:
		return app.InvalidField("code", "is already used")
	case app.ErrorKind(err) == app.KindNotFound:
		return nil
	}
	return err
}

// locationInput maps the location form to the app's input.
func locationInput(f views.LocationForm) (app.LocationInput, error) {
	n := formNumbers{}
	in := app.LocationInput{
		Name: f.Name, Kind: f.Kind,
		Address: app.Address{
			Line1: f.Line1, Line2: f.Line2, City: strings.TrimSpace(f.City), Region: f.Region,
			PostalCode: strings.TrimSpace(f.PostalCode), Country: f.Country,
		},
		Lat: n.float("lat", f.Lat), Lon: n.float("lon", f.Lon),
		Timezone: strings.TrimSpace(f.Timezone), Ships: &f.Ships, Pickup: &f.Pickup,
		DailyCapacity: n.int("daily_capacity", f.DailyCapacity), Cutoff: strings.TrimSpace(f.Cutoff),
		HandlingDays: n.int("handling_days", f.HandlingDays), Rank: n.int("rank", f.Rank),
		Tags: splitList(f.Tags), Channels: f.Channels, Active: &f.Active, AcceptsReturns: &f.AcceptsReturns,
		ScanToShip:       &f.ScanToShip,
		HandlingCurrency: f.HandlingCurrency, HandlingPerShipment: money.Decimal(f.HandlingPerShipment),
		HandlingPerUnit: money.Decimal(f.HandlingPerUnit),
	}
	return in, n.err()
}

// locationFormOf fills the edit form from a stored location.
func locationFormOf(l app.Location) views.LocationForm {
	f := views.LocationForm{
		Code: l.Code, Name: l.Name, Kind: l.Kind, Line1: l.Address.Line1, Line2: l.Address.Line2,
		City: l.Address.City, Region: l.Address.Region, PostalCode: l.Address.PostalCode, Country: l.Address.Country,
		Timezone: l.Timezone, Ships: l.Ships, Pickup: l.Pickup, DailyCapacity: formInt(l.DailyCapacity),
		Cutoff: l.Cutoff, HandlingDays: formInt(l.HandlingDays), Rank: formInt(l.Rank),
		Tags: strings.Join(l.Tags, ", "), Channels: l.Channels, Active: l.Active, AcceptsReturns: l.AcceptsReturns, Editing: true,
		ScanToShip:       l.ScanToShip,
		HandlingCurrency: l.HandlingCurrency,
	}
	if l.Handling.PerShipment > 0 || l.Handling.PerUnit > 0 {
		f.HandlingPerShipment, f.HandlingPerUnit = l.HandlingPerShipment, l.HandlingPerUnit
	}
	if !l.ApproxCoords { // a centroid stands in for empty coordinates: keep them empty
		f.Lat = strconv.FormatFloat(l.Lat, 'f', -1, 64)
		f.Lon = strconv.FormatFloat(l.Lon, 'f', -1, 64)
	}
	return f
}

// channelInput maps the channel form to the app's input; secrets and callback stay as stored.
func channelInput(f views.ChannelForm) (app.ChannelInput, error) {
	n := formNumbers{}
	in := app.ChannelInput{Name: f.Name, Kind: f.Kind, Buffer: n.int("buffer", f.Buffer), Active: &f.Active}
	return in, n.err()
}

// channelFormOf fills the edit form from a stored channel.
func channelFormOf(ch app.Channel) views.ChannelForm {
	return views.ChannelForm{Code: ch.Code, Name: ch.Name, Kind: ch.Kind, Buffer: formInt(ch.Buffer), Active: ch.Active, Editing: true}
}

// formInt formats a whole number for a form field.
func formInt(n int64) string { return strconv.FormatInt(n, 10) }
