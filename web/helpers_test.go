package web_test

import (
	"encoding/json"
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
