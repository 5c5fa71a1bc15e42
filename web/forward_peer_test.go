package web

import (
	"strings"
	"testing"
	"time"
)

func TestForwardedPeerSignature(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	f := newForwarder(nil, []byte(strings.Repeat("k", 64)))
	other := newForwarder(nil, []byte(strings.Repeat("x", 64)))
	good := f.signPeer("203.0.113.7", now)
	if ip, ok := f.verifyPeer(good, now.Add(30*time.Second)); !ok || ip != "203.0.113.7" {
		t.Fatalf("a fresh signature by the cluster's keys: %q %v", ip, ok)
	}
	forged := strings.Replace(good, "203.0.113.7", "203.0.113.8", 1)
	for name, value := range map[string]string{
		"another IP under the signature": forged,
		"signed by other keys":           other.signPeer("203.0.113.7", now),
		"stale":                          f.signPeer("203.0.113.7", now.Add(-2*time.Minute)),
		"not an IP":                      f.signPeer("evil.example", now),
		"no signature":                   "203.0.113.7 " + "1796637600",
		"empty":                          "",
		"not hex":                        "203.0.113.7 1796637600 zz",
	} {
		if ip, ok := f.verifyPeer(value, now); ok {
			t.Errorf("%s: accepted %q", name, ip)
		}
	}
}
