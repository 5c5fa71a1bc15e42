package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"switchyard/app"
)

// maxPageSize is the largest page a list endpoint returns (app.clampLimit's ceiling).
const maxPageSize = 500

// bindJSON reads the request body as exactly one JSON value into dst.
//
// What goes wrong becomes an error the central handler answers in the API's
// error shape: an empty body, malformed JSON (with its line and column) or data
// after the value is 400; a value of the wrong type is 422 naming the field
// ("adjustments[1].delta"), and so is a string that is not text (invalid
// UTF-8, a lone surrogate: checkJSONText); a body over the server's limit stays 413.
// Unknown fields are ignored on purpose: clients may send more than we read,
// so the API can grow without breaking older or richer clients. The
// Content-Type header is not checked, for the same leniency.
func bindJSON(c echo.Context, dst any) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return bodyReadError(err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return malformed("the request body is empty")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(dst); err != nil {
		return decodeError(body, err)
	}
	if err := noTrailingData(body, dec.InputOffset()); err != nil {
		return err
	}
	return checkJSONText(body)
}

// bodyReadError keeps the body limit's 413 and calls any other read failure malformed.
func bodyReadError(err error) error {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return fmt.Errorf("read request body: %w", he)
	}
	return malformed("the request body could not be read").SetInternal(err)
}

// malformed is a 400 answer; the central handler keeps its message.
func malformed(format string, args ...any) *echo.HTTPError {
	return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf(format, args...))
}

// decodeError explains a JSON decoding failure of body to the client.
func decodeError(body []byte, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		line, col := position(body, syntax.Offset)
		return malformed("malformed JSON at line %d, column %d: %s", line, col, syntax.Error())
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := position(body, int64(len(body)))
		return malformed("malformed JSON at line %d, column %d: the JSON ends too early", line, col)
	case errors.As(err, &typ):
		return typeError(body, typ)
	}
	return malformed("the request body is not valid JSON: %s", err.Error())
}

// typeError names the field whose value has the wrong type: 422, or 400 when
// the body as a whole is not the object (or list) expected.
func typeError(body []byte, err *json.UnmarshalTypeError) error {
	path, ok := jsonPathAt(body, err.Offset)
	if !ok {
		path = err.Field
	}
	want := typeWord(err.Type)
	if path == "" {
		return malformed("the request body must be %s", want)
	}
	if digits, ok := strings.CutPrefix(err.Value, "number "); ok && isIntKind(err.Type) && !strings.ContainsAny(digits, ".eE") {
		return app.InvalidField(path, "is out of range") // a whole number, too large for its field
	}
	return app.InvalidField(path, "must be "+want)
}

// typeWord names the JSON value a Go type expects, with its article.
func typeWord(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == nil:
		return "a value"
	case isIntKind(t):
		return "a whole number"
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a value of another type"
}

// isIntKind reports whether t (or what it points to) is an integer type.
func isIntKind(t reflect.Type) bool {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

// noTrailingData refuses anything but white space after the JSON value that ends at end.
func noTrailingData(body []byte, end int64) error {
	rest := body[end:]
	trimmed := bytes.TrimLeft(rest, " \t\r\n")
	if len(trimmed) == 0 {
		return nil
	}
	line, col := position(body, end+int64(len(rest)-len(trimmed))+1)
	return malformed("malformed JSON at line %d, column %d: more data after the JSON value", line, col)
}

// position turns "after reading offset bytes" into the 1-based line and
// column (in characters) of the last byte read.
func position(body []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(body)))
	before := body[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return line, max(col, 1)
}

// pathFrame is one open object or array while walking a JSON document.
type pathFrame struct {
	array     bool
	index     int    // the current element of an array
	key       string // the current key of an object
	expectKey bool   // the next token of an object is a key
}

// jsonPathAt returns the path ("adjustments[1].delta") of the value of body
// around offset: the first value whose token ends at or after offset. This
// covers both conventions encoding/json uses for a type error's offset (the
// end of a scalar, the opening delimiter of an object or array, or the start
// of the value). The path is "" for the root; ok is false if body does not parse.
func jsonPathAt(body []byte, offset int64) (path string, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var stack []*pathFrame
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		top := topFrame(stack)
		if d, isDelim := tok.(json.Delim); isDelim && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			valueDone(topFrame(stack))
			continue
		}
		if top != nil && !top.array && top.expectKey {
			top.key, _ = tok.(string)
			top.expectKey = false
			continue
		}
		if top != nil && top.array {
			top.index++
		}
		if dec.InputOffset() >= offset {
			return renderPath(stack), true
		}
		if d, isDelim := tok.(json.Delim); isDelim {
			stack = append(stack, &pathFrame{array: d == '[', index: -1, expectKey: d == '{'})
			continue
		}
		valueDone(top)
	}
}

// topFrame is the innermost open frame, or nil at the root.
func topFrame(stack []*pathFrame) *pathFrame {
	if len(stack) == 0 {
		return nil
	}
	return stack[len(stack)-1]
}

// valueDone notes that a value of frame f has been read: an object expects a key next.
func valueDone(f *pathFrame) {
	if f != nil && !f.array {
		f.expectKey = true
	}
}

// renderPath writes the open frames as a field path in the app's convention.
func renderPath(stack []*pathFrame) string {
	var b strings.Builder
	for _, f := range stack {
		switch {
		case f.array:
			b.WriteString("[" + strconv.Itoa(f.index) + "]")
		case b.Len() > 0:
			b.WriteString("." + f.key)
		default:
			b.WriteString(f.key)
		}
	}
	return b.String()
}

// writeJSON answers status with v as JSON (Content-Type application/json).
func writeJSON(c echo.Context, status int, v any) error {
	if err := c.JSON(status, v); err != nil {
		return fmt.Errorf("write JSON answer: %w", err)
	}
	return nil
}

// putStatus is the status of a PUT: 201 when it created the resource, 200 when it replaced it.
func putStatus(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

// pathCode returns the path parameter name unescaped. Echo matches the raw
// (still escaped) path when the client escaped more than Go would, and then
// hands the parameters over escaped.
func pathCode(c echo.Context, name string) string {
	raw := c.Param(name)
	if c.Request().URL.RawPath == "" {
		return raw
	}
	if s, err := url.PathUnescape(raw); err == nil {
		return s
	}
	return raw
}

// pageLimit reads the page size given as ?limit=, 0 (the default) when absent.
func pageLimit(raw string) (int, error) {
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > maxPageSize {
		return 0, app.InvalidField("limit", fmt.Sprintf("must be a whole number from 1 to %d", maxPageSize))
	}
	return n, nil
}
