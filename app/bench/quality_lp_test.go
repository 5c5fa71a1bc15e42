package bench

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestExhaustiveOptimumAgreesWithMILP solves a sample of small generated
// instances as a mixed-integer programme with glpsol (Debian glpk-utils) in
// two phases, the most units, then the least cost shipping that many, and
// compares both with the exhaustive enumerator. The programme lets any
// member ship any of its units (x <= stock * y) and only requires each
// member to ship one: it checks the enumerator's cheapest-per-unit
// assignment and its dropping of sets with an idle member.
func TestExhaustiveOptimumAgreesWithMILP(t *testing.T) {
	glpsol, err := exec.LookPath("glpsol")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("glpsol not found: CI needs glpk-utils (see .ci/run)")
		}
		t.Skip("glpsol not found (apt-get install glpk-utils); skipping the MILP comparison")
	}
	spec := genSpec{MinLocs: 5, MaxLocs: 25, MinLines: 1, MaxLines: 8, Catalogue: 40}
	dir := t.TempDir()
	checked := 0
	for i, inst := range genInstances(21, 40, spec) {
		opt, ok := exhaustiveOptimum(&inst.In, 1_000_000)
		if !ok {
			t.Fatalf("instance %d not enumerated", i)
		}
		if opt.Units == 0 {
			continue
		}
		p := reduceProblem(&inst.In)
		units := solveLP(t, glpsol, filepath.Join(dir, fmt.Sprintf("%d-units.lp", i)), lpModel(&p, -1))
		cost := solveLP(t, glpsol, filepath.Join(dir, fmt.Sprintf("%d-cost.lp", i)), lpModel(&p, opt.Units)) - p.penalty
		if units != opt.Units || cost != opt.Cost {
			t.Errorf("instance %d: MILP %d units at %d, enumerator %d units at %d (%v)", i, units, cost, opt.Units, opt.Cost, opt.Locations)
		}
		checked++
	}
	if checked < 20 {
		t.Fatalf("only %d instances had something to ship", checked)
	}
}

// lpModel writes p as a CPLEX LP programme: with units < 0, maximise the
// units shipped; else minimise the cost of shipping exactly units (the
// penalty counted once per member, so the optimum is cost + one penalty).
func lpModel(p *exactProblem, units int64) string {
	var b strings.Builder
	x := func(l, s int) string { return fmt.Sprintf("x_%d_%d", l, s) }
	y := func(l int) string { return fmt.Sprintf("y_%d", l) }
	var all, obj []string
	for l, loc := range p.locs {
		for s, a := range loc.avail {
			if a > 0 {
				all = append(all, x(l, s))
			}
		}
		obj = append(obj, fmt.Sprintf("%d %s", loc.fixed+p.penalty, y(l)))
		for s, a := range loc.avail {
			if a > 0 && loc.perUnit != 0 {
				obj = append(obj, fmt.Sprintf("%d %s", loc.perUnit, x(l, s)))
			}
		}
	}
	if units < 0 {
		fmt.Fprintf(&b, "Maximize\n obj: %s\n", strings.Join(all, " + "))
	} else {
		fmt.Fprintf(&b, "Minimize\n obj: %s\n", strings.Join(obj, " + "))
	}
	b.WriteString("Subject To\n")
	if units >= 0 {
		fmt.Fprintf(&b, " units: %s = %d\n", strings.Join(all, " + "), units)
	}
	ys := make([]string, len(p.locs))
	for l, loc := range p.locs {
		ys[l] = y(l)
		var mine []string
		for s, a := range loc.avail {
			if a > 0 {
				fmt.Fprintf(&b, " cap_%d_%d: %s - %d %s <= 0\n", l, s, x(l, s), a, y(l))
				mine = append(mine, x(l, s))
			}
		}
		fmt.Fprintf(&b, " member_%d: %s - %s <= 0\n", l, y(l), strings.Join(mine, " - "))
	}
	for s, d := range p.demand {
		var terms []string
		for l, loc := range p.locs {
			if loc.avail[s] > 0 {
				terms = append(terms, x(l, s))
			}
		}
		if len(terms) > 0 {
			fmt.Fprintf(&b, " demand_%d: %s <= %d\n", s, strings.Join(terms, " + "), d)
		}
	}
	fmt.Fprintf(&b, " shipments: %s <= %d\n", strings.Join(ys, " + "), p.maxShips)
	fmt.Fprintf(&b, "Binary\n %s\nGeneral\n %s\nEnd\n", strings.Join(ys, "\n "), strings.Join(all, "\n "))
	return b.String()
}

// objectiveRE reads glpsol's objective line.
var objectiveRE = regexp.MustCompile(`(?m)^Objective:\s+obj = (\S+)`)

// solveLP writes model to path, solves it with glpsol and returns the
// optimal objective, failing the test unless the solution is proven optimal.
func solveLP(t *testing.T, glpsol, path, model string) int64 {
	t.Helper()
	if err := os.WriteFile(path, []byte(model), 0o600); err != nil {
		t.Fatal(err)
	}
	out := path + ".out"
	if msg, err := exec.Command(glpsol, "--lp", path, "--tmlim", "60", "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("glpsol %s: %v\n%s", path, err, msg)
	}
	text, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	m := objectiveRE.FindSubmatch(text)
	if !strings.Contains(string(text), "INTEGER OPTIMAL") || m == nil {
		t.Fatalf("glpsol did not prove %s optimal:\n%s", path, text)
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatalf("objective %q: %v", m[1], err)
	}
	return int64(math.Round(v))
}
