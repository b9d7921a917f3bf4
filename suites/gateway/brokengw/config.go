package brokengw

import (
	"time"

	"github.com/gwcert/gwcert/mockgateway"
	"github.com/gwcert/gwcert/reports"
)

// brokenRoutePath is the route of the bundled profile that broken-route
// makes fail; the echo keeps working.
const brokenRoutePath = "/api/payout/status"

// configFixtures break the mock through its configuration alone.
func configFixtures() []Fixture {
	return []Fixture{
		{
			Name:   "stale-epoch",
			Breaks: "accepts epochs up to an hour old, so one 301 s old passes",
			Want:   verdicts{"G-6.5": reports.Fail},
			Tune:   func(c *mockgateway.Config) { c.EpochWindow = time.Hour },
		},
		{
			Name:   "far-future-epoch",
			Breaks: "accepts epochs up to two days ahead, so one a day ahead passes",
			Want:   verdicts{"G-6.6": reports.Warn},
			Tune:   func(c *mockgateway.Config) { c.MaxFutureSkew = 48 * time.Hour },
		},
		{
			Name: "broken-route",
			Breaks: "answers every valid call to " + brokenRoutePath +
				" with a plain 500, as if its backend were down",
			Want: verdicts{"G-4.1": reports.Fail, "G-5.1": reports.Fail},
			Tune: breakRoute,
		},
	}
}

// breakRoute makes brokenRoutePath answer a plain 500.
func breakRoute(c *mockgateway.Config) {
	answer := failureBody(500, "backend unavailable")
	for i := range c.Routes {
		if c.Routes[i].Path == brokenRoutePath {
			c.Routes[i].Status, c.Routes[i].Answer = 500, answer
		}
	}
}
