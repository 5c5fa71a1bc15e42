package returns

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"switchyard/app"
	"switchyard/app/audit"
	"switchyard/app/geo"
	store "switchyard/sql"
)

// RuleSet is a version of the return rules: 0 the draft, 1, 2, ... published.
type RuleSet struct {
	Version int64     `json:"version"`
	Rules   []Rule    `json:"rules"`
	Note    string    `json:"note,omitempty"`
	SavedAt time.Time `json:"saved_at"`
	SavedBy string    `json:"saved_by"`
}

// publishedRules reads the newest published return rules (none: no rules,
// version 0, and the nearest location decides).
func publishedRules(ctx context.Context, q *store.Queries) ([]Rule, int64, error) {
	row, err := q.LatestReturnRules(ctx)
	if store.IsNoRows(err) {
		return nil, 0, nil
	} else if err != nil {
		return nil, 0, fmt.Errorf("return rules: %w", err)
	}
	var rules []Rule
	if err := json.Unmarshal([]byte(row.Body), &rules); err != nil {
		return nil, 0, fmt.Errorf("return rules v%d: %w", row.Version, err)
	}
	return rules, row.Version, nil
}

// Rules reads the draft (version 0) or a published version of the return
// rules. Without a draft the draft is the newest published version.
func (s *Service) Rules(ctx context.Context, version int64) (RuleSet, error) {
	row, err := s.core.Read().GetReturnRules(ctx, version)
	if store.IsNoRows(err) && version == 0 {
		row, err = s.core.Read().LatestReturnRules(ctx)
		if store.IsNoRows(err) {
			return RuleSet{Rules: []Rule{}}, nil
		}
	}
	if store.IsNoRows(err) {
		return RuleSet{}, app.NotFound("no return rules version %d", version)
	} else if err != nil {
		return RuleSet{}, fmt.Errorf("return rules: %w", err)
	}
	set := RuleSet{Version: row.Version, Note: row.Note, SavedAt: app.FromMillis(row.SavedAt), SavedBy: row.SavedBy}
	if err := json.Unmarshal([]byte(row.Body), &set.Rules); err != nil {
		return RuleSet{}, fmt.Errorf("return rules v%d: %w", row.Version, err)
	}
	if version == 0 {
		set.Version = 0
	}
	return set, nil
}

// Versions lists the published versions of the return rules, newest first.
func (s *Service) Versions(ctx context.Context) ([]RuleSet, error) {
	rows, err := s.core.Read().ListReturnRuleVersions(ctx)
	if err != nil {
		return nil, fmt.Errorf("return rule versions: %w", err)
	}
	out := make([]RuleSet, 0, len(rows))
	for _, r := range rows {
		out = append(out, RuleSet{Version: r.Version, Note: r.Note, SavedAt: app.FromMillis(r.SavedAt), SavedBy: r.SavedBy})
	}
	return out, nil
}

// SaveDraft checks and stores the draft return rules (ops and admins).
func (s *Service) SaveDraft(ctx context.Context, actor app.Actor, rules []Rule) error {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return err
	}
	return s.core.Write(ctx, func(tx app.Tx) error {
		if err := checkRules(ctx, tx.Q, rules); err != nil {
			return err
		}
		body, err := json.Marshal(rules)
		if err != nil {
			return fmt.Errorf("return rules: %w", err)
		}
		return tx.Q.SaveReturnRulesDraft(ctx, store.SaveReturnRulesDraftParams{Body: string(body), SavedAt: app.Millis(tx.Now),
			SavedBy: actor.Label()})
	})
}

// Publish makes the draft the rules in force, as a new version, and answers it.
func (s *Service) Publish(ctx context.Context, actor app.Actor, note string) (int64, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return 0, err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 500 {
		return 0, app.InvalidField("note", "must be at most 500 characters")
	}
	if !app.IsText(note, true) {
		return 0, app.InvalidField("note", app.NotTextProblem)
	}
	var version int64
	err := s.core.Write(ctx, func(tx app.Tx) error {
		draft, err := tx.Q.GetReturnRules(ctx, 0)
		if store.IsNoRows(err) {
			return app.Conflict("there is no draft to publish: save the rules first")
		} else if err != nil {
			return fmt.Errorf("return rules draft: %w", err)
		}
		var rules []Rule
		if err := json.Unmarshal([]byte(draft.Body), &rules); err != nil {
			return fmt.Errorf("return rules draft: %w", err)
		}
		if err := checkRules(ctx, tx.Q, rules); err != nil {
			return err
		}
		version, err = tx.Q.PublishReturnRules(ctx, store.PublishReturnRulesParams{Body: draft.Body, Note: note,
			SavedAt: app.Millis(tx.Now), SavedBy: actor.Label()})
		if err != nil {
			return fmt.Errorf("publish return rules: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: audit.ReturnRulesPublished, ObjectKind: "return_rules",
			ObjectRef: fmt.Sprint(version), Detail: fmt.Sprintf("published version %d (%d rules)", version, len(rules))})
	})
	return version, err
}

// checkRules refuses rules naming unknown channels, countries or locations.
func checkRules(ctx context.Context, q *store.Queries, rules []Rule) error {
	f := app.FieldsError{}
	if len(rules) > 200 {
		f.Add("rules", "at most 200 rules")
	}
	for i, r := range rules {
		field := fmt.Sprintf("rules[%d].", i)
		if utf8.RuneCountInString(r.Name) > 100 {
			f.Add(field+"name", "must be at most 100 characters")
		}
		if r.Channel != "" {
			if _, err := q.GetChannelByCode(ctx, r.Channel); store.IsNoRows(err) {
				f.Add(field+"channel", "unknown channel "+app.Quote(r.Channel))
			} else if err != nil {
				return fmt.Errorf("get channel: %w", err)
			}
		}
		if r.Country != "" && !geo.ValidCountry(strings.ToUpper(r.Country)) {
			f.Add(field+"country", "must be an ISO 3166-1 alpha-2 code")
		}
		if utf8.RuneCountInString(r.SKUTag) > 50 {
			f.Add(field+"sku_tag", "must be at most 50 characters")
		}
		switch loc, err := q.GetLocationByCode(ctx, r.Location); {
		case r.Location == Nearest:
		case r.Location == "":
			f.Add(field+"location", `name a location, or "nearest"`)
		case store.IsNoRows(err):
			f.Add(field+"location", "unknown location "+app.Quote(r.Location))
		case err != nil:
			return fmt.Errorf("get location: %w", err)
		case loc.AcceptsReturns != 1:
			f.Add(field+"location", loc.Name+" does not take returns")
		}
		for _, field2 := range app.CheckStruct(r) {
			f.Add(field+"name", field2)
		}
	}
	return f.Err("return rules are invalid")
}

// Preview says where a return of every shipped line of the order number
// would go under the published rules, and why.
func (s *Service) Preview(ctx context.Context, number string) (Choice, error) {
	tx := app.Tx{Q: s.core.Read(), Now: s.core.Now()}
	o, err := orderInReach(ctx, tx, app.Everywhere, number)
	if err != nil {
		return Choice{}, err
	}
	lines, err := tx.Q.ListOrderLines(ctx, o.ID)
	if err != nil {
		return Choice{}, fmt.Errorf("order lines: %w", err)
	}
	var planned []plannedLine
	for _, l := range lines {
		if l.Shipped > 0 {
			planned = append(planned, plannedLine{line: l})
		}
	}
	c, ok, err := ruleChoice(ctx, tx, o, planned)
	if err != nil {
		return Choice{}, err
	}
	if !ok {
		return Choice{}, app.Conflict("no active location takes returns")
	}
	return c, nil
}
