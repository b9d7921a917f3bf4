package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/profiles"
)

// Session is one certification run as gwcert saw it: the steps fed to
// the program, what it answered, every call that reached the mock, and
// how the program ended. [Drive] makes it and [Judge] judges it; a
// Session built by hand cannot be judged, as it lacks the mock client's
// key. Text that came from the program (its lines and stderr) has the
// client's secrets replaced before it is stored here.
type Session struct {
	Driver  string
	Profile *profiles.Profile
	Steps   []Step
	Timeout time.Duration
	// Fed is how many steps were written to the program.
	Fed int
	// Answers holds the program's answer to each step, by step index;
	// nil where no answer came.
	Answers []*Answer
	// Calls are the calls that reached the mock, in arrival order.
	Calls []Call
	// Garbage holds the first lines that are not JSON objects; Extra the
	// first lines printed after the last answer. The counts include the
	// lines past maxKeptLines, which are not kept.
	Garbage, Extra           []Line
	GarbageCount, ExtraCount int
	End                      End

	w        *world // the mock's client: codec and secrets
	once     sync.Once
	analysed *analysis
}

// Line is one line the program printed outside an answer.
type Line struct {
	After int    // index of the step last fed when it came; -1 before the first
	Text  string // as printed, secrets replaced, cut at maxShownLine
}

// Answer is the program's answer line to one step.
type Answer struct {
	Line    string          // as printed, secrets replaced
	Step    string          // the step it names
	Status  int             // the status it reports; 0 with Error
	Body    json.RawMessage // the JSON it understood; nil with Error
	Error   string          // the failure it reports instead, if any
	Errored bool            // the line is an error answer
	// Problem says how the line breaks the driver contract; "" when it
	// keeps it.
	Problem string
}

// Call is one call that reached the mock: the recorder's exchange, and
// the whole body and answer as the tap in front of the mock saw them
// (the recorder keeps neither the body of a call refused before the mock
// reads it nor more than 64 KiB of either).
type Call struct {
	Seq      int // arrival order, from 0
	Step     int // index of the step being fed when it arrived; -1 before the first
	Method   string
	Path     string
	Exchange mockgateway.Exchange
	Recorded bool // the recorder had the exchange
	Body     []byte
	Status   int    // the answer's status; 0 when none was written
	Answer   []byte // the answer's body
	Cut      bool   // the body or the answer was longer than the tap keeps
}

// Stop says why gwcert stopped feeding steps before the last answer.
type Stop string

// The ways feeding stops early.
const (
	StopNone        Stop = ""                  // every step was answered
	StopEOF         Stop = "closed its output" // stdout ended before an answer
	StopTimeout     Stop = "timed out"         // the session timeout passed
	StopInterrupted Stop = "interrupted"       // the run was interrupted
	StopLongLine    Stop = "line too long"     // a line longer than maxLine
)

// End says how the program's session ended.
type End struct {
	StartErr string // why the program could not start; "" when it started
	Stop     Stop
	// StopStep is the index of the step left without an answer when
	// feeding stopped; len(Steps) means after stdin closed.
	StopStep int
	WriteErr string // why a step could not be written, if one could not
	Exited   bool   // the process ended, by itself or killed
	Code     int    // its exit status; -1 when a signal ended it
	Signal   string // the signal that ended it, if any
	Killed   string // why gwcert killed it; "" when it was not killed
	Stderr   []string
	Elapsed  time.Duration
}

// exit describes how the process ended, like "exited with status 3".
func (e End) exit() string {
	switch {
	case e.StartErr != "":
		return "did not start: " + e.StartErr
	case !e.Exited:
		return "still running when gwcert gave up waiting"
	case e.Killed != "":
		return "killed by gwcert: " + e.Killed
	case e.Signal != "":
		return "ended by signal " + e.Signal
	}
	return fmt.Sprintf("exited with status %d", e.Code)
}

// answered returns how many steps got an answer.
func (s *Session) answered() int {
	n := 0
	for _, a := range s.Answers {
		if a != nil {
			n++
		}
	}
	return n
}

// Limits on what a session keeps and shows.
const (
	maxLine      = 16 << 20 // longest stdout line read
	maxShownLine = 300      // longest line or value shown in evidence
	stderrKept   = 8 << 10  // bytes of stderr kept
	stderrLines  = 10       // stderr lines shown
	maxKeptLines = 20       // garbage or extra lines kept
)

// parseAnswer reads one JSON object line as the answer to step want.
func parseAnswer(line, want string) *Answer {
	a := &Answer{Line: line}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		a.Problem = "the line is not a JSON object"
		return a
	}
	a.Problem = a.fill(m)
	if a.Problem == "" && a.Step != want {
		a.Problem = fmt.Sprintf("answers step %q where %q was asked", a.Step, want)
	}
	return a
}

// isString reports whether a member's raw JSON is a string: null would
// decode into a Go string as "" without complaint.
func isString(raw json.RawMessage) bool {
	return len(raw) > 0 && raw[0] == '"'
}

// fill takes the members of an answer and returns what is wrong with
// them, or "".
func (a *Answer) fill(m map[string]json.RawMessage) string {
	if !isString(m["step"]) || json.Unmarshal(m["step"], &a.Step) != nil {
		return `"step" is missing or not a string`
	}
	status, hasStatus := m["status"]
	errText, hasError := m["error"]
	switch {
	case hasStatus && hasError:
		return `it holds both "status" and "error"`
	case hasError:
		a.Errored = true
		if !isString(errText) || json.Unmarshal(errText, &a.Error) != nil {
			return `"error" is not a string`
		}
		return ""
	case !hasStatus:
		return `it holds neither "status" nor "error"`
	}
	if json.Unmarshal(status, &a.Status) != nil || a.Status < 100 || a.Status > 599 {
		return `"status" is not an HTTP status number`
	}
	body, ok := m["body"]
	if !ok {
		return `"body" is missing`
	}
	a.Body = bytes.Clone(body)
	return ""
}
