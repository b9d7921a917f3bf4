// Package slowbody sends an HTTP/1.1 request whose body never ends: a
// first part at once, then one byte at a time, for ever, in chunked
// encoding so that no length is announced. It reports what the server
// did about it: answered, closed the connection, or was still reading
// when the wait ran out.
//
// net/http's client cannot do this without waiting out its own timeout
// and hiding what the server did, so the request is written by hand on
// a plain TCP (or TLS) connection. It speaks HTTP/1.1 only: a server that
// accepts nothing but HTTP/2 refuses the TLS handshake, and Send returns
// that error rather than a Result.
package slowbody

import (
	"bufio"
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Request is the call to send.
type Request struct {
	// URL is the absolute http or https URL, path included.
	URL string
	// Header holds the header lines sent besides Host and
	// Transfer-Encoding, as written (repeats included).
	Header http.Header
	// Prefix is the body's first bytes, sent with the headers.
	Prefix []byte
	// Drip is the byte sent after the prefix, one at a time, for ever;
	// 0 means 'A', which keeps a base64 string growing.
	Drip byte
	// Every is the pause between two drips; 0 means DefaultEvery.
	Every time.Duration
	// Wait is how long the server is given to answer or close,
	// counted from the first byte of the body.
	Wait time.Duration
	// TLS configures an https connection; nil trusts the system's roots.
	TLS *tls.Config
}

// DefaultEvery is the pause between two bytes of the body: fast enough
// that a server timing out only idle reads never sees an idle one.
const DefaultEvery = 250 * time.Millisecond

// Outcome is what the server did with the body that never ended.
type Outcome int

// The outcomes, from best to worst for the server.
const (
	// Answered: the server sent an answer (Status and Body hold it).
	Answered Outcome = iota + 1
	// Closed: the server closed or reset the connection without an
	// answer.
	Closed
	// StillReading: the server neither answered nor closed within Wait.
	StillReading
)

func (o Outcome) String() string {
	switch o {
	case Answered:
		return "answered"
	case Closed:
		return "closed the connection"
	case StillReading:
		return "still reading"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Result says what happened.
type Result struct {
	Outcome Outcome
	Status  int    // the answer's status, when Answered
	Body    []byte // the answer's body (at most MaxBody bytes), when Answered
	After   time.Duration
	Sent    int // body bytes sent, prefix included
}

// MaxBody bounds how much of an answer's body is kept.
const MaxBody = 64 << 10

// Send sends r and waits for the server to act, at most r.Wait (and no
// longer than ctx allows). The error is for a request that could not be
// sent at all: a bad URL, or no connection.
func Send(ctx context.Context, r Request) (Result, error) {
	u, err := url.Parse(r.URL)
	if err != nil {
		return Result{}, fmt.Errorf("slowbody: URL: %w", err)
	}
	if r.Wait <= 0 {
		return Result{}, fmt.Errorf("slowbody: Wait %v must be positive", r.Wait)
	}
	if err := checkHeader(r.Header); err != nil {
		return Result{}, err
	}
	conn, err := dial(ctx, u, r.TLS)
	if err != nil {
		return Result{}, fmt.Errorf("slowbody: %w", err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	res, err := drip(conn, u, r)
	if ctx.Err() != nil {
		return res, fmt.Errorf("slowbody: %w", ctx.Err())
	}
	return res, err
}

// checkHeader refuses header lines that would break the request's
// framing. The error names the header, never its value, which may be a
// secret.
func checkHeader(h http.Header) error {
	for name, values := range h {
		if name == "" || strings.ContainsAny(name, " :\r\n") {
			return fmt.Errorf("slowbody: header name %q is not a token", name)
		}
		for _, v := range values {
			if strings.ContainsAny(v, "\r\n") {
				return fmt.Errorf("slowbody: header %s: the value holds a line break", name)
			}
		}
	}
	return nil
}

func dial(ctx context.Context, u *url.URL, cfg *tls.Config) (net.Conn, error) {
	d := &net.Dialer{Timeout: 10 * time.Second}
	switch u.Scheme {
	case "http":
		return d.DialContext(ctx, "tcp", hostPort(u, "80"))
	case "https":
		if cfg == nil {
			cfg = &tls.Config{}
		}
		cfg = cfg.Clone()
		cfg.ServerName = cmp.Or(cfg.ServerName, u.Hostname())
		cfg.NextProtos = []string{"http/1.1"} // the body is framed by hand
		td := &tls.Dialer{NetDialer: d, Config: cfg}
		return td.DialContext(ctx, "tcp", hostPort(u, "443"))
	}
	return nil, fmt.Errorf("URL scheme %q is not http or https", u.Scheme)
}

func hostPort(u *url.URL, port string) string {
	if u.Port() != "" {
		return u.Host
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// drip writes the head and the prefix, then a byte every r.Every while a
// reader waits for the server's move.
func drip(conn net.Conn, u *url.URL, r Request) (Result, error) {
	if _, err := io.WriteString(conn, head(u, r.Header)+chunk(r.Prefix)); err != nil {
		return Result{}, fmt.Errorf("slowbody: sending the request head: %w", err)
	}
	start := time.Now()
	conn.SetReadDeadline(start.Add(r.Wait))
	got := make(chan Result, 1)
	go func() { got <- readAnswer(conn) }()
	res := Result{Sent: len(r.Prefix)}
	tick := time.NewTicker(cmp.Or(r.Every, DefaultEvery))
	defer tick.Stop()
	one := chunk([]byte{cmp.Or(r.Drip, 'A')})
	for {
		select {
		case a := <-got:
			a.After, a.Sent = time.Since(start), res.Sent
			return a, nil
		case <-tick.C:
			// A failed write means the server closed or reset; the reader
			// sees it too, and tells answered from closed.
			if _, err := io.WriteString(conn, one); err == nil {
				res.Sent++
			}
		}
	}
}

// readAnswer waits for the server's answer or the end of the connection.
func readAnswer(conn net.Conn) Result {
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	switch {
	case errors.Is(err, os.ErrDeadlineExceeded):
		return Result{Outcome: StillReading}
	case err != nil:
		return Result{Outcome: Closed}
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	return Result{Outcome: Answered, Status: resp.StatusCode, Body: body}
}

// head is the request line and header of a chunked POST.
func head(u *url.URL, h http.Header) string {
	var b strings.Builder
	fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: %s\r\nTransfer-Encoding: chunked\r\n", u.RequestURI(), u.Host)
	for name, values := range h {
		for _, v := range values {
			fmt.Fprintf(&b, "%s: %s\r\n", name, v)
		}
	}
	b.WriteString("\r\n")
	return b.String()
}

// chunk frames p as one chunk; an empty p would end the body, so it
// frames nothing.
func chunk(p []byte) string {
	if len(p) == 0 {
		return ""
	}
	return fmt.Sprintf("%x\r\n%s\r\n", len(p), p)
}
