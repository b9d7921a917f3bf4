package main

import (
	"math"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A load run collects garbage less often than Go's default, unless the
// user's GOGC or GOMEMLIMIT says otherwise.
func TestTuneGC(t *testing.T) {
	restore := func(percent int, limit int64) {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	}
	defer restore(debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64))

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	tuneGC()
	assert.Equal(t, loadGCPercent, debug.SetGCPercent(100))
	assert.Equal(t, int64(loadMemoryCap), debug.SetMemoryLimit(math.MaxInt64))

	t.Setenv("GOGC", "100")
	t.Setenv("GOMEMLIMIT", "512MiB")
	tuneGC()
	assert.Equal(t, 100, debug.SetGCPercent(100), "the user's GOGC stands")
	assert.Equal(t, int64(math.MaxInt64), debug.SetMemoryLimit(math.MaxInt64),
		"the user's GOMEMLIMIT stands")
}
