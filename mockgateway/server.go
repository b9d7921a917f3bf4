package mockgateway

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// Server is a gateway listening on a TCP address, made by
// [Gateway.Start] or [Serve].
type Server struct {
	// URL is the base URL the server listens on, such as
	// "http://127.0.0.1:41234", without a trailing slash.
	URL string

	srv    *http.Server
	unhook func() bool   // stops the context watch of Start
	done   chan struct{} // closed when Serve has returned
	err    error         // what Serve returned, read after done
}

// ServeOptions tune the server of [Serve].
type ServeOptions struct {
	// Log receives the server's own errors at warning level; nil
	// discards them.
	Log *slog.Logger
	// BodyReadTimeout is how long a request may take to arrive whole,
	// headers and body: a body that stalls or trickles without end must
	// not hold a handler for ever. 0 means DefaultBodyReadTimeout.
	BodyReadTimeout time.Duration
}

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves the
// gateway until ctx ends or the server is closed, with the gateway's
// logger and Config.BodyReadTimeout; see [Serve].
func (g *Gateway) Start(ctx context.Context, addr string) (*Server, error) {
	return Serve(ctx, addr, g, ServeOptions{Log: g.log, BodyReadTimeout: g.bodyTimeout})
}

// Serve listens on addr and serves h, usually a Gateway or a handler
// wrapping one, until ctx ends or the server is closed. It returns once
// the listener is bound, so URL can be used at once.
func Serve(ctx context.Context, addr string, h http.Handler, o ServeOptions) (*Server, error) {
	if o.BodyReadTimeout < 0 {
		return nil, fmt.Errorf("mockgateway: BodyReadTimeout %v must not be negative", o.BodyReadTimeout)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mockgateway: listen: %w", err)
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	body := cmp.Or(o.BodyReadTimeout, DefaultBodyReadTimeout)
	s := &Server{
		URL: "http://" + ln.Addr().String(),
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: min(10*time.Second, body),
			ReadTimeout:       body,
			IdleTimeout:       2 * time.Minute,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
		done: make(chan struct{}),
	}
	s.unhook = context.AfterFunc(ctx, func() { s.srv.Close() })
	go s.serve(ln)
	return s, nil
}

func (s *Server) serve(ln net.Listener) {
	defer close(s.done)
	if err := s.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		s.err = err
	}
}

// Close closes the listener and every connection at once and waits for
// the server to stop. It returns the error that stopped serving, if any
// other than being closed.
func (s *Server) Close() error {
	s.unhook()
	err := s.srv.Close()
	if errors.Is(err, net.ErrClosed) {
		err = nil // already closed, by ctx or an earlier call
	}
	<-s.done
	return errors.Join(err, s.err)
}

// Shutdown stops accepting calls and waits for those in flight to be
// answered, or for ctx to end; see http.Server.Shutdown.
func (s *Server) Shutdown(ctx context.Context) error {
	s.unhook()
	if err := s.srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("mockgateway: shutdown: %w", err)
	}
	<-s.done
	return s.err
}

// Done is closed once the server has stopped serving.
func (s *Server) Done() <-chan struct{} { return s.done }
