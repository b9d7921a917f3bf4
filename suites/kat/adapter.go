package kat

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/gwcert/gwcert/envelope"
)

// DefaultAdapterTimeout bounds the wait for one answer of an adapter.
const DefaultAdapterTimeout = 10 * time.Second

// Adapter is a crypto implementation in another program, spoken to over
// the JSON Lines contract of DESIGN.md. One request is in flight at a
// time; an adapter that stops answering is killed and every later call
// fails at once with the same reason.
type Adapter struct {
	command string
	timeout time.Duration
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	lines   chan string
	stderr  *tail

	mu     sync.Mutex // guards nextID, dead and the request/answer exchange
	nextID int
	dead   error
}

// StartAdapter starts command through /bin/sh and returns the adapter.
// timeout bounds each answer (0: [DefaultAdapterTimeout]).
func StartAdapter(command string, timeout time.Duration) (*Adapter, error) {
	if strings.TrimSpace(command) == "" {
		return nil, errors.New("adapter command is empty")
	}
	if timeout <= 0 {
		timeout = DefaultAdapterTimeout
	}
	a := &Adapter{command: command, timeout: timeout, lines: make(chan string, 1), stderr: &tail{max: 4096}}
	a.cmd = exec.Command("/bin/sh", "-c", "exec "+command)
	a.cmd.Stderr = a.stderr
	var err error
	if a.stdin, err = a.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := a.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := a.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting adapter %q: %w", command, err)
	}
	go a.readLines(stdout)
	return a, nil
}

func (a *Adapter) readLines(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	for sc.Scan() {
		a.lines <- sc.Text()
	}
	close(a.lines)
}

// Name returns the adapter's command line.
func (a *Adapter) Name() string { return "adapter: " + a.command }

// Close closes the adapter's stdin and waits briefly for it to exit, then
// kills it.
func (a *Adapter) Close() error {
	a.stdin.Close()
	done := make(chan error, 1)
	go func() { done <- a.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(2 * time.Second):
		a.cmd.Process.Kill()
		<-done
		return errors.New("adapter did not exit after stdin closed; killed")
	}
}

// answer is one line an adapter writes.
type answer struct {
	ID            *int    `json:"id"`
	Token         *string `json:"token"`
	Plaintext     *string `json:"plaintext"`
	HeaderSecrets *string `json:"header_secrets"`
	Error         *string `json:"error"`
}

// call sends one request and waits for its answer.
func (a *Adapter) call(req map[string]any) (answer, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.dead != nil {
		return answer{}, a.dead
	}
	a.nextID++
	id := a.nextID
	req["id"] = id
	line, _ := json.Marshal(req)
	if _, err := a.stdin.Write(append(line, '\n')); err != nil {
		return answer{}, a.die(fmt.Errorf("writing to adapter: %w", err))
	}
	select {
	case text, ok := <-a.lines:
		if !ok {
			return answer{}, a.die(a.exitError())
		}
		return a.parse(text, id)
	case <-time.After(a.timeout):
		a.cmd.Process.Kill()
		return answer{}, a.die(fmt.Errorf("adapter gave no answer to request %d within %s; killed", id, a.timeout))
	}
}

func (a *Adapter) parse(text string, id int) (answer, error) {
	var ans answer
	if err := json.Unmarshal([]byte(text), &ans); err != nil {
		var wrongType *json.UnmarshalTypeError
		if errors.As(err, &wrongType) && wrongType.Field != "" {
			want := "a string"
			if wrongType.Field == "id" {
				want = "an integer"
			}
			return ans, fmt.Errorf("adapter answered a line whose %q is a JSON %s, not %s: %.120q",
				wrongType.Field, wrongType.Value, want, text)
		}
		return ans, fmt.Errorf("adapter answered a line that is not a JSON object: %.120q", text)
	}
	if ans.ID == nil || *ans.ID != id {
		return ans, a.die(fmt.Errorf("adapter answered out of order: want id %d, got line %.120q", id, text))
	}
	if ans.Error != nil {
		if *ans.Error == "unsupported" {
			return ans, ErrUnsupported
		}
		return ans, &Refusal{Word: *ans.Error}
	}
	return ans, nil
}

func (a *Adapter) die(err error) error {
	a.dead = err
	return err
}

func (a *Adapter) exitError() error {
	err := a.cmd.Wait()
	msg := "adapter exited before answering"
	if err != nil {
		msg += " (" + err.Error() + ")"
	}
	if s := strings.TrimSpace(a.stderr.String()); s != "" {
		msg += "; stderr: " + s
	}
	return errors.New(msg)
}

// Seal implements [Impl].
func (a *Adapter) Seal(scheme envelope.Scheme, key, iv, pt []byte) (string, error) {
	ans, err := a.call(map[string]any{"op": "seal", "scheme": scheme, "key": hex.EncodeToString(key),
		"iv": hex.EncodeToString(iv), "plaintext": hex.EncodeToString(pt)})
	if err != nil {
		return "", err
	}
	if ans.Token == nil {
		return "", errors.New("adapter answered seal without a token")
	}
	return *ans.Token, nil
}

// Open implements [Impl].
func (a *Adapter) Open(scheme envelope.Scheme, key []byte, token string) ([]byte, error) {
	ans, err := a.call(map[string]any{"op": "open", "scheme": scheme, "key": hex.EncodeToString(key),
		"token": token})
	if err != nil {
		return nil, err
	}
	if ans.Plaintext == nil {
		return nil, errors.New("adapter answered open without plaintext or error")
	}
	pt, err := hex.DecodeString(*ans.Plaintext)
	if err != nil {
		return nil, errors.New("adapter answered plaintext that is not hex")
	}
	return pt, nil
}

// Header implements [Impl].
func (a *Adapter) Header(scheme envelope.Scheme, key, iv []byte, h envelope.HeaderSecrets) (string, error) {
	ans, err := a.call(map[string]any{"op": "header", "scheme": scheme, "key": hex.EncodeToString(key),
		"iv": hex.EncodeToString(iv), "client_id": h.ClientID, "client_secret": h.ClientSecret,
		"epoch": h.Epoch})
	if err != nil {
		return "", err
	}
	if ans.HeaderSecrets == nil {
		return "", errors.New("adapter answered header without header_secrets")
	}
	return *ans.HeaderSecrets, nil
}

// tail keeps the last max bytes written to it; it holds an adapter's
// stderr for error messages.
type tail struct {
	mu  sync.Mutex // guards buf
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
