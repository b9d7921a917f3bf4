// Package vectors holds gwcert's known-answer vector files and reads them.
//
// Every file uses the Wycheproof frame: it names its algorithm, states how
// many tests it holds, describes each flag in its notes, and gathers tests
// that share parameters (key size, IV size, scheme) into groups. Two sets are
// embedded in the package: the Wycheproof files for AES-CBC-PKCS5 and AES-GCM,
// vendored unchanged in wycheproof/, and gwcert's own files in gwcert/,
// written by gen/generate.js with Node's crypto module so that no expected
// value comes from gwcert's Go code. Load reads further files from disk.
//
// The package only reads and describes vectors. Running them against a codec
// is the job of the known-answer suite.
package vectors

//go:generate node gen/generate.js

import "slices"

// Result words a test may carry. Wycheproof uses "acceptable" for inputs a
// correct implementation may either accept or refuse.
const (
	Valid      = "valid"
	Invalid    = "invalid"
	Acceptable = "acceptable"
)

// File is one vector file.
type File struct {
	// Name is the file's base name, such as "aes_gcm_test.json". The
	// loader sets it; it is not part of the JSON.
	Name string `json:"-"`

	Algorithm        string          `json:"algorithm"`
	Schema           string          `json:"schema"`
	GeneratorVersion string          `json:"generatorVersion,omitempty"`
	NumberOfTests    int             `json:"numberOfTests"`
	Header           []string        `json:"header"`
	Notes            map[string]Note `json:"notes"`
	TestGroups       []Group         `json:"testGroups"`

	// canonical is the file's JSON without insignificant white space, kept
	// by the loader for Digest.
	canonical []byte
}

// Note describes one flag of a file.
type Note struct {
	BugType     string `json:"bugType"`
	Description string `json:"description"`
	Effect      string `json:"effect,omitempty"`
}

// Group is a set of tests that share parameters. Sizes are in bits. Scheme
// ("aes-256-cbc" or "aes-256-gcm") is set on gwcert's protocol-level groups
// only.
type Group struct {
	Type    string `json:"type"`
	KeySize int    `json:"keySize,omitempty"`
	IVSize  int    `json:"ivSize,omitempty"`
	TagSize int    `json:"tagSize,omitempty"`
	Scheme  string `json:"scheme,omitempty"`
	Tests   []Test `json:"tests"`
}

// Test is one test case. A file fills only the fields its group type uses;
// the others stay empty. Binary values (Key, IV, AAD, Msg, CT, Tag, HeaderIV)
// are lower-case hex; Token and HeaderSecrets are tokens in base64; Header,
// Payload, Body and Response are JSON text exactly as it travels.
type Test struct {
	TcID    int      `json:"tcId"`
	Comment string   `json:"comment"`
	Flags   []string `json:"flags"`

	Key string `json:"key,omitempty"`
	IV  string `json:"iv,omitempty"`
	AAD string `json:"aad,omitempty"`
	Msg string `json:"msg,omitempty"`
	CT  string `json:"ct,omitempty"`
	Tag string `json:"tag,omitempty"`

	Token         string `json:"token,omitempty"`
	ClientID      string `json:"clientId,omitempty"`
	ClientSecret  string `json:"clientSecret,omitempty"`
	Epoch         string `json:"epoch,omitempty"`
	Header        string `json:"header,omitempty"`
	HeaderIV      string `json:"headerIv,omitempty"`
	HeaderSecrets string `json:"headerSecrets,omitempty"`
	Payload       string `json:"payload,omitempty"`
	Body          string `json:"body,omitempty"`
	Status        int    `json:"status,omitempty"`
	Encrypted     bool   `json:"encrypted,omitempty"`
	Response      string `json:"response,omitempty"`

	Result string `json:"result"`
}

// HasFlag reports whether the test carries the flag name (case-sensitive).
func (t Test) HasFlag(name string) bool {
	return slices.Contains(t.Flags, name)
}

// Count returns the number of tests in all groups of the file.
func (f *File) Count() int {
	n := 0
	for _, g := range f.TestGroups {
		n += len(g.Tests)
	}
	return n
}
