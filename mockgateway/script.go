package mockgateway

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
)

// Answer is what a call that passes the checks gets back, from a [Route]
// or from [Gateway.Script].
type Answer struct {
	// Status is the answer's status, 200..599; 0 means 200.
	Status int
	// JSON is the answer's document. With a 2xx status it is sealed as
	// ResponseData unless Plain is set; otherwise it is sent as it is.
	// Nil with a 2xx status echoes the opened payload.
	JSON json.RawMessage
	// Plain sends JSON unsealed even with a 2xx status: a broken success
	// that a client under certification must refuse.
	Plain bool
}

// prepare checks an answer and fills its default status.
func (a Answer) prepare() (Answer, error) {
	if a.Status == 0 {
		a.Status = 200
	}
	switch {
	case a.Status < 200 || a.Status > 599:
		return a, fmt.Errorf("status %d: want 200..599", a.Status)
	case a.JSON != nil && !json.Valid(a.JSON):
		return a, fmt.Errorf("answer is not JSON")
	case a.JSON == nil && !is2xx(a.Status):
		return a, fmt.Errorf("status %d needs a JSON answer", a.Status)
	case a.JSON == nil && a.Plain:
		return a, fmt.Errorf("a plain answer needs JSON")
	}
	a.JSON = append(json.RawMessage(nil), a.JSON...)
	return a, nil
}

func is2xx(status int) bool { return status >= 200 && status <= 299 }

// scriptBook holds the scripted answers per path, first in first out.
type scriptBook struct {
	pending atomic.Int64        // answers queued over all paths; lets calls skip the lock
	mu      sync.Mutex          // guards queues
	queues  map[string][]Answer // path to its answers, next first
}

// Script makes the next calls on path that pass checks 1 to 9 get the
// given answers, one each and in order, whatever the method and whether
// or not a route serves path; later calls get the route's answer again.
// Calls that fail a check consume nothing. Scripts add to those already
// queued for path. It is safe for concurrent use; on error nothing is
// queued.
func (g *Gateway) Script(path string, answers ...Answer) error {
	prepared := make([]Answer, len(answers))
	for i, a := range answers {
		p, err := a.prepare()
		if err != nil {
			return fmt.Errorf("mockgateway: script %s answer %d: %w", path, i, err)
		}
		prepared[i] = p
	}
	s := &g.scripts
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.queues == nil {
		s.queues = make(map[string][]Answer)
	}
	s.queues[path] = append(s.queues[path], prepared...)
	s.pending.Add(int64(len(prepared)))
	return nil
}

// PendingScripts returns how many scripted answers no call has taken yet.
func (g *Gateway) PendingScripts() int { return int(g.scripts.pending.Load()) }

// ClearScripts drops every scripted answer not yet taken.
func (g *Gateway) ClearScripts() {
	s := &g.scripts
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.queues)
	s.pending.Store(0)
}

// next takes the next scripted answer for path, if any.
func (s *scriptBook) next(path string) (Answer, bool) {
	if s.pending.Load() == 0 {
		return Answer{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queues[path]
	if len(q) == 0 {
		return Answer{}, false
	}
	a := q[0]
	if len(q) == 1 {
		delete(s.queues, path)
	} else {
		s.queues[path] = q[1:]
	}
	s.pending.Add(-1)
	return a, true
}
