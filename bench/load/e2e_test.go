package main

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestComparisonsRunEndToEnd builds the helper programs and runs two
// short comparisons with real processes: the round trip (two servers)
// and a growth row (generated clients, the sealing attacker). It checks
// that figures are measured, not that targets are met.
func TestComparisonsRunEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds programs and runs attacks for about 15 s")
	}
	dir := t.TempDir()
	bins, err := buildAll(dir, filepath.Join(dir, "no-such-gwcert"), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if bins.gwcert != "" || !strings.Contains(bins.gwcertMissing, "gwcert load --help failed") {
		t.Fatalf("a missing gwcert was not reported: %+v", bins)
	}
	r := &runner{cfg: config{pairs: 3, duration: time.Second, workers: 4}, bins: bins,
		log: io.Discard}
	outcomes, err := r.measure([]comparison{roundTrip(), growthRow(512, 3, kindSealed)})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outcomes {
		if o.Err != "" || len(o.Rounds) != 3 || len(o.problems()) > 0 {
			t.Fatalf("%s: error %q, %d rounds, problems %q", o.Comp.Label, o.Err,
				len(o.Rounds), o.problems())
		}
		for _, rd := range o.Rounds {
			checkSample(t, o.Comp.Label+" A", rd.A)
			checkSample(t, o.Comp.Label+" B", rd.B)
		}
	}
	sealed := outcomes[1].Rounds[0].B.Summary
	if sealed == nil || sealed.Judged == 0 || sealed.Judged != sealed.Success {
		t.Fatalf("the sealing attacker's summary %+v: want every answer judged right", sealed)
	}
}

// checkSample checks that a run has answers, a rate and CPU time, and
// that the attacker's own count agrees with the server's.
func checkSample(t *testing.T, at string, s sample) {
	t.Helper()
	if s.Answers.OK == 0 || s.Rate <= 0 || s.CPU <= 0 || s.CPUPerReq <= 0 {
		t.Fatalf("%s: sample %+v lacks answers, rate or CPU", at, s)
	}
	if s.Summary == nil || s.Summary.Success != s.Answers.OK {
		t.Fatalf("%s: attacker counted %+v, server %d ok", at, s.Summary, s.Answers.OK)
	}
}
