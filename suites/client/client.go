// Package client is the client certification suite: a partner's
// program, built on its own client code, talks to the bundled mock
// gateway through the client-driver contract of DESIGN.md, and every
// client check of PROTOCOL.md is judged on what it sent and what it
// understood.
//
// A run has two halves. [Drive] runs the session once: it starts the
// mock (recording, with a tap that keeps whole bodies), starts the
// program with the mock client's credentials, feeds it the scenario one
// step a line, collects one answer a line, closes stdin and sees the
// program exit, killing it if it outlives the timeout. Then one spec
// per check judges the recorded session ([JudgeCheck]), so a crash or a
// hang is reported once, by C-0.1, and every other check still judges
// the steps that were made.
package client

import (
	. "github.com/onsi/ginkgo/v2"

	"github.com/gwcert/gwcert/suites/checks"
	"github.com/gwcert/gwcert/suites/suiterun"
)

// Declare declares the suite. The session runs in BeforeSuite, once per
// Ginkgo process: under `ginkgo -p` every process drives its own session
// (it takes a second or two) and judges the checks it was given.
func Declare(o Options) {
	var s *Session
	BeforeSuite(func(ctx SpecContext) {
		var err error
		if s, err = Drive(ctx, o); err != nil {
			Fail("the certification session could not run: " + err.Error())
		}
	})
	Describe("client certification", func() {
		for _, id := range CheckIDs {
			def := checks.MustLookup(id)
			Describe(id+" "+def.Title, Label(id), func() {
				It("across the session", func() {
					AddReportEntry("requirement", id+": "+def.Requirement,
						ReportEntryVisibilityFailureOrVerbose)
					suiterun.Conclude(JudgeCheck(s, id))
				})
			})
		}
	})
}
