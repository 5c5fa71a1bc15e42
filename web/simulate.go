package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/rules"
	"switchyard/app/simulate"
	"switchyard/web/views"
)

// simulatePage shows the simulation form: the draft over the last 1,000 orders.
func (s *Server) simulatePage(c echo.Context) error {
	f := views.SimulationForm{Rules: simulate.SimulateDraft, Window: strconv.Itoa(simulate.DefaultSimulationWindow)}
	return s.simulationAnswer(c, http.StatusOK, f, nil)
}

// runSimulation replays the chosen rules over recent orders and shows the
// report, or the form again with what is wrong beside its fields.
func (s *Server) runSimulation(c echo.Context) error {
	var f views.SimulationForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	report, err := s.simulationReport(c, f)
	if errs, msg, ok := fieldErrors(err); ok {
		f.Errors, f.Message = errs, msg
		return s.simulationAnswer(c, http.StatusUnprocessableEntity, f, nil)
	} else if err != nil {
		return err
	}
	return s.simulationAnswer(c, http.StatusOK, f, &report)
}

// simulate parses the window and runs the simulation as the signed-in user;
// an unknown version is a mistake in the form, shown beside its field.
func (s *Server) simulationReport(c echo.Context, f views.SimulationForm) (simulate.SimulationReport, error) {
	window, err := strconv.Atoi(strings.TrimSpace(f.Window))
	if err != nil {
		return simulate.SimulationReport{}, app.InvalidField("window", "pick how many recent orders to replay")
	}
	q := simulate.SimulationQuery{Rules: f.Rules, Window: window}
	report, err := s.simulate.Simulate(c.Request().Context(), currentUser(c).Actor(), q)
	if app.ErrorKind(err) == app.KindNotFound {
		return report, app.InvalidField("rules", "there is no published version "+strings.TrimSpace(f.Rules))
	}
	return report, err
}

// simulationAnswer renders the page with the published versions to choose from.
func (s *Server) simulationAnswer(c echo.Context, status int, f views.SimulationForm, report *simulate.SimulationReport) error {
	versions, err := s.rules.RuleVersions(c.Request().Context())
	if err != nil {
		return err
	}
	v := views.SimulationView{CSRF: csrfToken(c), Form: f, Versions: publishedVersions(versions), Windows: simulate.SimulationWindows, Report: report}
	return s.render(c, status, "Simulate rules", views.Simulation(v))
}

// publishedVersions drops the draft from the versions.
func publishedVersions(all []rules.RuleSetInfo) []rules.RuleSetInfo {
	out := make([]rules.RuleSetInfo, 0, len(all))
	for _, v := range all {
		if !v.Draft {
			out = append(out, v)
		}
	}
	return out
}
