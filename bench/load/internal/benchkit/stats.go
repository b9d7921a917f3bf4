package benchkit

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// Stats are a helper server's answer counts, read by the runner before
// and after each attack so that every attacker, gwcert's included, is
// counted the same way.
type Stats struct {
	OK    uint64 `json:"ok"`    // 2xx answers
	Other uint64 `json:"other"` // every other answer
}

// Sub returns the answers counted since before.
func (s Stats) Sub(before Stats) Stats {
	return Stats{OK: s.OK - before.OK, Other: s.Other - before.Other}
}

// Total is every answer counted.
func (s Stats) Total() uint64 { return s.OK + s.Other }

// Counter wraps a handler and counts its answers by status class.
type Counter struct {
	next      http.Handler
	ok, other atomic.Uint64
}

// NewCounter returns a Counter around next.
func NewCounter(next http.Handler) *Counter { return &Counter{next: next} }

// ServeHTTP serves the call with the wrapped handler and counts the
// status it answered.
func (c *Counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw := statusWriter{ResponseWriter: w, status: http.StatusOK}
	c.next.ServeHTTP(&sw, r)
	if sw.status >= 200 && sw.status <= 299 {
		c.ok.Add(1)
	} else {
		c.other.Add(1)
	}
}

// Stats returns the counts so far.
func (c *Counter) Stats() Stats { return Stats{OK: c.ok.Load(), Other: c.other.Load()} }

// StatsHandler answers GET with the counts as JSON.
func (c *Counter) StatsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(c.Stats()) // a lost answer shows as a read error at the runner
	})
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// statsClient reads a helper server's counts; it is never the attack's.
var statsClient = &http.Client{Timeout: 10 * time.Second}

// FetchStats reads the counts from a helper server's stats URL.
func FetchStats(url string) (Stats, error) {
	resp, err := statsClient.Get(url)
	if err != nil {
		return Stats{}, fmt.Errorf("reading server stats: %w", err)
	}
	defer resp.Body.Close()
	var s Stats
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		return Stats{}, fmt.Errorf("reading server stats: %w", err)
	}
	return s, nil
}

// Unwrap lets http.ResponseController reach the connection underneath.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
