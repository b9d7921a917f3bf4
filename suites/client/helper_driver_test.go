package client_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gwcert/gwcert/envelope"
)

// The reference driver: this test binary, started again with
// helperEnv set, becomes a client driver built on gwcert's own codec.
// It lets the suite run where Node.js is missing, and gives the tests
// a second, independent client to certify.
const helperEnv = "GWCERT_TEST_HELPER_DRIVER"

// Modes of the reference driver.
const (
	helperCorrect = "correct"
	helperZeroIV  = "zero-iv" // every IV all zero
)

// helperCommand is the shell command that starts the reference driver.
func helperCommand(mode string) string {
	self, err := filepath.Abs(os.Args[0])
	if err != nil {
		self = os.Args[0]
	}
	return fmt.Sprintf("env %s=%s '%s'", helperEnv, mode, strings.ReplaceAll(self, "'", `'\''`))
}

// zeros is an IV source that yields only zero bytes.
type zeros struct{}

func (zeros) Read(b []byte) (int, error) { clear(b); return len(b), nil }

// runHelperDriver serves the driver contract on stdin and stdout and
// returns the exit status.
func runHelperDriver(mode string) int {
	env := func(name string) string { return os.Getenv("GWCERT_" + name) }
	key, err := envelope.ParseKey(env("KEY"), envelope.KeyEncoding(env("KEY_ENCODING")))
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper driver: GWCERT_KEY:", envelope.KindOf(err))
		return 2
	}
	var opts []envelope.Option
	if mode == helperZeroIV {
		opts = append(opts, envelope.WithIVSource(zeros{}))
	}
	codec, err := envelope.New(envelope.Scheme(env("SCHEME")), key, opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper driver: GWCERT_SCHEME:", err)
		return 2
	}
	d := &helperDriver{codec: codec, base: env("BASE_URL"), cred: envelope.Credentials{
		PassKey: env("PASS_KEY"), ClientID: env("CLIENT_ID"), ClientSecret: env("CLIENT_SECRET")}}
	return d.serve(os.Stdin, os.Stdout)
}

type helperDriver struct {
	codec *envelope.Codec
	base  string
	cred  envelope.Credentials
	http  http.Client
}

// serve answers one line per step until in ends.
func (d *helperDriver) serve(in io.Reader, out io.Writer) int {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), 8<<20)
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		if enc.Encode(d.step(sc.Bytes())) != nil || w.Flush() != nil {
			return 1
		}
	}
	return 0
}

// step makes one call and returns the answer line's members.
func (d *helperDriver) step(line []byte) map[string]any {
	var st struct {
		Step    string          `json:"step"`
		Method  string          `json:"method"`
		Path    string          `json:"path"`
		Payload json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(line, &st); err != nil {
		return map[string]any{"step": nil, "error": "invalid step: not JSON"}
	}
	status, body, err := d.call(st.Method, st.Path, st.Payload)
	if err != nil {
		return map[string]any{"step": st.Step, "error": err.Error()}
	}
	return map[string]any{"step": st.Step, "status": status, "body": json.RawMessage(body)}
}

func (d *helperDriver) call(method, path string, payload []byte) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := d.codec.NewHTTPRequest(ctx, method, d.base+path, d.cred, payload)
	if err != nil {
		return 0, nil, err
	}
	resp, err := d.http.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("request failed: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, fmt.Errorf("answer cut short: %w", err)
	}
	r, err := d.codec.OpenResponse(resp.StatusCode, raw)
	if err != nil {
		return 0, nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, envelope.KindOf(err))
	}
	return r.Status, r.JSON, nil
}
