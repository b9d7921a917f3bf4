package envelope

import (
	"errors"
	"fmt"
)

// Kind names the rule a malformed input broke.
type Kind string

// The kinds of [Error]. They are stable words: reports, vectors and the
// crypto-adapter contract use them as they are.
const (
	KindBase64  Kind = "base64"  // not standard padded base64, or whitespace in it
	KindLength  Kind = "length"  // decoded length impossible for the scheme
	KindPadding Kind = "padding" // PKCS#7 padding wrong after CBC decryption
	KindTag     Kind = "tag"     // GCM authentication failed
	KindJSON    Kind = "json"    // not JSON, or not the JSON shape required
	KindMember  Kind = "member"  // JSON members missing, extra, misnamed or mistyped
	KindKey     Kind = "key"     // a key that is not 32 bytes in its encoding
	KindIV      Kind = "iv"      // an IV or nonce of the wrong size
	KindScheme  Kind = "scheme"  // a scheme name that is not one of the protocol
)

// Error reports malformed input. It never carries key material, plaintext
// or the values of decrypted members; Reason says what was wrong, Field
// where.
type Error struct {
	Kind   Kind   // which rule broke
	Field  string // where: "token", "header_secrets", "RequestData", "epoch", ...
	Offset int    // byte offset of the fault in the input, or -1
	Reason string // lower-case text without secrets

	badEpochValue bool // the epoch member is a string but not decimal seconds
}

func (e *Error) Error() string {
	msg := "envelope: " + string(e.Kind)
	if e.Field != "" {
		msg += " error in " + e.Field
	}
	if e.Offset >= 0 {
		msg += fmt.Sprintf(" at offset %d", e.Offset)
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg
}

// Is reports whether target is an *Error of the same kind, so that
// errors.Is(err, envelope.ErrPadding) works whatever the field.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.Field == "" && t.Reason == ""
}

// Sentinels for errors.Is, one per [Kind].
var (
	ErrBase64  = &Error{Kind: KindBase64, Offset: -1}
	ErrLength  = &Error{Kind: KindLength, Offset: -1}
	ErrPadding = &Error{Kind: KindPadding, Offset: -1}
	ErrTag     = &Error{Kind: KindTag, Offset: -1}
	ErrJSON    = &Error{Kind: KindJSON, Offset: -1}
	ErrMember  = &Error{Kind: KindMember, Offset: -1}
	ErrKey     = &Error{Kind: KindKey, Offset: -1}
	ErrIV      = &Error{Kind: KindIV, Offset: -1}
)

// KindOf returns the kind of the first *Error in err's chain, or "" if
// there is none.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

func newError(kind Kind, field, reason string) *Error {
	return &Error{Kind: kind, Field: field, Offset: -1, Reason: reason}
}

// withField returns err with its field set to field when err is an *Error
// that names none; other errors come back unchanged.
func withField(err error, field string) error {
	var e *Error
	if errors.As(err, &e) && e.Field == "" {
		c := *e
		c.Field = field
		return &c
	}
	return err
}
