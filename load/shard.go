package load

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard is one of Count attackers that share a run: Index counts from 0.
// The zero Shard is the whole run.
type Shard struct {
	Index, Count int
}

// ParseShard reads a shard written "i/N", such as "0/3".
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("%q: want INDEX/COUNT such as 0/3", s)
	}
	index, err1 := strconv.Atoi(i)
	count, err2 := strconv.Atoi(n)
	if err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("%q: want two whole numbers INDEX/COUNT such as 0/3", s)
	}
	sh := Shard{Index: index, Count: count}
	if err := sh.check(); err != nil {
		return Shard{}, fmt.Errorf("%q: %w", s, err)
	}
	return sh, nil
}

// check requires 0 <= Index < Count, or the zero Shard.
func (s Shard) check() error {
	switch {
	case s == Shard{}:
		return nil
	case s.Count < 1:
		return fmt.Errorf("count %d: must be at least 1", s.Count)
	case s.Index < 0 || s.Index >= s.Count:
		return fmt.Errorf("index %d: must be from 0 to %d", s.Index, s.Count-1)
	}
	return nil
}

// orWhole returns s, or 0/1 for the zero Shard.
func (s Shard) orWhole() Shard {
	if s.Count == 0 {
		return Shard{Index: 0, Count: 1}
	}
	return s
}

// String writes the shard as "i/N".
func (s Shard) String() string {
	s = s.orWhole()
	return strconv.Itoa(s.Index) + "/" + strconv.Itoa(s.Count)
}
