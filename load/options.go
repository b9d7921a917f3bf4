package load

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Defaults of an attack. The flags of `gwcert load` take them as their
// defaults.
const (
	// DefaultRate is the request rate of the whole run, per second.
	DefaultRate = 50.0
	// DefaultDuration is how long an attack sends requests.
	DefaultDuration = 10 * time.Second
	// DefaultWorkers is how many workers send requests at the start.
	DefaultWorkers uint64 = vegeta.DefaultWorkers
	// DefaultMaxWorkers is the most workers an attack may grow to, when
	// answers come too slowly to keep the rate; 0 means no limit.
	DefaultMaxWorkers uint64 = 0
	// DefaultConnections is how many idle connections per host are kept
	// open for reuse.
	DefaultConnections = vegeta.DefaultConnections
	// DefaultMaxConnections caps the connections per host; 0 means no cap.
	DefaultMaxConnections = vegeta.DefaultMaxConnections
	// DefaultTimeout is the longest wait for one answer, body included.
	DefaultTimeout = vegeta.DefaultTimeout
	// DefaultKeepAlive reuses connections between requests.
	DefaultKeepAlive = true
	// DefaultHTTP2 offers HTTP/2 to https targets.
	DefaultHTTP2 = true
	// DefaultProgressEvery is the time between two progress lines.
	DefaultProgressEvery = time.Second
	// MinRate is the lowest rate an attacker accepts, per second, after
	// its shard's share is taken.
	MinRate = 0.001
)

// settings are the options of an attack.
type settings struct {
	rate           float64
	ramp           bool
	rampFrom       float64
	rampTo         float64
	duration       time.Duration
	workers        uint64
	maxWorkers     uint64
	connections    int
	maxConnections int
	timeout        time.Duration
	keepAlive      bool
	http2          bool
	shard          Shard
	startAt        time.Time
	progress       io.Writer
	progressEvery  time.Duration
	attackName     string
}

func defaultSettings() settings {
	return settings{rate: DefaultRate, duration: DefaultDuration, workers: DefaultWorkers,
		maxWorkers: DefaultMaxWorkers, connections: DefaultConnections,
		maxConnections: DefaultMaxConnections, timeout: DefaultTimeout,
		keepAlive: DefaultKeepAlive, http2: DefaultHTTP2, progressEvery: DefaultProgressEvery}
}

// Option changes an attack made by [NewAttack].
type Option func(*settings)

// Rate sets the request rate of the whole run per second, before a
// shard takes its share; 0 sends as fast as the workers go, with at most
// MaxWorkers workers (Workers when MaxWorkers is 0).
func Rate(perSecond float64) Option {
	return func(s *settings) { s.rate, s.ramp = perSecond, false }
}

// Ramp makes the rate grow (or fall) in a straight line from from to to
// per second over the attack's duration, which must then be above 0.
// Both rates are of the whole run, before a shard takes its share. Of
// Rate and Ramp, the one given last counts.
func Ramp(from, to float64) Option {
	return func(s *settings) { s.ramp, s.rampFrom, s.rampTo = true, from, to }
}

// Duration sets how long the attack sends requests; 0 means until the
// context given to Run ends.
func Duration(d time.Duration) Option { return func(s *settings) { s.duration = d } }

// Workers sets how many workers send requests at the start; Vegeta adds
// more when all are busy, up to MaxWorkers.
func Workers(n uint64) Option { return func(s *settings) { s.workers = n } }

// MaxWorkers caps the workers; 0 means no cap, except at rate 0.
func MaxWorkers(n uint64) Option { return func(s *settings) { s.maxWorkers = n } }

// Connections sets how many idle connections per host are kept.
func Connections(n int) Option { return func(s *settings) { s.connections = n } }

// MaxConnections caps the connections per host; 0 means no cap.
func MaxConnections(n int) Option { return func(s *settings) { s.maxConnections = n } }

// Timeout sets the longest wait for one answer, body included; 0 means
// no limit.
func Timeout(d time.Duration) Option { return func(s *settings) { s.timeout = d } }

// KeepAlive turns connection reuse on or off.
func KeepAlive(on bool) Option { return func(s *settings) { s.keepAlive = on } }

// HTTP2 offers HTTP/2 to https targets when on. Plain http targets are
// spoken to in HTTP/1.1 either way: HTTP/2 without TLS is not offered.
func HTTP2(on bool) Option { return func(s *settings) { s.http2 = on } }

// InShard makes the attack shard s of a run: it sends 1/Count of the
// run's rate (and ramp), and its results are named after the shard so
// that merged runs keep their series apart. Give the targeter [ForShard]
// with the same shard, so sequence numbers stay distinct.
func InShard(sh Shard) Option { return func(s *settings) { s.shard = sh } }

// StartAt makes Run wait until t before sending, so that shards started
// apart begin together. A time already past starts at once, with a
// notice on the progress writer.
func StartAt(t time.Time) Option { return func(s *settings) { s.startAt = t } }

// Progress makes Run write a progress line to w every interval (0 means
// DefaultProgressEvery); nil writes none.
func Progress(w io.Writer, every time.Duration) Option {
	return func(s *settings) {
		s.progress = w
		if every > 0 {
			s.progressEvery = every
		}
	}
}

// Name sets the attack name of the results; the default is "load", or
// "shard i/N" in a shard.
func Name(name string) Option { return func(s *settings) { s.attackName = name } }

// Problem is one invalid setting. Setting is the option's name in the
// words of the gwcert load flags, such as "rate" or "max-workers".
type Problem struct {
	Setting string
	Cause   string
}

// ConfigError lists every invalid setting of an attack.
type ConfigError struct {
	Problems []Problem
}

func (e *ConfigError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Setting + ": " + p.Cause
	}
	return "load: invalid settings: " + strings.Join(parts, "; ")
}

// check returns every problem of the settings.
func (s *settings) check() []Problem {
	var ps []Problem
	add := func(setting, format string, args ...any) {
		ps = append(ps, Problem{setting, fmt.Sprintf(format, args...)})
	}
	share := float64(s.shard.orWhole().Count)
	if s.ramp {
		s.checkRamp(add, share)
	} else if bad(s.rate) || s.rate < 0 {
		add("rate", "%v: must be 0 (as fast as possible) or above", s.rate)
	} else if s.rate > 0 && s.rate/share < MinRate {
		add("rate", "%v: must be at least %v per second%s", s.rate, MinRate, shardNote(share))
	}
	if s.duration < 0 {
		add("duration", "%s: must not be negative", s.duration)
	}
	if s.workers == 0 {
		add("workers", "must be at least 1")
	}
	if s.maxWorkers > 0 && s.maxWorkers < s.workers {
		add("max-workers", "%d: fewer than the %d workers to start with", s.maxWorkers, s.workers)
	}
	if s.connections < 0 {
		add("connections", "%d: must not be negative", s.connections)
	}
	if s.maxConnections < 0 {
		add("max-connections", "%d: must not be negative", s.maxConnections)
	}
	if s.timeout < 0 {
		add("timeout", "%s: must not be negative", s.timeout)
	}
	if err := s.shard.check(); err != nil {
		add("shard", "%v", err)
	}
	return ps
}

func (s *settings) checkRamp(add func(string, string, ...any), share float64) {
	if bad(s.rampFrom) || bad(s.rampTo) || s.rampFrom/share < MinRate || s.rampTo/share < MinRate {
		add("ramp", "%v:%v: both rates must be at least %v per second%s", s.rampFrom, s.rampTo,
			MinRate, shardNote(share))
	}
	if s.duration <= 0 {
		add("ramp", "needs a duration above 0 to ramp over")
	}
}

// shardNote says that a rate is checked per shard, when there are shards.
func shardNote(shards float64) string {
	if shards == 1 {
		return ""
	}
	return fmt.Sprintf(" for each of %v shards", shards)
}

func bad(f float64) bool { return math.IsNaN(f) || math.IsInf(f, 0) }

// pacer returns the pacer of this attacker's share of the run.
func (s *settings) pacer() vegeta.Pacer {
	share := float64(s.shard.orWhole().Count)
	if s.ramp {
		return RampPacer(s.rampFrom/share, s.rampTo/share, s.duration)
	}
	return ConstantPacer(s.rate / share)
}

// ConstantPacer paces perSecond requests a second; a rate that is not a
// whole number is kept to a thousandth. 0 means as fast as possible.
func ConstantPacer(perSecond float64) vegeta.ConstantPacer {
	if perSecond == math.Trunc(perSecond) && perSecond < math.MaxInt32 {
		return vegeta.ConstantPacer{Freq: int(perSecond), Per: time.Second}
	}
	return vegeta.ConstantPacer{Freq: int(math.Round(perSecond * 1000)), Per: 1000 * time.Second}
}

// RampPacer paces a rate that goes in a straight line from from to to
// per second over d: Vegeta's LinearPacer starting at from, with the
// slope that reaches to at d.
func RampPacer(from, to float64, d time.Duration) vegeta.LinearPacer {
	return vegeta.LinearPacer{StartAt: ConstantPacer(from), Slope: (to - from) / d.Seconds()}
}

// Settings describe an attack in a report.
type Settings struct {
	Rate           *float64   `json:"rate,omitempty"`      // of the whole run; 0 as fast as possible
	RampFrom       float64    `json:"ramp_from,omitempty"` // of the whole run, when ramping
	RampTo         float64    `json:"ramp_to,omitempty"`
	Duration       string     `json:"duration"`
	Workers        uint64     `json:"workers"`
	MaxWorkers     uint64     `json:"max_workers"` // 0: no cap
	Connections    int        `json:"connections"`
	MaxConnections int        `json:"max_connections"` // 0: no cap
	Timeout        string     `json:"timeout"`
	KeepAlive      bool       `json:"keepalive"`
	HTTP2          bool       `json:"http2"`
	Shard          string     `json:"shard"` // "i/N"; "0/1" for a whole run
	StartAt        *time.Time `json:"start_at,omitempty"`
}

// Settings returns the attack's settings for a report.
func (a *Attack) Settings() Settings {
	s := a.s
	out := Settings{Duration: s.duration.String(), Workers: s.workers,
		MaxWorkers: s.maxWorkers, Connections: s.connections, MaxConnections: s.maxConnections,
		Timeout: s.timeout.String(), KeepAlive: s.keepAlive, HTTP2: s.http2,
		Shard: s.shard.String()}
	if s.ramp {
		out.RampFrom, out.RampTo = s.rampFrom, s.rampTo
	} else {
		out.Rate = &s.rate
	}
	if !s.startAt.IsZero() {
		t := s.startAt.UTC()
		out.StartAt = &t
	}
	return out
}
