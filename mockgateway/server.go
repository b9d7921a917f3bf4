package mockgateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// BodyReadTimeout bounds how long a served gateway waits for a whole
// request, body included: a sender that stalls is cut off, its call
// refused as a body that could not be read.
const BodyReadTimeout = 30 * time.Second

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

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves the
// gateway until ctx ends or the server is closed; see [Serve].
func (g *Gateway) Start(ctx context.Context, addr string) (*Server, error) {
	return Serve(ctx, addr, g, g.log)
}

// Serve listens on addr and serves h, usually a Gateway or a handler
// wrapping one, until ctx ends or the server is closed. It returns once
// the listener is bound, so URL can be used at once. The server's own
// errors go to log at warning level; nil discards them.
func Serve(ctx context.Context, addr string, h http.Handler, log *slog.Logger) (*Server, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mockgateway: listen: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		URL: "http://" + ln.Addr().String(),
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			// A body that never ends must not hold a handler for ever.
			ReadTimeout: BodyReadTimeout,
			IdleTimeout: 2 * time.Minute,
			ErrorLog:    slog.NewLogLogger(log.Handler(), slog.LevelWarn),
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
