package views

import (
	"testing"

	"switchyard/app/routing"
)

func TestCostProofSaysHowFarTheOptimiserGot(t *testing.T) {
	for _, tc := range []struct {
		c    routing.Cost
		want string
	}{
		{routing.Cost{Strategy: routing.AssignOptimalCost, Exact: true}, "proven optimal"},
		{routing.Cost{Strategy: routing.AssignOptimalCost, StoppedEarly: true}, "best found before the time budget ran out"},
	} {
		if got := costProof(tc.c); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
	}
}
