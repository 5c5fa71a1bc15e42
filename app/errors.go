package app

import (
	"errors"
	"fmt"
	"time"
)

// Kind is the small set of ways a use case can refuse a request.
type Kind string

// The kinds of refusal; the web layer maps each to one status and one page.
const (
	KindInvalid      Kind = "invalid"      // the input is wrong: 422 with field errors
	KindNotFound     Kind = "not_found"    // no such object (or not yours to see): 404
	KindConflict     Kind = "conflict"     // the object's state forbids the move: 409
	KindForbidden    Kind = "forbidden"    // signed in, but not allowed: 403
	KindUnauthorized Kind = "unauthorized" // not signed in, or bad credentials: 401
	KindTooMany      Kind = "too_many"     // throttled: 429
	KindUpstream     Kind = "upstream"     // a channel's own system failed or refused us: 502
)

// Error is a refusal a person can read: a sentence, and per-field messages.
type Error struct {
	Kind       Kind
	Message    string
	Fields     map[string]string // field name -> what is wrong with it
	RetryAfter time.Duration     // for KindTooMany
}

// Error is the message, with the fields and their problems when there are some.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	return fmt.Sprintf("%s: %v", e.Message, e.Fields)
}

// Invalid is a refusal of bad input, with the message for each bad field.
func Invalid(message string, fields map[string]string) *Error {
	return &Error{Kind: KindInvalid, Message: message, Fields: fields}
}

// InvalidField is a refusal of one bad field.
func InvalidField(field, problem string) *Error {
	return Invalid(field+": "+problem, map[string]string{field: problem})
}

// NotFound says that what was asked for does not exist.
func NotFound(format string, args ...any) *Error {
	return &Error{Kind: KindNotFound, Message: fmt.Sprintf(format, args...)}
}

// Conflict says that the current state forbids the request.
func Conflict(format string, args ...any) *Error {
	return &Error{Kind: KindConflict, Message: fmt.Sprintf(format, args...)}
}

// Forbidden says that this user or key may not do this.
func Forbidden(format string, args ...any) *Error {
	return &Error{Kind: KindForbidden, Message: fmt.Sprintf(format, args...)}
}

// Unauthorized says that the credentials are missing or wrong.
func Unauthorized(format string, args ...any) *Error {
	return &Error{Kind: KindUnauthorized, Message: fmt.Sprintf(format, args...)}
}

// Upstream says that a channel's own system (a store's REST API) could not
// be read, or refused the request.
func Upstream(format string, args ...any) *Error {
	return &Error{Kind: KindUpstream, Message: fmt.Sprintf(format, args...)}
}

// ErrorKind returns the kind of an app error anywhere in err's chain, or "".
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// AsError finds the app error in err's chain.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
