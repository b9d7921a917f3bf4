package mockgateway

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/gwcert/gwcert/envelope"
)

// Defaults that [New] applies to the zero fields of a [Config].
const (
	DefaultEpochWindow   = 300 * time.Second
	DefaultMaxFutureSkew = 60 * time.Second
	DefaultMaxBodyBytes  = 1 << 20
	DefaultRecorderLimit = 10000
	// DefaultBodyReadTimeout bounds how long a served gateway waits for
	// a whole request, body included: ample for a test client, and short
	// enough that a conformance run's slow-sender check is quick.
	DefaultBodyReadTimeout = 10 * time.Second
	// EchoPath is the built-in route: it seals the opened payload back.
	EchoPath = "/api/echo"
	// RecordedBytes caps each byte field of a recorded [Exchange].
	RecordedBytes = 64 << 10
)

// RecorderOff, given as Config.RecorderLimit, turns the recorder off.
const RecorderOff = -1

// NoFutureSkew, given as Config.MaxFutureSkew, refuses every epoch ahead
// of the gateway's clock; zero means DefaultMaxFutureSkew.
const NoFutureSkew time.Duration = -1

// Config describes a gateway. The zero value of each field but Clients
// means its default; [New] checks the whole of it and reports every
// problem at once.
type Config struct {
	// Clients are the clients the gateway knows; at least one. Names,
	// pass keys and keys must be unique.
	Clients []Client
	// Scheme is the cipher scheme of every client; "" means
	// envelope.CBC.
	Scheme envelope.Scheme
	// EpochWindow is how old an epoch may be (check 5), in whole
	// seconds; 0 means DefaultEpochWindow.
	EpochWindow time.Duration
	// MaxFutureSkew is how far ahead an epoch may be (check 6), in whole
	// seconds; 0 means DefaultMaxFutureSkew and NoFutureSkew means none.
	MaxFutureSkew time.Duration
	// ReplayDetection turns check 7 on: a header_secrets token seen
	// before, while its epoch is inside the window, is refused. Off by
	// default, as in the protocol's mock.
	ReplayDetection bool
	// MaxBodyBytes is the largest request body accepted (check 8); 0
	// means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Routes are served besides the built-in echo at EchoPath. A route
	// on EchoPath with the echo's method (POST) replaces the echo.
	Routes []Route
	// Clock gives the time that epochs are judged against and that
	// exchanges are stamped with; nil means time.Now.
	Clock func() time.Time
	// Logger receives one line per exchange; nil discards them.
	Logger *slog.Logger
	// RecorderLimit is how many exchanges the recorder keeps, the oldest
	// dropped first; 0 means DefaultRecorderLimit and RecorderOff (or
	// any negative value) records nothing. Each exchange holds at most
	// about four times RecordedBytes, so the default limit bounds the
	// recorder near 2.5 GiB in the worst case and to a few MiB for
	// ordinary payloads.
	RecorderLimit int
	// Faults makes a share of calls slow, fail or vanish.
	Faults Faults
	// BodyReadTimeout is how long the server [Gateway.Start] makes waits
	// for a whole request, headers and body: a sender that stalls or
	// trickles its body without end is cut off, its call refused as a
	// body that could not be read (check 8); 0 means
	// DefaultBodyReadTimeout. It does not apply to a Gateway served by
	// other means (see [ServeOptions]).
	BodyReadTimeout time.Duration
}

// Client is one client the gateway knows. Its String method shows only
// the name and the pass key masked, so printing a Config leaks no secret.
type Client struct {
	// Name identifies the client in the recorder and the logs.
	Name string
	// PassKey is sent as the pass_key header: printable ASCII without
	// spaces.
	PassKey string
	// ClientID and ClientSecret are expected inside header_secrets.
	ClientID     string
	ClientSecret string
	// Key is the client's 32-byte AES-256 key (see envelope.ParseKey).
	Key []byte
}

// String shows the client's name and its pass key masked.
func (c Client) String() string {
	return fmt.Sprintf("{name:%q pass_key:%s client_id:[redacted] client_secret:[redacted] "+
		"key:[redacted]}", c.Name, envelope.MaskPassKey(c.PassKey))
}

// GoString is String, so %#v hides the secrets too.
func (c Client) GoString() string { return c.String() }

// LogValue hides the secrets from slog.
func (c Client) LogValue() slog.Value { return slog.StringValue(c.String()) }

// Route is an API path the gateway serves, with the answer it gives to
// every call that passes the checks.
type Route struct {
	// Path is the API path, starting with "/"; matched exactly.
	Path string
	// Method is the HTTP method; "" means POST. It is upper-cased here,
	// and a call's method must match it exactly, as HTTP methods are
	// case-sensitive.
	Method string
	// Status is the answer's status, 200..599; 0 means 200.
	Status int
	// Answer is the answer's JSON. With a 2xx status it is sealed as
	// ResponseData; otherwise it is sent plain. A nil Answer with a 2xx
	// status echoes the opened payload; other statuses need an Answer.
	Answer json.RawMessage
}

// Faults makes the gateway misbehave on purpose, for load tests and
// client certification. The share of calls hit is drawn from a random
// source seeded with Seed, so a sequential run is reproducible.
type Faults struct {
	// Latency delays every answer, failures included.
	Latency time.Duration
	// ErrorShare is the share of calls, 0 to 1, answered 503 with
	// statusDesc "injected fault" before any check runs.
	ErrorShare float64
	// DropShare is the share of calls, 0 to 1, whose connection is closed
	// without an answer. ErrorShare plus DropShare is at most 1.
	DropShare float64
	// Seed seeds the draw that picks the calls hit.
	Seed uint64
}

// ConfigError lists every problem of a Config that [New] or [FromProfile]
// found. No problem quotes a secret.
type ConfigError struct {
	Problems []string // "field: cause", in the order of the Config's fields
}

// Error lists the problems on one line, separated by semicolons.
func (e *ConfigError) Error() string {
	return "mockgateway: invalid config: " + strings.Join(e.Problems, "; ")
}

// problems collects config problems.
type problems []string

func (p *problems) add(field, format string, args ...any) {
	*p = append(*p, field+": "+fmt.Sprintf(format, args...))
}

// err returns a *ConfigError holding the problems, or nil.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ConfigError{Problems: p}
}

// seconds checks a whole-seconds duration and returns it in seconds,
// with def standing for zero.
func (p *problems) seconds(field string, d, def time.Duration) int64 {
	switch {
	case d == 0:
		d = def
	case d < 0:
		p.add(field, "must not be negative")
	case d%time.Second != 0:
		p.add(field, "must be whole seconds, as epochs are")
	}
	return int64(d / time.Second)
}

// checkFaults checks the fault settings.
func (p *problems) checkFaults(f Faults) {
	if f.Latency < 0 {
		p.add("Faults.Latency", "must not be negative")
	}
	if !(f.ErrorShare >= 0 && f.ErrorShare <= 1) {
		p.add("Faults.ErrorShare", "must be between 0 and 1")
	}
	if !(f.DropShare >= 0 && f.DropShare <= 1) {
		p.add("Faults.DropShare", "must be between 0 and 1")
	}
	if f.ErrorShare+f.DropShare > 1 {
		p.add("Faults", "ErrorShare plus DropShare must be at most 1")
	}
}
