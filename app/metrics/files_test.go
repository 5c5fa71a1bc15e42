package metrics

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// knownFamilies are the names New registers, histograms' series included.
func knownFamilies(t *testing.T) map[string]bool {
	t.Helper()
	m := New()
	m.WatchStore(nil, nil)
	descs := make(chan *prometheus.Desc, 256)
	go func() {
		m.Registry.Describe(descs)
		close(descs)
	}()
	name := regexp.MustCompile(`fqName: "([^"]+)"`)
	known := map[string]bool{}
	for d := range descs {
		if n := name.FindStringSubmatch(d.String()); n != nil {
			for _, suffix := range []string{"", "_bucket", "_sum", "_count"} {
				known[n[1]+suffix] = true
			}
		}
	}
	return known
}

// TestDashboardsNameKnownFamilies: the Grafana dashboard parses, and it and
// the alert rules read only families Switchyard serves.
func TestDashboardsNameKnownFamilies(t *testing.T) {
	known := knownFamilies(t)
	dash, err := os.ReadFile("grafana-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(dash, &d); err != nil || len(d.Panels) == 0 {
		t.Fatalf("the dashboard does not parse: %v", err)
	}
	alerts, err := os.ReadFile("alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	family := regexp.MustCompile(`\b(switchyard|go|process)_[a-z_]+`)
	texts := []string{string(alerts)}
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			texts = append(texts, tg.Expr)
		}
	}
	seen := 0
	for _, text := range texts {
		for _, n := range family.FindAllString(text, -1) {
			if strings.HasPrefix(n, "go_") || strings.HasPrefix(n, "process_") {
				continue // the Go and process collectors' own
			}
			seen++
			if !known[n] {
				t.Errorf("%s is not a family Switchyard serves", n)
			}
		}
	}
	if seen < 10 {
		t.Fatalf("only %d family names found in the dashboard and alerts", seen)
	}
}
