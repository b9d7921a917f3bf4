package benchkit

import (
	"bytes"
	"fmt"
)

// payloadHead and payloadTail frame the filler of a generated payload.
const (
	payloadHead = `{"amount":"10.00","currency":"INR","note":"`
	payloadTail = `"}`
	// MinPayload is the smallest payload Payload can make.
	MinPayload = len(payloadHead) + len(payloadTail)
	// MaxPayload is the largest: its sealed body stays under the mock's
	// default body limit of 1 MiB.
	MaxPayload = 512 << 10
)

// Payload returns a JSON document of exactly size bytes: a small payout
// whose note member is padded with letters.
func Payload(size int) ([]byte, error) {
	if size < MinPayload || size > MaxPayload {
		return nil, fmt.Errorf("payload: %d bytes, want %d to %d", size, MinPayload, MaxPayload)
	}
	var b bytes.Buffer
	b.Grow(size)
	b.WriteString(payloadHead)
	for b.Len() < size-len(payloadTail) {
		b.WriteByte('a' + byte(b.Len()%26))
	}
	b.WriteString(payloadTail)
	return b.Bytes(), nil
}
