package imports

import (
	"switchyard/app"

	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// The phases of an import job, in order; it ends done or failed.
const (
	PhaseQueued     = "queued" // waiting for the import before it: imports run one at a time
	PhaseReading    = "reading"
	PhaseValidating = "validating"
	PhaseApplying   = "applying"
	PhaseDone       = "done"
	PhaseFailed     = "failed"
)

// importPhases numbers the phases for atomic storage.
var importPhases = []string{"", PhaseQueued, PhaseReading, PhaseValidating, PhaseApplying, PhaseDone, PhaseFailed}

// MaxImportBytes is the largest CSV file an import accepts.
const MaxImportBytes = 64 << 20

// ImportJobTTL is how long a finished job stays to be looked at.
const ImportJobTTL = time.Hour

// importProgress is where a running import reports its phase and counts,
// updated atomically so that reading it never waits for the import. A nil
// progress ignores every report.
type importProgress struct {
	phase atomic.Int32
	done  atomic.Int64
	total atomic.Int64
}

// setPhase enters phase.
func (p *importProgress) setPhase(phase string) {
	if p != nil {
		p.phase.Store(int32(slices.Index(importPhases, phase)))
	}
}

// start resets the counts for a phase of total rows.
func (p *importProgress) start(total int) {
	if p != nil {
		p.done.Store(0)
		p.total.Store(int64(total))
	}
}

// step counts one row processed.
func (p *importProgress) step() {
	if p != nil {
		p.done.Add(1)
	}
}

// add counts n rows processed.
func (p *importProgress) add(n int) {
	if p != nil {
		p.done.Add(int64(n))
	}
}

// importJob is an import running in the background, then its outcome.
type importJob struct {
	id, kind, file, by string
	seq                int64 // order of registration
	started            time.Time
	after              chan struct{} // closed when the job before has ended; nil for none
	ended              chan struct{} // closed when this job has ended
	progress           importProgress
	outcome            atomic.Pointer[importOutcome] // set once, before the final phase
}

// importOutcome is how a job ended.
type importOutcome struct {
	result   ImportResult
	message  string
	finished time.Time
}

// ImportStatus is what a person sees of an import job.
type ImportStatus struct {
	ID         string
	Kind       string
	File       string
	By         string
	Phase      string
	Processed  int64 // rows processed in this phase
	Total      int64 // rows to process in this phase; 0 while reading
	StartedAt  time.Time
	FinishedAt time.Time    // when finished
	Result     ImportResult // when finished
	Message    string       // when failed: why, in a sentence
}

// Finished reports whether the job is done or failed.
func (s ImportStatus) Finished() bool { return s.Phase == PhaseDone || s.Phase == PhaseFailed }

// status reads the job without waiting for it.
func (j *importJob) status() ImportStatus {
	s := ImportStatus{
		ID: j.id, Kind: j.kind, File: j.file, By: j.by, StartedAt: j.started,
		Phase:     importPhases[j.progress.phase.Load()],
		Processed: j.progress.done.Load(), Total: j.progress.total.Load(),
	}
	if s.Total > 0 {
		s.Processed = min(s.Processed, s.Total) // the counts of two phases may meet while one ends
	}
	if o := j.outcome.Load(); o != nil && s.Finished() {
		s.Result, s.Message, s.FinishedAt = o.result, o.message, o.finished
	}
	return s
}

// finish records the outcome, then the final phase.
func (j *importJob) finish(res ImportResult, err error, at time.Time) {
	o := &importOutcome{result: res, finished: at}
	phase := PhaseDone
	if err != nil {
		phase = PhaseFailed
		o.message = "the import failed on our side and has been logged: nothing was changed"
		if ae, ok := app.AsError(err); ok {
			o.message = ae.Message
		}
	}
	j.outcome.Store(o)
	j.progress.setPhase(phase)
}

// ImportJobs is the registry of import jobs, kept in memory: running ones and
// those finished within ImportJobTTL. Jobs run one at a time, in the order they
// were started, so that a stock file uploaded after its SKUs sees them.
type ImportJobs struct {
	mu   sync.Mutex
	seq  int64
	jobs map[string]*importJob
	last chan struct{} // closed when the job started last has ended
}

// NewImportJobs returns an empty registry.
func NewImportJobs() *ImportJobs { return &ImportJobs{jobs: map[string]*importJob{}} }

// add registers a job.
func (r *ImportJobs) add(j *importJob, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.prune(now)
	r.seq++
	j.seq = r.seq
	j.after, j.ended = r.last, make(chan struct{})
	r.last = j.ended
	r.jobs[j.id] = j
}

// prune forgets the jobs that finished more than ImportJobTTL before now; r.mu is held.
func (r *ImportJobs) prune(now time.Time) {
	for id, j := range r.jobs {
		if o := j.outcome.Load(); o != nil && now.Sub(o.finished) > ImportJobTTL {
			delete(r.jobs, id)
		}
	}
}

// get finds a job by id.
func (r *ImportJobs) get(id string) (*importJob, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	j, ok := r.jobs[id]
	return j, ok
}

// list returns every job kept at now, newest first.
func (r *ImportJobs) list(now time.Time) []*importJob {
	r.mu.Lock()
	r.prune(now)
	out := make([]*importJob, 0, len(r.jobs))
	for _, j := range r.jobs {
		out = append(out, j)
	}
	r.mu.Unlock()
	slices.SortFunc(out, func(x, y *importJob) int { return int(y.seq - x.seq) })
	return out
}

// StartImport starts importing data, a CSV file of kind, in the background
// and returns the job's id at once. The job outlives ctx's cancellation.
func (a *Service) StartImport(ctx context.Context, actor app.Actor, kind, file string, data []byte) (string, error) {
	if err := actor.Require(app.RoleAdmin, app.RoleOps); err != nil {
		return "", err
	}
	if err := checkCSVKind(kind); err != nil {
		return "", err
	}
	j := &importJob{id: newImportJobID(), kind: kind, file: csvFileName(file), by: actor.Label(), started: a.core.Now()}
	j.progress.setPhase(PhaseQueued)
	a.jobs.add(j, a.core.Now())
	go a.runImportJob(context.WithoutCancel(ctx), actor, j, data)
	return j.id, nil
}

// runImportJob waits for its turn, then runs one job to its end, whatever happens.
func (a *Service) runImportJob(ctx context.Context, actor app.Actor, j *importJob, data []byte) {
	if j.after != nil {
		<-j.after
	}
	res := ImportResult{Kind: j.kind, File: j.file}
	var err error
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("import panicked: %v", p)
		}
		a.logImport(j, res, err)
		j.finish(res, err, a.core.Now())
		close(j.ended)
	}()
	res, err = a.importCSV(ctx, actor, j.kind, j.file, bytes.NewReader(data), &j.progress)
}

// logImport records how a job ended; failures on our side are errors.
func (a *Service) logImport(j *importJob, res ImportResult, err error) {
	attrs := []any{"job", j.id, "kind", j.kind, "file", j.file, "by", j.by, "rows", res.Rows, "applied", res.Applied}
	switch {
	case err == nil:
		a.core.Log().Info("import applied", attrs...)
	case app.ErrorKind(err) != "":
		a.core.Log().Info("import refused", append(attrs, "problems", res.ProblemCount(), "reason", err)...)
	default:
		a.core.Log().Error("import failed", append(attrs, "err", err)...)
	}
}

// ImportJob returns the status of one job.
func (a *Service) ImportJob(id string) (ImportStatus, error) {
	j, ok := a.jobs.get(id)
	if !ok {
		return ImportStatus{}, app.NotFound("no import job %q: finished jobs are kept for an hour", id)
	}
	return j.status(), nil
}

// RecentImports returns up to limit jobs, newest first.
func (a *Service) RecentImports(limit int) []ImportStatus {
	jobs := a.jobs.list(a.core.Now())
	out := make([]ImportStatus, 0, min(limit, len(jobs)))
	for _, j := range jobs[:min(limit, len(jobs))] {
		out = append(out, j.status())
	}
	return out
}

// newImportJobID returns an unguessable job id.
func newImportJobID() string {
	b := make([]byte, 18)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}
