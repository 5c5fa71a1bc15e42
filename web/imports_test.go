package web_test

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"switchyard/app"
	"switchyard/app/imports"
	"switchyard/web/browsertest"
	"switchyard/web/views"
	"switchyard/web/webtest"
)

// upload posts a CSV file to /imports/kind as a browser's multipart form does.
func upload(t *testing.T, env *webtest.Env, c *webtest.Client, kind, name, body string) *webtest.Response {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if name != "" {
		part, err := w.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		part.Write([]byte(body))
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, env.Server.URL+"/imports/"+kind, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("X-CSRF-Token", c.CSRF())
	return c.Do(req)
}

// finishedPhase finds the phase of a finished job in its page.
var finishedPhase = regexp.MustCompile(`data-phase="(done|failed)"`)

// pollJob polls a job's page as htmx does until the job has finished, and
// returns the last fragment.
func pollJob(t *testing.T, env *webtest.Env, c *webtest.Client, path string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequest(http.MethodGet, env.Server.URL+path, nil)
		req.Header.Set("HX-Request", "true")
		res := c.Do(req)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("poll %s = %d\n%s", path, res.StatusCode, res.Body)
		}
		if strings.Contains(res.Body, "<html") {
			t.Fatalf("an htmx poll got the whole page")
		}
		if finishedPhase.MatchString(res.Body) {
			if strings.Contains(res.Body, "hx-trigger") {
				t.Fatalf("a finished job still polls:\n%s", res.Body)
			}
			return res.Body
		}
		if !strings.Contains(res.Body, `hx-trigger="every 500ms"`) {
			t.Fatalf("a running job does not poll:\n%s", res.Body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("job %s did not finish", path)
	return ""
}

// startedJob checks that an upload was taken and returns its job page's path.
func startedJob(t *testing.T, res *webtest.Response) string {
	t.Helper()
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/imports/jobs/") {
		t.Fatalf("upload = %d to %q, want 303 to the job\n%s", res.StatusCode, loc, res.Body)
	}
	return loc
}

func TestImportUploadShowsProgressThenBadRows(t *testing.T) {
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	ops, _ := env.SignedIn(app.RoleOps)

	job := startedJob(t, upload(t, env, ops, "skus", "skus.csv", "code,name\nTEE,Tee\nCAP,Cap\n"))
	if body := pollJob(t, env, ops, job); !strings.Contains(body, "Imported 2 rows.") {
		t.Fatalf("good file:\n%s", body)
	}
	page := ops.Get(job)
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "<html") || !strings.Contains(page.Body, "Import of skus.csv") {
		t.Fatalf("job page = %d\n%s", page.StatusCode, page.Body)
	}

	job = startedJob(t, upload(t, env, ops, "stock", "counts.csv",
		"location,sku,on_hand,safety_stock\nLYS-WH,TEE,5,\nLYS-WH,NOPE,1,\nLYS-WH,CAP,-2,\nLYS-WH,TEE,6,x\n"))
	body := html.UnescapeString(pollJob(t, env, ops, job))
	for _, want := range []string{
		`data-phase="failed"`, "4 problems in counts.csv: nothing was changed",
		`<tr data-line="3"><td>3</td><td><code>sku</code></td><td>unknown SKU "NOPE"</td></tr>`,
		`<tr data-line="4"><td>4</td><td><code>on_hand</code></td><td>must be at least 0</td></tr>`,
		`<tr data-line="5"><td>5</td><td><code>sku</code></td><td>"TEE" at "LYS-WH" appears twice in the file, on lines 2 and 5</td></tr>`,
		`<tr data-line="5"><td>5</td><td><code>safety_stock</code></td><td>must be a whole number, not "x"</td></tr>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("job page lacks %s:\n%s", want, body)
		}
	}
	page = ops.Get("/imports")
	if !strings.Contains(page.Body, "counts.csv") || !strings.Contains(page.Body, "nothing changed") || !strings.Contains(page.Body, "imported 2 rows") {
		t.Errorf("the import page does not list the recent jobs:\n%s", page.Body)
	}
	level, err := env.App.ListStock(t.Context(), app.StockQuery{})
	if err != nil || len(level.Levels) != 0 {
		t.Fatalf("a refused file wrote stock: %+v %v", level, err)
	}
}

func TestImportPageAndExports(t *testing.T) {
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	ops, _ := env.SignedIn(app.RoleOps)
	page := ops.Get("/imports")
	for _, want := range []string{
		`action="/imports/stock"`, `enctype="multipart/form-data"`, "location,sku,on_hand,safety_stock,note",
		`href="/exports/skus.csv"`, `href="/exports/locations.csv"`, `href="/exports/stock.csv"`,
	} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("import page lacks %s", want)
		}
	}
	res := ops.Get("/exports/locations.csv")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="switchyard-locations-`) {
		t.Fatalf("export = %d %v", res.StatusCode, res.Header)
	}
	if !strings.HasPrefix(res.Body, "code,name,kind,") || !strings.Contains(res.Body, "\nLYS-WH,Lyon warehouse,warehouse,") {
		t.Errorf("export body:\n%s", res.Body)
	}
	if res := ops.Get("/exports/returns.csv"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown export = %d, want 404", res.StatusCode)
	}
	if res := upload(t, env, ops, "returns", "o.csv", "a\n"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown import = %d, want 404", res.StatusCode)
	}
	res = upload(t, env, ops, "stock", "", "")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Choose a CSV file to import.") {
		t.Errorf("upload without a file = %d\n%s", res.StatusCode, res.Body)
	}
	if res := ops.Get("/imports/jobs/not-a-job"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown job = %d, want 404", res.StatusCode)
	}
}

func TestImportsAreForOpsAndAdmins(t *testing.T) {
	env := webtest.New(t)
	support, _ := env.SignedIn(app.RoleSupport)
	if res := upload(t, env, support, "skus", "skus.csv", "code,name\nTEE,Tee\n"); res.StatusCode != http.StatusForbidden {
		t.Errorf("support upload = %d, want 403", res.StatusCode)
	}
	for _, path := range []string{"/imports", "/exports/skus.csv"} {
		if res := support.Get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("support GET %s = %d, want 403", path, res.StatusCode)
		}
	}
	admin, _ := env.SignedIn(app.RoleAdmin)
	job := startedJob(t, upload(t, env, admin, "skus", "skus.csv", "code,name\nTEE,Tee\n"))
	if res := support.Get(job); res.StatusCode != http.StatusForbidden {
		t.Errorf("support GET job = %d, want 403", res.StatusCode)
	}
	if body := pollJob(t, env, admin, job); !strings.Contains(body, "Imported 1 row.") {
		t.Errorf("admin import:\n%s", body)
	}
}

func TestRunningImportPollsItself(t *testing.T) {
	var b strings.Builder
	job := imports.ImportStatus{ID: "abc", Kind: imports.CSVStock, File: "big.csv", By: "Olga", Phase: imports.PhaseApplying, Processed: 41000, Total: 100000}
	if err := views.ImportJob(job).Render(t.Context(), &b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`hx-get="/imports/jobs/abc"`, `hx-trigger="every 500ms"`, `hx-swap="outerHTML"`, "Writing: 41,000 of 100,000 rows", `<progress max="100000" value="41000">`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("running job lacks %s:\n%s", want, b.String())
		}
	}
}

// TestBrowserImportPageFollowsTheJob uploads a file through the form in a real
// Chromium while the writer is busy, sees the job page show its progress, and
// sees htmx's polling swap in the result once the writer is free.
func TestBrowserImportPageFollowsTheJob(t *testing.T) {
	b := browsertest.New(t)
	env := webtest.New(t)
	env.AddLocation("LYS-WH", "Lyon warehouse")
	if _, err := env.Svc.Imports.ImportCSV(t.Context(), app.System, imports.CSVSKUs, "skus.csv", strings.NewReader("code,name\nTEE,Tee\nCAP,Cap\nBAG,Bag\n")); err != nil {
		t.Fatal(err)
	}
	ops, password := env.AddUser(app.RoleOps)
	signIn(t, b, env.Server.URL, ops.Email, password)
	file := filepath.Join(t.TempDir(), "counts.csv")
	if err := os.WriteFile(file, []byte("location,sku,on_hand\nLYS-WH,TEE,5\nLYS-WH,CAP,6\nLYS-WH,BAG,7\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	// Hold the writer, so that the job waits in its applying phase.
	started, release, held := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		held <- env.App.Write(context.Background(), func(app.Tx) error { close(started); <-release; return nil })
	}()
	<-started
	var once sync.Once
	free := func() { once.Do(func() { close(release) }) }
	defer func() { free(); <-held }()

	if st := b.Open(env.Server.URL + "/imports"); st != http.StatusOK {
		t.Fatalf("GET /imports = %d", st)
	}
	b.Do("choose the stock file", chromedp.SetUploadFiles(chromedp.ID("file-stock"), []string{file}))
	if st := b.Follow("import the stock file", chromedp.Click(browsertest.Find("#import-stock button[type=submit]", "Import stock"))); st != http.StatusOK || !strings.HasPrefix(b.Path(), "/imports/jobs/") {
		t.Fatalf("the upload led to %s with %d, want the job page", b.Path(), st)
	}
	// The job checks its rows first (that needs no writer), then waits to write:
	// the page, which follows the job, comes to say so.
	writing, err := chromedp.Run(b.Ctx, chromedp.Poll[bool](`(document.querySelector("[data-testid=import-progress]")?.textContent || "").includes("Writing")`,
		chromedp.WithPollingTimeout(browsertest.StepTimeout)))
	if err != nil || !writing {
		t.Fatalf("while the writer is busy the job page says %q, want the applying phase (%v)", b.Text(`[data-testid=import-progress]`), err)
	}
	free()
	if done := b.Text(`[data-testid=import-done]`); done != "Imported 3 rows." {
		t.Fatalf("after the job finished the page says %q", done)
	}
}
