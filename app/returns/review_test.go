package returns

import (
	"context"
	"testing"
)

// The note of a published version of the return rules is text: anything
// else is refused naming note, and nothing is published.
func TestPublishNoteMustBeText(t *testing.T) {
	a, _ := network(t)
	s, ctx := svc(a), context.Background()
	if err := s.SaveDraft(ctx, ops, []Rule{{Name: "everything", Location: Nearest}}); err != nil {
		t.Fatal(err)
	}
	_, err := s.Publish(ctx, ops, "spring\x00rules")
	if f := fields(t, err); f["note"] == "" {
		t.Fatalf("fields = %v, want note", f)
	}
	if vs, err := s.Versions(ctx); err != nil || len(vs) != 0 {
		t.Fatalf("versions after a refused publish: %+v %v", vs, err)
	}
	if _, err := s.Publish(ctx, ops, "spring rules"); err != nil {
		t.Fatal(err)
	}
}
