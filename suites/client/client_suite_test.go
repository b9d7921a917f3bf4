package client_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/gwcert/gwcert/internal/buildinfo"
	"github.com/gwcert/gwcert/reports"
	"github.com/gwcert/gwcert/suites/client"
	"github.com/gwcert/gwcert/suites/suiterun"
	"github.com/gwcert/gwcert/vectors"
)

var (
	cfg       client.Config
	reportDir = flag.String("gwcert.report-dir", "",
		"write report.json, junit.xml and certificate.html into `DIR`")
)

func init() { cfg.RegisterFlags(flag.CommandLine, "gwcert.") }

// TestMain turns this test binary into the reference driver when it is
// started as one; otherwise it runs the tests.
func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(runHelperDriver(mode))
	}
	os.Exit(m.Run())
}

// TestClientCertification runs the client suite under go test or the
// ginkgo CLI against a driver given on the command line (paths are
// relative to this folder):
//
//	go test ./suites/client -args -gwcert.driver="node ../../examples/drivers/node/driver.js"
//
// Without one it certifies the reference driver built on gwcert's own
// codec, which must pass every check.
func TestClientCertification(t *testing.T) {
	gomega.RegisterFailHandler(Fail)
	p, err := cfg.LoadProfile()
	if err != nil {
		t.Fatalf("loading the profile: %v", err)
	}
	driver := cfg.Driver
	if driver == "" {
		driver = helperCommand(helperCorrect)
	}
	files, err := vectors.Builtin()
	if err != nil {
		t.Fatalf("loading the vectors: %v", err)
	}
	client.Declare(client.Options{Driver: driver, Profile: p, Timeout: cfg.Timeout})
	info := reports.CertificateInfo{Profile: p.Name, Driver: driver,
		Version: buildinfo.Version(), VectorDigest: vectors.Digest(files)}
	suiterun.Collect(suiterun.Options{Suite: "client", Target: "driver: " + driver,
		Profile: p.Name, Version: info.Version, VectorDigest: info.VectorDigest,
		ReportDir: *reportDir, OnReport: func(r *reports.Report) {
			if *reportDir == "" {
				return
			}
			path := filepath.Join(*reportDir, reports.CertificateFile)
			if err := reports.WriteCertificateFile(path, r, info); err != nil {
				Fail("writing the certificate: " + err.Error())
			}
		}})
	RunSpecs(t, "Client certification")
}
