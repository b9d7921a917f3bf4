package benchkit

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Attack describes one attack with a fixed number of workers, each
// holding one keep-alive connection, at the maximum rate (Vegeta's rate
// 0) or at a fixed rate.
type Attack struct {
	URL      string        // the route to call, such as http://127.0.0.1:8080/api/echo
	Workers  uint64        // concurrent workers, also the most there will be
	Duration time.Duration // how long requests are sent
	Clients  int           // 0: the primary client from GWCERT_*; n: n generated
	Payload  int           // payload size in bytes
	Rate     int           // requests per second; 0: as fast as the workers go
}

// Flags registers the attack's flags on fs, with Vegeta's own default
// worker count.
func (a *Attack) Flags(fs *flag.FlagSet) {
	fs.StringVar(&a.URL, "url", "", "`URL` of the route to attack (required)")
	fs.Uint64Var(&a.Workers, "workers", vegeta.DefaultWorkers, "concurrent workers")
	fs.DurationVar(&a.Duration, "duration", 5*time.Second, "how long to send requests")
	fs.IntVar(&a.Clients, "clients", 0,
		"generated clients to speak as; 0: the primary client from the GWCERT_* variables")
	fs.IntVar(&a.Payload, "payload", 64, "payload size in `bytes`")
	fs.IntVar(&a.Rate, "rate", 0, "requests per second; 0: the maximum the workers reach")
}

// Check reports every problem of the attack's settings at once.
func (a *Attack) Check() error {
	var probs []string
	if a.URL == "" {
		probs = append(probs, "-url: required")
	}
	if a.Workers < 1 {
		probs = append(probs, "-workers: want at least 1")
	}
	if a.Duration <= 0 {
		probs = append(probs, "-duration: want a positive duration")
	}
	if a.Clients < 0 || a.Clients > MaxClients {
		probs = append(probs, fmt.Sprintf("-clients: want 0 to %d", MaxClients))
	}
	if a.Payload < MinPayload || a.Payload > MaxPayload {
		probs = append(probs, fmt.Sprintf("-payload: want %d to %d", MinPayload, MaxPayload))
	}
	if a.Rate < 0 {
		probs = append(probs, "-rate: want 0 (maximum) or more")
	}
	if len(probs) > 0 {
		return fmt.Errorf("invalid flags: %v", probs)
	}
	return nil
}

// NewTransport returns the HTTP transport of every attacker here, set as
// Vegeta's default client sets its own, so that attackers differ only in
// what they do per request.
func NewTransport() *http.Transport {
	dialer := &net.Dialer{KeepAlive: 30 * time.Second}
	return &http.Transport{
		DialContext:         dialer.DialContext,
		MaxIdleConnsPerHost: vegeta.DefaultConnections,
	}
}

// Summary is what an attacker reports on stdout, as one JSON line.
type Summary struct {
	Requests   uint64  `json:"requests"`              // answers and failed calls
	Success    uint64  `json:"success"`               // 2xx answers
	Judged     uint64  `json:"judged"`                // answers opened and found right
	Seconds    float64 `json:"seconds"`               // from the first request to the last answer
	FirstError string  `json:"first_error,omitempty"` // the first failure seen
}

// Run attacks with tr through rt and counts the outcomes; judged, which
// may be nil, tells how many answers the transport found right.
func (a *Attack) Run(tr vegeta.Targeter, rt http.RoundTripper, judged func() uint64) Summary {
	atk := vegeta.NewAttacker(vegeta.Workers(a.Workers), vegeta.MaxWorkers(a.Workers),
		vegeta.Client(&http.Client{Timeout: vegeta.DefaultTimeout, Transport: rt}))
	var s Summary
	start := time.Now()
	for res := range atk.Attack(tr, a.pacer(), a.Duration, "bench") {
		s.Requests++
		if res.Code >= 200 && res.Code <= 299 {
			s.Success++
		} else if s.FirstError == "" {
			s.FirstError = fmt.Sprintf("status %d: %s", res.Code, res.Error)
		}
	}
	s.Seconds = time.Since(start).Seconds()
	if judged != nil {
		s.Judged = judged()
	}
	return s
}

// pacer paces the attack; its zero value is Vegeta's maximum rate.
func (a *Attack) pacer() vegeta.ConstantPacer {
	if a.Rate == 0 {
		return vegeta.ConstantPacer{}
	}
	return vegeta.ConstantPacer{Freq: a.Rate, Per: time.Second}
}

// Write prints s as one JSON line.
func (s Summary) Write(w io.Writer) error {
	return json.NewEncoder(w).Encode(s)
}
