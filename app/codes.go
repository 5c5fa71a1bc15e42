package app

import (
	"regexp"
	"slices"
	"strings"

	"github.com/go-playground/validator/v10"
)

// codePattern is what channel, location and SKU codes look like.
var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// hhmmPattern is a local time of day, "15:00".
var hhmmPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// ValidCode reports whether s can be a channel, location or SKU code.
func ValidCode(s string) bool { return codePattern.MatchString(s) }

// codeProblem is the message for a bad code.
const codeProblem = "must be 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit"

// registerRules adds Switchyard's own validation tags.
func registerRules(v *validator.Validate) {
	v.RegisterValidation("code", func(fl validator.FieldLevel) bool { return ValidCode(fl.Field().String()) })
	v.RegisterValidation("hhmm", func(fl validator.FieldLevel) bool { return hhmmPattern.MatchString(fl.Field().String()) })
}

// normTags trims, lower-cases, de-duplicates and sorts tags.
func normTags(tags []string) []string {
	out := []string{}
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

// tagProblem checks tags and names the first bad one.
func tagProblem(tags []string) string {
	for _, t := range tags {
		if strings.ContainsAny(t, ",\n") || len(t) > 40 {
			return "tag " + Quote(t) + " must be at most 40 characters without commas"
		}
	}
	return ""
}

// joinTags stores tags as one comma-separated column.
func joinTags(tags []string) string { return strings.Join(tags, ",") }

// SplitTags reads the stored column back.
func SplitTags(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// Quote puts a code in double quotes for messages.
func Quote(s string) string { return `"` + s + `"` }

// Plural returns "s" unless n is 1.
func Plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
