// Package reports turns the outcome of gwcert's suites into the files
// people read: report.json, junit.xml and, later, an HTML page. The
// suites fill a [Report] with [Check] values whose evidence is already
// redacted; nothing here searches for secrets after the fact.
package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Verdict is the outcome of one check (DESIGN.md, "Checks and verdicts").
type Verdict string

// The verdicts. Only FAIL fails a run; WARN marks a SHOULD that was not
// met, INFO an observation, SKIP a check that could not apply.
const (
	Pass Verdict = "PASS"
	Fail Verdict = "FAIL"
	Warn Verdict = "WARN"
	Info Verdict = "INFO"
	Skip Verdict = "SKIP"
)

// Verdicts lists every verdict in report order.
var Verdicts = []Verdict{Pass, Fail, Warn, Info, Skip}

// Level says how strongly PROTOCOL.md requires what a check proves.
type Level string

// The requirement levels of PROTOCOL.md.
const (
	Must   Level = "MUST"
	Should Level = "SHOULD"
	Note   Level = "INFO"
)

// Evidence is what a reader needs to judge a verdict: what was sent, what
// came back, and what would have been acceptable. Producers must redact
// secrets before filling it.
type Evidence struct {
	Sent     string   `json:"sent,omitempty"`     // the request or input, secrets redacted
	Got      string   `json:"got,omitempty"`      // the answer or output
	Expected []string `json:"expected,omitempty"` // acceptable outcomes, any one suffices
	Actual   string   `json:"actual,omitempty"`   // the outcome observed
}

// Check is one judged check of a run.
type Check struct {
	ID       string    `json:"id"`                // stable id such as G-6.5 or K-2.1
	Name     string    `json:"name"`              // what was checked, one line
	Section  string    `json:"section,omitempty"` // PROTOCOL.md section
	Level    Level     `json:"level,omitempty"`
	Verdict  Verdict   `json:"verdict"`
	Reason   string    `json:"reason,omitempty"` // why this verdict, one or two sentences
	Evidence *Evidence `json:"evidence,omitempty"`
	Duration float64   `json:"duration_seconds,omitempty"`
}

// Summary counts checks by verdict; every verdict is always present.
type Summary struct {
	Pass int `json:"PASS"`
	Fail int `json:"FAIL"`
	Warn int `json:"WARN"`
	Info int `json:"INFO"`
	Skip int `json:"SKIP"`
}

// Count returns the number of checks with verdict v.
func (s Summary) Count(v Verdict) int {
	switch v {
	case Pass:
		return s.Pass
	case Fail:
		return s.Fail
	case Warn:
		return s.Warn
	case Info:
		return s.Info
	case Skip:
		return s.Skip
	}
	return 0
}

func (s *Summary) add(v Verdict) {
	switch v {
	case Pass:
		s.Pass++
	case Fail:
		s.Fail++
	case Warn:
		s.Warn++
	case Info:
		s.Info++
	case Skip:
		s.Skip++
	}
}

// Report is the result of one run of one suite.
type Report struct {
	Tool         string          `json:"tool"`
	Version      string          `json:"version"`
	Suite        string          `json:"suite"`
	Target       string          `json:"target"`
	Started      time.Time       `json:"started"`
	Finished     time.Time       `json:"finished,omitzero"`
	Profile      string          `json:"profile,omitempty"`
	VectorDigest string          `json:"vector_digest,omitempty"`
	Interrupted  bool            `json:"interrupted,omitempty"`
	Checks       []Check         `json:"checks"`
	Summary      Summary         `json:"summary"`
	Load         json.RawMessage `json:"load,omitempty"`
}

// New returns an empty report for suite against target, started now.
func New(suite, target, version string) *Report {
	return &Report{Tool: "gwcert", Version: version, Suite: suite, Target: target,
		Started: time.Now().UTC().Truncate(time.Second), Checks: []Check{}}
}

// Add appends checks and counts their verdicts.
func (r *Report) Add(checks ...Check) {
	for _, c := range checks {
		r.Checks = append(r.Checks, c)
		r.Summary.add(c.Verdict)
	}
}

// Failed reports whether any check failed.
func (r *Report) Failed() bool { return r.Summary.Fail > 0 }

// DefaultDir returns out/<suite>-<UTC time>, the default report folder.
func DefaultDir(suite string, t time.Time) string {
	return filepath.Join("out", suite+"-"+t.UTC().Format("20060102T150405Z"))
}

// WriteDir writes report.json and junit.xml into dir, creating it.
func WriteDir(dir string, r *Report) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report dir: %w", err)
	}
	if err := writeFile(filepath.Join(dir, "report.json"), r, WriteJSON); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, "junit.xml"), r, WriteJUnit)
}

// reportMode is the mode of report files: they hold no secret by design,
// and CI jobs and web servers often read them as another user.
const reportMode = 0o644

// writeFile writes through a temporary file and renames it, so a reader
// never sees half a report, even if the run is interrupted.
func writeFile(path string, r *Report, write func(io.Writer, *Report) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(reportMode); err != nil { // CreateTemp makes 0600
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := write(f, r); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(f.Name(), path)
}
