package web

import (
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/routing"
	"switchyard/web/views"
)

// maxRulesJSON is the largest rules file an import reads.
const maxRulesJSON = 1 << 20

// rulesPage shows the draft rules with their actions, and the tools around them.
func (s *Server) rulesPage(c echo.Context) error {
	p, err := s.rulesView(c)
	if err != nil {
		return err
	}
	p.NoticeKind, p.Notice = takeFlash(c)
	return s.render(c, http.StatusOK, "Routing rules", views.Rules(p))
}

// rulesView gathers the draft, whether it differs from the published rules, and the versions.
func (s *Server) rulesView(c echo.Context) (views.RulesPage, error) {
	ctx := c.Request().Context()
	draft, err := s.rules.RulesVersion(ctx, "draft")
	if err != nil {
		return views.RulesPage{}, err
	}
	published, err := s.rules.RulesVersion(ctx, "published")
	if err != nil {
		return views.RulesPage{}, err
	}
	versions, err := s.rules.RuleVersions(ctx)
	if err != nil {
		return views.RulesPage{}, err
	}
	p := views.RulesPage{CSRF: csrfToken(c), Rules: ruleRows(draft.Rules.Rules), Published: published.Rules.Version,
		Dirty: !sameRules(draft.Rules.Rules, published.Rules.Rules), DraftBy: draft.UpdatedBy, DraftAt: draft.UpdatedAt,
		Check: views.RuleCheckForm{Rules: "draft"}}
	for _, v := range versions {
		if !v.Draft && v.PublishedAt != nil {
			p.Versions = append(p.Versions, views.RuleVersionRow{Version: v.Rules.Version, By: v.PublishedBy, At: *v.PublishedAt})
		}
	}
	return p, nil
}

// sameRules reports whether two rule lists say the same, compared as JSON.
func sameRules(a, b []routing.Rule) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

// addDraftRule appends a new, disabled rule to the draft and opens it in the editor.
func (s *Server) addDraftRule(c echo.Context) error {
	_, index, err := s.rules.AddDraftRule(c.Request().Context(), currentUser(c).Actor(), newRule())
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, ruleEditURL(index))
}

// editDraftRulePage shows the editor of one draft rule.
func (s *Server) editDraftRulePage(c echo.Context) error {
	index, r, err := s.draftRule(c)
	if err != nil {
		return err
	}
	return s.ruleEditor(c, http.StatusOK, ruleFormOf(index, r))
}

// saveDraftRule saves the editor's rule into the draft, or shows the form again with what is wrong.
func (s *Server) saveDraftRule(c echo.Context) error {
	index, _, err := s.draftRule(c)
	if err != nil {
		return err
	}
	var f views.RuleForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	f.Index = index
	ctx, actor := c.Request().Context(), currentUser(c).Actor()
	r, err := ruleOf(&f)
	if err == nil {
		_, err = s.rules.UpdateDraftRule(ctx, actor, index, r)
	} else {
		err = withAppProblems(err, s.rules.CheckDraftRule(ctx, actor, index, withLists(r)))
	}
	var ae *app.Error
	if asAppErr(err, &ae) && ae.Kind == app.KindInvalid {
		errs, rest := editorErrors(ae.Fields, index)
		f.Errors, f.Message = errs, "Please correct the fields marked below."
		if len(rest) > 0 || len(errs) == 0 {
			f.Message = sentence(strings.Join(append([]string{ae.Message}, rest...), "; "))
		}
		return s.ruleEditor(c, http.StatusUnprocessableEntity, f)
	} else if err != nil {
		return err
	}
	return redirectWithFlash(c, "/rules", "Saved "+r.Name+" in the draft")
}

// ruleEditor renders the editor with the channels, kinds and rankers to choose from.
func (s *Server) ruleEditor(c echo.Context, status int, f views.RuleForm) error {
	chans, err := s.app.Channels(c.Request().Context())
	if err != nil {
		return err
	}
	p := views.RuleEditorPage{CSRF: csrfToken(c), Form: f, Rankers: rankerChoices, Missing: missingChoices, Assigns: assignChoices}
	for _, ch := range chans {
		p.Channels = append(p.Channels, views.Choice{Value: ch.Code, Label: ch.Code + " · " + ch.Name})
	}
	for _, k := range app.LocationKinds {
		p.Kinds = append(p.Kinds, views.Choice{Value: k, Label: k})
	}
	return s.render(c, status, "Edit rule #"+strconv.Itoa(f.Index+1), views.RuleEditor(p))
}

// moveRuleForm is what the up and down buttons post: delta, -1 or 1.
type moveRuleForm struct {
	Delta string `form:"delta"`
}

// moveDraftRule moves a draft rule one place up (delta=-1) or down (delta=1).
func (s *Server) moveDraftRule(c echo.Context) error {
	index, err := ruleIndex(c)
	if err != nil {
		return err
	}
	var f moveRuleForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	delta, err := strconv.Atoi(f.Delta)
	if err != nil {
		return app.InvalidField("delta", "must be -1 (up) or 1 (down)")
	}
	info, err := s.rules.MoveDraftRule(c.Request().Context(), currentUser(c).Actor(), index, delta)
	if err != nil {
		return err
	}
	to := min(max(index+delta, 0), len(info.Rules.Rules)-1)
	return backToRules(c, fmt.Sprintf("Moved %s to #%d", info.Rules.Rules[to].Name, to+1))
}

// toggleDraftRule enables or disables a draft rule.
func (s *Server) toggleDraftRule(c echo.Context) error {
	index, err := ruleIndex(c)
	if err != nil {
		return err
	}
	info, err := s.rules.ToggleDraftRule(c.Request().Context(), currentUser(c).Actor(), index)
	if err != nil {
		return err
	}
	r := info.Rules.Rules[index]
	verb := "Disabled "
	if r.Enabled {
		verb = "Enabled "
	}
	return backToRules(c, verb+r.Name+" in the draft")
}

// deleteDraftRule removes a rule from the draft.
func (s *Server) deleteDraftRule(c echo.Context) error {
	index, r, err := s.draftRule(c)
	if err != nil {
		return err
	}
	if _, err := s.rules.DeleteDraftRule(c.Request().Context(), currentUser(c).Actor(), index); err != nil {
		return err
	}
	return backToRules(c, "Deleted "+r.Name+" from the draft")
}

// publishRules makes the draft the rules in force, as a new version.
func (s *Server) publishRules(c echo.Context) error {
	info, err := s.rules.PublishRules(c.Request().Context(), currentUser(c).Actor())
	var ae *app.Error
	if asAppErr(err, &ae) && ae.Kind == app.KindInvalid {
		p, verr := s.rulesView(c)
		if verr != nil {
			return verr
		}
		p.NoticeKind, p.Notice = "error", sentence(strings.Join(append([]string{ae.Message}, ruleProblems(ae.Fields)...), "; "))
		return s.render(c, http.StatusUnprocessableEntity, "Routing rules", views.Rules(p))
	} else if err != nil {
		return err
	}
	return backToRules(c, fmt.Sprintf("Published version %d: new orders are routed by it", info.Rules.Version))
}

// exportRules downloads a version of the rules (?version=draft, published or N; the draft by default) as JSON.
func (s *Server) exportRules(c echo.Context) error {
	which := c.QueryParam("version")
	if which == "" {
		which = "draft"
	}
	info, err := s.rules.RulesVersion(c.Request().Context(), which)
	if err != nil {
		return err
	}
	name := "draft"
	if !info.Draft {
		name = "v" + strconv.Itoa(info.Rules.Version)
	}
	body, err := json.MarshalIndent(routing.RuleSet{Version: info.Rules.Version, Rules: info.Rules.Rules}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode rules: %w", err)
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="switchyard-rules-%s.json"`, name))
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, append(body, '\n'))
}

// importRulesForm is what the import form posts: a file, or JSON pasted.
type importRulesForm struct {
	File *multipart.FileHeader `form:"file"`
	JSON string                `form:"json"`
}

// importRules replaces the draft with an uploaded (field file) or pasted (field json) export.
func (s *Server) importRules(c echo.Context) error {
	var f importRulesForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	data, err := rulesUpload(f)
	if err == nil {
		_, err = s.rules.ImportDraftRules(c.Request().Context(), currentUser(c).Actor(), data)
	}
	var ae *app.Error
	if asAppErr(err, &ae) && ae.Kind == app.KindInvalid {
		p, verr := s.rulesView(c)
		if verr != nil {
			return verr
		}
		p.Import = views.RulesImportForm{JSON: f.JSON, Message: sentence(ae.Message), Problems: ruleProblems(ae.Fields)}
		return s.render(c, http.StatusUnprocessableEntity, "Routing rules", views.Rules(p))
	} else if err != nil {
		return err
	}
	return backToRules(c, "Imported the rules into the draft: publish them to use them")
}

// rulesUpload reads the uploaded file or, when none was chosen, the pasted JSON.
func rulesUpload(form importRulesForm) ([]byte, error) {
	fh := form.File
	if fh == nil || fh.Filename == "" || fh.Size == 0 {
		return []byte(form.JSON), nil
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRulesJSON+1))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	if len(data) > maxRulesJSON {
		return nil, app.Invalid("the file is larger than 1 MiB: is it a rules export?", nil)
	}
	return data, nil
}

// ruleVersionPage shows a published version, read-only.
func (s *Server) ruleVersionPage(c echo.Context) error {
	raw := c.Param("version")
	if v, err := strconv.Atoi(raw); err != nil || v < 1 {
		return app.NotFound("no routing rules version %q", raw)
	}
	ctx := c.Request().Context()
	info, err := s.rules.RulesVersion(ctx, raw)
	if err != nil {
		return err
	}
	current, err := s.rules.RulesVersion(ctx, "published")
	if err != nil {
		return err
	}
	p := views.RuleVersionPage{Version: views.RuleVersionRow{Version: info.Rules.Version, By: info.PublishedBy},
		Rules: ruleRows(info.Rules.Rules), Current: current.Rules.Version == info.Rules.Version}
	if info.PublishedAt != nil {
		p.Version.At = *info.PublishedAt
	}
	return s.render(c, http.StatusOK, "Rules version "+raw, views.RuleVersion(p))
}

// ruleCheckParams is the check page's query string; without an order the
// page only shows its form.
type ruleCheckParams struct {
	Order *string `query:"order"`
	Rules string  `query:"rules"` // published, else the draft
}

// checkRulePage answers which rule matches an order (?order=SY-…&rules=draft|published).
func (s *Server) checkRulePage(c echo.Context) error {
	var q ruleCheckParams
	if err := bindQuery(c, &q); err != nil {
		return err
	}
	f := views.RuleCheckForm{Rules: q.Rules}
	if q.Order != nil {
		f.Order = strings.TrimSpace(*q.Order)
	}
	if f.Rules != "published" {
		f.Rules = "draft"
	}
	p := views.RuleCheckPage{Form: f}
	if q.Order == nil {
		return s.render(c, http.StatusOK, "Which rule matches?", views.RuleCheck(p))
	}
	chk, err := s.app.WhichRule(c.Request().Context(), f.Order, f.Rules == "draft")
	if status, msg, ok := checkProblem(err); ok {
		p.Form.Errors = views.Errors{"order": msg}
		return s.render(c, status, "Which rule matches?", views.RuleCheck(p))
	} else if err != nil {
		return err
	}
	p.Result = checkResult(chk)
	return s.render(c, http.StatusOK, "Which rule matches?", views.RuleCheck(p))
}

// checkProblem is the status and message to show beside the order field for
// an unknown or missing order number.
func checkProblem(err error) (int, string, bool) {
	var ae *app.Error
	if !asAppErr(err, &ae) {
		return 0, "", false
	}
	switch ae.Kind {
	case app.KindNotFound:
		return http.StatusNotFound, sentence(ae.Message), true
	case app.KindInvalid:
		return http.StatusUnprocessableEntity, ae.Fields["order"], true
	}
	return 0, "", false
}

// checkResult puts a rule check into the page's words.
func checkResult(chk app.RuleCheck) *views.RuleCheckResult {
	set := "the draft"
	if !chk.Draft {
		set = "the published rules (version " + strconv.Itoa(chk.Version) + ")"
		if chk.Version == 0 {
			set = "the published rules (none yet)"
		}
	}
	return &views.RuleCheckResult{Number: chk.Number, RuleSet: set, Matched: chk.Matched(), Rule: chk.Decision.Rule,
		Index: chk.Decision.RuleIndex, Decision: decisionView(0, chk.Decision, chk.Input)}
}

// ruleIndex reads the :index of a draft rule's path.
func ruleIndex(c echo.Context) (int, error) {
	raw := c.Param("index")
	i, err := strconv.Atoi(raw)
	if err != nil || i < 0 {
		return 0, app.NotFound("the draft has no rule %q", raw)
	}
	return i, nil
}

// draftRule reads the draft's rule named by the path.
func (s *Server) draftRule(c echo.Context) (int, routing.Rule, error) {
	index, err := ruleIndex(c)
	if err != nil {
		return 0, routing.Rule{}, err
	}
	draft, err := s.rules.RulesVersion(c.Request().Context(), "draft")
	if err != nil {
		return 0, routing.Rule{}, err
	}
	if index >= len(draft.Rules.Rules) {
		return 0, routing.Rule{}, app.NotFound("the draft has no rule #%d (it has %d)", index+1, len(draft.Rules.Rules))
	}
	return index, draft.Rules.Rules[index], nil
}

// ruleEditURL is the editor of a draft rule.
func ruleEditURL(index int) string { return "/rules/draft/" + strconv.Itoa(index) + "/edit" }

// backToRules sends the browser to the rules page with a notice.
func backToRules(c echo.Context, notice string) error {
	return redirectWithFlash(c, "/rules", notice)
}
