package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/gwcert/gwcert/bench/load/internal/benchkit"
)

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0}, {[]float64{4}, 4}, {[]float64{9, 1, 5}, 5}, {[]float64{8, 2, 4, 6}, 5},
	} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %g, want %g", c.in, got, c.want)
		}
	}
}

func TestTargetsCompareInTheirDirection(t *testing.T) {
	rate, cpu := target{metricRate, 0.85}, target{metricCPU, 1.25}
	if !rate.met(0.85) || rate.met(0.84) || !cpu.met(1.25) || cpu.met(1.26) {
		t.Fatal("a rate target wants at least its bound, a CPU target at most")
	}
	if rate.describe() != ">= 0.85" || cpu.describe() != "<= 1.25" ||
		(target{metricCPU, 0}).describe() != "report only" {
		t.Fatal("targets are described wrongly")
	}
}

// run1 is a sample with the given rate and CPU per request, all 2xx.
func run1(rate float64, cpuMicros int) sample {
	return sample{Rate: rate, CPUPerReq: time.Duration(cpuMicros) * time.Microsecond,
		Answers: benchkit.Stats{OK: 1000}}
}

func TestRatioIsTheMedianOfPerRoundRatios(t *testing.T) {
	// Per-round ratios 0.5, 1.0, 2.0: median 1.0. The ratio of the
	// medians (200/100) would be 2.0.
	o := outcome{Rounds: []round{
		{A: run1(100, 10), B: run1(50, 10)},
		{A: run1(200, 10), B: run1(200, 10)},
		{A: run1(300, 10), B: run1(600, 10)},
	}}
	if got := o.ratio(metricRate); got != 1.0 {
		t.Fatalf("ratio = %g, want 1.0", got)
	}
	if a, b := o.medianOf(metricRate, false), o.medianOf(metricRate, true); a != 200 || b != 200 {
		t.Fatalf("medians %g and %g, want 200 and 200", a, b)
	}
	if got := o.ratio(metricCPU); got != 1.0 {
		t.Fatalf("CPU ratio = %g, want 1.0", got)
	}
}

func TestResultOfEachKindOfOutcome(t *testing.T) {
	good := []round{{A: run1(100, 10), B: run1(90, 12)}, {A: run1(100, 10), B: run1(90, 12)},
		{A: run1(100, 10), B: run1(90, 12)}}
	bad := sample{Rate: 1, CPUPerReq: time.Microsecond, Answers: benchkit.Stats{OK: 97, Other: 3}}
	cases := []struct {
		name string
		o    outcome
		t    target
		want string
	}{
		{"skipped", outcome{Comp: comparison{Skip: "skipped: x"}}, target{metricRate, 1}, resSkipped},
		{"failed", outcome{Err: "round 1: boom"}, target{metricRate, 1}, resFailed},
		{"invalid", outcome{Rounds: append([]round{{A: bad, B: bad}}, good[1:]...)},
			target{metricRate, 0.5}, resInvalid},
		{"report", outcome{Rounds: good}, target{metricRate, 0}, resReport},
		{"met", outcome{Rounds: good}, target{metricRate, 0.85}, resMet},
		{"not met", outcome{Rounds: good}, target{metricRate, 0.95}, resNotMet},
		{"cpu met", outcome{Rounds: good}, target{metricCPU, 1.25}, resMet},
		{"cpu not met", outcome{Rounds: good}, target{metricCPU, 1.1}, resNotMet},
	}
	for _, c := range cases {
		if got := c.o.result(c.t); got != c.want {
			t.Errorf("%s: result %q, want %q", c.name, got, c.want)
		}
	}
}

func TestAWrongEchoMakesARunInvalid(t *testing.T) {
	s := run1(100, 10)
	s.Summary = &benchkit.Summary{Requests: 1000, Success: 1000, Judged: 990}
	p := s.problems("round 1 B")
	if len(p) != 1 || !strings.Contains(p[0], "10 of 1000") {
		t.Fatalf("problems %q, want one about 10 wrong answers", p)
	}
}

func TestParseFlagsReportsEveryProblemAtOnce(t *testing.T) {
	_, err := parseFlags([]string{"-pairs", "2", "-duration", "100ms", "-workers", "0",
		"-sections", "roundtrip,bogus", "extra"}, io.Discard)
	if err == nil {
		t.Fatal("parseFlags accepted bad flags")
	}
	for _, want := range []string{"-pairs", "-duration", "-workers", "bogus", "extra"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestParseFlagsDefaults(t *testing.T) {
	cfg, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.pairs != 3 || cfg.duration != 5*time.Second || len(cfg.sections) != 3 {
		t.Fatalf("defaults %+v, want 3 pairs of 5s over every section", cfg)
	}
}

func TestPlanSkipsGwcertWhenItHasNoLoadCommand(t *testing.T) {
	plan := planFor(config{sections: []string{secAttack}},
		binaries{gwcertMissing: "unknown command"})
	if len(plan) != 2 || !strings.HasPrefix(plan[0].Skip,
		"skipped: gwcert load not available") || plan[1].Skip != "" {
		t.Fatalf("plan %+v: want gwcert's comparison skipped and the stand-in run", plan)
	}
	plan = planFor(config{sections: []string{secAttack}}, binaries{gwcert: "/bin/gwcert"})
	if plan[0].Skip != "" || plan[0].B.Attacker.Kind != kindGwcert {
		t.Fatalf("plan %+v: want gwcert's comparison run", plan[0])
	}
}

func TestPlanGrowthCoversPayloadsAndClients(t *testing.T) {
	for _, bins := range []binaries{{}, {gwcert: "/bin/gwcert"}} {
		var labels []string
		for _, c := range planFor(config{sections: []string{secGrowth}}, bins) {
			labels = append(labels, c.Label+" by "+c.B.Attacker.Kind)
			if c.A.Server != c.B.Server || c.A.Attacker.Payload != c.B.Attacker.Payload ||
				c.A.Attacker.Clients != c.B.Attacker.Clients {
				t.Errorf("%s: sides differ in server, payload or clients", c.Label)
			}
		}
		got := strings.Join(labels, "|")
		payloadBy := "profile clients by gwcert"
		if bins.gwcert == "" {
			payloadBy = "1 client by sealed"
		}
		for _, want := range []string{"256 B, " + payloadBy, "4 KiB, " + payloadBy,
			"64 KiB, " + payloadBy, "256 B, 1 client by sealed", "256 B, 10 clients by sealed",
			"256 B, 1000 clients by sealed"} {
			if !strings.Contains(got, want) {
				t.Errorf("growth rows %q lack %q", got, want)
			}
		}
	}
}

func TestGwcertArguments(t *testing.T) {
	r := &runner{cfg: config{duration: 5 * time.Second, workers: 7, extra: []string{"--x"}}}
	r.profiles = map[int]string{64: "/tmp/p.yaml"}
	got := strings.Join(r.attackerArgs(&server{url: "http://127.0.0.1:9"},
		attackerSpec{Kind: kindGwcert, Payload: 64}, 5*time.Second, "/tmp/r"), " ")
	want := "load --profile /tmp/p.yaml --target http://127.0.0.1:9 --rate 0 --duration 5s " +
		"--workers 7 --quiet --report-dir /tmp/r --x"
	if got != want {
		t.Fatalf("gwcert arguments %q, want %q", got, want)
	}
}

func TestReadBanner(t *testing.T) {
	var s server
	err := s.readBanner(strings.NewReader("stats http://127.0.0.1:1/stats\n" +
		"export GWCERT_BASE_URL=http://127.0.0.1:2\nexport GWCERT_KEY=k\nready\n"))
	if err != nil || s.stats != "http://127.0.0.1:1/stats" || s.url != "http://127.0.0.1:2" ||
		len(s.env) != 2 {
		t.Fatalf("server %+v, error %v", s, err)
	}
	if err := new(server).readBanner(strings.NewReader("ready\n")); err == nil {
		t.Fatal("a banner without stats was accepted")
	}
	if err := new(server).readBanner(strings.NewReader("stats x\n")); err == nil {
		t.Fatal("a banner that ends before ready was accepted")
	}
}

func TestReportShowsSkipsTargetsAndTheCount(t *testing.T) {
	good := []round{{A: run1(100, 10), B: run1(90, 12)}, {A: run1(100, 10), B: run1(90, 12)},
		{A: run1(100, 10), B: run1(90, 12)}}
	outcomes := []outcome{
		{Comp: roundTrip(), Rounds: good},
		{Comp: gwcertAttack(binaries{gwcertMissing: "no load"})},
	}
	var out bytes.Buffer
	if err := writeReport(&out, outcomes, binaries{}); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"1 round trip: mock / plain", "0.90", ">= 0.85", "met",
		"skipped: gwcert load not available (no load)", "targets met: 1 of 3"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
}

func TestSizeNames(t *testing.T) {
	if sizeName(256) != "256 B" || sizeName(4096) != "4 KiB" || sizeName(65536) != "64 KiB" {
		t.Fatal("sizes are named wrongly")
	}
}
