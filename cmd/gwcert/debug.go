package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/profiles"
)

// debugFlags are the flags shared by curl and open: which profile and
// which of its clients.
type debugFlags struct {
	profile, client, target string
}

func (d *debugFlags) register(fs interface {
	StringVar(*string, string, string, string)
}) {
	fs.StringVar(&d.profile, "profile", "", "profile `FILE` (default: the bundled mock's)")
	fs.StringVar(&d.client, "client", profiles.Primary, "which client of the profile, e.g. primary or peer")
	fs.StringVar(&d.target, "target", "", "base `URL` (default: the profile's target, else $GWCERT_BASE_URL)")
}

// resolve loads the profile and the client's credentials: from the
// environment variables the profile names, or, for the bundled mock's
// profile when they are unset, its public test credentials.
func (d *debugFlags) resolve() (*profiles.Profile, profiles.Credentials, error) {
	p := profiles.Default()
	if d.profile != "" {
		var err error
		if p, err = profiles.Load(d.profile); err != nil {
			return nil, profiles.Credentials{}, err
		}
	}
	cred, err := p.Credentials(d.client, lookupEnv)
	if err != nil && p.Target == "" {
		if mc, ok := profiles.MockCredentials[d.client]; ok {
			return p, mc, nil
		}
	}
	return p, cred, err
}

func (d *debugFlags) codec(p *profiles.Profile, c profiles.Credentials) (*envelope.Codec, error) {
	enc, err := envelope.ParseKeyEncoding(p.KeyEncoding)
	if err != nil {
		return nil, err
	}
	key, err := envelope.ParseKey(c.Key, enc)
	if err != nil {
		return nil, fmt.Errorf("client %s: %w", d.client, err)
	}
	scheme, err := envelope.ParseScheme(p.Scheme)
	if err != nil {
		return nil, err
	}
	return envelope.New(scheme, key)
}

// runCurl prints a ready curl command with freshly sealed headers and
// body, valid for the profile's epoch window.
func runCurl(ctx context.Context, args []string, std stdio) error {
	var d debugFlags
	var path, payload, method string
	fs := newFlagSet("curl", "--path P --payload JSON [--profile FILE] [--client NAME]", std.out)
	d.register(fs)
	fs.StringVar(&path, "path", "", "API `path`, e.g. /api/echo (required)")
	fs.StringVar(&payload, "payload", "{}", "the API payload, as `JSON`")
	fs.StringVar(&method, "method", "POST", "HTTP `method`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var problems []string
	if !strings.HasPrefix(path, "/") {
		problems = append(problems, "--path: required, starting with /")
	}
	if !json.Valid([]byte(payload)) {
		problems = append(problems, "--payload: not valid JSON")
	}
	p, cred, err := d.resolve()
	if err != nil {
		problems = append(problems, err.Error())
	}
	base := firstNonEmpty(d.target, profileTarget(p), envOrEmpty("GWCERT_BASE_URL"))
	if base == "" {
		problems = append(problems, "no target: give --target, a profile with a target, or set GWCERT_BASE_URL")
	}
	if len(problems) > 0 {
		return usagef("curl: %s", strings.Join(problems, "; "))
	}
	codec, err := d.codec(p, cred)
	if err != nil {
		return usagef("curl: %v", err)
	}
	var r envelope.Request
	if err := codec.SealRequest(&r, envelope.Credentials{PassKey: cred.PassKey, ClientID: cred.ClientID,
		ClientSecret: cred.ClientSecret}, []byte(payload)); err != nil {
		return err
	}
	fmt.Fprintf(std.out, "# sealed now; valid for %s. It holds the pass key as it must be sent.\n", p.EpochWindow)
	fmt.Fprintf(std.out, "curl -sS -X %s %s \\\n", method, shellQuote(strings.TrimRight(base, "/")+path))
	fmt.Fprintf(std.out, "  -H %s \\\n", shellQuote("pass_key: "+cred.PassKey))
	fmt.Fprintf(std.out, "  -H %s \\\n", shellQuote("header_secrets: "+string(r.HeaderSecrets)))
	fmt.Fprintf(std.out, "  -H %s \\\n", shellQuote("Content-Type: application/json"))
	fmt.Fprintf(std.out, "  --data-raw %s\n", shellQuote(string(r.Body)))
	return nil
}

// runOpen opens a token with a client's key and prints the plaintext. A
// header_secrets token is shown with its client secret redacted unless
// --show-secret is given.
func runOpen(ctx context.Context, args []string, std stdio) error {
	var d debugFlags
	var showSecret bool
	fs := newFlagSet("open", "[--profile FILE] [--client NAME] TOKEN", std.out)
	d.register(fs)
	fs.BoolVar(&showSecret, "show-secret", false, "print a header's client_secret instead of [redacted]")
	fs.SetOutput(std.out)
	if err := fs.Parse(args); err != nil {
		return usagef("open: %v", err)
	}
	if fs.NArg() != 1 {
		return usagef("open: give exactly one token (quote it; a RequestData/ResponseData body works too)")
	}
	p, cred, err := d.resolve()
	if err != nil {
		return usagef("open: %v", err)
	}
	codec, err := d.codec(p, cred)
	if err != nil {
		return usagef("open: %v", err)
	}
	token := []byte(fs.Arg(0))
	if tok, err := envelope.TokenMember(token, envelope.RequestDataMember); err == nil {
		token = tok
	} else if tok, err := envelope.TokenMember(token, envelope.ResponseDataMember); err == nil {
		token = tok
	}
	pt, err := codec.AppendOpen(nil, token)
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	if h, err := envelope.ParseHeaderJSON(pt); err == nil && !showSecret {
		pt = []byte(fmt.Sprintf(`{"client_id":%q,"client_secret":"[redacted]","epoch":%q}`, h.ClientID, h.Epoch))
	}
	fmt.Fprintln(std.out, string(pt))
	return nil
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

func envOrEmpty(name string) string {
	v, _ := lookupEnv(name)
	return v
}

func profileTarget(p *profiles.Profile) string {
	if p == nil {
		return ""
	}
	return p.Target
}
