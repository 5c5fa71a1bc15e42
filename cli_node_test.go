package main

import "testing"

func TestAdvertisedURL(t *testing.T) {
	for _, tc := range []struct{ advertise, listen, cluster, want string }{
		{"", "127.0.0.1:8081", "127.0.0.1:9001", "http://127.0.0.1:8081"},
		{"", "0.0.0.0:8080", "10.0.0.5:9001", "http://10.0.0.5:8080"},
		{"", ":8080", "node2.internal:9001", "http://node2.internal:8080"},
		{"", "[::]:8080", "[fd00::2]:9001", "http://[fd00::2]:8080"},
		{"https://n1.example.com", "0.0.0.0:8080", "10.0.0.5:9001", "https://n1.example.com"},
	} {
		got, err := advertisedURL(tc.advertise, tc.listen, tc.cluster)
		if err != nil || got != tc.want {
			t.Errorf("%+v: %q %v", tc, got, err)
		}
	}
	if _, err := advertisedURL("", "no-port", "10.0.0.5:9001"); err == nil {
		t.Error("an --addr without a port must be refused")
	}
}
