package views

import (
	"fmt"
	"strings"
	"time"

	"switchyard/app"
	"switchyard/app/desk"
)

// Late reports whether the order has passed its promised ship-by date with
// something still to ship.
func Late(o app.Order, now time.Time) bool {
	if o.PromisedShipBy == nil || o.PromisedShipBy.After(now) {
		return false
	}
	switch o.Status {
	case app.StatusShipped, app.StatusDelivered, app.StatusCancelled, app.StatusReturned, app.StatusPartiallyReturned:
		return false
	}
	return true
}

// zoned is a time in zone loc, the zone's abbreviation named: "6 Dec 2026, 05:47 CET".
func zoned(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2 Jan 2006, 15:04 MST")
}

// zoneWords names the zone times are shown in: "Paris time (Europe/Paris)", "UTC".
func zoneWords(name string) string {
	if name == "" || name == "UTC" {
		return "in UTC"
	}
	city := name[strings.LastIndex(name, "/")+1:]
	return strings.ReplaceAll(city, "_", " ") + " time (" + name + ")"
}

// lineProgress says how far a line has come, for the customer: "2 shipped, 1 cancelled".
func lineProgress(l desk.TrackingLine) string {
	var parts []string
	if l.Shipped > 0 {
		parts = append(parts, fmt.Sprintf("%d shipped", l.Shipped))
	}
	if l.Cancelled > 0 {
		parts = append(parts, fmt.Sprintf("%d cancelled", l.Cancelled))
	}
	return strings.Join(parts, ", ")
}
