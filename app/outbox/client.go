package outbox

import (
	"bytes"
	"context"
	"io"
	"net/http"
)

// Do sends one request with client and reads the answer (at most 1 MiB).
func Do(ctx context.Context, client *http.Client, method, url string, hdr http.Header, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header = hdr
	req.Header.Set("User-Agent", "Switchyard-Outbox/1")
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return resp.StatusCode, nil, err
	}
	return resp.StatusCode, b, nil
}

// do sends one request with the dispatcher's client.
func (d *dispatcher) do(ctx context.Context, method, url string, hdr http.Header, body []byte) (int, []byte, error) {
	return Do(ctx, d.o.Client, method, url, hdr, body)
}
