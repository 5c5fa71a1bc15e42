package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"
)

// itoa formats an id for a path.
func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// decodeJSON reads a JSON answer into v.
func decodeJSON(t *testing.T, res *http.Response, v any) {
	t.Helper()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("decode JSON: %v", err)
	}
}

// readAll reads an answer's body.
func readAll(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
