package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// JUnit XML in the shape CI systems read (the Ant/Jenkins schema): one
// test case per check. FAIL is a failure; SKIP is skipped with its reason;
// WARN and INFO pass, and their verdict is kept as a property so a
// reader still sees them.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Errors     int             `xml:"errors,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name       string          `xml:"name,attr"`
	Classname  string          `xml:"classname,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Failure    *junitMessage   `xml:"failure"`
	Skipped    *junitMessage   `xml:"skipped"`
	SystemOut  string          `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes r as JUnit XML.
func WriteJUnit(w io.Writer, r *Report) error {
	suite := junitSuite{
		Name: "gwcert." + r.Suite, Tests: len(r.Checks),
		Failures: r.Summary.Fail, Skipped: r.Summary.Skip,
		Timestamp: r.Started.UTC().Format("2006-01-02T15:04:05"),
		Properties: []junitProperty{
			{"tool", r.Tool}, {"version", r.Version}, {"target", r.Target},
			{"WARN", fmt.Sprint(r.Summary.Warn)}, {"INFO", fmt.Sprint(r.Summary.Info)},
		},
	}
	if r.VectorDigest != "" {
		suite.Properties = append(suite.Properties, junitProperty{"vector_digest", r.VectorDigest})
	}
	total := 0.0
	for _, c := range r.Checks {
		suite.Cases = append(suite.Cases, junitCaseOf(r.Suite, c))
		total += c.Duration
	}
	suite.Time = fmt.Sprintf("%.3f", total)
	doc := junitSuites{Name: "gwcert", Tests: suite.Tests, Failures: suite.Failures,
		Skipped: suite.Skipped, Time: suite.Time, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encode junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func junitCaseOf(suite string, c Check) junitCase {
	jc := junitCase{
		Name:      c.ID + " " + c.Name,
		Classname: "gwcert." + suite + "." + c.ID,
		Time:      fmt.Sprintf("%.3f", c.Duration),
		Properties: []junitProperty{
			{"id", c.ID}, {"verdict", string(c.Verdict)},
		},
	}
	if c.Level != "" {
		jc.Properties = append(jc.Properties, junitProperty{"level", string(c.Level)})
	}
	text := evidenceText(c)
	switch c.Verdict {
	case Fail:
		jc.Failure = &junitMessage{Message: c.Reason, Type: c.ID, Text: text}
	case Skip:
		jc.Skipped = &junitMessage{Message: c.Reason}
	default:
		jc.SystemOut = text
	}
	return jc
}

// evidenceText renders a check's reason and evidence as plain text.
func evidenceText(c Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s\n", c.Verdict, c.ID, c.Name)
	if c.Reason != "" {
		fmt.Fprintf(&b, "reason: %s\n", c.Reason)
	}
	if e := c.Evidence; e != nil {
		if len(e.Expected) > 0 {
			fmt.Fprintf(&b, "expected (any of):\n  %s\n", strings.Join(e.Expected, "\n  "))
		}
		if e.Actual != "" {
			fmt.Fprintf(&b, "actual: %s\n", e.Actual)
		}
		if e.Sent != "" {
			fmt.Fprintf(&b, "sent:\n%s\n", e.Sent)
		}
		if e.Got != "" {
			fmt.Fprintf(&b, "got:\n%s\n", e.Got)
		}
	}
	return b.String()
}
