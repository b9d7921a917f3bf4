package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/gwcert/gwcert/internal/buildinfo"
	"github.com/gwcert/gwcert/reports"
	"github.com/gwcert/gwcert/suites/client"
	"github.com/gwcert/gwcert/suites/suiterun"
	"github.com/gwcert/gwcert/vectors"
)

// runCertify certifies a partner's client driver against the bundled
// mock gateway and writes report.json, junit.xml and certificate.html.
func runCertify(ctx context.Context, args []string, std stdio) error {
	var cfg client.Config
	var sf suiteFlags
	fs := newFlagSet("certify", `--driver "CMD" [--profile FILE] [--report-dir DIR] [--timeout D]`,
		std.out)
	cfg.RegisterFlags(fs, "")
	sf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	p, err := cfg.Check()
	if err != nil {
		return usagef("certify: %v", err)
	}
	files, err := vectors.Builtin()
	if err != nil {
		return fmt.Errorf("certify: vectors: %w", err)
	}
	if sf.reportDir == "" {
		sf.reportDir = reports.DefaultDir("client", time.Now())
	}
	info := reports.CertificateInfo{Profile: p.Name, Driver: cfg.Driver,
		Version: buildinfo.Version(), VectorDigest: vectors.Digest(files),
		Steps: len(client.DefaultScenario())}
	cert := certificateWriter{path: filepath.Join(sf.reportDir, reports.CertificateFile), info: info}

	client.Declare(client.Options{Driver: cfg.Driver, Profile: p, Timeout: cfg.Timeout})
	opts := suiterun.Options{Suite: "client", Target: cfg.Target(), Profile: p.Name,
		Version: info.Version, VectorDigest: info.VectorDigest, OnReport: cert.write}
	err = runSuite(std, opts, sf)
	if cert.err != nil {
		return fmt.Errorf("certify: %w", cert.err)
	}
	if cert.standing != "" {
		fmt.Fprintf(std.out, "  certificate: %s (%s)\n", cert.path, cert.standing)
	}
	return err
}

// certificateWriter writes the certificate once the suite's report is
// ready, beside report.json.
type certificateWriter struct {
	path     string
	info     reports.CertificateInfo
	standing string // set once written
	err      error
}

func (c *certificateWriter) write(r *reports.Report) {
	if c.err = reports.WriteCertificateFile(c.path, r, c.info); c.err == nil {
		c.standing = reports.Standing(r)
	}
}
