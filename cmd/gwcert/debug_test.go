package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/internal/target"
	"github.com/gwcert/gwcert/profiles"
)

// The printed curl command is sent as printed (headers and body parsed
// back out of it) to the bundled mock, which accepts it; its answer and
// the header token open with `gwcert open`.
func TestCurlCommandWorksAndOpenReadsTheAnswer(t *testing.T) {
	tg, err := target.Open(context.Background(), target.Options{})
	require.NoError(t, err)
	defer tg.Close()

	var out bytes.Buffer
	err = Run(context.Background(), []string{"curl", "--target", tg.URL, "--path", "/api/echo",
		"--payload", `{"amount":"12.50","note":"héllo"}`}, nil, &out, io.Discard)
	require.NoError(t, err)
	cmd := out.String()
	quoted := regexp.MustCompile(`'([^']*)'`).FindAllStringSubmatch(cmd, -1)
	require.Len(t, quoted, 5, cmd)

	req, err := http.NewRequest("POST", quoted[0][1], strings.NewReader(quoted[4][1]))
	require.NoError(t, err)
	for _, h := range quoted[1:4] {
		name, value, _ := strings.Cut(h[1], ": ")
		req.Header[name] = []string{value}
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, string(body))

	var opened bytes.Buffer
	require.NoError(t, Run(context.Background(), []string{"open", string(body)}, nil, &opened, io.Discard))
	assert.JSONEq(t, `{"amount":"12.50","note":"héllo"}`, opened.String())

	hs := strings.TrimPrefix(quoted[2][1], "header_secrets: ")
	opened.Reset()
	require.NoError(t, Run(context.Background(), []string{"open", hs}, nil, &opened, io.Discard))
	assert.Contains(t, opened.String(), `"client_secret":"[redacted]"`)
	assert.NotContains(t, opened.String(), profiles.MockCredentials[profiles.Primary].ClientSecret)
}

func TestCurlAndOpenUsageErrors(t *testing.T) {
	cases := map[string][]string{
		"no path":        {"curl", "--target", "http://127.0.0.1:1", "--payload", "{}"},
		"bad payload":    {"curl", "--target", "http://127.0.0.1:1", "--path", "/x", "--payload", "{"},
		"no token":       {"open"},
		"two tokens":     {"open", "a", "b"},
		"unknown flag":   {"curl", "--nope"},
		"bad profile":    {"open", "--profile", "no/such.yaml", "AAAA"},
		"unknown client": {"open", "--client", "nobody", "AAAA"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			err := Run(context.Background(), args, nil, io.Discard, io.Discard)
			var ue *usageError
			require.ErrorAs(t, err, &ue)
		})
	}
	err := Run(context.Background(), []string{"open", "not-a-token"}, nil, io.Discard, io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "base64")
}
