package desk

import "testing"

func TestReturnRatePercent(t *testing.T) {
	for _, tc := range []struct {
		r    ReturnRate
		want int64
	}{
		{ReturnRate{Returned: 1, Shipped: 4}, 25},
		{ReturnRate{Returned: 1, Shipped: 3}, 33},
		{ReturnRate{Returned: 2, Shipped: 3}, 67},
		{ReturnRate{Returned: 3, Shipped: 0}, 0},
	} {
		if got := tc.r.Percent(); got != tc.want {
			t.Errorf("%+v: %d%%, want %d%%", tc.r, got, tc.want)
		}
	}
}
