package returns

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"switchyard/app"
	"switchyard/app/audit"
	"switchyard/app/geo"
	store "switchyard/sql"
)

// NewReturn is a return as support, the customer, a channel or the API asks for it.
type NewReturn struct {
	Lines         []LineInput     `json:"lines"`
	Resolution    string          `json:"resolution"`
	ExchangeLines []ExchangeInput `json:"exchange_lines"`
	Location      string          `json:"location"`    // where the goods come back; empty: the return rules choose
	Approve       *bool           `json:"approve"`     // nil: staff's are approved, the API's and customers' requested
	ExternalID    string          `json:"external_id"` // the channel's id for the return
	Note          string          `json:"note" text:"lines"`
	// Override lets an ops manager or admin start a return the policy refuses
	// (outside the window, a final-sale SKU); the override is recorded.
	Override bool `json:"override"`
	// Idempotency is set by the API for requests with an Idempotency-Key.
	Idempotency *app.IdempotencyIn `json:"-"`
}

// LineInput is one line of a new return: an order line's id and how many units.
type LineInput struct {
	Line     int64  `json:"line"`
	Quantity int64  `json:"quantity"`
	Reason   string `json:"reason"`
	Note     string `json:"note" text:"lines"`
}

// ExchangeInput is one line the customer gets instead.
type ExchangeInput struct {
	SKU      string `json:"sku"`
	Quantity int64  `json:"quantity"`
}

// Create starts a return of the order number (support, ops, admins and the
// API). It answers the return; an external_id already taken for the order's
// channel answers that return unchanged (created false).
//
// A store or warehouse lead may take goods back over the counter: they start
// returns to one of their own locations only (store returns of online
// orders), naming it.
func (s *Service) Create(ctx context.Context, actor app.Actor, number string, in NewReturn) (Return, bool, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps, app.RoleSupport, app.RoleWarehouse); err != nil {
		return Return{}, false, err
	}
	counter := actor.Kind == app.ActorUser && actor.Role == app.RoleWarehouse
	if counter && in.Location == "" {
		return Return{}, false, app.InvalidField("location", "name the location that takes the goods back")
	}
	origin := OriginSupport
	if actor.Kind == app.ActorAPIKey {
		origin = OriginAPI
	}
	var id int64
	var created bool
	err := s.core.Write(ctx, func(tx app.Tx) error {
		if counter {
			if err := actor.KnowsLocation(ctx, tx, in.Location); err != nil {
				return app.InvalidField("location", "you take goods back at your own locations only")
			}
		}
		o, err := orderInReach(ctx, tx, actor.Reach(), number)
		if err != nil {
			return err
		}
		row, isNew, err := CreateTx(ctx, tx, actor, origin, o, in)
		if err != nil {
			return err
		}
		id, created = row.ID, isNew
		status := int64(200)
		if isNew {
			status = 201
		}
		return remember(ctx, tx, in.Idempotency, status, row.ID)
	})
	if err != nil {
		return Return{}, false, err
	}
	r, err := s.byID(ctx, id)
	return r, created, err
}

// orderInReach reads the order number inside tx; another channel's order is
// NotFound for a key bound to a channel.
func orderInReach(ctx context.Context, tx app.Tx, reach app.Reach, number string) (store.Order, error) {
	o, err := tx.Q.GetOrderByNumber(ctx, number)
	if store.IsNoRows(err) {
		return store.Order{}, app.NotFound("no order %s", number)
	} else if err != nil {
		return store.Order{}, fmt.Errorf("get order %s: %w", number, err)
	}
	if reach.Limited() {
		ch, err := tx.Q.GetChannel(ctx, o.ChannelID)
		if err != nil {
			return store.Order{}, fmt.Errorf("order's channel: %w", err)
		}
		if !reach.Allows(ch.Code) {
			return store.Order{}, app.NotFound("no order %s", number)
		}
	}
	return o, nil
}

// byID reads a return by row id.
func (s *Service) byID(ctx context.Context, id int64) (Return, error) {
	row, err := s.core.Read().GetReturn(ctx, id)
	if err != nil {
		return Return{}, fmt.Errorf("get return: %w", err)
	}
	return load(ctx, s.core.Read(), row)
}

// CreateTx starts a return of order o inside tx, for actor coming from
// origin. It checks the input, the quantities (never more than shipped and
// not yet on a return, whatever races) and the channel's policy, chooses
// where the goods come back, and writes the return, its timeline entry and
// its webhooks. When the return starts approved, the approval's work
// (an exchange order) is done too. created is false when the channel's
// external id was already taken in.
func CreateTx(ctx context.Context, tx app.Tx, actor app.Actor, origin string, o store.Order, in NewReturn) (store.Return, bool, error) {
	if in.ExternalID != "" {
		row, err := tx.Q.GetReturnByExternal(ctx, store.GetReturnByExternalParams{ChannelID: o.ChannelID, ExternalID: app.NullString(in.ExternalID)})
		if err == nil && row.OrderID != o.ID {
			return store.Return{}, false, app.InvalidField("external_id", fmt.Sprintf("%s is the channel's id of return %s, of another order",
				app.Quote(in.ExternalID), row.Number))
		} else if err == nil {
			return row, false, nil
		} else if !store.IsNoRows(err) {
			return store.Return{}, false, fmt.Errorf("look up return: %w", err)
		}
	}
	lines, err := tx.Q.ListOrderLines(ctx, o.ID)
	if err != nil {
		return store.Return{}, false, fmt.Errorf("order lines: %w", err)
	}
	policy, err := policyOf(ctx, tx.Q, o.ChannelID)
	if err != nil {
		return store.Return{}, false, err
	}
	plan, err := checkNew(ctx, tx, actor, origin, o, lines, policy, in)
	if err != nil {
		return store.Return{}, false, err
	}
	row, err := insertReturn(ctx, tx, actor, origin, o, plan)
	if err != nil {
		return store.Return{}, false, err
	}
	if err := requestedEvents(ctx, tx, actor, o, row, plan); err != nil {
		return store.Return{}, false, err
	}
	if Status(row.Status) == StatusApproved {
		if err := approved(ctx, tx, actor, o, row); err != nil {
			return store.Return{}, false, err
		}
	}
	return row, true, nil
}

// plan is a checked new return.
type plan struct {
	in       NewReturn
	lines    []plannedLine
	exchange []ExchangeInput
	location store.Location
	why      string
	status   Status
	override string
}

// plannedLine is one checked line.
type plannedLine struct {
	input LineInput
	line  store.OrderLine
}

// checkNew checks a new return and decides its location and first status.
func checkNew(ctx context.Context, tx app.Tx, actor app.Actor, origin string, o store.Order, lines []store.OrderLine,
	policy Policy, in NewReturn) (plan, error) {
	f := app.FieldsError{}
	p := plan{in: in}
	checkText(f, &in)
	if !slices.Contains(Resolutions, in.Resolution) {
		f.Add("resolution", "must be one of "+strings.Join(Resolutions, ", "))
	}
	p.lines = checkLines(f, o, lines, in.Lines)
	if in.Resolution == ResolutionExchange {
		p.exchange = checkExchange(ctx, tx, f, in.ExchangeLines)
		checkEvenSwap(f, p.lines, p.exchange)
	} else if len(in.ExchangeLines) > 0 {
		f.Add("exchange_lines", "only an exchange has exchange lines")
	}
	loc, why, err := chooseLocation(ctx, tx, f, o, p.lines, in.Location, actor)
	if err != nil {
		return plan{}, err
	}
	p.location, p.why = loc, why
	if err := f.Err("return is invalid"); err != nil {
		return plan{}, err
	}
	broken, err := policyProblems(ctx, tx, o, p.lines, policy, origin)
	if err != nil {
		return plan{}, err
	}
	if len(broken) > 0 {
		if !in.Override || actor.Kind != app.ActorUser || (actor.Role != app.RoleOps && actor.Role != app.RoleAdmin) {
			for field, msg := range broken {
				if !in.Override {
					msg += " (an ops manager may override the policy)"
				} else {
					msg += " (only an ops manager or an admin may override the policy)"
				}
				f.Add(field, msg)
			}
			return plan{}, f.Err("the return policy refuses this return")
		}
		p.override = overrideWords(broken, actor)
	}
	p.status = firstStatus(actor, origin, policy, in.Approve)
	return p, nil
}

// checkText cleans and limits the free text of a new return.
func checkText(f app.FieldsError, in *NewReturn) {
	in.Note = strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(in.Note) > 1000 {
		f.Add("note", "must be at most 1000 characters")
	}
	if utf8.RuneCountInString(in.ExternalID) > 200 {
		f.Add("external_id", "must be at most 200 characters")
	}
	if strings.TrimSpace(in.ExternalID) != in.ExternalID {
		f.Add("external_id", "must not start or end with spaces")
	}
	for field, problem := range app.CheckStruct(in) {
		f.Add(field, problem)
	}
}

// checkLines checks the lines asked for against the order's lines: each a
// line of this order, once, with a reason, for no more than can come back.
func checkLines(f app.FieldsError, o store.Order, lines []store.OrderLine, in []LineInput) []plannedLine {
	if len(in) == 0 {
		f.Add("lines", "pick at least one line to return")
		return nil
	}
	if len(in) > 200 {
		f.Add("lines", "at most 200 lines")
		return nil
	}
	var out []plannedLine
	seen := map[int64]bool{}
	for i, l := range in {
		field := fmt.Sprintf("lines[%d].", i)
		if !slices.Contains(Reasons, l.Reason) {
			f.Add(field+"reason", "must be one of "+strings.Join(Reasons, ", "))
		}
		idx := slices.IndexFunc(lines, func(ol store.OrderLine) bool { return ol.ID == l.Line })
		if idx < 0 {
			f.Add(field+"line", fmt.Sprintf("%d is not a line of order %s", l.Line, o.Number))
			continue
		}
		ol := lines[idx]
		if seen[l.Line] {
			f.Add(field+"line", fmt.Sprintf("line %d is named twice", ol.LineNo))
			continue
		}
		seen[l.Line] = true
		if utf8.RuneCountInString(l.Note) > 500 {
			f.Add(field+"note", "must be at most 500 characters")
		}
		left := ol.Shipped - ol.ReturnOpen - ol.Returned
		switch {
		case l.Quantity <= 0:
			f.Add(field+"quantity", "must be at least 1")
		case l.Quantity > left:
			f.Add(field+"quantity", quantityProblem(ol, left))
		}
		out = append(out, plannedLine{input: l, line: ol})
	}
	return out
}

// quantityProblem says why no more units of a line can come back.
func quantityProblem(ol store.OrderLine, left int64) string {
	msg := fmt.Sprintf("at most %d of line %d (%s) can be returned: %d shipped", left, ol.LineNo, ol.Sku, ol.Shipped)
	if ol.ReturnOpen > 0 {
		msg += fmt.Sprintf(", %d on open returns", ol.ReturnOpen)
	}
	if ol.Returned > 0 {
		msg += fmt.Sprintf(", %d already returned", ol.Returned)
	}
	return msg
}

// checkExchange checks the lines an exchange sends: known, active SKUs.
func checkExchange(ctx context.Context, tx app.Tx, f app.FieldsError, in []ExchangeInput) []ExchangeInput {
	if len(in) == 0 {
		f.Add("exchange_lines", "an exchange needs at least one line to send")
		return nil
	}
	if len(in) > 100 {
		f.Add("exchange_lines", "at most 100 lines")
		return nil
	}
	var out []ExchangeInput
	for i, x := range in {
		field := fmt.Sprintf("exchange_lines[%d].", i)
		x.SKU = strings.TrimSpace(x.SKU)
		sku, err := tx.Q.GetSKUByCode(ctx, x.SKU)
		switch {
		case x.SKU == "":
			f.Add(field+"sku", "is required")
		case store.IsNoRows(err):
			f.Add(field+"sku", "unknown SKU "+app.Quote(x.SKU))
		case err != nil:
			f.Add(field+"sku", "could not be read")
		case sku.Active != 1:
			f.Add(field+"sku", "SKU "+app.Quote(x.SKU)+" is inactive")
		}
		if x.Quantity <= 0 || x.Quantity > 10000 {
			f.Add(field+"quantity", "must be between 1 and 10000")
		}
		out = append(out, x)
	}
	return out
}

// checkEvenSwap refuses an exchange that sends more units than come back:
// the exchange order is placed at no charge, so it is a swap, never a gift.
func checkEvenSwap(f app.FieldsError, lines []plannedLine, exchange []ExchangeInput) {
	var back, out int64
	for _, l := range lines {
		back += max(0, l.input.Quantity)
	}
	for _, x := range exchange {
		out += max(0, x.Quantity)
	}
	if back > 0 && out > back {
		f.Add("exchange_lines", fmt.Sprintf("an exchange sends at most as many units as come back (%d), not %d", back, out))
	}
}

// policyProblems lists, by field, what the channel's policy refuses: a
// return past the window, a final-sale SKU, a reason the policy does not
// offer to customers. A channel's own returns passed the channel's policy.
func policyProblems(ctx context.Context, tx app.Tx, o store.Order, lines []plannedLine, p Policy, origin string) (map[string]string, error) {
	out := map[string]string{}
	if origin == OriginChannel {
		return out, nil
	}
	start, err := tx.Q.ReturnWindowStart(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("return window: %w", err)
	}
	if start > 0 {
		closes := app.FromMillis(start).Add(time.Duration(p.WindowDays) * 24 * time.Hour)
		if tx.Now.After(closes) {
			out["order"] = fmt.Sprintf("the return window of %d days closed on %s", p.WindowDays, closes.Format("2 Jan 2006"))
		}
	}
	for i, l := range lines {
		if l.line.SkuID.Valid {
			sku, err := tx.Q.GetSKUByID(ctx, l.line.SkuID.Int64)
			if err != nil {
				return nil, fmt.Errorf("get SKU: %w", err)
			}
			if slices.Contains(app.SplitTags(sku.Tags), FinalSaleTag) {
				out[fmt.Sprintf("lines[%d].line", i)] = fmt.Sprintf("%s is final sale and cannot be returned", l.line.Sku)
			}
		}
		if origin == OriginCustomer && !p.Offers(l.input.Reason) {
			out[fmt.Sprintf("lines[%d].reason", i)] = "this shop does not take returns for this reason"
		}
	}
	return out, nil
}

// overrideWords records what the policy refused and who overrode it.
func overrideWords(broken map[string]string, actor app.Actor) string {
	var parts []string
	for _, msg := range broken {
		parts = append(parts, msg)
	}
	slices.Sort(parts)
	return fmt.Sprintf("policy overridden by %s: %s", actor.Label(), strings.Join(parts, "; "))
}

// firstStatus is requested or approved: staff's returns start approved unless
// they say otherwise, the API's only with "approve": true, customers' when the
// policy needs no approval, channels' as the channel said.
func firstStatus(actor app.Actor, origin string, p Policy, approve *bool) Status {
	yes := func(def bool) Status {
		if approve != nil {
			def = *approve
		}
		if def {
			return StatusApproved
		}
		return StatusRequested
	}
	switch origin {
	case OriginCustomer:
		return yes(!p.CustomerNeedsApproval)
	case OriginSupport:
		return yes(true)
	}
	return yes(false)
}

// chooseLocation is the location the caller named (active and taking
// returns), or the return rules' choice.
func chooseLocation(ctx context.Context, tx app.Tx, f app.FieldsError, o store.Order, lines []plannedLine,
	code string, actor app.Actor) (store.Location, string, error) {
	if code != "" {
		loc, err := tx.Q.GetLocationByCode(ctx, code)
		switch {
		case store.IsNoRows(err):
			f.Add("location", "unknown location "+app.Quote(code))
		case err != nil:
			return store.Location{}, "", fmt.Errorf("get location: %w", err)
		case loc.Active != 1:
			f.Add("location", loc.Name+" is inactive")
		case loc.AcceptsReturns != 1:
			f.Add("location", loc.Name+" does not take returns")
		default:
			return loc, fmt.Sprintf("%s, chosen by %s", loc.Name, actor.Label()), nil
		}
		return store.Location{}, "", nil
	}
	choice, ok, err := ruleChoice(ctx, tx, o, lines)
	if err != nil {
		return store.Location{}, "", err
	}
	if !ok {
		f.Add("location", "no active location takes returns: name one")
		return store.Location{}, "", nil
	}
	loc, err := tx.Q.GetLocationByCode(ctx, choice.Location)
	if err != nil {
		return store.Location{}, "", fmt.Errorf("get location: %w", err)
	}
	return loc, choice.Why, nil
}

// ruleChoice asks the published return rules where the lines go back.
func ruleChoice(ctx context.Context, tx app.Tx, o store.Order, lines []plannedLine) (Choice, bool, error) {
	rules, _, err := publishedRules(ctx, tx.Q)
	if err != nil {
		return Choice{}, false, err
	}
	ch, err := tx.Q.GetChannel(ctx, o.ChannelID)
	if err != nil {
		return Choice{}, false, fmt.Errorf("order's channel: %w", err)
	}
	facts := Facts{Channel: ch.Code, Country: o.ShipCountry}
	if o.ShipLat.Valid && o.ShipLon.Valid {
		facts.From, facts.HasFrom = geo.Point{Lat: o.ShipLat.Float64, Lon: o.ShipLon.Float64}, true
	} else if c, ok := geo.Centroid(o.ShipCountry); ok {
		facts.From, facts.HasFrom = c, true
	}
	stocks := map[string]int{}
	var skus int
	for _, l := range lines {
		if !l.line.SkuID.Valid {
			continue
		}
		skus++
		sku, err := tx.Q.GetSKUByID(ctx, l.line.SkuID.Int64)
		if err != nil {
			return Choice{}, false, fmt.Errorf("get SKU: %w", err)
		}
		facts.SKUTags = append(facts.SKUTags, app.SplitTags(sku.Tags)...)
		locs, err := tx.Q.ListReturnLocations(ctx, l.line.SkuID.Int64)
		if err != nil {
			return Choice{}, false, fmt.Errorf("return locations: %w", err)
		}
		for _, loc := range locs {
			if loc.StocksSku {
				stocks[loc.Code]++
			}
		}
	}
	locs, err := tx.Q.ListReturnLocations(ctx, 0)
	if err != nil {
		return Choice{}, false, fmt.Errorf("return locations: %w", err)
	}
	cands := make([]Candidate, 0, len(locs))
	for _, l := range locs {
		cands = append(cands, Candidate{Code: l.Code, Name: l.Name, Kind: l.Kind, At: geo.Point{Lat: l.Lat, Lon: l.Lon},
			StocksAll: skus > 0 && stocks[l.Code] == skus})
	}
	c, ok := Choose(rules, facts, cands)
	return c, ok, nil
}

// insertReturn writes the return and its lines, putting the units on it;
// a unit another return took meanwhile is refused here, in the statement.
func insertReturn(ctx context.Context, tx app.Tx, actor app.Actor, origin string, o store.Order, p plan) (store.Return, error) {
	var reasons []string
	for _, l := range p.lines {
		if !slices.Contains(reasons, l.input.Reason) {
			reasons = append(reasons, l.input.Reason)
		}
	}
	exch, err := json.Marshal(p.exchange)
	if err != nil {
		return store.Return{}, fmt.Errorf("exchange lines: %w", err)
	}
	if p.exchange == nil {
		exch = []byte("[]")
	}
	approvedAt := sql.NullInt64{Int64: app.Millis(tx.Now), Valid: p.status == StatusApproved}
	row, err := tx.Q.InsertReturn(ctx, store.InsertReturnParams{OrderID: o.ID, ChannelID: o.ChannelID, Status: string(p.status),
		Resolution: p.in.Resolution, LocationID: p.location.ID, LocationWhy: p.why, StartedBy: origin, ActorName: actor.Label(),
		ExternalID: app.NullString(p.in.ExternalID), Override: p.override, Note: p.in.Note, Reasons: strings.Join(reasons, " "),
		ExchangeLines: string(exch), RequestedAt: app.Millis(tx.Now), ApprovedAt: approvedAt})
	if err != nil {
		return store.Return{}, fmt.Errorf("insert return: %w", err)
	}
	if p.override != "" {
		if err := audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: audit.PolicyOverridden, ObjectKind: "return",
			ObjectRef: row.Number, Detail: "order " + o.Number + ": " + p.override}); err != nil {
			return store.Return{}, err
		}
	}
	f := app.FieldsError{}
	for i, l := range p.lines {
		n, err := tx.Q.OpenReturnUnits(ctx, store.OpenReturnUnitsParams{Quantity: l.input.Quantity, ID: l.line.ID})
		if err != nil {
			return store.Return{}, fmt.Errorf("put units on the return: %w", err)
		}
		if n == 0 {
			f.Add(fmt.Sprintf("lines[%d].quantity", i), fmt.Sprintf("line %d's units are already on another return", l.line.LineNo))
			continue
		}
		if _, err := tx.Q.InsertReturnLine(ctx, store.InsertReturnLineParams{ReturnID: row.ID, OrderLineID: l.line.ID,
			SkuID: l.line.SkuID, Sku: l.line.Sku, Quantity: l.input.Quantity, UnitPrice: l.line.UnitPrice,
			Reason: l.input.Reason, Note: strings.TrimSpace(l.input.Note)}); err != nil {
			return store.Return{}, fmt.Errorf("insert return line: %w", err)
		}
	}
	return row, f.Err("return is invalid")
}
