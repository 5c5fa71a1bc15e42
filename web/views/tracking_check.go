package views

import (
	"switchyard/app"
	"switchyard/app/tracking"
)

// TrackingCheckWords is what the ship and correction forms say of a number
// as it is typed: nothing before there is a number, a warning when it does
// not look like the carrier's (it can still be saved), else what it looks like.
func TrackingCheckWords(check tracking.Check) string {
	switch {
	case check.Number == "":
		return ""
	case check.Carrier == "":
		return "Choose a carrier to check the number."
	case check.Warning != "":
		return sentenceCase(check.Warning) + ". Check it before saving; it can still be saved."
	case !check.Known:
		return "No format to check " + app.CarrierName(check.Carrier) + " numbers against."
	}
	name := app.CarrierName(check.Carrier)
	if check.Service != "" && check.Service != name {
		return "Looks like " + article(name) + " " + name + " number (" + check.Service + ")."
	}
	return "Looks like " + article(name) + " " + name + " number."
}

// sentenceCase upper-cases the first letter.
func sentenceCase(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// article is "a" or "an" before a carrier name.
func article(name string) string {
	if name != "" && (name[0] == 'A' || name[0] == 'E' || name[0] == 'I' || name[0] == 'O') {
		return "an"
	}
	return "a"
}
