package automation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FieldErrors names each problem of a document by its field
// (rules[0].conditions[1].op); the core turns it into a 422.
type FieldErrors map[string]string

// Error lists the problems, sorted by field.
func (f FieldErrors) Error() string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+f[k])
	}
	return "automation rules are invalid: " + strings.Join(parts, "; ")
}

// add notes a problem, keeping the first one of each field.
func (f FieldErrors) add(field, problem string) {
	if _, ok := f[field]; !ok {
		f[field] = problem
	}
}

// Known is what validation checks names against, from outside the document.
type Known struct {
	HoldReasons  []string // the reasons a hold may give
	RoutingRules []string // the published routing rules' names (nil: not checked)
}

// Program is a checked rule set, ready to evaluate.
type Program struct {
	Set   RuleSet
	conds [][]cond
}

// cond is one checked condition with its value parsed for its field's kind.
type cond struct {
	field string
	kind  kind
	op    string
	str   string
	strs  []string
	num   *big.Rat
	nums  []*big.Rat
	b     bool
	days  int
}

// Parse reads a rule set from JSON, refusing unknown keys, and checks it.
func Parse(body []byte, known Known) (*Program, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var rs RuleSet
	if err := dec.Decode(&rs); err != nil {
		return nil, FieldErrors{"rules": "not a rule set: " + err.Error()}
	}
	return Compile(rs, known)
}

// Compile checks every rule of rs and answers the program, or FieldErrors
// naming every problem.
func Compile(rs RuleSet, known Known) (*Program, error) {
	f := FieldErrors{}
	if len(rs.Rules) > MaxRules {
		f.add("rules", fmt.Sprintf("at most %d rules", MaxRules))
		return nil, f
	}
	p := &Program{Set: rs, conds: make([][]cond, len(rs.Rules))}
	names := map[string]int{}
	for i, r := range rs.Rules {
		at := fmt.Sprintf("rules[%d].", i)
		checkName(f, at+"name", r.Name)
		if j, dup := names[strings.ToLower(strings.TrimSpace(r.Name))]; dup && r.Name != "" {
			f.add(at+"name", fmt.Sprintf("the same name as rules[%d]", j))
		}
		names[strings.ToLower(strings.TrimSpace(r.Name))] = i
		if !slices.Contains(Triggers, r.Trigger) {
			f.add(at+"trigger", "unknown trigger "+quote(r.Trigger)+"; one of "+strings.Join(Triggers, ", "))
		}
		p.conds[i] = checkConditions(f, at, r.Conditions)
		checkActions(f, at, r.Actions, known)
	}
	if len(f) > 0 {
		return nil, f
	}
	return p, nil
}

// checkName refuses an empty, long or non-text name.
func checkName(f FieldErrors, field, s string) { checkLine(f, field, s, MaxNameLen, true) }

// isText refuses invalid UTF-8 and control characters.
func isText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r) && r != '\u200d' {
			return false
		}
	}
	return true
}

// checkConditions checks and parses a rule's conditions.
func checkConditions(f FieldErrors, at string, cs []Condition) []cond {
	if len(cs) > MaxConditions {
		f.add(at+"conditions", fmt.Sprintf("at most %d conditions", MaxConditions))
		return nil
	}
	out := make([]cond, 0, len(cs))
	for j, c := range cs {
		field := fmt.Sprintf("%sconditions[%d].", at, j)
		k, ok := fields[c.Field]
		if !ok {
			f.add(field+"field", "unknown field "+quote(c.Field)+"; one of "+strings.Join(FieldNames(), ", "))
			continue
		}
		if !slices.Contains(opsOf[k], c.Op) {
			f.add(field+"op", "unknown operator "+quote(c.Op)+" for "+c.Field+"; one of "+strings.Join(opsOf[k], ", "))
			continue
		}
		cd := cond{field: c.Field, kind: k, op: c.Op, days: c.Days}
		if c.Field == "orders_in_days" {
			if c.Days < 1 || c.Days > MaxDays {
				f.add(field+"days", fmt.Sprintf("must be a number of days from 1 to %d", MaxDays))
			}
		} else if c.Days != 0 {
			f.add(field+"days", "only orders_in_days takes days")
		}
		if problem := parseValue(&cd, c.Value); problem != "" {
			f.add(field+"value", problem)
			continue
		}
		out = append(out, cd)
	}
	return out
}

// parseValue reads a condition's value for its kind and operator.
func parseValue(c *cond, raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return "is required"
	}
	if c.op == OpIn {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil || len(items) == 0 {
			return "must be a list of values for in"
		}
		if len(items) > MaxInValues {
			return fmt.Sprintf("at most %d values", MaxInValues)
		}
		for _, it := range items {
			one := cond{kind: c.kind, op: OpEq}
			if p := parseOne(&one, it); p != "" {
				return p
			}
			c.strs, c.nums = append(c.strs, one.str), append(c.nums, one.num)
		}
		return ""
	}
	return parseOne(c, raw)
}

// parseOne reads a single value for a kind.
func parseOne(c *cond, raw json.RawMessage) string {
	switch c.kind {
	case kBool:
		if err := json.Unmarshal(raw, &c.b); err != nil {
			return "must be true or false"
		}
	case kMoney, kInt:
		s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
		if len(s) > 24 || !isDecimal(s) {
			return "must be a number such as 1000.00"
		}
		n, ok := new(big.Rat).SetString(s)
		if !ok || (c.kind == kInt && !n.IsInt()) {
			return "must be a whole number"
		}
		c.num = n
	default:
		if err := json.Unmarshal(raw, &c.str); err != nil {
			return "must be a string"
		}
		c.str = strings.ToLower(strings.TrimSpace(c.str))
		if c.str == "" || utf8.RuneCountInString(c.str) > MaxNameLen || !isText(c.str) {
			return fmt.Sprintf("must be text of 1 to %d characters", MaxNameLen)
		}
	}
	return ""
}

// isDecimal accepts an optional minus, digits and at most one point.
func isDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	digits, point := 0, false
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.' && !point:
			point = true
		default:
			return false
		}
	}
	return digits > 0
}

// checkActions checks a rule's actions: at least one, each known and complete.
func checkActions(f FieldErrors, at string, as []Action, known Known) {
	if len(as) == 0 {
		f.add(at+"actions", "a rule needs at least one action")
	}
	if len(as) > MaxActions {
		f.add(at+"actions", fmt.Sprintf("at most %d actions", MaxActions))
		return
	}
	for j, a := range as {
		field := fmt.Sprintf("%sactions[%d].", at, j)
		switch a.Action {
		case ActHold:
			if !slices.Contains(known.HoldReasons, a.Reason) {
				f.add(field+"reason", "must be one of "+strings.Join(known.HoldReasons, ", "))
			}
			checkText(f, field+"note", a.Note, false)
		case ActRelease:
		case ActAddTag, ActRemoveTag:
			if t := strings.TrimSpace(a.Tag); t == "" || len(t) > MaxTagLen || strings.ContainsAny(t, ",") || !isText(t) {
				f.add(field+"tag", fmt.Sprintf("must be 1 to %d characters without commas", MaxTagLen))
			}
		case ActNote:
			checkText(f, field+"text", a.Text, true)
		case ActPriority:
			if a.Priority == nil || *a.Priority < 0 || *a.Priority > MaxPriority {
				f.add(field+"priority", fmt.Sprintf("must be a number from 0 to %d", MaxPriority))
			}
		case ActWebhook:
			if e := a.Event; e != "" && (len(e) > 60 || !isEventName(e)) {
				f.add(field+"event", "must be up to 60 lower-case letters, digits, dots and underscores")
			}
		case ActReroute:
			if strings.TrimSpace(a.Rule) == "" {
				f.add(field+"rule", "name the routing rule to route with")
			} else if known.RoutingRules != nil && !slices.Contains(known.RoutingRules, a.Rule) {
				f.add(field+"rule", "no published routing rule is named "+quote(a.Rule))
			}
		default:
			f.add(field+"action", "unknown action "+quote(a.Action)+"; one of "+strings.Join(ActionNames, ", "))
		}
	}
}

// checkText checks an optional (or required) line of words.
func checkText(f FieldErrors, field, s string, required bool) {
	checkLine(f, field, s, MaxTextLen, required)
}

// checkLine checks an optional (or required) line of text of at most most characters.
func checkLine(f FieldErrors, field, s string, most int, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		f.add(field, "is required")
	case utf8.RuneCountInString(s) > most:
		f.add(field, fmt.Sprintf("must be at most %d characters", most))
	case !isText(s):
		f.add(field, "must be text on one line")
	}
}

// isEventName accepts a-z, 0-9, '.' and '_'.
func isEventName(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_') {
			return false
		}
	}
	return true
}

// quote shows a name the user wrote, cut short and safe to print.
func quote(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		s = string([]rune(s)[:40]) + "…"
	}
	return fmt.Sprintf("%q", s)
}
