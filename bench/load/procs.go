package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gwcert/gwcert/bench/load/internal/benchkit"
	"github.com/gwcert/gwcert/mockgateway"
)

// serverSpec says what a helper server serves.
type serverSpec struct {
	Mode    string // "mock" or "plain"
	Clients int    // generated clients; 0: the bundled profile's
}

// server is a running helper server process.
type server struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
	stats  string   // URL of its counts
	env    []string // GWCERT_* variables as KEY=VALUE
	url    string   // base URL
}

// startServer starts the helper server and waits until it listens.
func startServer(bin string, spec serverSpec, record bool) (*server, error) {
	args := []string{"-mode", spec.Mode, "-clients", strconv.Itoa(spec.Clients)}
	if record {
		args = append(args, "-record")
	}
	s := &server{cmd: exec.Command(bin, args...)}
	s.cmd.Stderr = &s.stderr
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the %s server: %w", spec.Mode, err)
	}
	ready := make(chan error, 1)
	go func() { ready <- s.readBanner(out) }()
	select {
	case err = <-ready:
	case <-time.After(20 * time.Second):
		err = errors.New("not ready after 20s")
	}
	if err != nil {
		s.stop()
		return nil, fmt.Errorf("the %s server: %w: %s", spec.Mode, err, firstLine(s.stderr.Bytes()))
	}
	go io.Copy(io.Discard, out) // nothing more is expected; never block the server
	return s, nil
}

// readBanner reads the lines the server prints once it listens.
func (s *server) readBanner(out io.Reader) error {
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "ready":
			if s.stats == "" || s.url == "" {
				return errors.New("banner without stats or base URL")
			}
			return nil
		case strings.HasPrefix(line, "stats "):
			s.stats = strings.TrimPrefix(line, "stats ")
		case strings.HasPrefix(line, "export "):
			kv := strings.TrimPrefix(line, "export ")
			s.env = append(s.env, kv)
			if v, ok := strings.CutPrefix(kv, "GWCERT_BASE_URL="); ok {
				s.url = v
			}
		}
	}
	return fmt.Errorf("exited before it was ready (%v)", sc.Err())
}

// stop asks the server to stop and waits, killing it if it lingers.
func (s *server) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// attackerSpec says which attacker a side runs and how.
type attackerSpec struct {
	Kind    string // kindStatic, kindSealed or kindGwcert
	Clients int    // generated clients; 0: the profile's primary client
	Payload int    // payload bytes, sent to the echo route
	Rate    int    // requests per second; 0: the maximum
}

// Attacker kinds.
const (
	kindStatic = "static" // Vegeta replaying requests sealed once
	kindSealed = "sealed" // the bench's own sealing and judging targeter
	kindGwcert = "gwcert" // `gwcert load`
)

// sample is one attack's figures.
type sample struct {
	Answers   benchkit.Stats    // counted by the server during the attack
	CPU       time.Duration     // attacker user plus system time
	Wall      time.Duration     // attacker process lifetime
	Rate      float64           // 2xx answers per second of attack
	CPUPerReq time.Duration     // CPU / answers
	Summary   *benchkit.Summary // the helper attacker's own count; nil for gwcert
	Asked     int               // the rate asked for; 0: the maximum
}

// attack runs one attacker process against srv for d and measures it.
func (r *runner) attack(srv *server, a attackerSpec, d time.Duration) (sample, error) {
	before, err := benchkit.FetchStats(srv.stats)
	if err != nil {
		return sample{}, err
	}
	if err := r.ensureProfile(a); err != nil {
		return sample{}, err
	}
	r.runs++
	scratch := filepath.Join(r.tmp, fmt.Sprintf("run-%d", r.runs))
	defer os.RemoveAll(scratch)
	ctx, cancel := context.WithTimeout(context.Background(), d+90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.attackerBin(a), r.attackerArgs(srv, a, d, scratch)...)
	cmd.Env = append(os.Environ(), srv.env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return sample{}, fmt.Errorf("%s attacker: %v: %s", a.Kind, err, lastLine(stderr.Bytes()))
	}
	after, err := benchkit.FetchStats(srv.stats)
	if err != nil {
		return sample{}, err
	}
	s := sample{Answers: after.Sub(before), Wall: wall,
		CPU: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if err := s.finish(d, a, stdout.Bytes()); err != nil {
		return sample{}, err
	}
	return s, nil
}

// finish derives the rates and reads a helper attacker's summary.
func (s *sample) finish(d time.Duration, a attackerSpec, stdout []byte) error {
	if s.Answers.Total() == 0 {
		return fmt.Errorf("%s attacker: the server counted no answer", a.Kind)
	}
	s.Rate = float64(s.Answers.OK) / d.Seconds()
	s.Asked = a.Rate
	s.CPUPerReq = s.CPU / time.Duration(s.Answers.Total())
	if a.Kind == kindGwcert {
		return nil
	}
	s.Summary = new(benchkit.Summary)
	if err := json.Unmarshal(bytes.TrimSpace(stdout), s.Summary); err != nil {
		return fmt.Errorf("%s attacker: reading its summary: %w", a.Kind, err)
	}
	return nil
}

// attackerBin is the program of an attacker kind.
func (r *runner) attackerBin(a attackerSpec) string {
	switch a.Kind {
	case kindGwcert:
		return r.bins.gwcert
	case kindSealed:
		return r.bins.sealed
	}
	return r.bins.static
}

// attackerArgs are the command line of an attacker against srv. gwcert
// load writes its results and report into scratch, as it would for a
// user, so that no report lands in the checkout.
func (r *runner) attackerArgs(srv *server, a attackerSpec, d time.Duration,
	scratch string) []string {
	w := strconv.FormatUint(r.cfg.workers, 10)
	if a.Kind == kindGwcert {
		args := []string{"load", "--profile", r.profiles[a.Payload], "--target", srv.url,
			"--rate", strconv.Itoa(a.Rate), "--duration", d.String(), "--workers", w, "--quiet",
			"--report-dir", scratch}
		return append(args, r.cfg.extra...)
	}
	return []string{"-url", srv.url + mockgateway.EchoPath, "-duration", d.String(),
		"-workers", w, "-clients", strconv.Itoa(a.Clients), "-payload", strconv.Itoa(a.Payload),
		"-rate", strconv.Itoa(a.Rate)}
}

// lastLine returns the last non-empty line of out, shortened.
func lastLine(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return firstLine([]byte(lines[len(lines)-1]))
}

// ensureProfile writes the profile gwcert load needs for a's payload,
// once per size: the bundled profile's clients and the echo route alone,
// with the payload the helper attackers send, so that every attacker
// sends the same bytes to the same route.
func (r *runner) ensureProfile(a attackerSpec) error {
	if a.Kind != kindGwcert || r.profiles[a.Payload] != "" {
		return nil
	}
	payload, err := benchkit.Payload(a.Payload)
	if err != nil {
		return err
	}
	path := filepath.Join(r.tmp, fmt.Sprintf("echo-%d.yaml", a.Payload))
	doc := fmt.Sprintf("# Written by bench/load: the echo route with a %d-byte payload.\n"+
		"name: bench-echo-%d\nroutes:\n  - path: %s\n    payload: %s\n"+
		"    expect_field: amount\n", a.Payload, a.Payload, mockgateway.EchoPath, payload)
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		return fmt.Errorf("writing gwcert's profile: %w", err)
	}
	if r.profiles == nil {
		r.profiles = map[int]string{}
	}
	r.profiles[a.Payload] = path
	return nil
}
