package load

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Sink receives every result of an attack once it is judged, in the
// order answers arrive; an error stops the attack.
type Sink func(*vegeta.Result) error

// Attack is an attack on the routes of a targeter with Vegeta. Make it
// with [NewAttack] and run it once with [Attack.Run].
type Attack struct {
	tr *Targeter
	s  settings
}

// NewAttack returns an attack with the given options over tr. Invalid
// settings are all reported at once in a *ConfigError.
func NewAttack(tr *Targeter, opts ...Option) (*Attack, error) {
	if tr == nil {
		panic("load: NewAttack needs a Targeter")
	}
	s, err := settingsOf(opts)
	if err != nil {
		return nil, err
	}
	if s.attackName == "" {
		s.attackName = "load"
		if s.shard.Count > 0 {
			s.attackName = "shard " + s.shard.String()
		}
	}
	return &Attack{tr: tr, s: s}, nil
}

// CheckOptions reports every invalid setting among opts in a
// *ConfigError, as NewAttack would, without a targeter.
func CheckOptions(opts ...Option) error {
	_, err := settingsOf(opts)
	return err
}

// settingsOf applies opts to the defaults and checks the outcome.
func settingsOf(opts []Option) (settings, error) {
	s := defaultSettings()
	for _, o := range opts {
		o(&s)
	}
	if ps := s.check(); len(ps) > 0 {
		return settings{}, &ConfigError{Problems: ps}
	}
	return s, nil
}

// Name returns the attack name its results carry.
func (a *Attack) Name() string { return a.s.attackName }

// Pacer returns the pacer of this attacker's share of the run.
func (a *Attack) Pacer() vegeta.Pacer { return a.s.pacer() }

// Run waits for the start time, if any, then attacks until the duration
// is over or ctx ends. Every answer is judged (see [Succeeded]), added
// to agg (nil: an aggregator of its own, for progress lines only) and
// handed to each sink in turn. It
// writes progress lines if asked to. It returns an error when ctx ended
// before the start time, or when a sink or the progress writer failed;
// an attack cut short by ctx is not an error.
func (a *Attack) Run(ctx context.Context, agg *Aggregator, sinks ...Sink) error {
	if err := a.wait(ctx); err != nil {
		return err
	}
	if agg == nil {
		agg = NewAggregator()
	}
	client := a.httpClient()
	defer client.CloseIdleConnections() // a server shutting down waits for them
	atk := vegeta.NewAttacker(vegeta.Client(client),
		vegeta.Workers(a.s.workers), vegeta.MaxWorkers(a.maxWorkers()))
	stop := context.AfterFunc(ctx, func() { atk.Stop() })
	defer stop()
	results := atk.Attack(a.tr.Target, a.s.pacer(), a.s.duration, "")
	return a.drain(results, atk, agg, sinks)
}

// wait sleeps until the start time, or returns at once without one.
func (a *Attack) wait(ctx context.Context) error {
	if a.s.startAt.IsZero() {
		return nil
	}
	p := &progress{w: a.s.progress}
	d := time.Until(a.s.startAt)
	if d <= 0 {
		p.printf("gwcert load: start time %s passed %s ago; starting now\n",
			a.s.startAt.Format(time.RFC3339), (-d).Round(time.Millisecond))
		return p.err
	}
	p.printf("gwcert load: waiting %s until %s\n", d.Round(time.Millisecond),
		a.s.startAt.Format(time.RFC3339))
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return p.err
	case <-ctx.Done():
		return fmt.Errorf("load: stopped before the start time: %w", context.Cause(ctx))
	}
}

// maxWorkers returns Vegeta's cap on workers. An unlimited rate with no
// cap would start workers without end, so there the cap is Workers.
func (a *Attack) maxWorkers() uint64 {
	switch {
	case a.s.maxWorkers > 0:
		return a.s.maxWorkers
	case !a.s.ramp && a.s.rate == 0:
		return a.s.workers
	}
	return vegeta.DefaultMaxWorkers
}

// httpClient builds the HTTP client of the attack: the settings' own
// transport wrapped by the judge. Vegeta's options that tune its
// transport only work on its built-in one, so the same settings are made
// here.
func (a *Attack) httpClient() *http.Client {
	dialer := &net.Dialer{KeepAlive: 30 * time.Second}
	if !a.s.keepAlive {
		dialer.KeepAlive = -1
	}
	var protos http.Protocols
	protos.SetHTTP1(true)
	protos.SetHTTP2(a.s.http2)
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         dialer.DialContext,
		MaxIdleConnsPerHost: a.s.connections,
		MaxConnsPerHost:     a.s.maxConnections,
		DisableKeepAlives:   !a.s.keepAlive,
		ForceAttemptHTTP2:   a.s.http2,
		Protocols:           &protos,
	}
	return &http.Client{
		Transport: a.tr.judge(tr),
		Timeout:   a.s.timeout,
		// The protocol has no redirects: a 3xx answer is judged as it is.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// drain takes every result until Vegeta closes the channel, and writes
// progress lines between them.
func (a *Attack) drain(results <-chan *vegeta.Result, atk *vegeta.Attacker, agg *Aggregator,
	sinks []Sink) error {
	p := &progress{w: a.s.progress, began: time.Now()}
	var tick <-chan time.Time
	if p.w != nil {
		t := time.NewTicker(a.s.progressEvery)
		defer t.Stop()
		tick = t.C
	}
	var sinkErr error
	for {
		select {
		case r, ok := <-results:
			if !ok {
				p.line(agg, time.Now(), true)
				return errors.Join(sinkErr, p.err)
			}
			if sinkErr != nil {
				continue // stopping: let the workers finish
			}
			if sinkErr = a.take(r, agg, sinks); sinkErr != nil {
				atk.Stop()
			}
		case now := <-tick:
			p.line(agg, now, false)
		}
	}
}

// take finishes one result and hands it on.
func (a *Attack) take(r *vegeta.Result, agg *Aggregator, sinks []Sink) error {
	finish(r, a.s.attackName)
	if err := agg.Add(r); err != nil {
		return err
	}
	for _, s := range sinks {
		if err := s(r); err != nil {
			return err
		}
	}
	return nil
}
