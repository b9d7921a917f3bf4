package client

import (
	"errors"
	"flag"
	"strings"
	"time"

	"github.com/gwcert/gwcert/profiles"
)

// Config selects the program under certification and the profile of
// the mock it talks to. The same fields are set by `go test` flags and
// by `gwcert certify`.
type Config struct {
	Driver      string        // the program's command line, run through /bin/sh
	ProfilePath string        // profile file; "" is the bundled mock's
	Timeout     time.Duration // bound on the whole session
}

// RegisterFlags defines the configuration's flags on fs, each name
// prefixed with prefix ("gwcert." under go test, "" in the binary).
func (c *Config) RegisterFlags(fs *flag.FlagSet, prefix string) {
	fs.StringVar(&c.Driver, prefix+"driver", c.Driver,
		"`command` of the client driver under certification, run through /bin/sh")
	fs.StringVar(&c.ProfilePath, prefix+"profile", c.ProfilePath,
		"profile `FILE` whose scheme, key encoding, epoch window and routes the mock takes "+
			"(default: the bundled mock's; its target is not used)")
	fs.DurationVar(&c.Timeout, prefix+"timeout", DefaultTimeout,
		"longest the whole session may take, from starting the driver to its exit; "+
			"a driver still running then is killed")
}

// LoadProfile reads the configured profile, or the bundled mock's.
func (c *Config) LoadProfile() (*profiles.Profile, error) {
	if c.ProfilePath == "" {
		return profiles.Default(), nil
	}
	return profiles.Load(c.ProfilePath)
}

// Check reports every problem of the configuration at once, with the
// profile loaded and the mock built from it, so that a run never starts
// a driver it cannot judge. It returns the profile when there is none.
func (c *Config) Check() (*profiles.Profile, error) {
	var problems []string
	if strings.TrimSpace(c.Driver) == "" {
		problems = append(problems, "driver: a command is required, like "+
			`--driver "node examples/drivers/node/driver.js"`)
	}
	if c.Timeout <= 0 {
		problems = append(problems, "timeout: must be more than zero, like 60s")
	}
	p, err := c.LoadProfile()
	if err == nil {
		_, err = newWorld(p)
	}
	if err != nil {
		problems = append(problems, "profile: "+err.Error())
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "; "))
	}
	return p, nil
}

// Target names the program under certification in reports.
func (c *Config) Target() string { return "driver: " + c.Driver }
