package web

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"switchyard/app"
)

// checkJSONText refuses a JSON body whose strings hold bytes that are not
// UTF-8 or \u escapes of lone UTF-16 surrogates: encoding/json would silently
// turn both into U+FFFD, so they are found in the raw body, and each is named
// by its field path (customer.name, lines[0].sku). Control characters decode
// faithfully and are left to the app's validation, which knows the fields
// that may hold several lines. body must be valid JSON syntax.
func checkJSONText(body []byte) error {
	if utf8.Valid(body) && !bytes.Contains(body, []byte(`\u`)) {
		return nil // the common case: nothing to look at
	}
	fields := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(body))
	var stack []*pathFrame
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			break // the end, or a syntax error Decode reports on its own
		}
		top := topFrame(stack)
		if d, isDelim := tok.(json.Delim); isDelim && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			valueDone(topFrame(stack))
			continue
		}
		isKey := top != nil && !top.array && top.expectKey
		if isKey {
			top.key, _ = tok.(string)
			top.expectKey = false
		} else if top != nil && top.array {
			top.index++
		}
		if _, isString := tok.(string); isString && !rawStringIsText(body[start:dec.InputOffset()]) {
			path := renderPath(stack)
			if path == "" {
				path = "body"
			}
			if _, seen := fields[path]; !seen {
				fields[path] = app.NotTextProblem
			}
		}
		if isKey {
			continue
		}
		if d, isDelim := tok.(json.Delim); isDelim {
			stack = append(stack, &pathFrame{array: d == '[', index: -1, expectKey: d == '{'})
			continue
		}
		valueDone(top)
	}
	if len(fields) == 0 {
		return nil
	}
	return app.Invalid("the request has text that is not valid: "+strconv.Itoa(len(fields))+" field(s)", fields)
}

// rawStringIsText reports whether the JSON string token in raw (which may
// start with separators and white space) is valid UTF-8 without lone
// surrogate escapes.
func rawStringIsText(raw []byte) bool {
	i := bytes.IndexByte(raw, '"')
	if i < 0 {
		return true
	}
	s := raw[i+1:]
	pendingHigh := false // the previous escape was a high surrogate
	for len(s) > 0 {
		if s[0] == '\\' && len(s) >= 2 {
			if s[1] != 'u' || len(s) < 6 {
				if pendingHigh {
					return false
				}
				s = s[2:]
				continue
			}
			r, err := strconv.ParseUint(string(s[2:6]), 16, 16)
			if err != nil {
				return true // not JSON: the decoder reports it
			}
			high, low := r >= 0xd800 && r <= 0xdbff, r >= 0xdc00 && r <= 0xdfff
			if (pendingHigh && !low) || (!pendingHigh && low) {
				return false
			}
			pendingHigh = high
			s = s[6:]
			continue
		}
		if pendingHigh {
			return false
		}
		if s[0] == '"' {
			return true
		}
		r, size := utf8.DecodeRune(s)
		if r == utf8.RuneError && size == 1 {
			return false
		}
		s = s[size:]
	}
	return !pendingHigh
}
