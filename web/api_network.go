package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/audit"
)

// The catalog, network and stock endpoints of the JSON API (API.md).
//
// Lists of SKUs are pages: {"skus": [...], "next": "<cursor>" | null}; pass
// next back as ?after= for the following page. Locations and channels are
// short lists answered whole: {"locations": [...]} and {"channels": [...]}.
// The stock listing is the bare array API.md shows; its next page is named in
// headers (see apiListStock).

// skuList is one page of SKUs; Next is null on the last page.
type skuList struct {
	SKUs []app.SKU `json:"skus"`
	Next *string   `json:"next"`
}

// locationList is every location.
type locationList struct {
	Locations []app.Location `json:"locations"`
}

// channelList is every channel, without secrets or tokens.
type channelList struct {
	Channels []app.Channel `json:"channels"`
}

// levelList is the stock levels an adjustment batch left, in the batch's order.
type levelList struct {
	Levels []app.StockLevel `json:"levels"`
}

// availabilityAnswer is what a channel may sell of the SKUs asked for.
type availabilityAnswer struct {
	Channel string                `json:"channel"`
	SKUs    []app.SKUAvailability `json:"skus"`
}

// apiPutSKU creates or replaces a SKU: 201 when created, 200 when replaced.
func (s *Server) apiPutSKU(c echo.Context) error { return apiPut(c, "SKU", s.app.PutSKU) }

// apiGetSKU answers one SKU, 404 when there is none.
func (s *Server) apiGetSKU(c echo.Context) error { return apiGet(c, "SKU", s.app.SKU) }

// apiPutLocation creates or replaces a location: 201 when created, 200 when replaced.
func (s *Server) apiPutLocation(c echo.Context) error {
	return apiPut(c, "location", s.app.PutLocation)
}

// apiGetLocation answers one location, 404 when there is none.
func (s *Server) apiGetLocation(c echo.Context) error { return apiGet(c, "location", s.app.Location) }

// apiPutChannel creates or replaces a channel: 201 when created, 200 when replaced.
// Its webhook secrets and callback token are write-only: app.Channel never carries them.
func (s *Server) apiPutChannel(c echo.Context) error {
	return apiPut(c, "channel", func(ctx context.Context, actor app.Actor, code string, in app.ChannelInput) (app.Channel, bool, error) {
		return s.app.PutChannel(ctx, actor, code, in, audit.ChannelChange(actor, code))
	})
}

// apiGetChannel answers one channel, 404 when there is none or the key is bound to another.
func (s *Server) apiGetChannel(c echo.Context) error {
	reach := apiKey(c).Reach()
	return apiGet(c, "channel", func(ctx context.Context, code string) (app.Channel, error) {
		return s.app.ChannelFor(ctx, reach, code)
	})
}

// apiPut binds the body, lets put create or replace the path's code as the
// key's actor, and answers the resource with 201 or 200.
func apiPut[In, Out any](c echo.Context, what string,
	put func(context.Context, app.Actor, string, In) (Out, bool, error)) error {
	var in In
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	code := pathCode(c, "code")
	out, created, err := put(c.Request().Context(), apiKey(c).Actor(), code, in)
	if err != nil {
		return fmt.Errorf("put %s %q: %w", what, code, err)
	}
	return writeJSON(c, putStatus(created), out)
}

// apiGet answers the path's code as get reads it.
func apiGet[Out any](c echo.Context, what string, get func(context.Context, string) (Out, error)) error {
	code := pathCode(c, "code")
	out, err := get(c.Request().Context(), code)
	if err != nil {
		return fmt.Errorf("get %s %q: %w", what, code, err)
	}
	return writeJSON(c, http.StatusOK, out)
}

// skuListParams is the query string of the SKU list.
type skuListParams struct {
	Q     string `query:"q"`
	After string `query:"after"`
	Limit string `query:"limit"`
}

// apiListSKUs answers a page of SKUs by code: ?q= filters, ?after= and ?limit= page.
func (s *Server) apiListSKUs(c echo.Context) error {
	var p skuListParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	limit, err := pageLimit(p.Limit)
	if err != nil {
		return err
	}
	page, err := s.app.SKUs(c.Request().Context(), p.Q, p.After, limit)
	if err != nil {
		return fmt.Errorf("list SKUs: %w", err)
	}
	return writeJSON(c, http.StatusOK, skuList{SKUs: page.SKUs, Next: cursor(page.Next)})
}

// cursor is a next-page cursor for JSON: null at the end.
func cursor(next string) *string {
	if next == "" {
		return nil
	}
	return &next
}

// apiListLocations answers every location.
func (s *Server) apiListLocations(c echo.Context) error {
	locs, err := s.app.Locations(c.Request().Context())
	if err != nil {
		return fmt.Errorf("list locations: %w", err)
	}
	return writeJSON(c, http.StatusOK, locationList{Locations: locs})
}

// apiListChannels answers every channel, or only its own to a key bound to one.
func (s *Server) apiListChannels(c echo.Context) error {
	chans, err := s.app.ChannelsFor(c.Request().Context(), apiKey(c).Reach())
	if err != nil {
		return fmt.Errorf("list channels: %w", err)
	}
	return writeJSON(c, http.StatusOK, channelList{Channels: chans})
}

// apiCountStock records a count of the path's SKU at the path's location and
// answers the level.
func (s *Server) apiCountStock(c echo.Context) error {
	var in app.CountInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	loc, sku := pathCode(c, "location"), pathCode(c, "sku")
	lvl, err := s.app.CountStock(c.Request().Context(), apiKey(c).Actor(), loc, sku, in)
	if err != nil {
		return fmt.Errorf("count %s at %s: %w", sku, loc, err)
	}
	return writeJSON(c, http.StatusOK, lvl)
}

// apiAdjustStock applies a batch of adjustments, all or nothing, and answers the levels.
func (s *Server) apiAdjustStock(c echo.Context) error {
	var in app.Adjustments
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	levels, err := s.app.AdjustStock(c.Request().Context(), apiKey(c).Actor(), in)
	if err != nil {
		return fmt.Errorf("adjust stock: %w", err)
	}
	return writeJSON(c, http.StatusOK, levelList{Levels: levels})
}

// stockQueryParams is the query string of the stock list.
type stockQueryParams struct {
	SKU      string `query:"sku"`
	Location string `query:"location"`
	After    string `query:"after"`
	Limit    string `query:"limit"`
}

// apiListStock answers stock levels by SKU then location, filtered by ?sku=
// and ?location=, as the bare JSON array of API.md. When there is a next
// page, its cursor is in the X-Next-Cursor header (pass it back as ?after=)
// and the whole next address in a Link header with rel="next".
func (s *Server) apiListStock(c echo.Context) error {
	var p stockQueryParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	limit, err := pageLimit(p.Limit)
	if err != nil {
		return err
	}
	page, err := s.app.ListStock(c.Request().Context(), app.StockQuery{SKU: p.SKU, Location: p.Location, After: p.After, Limit: limit})
	if err != nil {
		return fmt.Errorf("list stock: %w", err)
	}
	if page.Next != "" {
		setNextPage(c, page.Next)
	}
	return writeJSON(c, http.StatusOK, page.Levels)
}

// setNextPage names the next page in the X-Next-Cursor and Link headers.
func setNextPage(c echo.Context, next string) {
	u := *c.Request().URL
	q := u.Query()
	q.Set("after", next)
	u.RawQuery = q.Encode()
	h := c.Response().Header()
	h.Set("X-Next-Cursor", next)
	h.Set("Link", fmt.Sprintf(`<%s>; rel="next"`, u.RequestURI()))
}

// availabilityParams is the query string of the availability answer.
type availabilityParams struct {
	Channel string   `query:"channel"`
	SKUs    []string `query:"sku"` // repeated, or comma-separated
}

// apiAvailability answers what ?channel= may sell of each ?sku= (repeated,
// or comma-separated), in the order asked.
func (s *Server) apiAvailability(c echo.Context) error {
	var p availabilityParams
	if err := bindQuery(c, &p); err != nil {
		return err
	}
	channel := strings.TrimSpace(p.Channel)
	skus := skuParams(p.SKUs)
	avail, err := s.app.AvailabilityFor(c.Request().Context(), apiKey(c).Reach(), channel, skus)
	if err != nil {
		return fmt.Errorf("availability for %q: %w", channel, err)
	}
	return writeJSON(c, http.StatusOK, availabilityAnswer{Channel: channel, SKUs: avail})
}

// skuParams flattens repeated and comma-separated SKU codes, dropping blanks.
func skuParams(values []string) []string {
	var out []string
	for _, v := range values {
		for code := range strings.SplitSeq(v, ",") {
			if code = strings.TrimSpace(code); code != "" {
				out = append(out, code)
			}
		}
	}
	return out
}
