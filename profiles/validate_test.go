package profiles

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// problemsOf returns the problems of a *ValidationError, failing the test
// for any other result.
func problemsOf(t *testing.T, err error) []Problem {
	t.Helper()
	var verr *ValidationError
	require.True(t, errors.As(err, &verr), "want *ValidationError, got %v", err)
	return verr.Problems
}

// problemAt returns the problem at path, failing the test if there is none.
func problemAt(t *testing.T, problems []Problem, path string) Problem {
	t.Helper()
	for _, p := range problems {
		if p.Path == path {
			return p
		}
	}
	require.Failf(t, "no problem at path", "path %s; problems: %v", path, problems)
	return Problem{}
}

func TestEveryProblemListedAtOnce(t *testing.T) {
	doc := `name: broken
target: ftp://gateway.example.com
scheme: aes-128-ecb
key_encoding: hex
epoch_window: -5s
max_future_skew: 10
clock_margin: -1s
max_body_bytes: 0
routes:
  - path: /api/echo
    weight: 0
  - path: api/no-slash
    method: FETCH
  - path: /api/echo
    status: 700
unknown_path: /api/echo
errors:
  G6: {status: 401}
  G-6.2: {status: 200}
  G-6.3: {}
clients:
  primary:
    key_env: 1BAD-NAME
  peer:
    pass_key_env: GWCERT_PASS_KEY
    color: blue
`
	_, err := Parse([]byte(doc), "broken.yaml")
	problems := problemsOf(t, err)

	want := map[string]int{ // path: line
		"target":                    2,
		"scheme":                    3,
		"key_encoding":              4,
		"epoch_window":              5,
		"max_future_skew":           6,
		"clock_margin":              7,
		"max_body_bytes":            8,
		"routes[0].weight":          11,
		"routes[1].path":            12,
		"routes[1].method":          13,
		"routes[2].path":            14,
		"routes[2].status":          15,
		"unknown_path":              16,
		"errors.G6":                 18,
		"errors.G-6.2.status":       19,
		"errors.G-6.3":              20,
		"clients.primary.key_env":   23,
		"clients.peer.pass_key_env": 25,
		"clients.peer.color":        26,
	}
	for path, line := range want {
		p := problemAt(t, problems, path)
		assert.Equal(t, line, p.Line, "line of %s", path)
	}
	assert.Len(t, problems, len(want), "problems: %v", problems)

	lines := strings.Split(err.Error(), "\n")
	assert.Len(t, lines, len(want), "one problem a line")
	for _, l := range lines {
		assert.True(t, strings.HasPrefix(l, "broken.yaml: line "), l)
	}
	for i := 1; i < len(problems); i++ {
		assert.LessOrEqual(t, problems[i-1].Line, problems[i].Line, "document order")
	}
}

func TestSingleProblems(t *testing.T) {
	tests := []struct {
		name, doc, path, cause string
	}{
		{"gcm is accepted, ecb is not", "scheme: aes-256-ecb", "scheme", "aes-256-gcm"},
		{"target without host", "target: https://", "target", "no host"},
		{"target with user", "target: https://u:p@gw.example.com", "target", "environment"},
		{"target with query", "target: https://gw.example.com/?a=1", "target", "query"},
		{"window zero", "epoch_window: 0s", "epoch_window", "positive"},
		{"window fraction", "epoch_window: 1500ms", "epoch_window", "whole seconds"},
		{"skew fraction", "max_future_skew: 2.5s", "max_future_skew", "whole seconds"},
		{"duration word", "epoch_window: soon", "epoch_window", "duration"},
		{"margin past window", "epoch_window: 10s\nclock_margin: 10s", "clock_margin",
			"smaller than epoch_window"},
		{"bool as text", "replay_detection: maybe", "replay_detection", "true or false"},
		{"size as text", "max_body_bytes: big", "max_body_bytes", "whole number"},
		{"weight float", "routes: [{path: /a, weight: 1.5}]", "routes[0].weight", "whole number"},
		{"weight huge", "routes: [{path: /a, weight: 99999999999}]", "routes[0].weight",
			"out of range"},
		{"status 99", "routes: [{path: /a, status: 99}]", "routes[0].status", "100..599"},
		{"path query", "routes: [{path: \"/a?b=1\"}]", "routes[0].path", "query"},
		{"path space", "routes: [{path: /a b}]", "routes[0].path", "spaces"},
		{"path double slash", "routes: [{path: //evil.example}]", "routes[0].path", "single"},
		{"path missing", "routes: [{method: POST}]", "routes[0].path", "required"},
		{"route not a mapping", "routes: [/api/echo]", "routes[0]", "mapping"},
		{"routes not a list", "routes: {path: /a}", "routes", "list"},
		{"answer lacks expected field", "routes: [{path: /a, expect_field: id, answer: {ok: 1}}]",
			"routes[0].answer", "expect_field"},
		{"unknown path not a path", "unknown_path: nowhere", "unknown_path", "start"},
		{"error id lower case", "errors: {g-6.1: {status: 401}}", "errors.g-6.1", "G-6.1"},
		{"error id zero", "errors: {G-6.0: {status: 401}}", "errors.G-6.0", "G-6.1"},
		{"error status huge", "errors: {G-6.1: {status: 600}}", "errors.G-6.1.status", "100..599"},
		{"error unknown member", "errors: {G-6.1: {text: denied, code: 401}}", "errors.G-6.1.code",
			"unknown field"},
		{"env name with dash", "clients: {peer: {key_env: PEER-KEY}}", "clients.peer.key_env",
			"environment variable name"},
		{"env name empty", "clients: {primary: {key_env: \"\"}}", "clients.primary.key_env",
			"required"},
		{"env name a pasted base32 pass key", "clients: {primary: {pass_key_env: " +
			"M7KZP7WVDUVPSBP7DOVUHLAQ7FRKBJ3WJ4JBNCZ4LIJKZAQ2UX7Q}}",
			"clients.primary.pass_key_env", "52 characters without an underscore"},
		{"env name a pasted hex secret", "clients: {primary: {client_secret_env: " +
			"e04ef743c4f4faacff86d3d6aa7a29668b24a5ea}}",
			"clients.primary.client_secret_env", "looks like a pasted secret"},
		{"extra client without a name", "clients: {third: {pass_key_env: T_PASS, " +
			"client_id_env: T_ID, key_env: T_KEY}}",
			"clients.third.client_secret_env", "required"},
		{"client name upper case", "clients: {Third: {pass_key_env: A, client_id_env: B, " +
			"client_secret_env: C, key_env: D}}", "clients.Third", "lower-case"},
		{"env shared in one client", "clients: {primary: {client_id_env: GWCERT_KEY}}",
			"clients.primary.key_env", "same variable as clients.primary.client_id_env"},
		{"document is a list", "- a\n- b", "(document)", "mapping"},
		{"field given twice", "scheme: aes-256-cbc\nscheme: aes-256-gcm", "scheme", "more than once"},
		{"name blank", "name: \"  \"", "name", "required"},
		{"name as mapping", "name: {first: x}", "name", "want a string"},
		{"client as list", "clients: {peer: [a, b]}", "clients.peer", "mapping"},
		{"list as key", "? [a, b]\n: c\n", "(document)", "plain name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc), "one.yaml")

			problems := problemsOf(t, err)
			p := problemAt(t, problems, tt.path)
			assert.Contains(t, p.Cause, tt.cause)
			assert.Len(t, problems, 1, "problems: %v", problems)
		})
	}
}

func TestUnknownFieldIsAProblem(t *testing.T) {
	tests := []struct {
		doc, path string
		line      int
	}{
		{"name: x\ntimeout: 5s\n", "timeout", 2},
		{"routes:\n  - path: /a\n    paylod: {}\n", "routes[0].paylod", 3},
		{"clients:\n  primary:\n    key_variable: K\n", "clients.primary.key_variable", 3},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.doc), "unknown.yaml")

		p := problemAt(t, problemsOf(t, err), tt.path)
		assert.Equal(t, "unknown field", p.Cause)
		assert.Equal(t, tt.line, p.Line)
	}
}

func TestSyntaxErrorCarriesLine(t *testing.T) {
	tests := []struct {
		doc  string
		line string
	}{
		{"name: x\n\tscheme: aes-256-cbc\n", "line 2"},
		{"name: x\nscheme: aes: cbc\n", "line 2"},
		{"name: x\ntarget: https://gw.example.com\n  scheme: aes-256-cbc\n", "line 3"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.doc), "syntax.yaml")

		require.Error(t, err)
		var verr *ValidationError
		assert.False(t, errors.As(err, &verr), "a syntax error is not a validation error")
		assert.Contains(t, err.Error(), "syntax.yaml")
		assert.Contains(t, err.Error(), tt.line+":")
	}
}

func TestSecretInProfileIsRejected(t *testing.T) {
	const value = "c2VjcmV0LXZhbHVlLW5ldmVyLXRvLWJlLXByaW50ZWQ="
	for _, field := range []string{"pass_key", "client_secret", "key", "secret",
		"password", "client_id"} {
		t.Run(field, func(t *testing.T) {
			doc := "clients:\n  primary:\n    " + field + ": " + value + "\n"

			_, err := Parse([]byte(doc), "secret.yaml")

			p := problemAt(t, problemsOf(t, err), "clients.primary."+field)
			assert.Contains(t, p.Cause, "environment variables")
			assert.Equal(t, 3, p.Line)
			assert.NotContains(t, err.Error(), value)
		})
	}
}

func TestProblemsNeverQuoteValues(t *testing.T) {
	const value = "dVLYwtJ1Sqhbbd1V32QgrDLeZeRXG0+O0fE17E2k7vY="
	docs := []string{
		"clients: {primary: {key_env: " + value + "}}",
		"name: x\nscheme: " + value,
		"target: " + value,
		"routes: [{path: " + value + "}]",
		"max_body_bytes: " + value,
	}
	for _, doc := range docs {
		_, err := Parse([]byte(doc), "leak.yaml")

		require.Error(t, err)
		assert.NotContains(t, err.Error(), value)
		assert.NotContains(t, err.Error(), value[:12])
	}
}

func TestDocumentShape(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"empty", "", "empty document"},
		{"only comments", "# nothing here\n", "empty document"},
		{"two documents", "name: a\n---\nname: b\n", "more than one YAML document"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc), "shape.yaml")

			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, err.Error(), "shape.yaml")
		})
	}
}

func TestValidateProfileBuiltInCode(t *testing.T) {
	p := Default()
	require.NoError(t, p.Validate())

	p.Name = "edited"
	p.Scheme = "aes-256-gcm"
	p.EpochWindow = 90 * time.Second
	require.NoError(t, p.Validate())

	p.Routes = append(p.Routes, Route{Path: "/api/echo", Method: "POST",
		Payload: []byte(`{`), Weight: 1, Status: 200})
	p.Errors["X-1"] = ErrorExpectation{Status: 401}
	err := p.Validate()

	problems := problemsOf(t, err)
	assert.ElementsMatch(t, []string{"routes[2].path", "routes[2].payload", "errors.X-1"},
		[]string{problems[0].Path, problems[1].Path, problems[2].Path})
	assert.Len(t, problems, 3)
	for _, p := range problems {
		assert.Zero(t, p.Line, "no document, no line")
	}
	assert.True(t, strings.HasPrefix(err.Error(), "profile edited: "), err.Error())
}
