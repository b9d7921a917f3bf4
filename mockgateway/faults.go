package mockgateway

import (
	"context"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// faultPlan decides which calls an injected fault hits.
type faultPlan struct {
	latency         time.Duration
	errorAt, dropAt float64    // a draw below dropAt drops, below errorAt fails
	mu              sync.Mutex // guards rng
	rng             *rand.Rand
}

func newFaultPlan(f Faults) *faultPlan {
	return &faultPlan{
		latency: f.Latency,
		dropAt:  f.DropShare,
		errorAt: f.DropShare + f.ErrorShare,
		rng:     rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15)),
	}
}

// draw picks the fault for one call: "", "error" or "drop".
func (p *faultPlan) draw() string {
	if p.errorAt == 0 {
		return ""
	}
	p.mu.Lock()
	u := p.rng.Float64()
	p.mu.Unlock()
	switch {
	case u < p.dropAt:
		return faultDrop
	case u < p.errorAt:
		return faultError
	}
	return ""
}

// Fault names in Exchange.Fault.
const (
	faultError = "error"
	faultDrop  = "drop"
)

// wait sleeps for the latency or until ctx ends.
func (p *faultPlan) wait(ctx context.Context) {
	if p.latency <= 0 {
		return
	}
	t := time.NewTimer(p.latency)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// drop closes the call's connection without an answer. Through a
// ResponseWriter that cannot be hijacked (HTTP/2, a recorder) it aborts
// the handler with http.ErrAbortHandler instead, which a server turns
// into a reset stream or a closed connection.
func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}
