package load

import (
	"maps"
	"net/url"
	"slices"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Metrics are the figures of a load run, or of several merged: overall
// and per route. They are what report.json holds in its load member.
type Metrics struct {
	Totals
	// Attacks names the attacks the results came from, such as
	// "shard 0/3", in order of first appearance.
	Attacks []string `json:"attacks"`
	// Settings are the attack's settings; nil for merged results.
	Settings *Settings `json:"settings,omitempty"`
	// Routes holds the same figures per route, in order of first
	// appearance.
	Routes []RouteMetrics `json:"routes"`
}

// RouteMetrics are the figures of one route.
type RouteMetrics struct {
	// Route is the method and URL path, such as "POST /api/echo".
	Route string `json:"route"`
	Totals
}

// Totals are the figures of a set of results. Rate, throughput, latency
// quantiles and durations are Vegeta's; Successes, Success and Errors
// follow the judgement of [Succeeded].
type Totals struct {
	Requests   uint64  `json:"requests"`
	Successes  uint64  `json:"successes"`
	Success    float64 `json:"success"`    // share of successes, 0 to 1
	Rate       float64 `json:"rate"`       // requests sent per second
	Throughput float64 `json:"throughput"` // successes per second, waits included
	// Duration is from the first request sent to the last, in seconds;
	// Wait is from the last sent to the last answered.
	Duration  float64   `json:"duration_seconds"`
	Wait      float64   `json:"wait_seconds"`
	Latencies Latencies `json:"latencies_ms"`
	BytesIn   uint64    `json:"bytes_in"`
	BytesOut  uint64    `json:"bytes_out"`
	// StatusCodes counts answers by status; "0" counts requests that got
	// no answer.
	StatusCodes map[string]int `json:"status_codes"`
	// Errors counts failures by kind (see [ErrorKind]).
	Errors   map[string]uint64 `json:"errors"`
	Earliest time.Time         `json:"earliest,omitzero"`
	End      time.Time         `json:"end,omitzero"`
}

// Latencies are answer times in milliseconds.
type Latencies struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Min  float64 `json:"min"`
}

// Aggregator adds judged results up into Metrics. Its Add is a [Sink].
// It is not safe for concurrent use; Run and merging feed it from one
// goroutine.
type Aggregator struct {
	all     tally
	routes  map[string]*tally   // by route name
	order   []string            // route names in order of first appearance
	names   map[routeKey]string // route name by method and full URL, as results carry them
	attacks []string
}

// tally is the running count of a set of results.
type tally struct {
	vm        vegeta.Metrics
	successes uint64
	errors    map[string]uint64
}

// NewAggregator returns an empty aggregator.
func NewAggregator() *Aggregator {
	return &Aggregator{routes: map[string]*tally{}, names: map[routeKey]string{}}
}

// Add counts one judged result. It never fails; the error makes it a Sink.
func (a *Aggregator) Add(r *vegeta.Result) error {
	a.all.add(r)
	name := a.routeName(r)
	t := a.routes[name]
	if t == nil {
		t = &tally{}
		a.routes[name] = t
		a.order = append(a.order, name)
	}
	t.add(r)
	if !slices.Contains(a.attacks, r.Attack) {
		a.attacks = append(a.attacks, r.Attack)
	}
	return nil
}

// routeName names a result's route by its method and URL path,
// remembering the name for each URL so that parsing happens once.
func (a *Aggregator) routeName(r *vegeta.Result) string {
	key := routeKey{r.Method, r.URL}
	if name, ok := a.names[key]; ok {
		return name
	}
	path := r.URL
	if u, err := url.Parse(r.URL); err == nil {
		path = u.Path
	}
	name := r.Method + " " + path
	a.names[key] = name
	return name
}

func (t *tally) add(r *vegeta.Result) {
	t.vm.Add(r)
	if Succeeded(r) {
		t.successes++
		return
	}
	if t.errors == nil {
		t.errors = map[string]uint64{}
	}
	t.errors[ErrorKind(r)]++
}

// Requests returns how many results were added.
func (a *Aggregator) Requests() uint64 { return a.all.vm.Requests }

// Metrics returns the figures of every result added so far.
func (a *Aggregator) Metrics() Metrics {
	m := Metrics{Totals: a.all.totals(), Attacks: slices.Clone(a.attacks),
		Routes: make([]RouteMetrics, 0, len(a.order))}
	if m.Attacks == nil {
		m.Attacks = []string{}
	}
	for _, name := range a.order {
		m.Routes = append(m.Routes, RouteMetrics{Route: name, Totals: a.routes[name].totals()})
	}
	return m
}

// totals computes the figures of the tally. Vegeta's Close only derives
// figures from running sums, so calling it again later is safe.
func (t *tally) totals() Totals {
	t.vm.Close()
	vm := &t.vm
	out := Totals{Requests: vm.Requests, Successes: t.successes, Rate: vm.Rate,
		Duration: vm.Duration.Seconds(), Wait: vm.Wait.Seconds(),
		BytesIn: vm.BytesIn.Total, BytesOut: vm.BytesOut.Total,
		StatusCodes: maps.Clone(vm.StatusCodes), Errors: maps.Clone(t.errors)}
	if out.Errors == nil {
		out.Errors = map[string]uint64{}
	}
	if vm.Requests == 0 {
		return out
	}
	out.Success = float64(t.successes) / float64(vm.Requests)
	out.Throughput = float64(t.successes)
	if span := (vm.Duration + vm.Wait).Seconds(); span > 0 {
		out.Throughput /= span
	}
	out.Latencies = latencies(vm.Latencies)
	out.Earliest, out.End = vm.Earliest.UTC(), vm.End.UTC()
	return out
}

func latencies(l vegeta.LatencyMetrics) Latencies {
	return Latencies{Mean: ms(l.Mean), P50: ms(l.P50), P90: ms(l.P90), P95: ms(l.P95),
		P99: ms(l.P99), Max: ms(l.Max), Min: ms(l.Min)}
}

// ms turns a duration into milliseconds, kept to a microsecond.
func ms(d time.Duration) float64 {
	return float64(d.Round(time.Microsecond)) / float64(time.Millisecond)
}
