package kat

import (
	"fmt"

	"github.com/gwcert/gwcert/envelope"
	"github.com/gwcert/gwcert/vectors"
)

// Case is one test of one vector file, with the group that fixes its
// parameters.
type Case struct {
	File  *vectors.File
	Group *vectors.Group
	Test  vectors.Test
}

// Cases lists every test of files in file order.
func Cases(files []*vectors.File) []Case {
	var out []Case
	for _, f := range files {
		for gi := range f.TestGroups {
			g := &f.TestGroups[gi]
			for _, t := range g.Tests {
				out = append(out, Case{File: f, Group: g, Test: t})
			}
		}
	}
	return out
}

// The check ids of the known-answer suite, by PROTOCOL.md section.
const (
	IDCBC          = "K-2.1" // AES-256-CBC tokens
	IDGCM          = "K-2.2" // AES-256-GCM tokens
	IDTokenForm    = "K-2.3" // token encoding: standard base64, padded, one line
	IDHeaderBuild  = "K-3.1" // header_secrets built exactly
	IDHeaderStrict = "K-3.2" // header_secrets parsed strictly
	IDRequest      = "K-4.1" // whole request bodies
	IDResponse     = "K-5.1" // responses opened or read as plain JSON
)

// ID returns the case's check id.
func (c Case) ID() string {
	switch c.Group.Type {
	case "IndCpaTest":
		return IDCBC
	case "AeadTest":
		return IDGCM
	case "TokenTest":
		return IDTokenForm
	case "HeaderSecretsTest":
		if c.Test.Result == vectors.Invalid {
			return IDHeaderStrict
		}
		return IDHeaderBuild
	case "RequestTest":
		return IDRequest
	case "ResponseTest":
		return IDResponse
	}
	return "K-0"
}

// Title names the case in reports: file, test id and the vector's comment.
func (c Case) Title() string {
	return fmt.Sprintf("%s #%d %s: %s", c.File.Name, c.Test.TcID, c.Test.Result, c.Test.Comment)
}

// Scheme returns the scheme the case is for.
func (c Case) Scheme() envelope.Scheme {
	switch c.Group.Type {
	case "IndCpaTest":
		return envelope.CBC
	case "AeadTest":
		return envelope.GCM
	}
	s, err := envelope.ParseScheme(c.Group.Scheme)
	if err != nil {
		return envelope.Scheme(c.Group.Scheme)
	}
	return s
}

// outOfScope says why a case lies outside the protocol, or "".
func (c Case) outOfScope() string {
	g, t := c.Group, c.Test
	switch g.Type {
	case "IndCpaTest", "AeadTest":
		if g.KeySize != 256 {
			return fmt.Sprintf("outside the protocol: %d-bit key (the protocol uses AES-256)", g.KeySize)
		}
	case "TokenTest", "HeaderSecretsTest", "RequestTest", "ResponseTest":
	default:
		return fmt.Sprintf("unknown test group type %q", g.Type)
	}
	switch {
	case g.Type == "IndCpaTest" && g.IVSize != 128:
		return fmt.Sprintf("outside the protocol: %d-bit IV (CBC uses 128)", g.IVSize)
	case t.HasFlag("KtvNoPadding"):
		return "raw cipher blocks without PKCS#7 padding are not a token of the protocol; " +
			"the padded form of the same NIST vector is checked"
	case g.Type == "AeadTest" && g.IVSize != 96:
		return fmt.Sprintf("outside the protocol: %d-bit nonce (GCM uses 96)", g.IVSize)
	case g.Type == "AeadTest" && g.TagSize != 128:
		return fmt.Sprintf("outside the protocol: %d-bit tag (GCM uses 128)", g.TagSize)
	case g.Type == "AeadTest" && t.AAD != "":
		return "outside the protocol: additional data (the protocol uses none)"
	}
	if s := c.Scheme(); s != envelope.CBC && s != envelope.GCM {
		return fmt.Sprintf("unknown scheme %q", s)
	}
	return ""
}

// expectedKind returns the error kind the case's flags demand, or "".
func (c Case) expectedKind() envelope.Kind {
	return envelope.Kind(c.Test.ExpectedError(string(c.Scheme())))
}
