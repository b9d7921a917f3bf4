package main

import (
	"fmt"
	"slices"
	"strings"
)

// Sections of the benchmark, in the order they run.
const (
	secRoundTrip = "roundtrip" // the mock's round trip against a plain JSON server
	secAttack    = "attack"    // gwcert's encrypted attack against a static replay
	secGrowth    = "growth"    // how the encrypted attack's cost grows
)

// sectionNames lists every section.
var sectionNames = []string{secRoundTrip, secAttack, secGrowth}

func isSection(s string) bool { return slices.Contains(sectionNames, s) }

// side is one half of a comparison: a server and the attacker run at it.
type side struct {
	Label    string
	Server   serverSpec
	Attacker attackerSpec
}

// metric is a figure compared between two sides.
type metric int

const (
	metricRate metric = iota // 2xx answers per second; higher is better
	metricCPU                // attacker CPU per answer; lower is better
)

// target is one row of a comparison: a metric and the bound its ratio
// B/A must meet. A zero Bound reports the ratio without a target.
type target struct {
	Metric metric
	Bound  float64
}

// describe states the target in words.
func (t target) describe() string {
	switch {
	case t.Bound == 0:
		return "report only"
	case t.Metric == metricRate:
		return fmt.Sprintf(">= %.2f", t.Bound)
	}
	return fmt.Sprintf("<= %.2f", t.Bound)
}

// met reports whether ratio meets t.
func (t target) met(ratio float64) bool {
	if t.Metric == metricRate {
		return ratio >= t.Bound
	}
	return ratio <= t.Bound
}

// comparison is two sides measured A B A B and the rows it yields.
type comparison struct {
	Section string
	Label   string
	A, B    side
	Targets []target
	Skip    string // why the comparison is not run; "" runs it
}

// Payloads and client counts of the growth section.
var (
	growthPayloads = []int{256, 4 << 10, 64 << 10}
	growthClients  = []int{1, 10, 1000}
)

// basePayload is the payload of the growth section's client rows.
const basePayload = 256

// planFor lists the comparisons of the selected sections.
func planFor(cfg config, bins binaries) []comparison {
	var plan []comparison
	for _, s := range cfg.sections {
		switch s {
		case secRoundTrip:
			plan = append(plan, roundTrip())
		case secAttack:
			plan = append(plan, gwcertAttack(bins), standInAttack())
			if cfg.fixed > 0 {
				plan = append(plan, atRate(gwcertAttack(bins), cfg.fixed),
					atRate(standInAttack(), cfg.fixed))
			}
		case secGrowth:
			plan = append(plan, growth(bins)...)
		}
	}
	return plan
}

// Sides that recur.
var (
	profileMock = serverSpec{Mode: "mock"}
	replay      = attackerSpec{Kind: kindStatic, Payload: defaultPayload}
)

// Labels of the sides; legend explains them.
const (
	labelPlain  = "plain JSON server"
	labelMock   = "mock gateway"
	labelReplay = "static replay"
	labelGwcert = "gwcert load"
	labelSealed = "bench sealing targeter"
)

// legend says what each side label stands for.
var legend = []string{
	labelPlain + ": a net/http handler that decodes the JSON body and answers 62 bytes " +
		"of JSON, served like the mock (bench/load/server -mode plain)",
	labelMock + ": the mock gateway with the bundled profile, every check of PROTOCOL.md " +
		"section 6, the echo's answer sealed (bench/load/server -mode mock)",
	labelReplay + ": Vegeta replaying one request per client, sealed once when the " +
		"attacker starts; no crypto per request, answers judged by status only " +
		"(bench/load/static)",
	labelGwcert + ": `gwcert load --rate 0` with a profile holding the bundled clients " +
		"(primary and peer, in turn) and the echo route with the same payload as the replay; " +
		"every request sealed afresh, every answer opened and judged, results and report " +
		"written as for a user",
	labelSealed + ": Vegeta with a targeter sealing header and body afresh for every " +
		"request and a transport opening every answer and checking the echo " +
		"(bench/load/sealed); a stand-in, not gwcert's command",
}

// defaultPayload is close to the bundled profile's echo sample.
const defaultPayload = 64

// roundTrip compares the mock's full round trip (open the header, open
// the body, seal the answer) with a plain JSON handler, under the same
// replayed request.
func roundTrip() comparison {
	return comparison{
		Section: secRoundTrip, Label: "1 round trip: mock / plain",
		A:       side{labelPlain, serverSpec{Mode: "plain"}, replay},
		B:       side{labelMock, profileMock, replay},
		Targets: []target{{metricRate, 0.85}},
	}
}

// gwcertAttack compares `gwcert load` with a static replay on the mock.
func gwcertAttack(bins binaries) comparison {
	c := comparison{
		Section: secAttack, Label: "2+3 attack: gwcert load / replay",
		A: side{labelReplay, profileMock, replay},
		B: side{labelGwcert, profileMock,
			attackerSpec{Kind: kindGwcert, Payload: defaultPayload}},
		Targets: []target{{metricRate, 0.95}, {metricCPU, 1.25}},
	}
	if bins.gwcert == "" {
		c.Skip = "skipped: gwcert load not available (" + bins.gwcertMissing + ")"
	}
	return c
}

// standInAttack is the same comparison with the bench's own sealing
// targeter, which shows what sealing and judging cost when done the way
// DESIGN.md describes; it is not gwcert's command and carries no target.
func standInAttack() comparison {
	return comparison{
		Section: secAttack, Label: "2+3 attack: stand-in / replay",
		A:       side{labelReplay, profileMock, replay},
		B:       side{labelSealed, profileMock, attackerSpec{Kind: kindSealed, Payload: defaultPayload}},
		Targets: []target{{metricRate, 0}, {metricCPU, 0}},
	}
}

// defaultFixedRate is a rate that both attackers sustain on a busy
// two-core machine, where the maximum is several thousand.
const defaultFixedRate = 2000

// atRate turns c into the same comparison at a fixed rate, on CPU per
// request alone: at the maximum rate the two sides run at different
// rates, and a Go program idling between requests spends CPU in its
// scheduler that a busier one does not, which blurs the work per
// request.
func atRate(c comparison, rate int) comparison {
	c.Label = fmt.Sprintf("%s @%d/s", c.Label, rate)
	c.A.Attacker.Rate, c.B.Attacker.Rate = rate, rate
	c.Targets = []target{{metricCPU, 0}}
	return c
}

// growth compares sealing with replaying at growing payloads (gwcert
// load where it is available) and client counts (the bench's targeter,
// as gwcert load speaks only as the profile's clients), on a mock that
// knows that many generated clients.
func growth(bins binaries) []comparison {
	var out []comparison
	for _, p := range growthPayloads {
		c := growthRow(p, 1, kindSealed)
		if bins.gwcert != "" {
			c = growthRow(p, 0, kindGwcert)
		}
		out = append(out, c)
	}
	for _, n := range growthClients {
		out = append(out, growthRow(basePayload, n, kindSealed))
	}
	return out
}

// growthRow compares an encrypted attacker of kind b with replaying, for
// one payload size and client count (0: the bundled profile's clients,
// whom the replay speaks as the primary of).
func growthRow(payload, clients int, b string) comparison {
	label := fmt.Sprintf("4 growth: %s, %s", sizeName(payload), clientsName(clients))
	srv := serverSpec{Mode: "mock", Clients: clients}
	as := attackerSpec{Kind: kindStatic, Clients: clients, Payload: payload}
	bs := as
	bs.Kind = b
	bl := labelSealed
	if b == kindGwcert {
		bl = labelGwcert
	}
	return comparison{
		Section: secGrowth, Label: label,
		A:       side{labelReplay, srv, as},
		B:       side{bl, srv, bs},
		Targets: []target{{metricRate, 0}, {metricCPU, 0}},
	}
}

// clientsName says which clients a row speaks as.
func clientsName(n int) string {
	switch n {
	case 0:
		return "profile clients"
	case 1:
		return "1 client"
	}
	return fmt.Sprintf("%d clients", n)
}

// sizeName writes a byte count as B or KiB.
func sizeName(n int) string {
	if n >= 1024 && n%1024 == 0 {
		return fmt.Sprintf("%d KiB", n/1024)
	}
	return fmt.Sprintf("%d B", n)
}

// describeMethod says how the figures were taken.
func describeMethod(cfg config) string {
	parts := []string{
		fmt.Sprintf("%d rounds of A then B per comparison, each a %s attack at Vegeta's "+
			"rate 0 (maximum) with %d workers", cfg.pairs, cfg.duration, cfg.workers),
		"every attacker and every server a separate process on 127.0.0.1",
		"req/s = 2xx answers counted by the server / attack duration",
		"CPU/req = attacker user+system CPU (rusage of the child) / answers counted",
		"ratio = median of the per-round ratios B/A",
	}
	if cfg.record {
		parts = append(parts, "mock recorder on")
	} else {
		parts = append(parts, "mock recorder and log off")
	}
	return strings.Join(parts, "; ")
}
