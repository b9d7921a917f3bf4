package slowbody_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gwcert/gwcert/internal/slowbody"
)

// reading is a handler that reads the body to its end and answers 408 if
// reading fails, counting the bytes it got.
type reading struct{ got atomic.Int64 }

func (h *reading) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n, err := io.Copy(io.Discard, r.Body)
	h.got.Add(n)
	if err != nil {
		http.Error(w, `{"statusDesc":"body too slow"}`, http.StatusRequestTimeout)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// serve starts an http.Server on 127.0.0.1 with the given read timeout
// (0: none) and returns its base URL.
func serve(t *testing.T, h http.Handler, readTimeout time.Duration) string {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ReadTimeout = readTimeout
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

func request(url string, wait time.Duration) slowbody.Request {
	return slowbody.Request{URL: url + "/api/echo", Wait: wait, Every: 20 * time.Millisecond,
		Header: http.Header{"Content-Type": {"application/json"}, "Pass_key": {"PK"}},
		Prefix: []byte(`{"RequestData":"`)}
}

func TestServerThatTimesOutTheBodyAnswers(t *testing.T) {
	h := &reading{}
	url := serve(t, h, 300*time.Millisecond)
	res, err := slowbody.Send(context.Background(), request(url, 5*time.Second))
	require.NoError(t, err)
	assert.Equal(t, slowbody.Answered, res.Outcome)
	assert.Equal(t, http.StatusRequestTimeout, res.Status)
	assert.Contains(t, string(res.Body), "body too slow")
	assert.GreaterOrEqual(t, res.After, 250*time.Millisecond, "the server's timeout, not earlier")
	assert.Less(t, res.After, 4*time.Second)
	assert.Greater(t, res.Sent, len(`{"RequestData":"`), "bytes were dripped after the prefix")
	assert.Positive(t, h.got.Load(), "the server received the body as it came")
}

func TestOverTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(&reading{})
	srv.Config.ReadTimeout = 300 * time.Millisecond
	srv.StartTLS()
	t.Cleanup(srv.Close)
	r := request(srv.URL, 5*time.Second)
	r.TLS = srv.Client().Transport.(*http.Transport).TLSClientConfig
	res, err := slowbody.Send(context.Background(), r)
	require.NoError(t, err)
	assert.Equal(t, slowbody.Answered, res.Outcome)
	assert.Equal(t, http.StatusRequestTimeout, res.Status)

	r.TLS = nil // the test server's certificate is not among the system's roots
	_, err = slowbody.Send(context.Background(), r)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "certificate")
}

func TestServerWithoutTimeoutIsStillReading(t *testing.T) {
	h := &reading{}
	url := serve(t, h, 0)
	start := time.Now()
	res, err := slowbody.Send(context.Background(), request(url, 600*time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, slowbody.StillReading, res.Outcome)
	assert.GreaterOrEqual(t, time.Since(start), 600*time.Millisecond)
	assert.Less(t, time.Since(start), 5*time.Second, "Send returns once the wait is over")
	// Every dripped byte reached the handler: the body really trickled.
	assert.Eventually(t, func() bool { return h.got.Load() >= int64(res.Sent)-1 },
		2*time.Second, 10*time.Millisecond)
}

// A server may answer before the body is over, keeping the connection
// open (net/http's server would first try to read the rest).
func TestServerThatAnswersAtOnce(t *testing.T) {
	addr := rawServer(t, func(conn net.Conn) {
		conn.Read(make([]byte, 512))
		io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nearly")
		io.Copy(io.Discard, conn)
	})
	res, err := slowbody.Send(context.Background(), request("http://"+addr, 5*time.Second))
	require.NoError(t, err)
	assert.Equal(t, slowbody.Answered, res.Outcome)
	assert.Equal(t, http.StatusOK, res.Status)
	assert.Equal(t, "early", string(res.Body))
	assert.Less(t, res.After, 4*time.Second)
}

// rawServer accepts one connection on 127.0.0.1 and hands it to serve.
func rawServer(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		serve(conn)
	}()
	return ln.Addr().String()
}

// A server that hangs up without a word is told apart from one that
// answers.
func TestServerThatHangsUp(t *testing.T) {
	addr := rawServer(t, func(conn net.Conn) {
		conn.Read(make([]byte, 512))
		time.Sleep(100 * time.Millisecond)
	})
	res, err := slowbody.Send(context.Background(), request("http://"+addr, 5*time.Second))
	require.NoError(t, err)
	assert.Equal(t, slowbody.Closed, res.Outcome)
	assert.Less(t, res.After, 4*time.Second)
}

func TestCancelledContext(t *testing.T) {
	url := serve(t, &reading{}, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := slowbody.Send(ctx, request(url, time.Minute))
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.DeadlineExceeded), err.Error())
}

func TestBadRequests(t *testing.T) {
	cases := map[string]struct {
		edit func(*slowbody.Request)
		want string
	}{
		"scheme":   {func(r *slowbody.Request) { r.URL = "ftp://127.0.0.1:1/x" }, `scheme "ftp"`},
		"url":      {func(r *slowbody.Request) { r.URL = "http://[::1" }, "URL"},
		"wait":     {func(r *slowbody.Request) { r.Wait = 0 }, "Wait 0s must be positive"},
		"refused":  {func(r *slowbody.Request) { r.URL = "http://127.0.0.1:1/x" }, "refused"},
		"bad name": {func(r *slowbody.Request) { r.Header["Bad Name"] = []string{"x"} }, `"Bad Name"`},
		"line break in a value": {func(r *slowbody.Request) {
			r.Header["Header_secrets"] = []string{"SECRETVALUE\r\nX-Injected: 1"}
		}, "header Header_secrets: the value holds a line break"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := request("http://127.0.0.1:9", time.Second)
			tc.edit(&r)
			_, err := slowbody.Send(context.Background(), r)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.False(t, strings.Contains(err.Error(), "SECRETVALUE"), "no header value in errors")
		})
	}
}

func TestOutcomeNames(t *testing.T) {
	assert.Equal(t, "answered", slowbody.Answered.String())
	assert.Equal(t, "closed the connection", slowbody.Closed.String())
	assert.Equal(t, "still reading", slowbody.StillReading.String())
	assert.Equal(t, "Outcome(9)", slowbody.Outcome(9).String())
}
