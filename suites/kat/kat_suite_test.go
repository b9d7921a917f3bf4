package kat_test

import (
	"flag"
	"testing"

	. "github.com/onsi/ginkgo/v2"

	"github.com/onsi/gomega"

	"github.com/gwcert/gwcert/internal/buildinfo"
	"github.com/gwcert/gwcert/suites/kat"
	"github.com/gwcert/gwcert/suites/suiterun"
	"github.com/gwcert/gwcert/vectors"
)

var (
	cfg       kat.Config
	reportDir = flag.String("gwcert.report-dir", "", "write report.json and junit.xml into `DIR`")
)

func init() { cfg.RegisterFlags(flag.CommandLine, "gwcert.") }

// TestKAT runs the known-answer suite under go test or the ginkgo CLI:
//
//	go test ./suites/kat -args -gwcert.adapter="node examples/adapters/node/adapter.js"
func TestKAT(t *testing.T) {
	gomega.RegisterFailHandler(Fail)
	files, err := cfg.Load()
	if err != nil {
		t.Fatalf("loading vectors: %v", err)
	}
	kat.Declare(files, cfg.NewImpl)
	suiterun.Collect(suiterun.Options{Suite: "kat", Target: cfg.Target(), Version: buildinfo.Version(),
		VectorDigest: vectors.Digest(files), ReportDir: *reportDir})
	RunSpecs(t, "Known-answer vectors")
}
