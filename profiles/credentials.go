package profiles

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// Credentials are one client's secrets, read from the environment
// variables its ClientRef names. Every way of printing them masks them:
// fmt verbs, JSON and slog show at most the first four characters of the
// pass key and "[redacted]" for the rest.
type Credentials struct {
	PassKey      string
	ClientID     string
	ClientSecret string
	Key          string
}

// Lookup reads an environment variable and reports whether it is set, as
// os.LookupEnv does; tests pass their own.
type Lookup func(name string) (string, bool)

// ErrMissingVariable is wrapped by the error Credentials returns when a
// variable the profile names is not set or is empty.
var ErrMissingVariable = errors.New("environment variable not set or empty")

// envVar pairs a field of ClientRef with the variable name it holds.
type envVar struct {
	field, env string
}

// vars lists the variable names of a client with their field names.
func (r ClientRef) vars() []envVar {
	return []envVar{
		{"pass_key_env", r.PassKeyEnv},
		{"client_id_env", r.ClientIDEnv},
		{"client_secret_env", r.ClientSecretEnv},
		{"key_env", r.KeyEnv},
	}
}

// Credentials reads the named client's credentials through lookup, which
// is os.LookupEnv in production. It fails if the profile has no such
// client, if a variable is unset or empty (the error names every such
// variable and wraps ErrMissingVariable), or if the pass key or the key
// has the wrong shape for the profile's key encoding. Errors name
// variables, never their values.
func (p *Profile) Credentials(name string, lookup Lookup) (Credentials, error) {
	ref, ok := p.Clients[name]
	if !ok {
		return Credentials{}, fmt.Errorf("profile %s has no client %q", p.Name, name)
	}
	var missing []string
	read := func(env string) string {
		v, ok := lookup(env)
		if !ok || v == "" {
			missing = append(missing, env)
		}
		return v
	}
	c := Credentials{
		PassKey:      read(ref.PassKeyEnv),
		ClientID:     read(ref.ClientIDEnv),
		ClientSecret: read(ref.ClientSecretEnv),
		Key:          read(ref.KeyEnv),
	}
	if len(missing) > 0 {
		return Credentials{}, fmt.Errorf("client %s: %w: %s",
			name, ErrMissingVariable, strings.Join(missing, ", "))
	}
	if err := c.check(ref, p.KeyEncoding); err != nil {
		return Credentials{}, fmt.Errorf("client %s: %w", name, err)
	}
	return c, nil
}

// HasClient reports whether the profile names the client and every one of
// its variables is set and not empty; the cross-client checks use it to
// skip when no peer is configured. It does not check the values' shape.
func (p *Profile) HasClient(name string, lookup Lookup) bool {
	ref, ok := p.Clients[name]
	if !ok {
		return false
	}
	for _, v := range ref.vars() {
		if val, ok := lookup(v.env); !ok || val == "" {
			return false
		}
	}
	return true
}

// check returns an error naming the variable whose value has the wrong
// shape: the pass key must be printable ASCII without spaces (it travels
// as a header), the key must be 32 bytes as the encoding says.
func (c Credentials) check(ref ClientRef, encoding string) error {
	if strings.IndexFunc(c.PassKey, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0 {
		return fmt.Errorf("%s must be printable ASCII without spaces", ref.PassKeyEnv)
	}
	if encoding == "raw" {
		if len(c.Key) != 32 {
			return fmt.Errorf("%s must be 32 bytes (key_encoding raw)", ref.KeyEnv)
		}
		return nil
	}
	b, err := base64.StdEncoding.Strict().DecodeString(c.Key)
	if err != nil || len(c.Key) != 44 || len(b) != 32 {
		return fmt.Errorf("%s must be 32 bytes in standard base64, 44 characters "+
			"(key_encoding base64)", ref.KeyEnv)
	}
	return nil
}

// redacted stands for a masked value.
const redacted = "[redacted]"

// masked returns the fields as they may be shown.
func (c Credentials) masked() [4]string {
	return [4]string{maskPassKey(c.PassKey), mask(c.ClientID), mask(c.ClientSecret), mask(c.Key)}
}

// maskPassKey shows the first four characters of a pass key long enough
// for that to reveal little; a shorter one is redacted whole.
func maskPassKey(s string) string {
	r := []rune(s)
	if len(r) < 16 {
		return mask(s)
	}
	return string(r[:4]) + "…"
}

// mask redacts a value but shows that it is empty.
func mask(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// String returns the credentials masked.
func (c Credentials) String() string {
	m := c.masked()
	return fmt.Sprintf("{PassKey:%s ClientID:%s ClientSecret:%s Key:%s}", m[0], m[1], m[2], m[3])
}

// GoString returns the credentials masked, for %#v.
func (c Credentials) GoString() string {
	m := c.masked()
	return fmt.Sprintf("profiles.Credentials{PassKey:%q, ClientID:%q, ClientSecret:%q, Key:%q}",
		m[0], m[1], m[2], m[3])
}

// Format masks the credentials under every fmt verb, including those that
// would otherwise print the fields one by one (%d, %x, %+v).
func (c Credentials) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, c.GoString())
		return
	}
	fmt.Fprint(f, c.String())
}

// MarshalJSON writes the credentials masked, so that a report or log that
// encodes them as JSON shows no secret. Credentials cannot round-trip
// through JSON.
func (c Credentials) MarshalJSON() ([]byte, error) {
	m := c.masked()
	return json.Marshal(map[string]string{
		"PassKey": m[0], "ClientID": m[1], "ClientSecret": m[2], "Key": m[3],
	})
}

// LogValue masks the credentials in slog output.
func (c Credentials) LogValue() slog.Value {
	return slog.StringValue(c.String())
}
