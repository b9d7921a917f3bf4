package mockgateway

import (
	"crypto/sha256"
	"sync"
)

// replayStore remembers the header_secrets tokens that passed checks 1 to
// 6, each until its epoch leaves the window: after that check 5 refuses
// the token anyway, so forgetting it is safe. Tokens are kept as SHA-256
// digests, about 50 bytes each, so memory is bounded by the rate of
// distinct authenticated calls times the window plus the future skew:
// 1000 calls a second with the defaults hold about 18 MB.
type replayStore struct {
	mu        sync.Mutex // guards seen and nextSweep
	seen      map[[sha256.Size]byte]int64
	nextSweep int64 // Unix second of the next sweep of expired digests
}

func newReplayStore() *replayStore {
	return &replayStore{seen: make(map[[sha256.Size]byte]int64)}
}

// seenBefore reports whether token was seen before and is still
// remembered, and remembers it until the Unix second expires. now is
// the current Unix second; expired digests are swept at most once a
// second.
func (s *replayStore) seenBefore(token string, expires, now int64) bool {
	sum := sha256.Sum256([]byte(token))
	s.mu.Lock()
	defer s.mu.Unlock()
	if now >= s.nextSweep {
		s.sweep(now)
	}
	if until, ok := s.seen[sum]; ok && until >= now {
		return true
	}
	s.seen[sum] = expires
	return false
}

// sweep forgets the digests that expired before now; s.mu is held.
func (s *replayStore) sweep(now int64) {
	for sum, until := range s.seen {
		if until < now {
			delete(s.seen, sum)
		}
	}
	s.nextSweep = now + 1
}
