package app

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	store "switchyard/sql"
)

// StockQuery selects stock levels for the API listing.
type StockQuery struct {
	SKU, Location string // "" = any
	After         string // cursor: "sku/location" of the last level seen
	Limit         int
}

// StockPage is one page of levels and the cursor of the next, "" at the end.
type StockPage struct {
	Levels []StockLevel `json:"levels"`
	Next   string       `json:"next,omitempty"`
}

// ListStock lists levels by SKU and location code, for the API.
func (a *App) ListStock(ctx context.Context, q StockQuery) (StockPage, error) {
	limit := ClampLimit(q.Limit)
	afterSKU, afterLoc, _ := strings.Cut(q.After, "/")
	rows, err := a.Read().ListStock(ctx, store.ListStockParams{
		Sku: q.SKU, Location: q.Location, AfterSku: afterSKU, AfterLocation: afterLoc, Lim: int64(limit + 1),
	})
	if err != nil {
		return StockPage{}, fmt.Errorf("list stock: %w", err)
	}
	levels := make([]StockLevel, 0, len(rows))
	for _, r := range rows {
		levels = append(levels, newLevel(r.Location, r.Sku, r.OnHand, r.Reserved, r.SafetyStock, r.UpdatedAt))
	}
	until := "" // kits up to the last plain SKU read may fall on this page
	if len(rows) > limit {
		until = rows[len(rows)-1].Sku
	}
	if levels, err = a.withKitLevels(ctx, q, levels, afterSKU, afterLoc, until); err != nil {
		return StockPage{}, err
	}
	page := StockPage{Levels: levels}
	if len(levels) > limit {
		last := levels[limit-1]
		page.Levels, page.Next = levels[:limit], last.SKU+"/"+last.Location
	}
	return page, nil
}

// withKitLevels merges into a page of plain levels the rows of the kits whose
// code is after the cursor and at most until ("" = no bound), in (SKU,
// location) order.
func (a *App) withKitLevels(ctx context.Context, q StockQuery, levels []StockLevel, afterSKU, afterLoc, until string) ([]StockLevel, error) {
	kits, err := a.Read().KitsInCodeRange(ctx, store.KitsInCodeRangeParams{After: afterSKU, Until: until, Sku: q.SKU})
	if err != nil {
		return nil, fmt.Errorf("kits in the stock listing: %w", err)
	}
	if afterSKU != "" && afterLoc != "" && (q.SKU == "" || q.SKU == afterSKU) {
		// the cursor's own SKU may be a kit with locations left
		if s, err := a.Read().GetSKUByCode(ctx, afterSKU); err == nil && s.IsKit == 1 {
			kits = append([]store.KitsInCodeRangeRow{{ID: s.ID, Code: s.Code}}, kits...)
		}
	}
	if len(kits) == 0 {
		return levels, nil
	}
	ids := make([]int64, len(kits))
	for i, k := range kits {
		ids[i] = k.ID
	}
	byKit, err := kitLevels(ctx, a.Read(), ids, 0)
	if err != nil {
		return nil, err
	}
	for _, k := range kits {
		for _, l := range byKit[k.ID] {
			if (q.Location != "" && l.Location != q.Location) || (k.Code == afterSKU && l.Location <= afterLoc) {
				continue
			}
			levels = append(levels, kitStockLevel(k.Code, l))
		}
	}
	slices.SortStableFunc(levels, func(x, y StockLevel) int {
		return cmp.Or(cmp.Compare(x.SKU, y.SKU), cmp.Compare(x.Location, y.Location))
	})
	return levels, nil
}

// SKUAvailability is what a channel may sell of one SKU.
type SKUAvailability struct {
	SKU       string `json:"sku"`
	Available int64  `json:"available"`
	// Incoming is how much of Available is stock on its way in, sold as
	// pre-orders (app/preorders.go); PromiseDate is when it is expected.
	Incoming    int64  `json:"incoming,omitempty"`
	PromiseDate string `json:"promise_date,omitempty"`
}

// Availability returns the ATP of skus for channel, in the order asked. Unknown
// channel and SKU codes are field errors.
func (a *App) Availability(ctx context.Context, channel string, skus []string) ([]SKUAvailability, error) {
	return a.AvailabilityFor(ctx, Everywhere, channel, skus)
}

// AvailabilityFor is Availability for a channel the reach covers; another
// channel is answered exactly like an unknown one.
func (a *App) AvailabilityFor(ctx context.Context, r Reach, channel string, skus []string) ([]SKUAvailability, error) {
	fields := FieldsError{}
	if channel == "" {
		fields.Add("channel", "is required")
	}
	if len(skus) == 0 {
		fields.Add("sku", "name at least one SKU")
	}
	if len(skus) > 1000 {
		fields.Add("sku", "at most 1000 SKUs at once")
	}
	if err := fields.Err("availability query is invalid"); err != nil {
		return nil, err
	}
	ch, err := a.Read().GetChannelByCode(ctx, channel)
	if store.IsNoRows(err) || (err == nil && !r.Allows(ch.Code)) {
		return nil, InvalidField("channel", "unknown channel "+Quote(channel))
	}
	if err != nil {
		return nil, fmt.Errorf("get channel: %w", err)
	}
	return a.ATP(ctx, ch, skus)
}

// ATP runs the one availability query for a channel and puts the answer in
// the order of skus, naming unknown SKUs.
func (a *App) ATP(ctx context.Context, ch store.Channel, skus []string) ([]SKUAvailability, error) {
	rows, err := a.Read().Availability(ctx, store.AvailabilityParams{Buffer: ch.Buffer, ChannelID: ch.ID, Codes: skus})
	if err != nil {
		return nil, fmt.Errorf("availability: %w", err)
	}
	found := make(map[string]int64, len(rows))
	var kitCodes []string
	for _, r := range rows {
		found[r.Sku] = r.Available
		if r.IsKit == 1 {
			kitCodes = append(kitCodes, r.Sku)
		}
	}
	if len(kitCodes) > 0 {
		kits, err := kitATP(ctx, a.Read(), ch, kitCodes)
		if err != nil {
			return nil, err
		}
		for code, n := range kits { // a kit: what its components allow
			found[code] = n
		}
	}
	out := make([]SKUAvailability, len(skus))
	fields := FieldsError{}
	for i, code := range skus {
		avail, ok := found[code]
		if !ok {
			fields.Add(fmt.Sprintf("sku[%d]", i), "unknown SKU "+Quote(code))
		}
		out[i] = SKUAvailability{SKU: code, Available: avail}
	}
	if err := a.addIncoming(ctx, ch, out); err != nil {
		return nil, err
	}
	if ch.Active == 0 {
		for i := range out {
			out[i].Available = 0 // an inactive channel may sell nothing
		}
	}
	return out, fields.Err("availability query is invalid")
}

// LocationLevel is one location's stock of a SKU, with the location's facts.
type LocationLevel struct {
	StockLevel
	LocationName string
	Kind         string
	Country      string
	Active       bool
	Ships        bool
}

// ChannelATP is what one channel may sell of a SKU. Incoming is how much of
// Available is stock on its way in sold as pre-orders, expected PromiseDate.
type ChannelATP struct {
	Channel     Channel
	Available   int64
	Incoming    int64
	PromiseDate string // 2026-12-20; "" when nothing incoming is sold
}

// channelATP is one channel's figures of an availability answer.
func channelATP(c Channel, a SKUAvailability) ChannelATP {
	return ChannelATP{Channel: c, Available: a.Available, Incoming: a.Incoming, PromiseDate: a.PromiseDate}
}

// SKUStock is everything the stock page of one SKU shows.
type SKUStock struct {
	SKU    SKU
	Levels []LocationLevel
	ATP    []ChannelATP
	// Parts are, for a kit, the plain SKUs it is made of (through kits inside
	// kits) and the units of each one kit takes; its Levels are what they allow.
	Parts []KitPart
}

// StockOfSKU returns a SKU's stock at every location and its ATP per channel.
func (a *App) StockOfSKU(ctx context.Context, code string) (SKUStock, error) {
	s, err := a.SKU(ctx, code)
	if err != nil {
		return SKUStock{}, err
	}
	out := SKUStock{SKU: s}
	if s.Kit {
		if err := a.addKitStock(ctx, &out); err != nil {
			return SKUStock{}, err
		}
	}
	rows, err := a.Read().StockOfSKU(ctx, s.ID)
	if err != nil {
		return SKUStock{}, fmt.Errorf("stock of %s: %w", code, err)
	}
	for _, r := range rows {
		out.Levels = append(out.Levels, LocationLevel{
			StockLevel:   newLevel(r.Location, code, r.OnHand, r.Reserved, r.SafetyStock, r.UpdatedAt),
			LocationName: r.LocationName, Kind: r.Kind, Country: r.Country, Active: r.Active == 1, Ships: r.Ships == 1,
		})
	}
	chans, err := a.Read().ListChannels(ctx)
	if err != nil {
		return SKUStock{}, fmt.Errorf("list channels: %w", err)
	}
	for _, ch := range chans {
		atp, err := a.ATP(ctx, ch, []string{code})
		if err != nil {
			return SKUStock{}, err
		}
		out.ATP = append(out.ATP, channelATP(Channel{Code: ch.Code, Name: ch.Name, Kind: ch.Kind, Buffer: ch.Buffer, Active: ch.Active == 1}, atp[0]))
	}
	return out, nil
}

// addKitStock adds a kit's parts and what they allow at each location.
func (a *App) addKitStock(ctx context.Context, out *SKUStock) error {
	var err error
	if out.Parts, err = KitParts(ctx, a.Read(), out.SKU.ID); err != nil {
		return err
	}
	levels, err := kitLevels(ctx, a.Read(), []int64{out.SKU.ID}, 0)
	if err != nil {
		return err
	}
	for _, l := range levels[out.SKU.ID] {
		out.Levels = append(out.Levels, LocationLevel{
			StockLevel: kitStockLevel(out.SKU.Code, l), LocationName: l.LocationName,
			Kind: l.Kind, Country: l.Country, Active: l.Active, Ships: l.Ships,
		})
	}
	return nil
}

// Stock filters for the location page.
const (
	FilterShort       = "short"
	FilterBelowSafety = "below_safety"
	FilterZero        = "zero"
)

// LocationStockQuery selects a page of one location's stock.
type LocationStockQuery struct {
	Q      string // SKU code prefix or part of its name
	Filter string // "", short, below_safety, zero
	After  string // SKU code of the last row seen
	Limit  int
}

// SKULevel is one SKU's level at a location, with the SKU's name.
type SKULevel struct {
	StockLevel
	SKUName string
}

// LocationStock is one page of a location's stock.
type LocationStock struct {
	Location Location
	Levels   []SKULevel
	Next     string
}

// StockAtLocation returns one page of a location's stock.
func (a *App) StockAtLocation(ctx context.Context, code string, q LocationStockQuery) (LocationStock, error) {
	loc, err := a.Location(ctx, code)
	if err != nil {
		return LocationStock{}, err
	}
	switch q.Filter {
	case "", FilterShort, FilterBelowSafety, FilterZero:
	default:
		return LocationStock{}, InvalidField("filter", "must be one of: short, below_safety, zero")
	}
	limit := ClampLimit(q.Limit)
	rows, err := a.Read().StockAtLocation(ctx, store.StockAtLocationParams{
		LocationID: loc.ID, After: q.After, Q: strings.TrimSpace(q.Q), Filter: q.Filter, Lim: int64(limit + 1),
	})
	if err != nil {
		return LocationStock{}, fmt.Errorf("stock at %s: %w", code, err)
	}
	out := LocationStock{Location: loc}
	for i, r := range rows {
		if i == limit {
			out.Next = out.Levels[limit-1].SKU
			break
		}
		out.Levels = append(out.Levels, SKULevel{
			StockLevel: newLevel(code, r.Sku, r.OnHand, r.Reserved, r.SafetyStock, r.UpdatedAt), SKUName: r.SkuName,
		})
	}
	return out, nil
}

// LedgerEntry is one movement of stock.
type LedgerEntry struct {
	ID            int64     `json:"id"`
	DeltaOnHand   int64     `json:"delta_on_hand"`
	DeltaReserved int64     `json:"delta_reserved"`
	Reason        string    `json:"reason"`
	Reference     string    `json:"reference"`
	Actor         string    `json:"actor"`
	Note          string    `json:"note"`
	At            time.Time `json:"at"`
}

// LedgerPage is the current level and one page of its ledger, newest first.
type LedgerPage struct {
	Level   StockLevel
	Entries []LedgerEntry
	Next    int64 // id to continue before, 0 at the end
	// Count is how many movements the ledger holds; Capped: more than Count
	// (counted no further than LedgerCountCap).
	Count  int64
	Capped bool
}

// LedgerCountCap is how far a ledger's movements are counted.
const LedgerCountCap = 1000

// Ledger returns the ledger of sku at location, newest first, before the id cursor.
func (a *App) Ledger(ctx context.Context, location, sku string, before int64, limit int) (LedgerPage, error) {
	loc, err := a.Read().GetLocationByCode(ctx, location)
	if store.IsNoRows(err) {
		return LedgerPage{}, NotFound("no location %q", location)
	} else if err != nil {
		return LedgerPage{}, fmt.Errorf("get location: %w", err)
	}
	s, err := a.Read().GetSKUByCode(ctx, sku)
	if store.IsNoRows(err) {
		return LedgerPage{}, NotFound("no SKU %q", sku)
	} else if err != nil {
		return LedgerPage{}, fmt.Errorf("get SKU: %w", err)
	}
	lvl, err := a.Read().GetStockLevel(ctx, store.GetStockLevelParams{SkuID: s.ID, LocationID: loc.ID})
	if store.IsNoRows(err) {
		return LedgerPage{}, NotFound("%s has never been stocked at %s", sku, location)
	} else if err != nil {
		return LedgerPage{}, fmt.Errorf("get stock level: %w", err)
	}
	if before <= 0 {
		before = 1<<63 - 1
	}
	limit = ClampLimit(limit)
	rows, err := a.Read().LedgerOf(ctx, store.LedgerOfParams{SkuID: s.ID, LocationID: loc.ID, Before: before, Lim: int64(limit + 1)})
	if err != nil {
		return LedgerPage{}, fmt.Errorf("ledger: %w", err)
	}
	page := LedgerPage{Level: newLevel(location, sku, lvl.OnHand, lvl.Reserved, lvl.SafetyStock, lvl.UpdatedAt)}
	for i, r := range rows {
		if i == limit {
			page.Next = page.Entries[limit-1].ID
			break
		}
		page.Entries = append(page.Entries, LedgerEntry{
			ID: r.ID, DeltaOnHand: r.DeltaOnHand, DeltaReserved: r.DeltaReserved, Reason: r.Reason,
			Reference: r.Reference, Actor: r.Actor, Note: r.Note, At: FromMillis(r.At),
		})
	}
	n, err := a.Read().LedgerCount(ctx, store.LedgerCountParams{SkuID: s.ID, LocationID: loc.ID, Cap: LedgerCountCap + 1})
	if err != nil {
		return LedgerPage{}, fmt.Errorf("ledger count: %w", err)
	}
	page.Count, page.Capped = min(n, LedgerCountCap), n > LedgerCountCap
	return page, nil
}

// StockOverviewQuery selects a page of the stock overview.
type StockOverviewQuery struct {
	Q      string // SKU code prefix or part of its name
	Filter string // "", short, below_safety, zero
	After  string // SKU code of the last row seen
	Limit  int
}

// SKUOverview is one SKU's stock at the locations the viewer sees: each
// level, their sums, and (for those who see the whole network) its ATP per
// active channel.
type SKUOverview struct {
	SKU       string
	Name      string
	Active    bool
	Kit       bool // its levels are what its components allow
	OnHand    int64
	Reserved  int64
	Available int64 // free to promise: on hand less reserved and safety stock
	Short     bool  // some level reserves more than it holds
	Levels    []StockLevel
	ATP       []ChannelATP
}

// StockOverview is one page of the stock overview.
type StockOverview struct {
	SKUs     []SKUOverview
	Channels []Channel // the channels whose ATP the page shows
	Next     string
	// Total is how many SKUs the catalogue holds, on an unfiltered page
	// without search; -1 on others, whose total would mean reading it all.
	Total int64
	// SearchedTo is, for a filtered page that looked at its window of SKUs
	// without filling up, the last code looked at: Next goes on from there.
	SearchedTo string
}

// overviewWindow is how many SKUs a filtered stock page looks at, at most:
// a filter that rarely matches answers in milliseconds, with a Next link to
// look further, rather than reading the whole catalogue at once.
const overviewWindow = 1000

// StockOverview is the stock page: SKUs with their levels summed over the
// locations actor sees (a warehouse user: theirs), filtered by level.
func (a *App) StockOverview(ctx context.Context, actor Actor, q StockOverviewQuery) (StockOverview, error) {
	return a.stockOverview(ctx, actor, q, overviewWindow)
}

// stockOverview is StockOverview with a filtered page looking at window SKUs at most.
func (a *App) stockOverview(ctx context.Context, actor Actor, q StockOverviewQuery, window int64) (StockOverview, error) {
	switch q.Filter {
	case "", FilterShort, FilterBelowSafety, FilterZero:
	default:
		return StockOverview{}, InvalidField("filter", "must be one of: short, below_safety, zero")
	}
	var only int64 // the warehouse user whose locations are seen; 0: every location
	if actor.Kind == ActorUser && actor.Role == RoleWarehouse {
		only = actor.ID
	}
	until, err := a.overviewUntil(ctx, q, window)
	if err != nil {
		return StockOverview{}, err
	}
	limit := ClampLimit(q.Limit)
	rows, err := a.Read().StockOverviewPage(ctx, store.StockOverviewPageParams{
		UserID: only, After: q.After, Until: until, Q: strings.TrimSpace(q.Q), Filter: q.Filter, Lim: int64(limit + 1),
	})
	if err != nil {
		return StockOverview{}, fmt.Errorf("stock overview: %w", err)
	}
	out := StockOverview{Total: -1}
	if until == "" && q.Filter == "" && strings.TrimSpace(q.Q) == "" {
		if out.Total, err = a.Read().CountSKUs(ctx); err != nil {
			return StockOverview{}, fmt.Errorf("count SKUs: %w", err)
		}
	}
	switch {
	case len(rows) > limit:
		rows, out.Next = rows[:limit], rows[limit-1].Code
	case until != "":
		out.Next, out.SearchedTo = until, until
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
		out.SKUs = append(out.SKUs, SKUOverview{SKU: r.Code, Name: r.Name, Active: r.Active == 1})
	}
	if len(ids) == 0 {
		return out, nil
	}
	if err := a.addLevels(ctx, &out, ids, only); err != nil {
		return StockOverview{}, err
	}
	if only == 0 {
		err = a.addATP(ctx, &out)
	}
	return out, err
}

// overviewUntil is the last SKU code a filtered page looks at ("" when the
// page is not filtered, or fewer SKUs than the window are left).
func (a *App) overviewUntil(ctx context.Context, q StockOverviewQuery, window int64) (string, error) {
	if q.Filter == "" && strings.TrimSpace(q.Q) == "" {
		return "", nil
	}
	code, err := a.Read().SKUCodeAhead(ctx, store.SKUCodeAheadParams{After: q.After, Ahead: window})
	if store.IsNoRows(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("stock overview window: %w", err)
	}
	return code, nil
}

// addLevels reads the levels of the page's SKUs and sums them.
func (a *App) addLevels(ctx context.Context, out *StockOverview, skuIDs []int64, only int64) error {
	ids, err := json.Marshal(skuIDs)
	if err != nil {
		return fmt.Errorf("encode SKU ids: %w", err)
	}
	rows, err := a.Read().LevelsOfSKUs(ctx, store.LevelsOfSKUsParams{SkuIds: string(ids), UserID: only})
	if err != nil {
		return fmt.Errorf("levels of SKUs: %w", err)
	}
	index := make(map[int64]int, len(skuIDs))
	for i, id := range skuIDs {
		index[id] = i
	}
	for _, r := range rows {
		o := &out.SKUs[index[r.SkuID]]
		l := newLevel(r.Location, o.SKU, r.OnHand, r.Reserved, r.SafetyStock, r.UpdatedAt)
		o.Levels = append(o.Levels, l)
		o.OnHand, o.Reserved, o.Available = o.OnHand+l.OnHand, o.Reserved+l.Reserved, o.Available+l.Available
		o.Short = o.Short || l.Short
	}
	return a.addKitOverview(ctx, out, string(ids), skuIDs, only)
}

// addKitOverview gives the page's kits what their components allow.
func (a *App) addKitOverview(ctx context.Context, out *StockOverview, idsJSON string, skuIDs []int64, only int64) error {
	kits, err := a.Read().KitIDsAmong(ctx, idsJSON)
	if err != nil {
		return fmt.Errorf("kits of the page: %w", err)
	}
	if len(kits) == 0 {
		return nil
	}
	levels, err := kitLevels(ctx, a.Read(), kits, only)
	if err != nil {
		return err
	}
	isKit := make(map[int64]bool, len(kits))
	for _, id := range kits {
		isKit[id] = true
	}
	for i, id := range skuIDs {
		o := &out.SKUs[i]
		o.Kit = isKit[id]
		for _, l := range levels[id] {
			o.Levels = append(o.Levels, kitStockLevel(o.SKU, l))
			o.Available += l.Available
		}
	}
	return nil
}

// addATP adds each active channel's ATP of the page's SKUs.
func (a *App) addATP(ctx context.Context, out *StockOverview) error {
	chans, err := a.Read().ListChannels(ctx)
	if err != nil {
		return fmt.Errorf("list channels: %w", err)
	}
	codes := make([]string, len(out.SKUs))
	for i, s := range out.SKUs {
		codes[i] = s.SKU
	}
	for _, ch := range chans {
		if ch.Active == 0 {
			continue
		}
		atp, err := a.ATP(ctx, ch, codes)
		if err != nil {
			return err
		}
		c := Channel{Code: ch.Code, Name: ch.Name, Kind: ch.Kind, Buffer: ch.Buffer, Active: true}
		out.Channels = append(out.Channels, c)
		for i := range out.SKUs {
			out.SKUs[i].ATP = append(out.SKUs[i].ATP, channelATP(c, atp[i]))
		}
	}
	return nil
}
