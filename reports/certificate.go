package reports

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
)

// CertificateFile is the certificate's name in a report folder, beside
// report.json and junit.xml.
const CertificateFile = "certificate.html"

// CertificateInfo is what a certificate states besides the report: what
// was certified, against what, and by which gwcert.
type CertificateInfo struct {
	Profile      string // the profile the mock gateway served
	Driver       string // the command line of the program certified
	Version      string // gwcert's version
	VectorDigest string // digest of the vector set this gwcert carries (vectors.Digest)
	Steps        int    // steps in the scenario; 0 leaves the line out
}

// ReportDigest returns "sha256:" and the lower-case hex SHA-256 of the
// bytes [WriteJSON] writes for r. Those bytes are exactly the content of
// report.json as [WriteDir] writes it, so `sha256sum report.json` prints
// the same hex; the digest a certificate carries ties it to that file.
func ReportDigest(r *Report) (string, error) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		return "", err
	}
	sum := sha256.Sum256(buf.Bytes())
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// Standings of a certificate.
const (
	Certified    = "CERTIFIED"     // every check passed (or warned, or noted)
	NotCertified = "NOT CERTIFIED" // a check failed or the run was interrupted
	Incomplete   = "INCOMPLETE"    // nothing failed, but checks were skipped or none ran
)

// Standing returns what the report makes of the program: NotCertified
// when a check failed or the run was interrupted, Incomplete when none
// failed but some were skipped or none ran, else Certified.
func Standing(r *Report) string {
	switch {
	case r.Failed() || r.Interrupted:
		return NotCertified
	case r.Summary.Skip > 0 || len(r.Checks) == 0:
		return Incomplete
	}
	return Certified
}

//go:embed certificate.html.tmpl
var certificateFS embed.FS

var certificateTmpl = template.Must(template.New("certificate.html.tmpl").Funcs(template.FuncMap{
	"lower":   verdictClass,
	"section": sectionText,
	"utc":     func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
}).ParseFS(certificateFS, "certificate.html.tmpl"))

// certificatePage is what the template shows.
type certificatePage struct {
	Info     CertificateInfo
	Report   *Report
	Standing string
	Digest   string
}

// WriteCertificate writes the certificate of a run as one
// self-contained HTML page: CSS inline, no script, nothing fetched. It
// shows the standing, the driver, the profile, gwcert's version, the
// vector-set digest, every check with its verdict, reason and evidence,
// and the report digest of [ReportDigest]. Evidence is shown as the
// report holds it: producers redact secrets before filling it.
func WriteCertificate(w io.Writer, r *Report, info CertificateInfo) error {
	digest, err := ReportDigest(r)
	if err != nil {
		return err
	}
	page := certificatePage{Info: info, Report: r, Standing: Standing(r), Digest: digest}
	if err := certificateTmpl.Execute(w, page); err != nil {
		return fmt.Errorf("write certificate: %w", err)
	}
	return nil
}

// WriteCertificateFile writes the certificate to path through a
// temporary file, so a reader never sees half a page.
func WriteCertificateFile(path string, r *Report, info CertificateInfo) error {
	return writeFile(path, r, func(w io.Writer, r *Report) error {
		return WriteCertificate(w, r, info)
	})
}

// sectionText names where a check's rule is written: a number is a
// section of PROTOCOL.md, anything else a contract named in DESIGN.md.
func sectionText(section string) string {
	if strings.Trim(section, "0123456789.") == "" {
		return "PROTOCOL.md section " + section
	}
	return "DESIGN.md, the " + section + " contract"
}

// verdictClass is the CSS class of a verdict or standing.
func verdictClass(v any) string {
	switch fmt.Sprint(v) {
	case string(Pass), Certified:
		return "pass"
	case string(Fail), NotCertified:
		return "fail"
	case string(Warn), Incomplete:
		return "warn"
	case string(Skip):
		return "skip"
	}
	return "info"
}
