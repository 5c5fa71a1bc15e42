package app

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/go-playground/validator/v10"
)

// validate checks struct tags; field names come from the form tag, else json.
var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		for _, tag := range []string{"form", "json"} {
			name, _, _ := strings.Cut(f.Tag.Get(tag), ",")
			if name != "" && name != "-" {
				return name
			}
		}
		return f.Name
	})
	registerRules(v)
	return v
}

// Validate checks v against its validate tags and returns an Invalid error
// naming every bad field, or nil.
func Validate(message string, v any) error { return CheckStruct(v).Err(message) }

// checkStruct returns the problems of v's validate tags, and of its strings
// that are not text (checkTextFields), by field path.
func CheckStruct(v any) FieldsError {
	fields := FieldsError{}
	err := validate.Struct(v)
	var verrs validator.ValidationErrors
	if err != nil && !errors.As(err, &verrs) {
		panic(fmt.Sprintf("validate %T: %v", v, err)) // not a struct: a programming error
	}
	for _, fe := range verrs {
		fields.Add(fieldPath(fe), describe(fe))
	}
	checkTextFields(fields, "", v)
	return fields
}

// fieldPath is the field's path (address.country, lines[1].sku) without the
// struct's own name in front.
func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return fe.Field()
}

// fieldsError collects field problems found by hand into one Invalid error, or nil.
type FieldsError map[string]string

// add notes a problem with field, keeping the first one.
func (f FieldsError) Add(field, problem string) {
	if _, ok := f[field]; !ok {
		f[field] = problem
	}
}

// err returns the Invalid error for the collected fields, or nil.
func (f FieldsError) Err(message string) error {
	if len(f) == 0 {
		return nil
	}
	return Invalid(message, f)
}

// describe turns one failed tag into words a person understands.
func describe(fe validator.FieldError) string {
	p := fe.Param()
	switch fe.Tag() {
	case "required", "required_if", "required_with":
		return "is required"
	case "email":
		return "must be an email address"
	case "min":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("must be at least %s characters", p)
		}
		if fe.Kind() == reflect.Slice {
			return fmt.Sprintf("needs at least %s", p)
		}
		return "must be at least " + p
	case "max":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("must be at most %s characters", p)
		}
		return "must be at most " + p
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(p, " ", ", ")
	case "len":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("must be exactly %s characters", p)
		}
		return "must have exactly " + p
	case "gte":
		return "must be at least " + p
	case "lte":
		return "must be at most " + p
	case "iso3166_1_alpha2":
		return "must be a two-letter country code (ISO 3166-1)"
	case "timezone":
		return "must be an IANA time zone such as Europe/Paris"
	case "latitude":
		return "must be a latitude between -90 and 90"
	case "longitude":
		return "must be a longitude between -180 and 180"
	case "alphanum", "printascii":
		return "has characters that are not allowed"
	case "code":
		return codeProblem
	case "hhmm":
		return `must be a time of day like "15:00"`
	case "ne":
		return "must not be " + p
	case "url", "http_url":
		return "must be a URL like https://shop.example.com"
	default:
		return "is not valid (" + fe.Tag() + ")"
	}
}
