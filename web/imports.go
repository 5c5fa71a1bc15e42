package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchyard/app"
	"switchyard/app/imports"
	"switchyard/web/views"
)

// recentImports is how many jobs the import page lists.
const recentImports = 20

// importsPage shows an upload form and an export link per kind of file, and the recent imports.
func (s *Server) importsPage(c echo.Context) error {
	return s.showImports(c, http.StatusOK, "", "")
}

// startImport keeps the uploaded file, starts its import in the background and
// sends the browser to the job's page.
func (s *Server) startImport(c echo.Context) error {
	kind := c.Param("kind")
	if imports.CSVColumns(kind) == nil {
		return app.NotFound("there is no import of %q", kind)
	}
	name, data, err := uploadedFile(c, "file", imports.MaxImportBytes)
	if ae, ok := err.(*app.Error); ok && ae.Kind == app.KindInvalid {
		return s.showImports(c, http.StatusUnprocessableEntity, kind, sentence(ae.Message))
	} else if err != nil {
		return err
	}
	id, err := s.imports.StartImport(c.Request().Context(), currentUser(c).Actor(), kind, name, data)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/imports/jobs/"+id)
}

// importJobPage shows an import's progress, or how it ended; htmx polls it.
func (s *Server) importJobPage(c echo.Context) error {
	job, err := s.imports.ImportJob(c.Param("id"))
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "Import of "+job.File, views.ImportJob(job))
}

// exportCSV streams every row of one kind as a CSV attachment.
func (s *Server) exportCSV(c echo.Context) error {
	kind, ok := strings.CutSuffix(c.Param("file"), ".csv")
	if !ok || imports.CSVColumns(kind) == nil {
		return app.NotFound("there is no export %q", c.Param("file"))
	}
	if err := s.recordExport(c, kind, ""); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="switchyard-%s-%s.csv"`, kind, s.app.Now().Format("2006-01-02")))
	err := s.imports.ExportCSV(c.Request().Context(), currentUser(c).Actor(), kind, c.Response())
	if err != nil && c.Response().Committed {
		s.log.Error("export failed midway", "kind", kind, "err", err)
		return nil // the status has gone: the download ends short
	}
	if err != nil {
		h.Del(echo.HeaderContentDisposition)
	}
	return err
}

// showImports renders the import page; kind's form shows problem, if any.
func (s *Server) showImports(c echo.Context, status int, kind, problem string) error {
	p := views.ImportsPage{CSRF: csrfToken(c), Jobs: s.imports.RecentImports(recentImports)}
	for _, k := range imports.CSVKinds {
		v := views.ImportKind{Kind: k, Columns: imports.CSVColumns(k), Required: imports.CSVRequiredColumns(k)}
		if k == kind {
			v.Error = problem
		}
		p.Kinds = append(p.Kinds, v)
	}
	return s.render(c, status, "Import and export", views.Imports(p))
}

// uploadedFile reads the file sent in field, refusing a missing or oversized one.
func uploadedFile(c echo.Context, field string, limit int64) (string, []byte, error) {
	tooBig := uploadProblem(field, fmt.Sprintf("the file is larger than %d MiB: split it into smaller files", limit>>20))
	fh, err := c.FormFile(field)
	switch {
	case errors.Is(err, http.ErrMissingFile) || (err == nil && fh.Filename == ""):
		return "", nil, uploadProblem(field, "choose a CSV file to import")
	case err != nil:
		return "", nil, uploadProblem(field, "send the file as a multipart/form-data upload in the field "+field)
	case fh.Size > limit:
		return "", nil, tooBig
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return "", nil, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(data)) > limit {
		return "", nil, tooBig
	}
	return fh.Filename, data, nil
}

// uploadProblem is the refusal of an upload, worded for the page.
func uploadProblem(field, msg string) error { return app.Invalid(msg, map[string]string{field: msg}) }
