package gateway_test

import (
	"flag"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/gwcert/gwcert/internal/buildinfo"
	"github.com/gwcert/gwcert/suites/gateway"
	"github.com/gwcert/gwcert/suites/suiterun"
)

var (
	cfg       gateway.Config
	reportDir = flag.String("gwcert.report-dir", "", "write report.json and junit.xml into `DIR`")
)

func init() { cfg.RegisterFlags(flag.CommandLine, "gwcert.") }

// TestGateway runs the gateway conformance suite under go test or the
// ginkgo CLI; by default against the bundled mock, in-process:
//
//	go test ./suites/gateway -args -gwcert.target=http://127.0.0.1:8080
func TestGateway(t *testing.T) {
	gomega.RegisterFailHandler(Fail)
	p, err := cfg.LoadProfile()
	if err != nil {
		t.Fatalf("loading the profile: %v", err)
	}
	expected, err := gateway.LoadExpectedFailures(cfg.ExpectFail)
	if err != nil {
		t.Fatal(err)
	}
	gateway.Declare(gateway.Options{Config: cfg, Profile: p, Expected: expected})
	suiterun.Collect(suiterun.Options{Suite: "gateway", Target: targetName(p.Target),
		Profile: p.Name, Version: buildinfo.Version(), ReportDir: *reportDir, ExpectedFailures: expected})
	RunSpecs(t, "Gateway conformance")
}

func targetName(profileTarget string) string {
	switch {
	case cfg.Target != "":
		return cfg.Target
	case profileTarget != "":
		return profileTarget
	}
	return "bundled mock (in-process)"
}
