package returns

import (
	"context"
	"strings"
	"testing"
	"time"

	"switchyard/app/audit"
)

func TestPolicyOverrideIsAudited(t *testing.T) {
	a, c := network(t)
	s, ctx := svc(a), context.Background()
	o := delivered(t, a, "AU1", 1)
	c.Add(31 * 24 * time.Hour)
	in := NewReturn{Resolution: ResolutionRefund, Override: true, Lines: []LineInput{{Line: o.Lines[0].ID, Quantity: 1, Reason: "late"}}}
	r, _, err := s.Create(audit.WithIP(ctx, "192.0.2.4"), ops, o.Number, in)
	if err != nil {
		t.Fatal(err)
	}
	p, err := audit.New(a).List(ctx, audit.Query{Action: audit.PolicyOverridden})
	if err != nil || len(p.Items) != 1 {
		t.Fatalf("override entries: %+v, %v", p.Items, err)
	}
	it := p.Items[0]
	if it.ObjectRef != r.Number || it.Actor != ops.Name || it.IP != "192.0.2.4" || !strings.Contains(it.Detail, "return window") {
		t.Errorf("override entry %+v", it)
	}
}
