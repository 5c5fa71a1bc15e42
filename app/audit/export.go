package audit

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"switchyard/app/imports"
)

// exportHeader is the first row of the audit CSV.
var exportHeader = []string{"at", "actor_kind", "actor_id", "actor", "ip", "action", "object_kind", "object_ref", "detail"}

// Export writes every entry q's filters select (newest first) as CSV to w,
// each cell protected against spreadsheet formulas; times are in zone.
// q.After and q.Limit are ignored.
func (s *Service) Export(ctx context.Context, q Query, zone *time.Location, w io.Writer) error {
	q.After, q.Limit = "", 500
	p, err := params(q)
	if err != nil {
		return err
	}
	cw := imports.NewSafeCSVWriter(w)
	if err := cw.Write(exportHeader); err != nil {
		return fmt.Errorf("write audit CSV: %w", err)
	}
	for {
		rows, err := s.rows(ctx, p)
		if err != nil {
			return err
		}
		for _, r := range rows {
			it := itemOf(r)
			rec := []string{it.At.In(zone).Format(time.RFC3339), it.ActorKind, strconv.FormatInt(it.ActorID, 10), it.Actor,
				it.IP, it.Action, it.ObjectKind, it.ObjectRef, it.Detail}
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("write audit CSV: %w", err)
			}
		}
		if int64(len(rows)) < p.Lim {
			break
		}
		last := rows[len(rows)-1]
		p.AfterAt, p.AfterID = last.At, last.ID
	}
	if err := cw.Flush(); err != nil {
		return fmt.Errorf("write audit CSV: %w", err)
	}
	return nil
}
