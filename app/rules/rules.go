package rules

import (
	"switchyard/app"

	"context"
	"encoding/json"
	"fmt"
	"time"

	"switchyard/app/audit"
	"switchyard/app/routing"
	store "switchyard/sql"
)

// RuleSetInfo is a version of the routing rules with who published it and when.
type RuleSetInfo struct {
	Rules       routing.RuleSet
	Draft       bool
	UpdatedBy   string
	UpdatedAt   time.Time
	PublishedBy string
	PublishedAt *time.Time
}

// RulesVersion reads the published rules ("" or "published"), the draft
// ("draft") or a version by number.
func (a *Service) RulesVersion(ctx context.Context, which string) (RuleSetInfo, error) {
	var row store.RoutingRule
	var err error
	switch which {
	case "", "published":
		row, err = a.core.Read().GetPublishedRules(ctx)
		if store.IsNoRows(err) {
			return RuleSetInfo{Rules: routing.RuleSet{Rules: []routing.Rule{}}}, nil
		}
	case "draft":
		row, err = a.core.Read().GetRules(ctx, 0)
	default:
		var v int64
		if _, scanErr := fmt.Sscanf(which, "%d", &v); scanErr != nil || v < 1 {
			return RuleSetInfo{}, app.InvalidField("version", `must be "draft", "published" or a version number`)
		}
		row, err = a.core.Read().GetRules(ctx, v)
		if store.IsNoRows(err) {
			return RuleSetInfo{}, app.NotFound("no routing rules version %d", v)
		}
	}
	if err != nil {
		return RuleSetInfo{}, fmt.Errorf("read routing rules: %w", err)
	}
	return ruleInfo(row)
}

// ruleInfo maps a stored version.
func ruleInfo(row store.RoutingRule) (RuleSetInfo, error) {
	rs, err := app.ParseRules(row)
	if err != nil {
		return RuleSetInfo{}, err
	}
	if rs.Rules == nil {
		rs.Rules = []routing.Rule{}
	}
	info := RuleSetInfo{Rules: rs, Draft: row.Version == 0, UpdatedBy: row.UpdatedBy, UpdatedAt: app.FromMillis(row.UpdatedAt), PublishedBy: row.PublishedBy}
	if row.PublishedAt.Valid {
		t := app.FromMillis(row.PublishedAt.Int64)
		info.PublishedAt = &t
	}
	return info, nil
}

// PutDraftRules replaces the draft rules after checking them; published
// versions are not touched.
func (a *Service) PutDraftRules(ctx context.Context, actor app.Actor, rs routing.RuleSet) (RuleSetInfo, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return RuleSetInfo{}, err
	}
	if rs.Rules == nil {
		rs.Rules = []routing.Rule{}
	}
	if errs := rs.Validate(); errs != nil {
		return RuleSetInfo{}, app.Invalid("routing rules are invalid", errs)
	}
	rs.Version = 0
	body, err := json.Marshal(rs)
	if err != nil {
		return RuleSetInfo{}, fmt.Errorf("encode rules: %w", err)
	}
	err = a.core.Write(ctx, func(tx app.Tx) error {
		return tx.Q.PutDraftRules(ctx, store.PutDraftRulesParams{Rules: string(body), UpdatedBy: actor.Label(), UpdatedAt: app.Millis(tx.Now)})
	})
	if err != nil {
		return RuleSetInfo{}, fmt.Errorf("store draft rules: %w", err)
	}
	return a.RulesVersion(ctx, "draft")
}

// PublishRules makes the draft the active rules, as a new immutable version.
func (a *Service) PublishRules(ctx context.Context, actor app.Actor) (RuleSetInfo, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return RuleSetInfo{}, err
	}
	var version int64
	err := a.core.Write(ctx, func(tx app.Tx) error {
		draft, err := tx.Q.GetRules(ctx, 0)
		if err != nil {
			return fmt.Errorf("read draft: %w", err)
		}
		rs, err := app.ParseRules(draft)
		if err != nil {
			return err
		}
		if errs := rs.Validate(); errs != nil {
			return app.Invalid("the draft rules are invalid: fix them before publishing", errs)
		}
		version, err = tx.Q.PublishRules(ctx, store.PublishRulesParams{PublishedBy: actor.Label(), PublishedAt: app.NullInt(app.Millis(tx.Now))})
		if err != nil {
			return fmt.Errorf("publish rules: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: audit.RulesPublished, ObjectKind: "routing_rules",
			ObjectRef: fmt.Sprint(version), Detail: fmt.Sprintf("published version %d (%d rules)", version, len(rs.Rules))})
	})
	if err != nil {
		return RuleSetInfo{}, err
	}
	return a.RulesVersion(ctx, fmt.Sprint(version))
}

// RuleVersions lists every version, newest first, the draft (0) last.
func (a *Service) RuleVersions(ctx context.Context) ([]RuleSetInfo, error) {
	rows, err := a.core.Read().ListRuleVersions(ctx)
	if err != nil {
		return nil, fmt.Errorf("list rule versions: %w", err)
	}
	out := make([]RuleSetInfo, 0, len(rows))
	for _, r := range rows {
		info := RuleSetInfo{Rules: routing.RuleSet{Version: int(r.Version)}, Draft: r.Version == 0, UpdatedBy: r.UpdatedBy,
			UpdatedAt: app.FromMillis(r.UpdatedAt), PublishedBy: r.PublishedBy}
		if r.PublishedAt.Valid {
			t := app.FromMillis(r.PublishedAt.Int64)
			info.PublishedAt = &t
		}
		out = append(out, info)
	}
	return out, nil
}
