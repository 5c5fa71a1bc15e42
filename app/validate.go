package app

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

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

// CheckStruct returns the problems of v's validate tags, and of its strings
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

// FieldsError collects field problems found by hand into one Invalid error, or nil.
type FieldsError map[string]string

// Add notes a problem with field, keeping the first one.
func (f FieldsError) Add(field, problem string) {
	if _, ok := f[field]; !ok {
		f[field] = problem
	}
}

// Err returns the Invalid error for the collected fields, or nil.
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

// NotTextProblem is the field message for a value holding bytes that are not
// UTF-8, lone UTF-16 surrogates, or control characters.
const NotTextProblem = "contains characters that are not text"

// The rule for text, everywhere Switchyard takes it in: valid UTF-8, and no
// control characters (U+0000–U+001F, U+007F, U+0080–U+009F) except tab, line
// feed and carriage return in a field that may hold several lines (a note:
// such fields carry the struct tag text:"lines"). Every other field is one line.

// textRuneOK reports whether r may appear in a field (multi-line or not).
func textRuneOK(r rune, multiline bool) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return multiline
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return false
	}
	return true
}

// IsText reports whether s is valid UTF-8 without the control characters a
// field refuses (tab, LF and CR are allowed when multiline).
func IsText(s string, multiline bool) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return false
			}
		}
		if !textRuneOK(r, multiline) {
			return false
		}
	}
	return true
}

// CleanText returns s without what IsText refuses: bytes that are not UTF-8,
// U+FFFD (what a decoder leaves of them and of lone surrogates), and control
// characters; changed reports whether anything was removed.
func CleanText(s string, multiline bool) (clean string, changed bool) {
	if IsText(s, multiline) && !strings.ContainsRune(s, utf8.RuneError) {
		return s, false
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "") {
		if r != utf8.RuneError && textRuneOK(r, multiline) {
			b.WriteRune(r)
		}
	}
	return b.String(), true
}

// checkNoteText notes a multi-line field that is not text.
func checkNoteText(f FieldsError, field, s string) {
	if !IsText(s, true) {
		f.Add(field, NotTextProblem)
	}
}

// checkTextFields walks every string of v (structs, pointers, slices) and
// notes, by field path under prefix, each one that is not text. Field names
// come from the form tag, else json, as checkStruct names them; fields named
// "-" in both are set by code and skipped.
func checkTextFields(f FieldsError, prefix string, v any) {
	walkStrings(prefix, reflect.ValueOf(v), false, textFieldName, func(path string, s reflect.Value, multiline bool) {
		if !IsText(s.String(), multiline) {
			f.Add(path, NotTextProblem)
		}
	})
}

// textFieldName is the name a field's problems go under, "" for a field set by code.
func textFieldName(sf reflect.StructField) string {
	for _, tag := range []string{"form", "json"} {
		name, _, _ := strings.Cut(sf.Tag.Get(tag), ",")
		if name != "" && name != "-" {
			return name
		}
	}
	if sf.Tag.Get("json") == "-" {
		return ""
	}
	return sf.Name
}

// CleanTextFields removes from every string of the value v points to what
// IsText refuses (CleanText), and returns the paths of the fields it changed.
// Unlike checkTextFields it also cleans fields set by code (named by their Go name).
func CleanTextFields(prefix string, v any) []string {
	var changed []string
	everyField := func(sf reflect.StructField) string {
		if name := textFieldName(sf); name != "" {
			return name
		}
		return strings.ToLower(sf.Name)
	}
	walkStrings(prefix, reflect.ValueOf(v), false, everyField, func(path string, s reflect.Value, multiline bool) {
		if clean, ok := CleanText(s.String(), multiline); ok && s.CanSet() {
			s.SetString(clean)
			changed = append(changed, path)
		}
	})
	return changed
}

// walkStrings calls fn with the path of every string in v (through structs,
// pointers, interfaces, slices and arrays) and whether its field may hold
// several lines (text:"lines"). nameOf names a struct field; "" skips it.
func walkStrings(path string, v reflect.Value, multiline bool, nameOf func(reflect.StructField) string,
	fn func(path string, s reflect.Value, multiline bool)) {
	switch v.Kind() {
	case reflect.String:
		fn(path, v, multiline)
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(path, v.Elem(), multiline, nameOf, fn)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(path+"["+strconv.Itoa(i)+"]", v.Index(i), multiline, nameOf, fn)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			name := ""
			if sf.IsExported() {
				name = nameOf(sf)
			}
			if name == "" {
				continue
			}
			if path != "" {
				name = path + "." + name
			}
			walkStrings(name, v.Field(i), sf.Tag.Get("text") == "lines", nameOf, fn)
		}
	}
}

// fieldWords turns field paths into words for a timeline: "lines[0].name"
// becomes "line 1 name", "shipping_address.line1" "shipping address line1".
func fieldWords(paths []string) string {
	words := make([]string, 0, len(paths))
	for _, p := range paths {
		var b strings.Builder
		for part := range strings.SplitSeq(p, ".") {
			name, index, isItem := strings.Cut(strings.TrimSuffix(part, "]"), "[")
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			name = strings.ReplaceAll(name, "_", " ")
			if isItem {
				n, _ := strconv.Atoi(index)
				name = strings.TrimSuffix(name, "s") + " " + strconv.Itoa(n+1)
			}
			b.WriteString(name)
		}
		words = append(words, b.String())
	}
	return strings.Join(words, ", ")
}

// cleanedEvent is the timeline entry of an order whose text a channel sent
// with characters that are not text, removed at intake.
func cleanedEvent(fields []string) NewEvent {
	return NewEvent{Kind: "text_cleaned",
		Message: "The channel sent characters that are not text (invalid bytes or control characters) in " +
			fieldWords(fields) + "; they were removed when the order was taken in.",
		Data: map[string]any{"fields": fields}}
}

// shortenedEvent is the timeline entry of an order whose text a channel sent
// longer than Switchyard keeps, cut at intake.
func shortenedEvent(fields []string) NewEvent {
	return NewEvent{Kind: "text_shortened",
		Message: "The channel sent more text than Switchyard keeps in " + fieldWords(fields) +
			"; it was cut (ending with …) when the order was taken in. The channel's order has it whole.",
		Data: map[string]any{"fields": fields}}
}

// intakeTextEvents are the timeline entries saying what intake removed from
// or cut in a channel's text.
func intakeTextEvents(in NewOrder) []NewEvent {
	var evs []NewEvent
	if len(in.Cleaned) > 0 {
		evs = append(evs, cleanedEvent(in.Cleaned))
	}
	if len(in.Shortened) > 0 {
		evs = append(evs, shortenedEvent(in.Shortened))
	}
	return evs
}

// Clip makes s valid UTF-8, each control character replaced by control (-1
// drops it), cut to at most n bytes on a character's boundary: for text
// stored as it came (a browser's user agent, an audit entry's detail).
func Clip(s string, n int, control rune) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return control
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	for len(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}
