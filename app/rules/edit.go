package rules

import (
	"switchyard/app"

	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"switchyard/app/routing"
)

// AddDraftRule appends r to the draft. It starts disabled, and is named
// "New rule N" when it has no name. It returns the draft and the rule's index.
func (a *Service) AddDraftRule(ctx context.Context, actor app.Actor, r routing.Rule) (RuleSetInfo, int, error) {
	index := 0
	info, err := a.editDraft(ctx, actor, func(rules []routing.Rule) ([]routing.Rule, error) {
		r.Name = strings.TrimSpace(r.Name)
		if r.Name == "" {
			r.Name = newRuleName(rules)
		}
		r.Enabled = false
		index = len(rules)
		return append(rules, r), nil
	})
	return info, index, err
}

// UpdateDraftRule replaces the draft's rule at index.
func (a *Service) UpdateDraftRule(ctx context.Context, actor app.Actor, index int, r routing.Rule) (RuleSetInfo, error) {
	return a.editDraft(ctx, actor, func(rules []routing.Rule) ([]routing.Rule, error) {
		if err := checkRuleIndex(rules, index); err != nil {
			return nil, err
		}
		rules[index] = r
		return rules, nil
	})
}

// CheckDraftRule finds every problem the draft would have with r as its rule
// at index, writing nothing: for an editor that found problems of its own
// first, so that one submit shows them all.
func (a *Service) CheckDraftRule(ctx context.Context, actor app.Actor, index int, r routing.Rule) error {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return err
	}
	draft, err := a.RulesVersion(ctx, "draft")
	if err != nil {
		return err
	}
	rules := slices.Clone(draft.Rules.Rules)
	if err := checkRuleIndex(rules, index); err != nil {
		return err
	}
	rules[index] = r
	if errs := (routing.RuleSet{Rules: rules}).Validate(); errs != nil {
		return app.Invalid("routing rules are invalid", errs)
	}
	return nil
}

// MoveDraftRule moves the draft's rule at index one place up (delta -1) or
// down (+1); a rule already first or last stays where it is.
func (a *Service) MoveDraftRule(ctx context.Context, actor app.Actor, index, delta int) (RuleSetInfo, error) {
	if delta != -1 && delta != 1 {
		return RuleSetInfo{}, app.InvalidField("delta", "must be -1 (up) or 1 (down)")
	}
	return a.editDraft(ctx, actor, func(rules []routing.Rule) ([]routing.Rule, error) {
		if err := checkRuleIndex(rules, index); err != nil {
			return nil, err
		}
		if to := index + delta; to >= 0 && to < len(rules) {
			rules[index], rules[to] = rules[to], rules[index]
		}
		return rules, nil
	})
}

// ToggleDraftRule enables the draft's rule at index if it is disabled, and disables it otherwise.
func (a *Service) ToggleDraftRule(ctx context.Context, actor app.Actor, index int) (RuleSetInfo, error) {
	return a.editDraft(ctx, actor, func(rules []routing.Rule) ([]routing.Rule, error) {
		if err := checkRuleIndex(rules, index); err != nil {
			return nil, err
		}
		rules[index].Enabled = !rules[index].Enabled
		return rules, nil
	})
}

// DeleteDraftRule removes the draft's rule at index.
func (a *Service) DeleteDraftRule(ctx context.Context, actor app.Actor, index int) (RuleSetInfo, error) {
	return a.editDraft(ctx, actor, func(rules []routing.Rule) ([]routing.Rule, error) {
		if err := checkRuleIndex(rules, index); err != nil {
			return nil, err
		}
		return slices.Delete(rules, index, index+1), nil
	})
}

// ImportDraftRules replaces the draft with the rules of a JSON export
// ({"version": N, "rules": [...]}, as the API returns them); a malformed file
// is refused with what is wrong and where, and nothing changes.
func (a *Service) ImportDraftRules(ctx context.Context, actor app.Actor, data []byte) (RuleSetInfo, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return RuleSetInfo{}, err
	}
	rs, err := decodeRulesJSON(data)
	if err != nil {
		return RuleSetInfo{}, err
	}
	return a.PutDraftRules(ctx, actor, rs)
}

// editDraft reads the draft's rules, lets edit change them and stores the
// result through PutDraftRules, which validates it.
func (a *Service) editDraft(ctx context.Context, actor app.Actor, edit func(rules []routing.Rule) ([]routing.Rule, error)) (RuleSetInfo, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return RuleSetInfo{}, err
	}
	draft, err := a.RulesVersion(ctx, "draft")
	if err != nil {
		return RuleSetInfo{}, err
	}
	rules, err := edit(slices.Clone(draft.Rules.Rules))
	if err != nil {
		return RuleSetInfo{}, err
	}
	return a.PutDraftRules(ctx, actor, routing.RuleSet{Rules: rules})
}

// checkRuleIndex refuses an index that names no rule.
func checkRuleIndex(rules []routing.Rule, index int) error {
	if index < 0 || index >= len(rules) {
		return app.NotFound("the draft has no rule #%d (it has %d)", index+1, len(rules))
	}
	return nil
}

// newRuleName is the first "New rule N" (from the number of rules plus one) that no rule uses.
func newRuleName(rules []routing.Rule) string {
	for n := len(rules) + 1; ; n++ {
		name := fmt.Sprintf("New rule %d", n)
		if !slices.ContainsFunc(rules, func(r routing.Rule) bool { return strings.EqualFold(strings.TrimSpace(r.Name), name) }) {
			return name
		}
	}
}

// rulesFile is the JSON of an export: the API's shape, whose extra fields are accepted and ignored.
type rulesFile struct {
	Version     json.RawMessage `json:"version"`
	Rules       *[]routing.Rule `json:"rules"`
	Draft       json.RawMessage `json:"draft"`
	UpdatedBy   json.RawMessage `json:"updated_by"`
	UpdatedAt   json.RawMessage `json:"updated_at"`
	PublishedBy json.RawMessage `json:"published_by"`
	PublishedAt json.RawMessage `json:"published_at"`
}

// rulesShape reminds what a rules file looks like.
const rulesShape = `{"version": 1, "rules": [...]}`

// decodeRulesJSON reads an export strictly: unknown fields are refused so a typo never goes unnoticed.
func decodeRulesJSON(data []byte) (routing.RuleSet, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return routing.RuleSet{}, app.Invalid("the JSON is empty: give an export of the rules, "+rulesShape, nil)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var f rulesFile
	if err := dec.Decode(&f); err != nil {
		return routing.RuleSet{}, app.Invalid(describeJSONError(data, err), nil)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return routing.RuleSet{}, app.Invalid("the JSON goes on after the rule set: give one object, "+rulesShape, nil)
	}
	if f.Rules == nil {
		return routing.RuleSet{}, app.Invalid(`the JSON has no "rules" list: give an export of the rules, `+rulesShape, nil)
	}
	return routing.RuleSet{Rules: *f.Rules}, nil
}

// describeJSONError says what is wrong with a rules file, and where.
func describeJSONError(data []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := lineCol(data, syn.Offset-1) // Offset counts the bad character
		return fmt.Sprintf("the JSON is malformed at line %d, column %d: %s", line, col, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends too early: is the file complete?"
	case errors.As(err, &typ):
		line, _ := lineCol(data, typ.Offset)
		field := typ.Field
		if field == "" {
			field = "the rule set"
		}
		return fmt.Sprintf("%s must be %s, not %s (line %d)", field, jsonKind(typ.Type), withArticleJSON(typ.Value), line)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "the JSON has an " + strings.TrimPrefix(err.Error(), "json: ") + ": the fields are those of an export"
	}
	return "the JSON cannot be read: " + strings.TrimPrefix(err.Error(), "json: ")
}

// lineCol turns the 0-based byte position of a character into a 1-based line and column.
func lineCol(data []byte, pos int64) (int, int) {
	pos = min(max(pos, 0), int64(len(data)))
	before := data[:pos]
	line := bytes.Count(before, []byte("\n")) + 1
	return line, int(pos) - (bytes.LastIndexByte(before, '\n') + 1) + 1
}

// jsonKind names what a Go type expects, in JSON words.
func jsonKind(t reflect.Type) string {
	if t == reflect.TypeFor[routing.Decimal]() {
		return `an amount such as "50.00"`
	}
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "a whole number"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Slice:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem()) + " or null"
	}
	return t.String()
}

// withArticleJSON says "a string", "an array" for a JSON value kind.
func withArticleJSON(v string) string {
	if v != "" && strings.ContainsRune("aeiou", rune(v[0])) {
		return "an " + v
	}
	return "a " + v
}
