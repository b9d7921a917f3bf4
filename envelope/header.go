package envelope

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// HeaderSecrets is the plaintext of the header_secrets header
// (PROTOCOL.md section 3). Its String method hides the client secret, so
// printing one by mistake leaks nothing.
type HeaderSecrets struct {
	ClientID     string
	ClientSecret string
	Epoch        string // Unix time in whole seconds, decimal digits
}

// String returns the client id and epoch; the secret is redacted.
func (h HeaderSecrets) String() string {
	return fmt.Sprintf("{client_id:%q client_secret:[redacted] epoch:%q}", h.ClientID, h.Epoch)
}

// GoString is String, so %#v redacts too.
func (h HeaderSecrets) GoString() string { return h.String() }

// Unix returns the epoch as seconds. The epoch must be 1 to 19 decimal
// digits; anything else is a member error.
func (h HeaderSecrets) Unix() (int64, error) {
	if err := checkEpoch(h.Epoch); err != nil {
		return 0, err
	}
	v, err := strconv.ParseInt(h.Epoch, 10, 64)
	if err != nil {
		return 0, newError(KindMember, "epoch", "out of range")
	}
	return v, nil
}

func checkEpoch(s string) error {
	if s == "" {
		return &Error{Kind: KindMember, Field: "epoch", Offset: -1, Reason: "empty, want decimal seconds",
			badEpochValue: true}
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return &Error{Kind: KindMember, Field: "epoch", Offset: i,
				Reason: "not all decimal digits, want whole seconds like \"1727954878\"", badEpochValue: true}
		}
	}
	if len(s) > 19 {
		return &Error{Kind: KindMember, Field: "epoch", Offset: -1, Reason: "more than 19 digits",
			badEpochValue: true}
	}
	return nil
}

// AppendHeaderJSON appends the header's compact JSON to dst: the members
// client_id, client_secret and epoch in that order, escaped as
// JavaScript's JSON.stringify escapes them.
func AppendHeaderJSON(dst []byte, clientID, clientSecret string, epoch int64) []byte {
	dst = append(dst, `{"client_id":`...)
	dst = appendJSONString(dst, clientID)
	dst = append(dst, `,"client_secret":`...)
	dst = appendJSONString(dst, clientSecret)
	dst = append(dst, `,"epoch":"`...)
	dst = strconv.AppendInt(dst, epoch, 10)
	return append(dst, `"}`...)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string with the minimal escaping of
// JSON.stringify: quote, backslash and control characters. Invalid UTF-8
// becomes U+FFFD, as a JavaScript string cannot hold it.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
			dst = append(append(dst, s[start:i]...), "\ufffd"...)
			i++
			start = i
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = appendEscape(dst, c)
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func appendEscape(dst []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
}

// ParseHeaderJSON parses the plaintext of header_secrets strictly: one
// JSON object with exactly the members client_id, client_secret and epoch,
// spelled in lower case, each a string, none repeated, and the epoch all
// decimal digits. The error names the broken rule and the member, never a
// member's value. When the shape is right and only the epoch is not
// digits, the members come back with the error (see [IsEpochError]), so a
// gateway can judge the credentials before the epoch, in the protocol's
// order.
func ParseHeaderJSON(data []byte) (HeaderSecrets, error) {
	var h HeaderSecrets
	var seen [3]bool
	err := scanStringObject(data, func(name string, value string) error {
		i, dst := h.slot(name)
		if i < 0 {
			return newError(KindMember, quoteName(name), "unexpected member (want exactly client_id, client_secret, epoch)")
		}
		if seen[i] {
			return newError(KindMember, name, "member repeated")
		}
		seen[i] = true
		*dst = value
		return nil
	})
	if err != nil {
		return HeaderSecrets{}, withField(err, "header_secrets")
	}
	for i, name := range headerMembers {
		if !seen[i] {
			return HeaderSecrets{}, newError(KindMember, name, "member missing")
		}
	}
	if err := checkEpoch(h.Epoch); err != nil {
		return h, err
	}
	return h, nil
}

// IsEpochError reports whether err says only that a header's epoch is not
// decimal seconds, the members being otherwise right.
func IsEpochError(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.badEpochValue
}

var headerMembers = [3]string{"client_id", "client_secret", "epoch"}

func (h *HeaderSecrets) slot(name string) (int, *string) {
	switch name {
	case "client_id":
		return 0, &h.ClientID
	case "client_secret":
		return 1, &h.ClientSecret
	case "epoch":
		return 2, &h.Epoch
	}
	return -1, nil
}

// quoteName quotes a member name for an error, cut to 40 bytes so a
// hostile document cannot fill a report.
func quoteName(name string) string {
	if len(name) > 40 {
		name = name[:40] + "..."
	}
	return strconv.Quote(name)
}

// fieldName returns a member name fit for an error's Field: as it is when
// it is a short identifier, quoted and cut otherwise.
func fieldName(name string) string {
	if len(name) == 0 || len(name) > 40 {
		return quoteName(name)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return quoteName(name)
		}
	}
	return name
}
