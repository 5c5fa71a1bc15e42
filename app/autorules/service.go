// Package autorules owns the automation rules as ops edit them: the draft,
// publishing a version that never changes, the list of versions, and the
// simulation of the draft on recent orders. The document and its evaluator
// are app/automation (pure); the core runs the published rules in the
// transaction of the change that fires them (app/automate.go).
package autorules

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"switchyard/app"
	"switchyard/app/audit"
	"switchyard/app/automation"
	store "switchyard/sql"
)

// Service is the automation rules' use cases over the core app.
type Service struct{ core *app.App }

// New returns the service over core.
func New(core *app.App) *Service { return &Service{core: core} }

// Info is a version of the automation rules: 0 the draft, 1, 2, ... published.
type Info struct {
	Version int               `json:"version"`
	Draft   bool              `json:"draft"`
	Rules   []automation.Rule `json:"rules"`
	Note    string            `json:"note,omitempty"`
	SavedBy string            `json:"saved_by,omitempty"`
	SavedAt *time.Time        `json:"saved_at,omitempty"`
}

// Get reads the published rules ("" or "published"), the draft ("draft"; the
// newest published version while there is no draft) or a version by number.
func (s *Service) Get(ctx context.Context, which string) (Info, error) {
	q := s.core.Read()
	var row store.AutomationRule
	var err error
	switch which {
	case "", "published":
		row, err = q.LatestAutomationRules(ctx)
	case "draft":
		if row, err = q.GetAutomationRules(ctx, 0); store.IsNoRows(err) {
			row, err = q.LatestAutomationRules(ctx)
			row.Version = 0
		}
	default:
		v, perr := strconv.ParseInt(which, 10, 64)
		if perr != nil || v < 1 {
			return Info{}, app.InvalidField("version", `must be "draft", "published" or a version number`)
		}
		row, err = q.GetAutomationRules(ctx, v)
		if store.IsNoRows(err) {
			return Info{}, app.NotFound("no automation rules version %d", v)
		}
	}
	if store.IsNoRows(err) {
		return Info{Draft: which == "draft", Rules: []automation.Rule{}}, nil
	} else if err != nil {
		return Info{}, fmt.Errorf("automation rules: %w", err)
	}
	return infoOf(row, which == "draft")
}

// infoOf maps a stored version.
func infoOf(row store.AutomationRule, draft bool) (Info, error) {
	var rs automation.RuleSet
	if err := json.Unmarshal([]byte(row.Body), &rs); err != nil {
		return Info{}, fmt.Errorf("automation rules v%d: %w", row.Version, err)
	}
	if rs.Rules == nil {
		rs.Rules = []automation.Rule{}
	}
	at := app.FromMillis(row.SavedAt)
	return Info{Version: int(row.Version), Draft: draft, Rules: rs.Rules, Note: row.Note, SavedBy: row.SavedBy, SavedAt: &at}, nil
}

// Versions lists the published versions, newest first (without their rules).
func (s *Service) Versions(ctx context.Context) ([]Info, error) {
	rows, err := s.core.Read().ListAutomationRuleVersions(ctx)
	if err != nil {
		return nil, fmt.Errorf("automation rule versions: %w", err)
	}
	out := make([]Info, 0, len(rows))
	for _, r := range rows {
		at := app.FromMillis(r.SavedAt)
		out = append(out, Info{Version: int(r.Version), Note: r.Note, SavedBy: r.SavedBy, SavedAt: &at})
	}
	return out, nil
}

// Check validates a rule set against the network (hold reasons, routing
// rules), answering an Invalid error naming each field.
func Check(ctx context.Context, q *store.Queries, rs automation.RuleSet) (*automation.Program, error) {
	known, err := app.AutomationKnown(ctx, q)
	if err != nil {
		return nil, err
	}
	p, err := automation.Compile(rs, known)
	if fe, ok := err.(automation.FieldErrors); ok {
		return nil, app.Invalid("automation rules are invalid", fe)
	}
	return p, err
}

// ParseJSON reads a rule set document as ops paste it, refusing unknown keys.
func ParseJSON(body []byte) (automation.RuleSet, error) {
	var rs automation.RuleSet
	if !utf8.Valid(body) {
		return rs, app.InvalidField("rules", "the document is not UTF-8 text")
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rs); err != nil {
		return rs, app.InvalidField("rules", "not a rule set: "+err.Error())
	}
	return rs, nil
}

// PutDraft checks and stores the draft (ops and admins; API keys with routing:write).
func (s *Service) PutDraft(ctx context.Context, actor app.Actor, rs automation.RuleSet) (Info, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return Info{}, err
	}
	if rs.Rules == nil {
		rs.Rules = []automation.Rule{}
	}
	rs.Version = 0
	err := s.core.Write(ctx, func(tx app.Tx) error {
		if _, err := Check(ctx, tx.Q, rs); err != nil {
			return err
		}
		body, err := json.Marshal(rs)
		if err != nil {
			return fmt.Errorf("encode automation rules: %w", err)
		}
		return tx.Q.SaveAutomationRulesDraft(ctx, store.SaveAutomationRulesDraftParams{Body: string(body),
			SavedAt: app.Millis(tx.Now), SavedBy: actor.Label()})
	})
	if err != nil {
		return Info{}, err
	}
	return s.Get(ctx, "draft")
}

// Publish makes the draft the rules in force as a new version that never changes.
func (s *Service) Publish(ctx context.Context, actor app.Actor, note string) (Info, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return Info{}, err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 500 || !app.IsText(note, true) {
		return Info{}, app.InvalidField("note", "must be text of at most 500 characters")
	}
	var version int64
	err := s.core.Write(ctx, func(tx app.Tx) error {
		draft, err := tx.Q.GetAutomationRules(ctx, 0)
		if store.IsNoRows(err) {
			return app.Conflict("there is no draft to publish: save the automation rules first")
		} else if err != nil {
			return fmt.Errorf("automation rules draft: %w", err)
		}
		var rs automation.RuleSet
		if err := json.Unmarshal([]byte(draft.Body), &rs); err != nil {
			return fmt.Errorf("automation rules draft: %w", err)
		}
		if _, err := Check(ctx, tx.Q, rs); err != nil {
			return err
		}
		version, err = tx.Q.PublishAutomationRules(ctx, store.PublishAutomationRulesParams{Body: draft.Body, Note: note,
			SavedAt: app.Millis(tx.Now), SavedBy: actor.Label()})
		if err != nil {
			return fmt.Errorf("publish automation rules: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: audit.AutomationPublished, ObjectKind: "automation_rules",
			ObjectRef: fmt.Sprint(version), Detail: fmt.Sprintf("published version %d (%d rules)", version, len(rs.Rules))})
	})
	if err != nil {
		return Info{}, err
	}
	return s.Get(ctx, fmt.Sprint(version))
}
