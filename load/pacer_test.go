package load

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// hitTimes plays a pacer in virtual time for d and returns when each hit
// would be sent, as an attacker that never falls behind would send it.
func hitTimes(p vegeta.Pacer, d time.Duration) []time.Duration {
	var at []time.Duration
	elapsed := time.Duration(0)
	for hits := uint64(0); ; hits++ {
		wait, stop := p.Pace(elapsed, hits)
		if stop {
			break
		}
		elapsed += wait
		if elapsed >= d {
			break
		}
		at = append(at, elapsed)
	}
	return at
}

// countIn counts the times in [from, to).
func countIn(at []time.Duration, from, to time.Duration) int {
	n := 0
	for _, t := range at {
		if t >= from && t < to {
			n++
		}
	}
	return n
}

func TestRampPacerGoesFromOneRateToTheOther(t *testing.T) {
	// 10/s rising to 110/s over 10 s: the rate at t is 10+10t, so the
	// first second holds the integral from 0 to 1, 15 hits, the last the
	// integral from 9 to 10, 105, and the whole ramp 600.
	p := RampPacer(10, 110, 10*time.Second)
	assert.InDelta(t, 10, p.Rate(0), 1e-9)
	assert.InDelta(t, 110, p.Rate(10*time.Second), 1e-9)

	at := hitTimes(p, 10*time.Second)
	assert.InDelta(t, 15, countIn(at, 0, time.Second), 1)
	assert.InDelta(t, 105, countIn(at, 9*time.Second, 10*time.Second), 1)
	assert.InDelta(t, 600, len(at), 2)
}

func TestRampPacerCanGoDown(t *testing.T) {
	p := RampPacer(100, 20, 4*time.Second) // rate 100-20t
	at := hitTimes(p, 4*time.Second)
	assert.InDelta(t, 90, countIn(at, 0, time.Second), 1)
	assert.InDelta(t, 30, countIn(at, 3*time.Second, 4*time.Second), 1)
}

func TestConstantPacerKeepsAFractionalRate(t *testing.T) {
	// A run of 200/s split in three shards sends 66.67/s in each.
	at := hitTimes(ConstantPacer(200.0/3), 30*time.Second)
	assert.InDelta(t, 2000, len(at), 1)
	assert.Equal(t, vegeta.ConstantPacer{Freq: 250, Per: time.Second}, ConstantPacer(250))
}
