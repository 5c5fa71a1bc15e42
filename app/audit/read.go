package audit

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"switchyard/app"
	store "switchyard/sql"
)

// Service reads the audit log and keeps its retention.
type Service struct{ core *app.App }

// New returns the audit service over core.
func New(core *app.App) *Service { return &Service{core: core} }

// Query is what the log is asked for; empty fields select everything.
type Query struct {
	Action     string
	Actor      string    // the actor's name, as the log shows it (any case)
	ObjectKind string    // user, api_key, channel, …
	ObjectRef  string    // which one
	From       time.Time // at or after (zero: any)
	To         time.Time // before (zero: any)
	After      string    // the cursor of the page to continue from
	Limit      int
}

// Item is one entry of the log as read.
type Item struct {
	ID         int64
	At         time.Time
	ActorKind  string
	ActorID    int64
	Actor      string
	IP         string
	Action     string
	ObjectKind string
	ObjectRef  string
	Detail     string
}

// Page is a page of the log, newest first.
type Page struct {
	Items  []Item
	Next   string // the cursor of the next page, "" at the end
	Count  int64  // the entries that match the filters, counted up to countMost
	Capped bool   // more than Count match
}

// countMost is how far the entries that match are counted.
const countMost = 10_000

// List reads a page of the log under q's filters, newest first.
func (s *Service) List(ctx context.Context, q Query) (Page, error) {
	p, err := params(q)
	if err != nil {
		return Page{}, err
	}
	rows, err := s.rows(ctx, p)
	if err != nil {
		return Page{}, err
	}
	var page Page
	limit := int(p.Lim) - 1
	for i, r := range rows {
		if i == limit {
			last := rows[i-1]
			page.Next = fmt.Sprintf("%d.%d", last.At, last.ID)
			break
		}
		page.Items = append(page.Items, itemOf(r))
	}
	n, err := s.core.Read().CountAudit(ctx, store.CountAuditParams{FromAt: p.FromAt, ToAt: p.ToAt, Action: p.Action,
		Actor: p.Actor, ObjectKind: p.ObjectKind, ObjectRef: p.ObjectRef, Most: countMost + 1})
	if err != nil {
		return Page{}, fmt.Errorf("count audit entries: %w", err)
	}
	page.Count, page.Capped = min(n, countMost), n > countMost
	return page, nil
}

// params turns q into the query's parameters, refusing a bad cursor or action.
func params(q Query) (store.ListAuditPageParams, error) {
	p := store.ListAuditPageParams{AfterAt: math.MaxInt64, AfterID: math.MaxInt64, ToAt: math.MaxInt64,
		Action: q.Action, Actor: strings.TrimSpace(q.Actor), ObjectKind: q.ObjectKind, ObjectRef: q.ObjectRef,
		Lim: int64(app.ClampLimit(q.Limit) + 1)}
	f := app.FieldsError{}
	if q.Action != "" && !known(q.Action) {
		f.Add("action", "is not an action of the audit log")
	}
	if !q.From.IsZero() {
		p.FromAt = app.Millis(q.From)
	}
	if !q.To.IsZero() {
		p.ToAt = app.Millis(q.To)
	}
	if q.After != "" {
		var ok bool
		if p.AfterAt, p.AfterID, ok = app.ParseCursor(q.After); !ok {
			f.Add("after", "is not a page cursor")
		}
	}
	return p, f.Err("check the filters")
}

// known reports whether action is one the log records.
func known(action string) bool {
	for _, a := range Actions {
		if a == action {
			return true
		}
	}
	return false
}

// itemOf reads a row.
func itemOf(r store.AuditLog) Item {
	return Item{ID: r.ID, At: app.FromMillis(r.At), ActorKind: r.ActorKind, ActorID: r.ActorID, Actor: r.ActorName,
		IP: r.Ip, Action: r.Action, ObjectKind: r.ObjectKind, ObjectRef: r.ObjectRef, Detail: r.Detail}
}

// rows reads one page through the query whose index leads with the most
// selective filter given: object, actor, action, else time alone.
func (s *Service) rows(ctx context.Context, p store.ListAuditPageParams) ([]store.AuditLog, error) {
	q := s.core.Read()
	var rows []store.AuditLog
	var err error
	switch {
	case p.ObjectKind != "" && p.ObjectRef != "":
		rows, err = q.ListAuditPageByObject(ctx, store.ListAuditPageByObjectParams(p))
	case p.Actor != "":
		rows, err = q.ListAuditPageByActor(ctx, store.ListAuditPageByActorParams(p))
	case p.Action != "":
		rows, err = q.ListAuditPageByAction(ctx, store.ListAuditPageByActionParams(p))
	default:
		rows, err = q.ListAuditPage(ctx, p)
	}
	if err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	return rows, nil
}
