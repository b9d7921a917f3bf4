package mockgateway

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The store forgets a token once its epoch has left the window, so its
// size follows the rate of calls, not their total.
func TestReplayStoreForgetsExpiredTokens(t *testing.T) {
	s := newReplayStore()
	const now = 1000
	for i := range 100 {
		assert.False(t, s.seenBefore(fmt.Sprint("token-", i), now+10, now))
	}
	assert.True(t, s.seenBefore("token-0", now+10, now))
	assert.Len(t, s.seen, 100)

	assert.False(t, s.seenBefore("late", now+30, now+5), "a new token")
	assert.Len(t, s.seen, 101, "nothing expired yet")

	assert.False(t, s.seenBefore("later", now+40, now+11))
	assert.Len(t, s.seen, 2, "the first hundred expired at %d", now+10)
	assert.True(t, s.seenBefore("late", now+30, now+12))
	assert.False(t, s.seenBefore("token-0", now+50, now+12), "forgotten once expired")
}
