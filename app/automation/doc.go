// Package automation is the automation rules as a document: a rule set
// (version, rules with a trigger, conditions and actions), its parsing and
// validation with errors that name the field (rules[0].conditions[1].op), and
// a pure evaluator that, given a trigger and an order's facts, answers the
// actions to take in rule order. It has no database, no clock and no HTTP:
// the core gathers the facts and applies the actions in the transaction of
// the change that triggered them.
package automation
